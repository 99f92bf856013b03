//! Measured quality of reading what studies found: the direction of each record's overall
//! conclusion, and per labelled outcome its direction, comparator and significance, against hand
//! labels.
//!
//! Labels: a directory beside the records file holding `findings.csv`
//! (`pmid,outcome,direction,comparator,significance,note`: one row per record and outcome,
//! `null` for a finding on no outcome of the taxonomy) and `records.csv`
//! (`pmid,studied_intervention,record_direction,results_conflict,note`, `record_direction`
//! `none` for a record that concludes nothing); with `claims.csv`
//! (`claim_id,text,condition,outcome,intervention`, tags separated by `;`) and `stances.csv`
//! (`claim_id,pmid,stance,overstates,note`, stance `none` when the record does not bear on the
//! claim) beside them, the stance evcat suggests for each pair is scored too.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::eval::{EvalError, for_each_labelled};
use super::{Matcher, TagInput, read_study_findings_and_tags};
use crate::abstracts::findings::Direction;
use crate::claims::stance::{ClaimSummary, RecordSummary, studied_in_title, suggest_stance};

/// What "no finding" is called in the confusion matrix.
pub const NO_FINDING: &str = "none";

/// One labelled finding.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LabelledFinding {
    direction: String,
    comparator: String,
    significance: String,
}

/// The labels of one record.
#[derive(Debug, Clone, Default)]
struct RecordLabels {
    direction: String,
    findings: BTreeMap<String, LabelledFinding>,
}

/// Right and wrong answers.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Accuracy {
    /// Answers that agree with the label.
    pub right: u64,
    /// All answers compared.
    pub total: u64,
}

impl Accuracy {
    fn count(&mut self, right: bool) {
        self.total += 1;
        if right {
            self.right += 1;
        }
    }

    /// The share right (1 when nothing was compared).
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.right as f64 / self.total as f64
        }
    }
}

/// One disagreement with the labels.
#[derive(Debug, Clone, Serialize)]
pub struct FindingDisagreement {
    /// Record.
    pub pmid: u64,
    /// `record` (its overall conclusion) or the outcome (`null` for none).
    pub what: String,
    /// The labelled direction.
    pub expected: String,
    /// evcat's.
    pub got: String,
    /// Why evcat says so (a stance's reason), when it says.
    pub why: Option<String>,
}

/// A findings evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingsEvaluation {
    /// Labelled records read.
    pub records: usize,
    /// The direction of each record's overall conclusion (`none` included).
    pub record_direction: Accuracy,
    /// The direction of each labelled outcome finding.
    pub outcome_direction: Accuracy,
    /// Per outcome id: its direction's accuracy.
    pub per_outcome: BTreeMap<String, Accuracy>,
    /// Comparator, over labelled findings evcat also found.
    pub comparator: Accuracy,
    /// Significance, over labelled findings evcat also found.
    pub significance: Accuracy,
    /// Findings evcat gave on an outcome the labels have no finding for.
    pub extra_findings: u64,
    /// Expected direction → evcat's → count, per labelled outcome finding.
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
    /// Every disagreement on a direction.
    pub disagreements: Vec<FindingDisagreement>,
    /// The suggested stance of each labelled claim-record pair (`none` included).
    pub stance: Accuracy,
    /// Labelled stance → evcat's → count.
    pub stance_confusion: BTreeMap<String, BTreeMap<String, u64>>,
    /// Pairs labelled as overstating that evcat gave a note, of all labelled so.
    pub overstatement_noted: Accuracy,
    /// Pairs labelled as not overstating that evcat gave no note, of all labelled so.
    pub fair_claims_unnoted: Accuracy,
    /// Every disagreement on a stance.
    pub stance_disagreements: Vec<FindingDisagreement>,
}

/// A labelled claim.
#[derive(Debug, Clone, Default)]
struct LabelledClaim {
    text: String,
    tags: Vec<(String, String)>,
}

/// The claims and the labelled (claim, stance, overstates) of each record.
type StanceLabels = (
    BTreeMap<String, LabelledClaim>,
    BTreeMap<u64, Vec<(String, String, bool)>>,
);

