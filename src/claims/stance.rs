//! Which way a record points for a claim: its findings read against what the claim says.
//!
//! The claim is read with the same rules as a finding ([`read_statement`]): a claim of benefit
//! ("relieves", "improves", "is effective"; a claim that says no direction is read as one of
//! benefit), of no effect ("no better than placebo", "does not work"), of safety ("is safe",
//! "no side effects") or of harm ("can cause infections", "carries a risk of").
//!
//! Per outcome the claim names (its outcome tags; a safety or harm claim speaks of adverse
//! events; a claim with no outcome of the taxonomy speaks of the record's overall conclusion),
//! the record's finding on that outcome decides — or, when it has none but the record reports
//! the outcome (its outcome tags), its finding on no particular outcome ("the treatment was
//! effective"); an outcome the record does not report gives no stance:
//! - a claim of benefit: a benefit finding supports, no difference or harm refutes, mixed is mixed;
//! - a claim of no effect: no difference supports, benefit refutes;
//! - a claim of safety: a safe finding supports, harm refutes;
//! - a claim of harm: harm supports, a safe finding refutes.
//!
//! The outcomes' stances together: all the same, that one; supports beside refutes, mixed.
//! No finding on any outcome the claim names, a record that does not study the intervention
//! the claim names (its tags, or for a treatment the taxonomy does not name, its title), or a
//! record about other patients (condition tags, or the part of the body titles name): no stance.
//!
//! Notes say where the claim overstates the record: an outcome the claim names that the record
//! did not report; "a study found" of a review or meta-analysis; "significantly" of a finding the
//! record calls not significant; "cures" or "eliminates" of an improvement.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::values::Stance;
use crate::abstracts::findings::{Direction, Finding, Findings, Significance, read_statement};
use crate::tagging::{RecordTag, TagSource};
use crate::text::patterns::pattern;

/// A claim as its stance is read: its words and its tags.
#[derive(Debug, Clone, Default)]
pub struct ClaimSummary<'a> {
    /// What the claim says.
    pub text: &'a str,
    /// Its condition tags.
    pub conditions: Vec<&'a str>,
    /// Its outcome tags.
    pub outcomes: Vec<&'a str>,
    /// Its intervention tags.
    pub interventions: Vec<&'a str>,
}

/// What a record's tags say of it, for reading its stance.
#[derive(Debug, Clone, Default)]
pub struct RecordSummary<'a> {
    /// Its design tag.
    pub design: Option<&'a str>,
    /// Its condition tags.
    pub conditions: Vec<&'a str>,
    /// Its intervention tags.
    pub interventions: Vec<&'a str>,
    /// Its outcome tags.
    pub outcomes: Vec<&'a str>,
    /// The intervention its title names first: what the record studies.
    pub studied: Option<&'a str>,
    /// Its title.
    pub title: &'a str,
}

/// The intervention a record's title names first, from the title evidence of its rule tags;
/// in an add-on trial the one added ("Epidural steroid with or without oxygen-ozone", "Ozone
/// added to physiotherapy").
pub fn studied_in_title<'a>(title: &str, tags: &'a [RecordTag]) -> Option<&'a str> {
    static ADDED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        pattern(r"(?i)\b(?:with\s+(?:or|and)\s+without|adding|with\s+added|with\s+adjunctive)\b")
    });
    static ALONE: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)\balone\b"));
    static ADDED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        pattern(r"(?i)\b(?:added\s+to|in\s+addition\s+to|as\s+an?\s+(?:adjunct|add-on)\s+to)\b")
    });
    let mentions: Vec<(&str, Option<usize>)> = tags
        .iter()
        .filter(|t| t.dimension == "intervention")
        .map(|t| {
            let in_title = t
                .evidence
                .iter()
                .filter(|e| e.source == TagSource::Title)
                .filter_map(|e| e.start)
                .min();
            (t.tag.as_str(), in_title)
        })
        .collect();
    let char_at = |byte: usize| title[..byte].chars().count();
    let real = |tag: &str| tag != "placebo-sham";
    if let Some(m) = ADDED_AFTER.find(title) {
        // What follows "with or without" reads as negated to the tagger; when no mention is
        // known after it, which one is added is unknown.
        let at = char_at(m.end());
        return mentions
            .iter()
            .filter(|(t, s)| real(t) && s.is_some_and(|s| s >= at))
            .min_by_key(|(_, s)| *s)
            .map(|(tag, _)| *tag);
    }
    if let Some(m) = ADDED_BEFORE.find(title) {
        let at = char_at(m.start());
        if let Some((tag, _)) = mentions
            .iter()
            .filter(|(t, s)| real(t) && s.is_some_and(|s| s < at))
            .max_by_key(|(_, s)| *s)
        {
            return Some(tag);
        }
    }
    // "A plus B versus B alone": B is the background both arms get, A is studied.
    if let Some(m) = ALONE.find(title) {
        let at = char_at(m.start());
        let background = mentions
            .iter()
            .filter(|(t, s)| real(t) && s.is_some_and(|s| s < at))
            .max_by_key(|(_, s)| *s)
            .map(|(t, _)| *t);
        if let Some(background) = background
            && let Some(studied) =
                studied_intervention(mentions.iter().copied().filter(|(t, _)| *t != background))
        {
            return Some(studied);
        }
    }
    studied_intervention(mentions)
}

