//! The tagger: applies a [`Taxonomy`] to one record and returns its tags with their evidence.
//!
//! Rules, per tag: MeSH descriptor UIs, publication types, phrases (one Aho-Corasick automaton
//! per dimension, leftmost-longest, so an exclusion phrase that contains a tag phrase wins),
//! context-bound abbreviations, phrases that count only next to a `near` term in their sentence,
//! regular expressions. Then, per dimension: negated mentions are
//! dropped or kept-and-flagged ([`Negation`]), `suppressed_by` cancels tags, and a `select =
//! "one"` dimension keeps its best-supported tag (publication type over MeSH over title over
//! keyword over abstract, then the higher evidence level).
//!
//! Work is linear in the text, whatever it holds: each field is read up to
//! [`MAX_TAGGED_FIELD_BYTES`], negation looks at most [`NEGATION_WINDOW_BYTES`] either side of a
//! mention (the exclusion cue rule uses an index built once per field), character offsets come
//! from a block index, and a tag keeps only the evidence that can still rank among its best. No
//! offset is sliced without checking that it falls on a character boundary, so even a taxonomy
//! that bypassed validation cannot make tagging panic.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use serde::Serialize;

use super::normalize::{Normalized, normalize, normalize_phrase, plural_variants};
use super::taxonomy::{Negation, NegationReach, Select, SentenceScope, Taxonomy};
use crate::abstracts::{AbstractSentence, Voice, read_abstract};
use crate::pubmed::Article;
use crate::text::regex_gate::RegexGate;

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
    /// The abstract's sentences with their roles, when the caller has read them already
    /// ([`crate::abstracts::read_abstract`] of `abstract_text`), so they are read once.
    pub sentences: Option<&'a [AbstractSentence]>,
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
            sentences: None,
        }
    }

    /// Whether the tagger reads the same in both: then it derives the same tags and facts with
    /// the same taxonomy (the sentences are read from the abstract text, compared here).
    pub fn reads_like(&self, other: &TagInput<'_>) -> bool {
        let TagInput {
            title,
            abstract_text,
            keywords,
            mesh,
            publication_types,
            sentences: _,
        } = self;
        *title == other.title
            && *abstract_text == other.abstract_text
            && *keywords == other.keywords
            && *mesh == other.mesh
            && *publication_types == other.publication_types
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PatternKind {
    Phrase,
    ContextPhrase,
    NearPhrase,
    Exclusion,
}

/// One phrase of the taxonomy (or a plural form of it) in the phrase automaton.
#[derive(Clone, Copy)]
struct PhrasePattern {
    dimension: usize,
    tag: usize,
    kind: PatternKind,
    /// A plural form the taxonomy did not write (added by [`plural_variants`]).
    plural: bool,
}

/// The phrases of every dimension, found in one overlapping pass; each dimension then keeps its
/// leftmost-longest matches (so an exclusion phrase that contains a tag phrase wins). The same
/// automaton holds the taxonomy's context terms after the phrases, so that one pass over a
/// record finds both.
struct PhraseMatcher {
    automaton: AhoCorasick,
    /// Per phrase pattern, in pattern order (the context terms follow them in the automaton).
    patterns: Vec<PhrasePattern>,
    /// How many context terms follow the phrases.
    context_terms: usize,
}

/// A phrase occurrence as [`PhraseMatcher`] sorts them: dimension, start, end (longest first),
/// pattern.
type PhraseHit = (usize, usize, std::cmp::Reverse<usize>, usize);

/// The phrase matches kept in one text: start, end, pattern.
type PhraseSpans = Vec<(usize, usize, usize)>;

impl PhraseMatcher {
    /// Per dimension, in dimension order, the matches a leftmost-longest search of that
    /// dimension's phrases finds, as (start, end, pattern): every occurrence of every phrase in
    /// one pass, then in text order the longest at each start (the first-listed of equal ones),
    /// skipping those that start inside the one kept before.
    #[cfg(test)]
    fn leftmost_longest(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let found = self
            .automaton
            .find_overlapping_iter(text)
            .filter(|m| m.pattern().as_usize() < self.patterns.len())
            .map(|m| self.hit(m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        Self::keep_leftmost_longest(found)
    }

    fn hit(&self, p: usize, start: usize, end: usize) -> PhraseHit {
        (self.patterns[p].dimension, start, std::cmp::Reverse(end), p)
    }

    /// [`PhraseMatcher::leftmost_longest`]'s selection from every occurrence.
    fn keep_leftmost_longest(mut found: Vec<PhraseHit>) -> PhraseSpans {
        found.sort_unstable();
        let mut kept = Vec::with_capacity(found.len());
        let mut kept_end: Option<(usize, usize)> = None;
        for (dimension, start, std::cmp::Reverse(end), p) in found {
            if kept_end.is_some_and(|(d, e)| d == dimension && start < e) {
                continue;
            }
            kept_end = Some((dimension, end));
            kept.push((start, end, p));
        }
        kept
    }

    /// One pass over a record's normalised fields, joined by `" . "` as one record text: which
    /// context terms occur at a word start anywhere in it, and per field what
    /// [`PhraseMatcher::leftmost_longest`] finds in that field alone.
    fn scan_record(&self, fields: &[&str]) -> (Vec<bool>, Vec<PhraseSpans>) {
        const JOIN: &str = " . ";
        let record_text = fields.join(JOIN);
        let mut starts = Vec::with_capacity(fields.len());
        let mut at = 0;
        for field in fields {
            starts.push(at);
            at += field.len() + JOIN.len();
        }
        let mut present = vec![false; self.context_terms];
        let mut hits: Vec<Vec<PhraseHit>> = vec![Vec::new(); fields.len()];
        for m in self.automaton.find_overlapping_iter(&record_text) {
            let (p, start, end) = (m.pattern().as_usize(), m.start(), m.end());
            if let Some(term) = p.checked_sub(self.patterns.len()) {
                let at_word_start = record_text
                    .get(..start)
                    .is_some_and(|before| !before.ends_with(char::is_alphanumeric));
                if at_word_start {
                    present[term] = true;
                }
                continue;
            }
            // A phrase counts in the field that holds all of it (none spans the joins).
            let f = starts.partition_point(|&s| s <= start) - 1;
            if end <= starts[f] + fields[f].len() {
                hits[f].push(self.hit(p, start - starts[f], end - starts[f]));
            }
        }
        let per_field = hits.into_iter().map(Self::keep_leftmost_longest).collect();
        (present, per_field)
    }
}

/// A compiled taxonomy, ready to tag records. Build once, use for many records.
pub struct Matcher {
    taxonomy: Taxonomy,
    phrases: Option<PhraseMatcher>,
    /// Tag index → dimension index.
    tag_dimension: Vec<usize>,
    mesh: HashMap<String, Vec<usize>>,
    publication_types: HashMap<String, Vec<usize>>,
    /// Publication types that give a tag but rank below the text (lowercased name or UI).
    broad_publication_types: HashMap<String, Vec<usize>>,
    /// Per tag: whether its dimension reads only the abstract's own-study sentences.
    own_study_only: Vec<bool>,
    /// Per tag: whether a negation cue must stand right before its mentions.
    adjacent_negation: Vec<bool>,
    /// Every abbreviation of every tag, case-sensitive, and the tag of each pattern.
    abbreviations: Option<AhoCorasick>,
    abbreviation_tags: Vec<usize>,
    /// Per tag: the indices of its context terms (found by [`PhraseMatcher::scan_record`]).
    contexts: Vec<Vec<usize>>,
    /// Per tag: its `near` terms, normalised.
    near: Vec<Vec<String>>,
    regexes: Vec<(Regex, usize)>,
    /// Which of `regexes` can match a field at all (one pass).
    regex_gate: RegexGate,
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
    "quasi",
];
const POST_CUES: &[&str] = &["excluded", "exclusion", "absent", "free", "ruled"];
const SCOPE_BREAKERS: &[&str] = &[
    "but", "however", "although", "whereas", "while", "which", "who", "than",
];
/// Words that put a mention in exclusion criteria. Each begins with "exclu", which
/// `NegationScope::new` relies on to find them.
const EXCLUSION_CUES: &[&str] = &["exclusion", "excluded", "exclude", "excluding"];

/// How far, in bytes of normalised text, negation looks on each side of a mention. Four words
/// of real text fit many times over; the cap keeps the work per mention constant when a
/// "sentence" is a megabyte without a full stop.
pub const NEGATION_WINDOW_BYTES: usize = 256;

/// Most bytes of one field (title, abstract, one keyword) that the rules read: longer text is
/// tagged on its first 1 MiB (cut at a word boundary). Real abstracts are a few kilobytes; the
/// cap bounds the time and memory one hostile record can take.
pub const MAX_TAGGED_FIELD_BYTES: usize = 1 << 20;

/// The part of a field that is tagged: all of it, or its first [`MAX_TAGGED_FIELD_BYTES`] cut
/// after the last space in that part (so no word is cut into a different word).
pub fn tagged_part(text: &str) -> &str {
    if text.len() <= MAX_TAGGED_FIELD_BYTES {
        return text;
    }
    let head = &text[..text.floor_char_boundary(MAX_TAGGED_FIELD_BYTES)];
    match head.rfind(char::is_whitespace) {
        Some(i) => &head[..i],
        None => head,
    }
}

/// What negation needs to know of one normalised text, found in one pass: where sentences
/// start, and where the words are that make a sentence an exclusion ("... were excluded").
struct NegationScope {
    /// Byte offsets just past every sentence mark (`". "`), ascending.
    sentence_starts: Vec<usize>,
    /// `start..end` of every exclusion-cue word, ascending.
    exclusion_words: Vec<(usize, usize)>,
}

impl NegationScope {
    fn new(norm: &str) -> NegationScope {
        // The searchers are built once (building one costs more than a short search).
        static SENTENCE_MARK: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new(". "));
        static EXCLU: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new("exclu"));
        let sentence_starts = SENTENCE_MARK
            .find_iter(norm.as_bytes())
            .map(|i| i + 2)
            .collect();
        // The words of `norm` (split at spaces) that are exclusion cues; every cue begins with
        // "exclu", so only the words that do are looked at.
        let exclusion_words = EXCLU
            .find_iter(norm.as_bytes())
            .filter(|&i| i == 0 || norm.as_bytes()[i - 1] == b' ')
            .map(|i| {
                (
                    i,
                    memchr::memchr(b' ', &norm.as_bytes()[i..]).map_or(norm.len(), |e| i + e),
                )
            })
            .filter(|&(i, end)| EXCLUSION_CUES.contains(&&norm[i..end]))
            .collect();
        NegationScope {
            sentence_starts,
            exclusion_words,
        }
    }

    /// Where the sentence holding byte `at` starts.
    fn sentence_start(&self, at: usize) -> usize {
        let i = self.sentence_starts.partition_point(|&s| s <= at);
        if i == 0 {
            0
        } else {
            self.sentence_starts[i - 1]
        }
    }

    /// Whether a whole exclusion-cue word lies in `from..to`.
    fn exclusion_in(&self, from: usize, to: usize) -> bool {
        let i = self.exclusion_words.partition_point(|&(_, end)| end <= to);
        i > 0 && self.exclusion_words[i - 1].0 >= from
    }
}

/// Whether the match at `start..end` of a normalised text is negated: a cue among the four
/// words before it or after it in its sentence (within [`NEGATION_WINDOW_BYTES`]), or an
/// exclusion cue anywhere earlier in its sentence. Offsets that are not character boundaries are
/// moved outwards to the nearest one; the work is bounded whatever the sentence length.
fn is_negated(norm: &str, scope: &NegationScope, start: usize, end: usize) -> bool {
    let start = norm.floor_char_boundary(start);
    let end = norm.ceil_char_boundary(end.max(start));
    let offset = |word: &str| word.as_ptr() as usize - norm.as_ptr() as usize;
    let sentence_start = scope.sentence_start(start);
    let from = norm
        .floor_char_boundary(start.saturating_sub(NEGATION_WINDOW_BYTES))
        .max(sentence_start);
    // A word cut by a window edge is not a word (its tail could read "no").
    let cut_at_from = from > 0 && !norm[..from].ends_with(' ') && !norm[from..].starts_with(' ');
    let before = words_backward(&norm[from..start]).filter(|w| !cut_at_from || offset(w) != from);
    for word in before.take(4) {
        if SCOPE_BREAKERS.contains(&word) {
            break;
        }
        if PRE_CUES.contains(&word) {
            return true;
        }
    }
    // An exclusion cue earlier in the sentence; a match may start inside a word, so the part of
    // that word before it counts too.
    let window = &norm[from..start];
    let cut_word = &window[window.rfind(' ').map_or(0, |i| i + 1)..];
    if scope.exclusion_in(sentence_start, start) || EXCLUSION_CUES.contains(&cut_word) {
        return true;
    }
    let to = norm.ceil_char_boundary((end + NEGATION_WINDOW_BYTES).min(norm.len()));
    let cut_at_to = !norm[..to].ends_with(' ') && !norm[to..].starts_with(' ') && to < norm.len();
    let after = words_forward(&norm[end..to])
        .take_while(|w| *w != ".")
        .filter(|w| !(cut_at_to && offset(w) + w.len() == to));
    for word in after.take(4) {
        if SCOPE_BREAKERS.contains(&word) {
            break;
        }
        if POST_CUES.contains(&word) {
            return true;
        }
    }
    false
}

/// How many words before a mention a negation cue may stand in a dimension whose negation reach
/// is adjacent: "not randomised", "had not been randomised".
pub const ADJACENT_NEGATION_WORDS: usize = 2;

/// Whether the match starting at normalised byte `start` is negated by a cue among the
/// [`ADJACENT_NEGATION_WORDS`] words right before it in its sentence ("were not randomly
/// assigned"); a cue further away negates something else ("no prior chemotherapy were randomly
/// assigned").
fn is_negated_adjacent(norm: &str, scope: &NegationScope, start: usize) -> bool {
    let start = norm.floor_char_boundary(start);
    let from = norm
        .floor_char_boundary(start.saturating_sub(NEGATION_WINDOW_BYTES))
        .max(scope.sentence_start(start));
    let offset = |word: &str| word.as_ptr() as usize - norm.as_ptr() as usize;
    let cut_at_from = from > 0 && !norm[..from].ends_with(' ') && !norm[from..].starts_with(' ');
    words_backward(&norm[from..start])
        .filter(|w| !cut_at_from || offset(w) != from)
        .take(ADJACENT_NEGATION_WORDS)
        .any(|w| PRE_CUES.contains(&w))
}

/// How many words on each side of a near phrase are searched for its `near` terms.
pub const NEAR_WORDS: usize = 4;

/// Whether one of `terms` (word prefixes) starts one of the [`NEAR_WORDS`] words before or after
/// the match at `start..end` of a normalised text, in its sentence (and within
/// [`NEGATION_WINDOW_BYTES`]). Words cut by the window edge do not count.
fn near_term_around(
    norm: &str,
    scope: &NegationScope,
    start: usize,
    end: usize,
    terms: &[String],
) -> bool {
    let start = norm.floor_char_boundary(start);
    let end = norm.ceil_char_boundary(end.max(start));
    let offset = |word: &str| word.as_ptr() as usize - norm.as_ptr() as usize;
    let from = norm
        .floor_char_boundary(start.saturating_sub(NEGATION_WINDOW_BYTES))
        .max(scope.sentence_start(start));
    let cut_at_from = from > 0 && !norm[..from].ends_with(' ') && !norm[from..].starts_with(' ');
    let to = norm.ceil_char_boundary((end + NEGATION_WINDOW_BYTES).min(norm.len()));
    let cut_at_to = to < norm.len() && !norm[..to].ends_with(' ') && !norm[to..].starts_with(' ');
    let before = words_backward(&norm[from..start])
        .filter(|w| !cut_at_from || offset(w) != from)
        .take(NEAR_WORDS);
    let after = words_forward(&norm[end..to])
        .take_while(|w| *w != ".")
        .filter(|w| !(cut_at_to && offset(w) + w.len() == to))
        .take(NEAR_WORDS);
    before
        .chain(after)
        .any(|w| terms.iter().any(|t| w.starts_with(t.as_str())))
}

/// The words of `text` (runs of bytes other than a space), last first, as slices of `text`:
/// what `text.rsplit(' ').filter(|w| !w.is_empty())` yields, read byte by byte (negation looks
/// at four words, and a substring searcher per word cost more than the words).
fn words_backward(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    std::iter::from_fn(move || {
        while end > 0 && bytes[end - 1] == b' ' {
            end -= 1;
        }
        if end == 0 {
            return None;
        }
        let mut start = end;
        while start > 0 && bytes[start - 1] != b' ' {
            start -= 1;
        }
        let word = &text[start..end];
        end = start;
        Some(word)
    })
}

/// The words of `text`, first first: what `text.split(' ').filter(|w| !w.is_empty())` yields.
fn words_forward(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < bytes.len() && bytes[start] == b' ' {
            start += 1;
        }
        if start == bytes.len() {
            return None;
        }
        let mut end = start;
        while end < bytes.len() && bytes[end] != b' ' {
            end += 1;
        }
        let word = &text[start..end];
        start = end;
        Some(word)
    })
}

