//! A record read as a reviewer reads it: its tags and the facts of its study together. The
//! design decides whose numbers the abstract gives: a narrative review or a guideline (taxonomy
//! `own_sample = false`) has no sample of its own — the participants, studies and follow-up it
//! quotes are other studies', and a guideline's "review at 6 weeks" is advice — so none of those
//! are kept; the regimen it states (sessions, concentration, volume) is kept.

use super::{Matcher, RecordTag, TagInput};
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
}