/// Why a record is about other patients than a claim, from their condition tags: the neck
/// against the low back, or a specific condition the record does not have (sciatica claimed,
/// spinal stenosis studied). A claim on back pain in general fits any record of the low back;
/// a record tagged with no condition is not judged.
fn other_patients(claimed: &[&str], studied: &[&str]) -> Option<String> {
    // A disc herniation and the sciatica it causes are one condition here.
    let radicular = |t: &&str| matches!(*t, "herniated-disc" | "sciatica");
    if claimed.is_empty()
        || studied.is_empty()
        || claimed.iter().any(|c| studied.contains(c))
        || claimed.iter().any(radicular) && studied.iter().any(radicular)
    {
        return None;
    }
    let neck = |tags: &[&str]| tags.iter().all(|t| *t == "neck-pain");
    let general = |t: &str| matches!(t, "low-back-pain" | "neck-pain");
    let other_region = neck(claimed) != neck(studied);
    let other_condition = !claimed.iter().any(|c| general(c));
    (other_region || other_condition).then(|| {
        format!(
            "the record is about {}, not {}",
            studied.join(", "),
            claimed.join(" or ")
        )
    })
}

/// Where in the body a text places its patients: the spine (back, neck, disc, sciatica) or
/// another site (knee, shoulder, hip, hand, foot, jaw, joints, ...).
fn body_sites(text: &str) -> Vec<&'static str> {
    static SITES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
        [
            (
                "low back",
                r"(?i)\b(?:back|lumbar|lumbosacral|sciatica|sciatic|sacroiliac|coccy\w*|low-back)\b",
            ),
            ("neck", r"(?i)\b(?:cervical|neck|whiplash)\b"),
            (
                "spine",
                r"(?i)\b(?:spine|spinal|dis[ck]s?|radicul\w*|thoracic|vertebr\w*|facet)\b",
            ),
            ("knee", r"(?i)\b(?:knees?|patell\w*|menisc\w*|tibiofemoral)\b"),
            ("hip", r"(?i)\b(?:hips?|femoroacetabular)\b"),
            (
                "shoulder",
                r"(?i)\b(?:shoulders?|rotator\s+cuff|subacromial|glenohumeral|frozen)\b",
            ),
            (
                "arm",
                r"(?i)\b(?:elbows?|epicondyl\w*|wrists?|hands?|fingers?|thumbs?|carpal)\b",
            ),
            (
                "foot",
                r"(?i)\b(?:ankles?|foot|feet|heels?|plantar|achilles)\b",
            ),
            ("jaw", r"(?i)\b(?:jaw|temporomandibular|tmj|dental|teeth|tooth)\b"),
            ("head", r"(?i)\bmigraines?\b"),
            ("joints", r"(?i)\b(?:joint\s+pain|arthralgia|polyarthr\w*|rheumatoid)\b"),
        ]
        .into_iter()
        .map(|(site, p)| (site, pattern(p)))
        .collect()
    });
    let mut sites: Vec<&'static str> = SITES
        .iter()
        .filter(|(_, re)| re.is_match(text))
        .map(|(site, _)| *site)
        .collect();
    // The spine in general is the low back or the neck, when neither is named.
    if sites.contains(&"spine") {
        sites.retain(|s| *s != "spine");
        if !sites.contains(&"low back") && !sites.contains(&"neck") {
            sites.extend(["low back", "neck"]);
        }
    }
    sites
}

/// Why a record is about another part of the body than a claim: the sites the claim's words
/// and condition tags name against those the record's title names, when they share none (a
/// claim on back pain, a trial in knee osteoarthritis). A side that names no site is not
/// judged.
fn other_body_site(
    claim_text: &str,
    assertion: Assertion,
    claim_conditions: &[&str],
    record: &RecordSummary<'_>,
) -> Option<String> {
    // A claim of safety names body parts as side effects, not as its patients: only its
    // condition tags place it, and the spine is one place for it (a complication of a cervical
    // injection speaks to the safety of lumbar ones).
    let of_benefit = matches!(assertion, Assertion::Benefit | Assertion::NoEffect);
    let mut claimed = if of_benefit {
        body_sites(claim_text)
    } else {
        Vec::new()
    };
    // Its condition tags place it when its words do not.
    if claimed.is_empty() {
        for condition in claim_conditions {
            let sites: &[&'static str] = match *condition {
                "neck-pain" => &["neck"],
                "post-surgical-pain" => &[],
                "low-back-pain"
                | "sciatica"
                | "facet-joint-syndrome"
                | "spinal-stenosis"
                | "muscle-strain" => &["low back"],
                _ => &["low back", "neck"],
            };
            for site in sites {
                if !claimed.contains(site) {
                    claimed.push(site);
                }
            }
        }
    }
    let mut studied = body_sites(record.title);
    if !of_benefit {
        for sites in [&mut claimed, &mut studied] {
            for site in sites.iter_mut() {
                if *site == "neck" {
                    *site = "low back";
                }
            }
        }
    }
    if claimed.is_empty() || studied.is_empty() || claimed.iter().any(|c| studied.contains(c)) {
        return None;
    }
    Some(format!(
        "the record is about the {}, not the {}",
        studied.join(", "),
        claimed.join(" or ")
    ))
}