/// Character offsets of byte offsets in one text, in constant time: the character count at
/// every 64-byte block, and a count within the block.
struct CharOffsets<'a> {
    text: &'a str,
    /// Characters before each 64-byte block; empty for ASCII text (bytes are characters).
    blocks: Vec<usize>,
}

impl<'a> CharOffsets<'a> {
    const BLOCK: usize = 64;

    fn new(text: &'a str) -> CharOffsets<'a> {
        let mut blocks = Vec::new();
        if !text.is_ascii() {
            let mut count = 0;
            for chunk in text.as_bytes().chunks(Self::BLOCK) {
                blocks.push(count);
                count += chunk.iter().filter(|&&b| !is_continuation(b)).count();
            }
            // The end of a text whose length is a multiple of the block size.
            blocks.push(count);
        }
        CharOffsets { text, blocks }
    }

    /// The character offset of byte `byte` (of the character holding it, if it is inside one).
    fn of(&self, byte: usize) -> usize {
        let byte = self.text.floor_char_boundary(byte);
        if self.blocks.is_empty() {
            return byte;
        }
        let block = byte / Self::BLOCK;
        let in_block = &self.text.as_bytes()[block * Self::BLOCK..byte];
        self.blocks[block] + in_block.iter().filter(|&&b| !is_continuation(b)).count()
    }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Whether a (plural) word names studies or publications ("trials", "cohorts", "reviews"), not
/// a method ("models", "plots").
fn is_study_noun(word: Option<&str>) -> bool {
    matches!(
        word,
        Some(
            "studies"
                | "trials"
                | "reviews"
                | "analyses"
                | "cohorts"
                | "series"
                | "reports"
                | "surveys"
                | "guidelines"
                | "statements"
                | "audits"
                | "experiments"
        )
    )
}

/// Whether a design phrase ending at byte `end` of normalised text is followed by "studies" or
/// "trials" ("prospective cohort studies", "randomised controlled trials"): then it names
/// several studies.
fn names_several_studies(norm: &str, end: usize) -> bool {
    let rest = &norm[end..];
    ["studies", "trials"].iter().any(|noun| {
        rest.strip_prefix(' ')
            .and_then(|r| r.strip_prefix(noun))
            .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric()))
    })
}

