//! Spotting the sentences of an article that make evidence claims: a small, explainable rule
//! applied to one sentence at a time ([`claim_cues`], [`is_evidence_claim`]). Pure: no I/O, no
//! catalogue access. Reading the article into sentences is [`crate::text`]'s job.
//!
//! # The evidence-claim rule
//!
//! Every cue is a short case-insensitive pattern with a lowercase label, in one of three groups:
//!
//! - **source** cues name where evidence comes from: *study/studies, trial, review,
//!   meta-analysis, research, researchers, scientists, survey, journal, published, evidence, data,
//!   results, authors, reports, according to*, and patient reports (*patients report /
//!   experience*);
//! - **finding** cues say what the evidence showed: finding verbs (*found, showed/shown,
//!   demonstrated, reported, concluded, suggests, confirmed*) and outcome words (*reduced,
//!   improved, relief, effective, efficacy, safe, safety, significant, %, outcomes, benefits,
//!   risk, compared/comparable, comparatives such as lower/higher/less/better*);
//! - **strong** cues are efficacy or safety statements that are claims on their own: *proven,
//!   "is/are ... effective", "is/are ... safe", success rate, "N% of patients", side effects,
//!   complications, adverse events, risk of, does not cause, cure*.
//!
//! A sentence is an evidence claim when it has **a source cue and a finding cue, or a strong
//! cue**, unless it is a question (ends with `?`) or a call to action (starts with *Book, Call,
//! Contact, Schedule, Ask, Visit, Click, ...*). Definitions ("Ozone is a gas made of three oxygen
//! atoms") and procedure descriptions ("Sessions last 20 minutes") carry no cue and so never
//! count. The cue lists are deliberately short and general (nothing specific to one treatment
//! or article); [`claim_cues`] returns the labels that fired so every decision can be explained.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::sentences::CLOSERS;

/// The group a cue belongs to (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    /// Where evidence comes from.
    Source,
    /// What the evidence showed.
    Finding,
    /// An efficacy or safety statement that is a claim on its own.
    Strong,
}

use CueKind::{Finding, Source, Strong};

