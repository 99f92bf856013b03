//! The role of each sentence of an abstract, as a reviewer reads it: what the record's own study
//! did (its objective, methods and results) as opposed to what the background says of other
//! studies or what the authors say should be done next.
//!
//! A structured abstract names its sections ("BACKGROUND:", "METHODS:" ...): the section gives
//! the role. An unstructured abstract is read by cue and position: sentences that speak of the
//! authors' own work ("we", "our", "this study", "in the present trial", "the aim was") or
//! narrate it ("sixty patients were enrolled") are the study's own; sentences about earlier work
//! ("previous trials have shown", "to date") are background, and so is the opening before the
//! first sentence of the authors' own; sentences about what is still needed ("further randomised
//! trials are needed") are future work wherever they stand.
//!
//! Offsets are byte offsets into the abstract text as the tagger sees it: sections joined by
//! `\n`, each prefixed by its label and `": "` (see [`crate::pubmed::Abstract::plain_text`]).

use std::sync::LazyLock;

use regex::{Regex, RegexSet, RegexSetBuilder};

use crate::text::patterns::regex_with_ascii_boundaries;
use crate::text::sentences::plain_line_sentence_spans;
use crate::text::{DocFormat, sentences};

/// What a section or a sentence of an abstract is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Context: what is known, why the study was done.
    Background,
    /// The study's aim.
    Objective,
    /// How the study was done: design, setting, participants, interventions, measures.
    Methods,
    /// What the study found.
    Results,
    /// What the authors conclude.
    Conclusions,
    /// A section whose label says nothing of its role, or an unstructured abstract.
    Unlabelled,
}

impl Role {
    /// The role a section label stands for ("BACKGROUND", "Materials and methods",
    /// "PATIENTS AND METHODS", "Aim of the study"...), or `None` for a label that is not a known
    /// section name.
    pub fn of_label(label: &str) -> Option<Role> {
        let l = label.trim().to_lowercase();
        let first = l
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap_or("");
        let has = |w: &str| l.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
        let role = if has("conclusion") || has("conclusions") || has("interpretation") {
            Role::Conclusions
        } else if has("results") || has("result") || has("findings") || has("outcomes") {
            Role::Results
        } else if has("methods")
            || has("method")
            || matches!(
                first,
                "design"
                    | "setting"
                    | "settings"
                    | "patients"
                    | "participants"
                    | "subjects"
                    | "population"
                    | "interventions"
                    | "intervention"
                    | "materials"
                    | "measurements"
                    | "procedures"
                    | "study"
                    | "data"
                    | "eligibility"
                    | "search"
                    | "sources"
                    | "selection"
                    | "evidence"
                    | "main"
            )
        {
            Role::Methods
        } else if matches!(
            first,
            "objective"
                | "objectives"
                | "aim"
                | "aims"
                | "purpose"
                | "goal"
                | "goals"
                | "question"
                | "hypothesis"
        ) {
            Role::Objective
        } else if matches!(
            first,
            "background"
                | "introduction"
                | "context"
                | "rationale"
                | "importance"
                | "summary"
                | "overview"
                | "problem"
        ) {
            Role::Background
        } else if matches!(
            first,
            "discussion" | "implications" | "significance" | "relevance"
        ) {
            Role::Conclusions
        } else {
            return None;
        };
        Some(role)
    }
}

/// What a sentence says of the record's own study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Voice {
    /// The record's own study: what it aimed at, did or found.
    OwnStudy,
    /// Other studies, what is known.
    Background,
    /// What should be done next ("further trials are needed").
    FutureWork,
}

/// One sentence of an abstract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbstractSentence {
    /// Byte offset of its first byte in the abstract text.
    pub start: usize,
    /// Byte offset just past its last byte.
    pub end: usize,
    /// The role of its section (or [`Role::Unlabelled`]).
    pub role: Role,
    /// Whose study it speaks of.
    pub voice: Voice,
}