/// Whether `start..end` of `text` is a whole word: no letter or digit just outside it. A range
/// that does not fall on character boundaries is not.
fn word_bounded(text: &str, start: usize, end: usize) -> bool {
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
        return false;
    };
    let before_ok = before
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after_ok = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
    before_ok && after_ok
}

/// One field being tagged: its text, normalised form and the indexes built for it once.
struct Field<'a> {
    source: TagSource,
    original: &'a str,
    norm: Normalized,
    scope: NegationScope,
    chars: CharOffsets<'a>,
    /// For an abstract read by sentence: the byte spans of the sentences that describe the
    /// record's own study, ascending. `None`: every byte counts.
    own_study: Option<Vec<(usize, usize)>>,
}

impl<'a> Field<'a> {
    fn new(source: TagSource, text: &'a str) -> Field<'a> {
        let original = tagged_part(text);
        let norm = normalize(original);
        let scope = NegationScope::new(&norm.text);
        Field {
            source,
            original,
            norm,
            scope,
            chars: CharOffsets::new(original),
            own_study: None,
        }
    }

    /// Reads the field as an abstract: which sentences describe the record's own study (from
    /// `read` when the caller has already read them).
    fn read_own_study(&mut self, read: Option<&[AbstractSentence]>) {
        let own = |sentences: &[AbstractSentence]| -> Vec<(usize, usize)> {
            sentences
                .iter()
                .filter(|s| s.voice == Voice::OwnStudy)
                .map(|s| (s.start, s.end))
                .collect()
        };
        self.own_study = Some(match read {
            Some(sentences) => own(sentences),
            None => own(&read_abstract(self.original)),
        });
    }

    /// Whether original byte `at` lies in a sentence of the record's own study.
    fn in_own_study(&self, at: usize) -> bool {
        let Some(spans) = &self.own_study else {
            return true;
        };
        let i = spans.partition_point(|&(start, _)| start <= at);
        i > 0 && at < spans[i - 1].1
    }

    /// Evidence for the original bytes `start..end`, negated or not per the normalised bytes
    /// `ns..ne` (by a cue right before them only, when `adjacent`).
    fn evidence(
        &self,
        start: usize,
        end: usize,
        ns: usize,
        ne: usize,
        adjacent: bool,
    ) -> TagEvidence {
        let negated = ns < ne
            && if adjacent {
                is_negated_adjacent(&self.norm.text, &self.scope, ns)
            } else {
                is_negated(&self.norm.text, &self.scope, ns, ne)
            };
        TagEvidence {
            source: self.source,
            text: self
                .original
                .get(start..end)
                .unwrap_or_default()
                .to_string(),
            start: Some(self.chars.of(start)),
            end: Some(self.chars.of(end)),
            negated,
        }
    }

    /// The normalised span of the original bytes `start..end` (at least one byte long when the
    /// text is not empty).
    fn normalized_span(&self, start: usize, end: usize) -> (usize, usize) {
        let ns = self.norm.normalized_index(start);
        let ne = self
            .norm
            .normalized_index(end)
            .max(ns + 1)
            .min(self.norm.text.len());
        (ns, ne)
    }
}

/// Adds evidence to a tag's list. A list that grows long (a phrase repeated thousands of times)
/// is cut back to the entries that can still be among the best [`MAX_EVIDENCE`] of either
/// negation, in the order [`Matcher::resolve`] sorts them, so memory stays bounded.
fn add_evidence(list: &mut Vec<TagEvidence>, evidence: TagEvidence) {
    const KEEP: usize = 16;
    list.push(evidence);
    if list.len() < 4 * KEEP {
        return;
    }
    list.sort_by_key(|e| (e.source, e.negated, e.start));
    list.dedup_by(|a, b| a.source == b.source && a.start == b.start && a.text == b.text);
    let (mut plain, mut negated) = (0, 0);
    list.retain(|e| {
        let n = if e.negated { &mut negated } else { &mut plain };
        *n += 1;
        *n <= KEEP
    });
}

impl Matcher {
    /// Compiles a taxonomy.
    pub fn new(taxonomy: Taxonomy) -> Matcher {
        let tag_dimension: Vec<usize> = taxonomy
            .tags()
            .iter()
            .map(|t| {
                taxonomy
                    .dimensions()
                    .iter()
                    .position(|d| d.id == t.dimension)
                    .expect("a Taxonomy has no tag of an undeclared dimension")
            })
            .collect();
        // Every dimension's phrases in one automaton, dimension by dimension (so that within a
        // dimension, pattern order is the taxonomy's).
        let mut phrase_texts: Vec<String> = Vec::new();
        let mut phrase_patterns = Vec::new();
        for di in 0..taxonomy.dimensions().len() {
            for (ti, tag) in taxonomy.tags().iter().enumerate() {
                if tag_dimension[ti] != di {
                    continue;
                }
                for (list, kind) in [
                    (&tag.phrases, PatternKind::Phrase),
                    (&tag.context_phrases, PatternKind::ContextPhrase),
                    (&tag.near_phrases, PatternKind::NearPhrase),
                    (&tag.exclude, PatternKind::Exclusion),
                ] {
                    for phrase in list {
                        let written = normalize_phrase(phrase);
                        for variant in plural_variants(&written) {
                            phrase_patterns.push(PhrasePattern {
                                dimension: di,
                                tag: ti,
                                kind,
                                plural: variant != written,
                            });
                            phrase_texts.push(variant);
                        }
                    }
                }
            }
        }
        let mut mesh: HashMap<String, Vec<usize>> = HashMap::new();
        let mut publication_types: HashMap<String, Vec<usize>> = HashMap::new();
        let mut broad_publication_types: HashMap<String, Vec<usize>> = HashMap::new();
        let mut abbreviation_texts: Vec<String> = Vec::new();
        let mut abbreviation_tags = Vec::new();
        let mut regexes = Vec::new();
        let mut context_texts: Vec<String> = Vec::new();
        let mut contexts = Vec::new();
        let mut suppressors = Vec::new();
        for (ti, tag) in taxonomy.tags().iter().enumerate() {
            for ui in &tag.mesh {
                mesh.entry(ui.clone()).or_default().push(ti);
            }
            for pt in &tag.publication_types {
                publication_types
                    .entry(pt.to_lowercase())
                    .or_default()
                    .push(ti);
            }
            for pt in &tag.broad_publication_types {
                broad_publication_types
                    .entry(pt.to_lowercase())
                    .or_default()
                    .push(ti);
            }
            for a in &tag.abbreviations {
                abbreviation_texts.push(a.clone());
                abbreviation_tags.push(ti);
            }
            for re in tag.regexes() {
                regexes.push((re.clone(), ti));
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
                    .map(|s| {
                        taxonomy
                            .tags()
                            .iter()
                            .position(|t| t.dimension == tag.dimension && &t.id == s)
                            .expect("a Taxonomy's suppressed_by names a tag of the same dimension")
                    })
                    .collect(),
            );
        }
        let build = |texts: &[String]| {
            (!texts.is_empty()).then(|| {
                AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .match_kind(MatchKind::Standard)
                    .build(texts)
                    .expect("validated phrases")
            })
        };
        let near = taxonomy
            .tags()
            .iter()
            .map(|t| t.near.iter().map(|n| normalize_phrase(n)).collect())
            .collect();
        let abbreviations = build(&abbreviation_texts);
        let phrases =
            (!phrase_texts.is_empty() || !context_texts.is_empty()).then(|| PhraseMatcher {
                automaton: AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .match_kind(MatchKind::Standard)
                    .build(phrase_texts.iter().chain(&context_texts))
                    .expect("phrases were validated"),
                patterns: phrase_patterns,
                context_terms: context_texts.len(),
            });
        let own_study_only = tag_dimension
            .iter()
            .map(|&d| taxonomy.dimensions()[d].sentences == SentenceScope::OwnStudy)
            .collect();
        let adjacent_negation = tag_dimension
            .iter()
            .map(|&d| taxonomy.dimensions()[d].negation_reach == NegationReach::Adjacent)
            .collect();
        let regex_gate = RegexGate::new(regexes.iter().map(|(re, _): &(Regex, usize)| re.as_str()));
        Matcher {
            taxonomy,
            phrases,
            tag_dimension,
            mesh,
            publication_types,
            broad_publication_types,
            own_study_only,
            adjacent_negation,
            abbreviations,
            abbreviation_tags,
            contexts,
            near,
            regexes,
            regex_gate,
            suppressors,
        }
    }

