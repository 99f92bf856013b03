//! A record read as a reviewer reads it: its tags and the facts of its study together. The
//! design decides whose numbers the abstract gives: a narrative review or a guideline (taxonomy
//! `own_sample = false`) has no sample of its own — the participants, studies and follow-up it
//! quotes are other studies', and a guideline's "review at 6 weeks" is advice — so none of those
//! are kept; the regimen it states (sessions, concentration, volume) is kept.
//!
//! When nothing decides a dimension and the abstract reports no study of its own
//! ([`reports_no_study`]: several sentences, no sample, no result, no research act of its
//! authors), the dimension's `when_no_study` tag is given (in the built-in taxonomy: a narrative
//! review), with the abstract's first sentence as its evidence.

use super::{Matcher, RecordTag, TagEvidence, TagInput, TagSource};
use crate::abstracts::{
    AbstractSentence, Fact, FactKind, read_abstract, read_facts_with, reports_no_study,
};

/// The tags of a record and the facts of its study.
pub fn read_study(matcher: &Matcher, input: &TagInput<'_>) -> (Vec<RecordTag>, Vec<Fact>) {
    // The abstract's sentences are read once, for the tags and for the facts.
    let read = match input.sentences {
        Some(_) => None,
        None => Some(read_abstract(&input.abstract_text)),
    };
    let sentences = input.sentences.or(read.as_deref()).unwrap_or_default();
    let mut tags = matcher.tag(&TagInput {
        sentences: Some(sentences),
        ..input.clone()
    });
    let mut facts = read_facts_with(input.title, &input.abstract_text, sentences);
    let taxonomy = matcher.taxonomy();
    let states_a_sample = facts.iter().any(|f| {
        matches!(
            f.kind,
            FactKind::Participants | FactKind::Studies | FactKind::FollowUp
        )
    });
    if !states_a_sample {
        add_when_no_study(matcher, &mut tags, &input.abstract_text, sentences);
    }
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

/// Gives each dimension that has no tag its `when_no_study` tag (the first), when the abstract
/// reports no study of its own. Tags stay in taxonomy order.
fn add_when_no_study(
    matcher: &Matcher,
    tags: &mut Vec<RecordTag>,
    abstract_text: &str,
    sentences: &[AbstractSentence],
) {
    let taxonomy = matcher.taxonomy();
    let mut read: Option<bool> = None;
    for dimension in taxonomy.dimensions() {
        if tags.iter().any(|t| t.dimension == dimension.id) {
            continue;
        }
        let Some(fallback) = taxonomy
            .tags()
            .iter()
            .find(|t| t.dimension == dimension.id && t.when_no_study)
        else {
            continue;
        };
        if !*read.get_or_insert_with(|| reports_no_study(abstract_text, sentences)) {
            return;
        }
        let Some(first) = sentences.first() else {
            return;
        };
        let start = abstract_text[..first.start].chars().count();
        let text = abstract_text[first.start..first.end].to_string();
        let tag = RecordTag {
            dimension: fallback.dimension.clone(),
            tag: fallback.id.clone(),
            level: fallback.level,
            evidence: vec![TagEvidence {
                source: TagSource::Abstract,
                end: Some(start + text.chars().count()),
                start: Some(start),
                text,
                negated: false,
            }],
        };
        let order = |t: &RecordTag| {
            taxonomy
                .tags()
                .iter()
                .position(|x| x.dimension == t.dimension && x.id == t.tag)
        };
        let at = tags
            .iter()
            .position(|t| order(t) > order(&tag))
            .unwrap_or(tags.len());
        tags.insert(at, tag);
    }
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

    fn design(title: &str, abstract_text: &str) -> Option<(String, String)> {
        let matcher = Matcher::new(Taxonomy::builtin());
        let input = TagInput {
            title,
            abstract_text: abstract_text.to_string(),
            publication_types: vec![(None, "Journal Article")],
            ..TagInput::default()
        };
        read_study(&matcher, &input)
            .0
            .into_iter()
            .find(|t| t.dimension == "design")
            .map(|t| (t.tag, t.evidence[0].text.clone()))
    }

    #[test]
    fn an_abstract_that_reports_no_study_is_a_narrative_review() {
        let essay = "Chilblains were common in unheated homes a century ago. They became rare as \
                     central heating spread. Their return during the pandemic revived interest in \
                     their cause. Interferon responses to the virus may explain the lesions. \
                     Cold exposure alone seems not to. Clinicians should still ask about heating.";
        assert_eq!(
            design("Chilblains then and now", essay),
            Some((
                "narrative-review".to_string(),
                "Chilblains were common in unheated homes a century ago.".to_string()
            ))
        );
        // A study that never names its design reports a result or a research act of its own.
        let with_result = essay.replace(
            "Cold exposure alone seems not to.",
            "Lesions were found on 38 toes (62%).",
        );
        assert_eq!(design("Chilblains then and now", &with_result), None);
        let with_act = essay.replace(
            "Cold exposure alone seems not to.",
            "We interviewed the families of affected children.",
        );
        assert_eq!(design("Chilblains then and now", &with_act), None);
        // Too short to tell.
        assert_eq!(
            design(
                "Chilblains then and now",
                "Chilblains were common. They became rare."
            ),
            None
        );
    }
}
