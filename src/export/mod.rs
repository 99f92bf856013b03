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
    /// The facts of the study (at most one per kind).
    pub facts: Vec<crate::abstracts::Fact>,
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

    /// The fact of this kind, if the abstract states it.
    pub fn fact(&self, kind: crate::abstracts::FactKind) -> Option<&crate::abstracts::Fact> {
        self.facts.iter().find(|f| f.kind == kind)
    }

    /// The participant count, if stated (a range counts by its top).
    pub fn participants(&self) -> Option<f64> {
        self.fact(crate::abstracts::FactKind::Participants)
            .and_then(|f| f.value.or(f.max).or(f.min))
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

/// Words written lower-case inside a title-cased journal title (articles, conjunctions and
/// short prepositions, English and the Romance/German ones of NLM's catalogue).
const SMALL_WORDS: [&str; 28] = [
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "the", "to", "upon", "via", "vs", "with", "de", "des", "du", "la", "le", "und", "y",
];

/// A journal's full title in title case, as reference managers and the Harvard style print it:
/// PubMed registers "Pain physician" and "Journal of spine interventions"; this gives "Pain
/// Physician" and "Journal of Spine Interventions". The first letter of every word is raised
/// except for [`SMALL_WORDS`] after the first word; nothing is ever lowered, so acronyms and
/// mixed-case names ("JAMA", "BMJ", "eLife", "mBio") stay as registered. Hyphenated parts are
/// capitalised each ("Health-system"→"Health-System").
pub fn journal_title_case(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut first_word = true;
    for (i, word) in title.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.is_empty() {
            continue;
        }
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        let keep = !first_word && SMALL_WORDS.contains(&bare) && !word.starts_with('(');
        first_word = false;
        if keep || bare.chars().skip(1).any(char::is_uppercase) {
            out.push_str(word);
            continue;
        }
        let mut raise = true;
        for c in word.chars() {
            if raise && c.is_alphabetic() {
                out.extend(c.to_uppercase());
                raise = false;
            } else {
                out.push(c);
                if c == '-' || c == '/' {
                    raise = true;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::journal_title_case;

    #[test]
    fn journal_titles_are_title_cased_keeping_small_words_and_acronyms() {
        for (registered, cased) in [
            ("Pain physician", "Pain Physician"),
            (
                "Journal of spine interventions",
                "Journal of Spine Interventions",
            ),
            (
                "The Cochrane database of systematic reviews",
                "The Cochrane Database of Systematic Reviews",
            ),
            ("JAMA", "JAMA"),
            ("BMJ (Clinical research ed.)", "BMJ (Clinical Research Ed.)"),
            ("eLife", "eLife"),
            ("Medicine (Baltimore)", "Medicine (Baltimore)"),
            (
                "Journal of back and musculoskeletal rehabilitation",
                "Journal of Back and Musculoskeletal Rehabilitation",
            ),
            ("Of mice and men", "Of Mice and Men"),
            ("Health-system pharmacy", "Health-System Pharmacy"),
        ] {
            assert_eq!(journal_title_case(registered), cased, "{registered}");
        }
    }
}