static OWN_CUE: LazyLock<Regex> = LazyLock::new(|| {
    regex_with_ascii_boundaries(
        r"(?i)\b(?:we|our|us|herein|here we|(?:this|the present|the current|the presented|present|these)\s+(?:[\w-]+,?\s+){0,4}?(?:study|studies|trial|review|analysis|meta-analysis|series|report|paper|article|work|investigation|survey|cohort|case|cases|guideline|guidelines|statement|document|experiment|evaluation|project)|the\s+(?:aim|aims|purpose|objective|objectives|goal)\b|(?:was|were|is|are)\s+to\s+(?:assess|evaluate|compare|investigate|determine|examine|describe|report|explore|test|estimate|analy[sz]e|identify|review|summari[sz]e|establish|quantify))\b",
    )
    .expect("valid regex")
});

static BACKGROUND_CUE: LazyLock<Regex> = LazyLock::new(|| {
    regex_with_ascii_boundaries(
        r"(?i)\b(?:previous(?:ly)?|prior\s+(?:studies|trials|research|reports|work|meta-analyses|reviews)|earlier\s+(?:studies|trials|reports|work)|(?:have|has|had)\s+(?:been\s+)?(?:shown|demonstrated|reported|suggested|found|described|proposed|established|yielded|produced|implicated|linked|identified|observed|documented|associated)|to\s+date|in\s+the\s+literature|the\s+literature|existing\s+(?:evidence|studies|trials)|recent\s+(?:studies|trials|reviews|meta-analyses)|(?:little|limited)\s+(?:is\s+known|evidence|data)|remains?\s+(?:unclear|unknown|controversial|uncertain|debated)|is\s+(?:unclear|unknown|controversial)|is\s+(?:a|an|the)\s+(?:common|leading|major|frequent|rare|well-known))",
    )
    .expect("valid regex")
});

static FUTURE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    regex_with_ascii_boundaries(
        r"(?i)\b(?:further\s+(?:[\w-]+\s+){0,3}?(?:research|studies|study|trials|trial|investigation|investigations|work|evaluation|evidence|data|validation|exploration|confirmation|assessment)|future\s+(?:[\w-]+\s+){0,3}?(?:research|studies|study|trials|trial|investigation|investigations|work|directions|evaluation)|in\s+the\s+future|warranted|(?:is|are)\s+planned|plan\s+to|will\s+be\s+(?:needed|conducted|tested|evaluated|required)|(?:are|is|were|remain)\s+(?:still\s+)?(?:needed|required|necessary|lacking)|needs?\s+to\s+be|should\s+be\s+(?:conducted|performed|undertaken|carried|investigated|confirmed|explored|evaluated|studied|tested|done)|remains?\s+to\s+be|larger\s+(?:[\w-]+\s+){0,3}?(?:trials?|studies)|would\s+(?:be\s+)?(?:help|useful|valuable|needed|required|desirable)|calls?\s+for|need\s+for)\b",
    )
    .expect("valid regex")
});

/// Narration of the study's own methods without a "we" or "this study": people counted and
/// enrolled, assigned, treated or followed ("Sixty patients were randomly assigned...").
static NARRATION_CUE: LazyLock<Regex> = LazyLock::new(|| {
    regex_with_ascii_boundaries(
        r"(?i)\b(?:were|was)\s+(?:\w+ly\s+)?(?:randomi[sz]ed|enrolled|included|recruited|assigned|allocated|treated|studied|followed|reviewed|analy[sz]ed|evaluated|assessed|examined|investigated|operated|injected|selected|divided|compared|identified|collected|retrieved|searched|screened|surveyed|interviewed|measured|performed|conducted|carried\s+out|undertaken|used)\b|\b(?:underwent|received|completed|participated|responded|presented|was|were)\b|\b(?:a|an)\s+(?:[\w-]+\s+){0,2}?\d{1,3}-(?:year|month|week|day)-old\b|\b(?:mean|median)\s+(?:[\w-]+\s+){0,3}?(?:was|were)\b",
    )
    .expect("valid regex")
});