/// Reads `claims.csv` and `stances.csv` beside `findings` (none when they are absent).
fn read_stance_labels(findings: &Path) -> Result<Option<StanceLabels>, EvalError> {
    let claims_path = findings.with_file_name("claims.csv");
    let stances_path = findings.with_file_name("stances.csv");
    if !claims_path.exists() || !stances_path.exists() {
        return Ok(None);
    }
    let (header, rows) = read_csv(&claims_path)?;
    let at = |name: &str| header.iter().position(|h| h == name);
    let mut claims = BTreeMap::new();
    for (_, row) in rows {
        let cell = |k: Option<usize>| k.and_then(|k| row.get(k)).cloned().unwrap_or_default();
        let mut tags = Vec::new();
        for dimension in ["condition", "outcome", "intervention"] {
            for tag in cell(at(dimension))
                .split(';')
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                tags.push((dimension.to_string(), tag.to_string()));
            }
        }
        claims.insert(
            cell(at("claim_id")),
            LabelledClaim {
                text: cell(at("text")),
                tags,
            },
        );
    }
    let (header, rows) = read_csv(&stances_path)?;
    let at = |name: &str| header.iter().position(|h| h == name);
    let mut pairs: BTreeMap<u64, Vec<(String, String, bool)>> = BTreeMap::new();
    for (line, row) in rows {
        let cell = |k: Option<usize>| k.and_then(|k| row.get(k)).cloned().unwrap_or_default();
        let pmid = cell(at("pmid"))
            .parse::<u64>()
            .map_err(|_| EvalError::Labels {
                file: stances_path.display().to_string(),
                line,
                message: format!("{:?} is not a PMID", cell(at("pmid"))),
            })?;
        pairs.entry(pmid).or_default().push((
            cell(at("claim_id")),
            cell(at("stance")),
            cell(at("overstates")) == "yes",
        ));
    }
    Ok(Some((claims, pairs)))
}

/// Whether `labels` is a findings label file (its header starts `pmid,outcome,direction`).
pub fn is_findings_labels(labels: &Path) -> bool {
    std::fs::read_to_string(labels)
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .map(|l| l.trim().starts_with("pmid,outcome,direction"))
        })
        .unwrap_or(false)
}

/// A CSV file's header and its rows, each with its line number.
type CsvTable = (Vec<String>, Vec<(usize, Vec<String>)>);

fn read_csv(path: &Path) -> Result<CsvTable, EvalError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::Labels {
        file: file.clone(),
        line: 0,
        message: e.to_string(),
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| EvalError::Labels {
            file: file.clone(),
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| EvalError::Labels {
            file: file.clone(),
            line: i + 2,
            message: e.to_string(),
        })?;
        rows.push((i + 2, row.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok((header, rows))
}

/// Reads `findings.csv` and the `records.csv` beside it.
fn read_labels(findings: &Path) -> Result<BTreeMap<u64, RecordLabels>, EvalError> {
    let records = findings.with_file_name("records.csv");
    let mut labels: BTreeMap<u64, RecordLabels> = BTreeMap::new();
    let column = |header: &[String], name: &str, file: &Path| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| EvalError::Labels {
                file: file.display().to_string(),
                line: 1,
                message: format!("no `{name}` column"),
            })
    };
    let pmid_of = |cell: &str, line: usize, file: &Path| {
        cell.parse::<u64>().map_err(|_| EvalError::Labels {
            file: file.display().to_string(),
            line,
            message: format!("{cell:?} is not a PMID"),
        })
    };
    let (header, rows) = read_csv(&records)?;
    let direction = column(&header, "record_direction", &records)?;
    for (line, row) in rows {
        let pmid = pmid_of(row.first().map_or("", String::as_str), line, &records)?;
        labels.entry(pmid).or_default().direction = row.get(direction).cloned().unwrap_or_default();
    }
    let (header, rows) = read_csv(findings)?;
    let outcome = column(&header, "outcome", findings)?;
    let direction = column(&header, "direction", findings)?;
    let comparator = column(&header, "comparator", findings)?;
    let significance = column(&header, "significance", findings)?;
    for (line, row) in rows {
        let pmid = pmid_of(row.first().map_or("", String::as_str), line, findings)?;
        let cell = |k: usize| row.get(k).cloned().unwrap_or_default();
        if Direction::parse(&cell(direction)).is_none() {
            return Err(EvalError::Labels {
                file: findings.display().to_string(),
                line,
                message: format!(
                    "direction {:?} is not benefit, no-difference, harm or mixed",
                    cell(direction)
                ),
            });
        }
        let Some(record) = labels.get_mut(&pmid) else {
            return Err(EvalError::Labels {
                file: findings.display().to_string(),
                line,
                message: format!("PMID {pmid} has no row in {}", records.display()),
            });
        };
        record.findings.insert(
            cell(outcome),
            LabelledFinding {
                direction: cell(direction),
                comparator: cell(comparator),
                significance: cell(significance),
            },
        );
    }
    Ok(labels)
}

