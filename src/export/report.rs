//! Evidence reports: a self-contained Markdown document and a standalone HTML page (inline CSS,
//! readable on a phone and in print) with, per condition or for one claim, a table of studies
//! (design, evidence level, outcomes, route, year, citation, stance), the condition-by-outcome
//! matrix, warnings (retractions, expressions of concern, errata, deleted records) and the
//! catalogue's provenance (saved searches, last refresh, taxonomy version, evcat version).
//!
//! Text from records, claims and settings is escaped in both: HTML shows as text (`<script>`
//! stays inert in the page and in a Markdown renderer), Markdown links, code and table pipes are
//! escaped, and control characters are dropped ([`crate::output::text`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::ExportRecord;
use crate::output::text::{html_text, markdown_code, markdown_text};
use crate::store::stats::CatalogueHistory;
use crate::store::tags::Matrix;
use crate::tagging::Taxonomy;

/// One row of a study table.
#[derive(Debug, Clone, Serialize)]
pub struct StudyRow {
    /// PMID.
    pub pmid: u64,
    /// Design tag.
    pub design: String,
    /// Evidence level.
    pub level: Option<i64>,
    /// Outcome tags.
    pub outcomes: Vec<String>,
    /// Route tags.
    pub routes: Vec<String>,
    /// Year.
    pub year: Option<i32>,
    /// Citation.
    pub citation: String,
    /// Stance (claim reports) or the claims citing it.
    pub stance: String,
    /// Warnings.
    pub warnings: Vec<String>,
}

/// A section: one condition, or one claim.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Optional text under the heading.
    pub intro: Option<String>,
    /// Studies, strongest design first, then newest.
    pub rows: Vec<StudyRow>,
}

/// Where the catalogue's content came from.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// evcat version.
    pub evcat_version: String,
    /// When the report was made.
    pub generated_at: String,
    /// Saved searches as (name, query, watermark, last success).
    pub saved_searches: Vec<(String, String, Option<String>, Option<String>)>,
    /// Last successful refresh.
    pub last_refresh: Option<String>,
    /// Last import or fetch batch.
    pub last_import: Option<String>,
    /// Taxonomy stamps of the tags in the report.
    pub taxonomy_versions: Vec<String>,
    /// The active taxonomy.
    pub taxonomy: String,
    /// Records in the catalogue.
    pub catalogue_records: u64,
    /// The selection the report covers.
    pub scope: String,
}

/// A whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Title.
    pub title: String,
    /// Sections.
    pub sections: Vec<Section>,
    /// The condition-by-outcome matrix over the report's records.
    pub matrix: Matrix,
    /// Warnings, one line each.
    pub warnings: Vec<String>,
    /// Provenance.
    pub provenance: Provenance,
}

/// Builds a study row; its warnings are the record's own ([`crate::store::articles::StoredArticle::warnings`]).
pub fn study_row(rec: &ExportRecord, citation: String, stance: String) -> StudyRow {
    let a = &rec.stored.article;
    let (design, level) = rec
        .design()
        .map(|(d, l)| (d.to_string(), l))
        .unwrap_or_else(|| ("-".into(), None));
    StudyRow {
        pmid: a.pmid,
        design,
        level,
        outcomes: rec
            .tags_of("outcome")
            .into_iter()
            .map(str::to_string)
            .collect(),
        routes: rec
            .tags_of("route")
            .into_iter()
            .map(str::to_string)
            .collect(),
        year: a.year(),
        citation,
        stance,
        warnings: rec.stored.warnings(),
    }
}

/// Sorts rows: strongest design, then newest, then PMID.
pub fn sort_rows(rows: &mut [StudyRow]) {
    rows.sort_by(|x, y| {
        y.level
            .unwrap_or(-1)
            .cmp(&x.level.unwrap_or(-1))
            .then(y.year.cmp(&x.year))
            .then(x.pmid.cmp(&y.pmid))
    });
}

