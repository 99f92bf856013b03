//! Measured quality of reading a study: design accuracy (as PubMed supplied the record, and
//! "text only" — publication types reduced to Journal Article and MeSH removed, as in-process
//! and publisher-supplied records arrive) with a confusion matrix, and precision and recall of
//! each fact kind, against hand labels.
//!
//! Labels: CSV with the header
//! `pmid,design,participants,studies,follow_up,sessions,concentration_ug_ml,volume_ml[,...]`.
//! A fact is a number (`120`), a range (`3-10`), or for follow-up a number and a unit
//! (`14 month`); an empty cell means the record states no such fact.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::eval::{EvalError, Score, for_each_labelled};
use super::{Matcher, RecordTag, TagInput, read_study};
use crate::abstracts::facts::{days_per, format_number};
use crate::abstracts::{Fact, FactKind};

/// What "no design" is called in the confusion matrix.
pub const NO_DESIGN: &str = "(none)";

/// The label columns for facts, and the kind each holds.
const FACT_COLUMNS: [(&str, FactKind); 6] = [
    ("participants", FactKind::Participants),
    ("studies", FactKind::Studies),
    ("follow_up", FactKind::FollowUp),
    ("sessions", FactKind::Sessions),
    ("concentration_ug_ml", FactKind::Concentration),
    ("volume_ml", FactKind::Volume),
];

/// A labelled figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledFigure {
    /// The single figure, or the low end of a range.
    pub min: f64,
    /// The high end (equal to `min` for a single figure).
    pub max: f64,
    /// The unit, for follow-up.
    pub unit: Option<String>,
}

impl LabelledFigure {
    fn parse(cell: &str) -> Option<LabelledFigure> {
        let cell = cell.trim();
        if cell.is_empty() {
            return None;
        }
        let (number, unit) = match cell.split_once(char::is_whitespace) {
            Some((n, u)) => (n, Some(u.trim().trim_end_matches('s').to_string())),
            None => (cell, None),
        };
        let parse = |x: &str| x.trim().replace(',', "").parse::<f64>().ok();
        let (min, max) = match number.split_once('-') {
            Some((lo, hi)) if !lo.is_empty() => (parse(lo)?, parse(hi)?),
            _ => {
                let v = parse(number)?;
                (v, v)
            }
        };
        Some(LabelledFigure { min, max, unit })
    }

    /// Whether a fact read by evcat says the same. A range must match both ends; a single
    /// figure matches the fact's value — for follow-up, its longest time point, in the same
    /// unit or the same number of days (within 1%).
    pub fn matches(&self, fact: &Fact) -> bool {
        let same = |a: f64, b: f64| (a - b).abs() < 1e-6 * a.abs().max(1.0);
        if fact.kind == FactKind::FollowUp {
            let Some(got) = fact.largest() else {
                return false;
            };
            let unit = self.unit.as_deref().unwrap_or("");
            if unit == fact.unit {
                return same(got, self.max);
            }
            return match (days_per(unit), fact.follow_up_days()) {
                (Some(d), Some(got_days)) => (self.max * d - got_days).abs() <= 0.01 * got_days,
                _ => false,
            };
        }
        if self.min != self.max {
            return fact.min.is_some_and(|lo| same(lo, self.min))
                && fact.max.is_some_and(|hi| same(hi, self.max));
        }
        match fact.value {
            Some(v) => same(v, self.min),
            None => {
                fact.min.is_some_and(|lo| same(lo, self.min))
                    && fact.max.is_some_and(|hi| same(hi, self.max))
            }
        }
    }

    fn describe(&self) -> String {
        let figure = if self.min == self.max {
            format_number(self.min)
        } else {
            format!("{}-{}", format_number(self.min), format_number(self.max))
        };
        match &self.unit {
            Some(u) => format!("{figure} {u}"),
            None => figure,
        }
    }
}

/// One record's labels.
#[derive(Debug, Clone, Default)]
pub struct StudyLabels {
    /// The design id ("" when the labeller gave none).
    pub design: String,
    /// The labelled facts.
    pub facts: BTreeMap<FactKind, LabelledFigure>,
}

