//! `runs`: the log of fetch and refresh runs, newest first.

use super::OpsError;
use crate::store::Store;
use crate::store::saved::{Run, list_runs};

/// Which runs to list.
#[derive(Debug, Clone, Default)]
pub struct RunsOptions {
    /// Only runs of this saved search.
    pub search: Option<String>,
    /// At most this many runs.
    pub limit: usize,
}

/// The runs asked for, newest first (serialise as `evcat runs --format json`).
pub fn runs(store: &Store, options: &RunsOptions) -> Result<Vec<Run>, OpsError> {
    Ok(list_runs(store, options.search.as_deref(), options.limit)?)
}
