//! Auditing an article: find the sentences that make evidence claims, tag them, rank candidate
//! evidence for each, and say whether a reviewed claim already covers it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::article::{ArticleClaim, Span, read_claims};
use super::cues::claim_cues;
use super::record::{CLAIM_DIMENSIONS, infer_tags};
use super::suggest::{content_words, suggest};
use super::values::ClaimKind;
use crate::abstracts::facts::FactKind;
use crate::export::cite::CitationStyle;
use crate::store::claims::list_claims;
use crate::store::facts::record_facts;
use crate::store::{Store, StoreError};
use crate::tagging::Matcher;
use crate::text::detect_format;

/// A candidate for an audited sentence.
#[derive(Debug, Clone, Serialize)]
pub struct AuditCandidate {
    /// PMID.
    pub pmid: u64,
    /// Score.
    pub score: f64,
    /// Citation.
    pub citation: String,
    /// The stance its findings suggest for the sentence (see [`super::stance`]).
    pub stance: Option<super::values::Stance>,
    /// The finding sentence behind the stance.
    pub stance_reason: Option<String>,
    /// For a protocol claim: the record's sessions, concentration and volume as it states them
    /// ("sessions: 3 (three weekly injections)").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<String>,
}

/// A reviewed claim that covers a sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// The claim.
    pub claim: String,
    /// Its verdict.
    pub verdict: String,
    /// Word overlap (Jaccard) between the sentence and the claim.
    pub similarity: f64,
}

/// One evidence claim found in the article.
#[derive(Debug, Clone, Serialize)]
pub struct AuditedSentence {
    /// The sentence (markup removed), or the list item or table cell, as the article has it.
    pub sentence: String,
    /// Character offset in the document where it starts.
    pub start: usize,
    /// Character offset where it ends (exclusive).
    pub end: usize,
    /// What the claim asserts.
    pub kind: ClaimKind,
    /// The claim in words of its own: the sentence, or a lead-in joined with one list item, or
    /// the sentence narrowed to one element of its enumeration.
    pub claim: String,
    /// The lead-in (or a table row's first cell) the item completes, with its offsets.
    pub lead_in: Option<Span>,
    /// The list item or enumeration element the claim is about.
    pub item: Option<String>,
    /// The heading above the claim.
    pub section: Option<String>,
    /// Why it counts as an evidence claim.
    pub cues: Vec<String>,
    /// Inferred tags as "dimension/tag".
    pub tags: Vec<String>,
    /// Top candidate evidence.
    pub candidates: Vec<AuditCandidate>,
    /// The reviewed claim that covers it, if any.
    pub covered_by: Option<Coverage>,
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(b).count() as f64 / a.union(b).count() as f64
}

/// Largest article `audit` reads, in bytes (5 MiB: a long web page is well under 1 MiB). The
/// work is linear in the article, and memory about 60 times its size at worst (one character
/// per 4 bytes, with its source span, plus the tagger's view of each sentence), so the limit
/// keeps one input to a few hundred megabytes.
pub const MAX_ARTICLE_BYTES: usize = 5 << 20;

/// Longest part of a sentence, in characters, used to look for candidate evidence. Real
/// sentences are a few hundred characters; the full-text query built from a longer one (one
/// term per distinct word) costs SQLite time quadratic in its terms, so a "sentence" of 100,000
/// distinct words would take minutes. Tags and coverage still read the whole sentence.
pub const EVIDENCE_QUERY_CHARS: usize = 2000;

/// The first [`EVIDENCE_QUERY_CHARS`] characters of a sentence, cut at a space when it is
/// longer.
fn evidence_query(sentence: &str) -> &str {
    match sentence.char_indices().nth(EVIDENCE_QUERY_CHARS) {
        None => sentence,
        Some((cut, _)) => {
            let head = &sentence[..cut];
            head.rfind(' ').map_or(head, |space| &head[..space])
        }
    }
}

/// What a section heading says of the claims under it: the treatments it names, and whether
/// it speaks of harms.
type HeadingTags = (Vec<(String, String)>, bool);