/// The words of a claim that name its treatment, when they are more than a kind of treatment:
/// "Vitamin D supplements prevent falls" gives `["vitamin"]`; "Injections help" gives `None`.
fn unnamed_treatment(claim: &str) -> Option<Vec<String>> {
    static LEAD: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)^\W*(?:(?:a|an|the|one|recent|new|large)\s+)*(?:\d{4}\s+)?(?:[\w-]+\s+){0,2}?(?:study|trial|review|meta-analysis|research|studies|trials|evidence)\s+(?:[\w,-]+\s+){0,6}?(?:found|finds|showed|shows|suggests|suggested|says|concluded|reported|confirmed|proved|proves|demonstrated)\s+(?:that\s+)?",
        )
    });
    static VERB: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:is|are|was|were|can|could|may|might|will|does|do|did|has|have|had|no|not|helps?|relieves?|reduces?|prevents?|improves?|eases?|cuts?|cures?|gets?|gives?|works?|treats?|lowers?|boosts?|speeds?|stops?|heals?|protects?|restores?|causes?|leads?|makes?|keeps?|brings?|beats?|outperforms?|halves?|doubles?|shortens?|lessens?|soothes?|fixes?|ends?|eliminates?|removes?|lets?)\b",
        )
    });
    // Words of a claim's subject that name no particular treatment (the kinds of treatment,
    // KIND_WORDS, aside), with classes of drug a claim names where a record names the drug
    // ("anti-inflammatory painkillers", "topical diclofenac").
    const KIND_OF_TREATMENT: &[&str] = &[
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "with",
        "for",
        "in",
        "to",
        "daily",
        "regular",
        "drugs",
        "drug",
        "medication",
        "medications",
        "medicine",
        "medicines",
        "programme",
        "programmes",
        "program",
        "programs",
        "session",
        "intake",
        "use",
        "using",
        "taking",
        "high-dose",
        "low-dose",
        "dose",
        "doses",
        "course",
        "courses",
        "procedure",
        "procedures",
        "technique",
        "techniques",
        "care",
        "simple",
        "gentle",
        "local",
        "oral",
        "topical",
        "it",
        "they",
        "this",
        "these",
        "that",
        "anti-inflammatory
        // painkillers",
        "topical diclofenac",
        "painkillers",
        "painkiller",
        "anti-inflammatory",
        "anti-inflammatories",
        "nsaids",
        "nsaid",
        "analgesics",
        "analgesic",
        "opioids",
        "opioid",
        "antidepressants",
        "antidepressant",
        "antibiotics",
        "antibiotic",
        "relaxants",
        "relaxant",
        "muscle",
        "prescription",
        "over-the-counter",
        "natural",
        "herbal",
        "remedies",
        "remedy",
        "alternative",
        "complementary",
        "conventional",
        "standard",
        "usual",
        "common",
    ];
    // Words that make a subject something other than a named treatment ("Side effects of the
    // injections are rare", "Studies show").
    const NOT_A_TREATMENT: &[&str] = &[
        "side",
        "effects",
        "effect",
        "complications",
        "complication",
        "risks",
        "risk",
        "benefits",
        "benefit",
        "results",
        "result",
        "studies",
        "study",
        "researchers",
        "doctors",
        "patients",
        "people",
        "reports",
        "evidence",
        "serious",
        "rare",
        "most",
        "many",
        "some",
        "because",
        "there",
        "what",
        "which",
        "who",
        "when",
        "where",
        "while",
    ];
    // The kinds of treatment that, named with something else, make that something the
    // treatment's name: "vitamin D supplements", "turmeric capsules", "cupping therapy".
    const KIND_WORDS: &[&str] = &[
        "supplements",
        "supplement",
        "supplementation",
        "injections",
        "injection",
        "shots",
        "shot",
        "therapy",
        "therapies",
        "treatment",
        "treatments",
        "pills",
        "pill",
        "tablets",
        "tablet",
        "capsules",
        "capsule",
        "drops",
        "cream",
        "creams",
        "gel",
        "patches",
        "patch",
        "oil",
        "tea",
        "extract",
        "exercises",
        "exercise",
        "training",
        "massage",
        "sessions",
    ];
    let rest = LEAD.find(claim).map_or(claim, |m| &claim[m.end()..]);
    let subject = VERB.find(rest).map_or("", |m| &rest[..m.start()]);
    let all: Vec<String> = subject
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if !all.iter().any(|w| KIND_WORDS.contains(&w.as_str()))
        || all.iter().any(|w| NOT_A_TREATMENT.contains(&w.as_str()))
    {
        return None;
    }
    let words: Vec<String> = all
        .into_iter()
        .filter(|w| {
            w.chars().count() >= 3
                && !KIND_OF_TREATMENT.contains(&w.as_str())
                && !KIND_WORDS.contains(&w.as_str())
        })
        .collect();
    (!words.is_empty()).then_some(words)
}

