//! How certain the evidence linked to a claim is, rated the GRADE way and explained step by
//! step. It is an aid to a reviewer's judgement, not a GRADE assessment: evcat reads designs,
//! participant counts, tags and stances, not the studies' methods.
//!
//! The evidence is the linked records whose stance bears on the claim (supports, refutes or
//! mixed; a `no-evidence` link does not count).
//!
//! - **Starting level**: `high` when randomised evidence is linked (a randomised trial, or a
//!   systematic review or meta-analysis of randomised trials); `low` for comparative
//!   observational evidence (cohort, case-control, cross-sectional, non-randomised trial);
//!   `very-low` when only case series, case reports, narrative reviews, guidelines or other
//!   records are linked. When randomised evidence is linked, the rest of the reasons look at the
//!   whole body all the same.
//! - **Risk of bias**: not assessed by evcat; a reviewer's judgement (`claim review
//!   --risk-of-bias`) counts: some concerns −1, high −2.
//! - **Inconsistency** −1: linked evidence points different ways (supports beside refutes, or
//!   a mixed record).
//! - **Imprecision** −1: fewer than [`IMPRECISION_PARTICIPANTS`] participants in all, counted
//!   from the participant counts evcat reads (a review counts its pooled participants); not
//!   rated when no count is read; when some records' size is unknown, the known total counts
//!   (evcat cannot show the evidence is larger) and the reason says so.
//! - **Indirectness** −1: a condition, outcome or intervention the claim names is not among the
//!   linked evidence's tags.
//! - **Retracted or concerned evidence** −1: a linked record is retracted, deleted from PubMed
//!   or carries an expression of concern.
//! - **A single small study** −1: the evidence is one primary study with fewer than
//!   [`SMALL_STUDY_PARTICIPANTS`] participants (or no count read).
//! - **Publication bias**: not assessed.
//!
//! Certainty is never rated up, and never falls below `very-low`.

use serde::Serialize;

use super::values::Stance;

/// Fewer participants than this in all the linked evidence: imprecise.
pub const IMPRECISION_PARTICIPANTS: f64 = 400.0;

/// A single primary study with fewer participants than this is "a single small study".
pub const SMALL_STUDY_PARTICIPANTS: f64 = 100.0;

/// A certainty level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertaintyLevel {
    /// Very little confidence in the effect.
    VeryLow,
    /// Limited confidence.
    Low,
    /// Moderate confidence.
    Moderate,
    /// High confidence.
    High,
}

impl CertaintyLevel {
    /// The name shown and serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            CertaintyLevel::VeryLow => "very-low",
            CertaintyLevel::Low => "low",
            CertaintyLevel::Moderate => "moderate",
            CertaintyLevel::High => "high",
        }
    }

    fn down(self, steps: u32) -> CertaintyLevel {
        let rank = self as u32;
        match rank.saturating_sub(steps) {
            0 => CertaintyLevel::VeryLow,
            1 => CertaintyLevel::Low,
            2 => CertaintyLevel::Moderate,
            _ => CertaintyLevel::High,
        }
    }
}

/// A reviewer's judgement of the evidence's risk of bias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskOfBias {
    /// Low risk.
    Low,
    /// Some concerns.
    SomeConcerns,
    /// High risk.
    High,
}

impl RiskOfBias {
    /// Parses `low`, `some-concerns` or `high`.
    pub fn parse(text: &str) -> Option<RiskOfBias> {
        match text {
            "low" => Some(RiskOfBias::Low),
            "some-concerns" => Some(RiskOfBias::SomeConcerns),
            "high" => Some(RiskOfBias::High),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskOfBias::Low => "low",
            RiskOfBias::SomeConcerns => "some-concerns",
            RiskOfBias::High => "high",
        }
    }
}

/// One step of the rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertaintyReason {
    /// `design`, `risk-of-bias`, `inconsistency`, `imprecision`, `indirectness`,
    /// `retracted-or-concerned`, `single-small-study`, `publication-bias`.
    pub domain: &'static str,
    /// `start high`, `start low`, `start very-low`, `-1`, `-2`, `none` or `not assessed`.
    pub effect: String,
    /// Why, in words a clinician reads.
    pub why: String,
}

/// The certainty of a claim's evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certainty {
    /// Where it ends.
    pub level: CertaintyLevel,
    /// Where it started (from the designs).
    pub starting_level: CertaintyLevel,
    /// Every step, the start first.
    pub reasons: Vec<CertaintyReason>,
}