/// Provenance of the catalogue, from its history.
pub fn provenance(
    history: CatalogueHistory,
    taxonomy: &Taxonomy,
    scope: &str,
    versions: Vec<String>,
) -> Provenance {
    Provenance {
        evcat_version: env!("CARGO_PKG_VERSION").to_string(),
        generated_at: crate::store::now_rfc3339(),
        saved_searches: history.saved_searches,
        last_refresh: history.last_refresh,
        last_import: history.last_import,
        taxonomy_versions: versions,
        taxonomy: format!("{} ({})", taxonomy.name(), taxonomy.stamp()),
        catalogue_records: history.records,
        scope: scope.to_string(),
    }
}

fn level_text(l: Option<i64>) -> String {
    l.map(|l| l.to_string()).unwrap_or_else(|| "-".into())
}

/// Text in Markdown: shown as written (HTML escaped, no links or extra table cells).
fn md_escape(s: &str) -> String {
    markdown_text(s)
}

/// The report as Markdown.
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_escape(&r.title));
    let p = &r.provenance;
    let _ = writeln!(
        out,
        "Generated {} by evcat {}. Scope: {}.\n",
        p.generated_at,
        p.evcat_version,
        md_escape(&p.scope)
    );
    if !r.warnings.is_empty() {
        let _ = writeln!(out, "## Warnings\n");
        for w in &r.warnings {
            let _ = writeln!(out, "- ⚠ {}", md_escape(w));
        }
        let _ = writeln!(out);
    }
    for s in &r.sections {
        let _ = writeln!(out, "## {}\n", md_escape(&s.title));
        if let Some(i) = &s.intro {
            let _ = writeln!(out, "{}\n", md_escape(i));
        }
        if s.rows.is_empty() {
            let _ = writeln!(out, "No studies.\n");
            continue;
        }
        let _ = writeln!(
            out,
            "| PMID | design | level | outcomes | route | year | citation | stance |\n|---|---|---:|---|---|---:|---|---|"
        );
        for row in &s.rows {
            let flag = if row.warnings.is_empty() { "" } else { " ⚠" };
            let _ = writeln!(
                out,
                "| {}{flag} | {} | {} | {} | {} | {} | {} | {} |",
                row.pmid,
                md_escape(&row.design),
                level_text(row.level),
                md_escape(&row.outcomes.join(", ")),
                md_escape(&row.routes.join(", ")),
                row.year.map(|y| y.to_string()).unwrap_or_default(),
                md_escape(&row.citation),
                md_escape(&row.stance)
            );
        }
        let _ = writeln!(out);
    }
    let m = &r.matrix;
    let _ = writeln!(out, "## Condition by outcome ({} records)\n", m.records);
    let _ = writeln!(
        out,
        "| condition \\ outcome | {} | total |",
        m.columns
            .iter()
            .map(|c| md_escape(c))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(out, "|---|{}---:|", "---:|".repeat(m.columns.len()));
    for (i, row) in m.rows.iter().enumerate() {
        let cells: Vec<String> = m.cells[i].iter().map(u64::to_string).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md_escape(row),
            cells.join(" | "),
            m.row_totals[i]
        );
    }
    let totals: Vec<String> = m.column_totals.iter().map(u64::to_string).collect();
    let _ = writeln!(
        out,
        "| **total** | {} | {} |\n",
        totals.join(" | "),
        m.records
    );
    let _ = writeln!(out, "## Provenance\n");
    let _ = writeln!(out, "- evcat version: {}", p.evcat_version);
    let _ = writeln!(out, "- Taxonomy: {}", md_escape(&p.taxonomy));
    if !p.taxonomy_versions.is_empty() {
        let _ = writeln!(
            out,
            "- Tags in this report made with taxonomy version(s): {}",
            md_escape(&p.taxonomy_versions.join(", "))
        );
    }
    let _ = writeln!(
        out,
        "- Catalogue: {} records; last import {}; last successful refresh {}",
        p.catalogue_records,
        md_escape(p.last_import.as_deref().unwrap_or("never")),
        md_escape(p.last_refresh.as_deref().unwrap_or("never"))
    );
    if p.saved_searches.is_empty() {
        let _ = writeln!(out, "- Saved searches: none");
    } else {
        let _ = writeln!(out, "- Saved searches:");
        for (name, query, watermark, last) in &p.saved_searches {
            let _ = writeln!(
                out,
                "  - {}: {} (watermark {}, last success {})",
                markdown_code(name),
                markdown_code(query),
                md_escape(watermark.as_deref().unwrap_or("none")),
                md_escape(last.as_deref().unwrap_or("never"))
            );
        }
    }
    out
}

