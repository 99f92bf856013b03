//! `find`: search the catalogue (full text, ranked by BM25) with filters, and the checks of the
//! tag filters that `find`, `export` and `report` share.

use super::select::search_error;
use super::{Context, OpsError};
use crate::store::Store;
use crate::store::search::{FindFilters, FindHit, find};

/// A search.
#[derive(Debug, Clone, Default)]
pub struct FindOptions {
    /// The query (may be empty: every record).
    pub query: String,
    /// The filters, already checked.
    pub filters: FindFilters,
    /// At most this many hits.
    pub limit: usize,
}

/// The hits, best first (serialise as `evcat find --format json`).
pub fn find_records(store: &Store, options: &FindOptions) -> Result<Vec<FindHit>, OpsError> {
    find(store, &options.query, &options.filters, options.limit)
        .map_err(|e| search_error(&options.query, e))
}

/// Checks tag filters `(dimension, tag)` against the active taxonomy (the taxonomy is read only
/// when there are any).
pub fn check_tag_filters(
    ctx: &Context,
    wanted: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, OpsError> {
    if wanted.is_empty() {
        return Ok(wanted);
    }
    let taxonomy = ctx.taxonomy()?;
    for (d, v) in &wanted {
        if taxonomy.dimension(d).is_none() {
            return Err(OpsError::Usage(format!("unknown dimension {d:?}")));
        }
        if taxonomy.tag(d, v).is_none() {
            let known: Vec<&str> = taxonomy.tags_of(d).map(|t| t.id.as_str()).collect();
            return Err(OpsError::Usage(format!(
                "unknown {d} tag {v:?}; known: {}",
                known.join(", ")
            )));
        }
    }
    Ok(wanted)
}