/// Design accuracy on one variant of the records.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DesignScore {
    /// Records whose design was read as labelled.
    pub correct: u64,
    /// Records with a design label.
    pub total: u64,
    /// labelled design → design read (or [`NO_DESIGN`]) → records.
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
}

impl DesignScore {
    /// Accuracy (1 when nothing was labelled).
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }

    fn count(&mut self, want: &str, got: &str) {
        self.total += 1;
        if want == got {
            self.correct += 1;
        }
        *self
            .confusion
            .entry(want.to_string())
            .or_default()
            .entry(got.to_string())
            .or_default() += 1;
    }
}

/// One disagreement with the labels.
#[derive(Debug, Clone, Serialize)]
pub struct StudyDisagreement {
    /// Record.
    pub pmid: u64,
    /// `design`, `design (text only)`, or a fact kind.
    pub what: String,
    /// The label (empty: none).
    pub expected: String,
    /// What evcat read (empty: nothing).
    pub got: String,
}

/// The evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StudyEvaluation {
    /// Records evaluated (labelled and present in the records file).
    pub records: usize,
    /// Design read from the records as supplied.
    pub design: DesignScore,
    /// Design read from the text-only variant.
    pub design_text_only: DesignScore,
    /// Per fact kind (`participants`, `follow_up`...).
    pub facts: BTreeMap<String, Score>,
    /// Every disagreement.
    pub disagreements: Vec<StudyDisagreement>,
}

/// Whether a labels file is a study labels file (its header starts `pmid,design,`).
pub fn is_study_labels(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .map(|l| l.trim().starts_with("pmid,design,"))
        })
        .unwrap_or(false)
}

/// Reads study labels: pmid → labels.
pub fn read_study_labels(path: &Path) -> Result<BTreeMap<u64, StudyLabels>, EvalError> {
    let file = path.display().to_string();
    let err = |line: usize, message: String| EvalError::Labels {
        file: file.clone(),
        line,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(0, e.to_string()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| err(1, e.to_string()))?.clone();
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let design_column = column("design").ok_or_else(|| err(1, "no `design` column".into()))?;
    let mut labels = BTreeMap::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| err(line, e.to_string()))?;
        let cell = |k: usize| row.get(k).unwrap_or("").trim();
        let pmid: u64 = cell(0)
            .parse()
            .map_err(|_| err(line, format!("{:?} is not a PMID", cell(0))))?;
        let mut record = StudyLabels {
            design: cell(design_column).to_string(),
            facts: BTreeMap::new(),
        };
        for (name, kind) in FACT_COLUMNS {
            let Some(k) = column(name) else { continue };
            if cell(k).is_empty() {
                continue;
            }
            let figure = LabelledFigure::parse(cell(k)).ok_or_else(|| {
                err(
                    line,
                    format!(
                        "{name}: {:?} is not a figure (120, 3-10, 14 month)",
                        cell(k)
                    ),
                )
            })?;
            record.facts.insert(kind, figure);
        }
        labels.insert(pmid, record);
    }
    Ok(labels)
}

/// The design among a record's tags (the design dimension's tag), or [`NO_DESIGN`].
fn design_of(tags: Vec<RecordTag>) -> String {
    tags.into_iter()
        .find(|t| t.dimension == "design")
        .map(|t| t.tag)
        .unwrap_or_else(|| NO_DESIGN.to_string())
}

