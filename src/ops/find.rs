//! `find`: search the catalogue (full text, ranked by BM25) with filters checked by
//! [`super::select::check_selection`].

use super::OpsError;
use super::select::{Selection, search_error};
use crate::store::Store;
use crate::store::search::{FindHit, find};

/// A search.
#[derive(Debug, Clone, Default)]
pub struct FindOptions {
    /// The query (may be empty: every record) and the filters, already checked.
    pub selection: Selection,
    /// At most this many hits.
    pub limit: usize,
}

/// The hits, best first (serialise as `evcat find --format json`).
pub fn find_records(store: &Store, options: &FindOptions) -> Result<Vec<FindHit>, OpsError> {
    let selection = &options.selection;
    find(store, &selection.query, &selection.filters, options.limit)
        .map_err(|e| search_error(&selection.query, e))
}
