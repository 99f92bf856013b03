//! The facts of a study as its abstract states them: how many people it enrolled, how many
//! studies a review included, how long patients were followed, and — for injection therapies —
//! how many sessions were given at what concentration and volume.
//!
//! Only the title and the sentences that speak of the record's own study are read
//! ([`super::roles`]): "previous trials in 300 patients" or "further studies with longer
//! follow-up are needed" say nothing of this study. A figure evcat is unsure of is left out
//! rather than guessed.
//!
//! Each fact keeps its evidence: the field it was read from, the text, and character offsets in
//! that field (as tag evidence does).

use serde::{Deserialize, Serialize};

/// What a fact measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// People enrolled or randomised (or analysed, when only that is stated); for a review, the
    /// participants pooled. Unit `participants`.
    Participants,
    /// Studies included by a review or meta-analysis. Unit `studies`.
    Studies,
    /// The longest follow-up or assessment time point. Unit `day`, `week`, `month` or `year`.
    FollowUp,
    /// Treatment sessions or injections per patient. Unit `sessions`.
    Sessions,
    /// Concentration of the studied product per injection. Unit `ug/mL`.
    Concentration,
    /// Volume per injection. Unit `mL`.
    Volume,
}

impl FactKind {
    /// Every kind, in display order.
    pub const ALL: [FactKind; 6] = [
        FactKind::Participants,
        FactKind::Studies,
        FactKind::FollowUp,
        FactKind::Sessions,
        FactKind::Concentration,
        FactKind::Volume,
    ];

    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::Participants => "participants",
            FactKind::Studies => "studies",
            FactKind::FollowUp => "follow_up",
            FactKind::Sessions => "sessions",
            FactKind::Concentration => "concentration",
            FactKind::Volume => "volume",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<FactKind> {
        FactKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Words for people ("follow-up" rather than "follow_up").
    pub fn label(self) -> &'static str {
        match self {
            FactKind::FollowUp => "follow-up",
            other => other.as_str(),
        }
    }
}

/// Where a fact was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactSource {
    /// The title.
    Title,
    /// The abstract (sections joined as the tagger reads them).
    Abstract,
}

impl FactSource {
    /// The stored name (the same words as tag evidence sources).
    pub fn as_str(self) -> &'static str {
        match self {
            FactSource::Title => "title",
            FactSource::Abstract => "abstract",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<FactSource> {
        match name {
            "title" => Some(FactSource::Title),
            "abstract" => Some(FactSource::Abstract),
            _ => None,
        }
    }
}

/// One fact of a study, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// What it measures.
    pub kind: FactKind,
    /// The single figure stated (for "mean 14 months (range 6-30)", 14); `None` when only a range
    /// is stated ("3 to 10 sessions").
    pub value: Option<f64>,
    /// The lower end of a stated range.
    pub min: Option<f64>,
    /// The upper end of a stated range.
    pub max: Option<f64>,
    /// The unit: `participants`, `studies`, `day` | `week` | `month` | `year`, `sessions`,
    /// `ug/mL`, `mL`.
    pub unit: String,
    /// The text the fact was read from.
    pub text: String,
    /// The field.
    pub source: FactSource,
    /// Character offset of `text` in the field.
    pub start: usize,
    /// End character offset (exclusive).
    pub end: usize,
}

impl Fact {
    /// The largest figure stated: the top of the range, else the value. For follow-up this is
    /// the longest follow-up.
    pub fn largest(&self) -> Option<f64> {
        self.max.or(self.value)
    }

    /// For a follow-up: its longest time point in days (a month is 30.44 days, a year 365.25).
    pub fn follow_up_days(&self) -> Option<f64> {
        if self.kind != FactKind::FollowUp {
            return None;
        }
        Some(self.largest()? * days_per(&self.unit)?)
    }

    /// The figure as people write it: "120", "3-10", "14 (6-30)".
    pub fn figure(&self) -> String {
        let n = |x: f64| format_number(x);
        match (self.value, self.min, self.max) {
            (Some(v), Some(lo), Some(hi)) => format!("{} ({}-{})", n(v), n(lo), n(hi)),
            (Some(v), _, _) => n(v),
            (None, Some(lo), Some(hi)) => format!("{}-{}", n(lo), n(hi)),
            (None, Some(lo), None) => n(lo),
            (None, None, Some(hi)) => n(hi),
            (None, None, None) => String::new(),
        }
    }

    /// The fact as a short phrase: "120 participants", "12 months follow-up", "3-10 sessions",
    /// "20 ug/mL", "10 mL".
    pub fn describe(&self) -> String {
        let figure = self.figure();
        match self.kind {
            FactKind::FollowUp => {
                let plural = self.largest().is_none_or(|x| x != 1.0);
                format!(
                    "{figure} {}{} follow-up",
                    self.unit,
                    if plural { "s" } else { "" }
                )
            }
            FactKind::Participants | FactKind::Studies | FactKind::Sessions => {
                let unit = if self.largest() == Some(1.0) {
                    self.unit.trim_end_matches('s')
                } else {
                    self.unit.as_str()
                };
                format!("{figure} {unit}")
            }
            FactKind::Concentration | FactKind::Volume => format!("{figure} {}", self.unit),
        }
    }
}

/// Days in a follow-up unit.
pub fn days_per(unit: &str) -> Option<f64> {
    match unit {
        "day" => Some(1.0),
        "week" => Some(7.0),
        "month" => Some(30.44),
        "year" => Some(365.25),
        _ => None,
    }
}

/// A number without a needless ".0" ("120", "2.5").
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The facts of a record, read from its title and abstract text (the tagger's plain text:
/// sections joined by `\n`, each prefixed by its label and `": "`).
pub fn read_facts(title: &str, abstract_text: &str) -> Vec<Fact> {
    // The rules land in the next commit; until then no facts are read.
    let _ = (title, abstract_text);
    Vec::new()
}
