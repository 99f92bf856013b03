//! The tagger: applies a [`Taxonomy`] to one record and returns its tags with their evidence.
//!
//! Rules, per tag: MeSH descriptor UIs, publication types, phrases (one Aho-Corasick automaton
//! per dimension, leftmost-longest, so an exclusion phrase that contains a tag phrase wins),
//! context-bound abbreviations, regular expressions. Then, per dimension: negated mentions are
//! dropped or kept-and-flagged ([`Negation`]), `suppressed_by` cancels tags, and a `select =
//! "one"` dimension keeps its best-supported tag (publication type over MeSH over title over
//! keyword over abstract, then the higher evidence level).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use serde::Serialize;

use super::normalize::{Normalized, normalize, normalize_phrase, plural_variants};
use super::taxonomy::{Negation, Select, Taxonomy};
use crate::pubmed::Article;

/// Where a tag's evidence was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TagSource {
    /// A publication type.
    PublicationType,
    /// A MeSH descriptor.
    Mesh,
    /// The title.
    Title,
    /// An author keyword.
    Keyword,
    /// The abstract.
    Abstract,
    /// Added by a person.
    Manual,
}

impl TagSource {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TagSource::PublicationType => "publication_type",
            TagSource::Mesh => "mesh",
            TagSource::Title => "title",
            TagSource::Keyword => "keyword",
            TagSource::Abstract => "abstract",
            TagSource::Manual => "manual",
        }
    }
    /// Parses the stored name.
    pub fn from_stored(s: &str) -> TagSource {
        match s {
            "publication_type" => TagSource::PublicationType,
            "mesh" => TagSource::Mesh,
            "title" => TagSource::Title,
            "keyword" => TagSource::Keyword,
            "abstract" => TagSource::Abstract,
            _ => TagSource::Manual,
        }
    }
}

/// One piece of evidence for a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagEvidence {
    /// Where.
    pub source: TagSource,
    /// The matched text (for MeSH and publication types: the term).
    pub text: String,
    /// Character offset of the match in the field (title, abstract text, keyword).
    pub start: Option<usize>,
    /// End character offset (exclusive).
    pub end: Option<usize>,
    /// The mention is negated ("no adverse events occurred").
    pub negated: bool,
}

/// A tag given to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordTag {
    /// Dimension id.
    pub dimension: String,
    /// Tag id.
    pub tag: String,
    /// Evidence level of the tag (design), from the taxonomy.
    pub level: Option<i64>,
    /// Evidence, best first (at most [`MAX_EVIDENCE`]).
    pub evidence: Vec<TagEvidence>,
}

/// Most evidence items kept per tag.
pub const MAX_EVIDENCE: usize = 3;

/// What the tagger reads of a record.
#[derive(Debug, Clone, Default)]
pub struct TagInput<'a> {
    /// Title, plain text.
    pub title: &'a str,
    /// Abstract, plain text (sections prefixed by their labels).
    pub abstract_text: String,
    /// Keywords.
    pub keywords: Vec<&'a str>,
    /// MeSH descriptors as (UI, name).
    pub mesh: Vec<(Option<&'a str>, &'a str)>,
    /// Publication types as (UI, name).
    pub publication_types: Vec<(Option<&'a str>, &'a str)>,
}

