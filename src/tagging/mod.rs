//! Tagging: every record is classified by condition, outcome, study design, route and
//! intervention (or a user's own dimensions) from a taxonomy file, with the evidence for each
//! tag.
//!
//! - [`taxonomy`]: the TOML format, validation with located errors, the built-in default.
//! - [`normalize`]: text normalisation with a map back to original offsets.
//! - [`matcher`]: applies a taxonomy to a record (pure; unit-tested).
//! - [`eval`]: precision and recall against a hand-labelled set.
//! - [`study`]: a record's tags and the facts of its study, read together (a narrative
//!   review's or guideline's quoted samples are not its own).
//! - [`study_eval`]: design accuracy (as supplied and text only) and fact precision/recall
//!   against a hand-labelled set of studies.

pub mod eval;
pub mod findings_eval;
pub mod matcher;
pub mod normalize;
pub mod study;
pub mod study_eval;
pub mod taxonomy;

#[cfg(test)]
mod design_tests;

pub use matcher::{Matcher, RecordTag, TagEvidence, TagInput, TagSource};
pub use study::{read_study, read_study_findings, read_study_findings_and_tags};
pub use taxonomy::{Taxonomy, TaxonomyErrors, TaxonomyIssue};
