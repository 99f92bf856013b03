//! `runs`: the log of fetch and refresh runs, newest first.

use super::OpsError;
use crate::store::Store;
use crate::store::saved::{Run, get_saved, list_runs};

/// Which runs to list.
#[derive(Debug, Clone, Default)]
pub struct RunsOptions {
    /// Only runs of this saved search.
    pub search: Option<String>,
    /// At most this many runs.
    pub limit: usize,
}

/// The runs asked for, newest first (serialise as `evcat runs --format json`). A name that is
/// neither a saved search nor in the run log (a removed search keeps its runs) is not found.
pub fn runs(store: &Store, options: &RunsOptions) -> Result<Vec<Run>, OpsError> {
    let runs = list_runs(store, options.search.as_deref(), options.limit)?;
    if let Some(name) = &options.search
        && runs.is_empty()
        && options.limit > 0
        && get_saved(store, name)
            .map_err(super::saved::saved_error)?
            .is_none()
    {
        return Err(OpsError::NotFound(format!(
            "no saved search named {name:?} and no runs of one (see `evcat saved list`)"
        )));
    }
    Ok(runs)
}