/// "have shown", "has been reported": what is known, not what this study did.
static PRESENT_PERFECT: LazyLock<Regex> = LazyLock::new(|| {
    regex_with_ascii_boundaries(r"(?i)\b(?:have|has)\s+(?:\w+\s+)?(?:been\s+)?\w+(?:ed|en|wn)\b")
        .expect("valid regex")
});

/// Whether a sentence speaks of the authors' own work ("we", "this study", "the aim was").
pub fn has_own_cue(sentence: &str) -> bool {
    OWN_CUE.is_match(sentence)
}

/// A sentence whose subject is another study and its finding: "A landmark trial of 2,499
/// participants found that ...", "One recent meta-analysis concluded ...".
static CITED_STUDY: LazyLock<Regex> = LazyLock::new(|| {
    regex_with_ascii_boundaries(
        r"(?i)^\s*(?:a|an|one|another|the\s+largest|the\s+first|a\s+recent|recent)\s+(?:[\w-]+\s+){0,4}?(?:trial|study|meta-analysis|review|cohort|survey)\s+(?:of|in|with|including|involving|among)\s+(?:[\w,-]+\s+){0,6}?(?:found|showed|reported|demonstrated|suggested|concluded)\b",
    )
    .expect("valid regex")
});

/// Whether a sentence speaks of earlier work or what is known ("previous trials have shown").
pub fn has_background_cue(sentence: &str) -> bool {
    BACKGROUND_CUE.is_match(sentence) || CITED_STUDY.is_match(sentence)
}

/// Whether a sentence speaks of work still to be done ("further trials are needed").
pub fn has_future_cue(sentence: &str) -> bool {
    FUTURE_CUE.is_match(sentence)
}

/// Where a sentence's first future-work words begin ("..., and randomised evidence is needed").
pub fn future_cue_start(sentence: &str) -> Option<usize> {
    FUTURE_CUE.find(sentence).map(|m| m.start())
}

/// A section of the abstract text: its label's role and the byte span of its text (after the
/// label).
fn sections(text: &str) -> Vec<(Role, usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        let start = offset;
        offset += line.len() + 1;
        let (role, body_start) = match line.find(": ") {
            Some(i) if i <= 60 => match Role::of_label(&line[..i]) {
                Some(role) => (role, start + i + 2),
                None => (Role::Unlabelled, start),
            },
            _ => (Role::Unlabelled, start),
        };
        out.push((role, body_start, start + line.len()));
    }
    out
}

/// The byte spans of the sentences of one section's text: by the one-line splitter when the
/// text is a simple line (as a section of the tagger's plain text nearly always is), otherwise by
/// the general one with its character offsets mapped back to bytes.
fn sentence_spans(body: &str) -> Vec<(usize, usize)> {
    if let Some(found) = plain_line_sentence_spans(body) {
        return found;
    }
    let byte_of: Vec<usize> = body
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(body.len()))
        .collect();
    sentences(body, DocFormat::Text)
        .into_iter()
        .map(|s| {
            (
                byte_of[s.start.min(byte_of.len() - 1)],
                byte_of[s.end.min(byte_of.len() - 1)],
            )
        })
        .collect()
}