fn esc(s: &str) -> String {
    html_text(s)
}

const CSS: &str = r#"
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --warn: #9a3412; --warnbg: #fff7ed; --head: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 16px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); margin: 0 auto; max-width: 72rem; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
.meta { color: var(--muted); font-size: 0.9rem; }
.warnings { background: var(--warnbg); border-left: 4px solid var(--warn); padding: 0.5rem 1rem; }
.warnings li { color: var(--warn); }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.5rem; vertical-align: top; text-align: left; }
th { background: var(--head); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.flagged td:first-child::after { content: " ⚠"; color: var(--warn); }
.level { display: inline-block; min-width: 1.5rem; text-align: center; border-radius: 0.75rem; background: #ddf4ff; }
@media (max-width: 40rem) {
  body { padding: 0.5rem; font-size: 15px; }
  table.studies thead { display: none; }
  table.studies, table.studies tbody, table.studies tr, table.studies td { display: block; width: 100%; }
  table.studies tr { border: 1px solid var(--line); margin-bottom: 0.75rem; }
  table.studies td { border: none; border-bottom: 1px solid var(--head); }
  table.studies td { text-align: left; }
  table.studies td::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
}
@media print {
  body { max-width: none; font-size: 10pt; }
  .scroll { overflow: visible; }
  th { position: static; }
  tr, .warnings { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The report as a standalone HTML page.
pub fn html(r: &Report) -> String {
    let mut out = String::new();
    let p = &r.provenance;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<p class=\"meta\">Generated {} by evcat {}. Scope: {}.</p>\n</header>\n<main>\n",
        esc(&r.title),
        esc(&r.title),
        esc(&p.generated_at),
        esc(&p.evcat_version),
        esc(&p.scope)
    );
    if !r.warnings.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"warnings\" aria-label=\"Warnings\">\n<h2>Warnings</h2>\n<ul>"
        );
        for w in &r.warnings {
            let _ = writeln!(out, "<li>{}</li>", esc(w));
        }
        let _ = writeln!(out, "</ul>\n</section>");
    }
    for s in &r.sections {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", esc(&s.title));
        if let Some(i) = &s.intro {
            let _ = writeln!(out, "<p>{}</p>", esc(i));
        }
        if s.rows.is_empty() {
            let _ = writeln!(out, "<p>No studies.</p>\n</section>");
            continue;
        }
        let _ = writeln!(
            out,
            "<div class=\"scroll\"><table class=\"studies\">\n<thead><tr><th>PMID</th><th>Design</th><th class=\"num\">Level</th><th>Outcomes</th><th>Route</th><th class=\"num\">Year</th><th>Citation</th><th>Stance</th></tr></thead>\n<tbody>"
        );
        for row in &s.rows {
            let class = if row.warnings.is_empty() {
                String::new()
            } else {
                " class=\"flagged\"".into()
            };
            let title = if row.warnings.is_empty() {
                String::new()
            } else {
                format!(" title=\"{}\"", esc(&row.warnings.join("; ")))
            };
            let _ = writeln!(
                out,
                "<tr{class}{title}><td data-label=\"PMID\"><a href=\"https://pubmed.ncbi.nlm.nih.gov/{0}/\">{0}</a></td><td data-label=\"Design\">{1}</td><td data-label=\"Level\" class=\"num\"><span class=\"level\">{2}</span></td><td data-label=\"Outcomes\">{3}</td><td data-label=\"Route\">{4}</td><td data-label=\"Year\" class=\"num\">{5}</td><td data-label=\"Citation\">{6}</td><td data-label=\"Stance\">{7}</td></tr>",
                row.pmid,
                esc(&row.design),
                esc(&level_text(row.level)),
                esc(&row.outcomes.join(", ")),
                esc(&row.routes.join(", ")),
                row.year.map(|y| y.to_string()).unwrap_or_default(),
                esc(&row.citation),
                esc(&row.stance)
            );
        }
        let _ = writeln!(out, "</tbody></table></div>\n</section>");
    }
    let m = &r.matrix;
    let _ = writeln!(
        out,
        "<section>\n<h2>Condition by outcome ({} records)</h2>\n<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th>Condition \\ outcome</th>",
        m.records
    );
    for c in &m.columns {
        let _ = write!(out, "<th class=\"num\">{}</th>", esc(c));
    }
    let _ = writeln!(out, "<th class=\"num\">Total</th></tr></thead>\n<tbody>");
    for (i, row) in m.rows.iter().enumerate() {
        let _ = write!(out, "<tr><th>{}</th>", esc(row));
        for n in &m.cells[i] {
            let _ = write!(out, "<td class=\"num\">{n}</td>");
        }
        let _ = writeln!(out, "<td class=\"num\">{}</td></tr>", m.row_totals[i]);
    }
    let _ = write!(out, "<tr><th>Total</th>");
    for n in &m.column_totals {
        let _ = write!(out, "<td class=\"num\">{n}</td>");
    }
    let _ = writeln!(
        out,
        "<td class=\"num\">{}</td></tr>\n</tbody></table></div>\n</section>",
        m.records
    );
    let _ = writeln!(out, "<section>\n<h2>Provenance</h2>\n<ul>");
    let _ = writeln!(out, "<li>evcat version: {}</li>", esc(&p.evcat_version));
    let _ = writeln!(out, "<li>Taxonomy: {}</li>", esc(&p.taxonomy));
    if !p.taxonomy_versions.is_empty() {
        let _ = writeln!(
            out,
            "<li>Tags in this report made with taxonomy version(s): {}</li>",
            esc(&p.taxonomy_versions.join(", "))
        );
    }
    let _ = writeln!(
        out,
        "<li>Catalogue: {} records; last import {}; last successful refresh {}</li>",
        p.catalogue_records,
        esc(p.last_import.as_deref().unwrap_or("never")),
        esc(p.last_refresh.as_deref().unwrap_or("never"))
    );
    if p.saved_searches.is_empty() {
        let _ = writeln!(out, "<li>Saved searches: none</li>");
    } else {
        let _ = writeln!(out, "<li>Saved searches:<ul>");
        for (name, query, watermark, last) in &p.saved_searches {
            let _ = writeln!(
                out,
                "<li><code>{}</code>: <code>{}</code> (watermark {}, last success {})</li>",
                esc(name),
                esc(query),
                esc(watermark.as_deref().unwrap_or("none")),
                esc(last.as_deref().unwrap_or("never"))
            );
        }
        let _ = writeln!(out, "</ul></li>");
    }
    let _ = writeln!(out, "</ul>\n</section>\n</main>\n</body>\n</html>");
    out
}

/// Groups rows by condition label, in taxonomy order (records without a condition last).
pub fn by_condition(taxonomy: &Taxonomy, rows: Vec<(Vec<String>, StudyRow)>) -> Vec<Section> {
    let mut groups: BTreeMap<usize, Vec<StudyRow>> = BTreeMap::new();
    let order: Vec<(String, String)> = taxonomy
        .tags_of("condition")
        .map(|t| (t.id.clone(), t.label.clone()))
        .collect();
    for (conditions, row) in rows {
        if conditions.is_empty() {
            groups.entry(usize::MAX).or_default().push(row);
            continue;
        }
        for c in conditions {
            let i = order
                .iter()
                .position(|(id, _)| *id == c)
                .unwrap_or(usize::MAX - 1);
            groups.entry(i).or_default().push(row.clone());
        }
    }
    groups
        .into_iter()
        .map(|(i, mut rows)| {
            sort_rows(&mut rows);
            let title = match i {
                usize::MAX => "No condition tag".to_string(),
                i if i < order.len() => format!("Condition: {} ({})", order[i].1, order[i].0),
                _ => "Other conditions".to_string(),
            };
            Section {
                title: format!("{title}: {} studies", rows.len()),
                intro: None,
                rows,
            }
        })
        .collect()
}
