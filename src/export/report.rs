//! Evidence reports: a self-contained Markdown document and a standalone HTML page (inline CSS,
//! readable on a phone and in print) with, per condition or for one claim, a table of studies
//! (design, evidence level, participants, outcomes, route, year, citation with the sessions and
//! dose of an intervention study, stance), the condition-by-outcome
//! matrix, warnings (retractions, expressions of concern, errata, deleted records) and the
//! catalogue's provenance (saved searches, last refresh, taxonomy version, evcat version).
//!
//! A report holds its sections' PMIDs in order, not their rows: the renderers write to a stream
//! and ask a [`StudyRows`] for each row as they reach it, so a report of any size takes memory
//! for its PMIDs only (a few bytes a record).
//!
//! Text from records, claims and settings is escaped in both: HTML shows as text (`<script>`
//! stays inert in the page and in a Markdown renderer), Markdown links, code and table pipes are
//! escaped, and control characters are dropped ([`crate::output::text`]).

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;

use super::ExportRecord;
use crate::output::text::{html_text, markdown_code, markdown_text};
use crate::store::claims::Claim;
use crate::store::stats::CatalogueHistory;
use crate::store::tags::Matrix;
use crate::tagging::Taxonomy;

/// One row of a study table. Tags are shown by their taxonomy labels ("Return to work"), not
/// their ids.
#[derive(Debug, Clone, Serialize)]
pub struct StudyRow {
    /// PMID.
    pub pmid: u64,
    /// Design label ("-" when untagged).
    pub design: String,
    /// Evidence level.
    pub level: Option<i64>,
    /// Participants as stated ("120"; `None` when the abstract does not say).
    pub participants: Option<String>,
    /// An intervention study's sessions and dose as stated ("3-10 sessions, 20 ug/mL, 10 mL"),
    /// shown under the citation.
    pub dose: Option<String>,
    /// Outcome labels.
    pub outcomes: Vec<String>,
    /// Route labels.
    pub routes: Vec<String>,
    /// Year.
    pub year: Option<i32>,
    /// Citation.
    pub citation: String,
    /// Stance (claim reports) or the claims citing it.
    pub stance: String,
    /// Warnings, shown in the row itself.
    pub warnings: Vec<String>,
    /// Neither deleted from PubMed nor retracted: may count as the strongest evidence.
    pub live: bool,
}

/// A section: one condition, or one claim.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Optional text under the heading.
    pub intro: Option<String>,
    /// The studies' PMIDs, strongest design first, then newest (each row is made when the
    /// section is written: [`StudyRows`]).
    pub studies: Vec<u64>,
}

/// Makes a study's row when a renderer reaches it.
pub trait StudyRows {
    /// The row of record `pmid` (one of a section's studies).
    fn study_row(&mut self, pmid: u64) -> io::Result<StudyRow>;
}

/// What orders a section's studies: the row's evidence level and year, and its PMID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StudyOrder {
    /// PMID.
    pub pmid: u64,
    /// Evidence level.
    pub level: Option<i64>,
    /// Year.
    pub year: Option<i32>,
}

impl StudyOrder {
    /// The order of `row`.
    pub fn of(row: &StudyRow) -> StudyOrder {
        StudyOrder {
            pmid: row.pmid,
            level: row.level,
            year: row.year,
        }
    }

    /// Strongest design, then newest, then PMID.
    fn cmp(&self, other: &StudyOrder) -> std::cmp::Ordering {
        other
            .level
            .unwrap_or(-1)
            .cmp(&self.level.unwrap_or(-1))
            .then(other.year.cmp(&self.year))
            .then(self.pmid.cmp(&other.pmid))
    }
}

/// Where the catalogue's content came from. Times are readable ([`readable_time`]).
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