impl<'a> TagInput<'a> {
    /// The tagger's view of an article.
    pub fn from_article(a: &'a Article) -> TagInput<'a> {
        let mut abstract_text = a
            .abstract_
            .as_ref()
            .map(|x| x.plain_text())
            .unwrap_or_default();
        for other in &a.other_abstracts {
            if other.language.as_deref().is_none_or(|l| l == "eng") {
                abstract_text.push('\n');
                abstract_text.push_str(&other.plain_text());
            }
        }
        TagInput {
            title: &a.title.text,
            abstract_text,
            keywords: a.keywords.iter().map(|k| k.text.as_str()).collect(),
            mesh: a
                .mesh
                .iter()
                .map(|m| (m.ui.as_deref(), m.descriptor.as_str()))
                .collect(),
            publication_types: a
                .publication_types
                .iter()
                .map(|p| (p.ui.as_deref(), p.name.as_str()))
                .collect(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PatternKind {
    Phrase,
    ContextPhrase,
    Exclusion,
}

struct DimensionMatcher {
    automaton: AhoCorasick,
    /// Per automaton pattern: its tag index and kind.
    patterns: Vec<(usize, PatternKind)>,
}

/// A compiled taxonomy, ready to tag records. Build once, use for many records.
pub struct Matcher {
    taxonomy: Taxonomy,
    dimensions: Vec<Option<DimensionMatcher>>,
    /// Tag index → dimension index.
    tag_dimension: Vec<usize>,
    mesh: HashMap<String, Vec<usize>>,
    publication_types: HashMap<String, Vec<usize>>,
    /// Every abbreviation of every tag, case-sensitive, and the tag of each pattern.
    abbreviations: Option<AhoCorasick>,
    abbreviation_tags: Vec<usize>,
    /// Every context term, and per tag the indices of its terms.
    context_terms: Option<AhoCorasick>,
    context_term_count: usize,
    contexts: Vec<Vec<usize>>,
    regexes: Vec<(Regex, usize)>,
    suppressors: Vec<Vec<usize>>,
}

const PRE_CUES: &[&str] = &[
    "no",
    "not",
    "without",
    "absence",
    "absent",
    "free",
    "lack",
    "lacking",
    "denied",
    "denies",
    "neither",
    "nor",
    "non",
    "never",
    "negative",
    "excluding",
    "except",
    "ruled",
];
const POST_CUES: &[&str] = &["excluded", "exclusion", "absent", "free", "ruled"];
const SCOPE_BREAKERS: &[&str] = &[
    "but", "however", "although", "whereas", "while", "which", "who", "than",
];
const EXCLUSION_CUES: &[&str] = &["exclusion", "excluded", "exclude", "excluding"];

/// Whether the match at `start..end` of a normalised text is negated.
fn is_negated(norm: &str, start: usize, end: usize) -> bool {
    let sentence_start = norm[..start].rfind(". ").map_or(0, |i| i + 2);
    let sentence_end = norm[end..].find(" .").map_or(norm.len(), |i| end + i);
    let before: Vec<&str> = norm[sentence_start..start].split_whitespace().collect();
    for word in before.iter().rev().take(4) {
        if SCOPE_BREAKERS.contains(word) {
            break;
        }
        if PRE_CUES.contains(word) {
            return true;
        }
    }
    if before.iter().any(|w| EXCLUSION_CUES.contains(w)) {
        return true;
    }
    let after = norm[end..sentence_end].split_whitespace().take(4);
    for word in after {
        if SCOPE_BREAKERS.contains(&word) {
            break;
        }
        if POST_CUES.contains(&word) {
            return true;
        }
    }
    false
}

fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

fn word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before_ok = text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after_ok = text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    before_ok && after_ok
}

impl Matcher {
    /// Compiles a taxonomy.
    pub fn new(taxonomy: Taxonomy) -> Matcher {
        let tag_dimension: Vec<usize> = taxonomy
            .tags
            .iter()
            .map(|t| {
                taxonomy
                    .dimensions
                    .iter()
                    .position(|d| d.id == t.dimension)
                    .unwrap_or(0)
            })
            .collect();
        let mut dimensions = Vec::new();
        for (di, _) in taxonomy.dimensions.iter().enumerate() {
            let mut texts: Vec<String> = Vec::new();
            let mut patterns = Vec::new();
            for (ti, tag) in taxonomy.tags.iter().enumerate() {
                if tag_dimension[ti] != di {
                    continue;
                }
                for (list, kind) in [
                    (&tag.phrases, PatternKind::Phrase),
                    (&tag.context_phrases, PatternKind::ContextPhrase),
                    (&tag.exclude, PatternKind::Exclusion),
                ] {
                    for phrase in list {
                        for variant in plural_variants(&normalize_phrase(phrase)) {
                            texts.push(variant);
                            patterns.push((ti, kind));
                        }
                    }
                }
            }
            dimensions.push(if texts.is_empty() {
                None
            } else {
                let automaton = AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&texts)
                    .expect("phrases were validated");
                Some(DimensionMatcher {
                    automaton,
                    patterns,
                })
            });
        }
        let mut mesh: HashMap<String, Vec<usize>> = HashMap::new();
        let mut publication_types: HashMap<String, Vec<usize>> = HashMap::new();
        let mut abbreviation_texts: Vec<String> = Vec::new();
        let mut abbreviation_tags = Vec::new();
        let mut regexes = Vec::new();
        let mut context_texts: Vec<String> = Vec::new();
        let mut contexts = Vec::new();
        let mut suppressors = Vec::new();
        for (ti, tag) in taxonomy.tags.iter().enumerate() {
            for ui in &tag.mesh {
                mesh.entry(ui.clone()).or_default().push(ti);
            }
            for pt in &tag.publication_types {
                publication_types
                    .entry(pt.to_lowercase())
                    .or_default()
                    .push(ti);
            }
            for a in &tag.abbreviations {
                abbreviation_texts.push(a.clone());
                abbreviation_tags.push(ti);
            }
            for p in &tag.patterns {
                if let Ok(re) = regex::RegexBuilder::new(p).case_insensitive(true).build() {
                    regexes.push((re, ti));
                }
            }
            let mut ids = Vec::new();
            for c in &tag.context {
                let c = normalize_phrase(c);
                let id = match context_texts.iter().position(|x| *x == c) {
                    Some(i) => i,
                    None => {
                        context_texts.push(c);
                        context_texts.len() - 1
                    }
                };
                ids.push(id);
            }
            contexts.push(ids);
            suppressors.push(
                tag.suppressed_by
                    .iter()
                    .filter_map(|s| {
                        taxonomy
                            .tags
                            .iter()
                            .position(|t| t.dimension == tag.dimension && &t.id == s)
                    })
                    .collect(),
            );
        }
        let build = |texts: &[String]| {
            (!texts.is_empty()).then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(texts)
                    .expect("validated phrases")
            })
        };
        let abbreviations = build(&abbreviation_texts);
        let context_term_count = context_texts.len();
        let context_terms = build(&context_texts);
        Matcher {
            taxonomy,
            dimensions,
            tag_dimension,
            mesh,
            publication_types,
            abbreviations,
            abbreviation_tags,
            context_terms,
            context_term_count,
            contexts,
            regexes,
            suppressors,
        }
    }

    /// The taxonomy.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Tags a record.
    pub fn tag(&self, input: &TagInput<'_>) -> Vec<RecordTag> {
        let mut hits: Vec<Vec<TagEvidence>> = vec![Vec::new(); self.taxonomy.tags.len()];
        for (ui, name) in &input.mesh {
            if let Some(tags) = ui.and_then(|u| self.mesh.get(u)) {
                for &t in tags {
                    hits[t].push(TagEvidence {
                        source: TagSource::Mesh,
                        text: name.to_string(),
                        start: None,
                        end: None,
                        negated: false,
                    });
                }
            }
        }
        for (ui, name) in &input.publication_types {
            let by_ui = ui.and_then(|u| self.publication_types.get(&u.to_lowercase()));
            let by_name = self.publication_types.get(&name.to_lowercase());
            let mut tags: Vec<usize> = by_ui
                .into_iter()
                .chain(by_name)
                .flatten()
                .copied()
                .collect();
            tags.sort_unstable();
            tags.dedup();
            for t in tags {
                hits[t].push(TagEvidence {
                    source: TagSource::PublicationType,
                    text: name.to_string(),
                    start: None,
                    end: None,
                    negated: false,
                });
            }
        }
        let mut fields: Vec<(TagSource, &str)> = vec![
            (TagSource::Title, input.title),
            (TagSource::Abstract, &input.abstract_text),
        ];
        fields.extend(input.keywords.iter().map(|k| (TagSource::Keyword, *k)));
        let normalized: Vec<Normalized> = fields.iter().map(|(_, text)| normalize(text)).collect();
        let record_text: String = normalized
            .iter()
            .map(|n| n.text.as_str())
            .collect::<Vec<_>>()
            .join(" . ");
        let present = self.context_present(&record_text);
        for ((source, original), norm) in fields.iter().zip(&normalized) {
            self.match_phrases(*source, original, norm, &present, &mut hits);
            self.match_abbreviations(*source, original, norm, &present, &mut hits);
            self.match_patterns(*source, original, norm, &mut hits);
        }
        self.resolve(hits)
    }

    fn evidence(
        &self,
        source: TagSource,
        original: &str,
        norm: &Normalized,
        ns: usize,
        ne: usize,
    ) -> TagEvidence {
        let (s, e) = norm.original_span(original, ns, ne);
        TagEvidence {
            source,
            text: original[s..e].to_string(),
            start: Some(char_offset(original, s)),
            end: Some(char_offset(original, e)),
            negated: is_negated(&norm.text, ns, ne),
        }
    }

    /// Which context terms occur (at a word start) in the record text: computed once per record.
    fn context_present(&self, record_text: &str) -> Vec<bool> {
        let mut found = vec![false; self.context_term_count];
        if let Some(ac) = &self.context_terms {
            for m in ac.find_overlapping_iter(record_text) {
                let i = m.start();
                if i == 0 || !record_text[..i].ends_with(char::is_alphanumeric) {
                    found[m.pattern().as_usize()] = true;
                }
            }
        }
        found
    }

    fn in_context(&self, tag: usize, present: &[bool]) -> bool {
        self.contexts[tag].iter().any(|&c| present[c])
    }

    fn match_phrases(
        &self,
        source: TagSource,
        original: &str,
        norm: &Normalized,
        present: &[bool],
        hits: &mut [Vec<TagEvidence>],
    ) {
        for dim in self.dimensions.iter().flatten() {
            for m in dim.automaton.find_iter(&norm.text) {
                let (tag, kind) = dim.patterns[m.pattern().as_usize()];
                if kind == PatternKind::Exclusion || !word_bounded(&norm.text, m.start(), m.end()) {
                    continue;
                }
                if kind == PatternKind::ContextPhrase && !self.in_context(tag, present) {
                    continue;
                }
                hits[tag].push(self.evidence(source, original, norm, m.start(), m.end()));
            }
        }
    }

    fn match_abbreviations(
        &self,
        source: TagSource,
        original: &str,
        norm: &Normalized,
        present: &[bool],
        hits: &mut [Vec<TagEvidence>],
    ) {
        let Some(ac) = &self.abbreviations else {
            return;
        };
        for m in ac.find_overlapping_iter(original) {
            let tag = self.abbreviation_tags[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if !word_bounded(original, start, end) || !self.in_context(tag, present) {
                continue;
            }
            let ns = norm.normalized_index(start);
            let ne = norm.normalized_index(end).max(ns + 1).min(norm.text.len());
            hits[tag].push(TagEvidence {
                source,
                text: original[start..end].to_string(),
                start: Some(char_offset(original, start)),
                end: Some(char_offset(original, end)),
                negated: ns < ne && is_negated(&norm.text, ns, ne),
            });
        }
    }

    fn match_patterns(
        &self,
        source: TagSource,
        original: &str,
        norm: &Normalized,
        hits: &mut [Vec<TagEvidence>],
    ) {
        for (re, tag) in &self.regexes {
            for m in re.find_iter(original) {
                if m.as_str().is_empty() {
                    continue;
                }
                let ns = norm.normalized_index(m.start());
                let ne = norm
                    .normalized_index(m.end())
                    .max(ns + 1)
                    .min(norm.text.len());
                let negated = ns < ne && is_negated(&norm.text, ns, ne);
                hits[*tag].push(TagEvidence {
                    source,
                    text: m.as_str().to_string(),
                    start: Some(char_offset(original, m.start())),
                    end: Some(char_offset(original, m.end())),
                    negated,
                });
            }
        }
    }

    /// Negation, suppression and selection.
    fn resolve(&self, mut hits: Vec<Vec<TagEvidence>>) -> Vec<RecordTag> {
        for (ti, evidence) in hits.iter_mut().enumerate() {
            let dim = &self.taxonomy.dimensions[self.tag_dimension[ti]];
            if dim.negation == Negation::Drop {
                evidence.retain(|e| !e.negated);
            }
            evidence.sort_by_key(|e| (e.source, e.negated, e.start));
            evidence
                .dedup_by(|a, b| a.source == b.source && a.start == b.start && a.text == b.text);
        }
        let present: Vec<bool> = hits.iter().map(|h| !h.is_empty()).collect();
        for (ti, evidence) in hits.iter_mut().enumerate() {
            if self.suppressors[ti].iter().any(|&s| present[s]) {
                evidence.clear();
            }
        }
        for (di, dim) in self.taxonomy.dimensions.iter().enumerate() {
            if dim.select != Select::One {
                continue;
            }
            let best = (0..hits.len())
                .filter(|&t| self.tag_dimension[t] == di && !hits[t].is_empty())
                .min_by_key(|&t| {
                    let e = &hits[t][0];
                    (
                        e.source,
                        std::cmp::Reverse(self.taxonomy.tags[t].level.unwrap_or(0)),
                        e.start,
                    )
                });
            for (t, evidence) in hits.iter_mut().enumerate() {
                if self.tag_dimension[t] == di && Some(t) != best {
                    evidence.clear();
                }
            }
        }
        let mut out = Vec::new();
        for (ti, mut evidence) in hits.into_iter().enumerate() {
            if evidence.is_empty() {
                continue;
            }
            evidence.truncate(MAX_EVIDENCE);
            let tag = &self.taxonomy.tags[ti];
            out.push(RecordTag {
                dimension: tag.dimension.clone(),
                tag: tag.id.clone(),
                level: tag.level,
                evidence,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags_of(m: &Matcher, title: &str, abstract_text: &str) -> Vec<(String, String)> {
        let input = TagInput {
            title,
            abstract_text: abstract_text.to_string(),
            ..TagInput::default()
        };
        m.tag(&input)
            .into_iter()
            .map(|t| (t.dimension, t.tag))
            .collect()
    }

    fn has(tags: &[(String, String)], dim: &str, tag: &str) -> bool {
        tags.iter().any(|(d, t)| d == dim && t == tag)
    }

    #[test]
    fn phrases_match_variants_at_word_boundaries() {
        let m = Matcher::new(Taxonomy::builtin());
        for text in [
            "Lumbar disc herniations treated",
            "herniated disks",
            "a disc-herniation",
            "HERNIATED DISC",
        ] {
            assert!(
                has(&tags_of(&m, text, ""), "condition", "herniated-disc"),
                "{text}"
            );
        }
        assert!(!has(
            &tags_of(&m, "discography findings", ""),
            "condition",
            "herniated-disc"
        ));
    }

    #[test]
    fn negated_conditions_are_dropped_negated_outcomes_kept() {
        let m = Matcher::new(Taxonomy::builtin());
        let t = tags_of(
            &m,
            "Ozone for disc herniation",
            "Patients without sciatica were excluded. No adverse events occurred.",
        );
        assert!(!has(&t, "condition", "sciatica"), "{t:?}");
        assert!(has(&t, "outcome", "adverse-events"), "{t:?}");
        let input = TagInput {
            title: "x",
            abstract_text: "No adverse events occurred.".into(),
            ..TagInput::default()
        };
        let ae = m
            .tag(&input)
            .into_iter()
            .find(|t| t.tag == "adverse-events")
            .unwrap();
        assert!(ae.evidence[0].negated);
        let t = tags_of(
            &m,
            "Spinal stenosis was an exclusion criterion; patients had sciatica",
            "",
        );
        assert!(!has(&t, "condition", "spinal-stenosis"), "{t:?}");
        assert!(has(&t, "condition", "sciatica"), "{t:?}");
    }

    #[test]
    fn abbreviations_need_context() {
        let m = Matcher::new(Taxonomy::builtin());
        assert!(has(
            &tags_of(
                &m,
                "Ozone injection for LDH",
                "Patients with lumbar disc disease."
            ),
            "condition",
            "herniated-disc"
        ));
        assert!(!has(
            &tags_of(
                &m,
                "Serum LDH in sepsis",
                "Lactate dehydrogenase predicted mortality."
            ),
            "condition",
            "herniated-disc"
        ));
    }

    #[test]
    fn one_design_and_suppression() {
        let m = Matcher::new(Taxonomy::builtin());
        let t = tags_of(
            &m,
            "Ozone for back pain: a systematic review and meta-analysis",
            "We pooled randomized controlled trials.",
        );
        let designs: Vec<&str> = t
            .iter()
            .filter(|(d, _)| d == "design")
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(designs, ["meta-analysis"]);
    }
}