/// `(label, kind, case-insensitive pattern)`.
const CUES: &[(&str, CueKind, &str)] = &[
    ("study", Source, r"\bstud(?:y|ies)\b"),
    ("trial", Source, r"\btrials?\b"),
    ("review", Source, r"\breviews?\b"),
    ("meta-analysis", Source, r"\bmeta[-\s]?analys[ie]s\b"),
    ("research", Source, r"\bresearch\b"),
    ("researchers", Source, r"\bresearchers?\b"),
    ("scientists", Source, r"\bscientists?\b"),
    ("survey", Source, r"\bsurveys?\b"),
    ("journal", Source, r"\bjournals?\b"),
    ("published", Source, r"\bpublished\b"),
    ("evidence", Source, r"\bevidence\b"),
    ("data", Source, r"\bdata\b"),
    ("results", Source, r"\bresults\b"),
    ("authors", Source, r"\bauthors\b"),
    ("reports", Source, r"\breports\b"),
    ("according to", Source, r"\baccording\s+to\b"),
    (
        "patients report",
        Source,
        r"\b(?:patients|people|participants|users)\s+(?:\w+\s+)?(?:report|reported|experience|experienced)\b",
    ),
    ("found", Finding, r"\b(?:found|finds)\b"),
    ("showed", Finding, r"\bshow(?:s|ed|n)?\b"),
    ("demonstrated", Finding, r"\bdemonstrat(?:e|es|ed|ing)\b"),
    ("reported", Finding, r"\breported\b"),
    ("concluded", Finding, r"\bconclu(?:de|des|ded|sion|sions)\b"),
    ("suggests", Finding, r"\bsuggest(?:s|ed|ing)?\b"),
    ("confirmed", Finding, r"\bconfirm(?:s|ed)?\b"),
    ("reduced", Finding, r"\breduc(?:e|es|ed|ing|tion|tions)\b"),
    (
        "improved",
        Finding,
        r"\bimprov(?:e|es|ed|ing|ement|ements)\b",
    ),
    ("relief", Finding, r"\brelie(?:f|ve|ves|ved)\b"),
    ("effective", Finding, r"\beffective(?:ness)?\b"),
    ("efficacy", Finding, r"\befficacy\b"),
    ("safe", Finding, r"\bsafe(?:ly)?\b"),
    ("safety", Finding, r"\bsafety\b"),
    ("significant", Finding, r"\bsignificant(?:ly)?\b"),
    ("%", Finding, r"\d\s*%|\bper\s?cent\b"),
    ("outcomes", Finding, r"\boutcomes?\b"),
    ("benefits", Finding, r"\bbenefi(?:t|ts|cial)\b"),
    ("risk", Finding, r"\brisks?\b"),
    ("compared", Finding, r"\bcompar(?:ed|able|ison)\b"),
    (
        "comparative",
        Finding,
        r"\b(?:lower|higher|fewer|less|better|worse|greater)\b",
    ),
    (
        "proven",
        Strong,
        r"\b(?:clinically\s+|scientifically\s+)?prov(?:en|es?)\b",
    ),
    (
        "is effective",
        Strong,
        r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+){0,2}?effective\b",
    ),
    (
        "is safe",
        Strong,
        r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+){0,2}?safe\b",
    ),
    ("success rate", Strong, r"\bsuccess\s+rates?\b"),
    (
        "% of patients",
        Strong,
        r"\d\s*%\s+of\s+(?:\w+\s+)?(?:patients|people|participants|cases|users|subjects|women|men|adults|children)\b",
    ),
    ("side effects", Strong, r"\bside[-\s]effects?\b"),
    ("complications", Strong, r"\bcomplications?\b"),
    (
        "adverse events",
        Strong,
        r"\badverse\s+(?:events?|effects?|reactions?)\b",
    ),
    ("risk of", Strong, r"\brisks?\s+of\b"),
    (
        "does not cause",
        Strong,
        r"\b(?:does|do|did|will|can)\s*(?:not|n't|n\x{2019}t)\s+cause\b|\bcauses?\s+no\b",
    ),
    ("cure", Strong, r"\bcure[sd]?\b"),
];

struct Cue {
    label: &'static str,
    kind: CueKind,
    re: Regex,
}

static COMPILED_CUES: LazyLock<Vec<Cue>> = LazyLock::new(|| {
    CUES.iter()
        .map(|&(label, kind, pattern)| Cue {
            label,
            kind,
            re: Regex::new(&format!("(?i){pattern}")).unwrap(),
        })
        .collect()
});

/// Sentences that start like a call to action.
static CALL_TO_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:book|call|contact|schedule|ask|visit|click|subscribe|sign\s+up|register|request|order|buy|shop|download|join|learn\s+more|find\s+out|talk\s+to|speak\s+to|get\s+in\s+touch|make\s+an\s+appointment)\b",
    )
    .unwrap()
});

/// The evidence-claim cues found in a sentence, as lowercase labels (such as `"study"`,
/// `"published"`, `"found"`, `"significant"`, `"according to"`, `"proven"`, `"side effects"`,
/// `"% of patients"`), in a fixed order and without duplicates; empty when the sentence makes no
/// evidence claim under the rule in the module documentation (a source cue and a finding cue, or
/// a strong cue; never a question or a call to action).
pub fn claim_cues(sentence: &str) -> Vec<&'static str> {
    let trimmed = sentence.trim().trim_end_matches(CLOSERS);
    if trimmed.ends_with('?') || CALL_TO_ACTION.is_match(trimmed) {
        return Vec::new();
    }
    let found: Vec<&Cue> = COMPILED_CUES
        .iter()
        .filter(|cue| cue.re.is_match(sentence))
        .collect();
    let has = |kind: CueKind| found.iter().any(|cue| cue.kind == kind);
    if has(Strong) || (has(Source) && has(Finding)) {
        found.iter().map(|cue| cue.label).collect()
    } else {
        Vec::new()
    }
}

