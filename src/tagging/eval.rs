//! Measured tagging quality: precision, recall and F1 per tag and micro-averaged per dimension,
//! against hand labels (`pmid,dimension,tags` CSV, tags separated by `;`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::{Matcher, TagInput};
use crate::pubmed::{Article, PubmedItem, PubmedReader, input::open_input};

/// Counts for one tag or dimension.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Score {
    /// True positives.
    pub tp: u64,
    /// False positives.
    pub fp: u64,
    /// False negatives.
    pub fn_: u64,
}

impl Score {
    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    /// Recall (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// One disagreement with the labels.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    /// Record.
    pub pmid: u64,
    /// Dimension.
    pub dimension: String,
    /// Tag.
    pub tag: String,
    /// "missed" (labelled, not tagged) or "extra" (tagged, not labelled).
    pub kind: &'static str,
}

/// The evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Records evaluated.
    pub records: usize,
    /// Per (dimension, tag).
    pub per_tag: BTreeMap<String, BTreeMap<String, Score>>,
    /// Micro-averaged per dimension.
    pub per_dimension: BTreeMap<String, Score>,
    /// Every disagreement.
    pub disagreements: Vec<Disagreement>,
}

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The labels file.
    #[error("{file}:{line}: {message}")]
    Labels {
        /// File.
        file: String,
        /// Line.
        line: usize,
        /// Problem.
        message: String,
    },
    /// The records file.
    #[error("{0}")]
    Records(String),
}

/// Reads labels: pmid → dimension → tags.
pub fn read_labels(
    path: &Path,
) -> Result<BTreeMap<u64, BTreeMap<String, BTreeSet<String>>>, EvalError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::Labels {
        file: file.clone(),
        line: 0,
        message: e.to_string(),
    })?;
    let mut labels: BTreeMap<u64, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| EvalError::Labels {
            file: file.clone(),
            line,
            message: e.to_string(),
        })?;
        let pmid: u64 = row
            .get(0)
            .unwrap_or("")
            .trim()
            .parse()
            .map_err(|_| EvalError::Labels {
                file: file.clone(),
                line,
                message: format!("{:?} is not a PMID", row.get(0).unwrap_or("")),
            })?;
        let dimension = row.get(1).unwrap_or("").trim().to_string();
        let tags: BTreeSet<String> = row
            .get(2)
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        labels
            .entry(pmid)
            .or_default()
            .entry(dimension)
            .or_default()
            .extend(tags);
    }
    Ok(labels)
}

/// Calls `each` with every article of `records` that `gold` labels, and its labels; returns
/// how many there were. Shared by the tag and the study evaluations.
pub(super) fn for_each_labelled<L>(
    records: &Path,
    gold: &BTreeMap<u64, L>,
    mut each: impl FnMut(&Article, &L),
) -> Result<usize, EvalError> {
    let input = open_input(records).map_err(|e| EvalError::Records(e.to_string()))?;
    let mut reader = PubmedReader::new(input.reader);
    let mut count = 0;
    loop {
        let item = reader
            .next_item()
            .map_err(|e| EvalError::Records(format!("{}: {e}", records.display())))?;
        let Some(item) = item else { break };
        let PubmedItem::Article(a) = item else {
            continue;
        };
        let Some(expected) = gold.get(&a.pmid) else {
            continue;
        };
        count += 1;
        each(&a, expected);
    }
    Ok(count)
}

/// Tags every record of `records` and compares with `labels`.
pub fn evaluate(matcher: &Matcher, records: &Path, labels: &Path) -> Result<Evaluation, EvalError> {
    let gold = read_labels(labels)?;
    let mut eval = Evaluation {
        records: 0,
        per_tag: BTreeMap::new(),
        per_dimension: BTreeMap::new(),
        disagreements: Vec::new(),
    };
    let dimensions: BTreeSet<String> = matcher
        .taxonomy()
        .dimensions()
        .iter()
        .map(|d| d.id.clone())
        .collect();
    eval.records = for_each_labelled(records, &gold, |a, expected| {
        let predicted = matcher.tag(&TagInput::from_article(a));
        for dim in expected.keys().filter(|d| dimensions.contains(*d)) {
            let want = &expected[dim];
            let got: BTreeSet<String> = predicted
                .iter()
                .filter(|t| &t.dimension == dim)
                .map(|t| t.tag.clone())
                .collect();
            let tags = eval.per_tag.entry(dim.clone()).or_default();
            for t in want.union(&got) {
                let s = tags.entry(t.clone()).or_default();
                let d = eval.per_dimension.entry(dim.clone()).or_default();
                match (want.contains(t), got.contains(t)) {
                    (true, true) => {
                        s.tp += 1;
                        d.tp += 1;
                    }
                    (true, false) => {
                        s.fn_ += 1;
                        d.fn_ += 1;
                        eval.disagreements.push(Disagreement {
                            pmid: a.pmid,
                            dimension: dim.clone(),
                            tag: t.clone(),
                            kind: "missed",
                        });
                    }
                    (false, true) => {
                        s.fp += 1;
                        d.fp += 1;
                        eval.disagreements.push(Disagreement {
                            pmid: a.pmid,
                            dimension: dim.clone(),
                            tag: t.clone(),
                            kind: "extra",
                        });
                    }
                    (false, false) => {}
                }
            }
        }
    })?;
    Ok(eval)
}
