//! `find`: search the catalogue (full text, ranked by BM25) with filters checked by
//! [`super::select::check_selection`].

use super::OpsError;
use super::select::{Selection, search_error};
use crate::store::Store;
use crate::store::search::{FindHit, count, find};

/// A search.
#[derive(Debug, Clone, Default)]
pub struct FindOptions {
    /// The query (may be empty: every record) and the filters, already checked.
    pub selection: Selection,
    /// At most this many hits.
    pub limit: usize,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct Found {
    /// The first hits, best first (serialise as `evcat find --format json`).
    pub hits: Vec<FindHit>,
    /// How many records match in all (at least `hits.len()`).
    pub total: u64,
}

/// The hits, best first, and how many match in all. `--limit 0` is a usage error.
pub fn find_records(store: &Store, options: &FindOptions) -> Result<Found, OpsError> {
    if options.limit == 0 {
        return Err(OpsError::Usage(
            "--limit 0 shows nothing: give 1 or more (the default is 20)".into(),
        ));
    }
    let selection = &options.selection;
    let error = |e| search_error(&selection.query, e);
    let hits = find(store, &selection.query, &selection.filters, options.limit).map_err(error)?;
    let total = if hits.len() < options.limit {
        hits.len() as u64
    } else {
        count(store, &selection.query, &selection.filters).map_err(error)?
    };
    Ok(Found { hits, total })
}