/// Whether a sentence makes an evidence claim: it names a source of evidence (study, trial,
/// review, journal, researchers, data, ...) together with a finding (found, showed, reduced,
/// effective, significant, %, ...), or it makes a strong efficacy/safety statement (proven,
/// "is effective", "is safe", success rate, "N% of patients", side effects, complications, risk
/// of, ...); questions and calls to action never do. See [`claim_cues`] for the cues that fired.
pub fn is_evidence_claim(sentence: &str) -> bool {
    !claim_cues(sentence).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{DocFormat, Sentence, sentences};

    #[test]
    fn evidence_claims() {
        let yes = [
            "A study published in Pain Physician found that ozone therapy significantly reduced pain.",
            "Researchers reported good outcomes in patients with sciatica.",
            "According to a 2019 review, the treatment is effective in most patients.",
            "Ozone therapy is proven to relieve back pain.",
            "Up to 80% of patients are pain-free after treatment.",
            "There are no side effects.",
            "Serious complications are rare.",
            "The procedure has a success rate of over 90 percent.",
            "Acupuncture is safe for pregnant women.",
        ];
        for s in yes {
            assert!(
                is_evidence_claim(s),
                "should be a claim: {s} ({:?})",
                claim_cues(s)
            );
        }
        let no = [
            "Ozone is a gas made of three oxygen atoms.",
            "Sessions last 20 minutes.",
            "Does ozone therapy really work?",
            "Book a consultation with our team today.",
            "What does the research say?",
            "Your doctor will review your MRI before treatment.",
            "We published this guide in 2024.",
            "It may improve blood flow.",
        ];
        for s in no {
            assert!(
                !is_evidence_claim(s),
                "should not be a claim: {s} ({:?})",
                claim_cues(s)
            );
        }
        assert_eq!(
            claim_cues("A study published in a journal found significant relief."),
            vec![
                "study",
                "journal",
                "published",
                "found",
                "relief",
                "significant"
            ]
        );
        assert!(claim_cues("Sessions last 20 minutes.").is_empty());
    }

    const ARTICLE_MD: &str = include_str!("../../fixtures/articles/ozone-back-pain.md");
    const ARTICLE_HTML: &str = include_str!("../../fixtures/articles/ozone-back-pain.html");
    const LABELS: &str = include_str!("../../fixtures/articles/labels.txt");

    fn labels() -> Vec<&'static str> {
        LABELS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    }

    #[test]
    fn article_precision_and_recall() {
        let labels = labels();
        assert!(labels.len() >= 10);
        for (doc, format) in [
            (ARTICLE_MD, DocFormat::Markdown),
            (ARTICLE_HTML, DocFormat::Html),
        ] {
            let all = sentences(doc, format);
            for label in &labels {
                let n = all.iter().filter(|s| s.text.contains(label)).count();
                assert_eq!(n, 1, "{format:?}: label {label:?} is in {n} sentences");
            }
            let predicted: Vec<&Sentence> =
                all.iter().filter(|s| is_evidence_claim(&s.text)).collect();
            let correct = predicted
                .iter()
                .filter(|s| labels.iter().any(|l| s.text.contains(l)))
                .count();
            let recalled = labels
                .iter()
                .filter(|l| predicted.iter().any(|s| s.text.contains(*l)))
                .count();
            let precision = correct as f64 / predicted.len().max(1) as f64;
            let recall = recalled as f64 / labels.len() as f64;
            println!(
                "{format:?}: {} sentences, {} labelled, {} predicted, {} correct; precision {:.3}, recall {:.3}",
                all.len(),
                labels.len(),
                predicted.len(),
                correct,
                precision,
                recall
            );
            for s in &predicted {
                let ok = labels.iter().any(|l| s.text.contains(l));
                println!(
                    "  {} {:?} {:?}",
                    if ok { "TP" } else { "FP" },
                    claim_cues(&s.text),
                    s.text
                );
            }
            for l in labels
                .iter()
                .filter(|l| !predicted.iter().any(|s| s.text.contains(*l)))
            {
                println!("  FN {l:?}");
            }
            assert!(precision >= 0.8, "{format:?}: precision {precision:.3}");
            assert!(recall >= 0.8, "{format:?}: recall {recall:.3}");
        }
    }
}