    /// The taxonomy.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Tags a record.
    pub fn tag(&self, input: &TagInput<'_>) -> Vec<RecordTag> {
        let (hits, specific_type) = self.hits(input);
        self.resolve(hits, &specific_type)
    }

    /// Every mention in the abstract of a tag of `dimension` (each tag id with the character
    /// offsets of its mention, negated or not), before the tags are resolved: where in the
    /// text each outcome is spoken of, for reading what the study found about it.
    pub fn abstract_mentions(
        &self,
        input: &TagInput<'_>,
        dimension: &str,
    ) -> Vec<(String, usize, usize)> {
        let (hits, _) = self.hits(input);
        let mut out = Vec::new();
        for (ti, evidence) in hits.into_iter().enumerate() {
            let tag = &self.taxonomy.tags()[ti];
            if tag.dimension != dimension {
                continue;
            }
            for e in evidence {
                if let (TagSource::Abstract, Some(start), Some(end)) = (e.source, e.start, e.end) {
                    out.push((tag.id.clone(), start, end));
                }
            }
        }
        out.sort_by_key(|m| (m.1, m.2));
        out
    }

    /// Every match of every tag, and per tag whether a specific publication type gave it.
    fn hits(&self, input: &TagInput<'_>) -> (Vec<Vec<TagEvidence>>, Vec<bool>) {
        let mut hits: Vec<Vec<TagEvidence>> = vec![Vec::new(); self.taxonomy.tags().len()];
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
        // Per tag: whether a publication type that says what the study is gave it (not only a
        // broad one such as "Clinical Trial").
        let mut specific_type = vec![false; hits.len()];
        for (ui, name) in &input.publication_types {
            let lookup = |map: &HashMap<String, Vec<usize>>| -> Vec<usize> {
                let by_ui = ui.and_then(|u| map.get(&u.to_lowercase()));
                let by_name = map.get(&name.to_lowercase());
                by_ui
                    .into_iter()
                    .chain(by_name)
                    .flatten()
                    .copied()
                    .collect()
            };
            let specific = lookup(&self.publication_types);
            for &t in &specific {
                specific_type[t] = true;
            }
            let mut tags = specific;
            tags.extend(lookup(&self.broad_publication_types));
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
        let mut abstract_field = Field::new(TagSource::Abstract, &input.abstract_text);
        if self.own_study_only.iter().any(|&o| o) {
            abstract_field.read_own_study(input.sentences);
        }
        let mut fields = vec![Field::new(TagSource::Title, input.title), abstract_field];
        fields.extend(
            input
                .keywords
                .iter()
                .map(|k| Field::new(TagSource::Keyword, k)),
        );
        let (present, phrase_hits) = match &self.phrases {
            Some(phrases) => phrases.scan_record(
                &fields
                    .iter()
                    .map(|f| f.norm.text.as_str())
                    .collect::<Vec<_>>(),
            ),
            None => (Vec::new(), vec![Vec::new(); fields.len()]),
        };
        for (field, phrase_hits) in fields.iter().zip(phrase_hits) {
            self.match_phrases(field, phrase_hits, &present, &mut hits);
            self.match_abbreviations(field, &present, &mut hits);
            self.match_patterns(field, &mut hits);
        }
        (hits, specific_type)
    }

    /// Whether a match of `tag` at original byte `start` of `field` may count: a dimension that
    /// reads only the record's own study ignores background and future-work sentences.
    fn readable(&self, tag: usize, field: &Field<'_>, start: usize) -> bool {
        !self.own_study_only[tag] || field.in_own_study(start)
    }

    fn in_context(&self, tag: usize, present: &[bool]) -> bool {
        self.contexts[tag].iter().any(|&c| present[c])
    }

    /// Turns a field's phrase matches (from [`PhraseMatcher::scan_record`]) into evidence.
    fn match_phrases(
        &self,
        field: &Field<'_>,
        phrase_hits: Vec<(usize, usize, usize)>,
        present: &[bool],
        hits: &mut [Vec<TagEvidence>],
    ) {
        let norm = &field.norm;
        let Some(phrases) = &self.phrases else {
            return;
        };
        for (start, end, p) in phrase_hits {
            let PhrasePattern {
                tag, kind, plural, ..
            } = phrases.patterns[p];
            if kind == PatternKind::Exclusion || !word_bounded(&norm.text, start, end) {
                continue;
            }
            if kind == PatternKind::ContextPhrase && !self.in_context(tag, present) {
                continue;
            }
            if kind == PatternKind::NearPhrase
                && !near_term_around(&norm.text, &field.scope, start, end, &self.near[tag])
            {
                continue;
            }
            let (s, e) = norm.original_span(field.original, start, end);
            if !self.readable(tag, field, s) {
                continue;
            }
            // In the title or an abstract read for the record's own study, a plural design
            // noun names the studies the record draws on ("based on ten systematic reviews",
            // "pooled evidence from randomised trials", "prospective cohort studies"), not the
            // record itself: a record names its own design in the singular.
            if self.own_study_only[tag]
                && (field.own_study.is_some() || field.source == TagSource::Title)
                && ((plural && is_study_noun(norm.text[start..end].rsplit(' ').next()))
                    || names_several_studies(&norm.text, end))
            {
                continue;
            }
            let adjacent = self.adjacent_negation[tag];
            add_evidence(&mut hits[tag], field.evidence(s, e, start, end, adjacent));
        }
    }

    fn match_abbreviations(
        &self,
        field: &Field<'_>,
        present: &[bool],
        hits: &mut [Vec<TagEvidence>],
    ) {
        let Some(ac) = &self.abbreviations else {
            return;
        };
        for m in ac.find_overlapping_iter(field.original) {
            let tag = self.abbreviation_tags[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if !word_bounded(field.original, start, end)
                || !self.in_context(tag, present)
                || !self.readable(tag, field, start)
            {
                continue;
            }
            let (ns, ne) = field.normalized_span(start, end);
            let adjacent = self.adjacent_negation[tag];
            add_evidence(&mut hits[tag], field.evidence(start, end, ns, ne, adjacent));
        }
    }

    fn match_patterns(&self, field: &Field<'_>, hits: &mut [Vec<TagEvidence>]) {
        let possible = self.regex_gate.possible(field.original);
        for ((re, tag), _) in self.regexes.iter().zip(&possible).filter(|(_, p)| **p) {
            for m in re.find_iter(field.original) {
                if m.as_str().is_empty() || !self.readable(*tag, field, m.start()) {
                    continue;
                }
                let (ns, ne) = field.normalized_span(m.start(), m.end());
                let adjacent = self.adjacent_negation[*tag];
                add_evidence(
                    &mut hits[*tag],
                    field.evidence(m.start(), m.end(), ns, ne, adjacent),
                );
            }
        }
    }

    /// Negation, suppression and selection.
    fn resolve(&self, mut hits: Vec<Vec<TagEvidence>>, specific_type: &[bool]) -> Vec<RecordTag> {
        for (ti, evidence) in hits.iter_mut().enumerate() {
            let dim = &self.taxonomy.dimensions()[self.tag_dimension[ti]];
            if dim.negation == Negation::Drop {
                evidence.retain(|e| !e.negated);
            }
            evidence.sort_by_key(|e| (e.source, e.negated, e.start));
            evidence
                .dedup_by(|a, b| a.source == b.source && a.start == b.start && a.text == b.text);
        }
        // How strong each tag's best evidence is (lower is stronger): a specific publication
        // type, MeSH, the title, a keyword, the abstract, then a broad publication type alone.
        let rank: Vec<Option<u8>> = hits
            .iter()
            .enumerate()
            .map(|(t, evidence)| {
                evidence
                    .iter()
                    .map(|e| match e.source {
                        TagSource::PublicationType if !specific_type[t] => 9,
                        source => 2 * source as u8,
                    })
                    .min()
            })
            .collect();
        for (ti, evidence) in hits.iter_mut().enumerate() {
            let one = self.taxonomy.dimensions()[self.tag_dimension[ti]].select == Select::One;
            // In a one-tag dimension (design) only evidence at least as strong suppresses: a
            // trial's own publication type is not cancelled by words in its abstract.
            if self.suppressors[ti]
                .iter()
                .any(|&s| rank[s].is_some_and(|r| !one || Some(r) <= rank[ti]))
            {
                evidence.clear();
            }
        }
        for (di, dim) in self.taxonomy.dimensions().iter().enumerate() {
            if dim.select != Select::One {
                continue;
            }
            let best = (0..hits.len())
                .filter(|&t| self.tag_dimension[t] == di && !hits[t].is_empty())
                .min_by_key(|&t| {
                    (
                        rank[t],
                        std::cmp::Reverse(self.taxonomy.tags()[t].level.unwrap_or(0)),
                        hits[t][0].start,
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
            let tag = &self.taxonomy.tags()[ti];
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

    /// The negation rule as first written: the whole sentence on either side, no window.
    fn is_negated_unbounded(norm: &str, start: usize, end: usize) -> bool {
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

    #[test]
    fn bounded_negation_agrees_with_the_unbounded_rule_on_real_sentences() {
        use rand::seq::IndexedRandom;
        use rand::{RngExt, SeedableRng};
        let words = [
            "no",
            "not",
            "without",
            "free",
            "excluded",
            "exclusion",
            "but",
            "which",
            "pain",
            "sciatica",
            "disc",
            "herniation",
            "\u{3b1}",
            "\u{3b2}eta",
            "ozone",
            "patients",
            "were",
            "absent",
            "ruled",
            "out",
            "0.05",
            "-",
            ".",
            ";",
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let mut negated = 0;
        for _ in 0..300 {
            let n = rng.random_range(1..40);
            let text: Vec<&str> = (0..n).map(|_| *words.choose(&mut rng).unwrap()).collect();
            let norm = normalize(&text.join(" ")).text;
            let scope = NegationScope::new(&norm);
            let mut spans = Vec::new();
            let mut offset = 0;
            for w in norm.split(' ') {
                if !w.is_empty() && w != "." {
                    spans.push((offset, offset + w.len()));
                }
                offset += w.len() + 1;
            }
            for (i, &(start, _)) in spans.iter().enumerate() {
                for &(_, end) in &spans[i..spans.len().min(i + 3)] {
                    let want = is_negated_unbounded(&norm, start, end);
                    assert_eq!(
                        is_negated(&norm, &scope, start, end),
                        want,
                        "{norm:?} {:?}",
                        &norm[start..end]
                    );
                    negated += usize::from(want);
                }
            }
        }
        assert!(
            negated > 100,
            "the generated sentences must exercise negation"
        );
    }

    #[test]
    fn negation_looks_a_bounded_distance() {
        let scope_of = |s: &str| NegationScope::new(s);
        // A cue four words away counts; one beyond the byte window does not, and the work is
        // bounded by the window rather than by the sentence.
        let near = "no long words here pain";
        let at = near.find("pain").unwrap();
        assert!(is_negated(near, &scope_of(near), at, at + 4));
        let far = format!("no {} pain", "x".repeat(NEGATION_WINDOW_BYTES));
        let at = far.find("pain").unwrap();
        assert!(!is_negated(&far, &scope_of(&far), at, at + 4));
        // A word cut by the window edge is not read as a cue ("...no" is not "no").
        let cut = format!("{}no pain", "x".repeat(NEGATION_WINDOW_BYTES - 3));
        let at = cut.find("pain").unwrap();
        assert!(!is_negated(&cut, &scope_of(&cut), at, at + 4));
        // An exclusion cue anywhere earlier in the sentence still counts.
        let excl = format!("excluded {} pain . pain", "x ".repeat(10_000));
        let at = excl.find("pain").unwrap();
        assert!(is_negated(&excl, &scope_of(&excl), at, at + 4));
        let next = excl.rfind("pain").unwrap();
        assert!(!is_negated(&excl, &scope_of(&excl), next, next + 4));
        // Offsets inside a character are moved to its edges instead of panicking.
        let greek = "no \u{3b1}\u{3b2}";
        assert!(is_negated(greek, &scope_of(greek), 4, 5));
    }

    #[test]
    fn char_offsets_agree_with_counting() {
        for text in [
            String::new(),
            "plain ascii".to_string(),
            "\u{3b1}\u{1f9a0}e\u{301}x".repeat(40),
            "a".repeat(64) + "\u{3b1}",
            "\u{3b1}".repeat(32),
        ] {
            let offsets = CharOffsets::new(&text);
            for byte in 0..=text.len() {
                let want = text[..text.floor_char_boundary(byte)].chars().count();
                assert_eq!(offsets.of(byte), want, "{text:?} at {byte}");
            }
        }
    }

    #[test]
    fn hostile_taxonomy_values_never_slice_inside_a_character() {
        // What validation refuses cannot reach the matcher: a Taxonomy only comes from parse.
        for (refused, problems) in [
            (r#"context = ["", " ", "\u202e"]"#, 3),
            ("abbreviations = [\"-\"]\ncontext = [\"disc\"]", 1),
            (r#"phrases = ["\U0001F9A0"]"#, 1),
        ] {
            let text = format!(
                "extends = \"default\"\nversion = \"1\"\n[[tags]]\ndimension = \"condition\"\nid = \"odd\"\n{refused}\n"
            );
            let errors = Taxonomy::parse(&text, "t.toml").unwrap_err();
            assert_eq!(errors.0.len(), problems, "{refused}: {errors}");
        }
        // What it accepts may still be odd: a Greek abbreviation, patterns that match a hyphen,
        // a lone combining accent or any character.
        let taxonomy = Taxonomy::parse(
            "extends = \"default\"\nversion = \"1\"\n[[tags]]\ndimension = \"condition\"\n\
             id = \"odd\"\nabbreviations = [\"\u{3b1}\"]\ncontext = [\"thalassemia\"]\n\
             patterns = [\"-\", \"\u{301}\", \".\"]\n",
            "t.toml",
        )
        .unwrap();
        let m = Matcher::new(taxonomy);
        for text in [
            "LDH in \u{3b1}-thalassemia -\u{3b1}",
            "x -\u{3b1} e\u{301}\u{301} \u{1f9a0}. \u{202e}LDH",
            "\u{3b1}",
            "",
        ] {
            let input = TagInput {
                title: text,
                abstract_text: text.repeat(3),
                keywords: vec![text],
                ..TagInput::default()
            };
            let tags = m.tag(&input);
            assert_eq!(
                tags.iter().any(|t| t.tag == "odd"),
                !text.is_empty(),
                "{text:?}"
            );
            for tag in tags {
                for e in tag.evidence {
                    assert!(e.start <= e.end, "{e:?}");
                }
            }
        }
    }

    #[test]
    fn fields_are_tagged_on_their_first_mebibyte() {
        let short = "sciatica ".repeat(10);
        assert_eq!(tagged_part(&short), short);
        let long = format!(
            "{}\u{3b1}\u{3b1} spinal stenosis",
            "x ".repeat(MAX_TAGGED_FIELD_BYTES / 2 - 1)
        );
        let part = tagged_part(&long);
        assert!(part.len() <= MAX_TAGGED_FIELD_BYTES && long.starts_with(part));
        assert!(part.ends_with('x'), "cut at a word boundary");
        let m = Matcher::new(Taxonomy::builtin());
        let t = tags_of(&m, "", &format!("Sciatica. {long}"));
        assert!(has(&t, "condition", "sciatica"), "{t:?}");
        assert!(!has(&t, "condition", "spinal-stenosis"), "{t:?}");
    }

    #[test]
    fn a_repeated_phrase_keeps_its_first_evidence_in_bounded_memory() {
        let m = Matcher::new(Taxonomy::builtin());
        let text = "No sciatica. ".repeat(50) + &"sciatica and ".repeat(5_000);
        let input = TagInput {
            title: "x",
            abstract_text: text.clone(),
            ..TagInput::default()
        };
        let tags = m.tag(&input);
        let sciatica = tags.iter().find(|t| t.tag == "sciatica").unwrap();
        // The negated mentions are dropped (condition); the first plain ones are kept, in order.
        let starts: Vec<Option<usize>> = sciatica.evidence.iter().map(|e| e.start).collect();
        let first = text.find("sciatica and").unwrap();
        assert_eq!(
            starts,
            [Some(first), Some(first + 13), Some(first + 26)],
            "{:?}",
            sciatica.evidence
        );
    }

    #[test]
    fn near_phrases_need_a_near_term_close_by_in_their_sentence() {
        let m = Matcher::new(Taxonomy::builtin());
        let epidural = |text: &str| has(&tags_of(&m, "", text), "route", "epidural");
        assert!(epidural(
            "Ozone was injected into the lumbar epidural space."
        ));
        assert!(epidural("Epidural ozone was compared with placebo."));
        // A structure or a disease found there is not a route.
        assert!(!epidural("An epidural abscess was drained."));
        assert!(!epidural("Imaging showed the epidural space was normal."));
        // The term must be in the same sentence, and within a few words.
        assert!(!epidural(
            "Ozone was injected. The epidural space was normal."
        ));
        assert!(!epidural(
            "Ozone was injected at one level and two weeks later the epidural space was normal."
        ));
        let function = |text: &str| has(&tags_of(&m, "", text), "outcome", "function-disability");
        assert!(function("Function improved in most patients."));
        assert!(function("Back function was scored at baseline."));
        assert!(!function("Sensor function improved after coating."));
        assert!(!function(
            "The device kept its function. Patients liked it."
        ));
        // An anatomical word is not a condition.
        let facet = |text: &str| has(&tags_of(&m, "", text), "condition", "facet-joint-syndrome");
        assert!(facet("The facet joint was the pain generator."));
        assert!(!facet(
            "The needle was placed in the facet joint under fluoroscopy."
        ));
        let strain = |text: &str| has(&tags_of(&m, "", text), "condition", "muscle-strain");
        assert!(strain(
            "Adults with an acute lumbar muscle strain were enrolled."
        ));
        assert!(!strain("Oedema of the lumbar muscles was seen on imaging."));
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

    #[test]
    fn exclusion_cues_are_found_as_whole_words() {
        assert!(EXCLUSION_CUES.iter().all(|c| c.starts_with("exclu")));
        let norm = "exclusion of x. patients excluded, not inexcluded nor excludedly excluding";
        let scope = NegationScope::new(norm);
        let words: Vec<&str> = scope
            .exclusion_words
            .iter()
            .map(|&(s, e)| &norm[s..e])
            .collect();
        assert_eq!(words, ["exclusion", "excluding"]);
    }

    /// The one-pass phrase search keeps exactly what a leftmost-longest search of each
    /// dimension's phrases alone keeps, on text made of the taxonomy's own phrases run together.
    #[test]
    fn one_pass_phrases_agree_with_a_search_per_dimension() {
        use rand::seq::IndexedRandom;
        use rand::{RngExt, SeedableRng};
        let m = Matcher::new(Taxonomy::builtin());
        let phrases = m
            .phrases
            .as_ref()
            .expect("the built-in taxonomy has phrases");
        // The normalised phrase texts, rebuilt the way `Matcher::new` builds them.
        let mut by_dimension: Vec<Vec<(String, usize)>> =
            vec![Vec::new(); m.taxonomy.dimensions().len()];
        let mut words: Vec<String> = Vec::new();
        let mut p = 0;
        for (di, dimension) in by_dimension.iter_mut().enumerate() {
            for (ti, tag) in m.taxonomy.tags().iter().enumerate() {
                if m.tag_dimension[ti] != di {
                    continue;
                }
                for list in [
                    &tag.phrases,
                    &tag.context_phrases,
                    &tag.near_phrases,
                    &tag.exclude,
                ] {
                    for phrase in list {
                        let written = normalize_phrase(phrase);
                        for variant in plural_variants(&written) {
                            words.extend(variant.split(' ').map(str::to_string));
                            dimension.push((variant, p));
                            p += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(p, phrases.patterns.len());
        let reference: Vec<AhoCorasick> = by_dimension
            .iter()
            .map(|list| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(list.iter().map(|(t, _)| t))
                    .unwrap()
            })
            .collect();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..300 {
            let n = rng.random_range(1..60);
            // Words run together as well as spaced, so matches also meet end to start.
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(words.choose(&mut rng).unwrap());
                text.push_str([" ", " ", "", " . "].choose(&mut rng).unwrap());
            }
            let mut expected = Vec::new();
            for (di, ac) in reference.iter().enumerate() {
                for found in ac.find_iter(&text) {
                    let global = by_dimension[di][found.pattern().as_usize()].1;
                    expected.push((found.start(), found.end(), global));
                }
            }
            assert_eq!(phrases.leftmost_longest(&text), expected, "{text}");
        }
    }

    #[test]
    fn words_either_way_are_the_split_words() {
        for text in [
            "",
            " ",
            "  a",
            "a  b ",
            "no pain . at all",
            "\u{3b1}  \u{3b2}eta x",
            "one",
        ] {
            let back: Vec<&str> = words_backward(text).collect();
            let split_back: Vec<&str> = text.rsplit(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(back, split_back, "{text:?}");
            let forward: Vec<&str> = words_forward(text).collect();
            let split: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(forward, split, "{text:?}");
            // The same slices of the text, not copies.
            for (a, b) in back.iter().zip(&split_back) {
                assert_eq!(a.as_ptr(), b.as_ptr());
            }
        }
    }

    /// One pass over a whole record finds in each field what a pass over that field alone
    /// finds, and the context terms that start a word anywhere in the record.
    #[test]
    fn record_pass_agrees_with_a_pass_per_field() {
        use rand::seq::IndexedRandom;
        use rand::{RngExt, SeedableRng};
        let m = Matcher::new(Taxonomy::builtin());
        let phrases = m.phrases.as_ref().expect("phrases");
        let contexts: Vec<String> = m
            .taxonomy
            .tags()
            .iter()
            .flat_map(|t| t.context.iter().map(|c| normalize_phrase(c)))
            .collect();
        assert!(
            !contexts.is_empty(),
            "the built-in taxonomy has context terms"
        );
        let mut words: Vec<&str> = contexts.iter().flat_map(|c| c.split(' ')).collect();
        words.extend([
            "ozone",
            "disc",
            "herniation",
            "low",
            "back",
            "pain",
            "randomised",
            "trial",
            "review",
            "case",
            "series",
            "injection",
            "s",
            "ly",
            ".",
            "0.5",
        ]);
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let mut context_seen = 0;
        for _ in 0..300 {
            let fields: Vec<String> = (0..rng.random_range(1..5))
                .map(|_| {
                    let n = rng.random_range(0..25);
                    let mut text = String::new();
                    for _ in 0..n {
                        text.push_str(words.choose(&mut rng).unwrap());
                        text.push_str([" ", " ", ""].choose(&mut rng).unwrap());
                    }
                    text
                })
                .collect();
            let texts: Vec<&str> = fields.iter().map(String::as_str).collect();
            let (present, per_field) = phrases.scan_record(&texts);
            for (text, found) in texts.iter().zip(&per_field) {
                assert_eq!(*found, phrases.leftmost_longest(text), "{text:?}");
            }
            let record = texts.join(" . ");
            let mut distinct: Vec<&String> = Vec::new();
            for c in &contexts {
                if !distinct.contains(&c) {
                    distinct.push(c);
                }
            }
            for (i, term) in distinct.iter().enumerate() {
                let want = record.char_indices().any(|(at, _)| {
                    record[at..].starts_with(term.as_str())
                        && !record[..at].ends_with(char::is_alphanumeric)
                });
                assert_eq!(present[i], want, "{term:?} in {record:?}");
                context_seen += usize::from(want);
            }
        }
        assert!(context_seen > 100, "the records must hold context terms");
    }
}