/// Reads what every labelled record of `records` found and compares it with the labels of
/// `findings` (and the `records.csv` beside it).
pub fn evaluate_findings(
    matcher: &Matcher,
    records: &Path,
    findings: &Path,
) -> Result<FindingsEvaluation, EvalError> {
    let gold = read_labels(findings)?;
    let stance_labels = read_stance_labels(findings)?;
    let mut eval = FindingsEvaluation::default();
    eval.records = for_each_labelled(records, &gold, |a, expected| {
        let input = TagInput::from_article(a);
        let (read, tags) = read_study_findings_and_tags(matcher, &input);
        if let Some((claims, pairs)) = &stance_labels
            && let Some(pairs) = pairs.get(&a.pmid)
        {
            let of = |dimension: &str| -> Vec<&str> {
                tags.iter()
                    .filter(|t| t.dimension == dimension)
                    .map(|t| t.tag.as_str())
                    .collect()
            };
            let record = RecordSummary {
                design: of("design").first().copied(),
                conditions: of("condition"),
                interventions: of("intervention"),
                outcomes: of("outcome"),
                studied: studied_in_title(input.title, &tags),
                title: input.title,
            };
            for (claim_id, want, overstates) in pairs {
                let Some(claim) = claims.get(claim_id) else {
                    continue;
                };
                let of_claim = |dimension: &str| -> Vec<&str> {
                    claim
                        .tags
                        .iter()
                        .filter(|(d, _)| d == dimension)
                        .map(|(_, t)| t.as_str())
                        .collect()
                };
                let summary = ClaimSummary {
                    text: &claim.text,
                    conditions: of_claim("condition"),
                    outcomes: of_claim("outcome"),
                    interventions: of_claim("intervention"),
                };
                let suggestion = suggest_stance(&summary, &read, &record);
                let got = suggestion.stance.map_or("none", |s| match s.as_str() {
                    "no-evidence" => "none",
                    other => other,
                });
                eval.stance.count(got == want);
                *eval
                    .stance_confusion
                    .entry(want.clone())
                    .or_default()
                    .entry(got.to_string())
                    .or_default() += 1;
                if got != want {
                    eval.stance_disagreements.push(FindingDisagreement {
                        pmid: a.pmid,
                        what: claim_id.clone(),
                        expected: want.clone(),
                        got: got.to_string(),
                        why: suggestion.reason.clone(),
                    });
                }
                if *overstates {
                    eval.overstatement_noted.count(!suggestion.notes.is_empty());
                } else {
                    eval.fair_claims_unnoted.count(suggestion.notes.is_empty());
                }
            }
        }
        let got = read.direction.map_or(NO_FINDING, Direction::as_str);
        eval.record_direction.count(got == expected.direction);
        if got != expected.direction {
            eval.disagreements.push(FindingDisagreement {
                pmid: a.pmid,
                what: "record".into(),
                expected: expected.direction.clone(),
                got: got.to_string(),
                why: None,
            });
        }
        for (outcome, want) in &expected.findings {
            let found = read
                .findings
                .iter()
                .find(|f| f.outcome.as_deref().unwrap_or("null") == outcome);
            let got = found.map_or(NO_FINDING, |f| f.direction.as_str());
            let right = got == want.direction;
            eval.outcome_direction.count(right);
            eval.per_outcome
                .entry(outcome.clone())
                .or_default()
                .count(right);
            *eval
                .confusion
                .entry(want.direction.clone())
                .or_default()
                .entry(got.to_string())
                .or_default() += 1;
            if !right {
                eval.disagreements.push(FindingDisagreement {
                    pmid: a.pmid,
                    what: outcome.clone(),
                    expected: want.direction.clone(),
                    got: got.to_string(),
                    why: None,
                });
            }
            if let Some(f) = found {
                eval.comparator
                    .count(f.comparator.as_deref().unwrap_or("") == want.comparator);
                eval.significance
                    .count(f.significance.map_or("", |s| s.as_str()) == want.significance);
            }
        }
        eval.extra_findings += read
            .findings
            .iter()
            .filter(|f| {
                !expected
                    .findings
                    .contains_key(f.outcome.as_deref().unwrap_or("null"))
            })
            .count() as u64;
    })?;
    Ok(eval)
}