/// Whether `title` names any of `words` (as a word or the start of one: "exercise" in
/// "exercises").
fn names_words_of(title: &str, words: &[String]) -> bool {
    let title = title.to_lowercase();
    let title_words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .collect();
    words.iter().any(|w| {
        title_words
            .iter()
            .any(|t| t.starts_with(w.as_str()) || w.starts_with(*t) && t.chars().count() >= 4)
    })
}

/// The intervention a record's title names first, from its tags' title evidence (each tag with
/// the character offset of its first mention in the title, if any).
fn studied_intervention<'a>(
    interventions: impl IntoIterator<Item = (&'a str, Option<usize>)>,
) -> Option<&'a str> {
    // A placebo or sham is what a record compares against, never what it studies
    // ("Sham-controlled trial of ozone").
    interventions
        .into_iter()
        .filter(|(tag, _)| *tag != "placebo-sham")
        .filter_map(|(tag, start)| start.map(|s| (s, tag)))
        .min()
        .map(|(_, tag)| tag)
}

/// A suggested stance with its reason and notes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StanceSuggestion {
    /// The stance, or `None` when the record's findings do not bear on the claim.
    pub stance: Option<Stance>,
    /// The finding sentence, with its outcome and direction.
    pub reason: Option<String>,
    /// Where the claim says more than the record shows.
    pub notes: Vec<String>,
}

/// What a claim asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assertion {
    Benefit,
    NoEffect,
    Safe,
    Harmful,
}

/// "can cause infections", "carries a risk of nerve damage".
static CAUSES_HARM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:caus(?:es?|ed|ing)|lead(?:s|ing)?\s+to|led\s+to|result(?:s|ed)?\s+in|risks?\s+of|risky|dangerous|harmful|unsafe|toxic|linked\s+to|associated\s+with)\b",
    )
});

/// A title that compares doses or schedules of one treatment: "Two concentrations of ...",
/// "High-dose versus low-dose ...", "a dose-finding trial".
static DOSES_COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:two|three|four|different|two\s+different)\s+(?:[\w-]+\s+)?(?:concentrations?|doses|dosages|regimens|volumes|frequencies|schedules)\s+of\b|\b(?:high|higher|low|lower|standard)[-\s]dose\s+(?:versus|vs\.?|compared\s+with|or)\s+(?:high|higher|low|lower|standard)[-\s]dose\b|\bdose[-\s](?:finding|ranging|comparison)\b",
    )
});

/// A claim that compares two treatments: "works as well as surgery".
static EQUIVALENCE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:as\s+(?:well|effective|effectively|good|safe)\s+as|(?:equivalent|equal|comparable|similar)\s+(?:to|with)|(?:better|more\s+effective|superior|worse|safer)\s+(?:than|to)|versus|vs\.?|compared\s+(?:with|to))\b",
    )
});

static A_STUDY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:a|one|the)\s+(?:[\w-]+\s+){0,2}?(?:study|trial|experiment)\s+(?:[\w-]+\s+){0,6}?(?:found|showed|shows|finds|demonstrated|proved|reported|concluded)\b",
    )
});

static ABSOLUTE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:cure[sd]?|curing|eliminat\w*|eradicat\w*|always|guarantee\w*|completely|permanently|miracle|100\s*%|for\s+good|forever|for\s+life|once\s+and\s+for\s+all)",
    )
});

/// A note when the claim names a kind of study the record is not: "a study found" of a review,
/// "a meta-analysis showed" of one trial, "a trial showed" of a case report.
fn design_overstated(text: &str, design: &str) -> Option<String> {
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)\b(?:a|an|one|the)\s+(?:[\w-]+\s+){0,3}?(meta-analys[ie]s|systematic\s+review|review|randomi[sz]ed\s+(?:controlled\s+)?trial|controlled\s+trial|clinical\s+trial|trial|rct|study|experiment)\b",
        )
    });
    let named = NAMED.captures(text)?.get(1)?.as_str().to_ascii_lowercase();
    let review = matches!(
        design,
        "meta-analysis" | "systematic-review" | "narrative-review"
    );
    let wrong = if named.starts_with("meta-analys") {
        design != "meta-analysis"
    } else if named.contains("review") {
        !review
    } else if named.contains("trial") || named == "rct" {
        !matches!(design, "rct" | "non-randomized-trial")
    } else {
        review && A_STUDY.is_match(text)
    };
    wrong.then(|| format!("the claim speaks of a {named}; this record is a {design}"))
}