/// Reads every labelled record of `records` and compares its design (both variants) and facts
/// with the labels.
pub fn evaluate_studies(
    matcher: &Matcher,
    records: &Path,
    labels: &Path,
) -> Result<StudyEvaluation, EvalError> {
    let gold = read_study_labels(labels)?;
    let mut eval = StudyEvaluation::default();
    for (name, _) in FACT_COLUMNS {
        eval.facts
            .insert(fact_name(name).to_string(), Score::default());
    }
    eval.records = for_each_labelled(records, &gold, |a, expected| {
        let supplied = TagInput::from_article(a);
        let mut text_only = supplied.clone();
        text_only.publication_types = vec![(Some("D016428"), "Journal Article")];
        text_only.mesh.clear();
        // The record as supplied is tagged once, for its design and its facts.
        let (tags, facts) = read_study(matcher, &supplied);
        if !expected.design.is_empty() {
            for (what, got, score) in [
                ("design", design_of(tags), &mut eval.design),
                (
                    "design (text only)",
                    design_of(read_study(matcher, &text_only).0),
                    &mut eval.design_text_only,
                ),
            ] {
                score.count(&expected.design, &got);
                if got != expected.design {
                    eval.disagreements.push(StudyDisagreement {
                        pmid: a.pmid,
                        what: what.to_string(),
                        expected: expected.design.clone(),
                        got,
                    });
                }
            }
        }
        for (name, kind) in FACT_COLUMNS {
            let want = expected.facts.get(&kind);
            let got = facts.iter().find(|f| f.kind == kind);
            let score = eval
                .facts
                .get_mut(fact_name(name))
                .expect("every kind scored");
            match (want, got) {
                (None, None) => continue,
                (Some(w), Some(g)) if w.matches(g) => {
                    score.tp += 1;
                    continue;
                }
                (Some(_), Some(_)) => {
                    score.fp += 1;
                    score.fn_ += 1;
                }
                (Some(_), None) => score.fn_ += 1,
                (None, Some(_)) => score.fp += 1,
            }
            eval.disagreements.push(StudyDisagreement {
                pmid: a.pmid,
                what: kind.as_str().to_string(),
                expected: want.map(LabelledFigure::describe).unwrap_or_default(),
                got: got
                    .map(|f| match kind {
                        FactKind::FollowUp => format!("{} {}", f.figure(), f.unit),
                        _ => f.figure(),
                    })
                    .unwrap_or_default(),
            });
        }
    })?;
    Ok(eval)
}

/// The fact kind name for a label column (`concentration_ug_ml` → `concentration`).
fn fact_name(column: &str) -> &'static str {
    FACT_COLUMNS
        .iter()
        .find(|(c, _)| *c == column)
        .map(|(_, k)| k.as_str())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abstracts::FactSource;

    fn fact(
        kind: FactKind,
        value: Option<f64>,
        min: Option<f64>,
        max: Option<f64>,
        unit: &str,
    ) -> Fact {
        Fact {
            kind,
            value,
            min,
            max,
            unit: unit.to_string(),
            text: String::new(),
            source: FactSource::Abstract,
            start: 0,
            end: 0,
        }
    }

    #[test]
    fn figures_match_as_labelled() {
        let label = LabelledFigure::parse("3-10").unwrap();
        assert!(label.matches(&fact(
            FactKind::Sessions,
            None,
            Some(3.0),
            Some(10.0),
            "sessions"
        )));
        assert!(!label.matches(&fact(FactKind::Sessions, Some(3.0), None, None, "sessions")));
        let label = LabelledFigure::parse("120").unwrap();
        assert!(label.matches(&fact(
            FactKind::Participants,
            Some(120.0),
            None,
            None,
            "participants"
        )));
        assert!(!label.matches(&fact(
            FactKind::Participants,
            Some(12.0),
            None,
            None,
            "participants"
        )));
    }

    #[test]
    fn follow_up_matches_its_longest_time_point_in_any_unit() {
        let label = LabelledFigure::parse("30 month").unwrap();
        assert!(label.matches(&fact(
            FactKind::FollowUp,
            Some(14.0),
            Some(6.0),
            Some(30.0),
            "month"
        )));
        assert!(!label.matches(&fact(FactKind::FollowUp, Some(14.0), None, None, "month")));
        let label = LabelledFigure::parse("2 years").unwrap();
        assert!(label.matches(&fact(FactKind::FollowUp, Some(24.0), None, None, "month")));
        assert!(!label.matches(&fact(FactKind::FollowUp, Some(2.0), None, None, "week")));
    }
}