/// The plain-language summary at the top of a claim report: what a clinician reads first.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimSummary {
    /// What the article says.
    pub claim: String,
    /// Where it says it.
    pub source: Option<String>,
    /// The verdict in words ("partly supported"), if reviewed.
    pub verdict: Option<String>,
    /// Who gave it.
    pub verdict_by: Option<String>,
    /// When, as a readable date.
    pub verdict_at: Option<String>,
    /// The reviewer's note.
    pub verdict_note: Option<String>,
    /// Linked studies that support the claim.
    pub supports: usize,
    /// That refute it.
    pub refutes: usize,
    /// That are mixed.
    pub mixed: usize,
    /// That do not bear on it.
    pub no_evidence: usize,
    /// The strongest live (not deleted, not retracted) supporting study, described.
    pub strongest_supporting: Option<String>,
    /// The strongest live refuting study, described.
    pub strongest_refuting: Option<String>,
    /// The report's warnings.
    pub warnings: Vec<String>,
    /// How certain the linked evidence is, with the reasons.
    pub certainty: Option<crate::claims::certainty::Certainty>,
}

/// A whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Title.
    pub title: String,
    /// The summary (claim reports).
    pub summary: Option<ClaimSummary>,
    /// Sections.
    pub sections: Vec<Section>,
    /// The condition-by-outcome matrix over the report's records: labels, non-empty rows and
    /// columns only ([`readable_matrix`]).
    pub matrix: Matrix,
    /// Warnings, one line each.
    pub warnings: Vec<String>,
    /// Provenance.
    pub provenance: Provenance,
}

/// A tag's label in the taxonomy, or its id when the taxonomy no longer has it.
pub fn tag_label(taxonomy: &Taxonomy, dimension: &str, id: &str) -> String {
    taxonomy
        .tag(dimension, id)
        .map_or_else(|| id.to_string(), |t| t.label.clone())
}

/// An RFC 3339 timestamp as a readable UTC date, "30 Nov 2026"; anything else as given.
pub fn readable_date(s: &str) -> String {
    parse_time(s).map_or_else(|| s.to_string(), |t| format_utc(t, false))
}

/// An RFC 3339 timestamp as a readable UTC date and time, "30 Nov 2026, 08:11 UTC"; anything
/// else as given.
pub fn readable_time(s: &str) -> String {
    parse_time(s).map_or_else(|| s.to_string(), |t| format_utc(t, true))
}

fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::UTC))
}

fn format_utc(t: time::OffsetDateTime, with_time: bool) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = format!(
        "{} {} {}",
        t.day(),
        MONTHS[usize::from(u8::from(t.month())) - 1],
        t.year()
    );
    if with_time {
        format!("{date}, {:02}:{:02} UTC", t.hour(), t.minute())
    } else {
        date
    }
}

/// Builds a study row, with taxonomy labels; its warnings are the record's own
/// ([`crate::store::articles::StoredArticle::warnings`]), with a readable deletion date.
pub fn study_row(
    rec: &ExportRecord,
    taxonomy: &Taxonomy,
    citation: String,
    stance: String,
) -> StudyRow {
    let a = &rec.stored.article;
    let (design, level) = rec
        .design()
        .map(|(d, l)| (tag_label(taxonomy, "design", d), l))
        .unwrap_or_else(|| ("-".into(), None));
    let labels = |dimension: &str| -> Vec<String> {
        rec.tags_of(dimension)
            .into_iter()
            .map(|id| tag_label(taxonomy, dimension, id))
            .collect()
    };
    let mut warnings = rec.stored.warnings();
    if let Some(at) = &rec.stored.deleted_at {
        let readable = readable_date(at);
        for w in &mut warnings {
            *w = w.replace(at.as_str(), &readable);
        }
    }
    use crate::abstracts::FactKind;
    let dose: Vec<String> = if rec.tags_of("intervention").is_empty() {
        Vec::new()
    } else {
        [
            FactKind::Sessions,
            FactKind::Concentration,
            FactKind::Volume,
        ]
        .into_iter()
        .filter_map(|k| rec.fact(k))
        .map(|f| f.describe())
        .collect()
    };
    StudyRow {
        pmid: a.pmid,
        design,
        level,
        participants: rec
            .participants()
            .map(crate::abstracts::facts::format_number),
        dose: (!dose.is_empty()).then(|| dose.join(", ")),
        outcomes: labels("outcome"),
        routes: labels("route"),
        year: a.year(),
        citation,
        stance,
        warnings,
        live: !rec.stored.deleted && !rec.retracted(),
    }
}

/// Sorts rows: strongest design, then newest, then PMID.
pub fn sort_rows(rows: &mut [StudyRow]) {
    rows.sort_by(|x, y| StudyOrder::of(x).cmp(&StudyOrder::of(y)));
}

