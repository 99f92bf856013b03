//! Citation and export: formatted citations (CSL styles via hayagriva), reference-manager
//! formats (RIS, BibTeX, CSL-JSON, NBIB), tables (CSV, JSONL) and evidence reports.
//!
//! Every format writes one [`ExportRecord`] at a time to a `Write`, so exports stream in
//! constant memory.

pub mod cite;
pub mod formats;
pub mod report;

use serde::Serialize;

use crate::store::articles::StoredArticle;
use crate::store::tags::StoredTag;

/// A claim's stance on an exported record (`export --claim ID`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExportStance {
    /// The claim.
    pub claim: String,
    /// supports, refutes, mixed, no-evidence.
    pub stance: String,
    /// The link note.
    pub note: Option<String>,
}

/// One record to export: the stored record, its effective tags, and (for a claim's evidence)
/// the claim's stance.
#[derive(Debug, Clone)]
pub struct ExportRecord {
    /// The record with its catalogue state (deleted flag etc.).
    pub stored: StoredArticle,
    /// Effective tags.
    pub tags: Vec<StoredTag>,
    /// Stance, for `--claim`.
    pub stance: Option<ExportStance>,
}

impl ExportRecord {
    /// Tag ids of one dimension, in order.
    pub fn tags_of(&self, dimension: &str) -> Vec<&str> {
        self.tags
            .iter()
            .filter(|t| t.dimension == dimension)
            .map(|t| t.tag.as_str())
            .collect()
    }

    /// The design tag and its evidence level.
    pub fn design(&self) -> Option<(&str, Option<i64>)> {
        self.tags
            .iter()
            .filter(|t| t.dimension == "design")
            .max_by_key(|t| t.level.unwrap_or(-1))
            .map(|t| (t.tag.as_str(), t.level))
    }

    /// Whether the record is retracted (publication type or a RetractionIn correction).
    pub fn retracted(&self) -> bool {
        let a = &self.stored.article;
        a.publication_types
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case("Retracted Publication"))
            || a.comments_corrections
                .iter()
                .any(|c| c.ref_type == "RetractionIn")
    }
}
