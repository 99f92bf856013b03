//! `report`: an evidence report over selected records (per condition) or over one claim's
//! linked evidence, ready to render as Markdown or HTML.
//!
//! The report is built in one pass over the selected records that keeps, per record, only what
//! orders and groups it (its PMID, level, year and conditions) and its warnings; each study's row
//! is made again when a renderer writes it ([`ReportRows`]). Both passes read one snapshot of
//! the catalogue, so memory stays a few bytes a record at any size and the rows written are
//! the rows ordered.

use std::collections::HashMap;
use std::io;

use crate::claims::record::{ClaimError, require};
use crate::export::ExportStance;
use crate::export::cite::{CitationStyle, reference};
use crate::export::report::{
    ConditionSections, Report, Section, StudyOrder, StudyRow, StudyRows, claim_summary, provenance,
    readable_matrix, sort_rows, studies, study_row,
};
use crate::store::claims::claims_citing;
use crate::store::counts::catalogue_counts;
use crate::store::stats::catalogue_history;
use crate::store::tags::{tag_matrix_of, taxonomy_versions};
use crate::store::{ReadSnapshot, Store};
use crate::tagging::Taxonomy;

use super::select::{Selected, Selection, export_record, select};
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

/// A report ready to write: its title, summary, sections (their studies' PMIDs), matrix,
/// warnings and provenance, and where its rows come from when it is written. It holds a read
/// snapshot of the catalogue until it is dropped.
pub struct BuiltReport<'a> {
    /// The report.
    pub report: Report,
    /// Its rows, made as [`crate::export::report::write_report`] reaches them.
    pub rows: ReportRows<'a>,
    _snapshot: ReadSnapshot<'a>,
}

/// Makes each study's row of a report from the catalogue (the snapshot the report was built
/// on).
pub struct ReportRows<'a> {
    store: &'a Store,
    taxonomy: Taxonomy,
    style: CitationStyle,
    /// The claim's stance on each of its linked records (claim reports).
    stances: HashMap<u64, ExportStance>,
}

/// A selected record as the report sees it.
enum Studied {
    /// Its row and condition tags.
    Row(Box<StudyRow>, Vec<String>),
    /// Deleted from PubMed: no data to show.
    NoData,
}

