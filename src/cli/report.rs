//! `evcat report`: a self-contained evidence report, as Markdown and as a standalone HTML page.

use crate::ops::Context;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use super::export::{export_record, select};
use super::find::SelectionArgs;
use super::{ExitError, exit};
use crate::claims::assess::claims_citing;
use crate::claims::record::require;
use crate::export::cite::{CitationStyle, format_references};
use crate::export::report::{
    Report, Section, by_condition, html, markdown, provenance, sort_rows, study_row,
};
use crate::output::file::write_file;
use crate::store::tags::Matrix;
use crate::view::short_citation;

/// Arguments of `evcat report`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  evcat report                                   # every record, per condition\n  evcat report --intervention ozone -o reports/ozone\n  evcat report --claim pp-ozone -o reports/pp --style ama\n\nWrites DIR/NAME.md and DIR/NAME.html (a standalone page: inline CSS, readable on a phone\nand printed)."
)]
pub struct ReportArgs {
    /// Query and filters selecting the records (default: all).
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Report on one claim's evidence instead of per condition.
    #[arg(long, value_name = "ID")]
    pub claim: Option<String>,
    /// Output directory.
    #[arg(long, short, default_value = "evcat-report", value_name = "DIR")]
    pub output_dir: PathBuf,
    /// File name (without extension).
    #[arg(long, default_value = "report")]
    pub name: String,
    /// Citation style of the study tables.
    #[arg(long, value_enum, default_value = "vancouver")]
    pub style: CitationStyle,
    /// Report title.
    #[arg(long)]
    pub title: Option<String>,
}

/// Runs `evcat report`.
pub fn run(args: &ReportArgs, ctx: &Context) -> anyhow::Result<u8> {
    let taxonomy = ctx.taxonomy()?;
    let store = ctx.open_store_read()?;
    let selected = select(&store, &args.selection, args.claim.as_deref(), ctx)?;
    let conditions: Vec<String> = taxonomy
        .tags_of("condition")
        .map(|t| t.id.clone())
        .collect();
    let outcomes: Vec<String> = taxonomy.tags_of("outcome").map(|t| t.id.clone()).collect();
    let mut matrix = Matrix {
        design: None,
        rows: conditions.clone(),
        columns: outcomes.clone(),
        cells: vec![vec![0; outcomes.len()]; conditions.len()],
        row_totals: vec![0; conditions.len()],
        column_totals: vec![0; outcomes.len()],
        records: 0,
    };
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for (pmid, stance) in selected {
        let Some(rec) = export_record(&store, pmid, stance)? else {
            continue;
        };
        if !rec.stored.has_data {
            warnings.push(format!(
                "PMID {pmid} was deleted from PubMed and has no data in the catalogue"
            ));
            continue;
        }
        let a = &rec.stored.article;
        let citation = format_references(std::slice::from_ref(a), args.style)
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_else(|| short_citation(a));
        let stance = match &rec.stance {
            Some(s) => s.stance.clone(),
            None => claims_citing(store.conn(), pmid)?
                .into_iter()
                .map(|(c, s)| format!("{c}: {s}"))
                .collect::<Vec<_>>()
                .join("; "),
        };
        let row = study_row(store.conn(), &rec, citation, stance)?;
        // The row already holds the record's warnings: no second lookup.
        warnings.extend(row.warnings.iter().cloned());
        let conds: Vec<String> = rec
            .tags_of("condition")
            .into_iter()
            .map(str::to_string)
            .collect();
        let outs: BTreeSet<&str> = rec.tags_of("outcome").into_iter().collect();
        if !rec.stored.deleted {
            matrix.records += 1;
            for (i, c) in conditions.iter().enumerate() {
                if conds.contains(c) {
                    matrix.row_totals[i] += 1;
                    for (j, o) in outcomes.iter().enumerate() {
                        if outs.contains(o.as_str()) {
                            matrix.cells[i][j] += 1;
                        }
                    }
                }
            }
            for (j, o) in outcomes.iter().enumerate() {
                if outs.contains(o.as_str()) {
                    matrix.column_totals[j] += 1;
                }
            }
        }
        rows.push((conds, row));
    }
    let (title, sections, scope) = match &args.claim {
        Some(id) => {
            let claim = require(store.conn(), id)
                .map_err(|e| ExitError::new(exit::NOT_FOUND, e.to_string()))?;
            let mut study_rows: Vec<_> = rows.into_iter().map(|(_, r)| r).collect();
            sort_rows(&mut study_rows);
            let verdict = match &claim.verdict {
                Some(v) => format!(
                    "Verdict: {v} ({}, {}): {}",
                    claim.verdict_by.as_deref().unwrap_or("?"),
                    claim.verdict_at.as_deref().unwrap_or("?"),
                    claim.verdict_note.as_deref().unwrap_or("")
                ),
                None => "Verdict: unreviewed".into(),
            };
            let intro = format!(
                "\u{201c}{}\u{201d} {}{}",
                claim.text,
                claim
                    .source
                    .as_deref()
                    .map(|s| format!("(source: {s}) "))
                    .unwrap_or_default(),
                verdict
            );
            let section = Section {
                title: format!("Claim {}: {} linked studies", claim.id, study_rows.len()),
                intro: Some(intro),
                rows: study_rows,
            };
            (
                args.title
                    .clone()
                    .unwrap_or_else(|| format!("Evidence report: claim {}", claim.id)),
                vec![section],
                format!("evidence linked to claim {}", claim.id),
            )
        }
        None => {
            let scope = if super::export::has_selection(&args.selection) {
                "records matching the selection".to_string()
            } else {
                "all records".to_string()
            };
            (
                args.title
                    .clone()
                    .unwrap_or_else(|| format!("Evidence report: {}", taxonomy.name)),
                by_condition(&taxonomy, rows),
                scope,
            )
        }
    };
    warnings.sort();
    warnings.dedup();
    let versions: Vec<String> = store
        .conn()
        .prepare("SELECT DISTINCT taxonomy_version FROM tag_evidence ORDER BY 1")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let report = Report {
        title,
        sections,
        matrix,
        warnings,
        provenance: provenance(store.conn(), &taxonomy, &scope, versions)?,
    };
    std::fs::create_dir_all(&args.output_dir).map_err(|e| {
        ExitError::new(
            exit::FAILURE,
            format!("{}: cannot create: {e}", args.output_dir.display()),
        )
    })?;
    let md_path = args.output_dir.join(format!("{}.md", args.name));
    let html_path = args.output_dir.join(format!("{}.html", args.name));
    write_file(&md_path, markdown(&report).as_bytes())?;
    write_file(&html_path, html(&report).as_bytes())?;
    if !ctx.quiet {
        writeln!(
            std::io::stdout(),
            "wrote {} and {}",
            md_path.display(),
            html_path.display()
        )?;
    }
    Ok(exit::SUCCESS)
}
