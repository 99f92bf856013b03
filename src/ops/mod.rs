//! The use cases, shared by every front end (cargo's `ops` is the model): each is one public
//! function that takes the [`Context`] and typed options and returns a typed result that
//! serialises to the documented JSON. Front ends (`cli/`, `web/`) parse input, call one
//! operation and render its result; they hold no behaviour of their own.
//!
//! - [`cache`]: answers a long-running front end keeps for one generation of the catalogue.
//! - [`claim`]: claims: add, list, show, edit, remove, suggest, link, unlink, review, log.
//! - [`context`]: settings, the catalogue and the tagger, resolved once per process.
//! - [`error`]: what an operation can fail with; front ends map it to exit codes or pages.
//! - [`export`]: the selected records streamed in a format into a caller's sink.
//! - [`select`]: the query and filters as the user gave them, checked; the records they select.

pub mod audit;
pub mod backup;
pub mod cache;
pub mod cite;
pub mod claim;
pub mod config;
pub mod context;
pub mod error;
pub mod export;
pub mod find;
pub mod import;
pub mod report;
pub mod runs;
pub mod saved;
pub mod select;
pub mod show;
pub mod stats;
pub mod summary;
pub mod tag;

pub use context::Context;
pub use error::OpsError;
