//! `saved`: add, list and remove the saved searches that `refresh` keeps up to date.

use super::OpsError;
use crate::store::Store;
use crate::store::saved::{SavedError, SavedSearch, add_saved, list_saved, remove_saved};

/// A saved-search error as an operation's: an unknown name is not found, a bad name or query
/// is a usage error.
pub(crate) fn saved_error(e: SavedError) -> OpsError {
    match e {
        SavedError::Store(s) => OpsError::Store(s),
        SavedError::Unknown(_) => OpsError::NotFound(e.to_string()),
        other => OpsError::Usage(other.to_string()),
    }
}

/// Saves a PubMed search under a name; returns it as saved.
pub fn add(store: &Store, name: &str, query: &str) -> Result<SavedSearch, OpsError> {
    add_saved(store, name, query).map_err(saved_error)
}

/// Removes a saved search (its run history stays).
pub fn remove(store: &Store, name: &str) -> Result<(), OpsError> {
    remove_saved(store, name).map_err(saved_error)
}

/// Every saved search, by name (serialises as `evcat saved list --format json`).
pub fn list(store: &Store) -> Result<Vec<SavedSearch>, OpsError> {
    list_saved(store).map_err(saved_error)
}