/// One linked record, as the rating reads it.
#[derive(Debug, Clone, Default)]
pub struct LinkedEvidence {
    /// PMID.
    pub pmid: u64,
    /// The link's stance.
    pub stance: Option<Stance>,
    /// Its design tag.
    pub design: Option<String>,
    /// A systematic review or meta-analysis that says it reviews randomised trials.
    pub reviews_randomised_trials: bool,
    /// Participants as evcat read them (a review's pooled participants).
    pub participants: Option<f64>,
    /// Retracted, deleted or under an expression of concern: what is wrong.
    pub concern: Option<String>,
    /// Its (dimension, tag) pairs.
    pub tags: Vec<(String, String)>,
}

fn is_review(design: Option<&str>) -> bool {
    matches!(design, Some("meta-analysis" | "systematic-review"))
}

fn comparative_observational(design: Option<&str>) -> bool {
    matches!(
        design,
        Some("cohort" | "case-control" | "cross-sectional" | "non-randomized-trial")
    )
}

fn reason(domain: &'static str, effect: &str, why: String) -> CertaintyReason {
    CertaintyReason {
        domain,
        effect: effect.to_string(),
        why,
    }
}

/// Rates the certainty of `links` for a claim tagged `claim_tags`, with the reviewer's
/// `risk_of_bias` judgement when there is one.
pub fn rate_certainty(
    claim_tags: &[(String, String)],
    links: &[LinkedEvidence],
    risk_of_bias: Option<RiskOfBias>,
) -> Certainty {
    let counted: Vec<&LinkedEvidence> = links
        .iter()
        .filter(|l| {
            matches!(
                l.stance,
                Some(Stance::Supports | Stance::Refutes | Stance::Mixed)
            )
        })
        .collect();
    let mut reasons = Vec::new();
    if counted.is_empty() {
        reasons.push(reason(
            "design",
            "start very-low",
            "no linked record supports, refutes or is mixed on the claim".into(),
        ));
        return Certainty {
            level: CertaintyLevel::VeryLow,
            starting_level: CertaintyLevel::VeryLow,
            reasons,
        };
    }
    let randomised: Vec<u64> = counted
        .iter()
        .filter(|l| {
            l.design.as_deref() == Some("rct")
                || is_review(l.design.as_deref()) && l.reviews_randomised_trials
        })
        .map(|l| l.pmid)
        .collect();
    let observational: Vec<u64> = counted
        .iter()
        .filter(|l| comparative_observational(l.design.as_deref()))
        .map(|l| l.pmid)
        .collect();
    let pmids = |list: &[u64]| {
        list.iter()
            .map(|p| format!("PMID {p}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let start = if !randomised.is_empty() {
        reasons.push(reason(
            "design",
            "start high",
            format!(
                "randomised evidence is linked ({}): randomised trials, or reviews of them",
                pmids(&randomised)
            ),
        ));
        CertaintyLevel::High
    } else if !observational.is_empty() {
        reasons.push(reason(
            "design",
            "start low",
            format!(
                "the best linked evidence is observational ({}): groups were not assigned at random",
                pmids(&observational)
            ),
        ));
        CertaintyLevel::Low
    } else {
        reasons.push(reason(
            "design",
            "start very-low",
            "only case series, case reports, narrative reviews, guidelines or other records are linked: no comparison group".into(),
        ));
        CertaintyLevel::VeryLow
    };
    let mut down = 0u32;
    match risk_of_bias {
        None => reasons.push(reason(
            "risk-of-bias",
            "not assessed",
            "not assessed by evcat; a reviewer can record it (claim review --risk-of-bias)".into(),
        )),
        Some(RiskOfBias::Low) => reasons.push(reason(
            "risk-of-bias",
            "none",
            "a reviewer judged the risk of bias low".into(),
        )),
        Some(RiskOfBias::SomeConcerns) => {
            down += 1;
            reasons.push(reason(
                "risk-of-bias",
                "-1",
                "a reviewer judged that the evidence raises some concerns of bias".into(),
            ));
        }
        Some(RiskOfBias::High) => {
            down += 2;
            reasons.push(reason(
                "risk-of-bias",
                "-2",
                "a reviewer judged the risk of bias high".into(),
            ));
        }
    }
    let supports = counted
        .iter()
        .filter(|l| l.stance == Some(Stance::Supports))
        .count();
    let refutes = counted
        .iter()
        .filter(|l| l.stance == Some(Stance::Refutes))
        .count();
    let mixed = counted
        .iter()
        .filter(|l| l.stance == Some(Stance::Mixed))
        .count();
    if (supports > 0 && refutes > 0) || mixed > 0 {
        down += 1;
        reasons.push(reason(
            "inconsistency",
            "-1",
            format!(
                "the linked evidence points different ways: {supports} supporting, {refutes} refuting, {mixed} mixed"
            ),
        ));
    } else {
        reasons.push(reason(
            "inconsistency",
            "none",
            "the linked evidence points the same way".into(),
        ));
    }
    let counts: Vec<f64> = counted.iter().filter_map(|l| l.participants).collect();
    let total: f64 = counts.iter().sum();
    if counts.is_empty() {
        reasons.push(reason(
            "imprecision",
            "not assessed",
            "no participant count was read from the linked records".into(),
        ));
    } else if total < IMPRECISION_PARTICIPANTS {
        down += 1;
        reasons.push(reason(
            "imprecision",
            "-1",
            if counts.len() < counted.len() {
                format!(
                    "{} participants in the {} of {} records whose size evcat read, fewer than {}; the others' size is unknown, so the evidence may be larger, but evcat cannot show it",
                    total,
                    counts.len(),
                    counted.len(),
                    IMPRECISION_PARTICIPANTS
                )
            } else {
                format!(
                    "{} participants in all, fewer than {}: too few to be sure of the size of the effect",
                    total, IMPRECISION_PARTICIPANTS
                )
            },
        ));
    } else {
        reasons.push(reason(
            "imprecision",
            "none",
            format!(
                "{} participants in all ({} of {} records with a count)",
                total,
                counts.len(),
                counted.len()
            ),
        ));
    }
    let missing: Vec<String> = claim_tags
        .iter()
        .filter(|(d, _)| matches!(d.as_str(), "condition" | "outcome" | "intervention"))
        .filter(|(d, t)| {
            !counted
                .iter()
                .any(|l| l.tags.iter().any(|(ld, lt)| ld == d && lt == t))
        })
        .map(|(d, t)| format!("{d} {t}"))
        .collect();
    if missing.is_empty() {
        reasons.push(reason(
            "indirectness",
            "none",
            "the linked evidence is tagged with every condition, outcome and intervention the claim names".into(),
        ));
    } else {
        down += 1;
        reasons.push(reason(
            "indirectness",
            "-1",
            format!(
                "the claim names {} but no linked record is about it",
                missing.join(", ")
            ),
        ));
    }
    let concerns: Vec<String> = counted
        .iter()
        .filter_map(|l| l.concern.as_ref().map(|c| format!("PMID {}: {c}", l.pmid)))
        .collect();
    if !concerns.is_empty() {
        down += 1;
        reasons.push(reason(
            "retracted-or-concerned",
            "-1",
            format!("linked evidence is in doubt: {}", concerns.join("; ")),
        ));
    }
    if counted.len() == 1 && !is_review(counted[0].design.as_deref()) {
        let n = counted[0].participants;
        if n.is_none_or(|n| n < SMALL_STUDY_PARTICIPANTS) {
            down += 1;
            reasons.push(reason(
                "single-small-study",
                "-1",
                match n {
                    Some(n) => format!(
                        "one study of {n} participants is the only evidence: one small study is easily wrong"
                    ),
                    None => "one study of unknown size is the only evidence".into(),
                },
            ));
        }
    }
    reasons.push(reason(
        "publication-bias",
        "not assessed",
        "not assessed by evcat: unpublished studies cannot be seen in the catalogue".into(),
    ));
    Certainty {
        level: start.down(down),
        starting_level: start,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(d, t)| (d.to_string(), t.to_string()))
            .collect()
    }

    fn evidence(
        pmid: u64,
        stance: Stance,
        design: &str,
        participants: Option<f64>,
    ) -> LinkedEvidence {
        LinkedEvidence {
            pmid,
            stance: Some(stance),
            design: Some(design.to_string()),
            reviews_randomised_trials: false,
            participants,
            concern: None,
            tags: tags(&[("intervention", "ozone"), ("outcome", "pain")]),
        }
    }

    const CLAIM: &[(&str, &str)] = &[("intervention", "ozone"), ("outcome", "pain")];

    fn effect(c: &Certainty, domain: &str) -> String {
        c.reasons
            .iter()
            .find(|r| r.domain == domain)
            .map(|r| r.effect.clone())
            .unwrap_or_default()
    }

    #[test]
    fn randomised_trials_start_high_and_large_consistent_evidence_stays_high() {
        let links = [
            evidence(1, Stance::Supports, "rct", Some(300.0)),
            evidence(2, Stance::Supports, "rct", Some(250.0)),
        ];
        let c = rate_certainty(&tags(CLAIM), &links, None);
        assert_eq!(c.starting_level, CertaintyLevel::High);
        assert_eq!(c.level, CertaintyLevel::High);
        assert_eq!(effect(&c, "risk-of-bias"), "not assessed");
    }

    #[test]
    fn a_review_starts_high_only_when_it_reviews_randomised_trials() {
        let mut review = evidence(1, Stance::Supports, "meta-analysis", Some(900.0));
        let c = rate_certainty(&tags(CLAIM), std::slice::from_ref(&review), None);
        assert_eq!(c.starting_level, CertaintyLevel::VeryLow);
        review.reviews_randomised_trials = true;
        let c = rate_certainty(&tags(CLAIM), &[review], None);
        assert_eq!(c.starting_level, CertaintyLevel::High);
        assert_eq!(c.level, CertaintyLevel::High);
    }

    #[test]
    fn observational_evidence_starts_low() {
        let links = [evidence(1, Stance::Supports, "cohort", Some(500.0))];
        let c = rate_certainty(&tags(CLAIM), &links, None);
        assert_eq!(c.starting_level, CertaintyLevel::Low);
        assert_eq!(c.level, CertaintyLevel::Low);
    }

    #[test]
    fn evidence_pointing_different_ways_is_inconsistent() {
        let links = [
            evidence(1, Stance::Supports, "rct", Some(300.0)),
            evidence(2, Stance::Refutes, "rct", Some(300.0)),
        ];
        let c = rate_certainty(&tags(CLAIM), &links, None);
        assert_eq!(effect(&c, "inconsistency"), "-1");
        assert_eq!(c.level, CertaintyLevel::Moderate);
    }

    #[test]
    fn few_participants_are_imprecise_and_one_small_study_is_rated_down_again() {
        let links = [evidence(1, Stance::Supports, "rct", Some(60.0))];
        let c = rate_certainty(&tags(CLAIM), &links, None);
        assert_eq!(effect(&c, "imprecision"), "-1");
        assert_eq!(effect(&c, "single-small-study"), "-1");
        assert_eq!(c.level, CertaintyLevel::Low);
    }

    #[test]
    fn imprecision_counts_what_is_known_and_says_what_is_not() {
        let links = [
            evidence(1, Stance::Supports, "rct", Some(60.0)),
            evidence(2, Stance::Supports, "rct", None),
        ];
        let c = rate_certainty(&tags(CLAIM), &links, None);
        assert_eq!(effect(&c, "imprecision"), "-1");
        assert!(c.reasons.iter().any(|r| r.why.contains("unknown")));
        assert_eq!(c.level, CertaintyLevel::Moderate);
    }

    #[test]
    fn a_claim_tag_missing_from_the_evidence_is_indirect() {
        let links = [
            evidence(1, Stance::Supports, "rct", Some(300.0)),
            evidence(2, Stance::Supports, "rct", Some(300.0)),
        ];
        let claim = tags(&[
            ("intervention", "ozone"),
            ("outcome", "pain"),
            ("outcome", "function-disability"),
        ]);
        let c = rate_certainty(&claim, &links, None);
        assert_eq!(effect(&c, "indirectness"), "-1");
        assert!(
            c.reasons
                .iter()
                .any(|r| r.why.contains("function-disability"))
        );
    }

    #[test]
    fn retracted_evidence_and_a_reviewers_risk_of_bias_rate_down() {
        let mut retracted = evidence(1, Stance::Supports, "rct", Some(300.0));
        retracted.concern = Some("retracted".into());
        let links = [retracted, evidence(2, Stance::Supports, "rct", Some(300.0))];
        let c = rate_certainty(&tags(CLAIM), &links, Some(RiskOfBias::High));
        assert_eq!(effect(&c, "retracted-or-concerned"), "-1");
        assert_eq!(effect(&c, "risk-of-bias"), "-2");
        assert_eq!(c.level, CertaintyLevel::VeryLow);
    }

    #[test]
    fn no_evidence_links_do_not_count_and_certainty_never_rises() {
        let links = [LinkedEvidence {
            stance: Some(Stance::NoEvidence),
            ..evidence(1, Stance::NoEvidence, "rct", Some(1000.0))
        }];
        let c = rate_certainty(&tags(CLAIM), &links, Some(RiskOfBias::Low));
        assert_eq!(c.level, CertaintyLevel::VeryLow);
        assert!(c.reasons.iter().all(|r| !r.effect.starts_with('+')));
    }
}