/// The tags of each claim of an article: those its own words name (a list item's with its
/// lead-in's); for claims that name no treatment ("the injection", "it"), the treatment their
/// section's heading names, else the article's (the one its claims name most); and adverse events for a safety
/// claim or one under a heading of risks.
pub fn article_claim_tags(
    matcher: &Matcher,
    claims: &[ArticleClaim],
) -> Vec<Vec<(String, String)>> {
    let own: Vec<Vec<(String, String)>> = claims
        .iter()
        .map(|c| infer_tags(matcher, &c.claim, &CLAIM_DIMENSIONS))
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (d, t) in own.iter().flatten() {
        if d == "intervention" && t != "placebo-sham" {
            *counts.entry(t.as_str()).or_default() += 1;
        }
    }
    let most = counts.values().copied().max().unwrap_or(0);
    let topic: Vec<String> = counts
        .iter()
        .filter(|&(_, &n)| n == most && n > 0)
        .map(|(t, _)| (*t).to_string())
        .collect();
    // Each section heading is tagged once: its treatments, and whether it speaks of harms.
    let mut headings: BTreeMap<&str, HeadingTags> = BTreeMap::new();
    for heading in claims.iter().filter_map(|c| c.section.as_deref()) {
        headings.entry(heading).or_insert_with(|| {
            let tags = infer_tags(matcher, heading, &["intervention", "outcome"]);
            let harms = tags.iter().any(|(_, t)| t == "adverse-events");
            let treatments = tags
                .into_iter()
                .filter(|(d, _)| d == "intervention")
                .collect();
            (treatments, harms)
        });
    }
    let adverse = ("outcome".to_string(), "adverse-events".to_string());
    claims
        .iter()
        .zip(own)
        .map(|(claim, mut tags)| {
            let (from_section, risky_section) = claim
                .section
                .as_deref()
                .and_then(|h| headings.get(h))
                .map_or((&[][..], false), |(t, harms)| (&t[..], *harms));
            // A claim that names no treatment speaks of its section's ("Ozone injections:
            // what to expect"), else of the article's.
            if !tags.iter().any(|(d, _)| d == "intervention") {
                if from_section.is_empty() {
                    tags.extend(
                        topic
                            .iter()
                            .map(|t| ("intervention".to_string(), t.clone())),
                    );
                } else {
                    tags.extend(from_section.iter().cloned());
                }
            }
            if (claim.kind == ClaimKind::Safety || risky_section) && !tags.contains(&adverse) {
                tags.push(adverse.clone());
            }
            tags
        })
        .collect()
}

/// Least word overlap for a reviewed claim to cover a sentence.
pub const COVER_THRESHOLD: f64 = 0.5;

/// Audits a document (`name` is used to detect its format). Callers keep documents within
/// [`MAX_ARTICLE_BYTES`].
pub fn audit_document(
    store: &Store,
    matcher: &Matcher,
    name: &str,
    content: &str,
    candidates_per_claim: usize,
    style: CitationStyle,
) -> Result<Vec<AuditedSentence>, StoreError> {
    let format = detect_format(name, content);
    let reviewed: Vec<(String, String, BTreeSet<String>)> = list_claims(store, false)?
        .into_iter()
        .filter_map(|c| {
            c.verdict.clone().map(|v| {
                (
                    c.id.clone(),
                    v,
                    content_words(&c.text).into_iter().collect(),
                )
            })
        })
        .collect();
    let claims = read_claims(content, format);
    let all_tags = article_claim_tags(matcher, &claims);
    let mut out = Vec::new();
    for (c, tags) in claims.into_iter().zip(all_tags) {
        let claim_tags: Vec<(String, String)> = tags
            .iter()
            .filter(|(d, _)| CLAIM_DIMENSIONS.contains(&d.as_str()))
            .cloned()
            .collect();
        let query = evidence_query(&c.claim);
        let mut candidates: Vec<AuditCandidate> = suggest(
            store,
            matcher,
            query,
            &claim_tags,
            candidates_per_claim,
            style,
        )?
        .into_iter()
        .map(|c| AuditCandidate {
            pmid: c.pmid,
            score: c.score,
            citation: c.citation,
            stance: c.stance,
            stance_reason: c.stance_reason,
            facts: Vec::new(),
        })
        .collect();
        if c.kind == ClaimKind::Protocol {
            // A protocol claim is checked against what the trials gave: each candidate's
            // sessions, concentration and volume, those that state them first.
            for candidate in &mut candidates {
                candidate.facts = record_facts(store, candidate.pmid)?
                    .into_iter()
                    .filter(|f| {
                        matches!(
                            f.kind,
                            FactKind::Sessions | FactKind::Concentration | FactKind::Volume
                        )
                    })
                    .map(|f| format!("{}: {}", f.kind.as_str(), f.text))
                    .collect();
            }
            candidates.sort_by_key(|candidate| candidate.facts.is_empty());
        }
        let words: BTreeSet<String> = content_words(&c.claim).into_iter().collect();
        let covered_by = reviewed
            .iter()
            .map(|(id, verdict, cw)| (id, verdict, jaccard(&words, cw)))
            .filter(|(_, _, sim)| *sim >= COVER_THRESHOLD)
            .max_by(|a, b| a.2.partial_cmp(&b.2).unwrap_or(std::cmp::Ordering::Equal))
            .map(|(id, verdict, sim)| Coverage {
                claim: id.clone(),
                verdict: verdict.clone(),
                similarity: (sim * 100.0).round() / 100.0,
            });
        out.push(AuditedSentence {
            sentence: c.sentence.text.clone(),
            start: c.sentence.start,
            end: c.sentence.end,
            kind: c.kind,
            cues: claim_cues(&c.claim)
                .into_iter()
                .map(str::to_string)
                .collect(),
            claim: c.claim,
            lead_in: c.lead_in,
            item: c.item,
            section: c.section,
            tags: tags.iter().map(|(d, t)| format!("{d}/{t}")).collect(),
            candidates,
            covered_by,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_looked_up_with_the_start_of_a_long_sentence() {
        let short = "A study found that ozone reduced pain.";
        assert_eq!(evidence_query(short), short);
        let long = format!("\u{3b1}lpha {}", "w ".repeat(5000));
        let query = evidence_query(&long);
        assert!(long.starts_with(query) && query.chars().count() <= EVIDENCE_QUERY_CHARS);
        assert!(query.ends_with('w'), "cut at a space");
    }
}
