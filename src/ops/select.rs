//! Which records an export or a report covers: a search (query and filters), a claim's linked
//! evidence, or both (the claim's evidence that matches the search).

use crate::claims::record::{ClaimError, require};
use crate::export::{ExportRecord, ExportStance};
use crate::store::Store;
use crate::store::articles::load_article;
use crate::store::search::{FindError, FindFilters, QueryError, find_pmids};
use crate::store::tags::record_tags;

use super::OpsError;

/// A selection of records.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The query (may be empty).
    pub query: String,
    /// The filters, already checked.
    pub filters: FindFilters,
    /// Whether the user narrowed the records at all (a query or any filter).
    pub narrowed: bool,
    /// A claim whose linked evidence is selected.
    pub claim: Option<String>,
}

/// The PMIDs selected, in order, with the claim stance of each when a claim is given.
pub fn select(
    store: &Store,
    selection: &Selection,
) -> Result<Vec<(u64, Option<ExportStance>)>, OpsError> {
    let filtered = if selection.claim.is_none() || selection.narrowed {
        Some(
            find_pmids(store, &selection.query, &selection.filters)
                .map_err(|e| search_error(&selection.query, e))?,
        )
    } else {
        None
    };
    let Some(id) = &selection.claim else {
        return Ok(filtered
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p, None))
            .collect());
    };
    let claim = require(store, id).map_err(|e| match e {
        ClaimError::Store(e) => OpsError::Store(e),
        other => OpsError::NotFound(other.to_string()),
    })?;
    let allowed: Option<std::collections::HashSet<u64>> = filtered.map(|v| v.into_iter().collect());
    Ok(claim
        .links
        .iter()
        .filter(|l| allowed.as_ref().is_none_or(|a| a.contains(&l.pmid)))
        .map(|l| {
            (
                l.pmid,
                Some(ExportStance {
                    claim: claim.id.clone(),
                    stance: l.stance.clone(),
                    note: l.note.clone(),
                }),
            )
        })
        .collect())
}

/// One record with its tags, for export and reports.
pub fn export_record(
    store: &Store,
    pmid: u64,
    stance: Option<ExportStance>,
) -> Result<Option<ExportRecord>, OpsError> {
    let Some(stored) = load_article(store, pmid)? else {
        return Ok(None);
    };
    let tags = record_tags(store, pmid)?;
    Ok(Some(ExportRecord {
        stored,
        tags,
        stance,
    }))
}

/// A search error in words: a bad query or filter is a usage error naming the query.
pub fn search_error(query: &str, e: FindError) -> OpsError {
    match e {
        FindError::Query(q @ QueryError::FilterTooLong { .. }) => OpsError::Usage(q.to_string()),
        FindError::Query(q) => OpsError::Usage(format!(
            "query {:?}: {q}",
            crate::output::text::truncate(query, 80)
        )),
        FindError::Store(e) => OpsError::Store(e),
    }
}