/// The matrix as a reader wants it: taxonomy labels for ids, and only the conditions and
/// outcomes some record has (a phone cannot show nine empty columns).
pub fn readable_matrix(m: Matrix, taxonomy: &Taxonomy) -> Matrix {
    let keep_rows: Vec<usize> = (0..m.rows.len()).filter(|&i| m.row_totals[i] > 0).collect();
    let keep_cols: Vec<usize> = (0..m.columns.len())
        .filter(|&j| m.column_totals[j] > 0)
        .collect();
    Matrix {
        participants: None,
        design: m.design.clone(),
        rows: keep_rows
            .iter()
            .map(|&i| tag_label(taxonomy, "condition", &m.rows[i]))
            .collect(),
        columns: keep_cols
            .iter()
            .map(|&j| tag_label(taxonomy, "outcome", &m.columns[j]))
            .collect(),
        cells: keep_rows
            .iter()
            .map(|&i| keep_cols.iter().map(|&j| m.cells[i][j]).collect())
            .collect(),
        row_totals: keep_rows.iter().map(|&i| m.row_totals[i]).collect(),
        column_totals: keep_cols.iter().map(|&j| m.column_totals[j]).collect(),
        records: m.records,
    }
}

/// A claim report's summary: the verdict, the linked studies counted by stance, the strongest
/// live design on each side (deleted and retracted records never count), and the warnings.
pub fn claim_summary(
    claim: &Claim,
    rows: &[StudyRow],
    warnings: &[String],
    certainty: Option<crate::claims::certainty::Certainty>,
) -> ClaimSummary {
    let count = |stance: &str| rows.iter().filter(|r| r.stance == stance).count();
    // Rows are sorted strongest first: the first live one on a side is its strongest.
    let strongest = |stance: &str| {
        rows.iter()
            .find(|r| r.live && r.stance == stance)
            .map(describe_study)
    };
    ClaimSummary {
        claim: claim.text.clone(),
        source: claim.source.clone(),
        verdict: claim.verdict.as_ref().map(|v| v.replace('-', " ")),
        verdict_by: claim.verdict_by.clone(),
        verdict_at: claim.verdict_at.as_deref().map(readable_date),
        verdict_note: claim.verdict_note.clone().filter(|n| !n.trim().is_empty()),
        supports: count("supports"),
        refutes: count("refutes"),
        mixed: count("mixed"),
        no_evidence: count("no-evidence"),
        strongest_supporting: strongest("supports"),
        strongest_refuting: strongest("refutes"),
        warnings: warnings.to_vec(),
        certainty,
    }
}

/// "Meta-analysis (evidence level 7), PMID 22430658, 2012".
fn describe_study(r: &StudyRow) -> String {
    let design = if r.design == "-" {
        "Untagged design".to_string()
    } else {
        r.design.clone()
    };
    let level = r
        .level
        .map(|l| format!(" (evidence level {l})"))
        .unwrap_or_default();
    let year = r.year.map(|y| format!(", {y}")).unwrap_or_default();
    format!("{design}{level}, PMID {}{year}", r.pmid)
}

/// "1 study", "2 studies".
pub fn studies(n: usize) -> String {
    if n == 1 {
        "1 study".into()
    } else {
        format!("{n} studies")
    }
}

