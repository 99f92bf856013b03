//! How a command ends: the exit codes (documented in README), errors that carry their own code,
//! and the one mapping from any error to its code ([`exit_code_of`]), including the busy
//! catalogue (exit 4, with what holds it).

use crate::ops::context::OpenError;
use crate::ops::{Context, OpsError};
use crate::store::{Store, StoreError};

/// Exit codes (documented in README).
pub mod exit {
    /// Everything worked.
    pub const SUCCESS: u8 = 0;
    /// The command failed; nothing (more) was changed.
    pub const FAILURE: u8 = 1;
    /// Bad arguments.
    pub const USAGE: u8 = 2;
    /// Some inputs (files, searches) failed and the others succeeded.
    pub const PARTIAL: u8 = 3;
    /// Another process holds the catalogue: the refresh lock (fetch, refresh), or SQLite's
    /// write lock for longer than the busy timeout.
    pub const LOCKED: u8 = 4;
    /// The requested record or item is not in the catalogue.
    pub const NOT_FOUND: u8 = 5;
}

/// An error that carries its own exit code.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ExitError {
    /// Exit code.
    pub code: u8,
    /// What to tell the user.
    pub message: String,
}

impl ExitError {
    /// A new error with an exit code.
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        ExitError {
            code,
            message: message.into(),
        }
    }
}

/// The exit code for an error that ended a command: its own ([`ExitError`]), 4 when the
/// catalogue stayed locked by another process, else 1.
pub fn exit_code_of(err: &anyhow::Error) -> u8 {
    if let Some(e) = err.downcast_ref::<ExitError>() {
        return e.code;
    }
    let ops_error = err
        .downcast_ref::<OpsError>()
        .or(match err.downcast_ref::<OpenError>() {
            Some(OpenError::Setup(e)) => Some(e),
            _ => None,
        });
    match ops_error {
        Some(OpsError::Usage(_)) => return exit::USAGE,
        Some(OpsError::NotFound(_)) => return exit::NOT_FOUND,
        _ => {}
    }
    if busy_in(err).is_some() {
        return exit::LOCKED;
    }
    exit::FAILURE
}

/// The busy error somewhere in `err`'s chain, whether it travelled as a store error or inside
/// an operation's error.
fn busy_in(err: &anyhow::Error) -> Option<&crate::store::BusyError> {
    err.chain().find_map(|c| {
        let store = c
            .downcast_ref::<StoreError>()
            .or_else(|| match c.downcast_ref::<OpsError>() {
                Some(OpsError::Store(s)) => Some(s),
                _ => None,
            });
        match store {
            Some(StoreError::Busy(b)) => Some(&**b),
            _ => None,
        }
    })
}

/// The exit code for a store error: 4 when the catalogue stayed locked, else 1.
pub fn store_exit_code(e: &StoreError) -> u8 {
    if e.is_busy() {
        exit::LOCKED
    } else {
        exit::FAILURE
    }
}

/// A write that timed out waiting for the catalogue's lock is reported with what holds it.
pub(super) fn explain_busy(err: anyhow::Error, ctx: &Context) -> anyhow::Error {
    let busy_without_holder = busy_in(&err).is_some_and(|b| b.holder.is_none())
        || err.downcast_ref::<ExitError>().is_some_and(|e| {
            e.code == exit::LOCKED && e.message.contains("the catalogue is busy: another process")
        });
    let (true, Ok(path), Ok(settings)) = (busy_without_holder, ctx.db_path(), ctx.settings())
    else {
        return err;
    };
    let waited = std::time::Duration::from_secs(settings.busy_timeout_secs.value);
    let explained = Store::busy_error_at(&path, waited);
    anyhow::Error::new(explained).context(path.display().to_string())
}

/// An operation's error at the command edge. A catalogue error is passed on as itself (an
/// [`OpsError::Store`] hides it from the error chain), so that [`exit_code_of`] still exits 4
/// when the catalogue stayed locked and the busy message names the holder.
pub fn ops_error(e: OpsError) -> anyhow::Error {
    match e {
        OpsError::Store(s) => anyhow::Error::new(s),
        other => anyhow::Error::new(other),
    }
}