fn assertion(claim: &str) -> Assertion {
    let read = read_statement(claim);
    // "rarely cause complications", "do not cause side effects": a claim of safety.
    static SELDOM_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?i)(?:\b(?:rarely|seldom|never|not|no|without|unlikely\s+to|hardly\s+ever|almost\s+never)|n't)\s+(?:[\w-]+\s+){0,2}$",
        )
    });
    let causes_harm = CAUSES_HARM
        .find_iter(claim)
        .any(|m| !SELDOM_BEFORE.is_match(&claim[..m.start()]));
    if read.safety == Some(Direction::Harm)
        || causes_harm && read.efficacy != Some(Direction::Benefit)
    {
        return Assertion::Harmful;
    }
    match read.efficacy {
        Some(Direction::NoDifference) => Assertion::NoEffect,
        Some(Direction::Harm) => Assertion::Harmful,
        Some(_) => Assertion::Benefit,
        None if read.safety == Some(Direction::Benefit) => Assertion::Safe,
        None => Assertion::Benefit,
    }
}

/// The stance of one finding for one assertion.
fn stance_of(assertion: Assertion, direction: Direction) -> Stance {
    use Direction::*;
    match (assertion, direction) {
        (_, Mixed) => Stance::Mixed,
        (Assertion::Benefit, Benefit) => Stance::Supports,
        (Assertion::Benefit, NoDifference | Harm) => Stance::Refutes,
        (Assertion::NoEffect, NoDifference) => Stance::Supports,
        (Assertion::NoEffect, Benefit) => Stance::Refutes,
        (Assertion::NoEffect, Harm) => Stance::Supports,
        (Assertion::Safe, Benefit) => Stance::Supports,
        (Assertion::Safe, Harm) => Stance::Refutes,
        (Assertion::Safe, NoDifference) => Stance::Supports,
        (Assertion::Harmful, Harm) => Stance::Supports,
        (Assertion::Harmful, Benefit | NoDifference) => Stance::Refutes,
    }
}