/// The summary's lines, plain text (escaped by the caller): the claim, the verdict, the counts,
/// the strongest evidence on each side. Warnings are listed after them.
fn summary_lines(s: &ClaimSummary) -> Vec<String> {
    let mut lines = Vec::new();
    let source = s
        .source
        .as_deref()
        .map(|src| format!(" (source: {src})"))
        .unwrap_or_default();
    lines.push(format!("Claim: \u{201c}{}\u{201d}{source}", s.claim));
    lines.push(match &s.verdict {
        Some(v) => {
            let by = s
                .verdict_by
                .as_deref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default();
            let at = s
                .verdict_at
                .as_deref()
                .map(|a| format!(" on {a}"))
                .unwrap_or_default();
            let note = s
                .verdict_note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            format!("Verdict: {v}, given{by}{at}{note}")
        }
        None => "Verdict: not yet reviewed".into(),
    });
    let total = s.supports + s.refutes + s.mixed + s.no_evidence;
    lines.push(if total == 0 {
        "Evidence: no studies linked yet".into()
    } else {
        let mut parts = vec![
            format!(
                "{} support{}",
                s.supports,
                if s.supports == 1 { "s" } else { "" }
            ),
            format!(
                "{} refute{}",
                s.refutes,
                if s.refutes == 1 { "s" } else { "" }
            ),
            format!("{} mixed", s.mixed),
        ];
        if s.no_evidence > 0 {
            parts.push(format!("{} no evidence", s.no_evidence));
        }
        format!("Evidence: {} linked; {}", studies(total), parts.join(", "))
    });
    lines.push(format!(
        "Strongest supporting study: {}",
        s.strongest_supporting
            .as_deref()
            .unwrap_or("none (no live study supports it)")
    ));
    lines.push(format!(
        "Strongest refuting study: {}",
        s.strongest_refuting
            .as_deref()
            .unwrap_or("none (no live study refutes it)")
    ));
    if let Some(c) = &s.certainty {
        lines.push(format!(
            "Certainty of the evidence: {} (started {}; rated GRADE-style by evcat, never rated up)",
            c.level.as_str(),
            c.starting_level.as_str()
        ));
        for r in c.reasons.iter().filter(|r| r.effect != "none") {
            lines.push(format!("Certainty, {} ({}): {}", r.domain, r.effect, r.why));
        }
    }
    lines.push(if s.warnings.is_empty() {
        "Warnings: none".into()
    } else {
        format!("Warnings: {}", s.warnings.len())
    });
    lines
}

