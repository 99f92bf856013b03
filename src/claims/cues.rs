//! The cues of an evidence claim: a small, explainable rule applied to one sentence at a time
//! ([`claim_cues`], [`is_evidence_claim`]). `audit` lists the cues that fired beside each claim,
//! and [`super::article`] uses them to tell a study claim (a source with a finding); which
//! sentences are claims at all, and of what kind, is [`super::article`]'s rule. Pure: no I/O,
//! no catalogue access. Reading the article into sentences is [`crate::text`]'s job.
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
//!   complications, adverse events, risk of, does not cause, cure*; typical-course statements
//!   (*most people/patients ... within/after N days/sessions, most patients need N sessions,
//!   recovery is quick/takes N weeks, relief usually lasts, it usually takes N weeks to
//!   recover*); and safety statements (*case reports describe/of serious events, deaths have
//!   been reported, serious infections can/are ..., infection/complication/mortality rate*).
//!
//! A sentence is an evidence claim when it has **a source cue and a finding cue, or a strong
//! cue**, unless it is a question (ends with `?`) or a call to action or advice (starts with
//! *Book, Call, Contact, Schedule, Ask, Visit, Click, ..., Tell your, Let us, Make sure,
//! Remember, Please, Seek, Avoid*). The typical-course and safety cues need a sentence, not a
//! topic: "Recovery", "Case reports" or "Serious events" as a heading carries no cue. Definitions ("Ozone is a gas made of three oxygen
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
    // Typical course: what most people experience, and when ("most people return to work within
    // a few days", "most patients need two or three sessions", "recovery is quick", "relief
    // usually lasts months"). A bare "recovery" or "sessions last 20 minutes" is not one.
    (
        "typical course",
        Strong,
        r"\b(?:most|nearly\s+all|almost\s+all|the\s+majority\s+of)\s+(?:\w+\s+){0,2}?(?:people|patients|participants|users|clients|sufferers|women|men|adults|children)\b[^.;?!]{0,60}?\b(?:(?:within|after|in|by|for|over)\s+(?:\w+\s+){0,3}?(?:days?|weeks?|months?|years?|hours?|sessions?|treatments?|injections?|visits?)|(?:need|needs|needed|require|requires|required|receive|receives|received|have|has|had|get|gets)\s+(?:\w+\s+){0,4}?(?:sessions?|treatments?|injections?|visits?))\b",
    ),
    (
        "recovery",
        Strong,
        r"\brecover(?:y|ies)\s+(?:\w+\s+){0,2}?(?:takes?|took|lasts?|is|was|are|were)\s+(?:\w+\s+){0,3}?(?:days?|weeks?|months?|hours?|quick|quicker|fast|faster|rapid|short|shorter|slow|long)\b",
    ),
    (
        "usually takes",
        Strong,
        r"\b(?:recovery|healing|relief|improvement|effects?|benefits?|results?|symptoms?|pain|soreness)\s+(?:\w+\s+){0,2}?(?:usually|typically|generally|normally|often)\s+(?:takes?|lasts?|persists?|resolves?|settles?|subsides?|disappears?|appears?|begins?|starts?)\b|\b(?:usually|typically|generally|normally|often)\s+takes?\s+(?:\w+\s+){0,5}?to\s+(?:recover|heal|improve|feel|notice|see|work|return|get\s+back)\b",
    ),
    // Safety: reports of harm ("a handful of case reports describe serious events", "deaths have
    // been reported"), serious or rare harms, complication and infection rates.
    (
        "case reports of harm",
        Strong,
        r"\b(?:case\s+reports?|case\s+series|reports?|cases?)\s+(?:\w+\s+){0,2}?(?:describ\w*|document\w*|report\w*|link\w*|show\w*|warn\w*|of)\s+(?:\w+\s+){0,4}?(?:serious|severe|fatal|life[-\s]threatening|harms?|harmful|deaths?|died|injur(?:y|ies)|infections?|strokes?|paralysis|damage|bleeding|embolism|complications?|events?|reactions?)\b",
    ),
    (
        "harm reported",
        Strong,
        r"\b(?:deaths?|strokes?|paralysis|infections?|injur(?:y|ies)|harms?|embolism|bleeding)\s+(?:\w+\s+){0,2}?(?:have|has|had)\s+(?:\w+\s+)?been\s+(?:reported|described|documented|linked|seen|observed)\b",
    ),
    (
        "serious harm",
        Strong,
        r"\b(?:rare|serious|severe|fatal|life[-\s]threatening|major)\s+(?:\w+\s+)?(?:events?|reactions?|harms?|injur(?:y|ies)|infections?|problems?)\s+(?:are|is|were|was|have|has|had|can|may|might|occur\w*|happen\w*)\b",
    ),
    (
        "complication rate",
        Strong,
        r"\b(?:infection|mortality|death|complication|reaction|harm)\s+rates?\b",
    ),
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
        r"(?i)^\W*(?:book|call|contact|schedule|ask|visit|click|subscribe|sign\s+up|register|request|order|buy|shop|download|join|learn\s+more|find\s+out|talk\s+to|speak\s+to|get\s+in\s+touch|make\s+an\s+appointment|tell\s+(?:your|us|the)|let\s+(?:us|your)|make\s+sure|remember|please|seek|avoid)\b",
    )
    .unwrap()
});

/// Whether a sentence is a call to action or advice ("Book a consultation", "Talk to your
/// doctor"): never an evidence claim.
pub(crate) fn is_call_to_action(sentence: &str) -> bool {
    CALL_TO_ACTION.is_match(sentence)
}

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

    /// Issue 11, item 17: how the illness usually goes and what harm has been seen are evidence
    /// claims; headings, questions, advice and procedure descriptions on the same topics are not.
    #[test]
    fn typical_course_and_safety_statements() {
        let yes = [
            // typical course
            "Most people return to work within a few days.",
            "Most of the patients we treat feel better after two sessions.",
            "The majority of patients need three or four injections.",
            "Recovery usually takes about six weeks.",
            "Because nothing is cut, recovery is quick.",
            "Relief typically lasts for several months.",
            "It usually takes two to three weeks to feel the full effect.",
            // safety
            "A handful of case reports describe serious events.",
            "Case reports of fatal air embolism exist.",
            "Deaths have been reported after injections into the neck.",
            "Serious infections can follow any injection.",
            "The infection rate was under one in a thousand.",
        ];
        for s in yes {
            assert!(
                is_evidence_claim(s),
                "should be a claim: {s} ({:?})",
                claim_cues(s)
            );
        }
        let no = [
            // headings
            "Recovery",
            "Recovery time",
            "Case reports",
            "Serious events",
            // questions
            "How long does recovery take?",
            "Do most people return to work within a week?",
            "Are there case reports of serious events?",
            // advice and marketing
            "Tell your doctor at once if you notice any side effects.",
            "Avoid lifting heavy objects for the first week.",
            "Please let us know about complications after your visit.",
            "Book now and be back at work within days!",
            // procedure descriptions
            "Sessions usually last about 20 minutes.",
            "The procedure typically takes 20 minutes.",
            "The treatment is usually done under X-ray guidance.",
            "Most clinics are open on Saturdays.",
        ];
        for s in no {
            assert!(
                !is_evidence_claim(s),
                "should not be a claim: {s} ({:?})",
                claim_cues(s)
            );
        }
        assert_eq!(
            claim_cues("Most people return to work within a few days."),
            ["typical course"]
        );
        assert_eq!(
            claim_cues("A handful of case reports describe serious events."),
            ["reports", "case reports of harm"]
        );
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
