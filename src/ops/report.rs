//! `report`: an evidence report over selected records (per condition) or over one claim's
//! linked evidence, ready to render as Markdown or HTML.

use crate::claims::record::{ClaimError, require};
use crate::export::cite::{CitationStyle, reference};
use crate::export::report::{
    Report, Section, by_condition, claim_summary, provenance, readable_matrix, sort_rows, studies,
    study_row,
};
use crate::store::Store;
use crate::store::claims::claims_citing;
use crate::store::stats::catalogue_history;
use crate::store::tags::{tag_matrix_of, taxonomy_versions};

use super::select::{Selection, export_record, select};
use super::{Context, OpsError};

/// What to report on.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The records (a search, a claim's evidence, or both).
    pub selection: Selection,
    /// Citation style of the study tables.
    pub style: CitationStyle,
    /// Report title (default: from the claim or the taxonomy).
    pub title: Option<String>,
}

/// Builds the report.
pub fn build_report(
    ctx: &Context,
    store: &Store,
    options: &ReportOptions,
) -> Result<Report, OpsError> {
    let taxonomy = ctx.taxonomy()?;
    let selected = select(store, &options.selection)?;
    let conditions: Vec<String> = taxonomy
        .tags_of("condition")
        .map(|t| t.id.clone())
        .collect();
    let outcomes: Vec<String> = taxonomy.tags_of("outcome").map(|t| t.id.clone()).collect();
    let pmids: Vec<u64> = selected.iter().map(|(p, _)| *p).collect();
    let matrix = readable_matrix(
        tag_matrix_of(
            store,
            "condition",
            &conditions,
            "outcome",
            &outcomes,
            None,
            Some(&pmids),
        )?,
        &taxonomy,
    );
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for (pmid, stance) in selected {
        let Some(rec) = export_record(store, pmid, stance)? else {
            continue;
        };
        if !rec.stored.has_data {
            warnings.push(format!(
                "PMID {pmid} was deleted from PubMed and has no data in the catalogue"
            ));
            continue;
        }
        let a = &rec.stored.article;
        let citation = reference(a, options.style);
        let stance = match &rec.stance {
            Some(s) => s.stance.clone(),
            None => claims_citing(store, pmid)?
                .into_iter()
                .map(|(c, s)| format!("{c}: {s}"))
                .collect::<Vec<_>>()
                .join("; "),
        };
        let row = study_row(&rec, &taxonomy, citation, stance);
        // The row already holds the record's warnings: no second lookup.
        warnings.extend(row.warnings.iter().cloned());
        let conds: Vec<String> = rec
            .tags_of("condition")
            .into_iter()
            .map(str::to_string)
            .collect();
        rows.push((conds, row));
    }
    let (title, sections, scope, summary) = match &options.selection.claim {
        Some(id) => {
            let claim = require(store, id).map_err(|e| match e {
                ClaimError::Store(e) => OpsError::Store(e),
                other => OpsError::NotFound(other.to_string()),
            })?;
            let mut study_rows: Vec<_> = rows.into_iter().map(|(_, r)| r).collect();
            sort_rows(&mut study_rows);
            warnings.sort();
            warnings.dedup();
            let certainty = crate::claims::assess::assess(
                store,
                &claim,
                crate::export::cite::CitationStyle::default(),
                None,
            )?
            .certainty;
            let summary = claim_summary(&claim, &study_rows, &warnings, Some(certainty));
            let section = Section {
                title: format!(
                    "Studies linked to claim {}: {}",
                    claim.id,
                    studies(study_rows.len())
                ),
                intro: None,
                rows: study_rows,
            };
            (
                options
                    .title
                    .clone()
                    .unwrap_or_else(|| format!("Evidence report: claim {}", claim.id)),
                vec![section],
                format!("evidence linked to claim {}", claim.id),
                Some(summary),
            )
        }
        None => {
            let scope = if options.selection.narrowed {
                "records matching the selection".to_string()
            } else {
                "all records".to_string()
            };
            (
                options
                    .title
                    .clone()
                    .unwrap_or_else(|| format!("Evidence report: {}", taxonomy.name())),
                by_condition(&taxonomy, rows),
                scope,
                None,
            )
        }
    };
    warnings.sort();
    warnings.dedup();
    let versions = taxonomy_versions(store)?;
    Ok(Report {
        title,
        summary,
        sections,
        matrix,
        warnings,
        provenance: provenance(catalogue_history(store)?, &taxonomy, &scope, versions),
    })
}