/// The sentences of an abstract (as the tagger's plain text), each with its role and voice.
pub fn read_abstract(text: &str) -> Vec<AbstractSentence> {
    let mut out: Vec<AbstractSentence> = Vec::new();
    let sections = sections(text);
    let structured = sections
        .iter()
        .any(|(role, _, _)| *role != Role::Unlabelled);
    // Per sentence of `out`: whether it speaks of or narrates the authors' own work.
    let mut opens_own: Vec<bool> = Vec::new();
    for (role, start, end) in sections {
        let body = &text[start..end];
        let found = sentence_spans(body);
        let first_of_section = out.len();
        for (bs, be) in found {
            let sentence = &body[bs..be];
            // Every cue in one pass over the sentence.
            let cues = CUES.matches(sentence);
            let own = cues.matched(0);
            let background = cues.matched(1) || cues.matched(2);
            let future = cues.matched(3);
            let narrates = cues.matched(4);
            let present_perfect = cues.matched(5);
            let aim = cues.matched(6);
            opens_own.push(own || narrates);
            let voice = if future && !aim {
                Voice::FutureWork
            } else {
                match role {
                    // In the study's own sections, a sentence that narrates what was done
                    // ("pain was measured as previously described") stays the study's own.
                    Role::Objective | Role::Methods | Role::Results => {
                        if background && !own && !narrates {
                            Voice::Background
                        } else {
                            Voice::OwnStudy
                        }
                    }
                    Role::Background => {
                        if own && !background {
                            Voice::OwnStudy
                        } else {
                            Voice::Background
                        }
                    }
                    Role::Conclusions => {
                        if background && !own && !narrates {
                            Voice::Background
                        } else {
                            Voice::OwnStudy
                        }
                    }
                    Role::Unlabelled => {
                        if own {
                            Voice::OwnStudy
                        } else if background && (!narrates || present_perfect) {
                            Voice::Background
                        } else {
                            // Decided below by position.
                            Voice::OwnStudy
                        }
                    }
                }
            };
            out.push(AbstractSentence {
                start: start + bs,
                end: start + be,
                role,
                voice,
            });
        }
        if structured || role != Role::Unlabelled {
            continue;
        }
        // An unstructured abstract: the opening before the first sentence of the authors' own
        // work is background, unless it narrates methods itself.
        let section = &mut out[first_of_section..];
        let opens = &opens_own[first_of_section..];
        let first_own = section
            .iter()
            .zip(opens)
            .position(|(s, &opens)| s.voice == Voice::OwnStudy && opens);
        if let Some(first_own) = first_own {
            for s in &mut section[..first_own] {
                if s.voice == Voice::OwnStudy {
                    s.voice = Voice::Background;
                }
            }
        }
    }
    out
}

/// A sentence with a future-work word that is really the study's aim ("we aimed to assess
/// whether further sessions help" is the study's own).
static AIM: LazyLock<Regex> = LazyLock::new(|| {
    regex_with_ascii_boundaries(r"(?i)\b(?:we\s+(?:aimed|sought|set\s+out)|the\s+(?:aim|purpose|objective)\s+of\s+(?:this|the\s+present|our))\b")
        .expect("valid regex")
});

/// All the cues above as one set, matched in one pass per sentence: own (0), background (1),
/// a cited study (2), future work (3), narration (4), present perfect (5), the study's aim (6).
/// Word boundaries here, as in every cue, are ASCII ones (`regex_with_ascii_boundaries`).
///
/// The regex engine's lazy DFA builds the states a search needs as it goes and keeps them in a
/// cache per thread, emptied whenever it is full. One set of seven patterns read to the end of
/// every sentence (it must know each pattern's answer) goes through many more states than one
/// pattern does: with the engine's default cache (2 MB) a thread reading abstracts kept
/// emptying it and building the same states again, and reading an abstract's sentences took
/// 34-52 µs a record, against 9-10 µs with room for them (measured over 30,000 benchmark
/// records and the 2,193 of the fixtures and shared samples; 4 MB was not enough for the
/// latter). A thread's cache takes only the memory its states do.
static CUES: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSetBuilder::new([
        OWN_CUE.as_str(),
        BACKGROUND_CUE.as_str(),
        CITED_STUDY.as_str(),
        FUTURE_CUE.as_str(),
        NARRATION_CUE.as_str(),
        PRESENT_PERFECT.as_str(),
        AIM.as_str(),
    ])
    .dfa_size_limit(CUES_DFA_CACHE_BYTES)
    .build()
    .expect("valid regexes")
});