impl ReportRows<'_> {
    /// Record `pmid` as the report shows it; `whole: false` leaves the row's citation and
    /// stance empty (what orders and groups a record does not need them, and the citation is
    /// the costliest part of a row).
    fn studied(&self, pmid: u64, whole: bool) -> Result<Option<Studied>, OpsError> {
        let Some(rec) = export_record(self.store, pmid, self.stances.get(&pmid).cloned())? else {
            return Ok(None);
        };
        if !rec.stored.has_data {
            return Ok(Some(Studied::NoData));
        }
        let (citation, stance) = if whole {
            let stance = match &rec.stance {
                Some(s) => s.stance.clone(),
                None => claims_citing(self.store, pmid)?
                    .into_iter()
                    .map(|(c, s)| format!("{c}: {s}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            (reference(&rec.stored.article, self.style), stance)
        } else {
            (String::new(), String::new())
        };
        let row = study_row(&rec, &self.taxonomy, citation, stance);
        let conditions = rec
            .tags_of("condition")
            .into_iter()
            .map(str::to_string)
            .collect();
        Ok(Some(Studied::Row(Box::new(row), conditions)))
    }
}

impl StudyRows for ReportRows<'_> {
    fn study_row(&mut self, pmid: u64) -> io::Result<StudyRow> {
        match self.studied(pmid, true) {
            Ok(Some(Studied::Row(row, _))) => Ok(*row),
            Ok(_) => Err(io::Error::other(format!(
                "PMID {pmid} has no data in the catalogue any more"
            ))),
            Err(e) => Err(io::Error::other(e.to_string())),
        }
    }
}

/// Builds the report.
pub fn build_report<'a>(
    ctx: &Context,
    store: &'a Store,
    options: &ReportOptions,
) -> Result<BuiltReport<'a>, OpsError> {
    let snapshot = store.read_snapshot()?;
    let taxonomy = ctx.taxonomy()?;
    // (PMIDs, and the claim's stances aside: a record costs its PMID while the report is built.)
    let Selected { pmids, stances } = select(store, &options.selection)?;
    let conditions: Vec<String> = taxonomy
        .tags_of("condition")
        .map(|t| t.id.clone())
        .collect();
    let outcomes: Vec<String> = taxonomy.tags_of("outcome").map(|t| t.id.clone()).collect();
    let every_record = options.selection.claim.is_none() && !options.selection.narrowed;
    // (Every record: the counts the catalogue keeps hold its matrix, as `summary` reads it.)
    let kept = if every_record {
        catalogue_counts(store)?.map(|c| c.matrix(&conditions, &outcomes, None, false))
    } else {
        None
    };
    let matrix = match kept {
        Some(matrix) => matrix,
        None => tag_matrix_of(
            store,
            "condition",
            &conditions,
            "outcome",
            &outcomes,
            None,
            // (Every record: no list to match against.)
            (!every_record).then_some(pmids.as_slice()),
        )?,
    };
    let matrix = readable_matrix(matrix, &taxonomy);
    let rows = ReportRows {
        store,
        taxonomy: taxonomy.clone(),
        style: options.style,
        stances,
    };
    let claim_report = options.selection.claim.is_some();
    // Per record: what orders and groups it (claim reports, whose records are the claim's
    // links, keep whole rows for the summary).
    let mut by_condition = ConditionSections::new(&taxonomy);
    let mut claim_rows: Vec<StudyRow> = Vec::new();
    let mut warnings = Vec::new();
    for pmid in pmids {
        // (Claim reports keep whole rows: the summary describes them.)
        match rows.studied(pmid, claim_report)? {
            None => continue,
            Some(Studied::NoData) => warnings.push(format!(
                "PMID {pmid} was deleted from PubMed and has no data in the catalogue"
            )),
            Some(Studied::Row(row, conditions)) => {
                // The row already holds the record's warnings: no second lookup.
                warnings.extend(row.warnings.iter().cloned());
                if claim_report {
                    claim_rows.push(*row);
                } else {
                    let conditions: Vec<&str> = conditions.iter().map(String::as_str).collect();
                    by_condition.add(&conditions, StudyOrder::of(&row));
                }
            }
        }
    }
    let (title, sections, scope, summary) = match &options.selection.claim {
        Some(id) => {
            let claim = require(store, id).map_err(|e| match e {
                ClaimError::Store(e) => OpsError::Store(e),
                other => OpsError::NotFound(other.to_string()),
            })?;
            sort_rows(&mut claim_rows);
            warnings.sort();
            warnings.dedup();
            let certainty = crate::claims::assess::assess(
                store,
                &claim,
                crate::export::cite::CitationStyle::default(),
                None,
            )?
            .certainty;
            let summary = claim_summary(&claim, &claim_rows, &warnings, Some(certainty));
            let section = Section {
                title: format!(
                    "Studies linked to claim {}: {}",
                    claim.id,
                    studies(claim_rows.len())
                ),
                intro: None,
                studies: claim_rows.iter().map(|r| r.pmid).collect(),
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
                by_condition.finish(),
                scope,
                None,
            )
        }
    };
    warnings.sort();
    warnings.dedup();
    let versions = taxonomy_versions(store)?;
    Ok(BuiltReport {
        report: Report {
            title,
            summary,
            sections,
            matrix,
            warnings,
            provenance: provenance(catalogue_history(store)?, &taxonomy, &scope, versions),
        },
        rows,
        _snapshot: snapshot,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::report::write_report;
    use crate::ops::context::ContextOptions;
    use crate::store::import::import_stream;

    #[test]
    fn the_rows_written_are_those_of_the_catalogue_the_report_was_built_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalogue.sqlite");
        let mut writer = Store::open(&path).unwrap();
        let ozone = include_str!("../../fixtures/ozone-back-pain.xml");
        import_stream(&mut writer, ozone.as_bytes(), "test", None, &mut |_| {}).unwrap();
        let ctx = Context::new(ContextOptions {
            db: Some(path),
            quiet: true,
            ..ContextOptions::default()
        });
        let reader = ctx.open_store_read().unwrap();
        let options = ReportOptions {
            selection: Selection::default(),
            style: CitationStyle::default(),
            title: None,
        };
        let mut built = build_report(&ctx, &reader, &options).unwrap();
        let row = |md: &str| {
            md.lines()
                .find(|l| l.starts_with("| 20188591 "))
                .map(str::to_string)
        };
        // Another process deletes one of the report's records before the rows are written.
        let deletion = include_str!("../../fixtures/delete-citation.xml");
        import_stream(&mut writer, deletion.as_bytes(), "test", None, &mut |_| {}).unwrap();
        let (mut md, mut page) = (Vec::new(), Vec::new());
        write_report(&built.report, &mut built.rows, &mut md, &mut page).unwrap();
        let written = row(&String::from_utf8(md).unwrap()).expect("the record's row");
        assert!(
            !written.contains("DELETED"),
            "as the report saw it: {written}"
        );
        assert!(!String::from_utf8(page).unwrap().contains("DELETED"));
        // A report built now warns of the deletion, in its warnings and in the row.
        drop(built);
        let mut built = build_report(&ctx, &reader, &options).unwrap();
        assert!(
            built
                .report
                .warnings
                .iter()
                .any(|w| w.contains("PMID 20188591 was DELETED")),
            "{:?}",
            built.report.warnings
        );
        let (mut md, mut page) = (Vec::new(), Vec::new());
        write_report(&built.report, &mut built.rows, &mut md, &mut page).unwrap();
        assert!(
            row(&String::from_utf8(md).unwrap())
                .unwrap()
                .contains("DELETED")
        );
    }
}
