//! The errors of operations: what went wrong, in words a user can act on, and of which kind, so
//! that a front end can tell a usage error from a missing record from a failure (the CLI maps
//! the kind to its exit code in one place, `cli::exit_code_of`).

use crate::store::StoreError;

/// Why an operation failed.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// The request itself is wrong (an argument, a query, a setting): fix it and try again.
    #[error("{0}")]
    Usage(String),
    /// The record or item asked for is not in the catalogue.
    #[error("{0}")]
    NotFound(String),
    /// The catalogue failed (busy, damaged, full disk, ...).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else that stopped the operation.
    #[error("{0}")]
    Failed(String),
}

impl OpsError {
    /// Whether another process kept the catalogue locked.
    pub fn is_busy(&self) -> bool {
        matches!(self, OpsError::Store(e) if e.is_busy())
    }
}
