//! A record read as a reviewer reads it: its tags and the facts of its study together. The
//! design decides whose numbers the abstract gives: a narrative review or a guideline (taxonomy
//! `own_sample = false`) has no sample of its own — the participants, studies and follow-up it
//! quotes are other studies', and a guideline's "review at 6 weeks" is advice — so none of those
//! are kept; the regimen it states (sessions, concentration, volume) is kept.

use super::{Matcher, RecordTag, TagInput};
use crate::abstracts::findings::{
    Findings, OutcomeMention, read_findings_titled, reports_no_treatment_effect,
    tells_of_treatment_given,
};
use crate::abstracts::{Fact, FactKind, read_abstract, read_facts_with};

/// The tags of a record and the facts of its study.
pub fn read_study(matcher: &Matcher, input: &TagInput<'_>) -> (Vec<RecordTag>, Vec<Fact>) {
    // The abstract's sentences are read once, for the tags and for the facts.
    let read = match input.sentences {
        Some(_) => None,
        None => Some(read_abstract(&input.abstract_text)),
    };
    let sentences = input.sentences.or(read.as_deref()).unwrap_or_default();
    let tags = matcher.tag(&TagInput {
        sentences: Some(sentences),
        ..input.clone()
    });
    let mut facts = read_facts_with(input.title, &input.abstract_text, sentences);
    let taxonomy = matcher.taxonomy();
    let no_sample = tags.iter().any(|t| {
        taxonomy
            .tag(&t.dimension, &t.tag)
            .is_some_and(|tag| !tag.own_sample)
    });
    if no_sample {
        facts.retain(|f| {
            !matches!(
                f.kind,
                FactKind::Participants | FactKind::Studies | FactKind::FollowUp
            )
        });
    }
    (tags, facts)
}

/// What the study found, per outcome of the taxonomy (see [`crate::abstracts::findings`]): the
/// outcomes are where the tagger finds the taxonomy's outcome phrases in the abstract. Read when
/// asked for, not stored: a record is read with the rules of the evcat that shows it.
pub fn read_study_findings(matcher: &Matcher, input: &TagInput<'_>) -> Findings {
    read_study_findings_and_tags(matcher, input).0
}

/// [`read_study_findings`] and the record's rule tags, its abstract read once for both.
pub fn read_study_findings_and_tags(
    matcher: &Matcher,
    input: &TagInput<'_>,
) -> (Findings, Vec<RecordTag>) {
    let text = input.abstract_text.as_str();
    let read = match input.sentences {
        Some(_) => None,
        None => Some(read_abstract(text)),
    };
    let sentences = input.sentences.or(read.as_deref()).unwrap_or_default();
    let with_sentences = TagInput {
        sentences: Some(sentences),
        ..input.clone()
    };
    let tags = matcher.tag(&with_sentences);
    if text.trim().is_empty() {
        return (Findings::default(), tags);
    }
    // A design that reports no treatment's effect (a survey: taxonomy `treatment_effects =
    // false`) has no findings, unless its abstract tells of its people being treated.
    let taxonomy = matcher.taxonomy();
    let no_effects = !tells_of_treatment_given(text)
        && tags.iter().filter(|t| t.dimension == "design").any(|t| {
            taxonomy
                .tag(&t.dimension, &t.tag)
                .is_some_and(|tag| !tag.treatment_effects)
        });
    // Nor has a qualitative study, a study of a measure, a simulation or a trial design.
    if no_effects || reports_no_treatment_effect(input.title, text) {
        return (Findings::default(), tags);
    }
    // The tagger's offsets are characters; the sentences' are bytes.
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let at = |c: usize| byte_of[c.min(byte_of.len() - 1)];
    let all: Vec<OutcomeMention> = matcher
        .abstract_mentions(&with_sentences, "outcome")
        .into_iter()
        .map(|(outcome, start, end)| OutcomeMention {
            outcome,
            start: at(start),
            end: at(end),
        })
        .collect();
    // Where two outcomes' phrases cover the same words, the longer one names it: "WOMAC pain"
    // is pain, not the WOMAC's function scale.
    let mentions: Vec<OutcomeMention> = all
        .iter()
        .filter(|m| {
            !all.iter().any(|o| {
                o.outcome != m.outcome
                    && o.start == m.start
                    && m.end <= o.end
                    && o.end - o.start > m.end - m.start
            })
        })
        .cloned()
        .collect();
    (
        read_findings_titled(input.title, text, sentences, &mentions),
        tags,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::Taxonomy;

    fn kinds(title: &str, abstract_text: &str) -> Vec<FactKind> {
        let matcher = Matcher::new(Taxonomy::builtin());
        let input = TagInput {
            title,
            abstract_text: abstract_text.to_string(),
            publication_types: vec![(None, "Journal Article")],
            ..TagInput::default()
        };
        read_study(&matcher, &input)
            .1
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn a_narrative_review_quotes_other_studies_samples() {
        let review = kinds(
            "Polypills for cardiovascular prevention: a narrative review",
            "This narrative review summarises the evidence. Trials enrolling 2,499 participants were included in the landmark programme, with follow-up of 5 years. Typical courses are 3 to 10 sessions.",
        );
        assert!(!review.contains(&FactKind::Participants), "{review:?}");
        assert!(review.contains(&FactKind::Sessions), "{review:?}");
        assert!(!review.contains(&FactKind::FollowUp), "{review:?}");
        let trial = kinds(
            "Polypill versus usual care: a randomised trial",
            "We randomly assigned 2,499 participants to the polypill or usual care and followed them for 5 years.",
        );
        assert!(trial.contains(&FactKind::Participants), "{trial:?}");
    }

    #[test]
    fn a_survey_reports_no_treatment_findings_and_a_trial_does() {
        let matcher = Matcher::new(Taxonomy::builtin());
        let read = |title: &str, text: &str| {
            read_study_findings(
                &matcher,
                &TagInput {
                    title,
                    abstract_text: text.to_string(),
                    publication_types: vec![(None, "Journal Article")],
                    ..TagInput::default()
                },
            )
        };
        let closing = "Pain was lower among those who had received injections than among those who had not (p < 0.01). Injections seem to relieve pain.";
        let survey = read(
            "Back pain among nurses: a national survey",
            &format!("We surveyed 1,200 nurses with an online questionnaire. {closing}"),
        );
        assert!(survey.findings.is_empty(), "{survey:?}");
        assert_eq!(survey.direction, None);
        let trial = read(
            "Injections for back pain: a randomised trial",
            &format!("We randomised 120 nurses to injections or none. {closing}"),
        );
        assert_eq!(
            trial.direction,
            Some(crate::abstracts::findings::Direction::Benefit)
        );
        // A "cross-sectional analysis" of treated patients tells what the treatment did.
        let treated = read(
            "Cervical ozone: a cross-sectional analysis",
            &format!("A cross-sectional analysis of 44 treated patients. {closing}"),
        );
        assert_eq!(
            treated.direction,
            Some(crate::abstracts::findings::Direction::Benefit)
        );
    }
}