/// The most memory [`CUES`]'s lazy DFA may keep a thread's states in.
const CUES_DFA_CACHE_BYTES: usize = 16 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    fn voices(text: &str) -> Vec<(String, Voice)> {
        read_abstract(text)
            .into_iter()
            .map(|s| (text[s.start..s.end].to_string(), s.voice))
            .collect()
    }

    #[test]
    fn labels_map_to_roles() {
        assert_eq!(Role::of_label("BACKGROUND"), Some(Role::Background));
        assert_eq!(Role::of_label("Materials and Methods"), Some(Role::Methods));
        assert_eq!(Role::of_label("PATIENTS AND METHODS"), Some(Role::Methods));
        assert_eq!(Role::of_label("Aim of the study"), Some(Role::Objective));
        assert_eq!(
            Role::of_label("CONCLUSIONS AND RELEVANCE"),
            Some(Role::Conclusions)
        );
        assert_eq!(Role::of_label("Results"), Some(Role::Results));
        assert_eq!(Role::of_label("Note"), None);
    }

    #[test]
    fn background_and_future_work_are_not_the_study_s_own() {
        let text = "BACKGROUND: Meta-analyses of previous randomised trials showed a benefit. We therefore designed a trial.\nMETHODS: Sixty patients were randomly assigned to ozone or steroid.\nCONCLUSIONS: Ozone was not inferior. Further randomized studies are needed.";
        let v = voices(text);
        assert_eq!(v[0].1, Voice::Background, "{v:?}");
        assert_eq!(v[1].1, Voice::OwnStudy, "{v:?}");
        assert_eq!(v[2].1, Voice::OwnStudy, "{v:?}");
        assert_eq!(v[3].1, Voice::OwnStudy, "{v:?}");
        assert_eq!(v[4].1, Voice::FutureWork, "{v:?}");
        assert!(v[2].0.starts_with("Sixty patients"));
    }

    #[test]
    fn an_unstructured_opening_is_background_until_the_authors_speak() {
        let text = "Low back pain is a common cause of disability. Randomized trials of ozone have reported mixed results. In this prospective study, 43 patients received intradiscal ozone. Pain fell at six months. Randomized trials are needed to confirm this.";
        let v = voices(text);
        let got: Vec<Voice> = v.iter().map(|x| x.1).collect();
        assert_eq!(
            got,
            vec![
                Voice::Background,
                Voice::Background,
                Voice::OwnStudy,
                Voice::OwnStudy,
                Voice::FutureWork
            ],
            "{v:?}"
        );
    }

    #[test]
    fn an_opening_that_narrates_methods_is_the_study_s_own() {
        let text = "Sixty patients with sciatica were randomly assigned to two groups. Pain was lower after ozone.";
        let v = voices(text);
        assert!(v.iter().all(|x| x.1 == Voice::OwnStudy), "{v:?}");
    }

    #[test]
    fn an_opening_that_narrates_what_patients_underwent_is_the_study_s_own() {
        let text = "Thirty-two patients underwent capsular reconstruction between 2014 and 2018. Mean follow-up was 26 months. Graft tears were seen in five shoulders.";
        let v = voices(text);
        assert!(v.iter().all(|x| x.1 == Voice::OwnStudy), "{v:?}");
    }

    #[test]
    fn further_weeks_are_not_further_research() {
        assert!(!has_future_cue(
            "Patients then received the other treatment for a further 4 weeks."
        ));
        assert!(has_future_cue("Further randomised trials are needed."));
        assert!(has_own_cue(
            "Thirty-two adults took part in this double-blind, placebo-controlled crossover study."
        ));
    }

    #[test]
    fn words_that_begin_with_we_are_not_we() {
        // "were", "weeks", "well" are not the authors speaking.
        assert!(!has_own_cue(
            "Patients were followed for twelve weeks and did well."
        ));
        assert!(has_own_cue("We followed patients for twelve weeks."));
    }

    #[test]
    fn a_sentence_about_another_study_s_finding_is_background() {
        let text = "This narrative review summarises the evidence. A landmark trial of 2,499 participants found fewer events with the polypill.";
        let v = voices(text);
        assert_eq!(v[1].1, Voice::Background, "{v:?}");
    }

    #[test]
    fn offsets_are_bytes_of_the_abstract_text() {
        let text = "OBJECTIVE: To compare ozone (O₃) with steroid.\nRESULTS: Pain fell.";
        for s in read_abstract(text) {
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
        let v = voices(text);
        assert_eq!(v[0].0, "To compare ozone (O₃) with steroid.");
        assert_eq!(v[1].0, "Pain fell.");
    }
}