/// The stance `findings` of a record (summarised by `record`) take on the claim `text` with the
/// outcome and intervention tags `claim_outcomes` and `claim_interventions`.
pub fn suggest_stance(
    claim: &ClaimSummary<'_>,
    findings: &Findings,
    record: &RecordSummary<'_>,
) -> StanceSuggestion {
    let text = claim.text;
    let claim_outcomes = &claim.outcomes[..];
    let claim_interventions = &claim.interventions[..];
    let mut notes = Vec::new();
    let assertion = assertion(text);
    if let Some(note) = record
        .design
        .and_then(|design| design_overstated(text, design))
    {
        notes.push(note);
    }
    if !claim_interventions.is_empty()
        && !claim_interventions
            .iter()
            .any(|i| record.interventions.contains(i))
    {
        return StanceSuggestion {
            stance: None,
            reason: Some(format!(
                "the record does not study {}",
                claim_interventions.join(" or ")
            )),
            notes,
        };
    }
    // A claim whose treatment the taxonomy does not name ("Vitamin D supplements prevent
    // falls"): the record's title must name it.
    if claim_interventions.is_empty()
        && let Some(subject) = unnamed_treatment(text)
        && !names_words_of(record.title, &subject)
    {
        return StanceSuggestion {
            stance: None,
            reason: Some(format!("the record does not study {}", subject.join(" "))),
            notes,
        };
    }
    // A record of other patients than the claim's: neck pain for a claim on the low back, or
    // spinal stenosis for a claim on sciatica; the knee for a claim on the back.
    if let Some(why) = other_patients(&claim.conditions, &record.conditions)
        .or_else(|| other_body_site(text, assertion, &claim.conditions, record))
    {
        return StanceSuggestion {
            stance: None,
            reason: Some(why),
            notes,
        };
    }
    // A record that compares doses, concentrations or schedules of one treatment says nothing
    // of whether the treatment works ("Two concentrations of intradiscal oxygen-ozone").
    if DOSES_COMPARED.is_match(record.title) && !EQUIVALENCE.is_match(text) {
        return StanceSuggestion {
            stance: None,
            reason: Some("the record compares doses or schedules of one treatment".to_string()),
            notes,
        };
    }
    // A record that studies another treatment ("Oxygen-ozone or methylprednisolone ...": a
    // claim about steroid), unless the claim compares treatments the record has both of.
    let comparative = EQUIVALENCE.is_match(text);
    if let Some(studied) = record.studied
        && !claim_interventions.is_empty()
        && !claim_interventions.contains(&studied)
        && !(comparative
            && claim_interventions
                .iter()
                .all(|i| record.interventions.contains(i)))
    {
        return StanceSuggestion {
            stance: None,
            reason: Some(format!(
                "the record studies {studied}, not {}",
                claim_interventions.join(" or ")
            )),
            notes,
        };
    }
    if comparative
        && claim_interventions.len() > 1
        && !claim_interventions
            .iter()
            .all(|i| record.interventions.contains(i))
    {
        return StanceSuggestion {
            stance: None,
            reason: Some(format!(
                "the record does not compare {}",
                claim_interventions.join(" and ")
            )),
            notes,
        };
    }
    // The claim's treatment is what this record compares against ("ozone gave more relief
    // than steroid" says nothing of a claim about steroid), unless the claim compares the two.
    fn comparator_kind(intervention: &str) -> Vec<&str> {
        match intervention {
            "placebo-sham" => vec!["placebo", "sham"],
            other => vec![other],
        }
    }
    let compared = findings
        .findings
        .iter()
        .filter_map(|f| f.comparator.as_deref());
    let compared: Vec<&str> = compared.collect();
    if !claim_interventions.is_empty()
        && !EQUIVALENCE.is_match(text)
        && claim_interventions
            .iter()
            .all(|i| comparator_kind(i).iter().any(|k| compared.contains(k)))
    {
        return StanceSuggestion {
            stance: None,
            reason: Some(format!(
                "{} is what this record compares against, not what it studies",
                claim_interventions.join(" and ")
            )),
            notes,
        };
    }
    let mut outcomes: Vec<&str> = claim_outcomes.to_vec();
    if outcomes.is_empty() && matches!(assertion, Assertion::Safe | Assertion::Harmful) {
        outcomes.push("adverse-events");
    }
    // What the authors conclude in general, for a claim outcome with no finding of its own.
    let general = findings
        .findings
        .iter()
        .find(|f| f.outcome.is_none() && f.concluded);
    let mut stances: Vec<(Stance, &Finding)> = Vec::new();
    for outcome in &outcomes {
        let found = findings
            .findings
            .iter()
            .find(|f| f.outcome.as_deref() == Some(*outcome));
        let reported = found.is_some() || record.outcomes.contains(outcome);
        if !reported && (!findings.findings.is_empty() || !record.outcomes.is_empty()) {
            notes.push(format!(
                "the claim names {outcome}; the record does not report it"
            ));
        }
        let outcome_assertion = if *outcome == "adverse-events" && assertion == Assertion::Benefit {
            Assertion::Safe
        } else {
            assertion
        };
        // A safety claim needs a finding on adverse events, not a general one; and the general
        // conclusion speaks for an outcome only when the record reports that outcome.
        let general = if *outcome == "adverse-events" || !reported {
            None
        } else {
            general
        };
        if let Some(f) = found.or(general) {
            stances.push((stance_of(outcome_assertion, f.direction), f));
        }
    }
    if outcomes.is_empty() {
        // A claim on no outcome of the taxonomy: the record's overall conclusion.
        let deciding = general.or_else(|| findings.findings.first());
        if let (Some(direction), Some(f)) = (findings.direction, deciding) {
            stances.push((stance_of(assertion, direction), f));
        }
    }
    let said_significant = read_statement(text).significance == Some(Significance::Significant);
    if said_significant
        && stances
            .iter()
            .any(|(_, f)| f.significance == Some(Significance::NotSignificant))
    {
        notes.push("the claim says significant; the record's finding is not significant".into());
    }
    if ABSOLUTE.is_match(text) && !stances.is_empty() {
        notes.push(
            "the claim speaks of a cure or of certainty; the record reports an improvement".into(),
        );
    }
    let Some(first) = stances.first() else {
        return StanceSuggestion {
            stance: None,
            reason: None,
            notes,
        };
    };
    let stance = stances.iter().skip(1).fold(
        first.0,
        |acc, (s, _)| {
            if acc == *s { acc } else { Stance::Mixed }
        },
    );
    // One line per finding sentence, naming every outcome it holds ("pain, function-disability:
    // benefit — ...").
    let mut lines: Vec<(Vec<&str>, Direction, &str)> = Vec::new();
    for (_, f) in &stances {
        let outcome = f.outcome.as_deref().unwrap_or("overall");
        match lines
            .iter_mut()
            .find(|(_, d, text)| *text == f.text.as_str() && *d == f.direction)
        {
            Some((outcomes, _, _)) if !outcomes.contains(&outcome) => outcomes.push(outcome),
            Some(_) => {}
            None => lines.push((vec![outcome], f.direction, f.text.as_str())),
        }
    }
    let reason: Vec<String> = lines
        .iter()
        .map(|(outcomes, d, text)| format!("{}: {} — \"{text}\"", outcomes.join(", "), d.as_str()))
        .collect();
    StanceSuggestion {
        stance: Some(stance),
        reason: Some(reason.join("; ")),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abstracts::FactSource;

    fn finding(outcome: Option<&str>, direction: Direction) -> Finding {
        Finding {
            outcome: outcome.map(str::to_string),
            direction,
            comparator: None,
            significance: None,
            text: "The sentence.".into(),
            source: FactSource::Abstract,
            start: 0,
            end: 13,
            note: None,
            concluded: true,
        }
    }

    fn findings(items: Vec<Finding>, direction: Option<Direction>) -> Findings {
        Findings {
            findings: items,
            direction,
            concluded_efficacy: true,
        }
    }

    fn suggest(
        text: &str,
        outcomes: &[&str],
        interventions: &[&str],
        findings: &Findings,
        record: &RecordSummary<'_>,
    ) -> StanceSuggestion {
        let claim = ClaimSummary {
            text,
            conditions: Vec::new(),
            outcomes: outcomes.to_vec(),
            interventions: interventions.to_vec(),
        };
        suggest_stance(&claim, findings, record)
    }

    fn record() -> RecordSummary<'static> {
        RecordSummary {
            design: Some("rct"),
            conditions: vec!["herniated-disc"],
            interventions: vec!["ozone"],
            outcomes: vec!["pain"],
            studied: Some("ozone"),
            title: "Oxygen-ozone injection for lumbar disc herniation: a randomised trial",
        }
    }

    #[test]
    fn a_benefit_claim_is_supported_by_benefit_and_refuted_by_no_difference() {
        let claim = "Ozone injections relieve pain in herniated discs";
        let yes = findings(
            vec![finding(Some("pain"), Direction::Benefit)],
            Some(Direction::Benefit),
        );
        let no = findings(
            vec![finding(Some("pain"), Direction::NoDifference)],
            Some(Direction::NoDifference),
        );
        let mixed = findings(
            vec![finding(Some("pain"), Direction::Mixed)],
            Some(Direction::Mixed),
        );
        for (f, want) in [
            (yes, Stance::Supports),
            (no, Stance::Refutes),
            (mixed, Stance::Mixed),
        ] {
            let s = suggest(claim, &["pain"], &["ozone"], &f, &record());
            assert_eq!(s.stance, Some(want), "{s:?}");
            assert!(s.reason.unwrap().starts_with("pain: "));
        }
    }

    #[test]
    fn a_safety_claim_is_refuted_by_harm() {
        let f = findings(
            vec![finding(Some("adverse-events"), Direction::Harm)],
            Some(Direction::Harm),
        );
        let s = suggest("Ozone injections are safe", &[], &["ozone"], &f, &record());
        assert_eq!(s.stance, Some(Stance::Refutes));
        let s = suggest(
            "Ozone injections can cause serious infections",
            &[],
            &["ozone"],
            &f,
            &record(),
        );
        assert_eq!(s.stance, Some(Stance::Supports));
    }

    #[test]
    fn a_claim_of_no_effect_is_supported_by_no_difference() {
        let f = findings(
            vec![finding(Some("pain"), Direction::NoDifference)],
            Some(Direction::NoDifference),
        );
        let s = suggest(
            "Ozone is no better than placebo for back pain",
            &["pain"],
            &["ozone"],
            &f,
            &record(),
        );
        assert_eq!(s.stance, Some(Stance::Supports));
    }

    #[test]
    fn an_outcome_the_record_did_not_report_is_noted() {
        let f = findings(
            vec![finding(Some("pain"), Direction::Benefit)],
            Some(Direction::Benefit),
        );
        let s = suggest(
            "Ozone relieves pain and improves function",
            &["pain", "function-disability"],
            &["ozone"],
            &f,
            &record(),
        );
        assert_eq!(s.stance, Some(Stance::Supports));
        assert!(
            s.notes.iter().any(|n| n.contains("function-disability")),
            "{s:?}"
        );
    }

    #[test]
    fn a_study_said_of_a_meta_analysis_is_noted() {
        let f = findings(
            vec![finding(Some("pain"), Direction::Benefit)],
            Some(Direction::Benefit),
        );
        let mut r = record();
        r.design = Some("meta-analysis");
        let s = suggest(
            "A study published in Pain Physician found that ozone reduced pain",
            &["pain"],
            &["ozone"],
            &f,
            &r,
        );
        assert!(s.notes.iter().any(|n| n.contains("meta-analysis")), "{s:?}");
    }

    #[test]
    fn a_record_of_another_intervention_has_no_stance() {
        let f = findings(
            vec![finding(Some("pain"), Direction::Benefit)],
            Some(Direction::Benefit),
        );
        let mut r = record();
        r.interventions = vec!["steroid"];
        r.studied = Some("steroid");
        let s = suggest("Ozone relieves pain", &["pain"], &["ozone"], &f, &r);
        assert_eq!(s.stance, None);
    }

    #[test]
    fn a_general_conclusion_speaks_only_for_an_outcome_the_record_reports() {
        let f = findings(
            vec![finding(None, Direction::Benefit)],
            Some(Direction::Benefit),
        );
        // The record reports pain (an outcome tag): its general conclusion decides.
        let s = suggest("Ozone relieves pain", &["pain"], &["ozone"], &f, &record());
        assert_eq!(s.stance, Some(Stance::Supports));
        // It reports nothing on return to work: no stance, however favourable its conclusion.
        let s = suggest(
            "Ozone gets people back to work",
            &["return-to-work"],
            &["ozone"],
            &f,
            &record(),
        );
        assert_eq!(s.stance, None, "{s:?}");
    }

    #[test]
    fn the_treatment_added_in_an_add_on_trial_is_what_it_studies() {
        use crate::tagging::{Matcher, TagInput, Taxonomy};
        let matcher = Matcher::new(Taxonomy::builtin());
        let studied = |title: &str| {
            let tags = matcher.tag(&TagInput {
                title,
                ..TagInput::default()
            });
            studied_in_title(title, &tags).map(str::to_string)
        };
        assert_eq!(
            studied("Dexamethasone plus lidocaine or lidocaine alone for radiculopathy").as_deref(),
            Some("steroid")
        );
        assert_eq!(
            studied("Oxygen-ozone injections added to physiotherapy for low back pain").as_deref(),
            Some("ozone")
        );
        assert_eq!(
            studied("Ozone versus steroid injection for sciatica").as_deref(),
            Some("ozone")
        );
        // What follows "with or without" the tagger reads as negated: unknown, not the first.
        assert_eq!(
            studied("Epidural steroid with or without oxygen-ozone for radicular pain"),
            None
        );
    }

    #[test]
    fn a_record_of_other_patients_has_no_stance() {
        let f = findings(
            vec![finding(Some("pain"), Direction::Benefit)],
            Some(Direction::Benefit),
        );
        let claim = |conditions: Vec<&'static str>| ClaimSummary {
            text: "Ozone relieves pain",
            conditions,
            outcomes: vec!["pain"],
            interventions: vec!["ozone"],
        };
        let mut r = record();
        r.conditions = vec!["neck-pain"];
        // The neck against the low back.
        let s = suggest_stance(&claim(vec!["low-back-pain"]), &f, &r);
        assert_eq!(s.stance, None, "{s:?}");
        // Spinal stenosis against sciatica.
        r.conditions = vec!["spinal-stenosis", "low-back-pain"];
        assert_eq!(
            suggest_stance(&claim(vec!["sciatica"]), &f, &r).stance,
            None
        );
        // Back pain in general fits a record of the low back; a herniated disc fits sciatica.
        assert_eq!(
            suggest_stance(&claim(vec!["low-back-pain"]), &f, &r).stance,
            Some(Stance::Supports)
        );
        r.conditions = vec!["herniated-disc"];
        assert_eq!(
            suggest_stance(&claim(vec!["sciatica"]), &f, &r).stance,
            Some(Stance::Supports)
        );
    }

    #[test]
    fn no_findings_no_stance() {
        let s = suggest(
            "Ozone relieves pain",
            &["pain"],
            &["ozone"],
            &Findings::default(),
            &record(),
        );
        assert_eq!(s.stance, None);
    }

    #[test]
    fn a_record_of_another_body_site_or_another_treatment_gives_no_stance() {
        let benefit = findings(
            vec![finding(Some("pain"), Direction::Benefit)],
            Some(Direction::Benefit),
        );
        let knee = RecordSummary {
            title: "Intra-articular oxygen-ozone for painful knee osteoarthritis: a trial",
            conditions: Vec::new(),
            ..record()
        };
        let claim = ClaimSummary {
            text: "Ozone shots help back pain",
            conditions: vec!["low-back-pain"],
            outcomes: vec!["pain"],
            interventions: vec!["ozone"],
        };
        let s = suggest_stance(&claim, &benefit, &knee);
        assert_eq!(s.stance, None);
        assert!(s.reason.unwrap().contains("knee"));
        // A claim on the knee fits it.
        let claim = ClaimSummary {
            text: "Ozone injections ease knee and shoulder pain",
            conditions: Vec::new(),
            ..claim
        };
        assert_eq!(
            suggest_stance(&claim, &benefit, &knee).stance,
            Some(Stance::Supports)
        );
        // A treatment the taxonomy does not name must be in the record's title.
        let falls = RecordSummary {
            title: "Home-based strength and balance exercise to prevent falls: a randomised trial",
            conditions: Vec::new(),
            interventions: Vec::new(),
            studied: None,
            ..record()
        };
        let vitamin = ClaimSummary {
            text: "Vitamin D supplements prevent falls in older people",
            conditions: Vec::new(),
            outcomes: Vec::new(),
            interventions: Vec::new(),
        };
        let s = suggest_stance(&vitamin, &benefit, &falls);
        assert_eq!(s.stance, None);
        assert!(s.reason.unwrap().contains("vitamin"));
        let exercise = ClaimSummary {
            text: "Balance exercises prevent falls",
            ..vitamin
        };
        assert_eq!(
            suggest_stance(&exercise, &benefit, &falls).stance,
            Some(Stance::Supports)
        );
        // A record comparing doses of the treatment says nothing of whether it works.
        let doses = RecordSummary {
            title: "Two concentrations of intradiscal oxygen-ozone for lumbar disc herniation",
            ..record()
        };
        let claim = ClaimSummary {
            text: "Ozone injections relieve sciatica",
            conditions: vec!["sciatica"],
            outcomes: vec!["pain"],
            interventions: vec!["ozone"],
        };
        assert_eq!(suggest_stance(&claim, &benefit, &doses).stance, None);
        // A class of drug is not looked for by name.
        assert_eq!(
            unnamed_treatment("Anti-inflammatory painkillers are safe"),
            None
        );
        assert_eq!(
            unnamed_treatment("A 2019 trial found cupping therapy no better than sham"),
            Some(vec!["cupping".to_string()])
        );
        // Only a treatment named beside a kind of treatment is looked for.
        assert_eq!(
            unnamed_treatment("Acupuncture is no better than sham"),
            None
        );
        assert_eq!(
            unnamed_treatment("Side effects of the injections are rare"),
            None
        );
        assert_eq!(
            unnamed_treatment("Researchers in Italy found it helps"),
            None
        );
    }
}