/// Provenance of the catalogue, from its history.
pub fn provenance(
    history: CatalogueHistory,
    taxonomy: &Taxonomy,
    scope: &str,
    versions: Vec<String>,
) -> Provenance {
    let readable = |t: Option<String>| t.map(|t| readable_time(&t));
    Provenance {
        evcat_version: env!("CARGO_PKG_VERSION").to_string(),
        generated_at: readable_time(&crate::store::now_rfc3339()),
        saved_searches: history
            .saved_searches
            .into_iter()
            .map(|(name, query, watermark, last)| (name, query, watermark, readable(last)))
            .collect(),
        last_refresh: readable(history.last_refresh),
        last_import: readable(history.last_import),
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

/// One way of writing a report, in the parts [`write_report`] interleaves.
trait Format {
    /// Title, scope, summary or warnings.
    fn head(&self, r: &Report, out: &mut dyn io::Write) -> io::Result<()>;
    /// A section's heading and the head of its table (or "No studies.").
    fn section_head(&self, s: &Section, out: &mut dyn io::Write) -> io::Result<()>;
    /// One study's row.
    fn row(&self, row: &StudyRow, out: &mut dyn io::Write) -> io::Result<()>;
    /// The end of a section.
    fn section_end(&self, s: &Section, out: &mut dyn io::Write) -> io::Result<()>;
    /// The matrix and the provenance.
    fn tail(&self, r: &Report, out: &mut dyn io::Write) -> io::Result<()>;
}

/// Writes the report as Markdown to `markdown` and as a standalone HTML page to `html` in one
/// pass: each study's row is made once, by `rows`, for both.
pub fn write_report(
    r: &Report,
    rows: &mut dyn StudyRows,
    markdown: &mut dyn io::Write,
    html: &mut dyn io::Write,
) -> io::Result<()> {
    let mut outputs: [(&dyn Format, &mut dyn io::Write); 2] =
        [(&Markdown, markdown), (&Html, html)];
    for (format, out) in outputs.iter_mut() {
        format.head(r, *out)?;
    }
    for s in &r.sections {
        for (format, out) in outputs.iter_mut() {
            format.section_head(s, *out)?;
        }
        for &pmid in &s.studies {
            let row = rows.study_row(pmid)?;
            for (format, out) in outputs.iter_mut() {
                format.row(&row, *out)?;
            }
        }
        for (format, out) in outputs.iter_mut() {
            format.section_end(s, *out)?;
        }
    }
    for (format, out) in outputs.iter_mut() {
        format.tail(r, *out)?;
    }
    Ok(())
}

/// The report as Markdown.
struct Markdown;

impl Format for Markdown {
    fn head(&self, r: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        writeln!(out, "# {}\n", md_escape(&r.title))?;
        let p = &r.provenance;
        writeln!(
            out,
            "Generated {} by evcat {}. Scope: {}.\n",
            md_escape(&p.generated_at),
            p.evcat_version,
            md_escape(&p.scope)
        )?;
        if let Some(summary) = &r.summary {
            writeln!(out, "## Summary\n")?;
            for line in summary_lines(summary) {
                writeln!(out, "- {}", md_escape(&line))?;
            }
            for w in &summary.warnings {
                writeln!(out, "  - \u{26a0} {}", md_escape(w))?;
            }
            writeln!(out)?;
        } else if !r.warnings.is_empty() {
            writeln!(out, "## Warnings\n")?;
            for w in &r.warnings {
                writeln!(out, "- \u{26a0} {}", md_escape(w))?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    fn section_head(&self, s: &Section, out: &mut dyn io::Write) -> io::Result<()> {
        writeln!(out, "## {}\n", md_escape(&s.title))?;
        if let Some(i) = &s.intro {
            writeln!(out, "{}\n", md_escape(i))?;
        }
        if s.studies.is_empty() {
            writeln!(out, "No studies.\n")?;
        } else {
            writeln!(
                out,
                "| PMID | design | level | N | outcomes | route | year | citation | stance |\n|---|---|---:|---:|---|---|---:|---|---|"
            )?;
        }
        Ok(())
    }

    fn row(&self, row: &StudyRow, out: &mut dyn io::Write) -> io::Result<()> {
        let flag = if row.warnings.is_empty() {
            ""
        } else {
            " \u{26a0}"
        };
        // The warning is in the row itself, after the citation: a reader of the table
        // sees which record it concerns without looking elsewhere.
        let warnings: String = row
            .warnings
            .iter()
            .map(|w| format!(" **\u{26a0} {}**", md_escape(w)))
            .collect();
        let dose = row
            .dose
            .as_deref()
            .map(|d| format!(" ({})", md_escape(d)))
            .unwrap_or_default();
        writeln!(
            out,
            "| {}{flag} | {} | {} | {} | {} | {} | {} | {}{dose}{warnings} | {} |",
            row.pmid,
            md_escape(&row.design),
            level_text(row.level),
            row.participants.as_deref().unwrap_or(""),
            md_escape(&row.outcomes.join(", ")),
            md_escape(&row.routes.join(", ")),
            row.year.map(|y| y.to_string()).unwrap_or_default(),
            md_escape(&row.citation),
            md_escape(&row.stance)
        )?;
        Ok(())
    }

    fn section_end(&self, s: &Section, out: &mut dyn io::Write) -> io::Result<()> {
        if !s.studies.is_empty() {
            writeln!(out)?;
        }
        Ok(())
    }

    fn tail(&self, r: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let p = &r.provenance;
        let m = &r.matrix;
        writeln!(out, "## Condition by outcome ({} records)\n", m.records)?;
        if m.rows.is_empty() || m.columns.is_empty() {
            writeln!(out, "No record has both a condition and an outcome tag.\n")?;
        } else {
            writeln!(
                out,
                "| condition \\ outcome | {} | total |",
                m.columns
                    .iter()
                    .map(|c| md_escape(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            )?;
            writeln!(out, "|---|{}---:|", "---:|".repeat(m.columns.len()))?;
            for (i, row) in m.rows.iter().enumerate() {
                let cells: Vec<String> = m.cells[i].iter().map(u64::to_string).collect();
                writeln!(
                    out,
                    "| {} | {} | {} |",
                    md_escape(row),
                    cells.join(" | "),
                    m.row_totals[i]
                )?;
            }
            let totals: Vec<String> = m.column_totals.iter().map(u64::to_string).collect();
            writeln!(
                out,
                "| **total** | {} | {} |\n",
                totals.join(" | "),
                m.records
            )?;
        }
        writeln!(out, "## Provenance\n")?;
        writeln!(out, "- evcat version: {}", p.evcat_version)?;
        writeln!(out, "- Taxonomy: {}", md_escape(&p.taxonomy))?;
        if !p.taxonomy_versions.is_empty() {
            writeln!(
                out,
                "- Tags in this report made with taxonomy version(s): {}",
                md_escape(&p.taxonomy_versions.join(", "))
            )?;
        }
        writeln!(
            out,
            "- Catalogue: {} records; last import {}; last successful refresh {}",
            p.catalogue_records,
            md_escape(p.last_import.as_deref().unwrap_or("never")),
            md_escape(p.last_refresh.as_deref().unwrap_or("never"))
        )?;
        if p.saved_searches.is_empty() {
            writeln!(out, "- Saved searches: none")?;
        } else {
            writeln!(out, "- Saved searches:")?;
            for (name, query, watermark, last) in &p.saved_searches {
                writeln!(
                    out,
                    "  - {}: {} (watermark {}, last success {})",
                    markdown_code(name),
                    markdown_code(query),
                    md_escape(watermark.as_deref().unwrap_or("none")),
                    md_escape(last.as_deref().unwrap_or("never"))
                )?;
            }
        }
        Ok(())
    }
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
.summary { background: var(--head); border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.5rem 1rem; }
.summary h2 { margin-top: 0.5rem; }
.summary ul { padding-left: 1.2rem; }
.warnings { background: var(--warnbg); border-left: 4px solid var(--warn); padding: 0.5rem 1rem; }
.warnings li, .row-warning { color: var(--warn); }
.row-warning { font-weight: 600; margin-top: 0.25rem; }
.row-detail { margin-top: 0.25rem; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.5rem; vertical-align: top; text-align: left; }
th { background: var(--head); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.flagged td:first-child::after { content: " ⚠"; color: var(--warn); }
.level { display: inline-block; min-width: 1.5rem; text-align: center; border-radius: 0.75rem; background: #ddf4ff; }
.matrix-list { display: none; padding-left: 1.2rem; }
@media (max-width: 40rem) {
  body { padding: 0.5rem; font-size: 15px; }
  table.studies thead { display: none; }
  table.studies, table.studies tbody, table.studies tr, table.studies td { display: block; width: 100%; }
  table.studies tr { border: 1px solid var(--line); margin-bottom: 0.75rem; }
  table.studies td { border: none; border-bottom: 1px solid var(--head); text-align: left; }
  table.studies td::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  table.studies td.empty { display: none; }
  .matrix-table { display: none; }
  .matrix-list { display: block; }
}
@media print {
  body { max-width: none; font-size: 10pt; }
  .scroll { overflow: visible; }
  th { position: static; }
  tr, .warnings, .summary { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// A study-table cell: `class="empty"` when it has nothing to say, so that a phone's card
/// leaves the field out instead of showing "Outcomes:" with nothing after it.
fn cell(label: &str, class: &str, content: &str, empty: bool) -> String {
    let classes = match (class.is_empty(), empty) {
        (true, false) => String::new(),
        (true, true) => " class=\"empty\"".into(),
        (false, false) => format!(" class=\"{class}\""),
        (false, true) => format!(" class=\"{class} empty\""),
    };
    format!("<td data-label=\"{label}\"{classes}>{content}</td>")
}

/// The report as a standalone HTML page.
struct Html;

impl Format for Html {
    fn head(&self, r: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let p = &r.provenance;
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<p class=\"meta\">Generated {} by evcat {}. Scope: {}.</p>\n</header>\n<main>\n",
            esc(&r.title),
            esc(&r.title),
            esc(&p.generated_at),
            esc(&p.evcat_version),
            esc(&p.scope)
        )?;
        if let Some(summary) = &r.summary {
            writeln!(
                out,
                "<section class=\"summary\" aria-label=\"Summary\">\n<h2>Summary</h2>\n<ul>"
            )?;
            for line in summary_lines(summary) {
                writeln!(out, "<li>{}</li>", esc(&line))?;
            }
            writeln!(out, "</ul>")?;
            if !summary.warnings.is_empty() {
                writeln!(out, "<ul class=\"warnings\">")?;
                for w in &summary.warnings {
                    writeln!(out, "<li>\u{26a0} {}</li>", esc(w))?;
                }
                writeln!(out, "</ul>")?;
            }
            writeln!(out, "</section>")?;
        } else if !r.warnings.is_empty() {
            writeln!(
                out,
                "<section class=\"warnings\" aria-label=\"Warnings\">\n<h2>Warnings</h2>\n<ul>"
            )?;
            for w in &r.warnings {
                writeln!(out, "<li>{}</li>", esc(w))?;
            }
            writeln!(out, "</ul>\n</section>")?;
        }
        Ok(())
    }

    fn section_head(&self, s: &Section, out: &mut dyn io::Write) -> io::Result<()> {
        writeln!(out, "<section>\n<h2>{}</h2>", esc(&s.title))?;
        if let Some(i) = &s.intro {
            writeln!(out, "<p>{}</p>", esc(i))?;
        }
        if s.studies.is_empty() {
            writeln!(out, "<p>No studies.</p>\n</section>")?;
        } else {
            writeln!(
                out,
                "<div class=\"scroll\"><table class=\"studies\">\n<thead><tr><th>PMID</th><th>Design</th><th class=\"num\">Level</th><th class=\"num\">N</th><th>Outcomes</th><th>Route</th><th class=\"num\">Year</th><th>Citation</th><th>Stance</th></tr></thead>\n<tbody>"
            )?;
        }
        Ok(())
    }

    fn row(&self, row: &StudyRow, out: &mut dyn io::Write) -> io::Result<()> {
        let class = if row.warnings.is_empty() {
            ""
        } else {
            " class=\"flagged\""
        };
        let warnings: String = row
            .warnings
            .iter()
            .map(|w| format!("<div class=\"row-warning\">\u{26a0} {}</div>", esc(w)))
            .collect();
        let dose = row
            .dose
            .as_deref()
            .map(|d| format!("<div class=\"row-detail\">{}</div>", esc(d)))
            .unwrap_or_default();
        let participants = row.participants.as_deref().unwrap_or("");
        let outcomes = row.outcomes.join(", ");
        let routes = row.routes.join(", ");
        let year = row.year.map(|y| y.to_string()).unwrap_or_default();
        let cells = [
            cell(
                "PMID",
                "",
                &format!(
                    "<a href=\"https://pubmed.ncbi.nlm.nih.gov/{0}/\">{0}</a>",
                    row.pmid
                ),
                false,
            ),
            cell("Design", "", &esc(&row.design), row.design == "-"),
            cell(
                "Level",
                "num",
                &format!("<span class=\"level\">{}</span>", level_text(row.level)),
                row.level.is_none(),
            ),
            cell("N", "num", participants, participants.is_empty()),
            cell("Outcomes", "", &esc(&outcomes), outcomes.is_empty()),
            cell("Route", "", &esc(&routes), routes.is_empty()),
            cell("Year", "num", &year, year.is_empty()),
            cell(
                "Citation",
                "",
                &format!("{}{dose}{warnings}", esc(&row.citation)),
                false,
            ),
            cell("Stance", "", &esc(&row.stance), row.stance.is_empty()),
        ];
        writeln!(out, "<tr{class}>{}</tr>", cells.concat())?;
        Ok(())
    }

    fn section_end(&self, s: &Section, out: &mut dyn io::Write) -> io::Result<()> {
        if !s.studies.is_empty() {
            writeln!(out, "</tbody></table></div>\n</section>")?;
        }
        Ok(())
    }

    fn tail(&self, r: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let p = &r.provenance;
        let m = &r.matrix;
        writeln!(
            out,
            "<section>\n<h2>Condition by outcome ({} records)</h2>",
            m.records
        )?;
        if m.rows.is_empty() || m.columns.is_empty() {
            writeln!(
                out,
                "<p>No record has both a condition and an outcome tag.</p>\n</section>"
            )?;
        } else {
            // A table on a wide screen; on a phone, where even a few labelled columns overflow,
            // the same figures as a list (CSS shows one or the other).
            writeln!(
                out,
                "<div class=\"scroll matrix-table\"><table class=\"matrix\">\n<thead><tr><th>Condition \\ outcome</th>"
            )?;
            for c in &m.columns {
                write!(out, "<th class=\"num\">{}</th>", esc(c))?;
            }
            writeln!(out, "<th class=\"num\">Total</th></tr></thead>\n<tbody>")?;
            for (i, row) in m.rows.iter().enumerate() {
                write!(out, "<tr><th>{}</th>", esc(row))?;
                for n in &m.cells[i] {
                    write!(out, "<td class=\"num\">{n}</td>")?;
                }
                writeln!(out, "<td class=\"num\">{}</td></tr>", m.row_totals[i])?;
            }
            write!(out, "<tr><th>Total</th>")?;
            for n in &m.column_totals {
                write!(out, "<td class=\"num\">{n}</td>")?;
            }
            writeln!(
                out,
                "<td class=\"num\">{}</td></tr>\n</tbody></table></div>",
                m.records
            )?;
            writeln!(out, "<ul class=\"matrix-list\">")?;
            for (i, row) in m.rows.iter().enumerate() {
                let outcomes: Vec<String> = m
                    .columns
                    .iter()
                    .zip(&m.cells[i])
                    .filter(|(_, n)| **n > 0)
                    .map(|(c, n)| format!("{} {n}", esc(c)))
                    .collect();
                writeln!(
                    out,
                    "<li><strong>{}</strong> ({} records): {}</li>",
                    esc(row),
                    m.row_totals[i],
                    if outcomes.is_empty() {
                        "no outcome tagged".to_string()
                    } else {
                        outcomes.join(", ")
                    }
                )?;
            }
            writeln!(out, "</ul>\n</section>")?;
        }
        writeln!(out, "<section>\n<h2>Provenance</h2>\n<ul>")?;
        writeln!(out, "<li>evcat version: {}</li>", esc(&p.evcat_version))?;
        writeln!(out, "<li>Taxonomy: {}</li>", esc(&p.taxonomy))?;
        if !p.taxonomy_versions.is_empty() {
            writeln!(
                out,
                "<li>Tags in this report made with taxonomy version(s): {}</li>",
                esc(&p.taxonomy_versions.join(", "))
            )?;
        }
        writeln!(
            out,
            "<li>Catalogue: {} records; last import {}; last successful refresh {}</li>",
            p.catalogue_records,
            esc(p.last_import.as_deref().unwrap_or("never")),
            esc(p.last_refresh.as_deref().unwrap_or("never"))
        )?;
        if p.saved_searches.is_empty() {
            writeln!(out, "<li>Saved searches: none</li>")?;
        } else {
            writeln!(out, "<li>Saved searches:<ul>")?;
            for (name, query, watermark, last) in &p.saved_searches {
                writeln!(
                    out,
                    "<li><code>{}</code>: <code>{}</code> (watermark {}, last success {})</li>",
                    esc(name),
                    esc(query),
                    esc(watermark.as_deref().unwrap_or("none")),
                    esc(last.as_deref().unwrap_or("never"))
                )?;
            }
            writeln!(out, "</ul></li>")?;
        }
        writeln!(out, "</ul>\n</section>\n</main>\n</body>\n</html>")?;
        Ok(())
    }
}

/// Studies grouped by condition label as they come, in taxonomy order (records without a
/// condition last), each group strongest first when finished: what a report per condition
/// holds of each record while it is built (its order, once per condition).
pub struct ConditionSections {
    order: Vec<(String, String)>,
    groups: BTreeMap<usize, Vec<StudyOrder>>,
}

impl ConditionSections {
    /// No study yet, for `taxonomy`'s conditions.
    pub fn new(taxonomy: &Taxonomy) -> ConditionSections {
        ConditionSections {
            order: taxonomy
                .tags_of("condition")
                .map(|t| (t.id.clone(), t.label.clone()))
                .collect(),
            groups: BTreeMap::new(),
        }
    }

    /// Adds a study with its condition tags (ids).
    pub fn add(&mut self, conditions: &[&str], study: StudyOrder) {
        if conditions.is_empty() {
            self.groups.entry(usize::MAX).or_default().push(study);
            return;
        }
        for c in conditions {
            let i = self
                .order
                .iter()
                .position(|(id, _)| id == c)
                .unwrap_or(usize::MAX - 1);
            self.groups.entry(i).or_default().push(study);
        }
    }

    /// The sections, in taxonomy order, each strongest first.
    pub fn finish(self) -> Vec<Section> {
        let order = self.order;
        self.groups
            .into_iter()
            .map(|(i, mut group)| {
                group.sort_by(StudyOrder::cmp);
                let title = match i {
                    usize::MAX => "No condition tag".to_string(),
                    i if i < order.len() => order[i].1.clone(),
                    _ => "Other conditions".to_string(),
                };
                Section {
                    title: format!("{title}: {}", studies(group.len())),
                    intro: None,
                    studies: group.into_iter().map(|s| s.pmid).collect(),
                }
            })
            .collect()
    }
}
