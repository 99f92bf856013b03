//! The taxonomy file format (TOML), its validation with located errors, and the built-in
//! default taxonomy. See README, "Taxonomy files", for the format.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::normalize::normalize_phrase;

/// The built-in taxonomy (ozone therapy for back pain).
pub const DEFAULT_TAXONOMY: &str = include_str!("default_taxonomy.toml");

/// How a dimension treats a negated mention ("no adverse events occurred").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Negation {
    /// A negated mention gives no tag (conditions, designs, routes).
    Drop,
    /// A negated mention still gives the tag, flagged negated (outcomes: an adverse-event
    /// outcome measured and found absent is still reported).
    Keep,
}

/// How far a negation cue reaches in a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NegationReach {
    /// A cue among the four words before or after the mention, or an exclusion cue ("were
    /// excluded") anywhere earlier in its sentence (conditions, outcomes).
    Sentence,
    /// Only a cue right before the mention ("not randomised", "without randomisation"): "no
    /// prior chemotherapy were randomly assigned" is still randomisation (designs).
    Adjacent,
}

/// Which sentences of an abstract a dimension reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SentenceScope {
    /// Every sentence.
    All,
    /// Only the sentences that describe the record's own study (its title, objective, methods,
    /// results; "we", "this study"), never background sentences about other studies or
    /// future-work sentences ("further randomised trials are needed"): see
    /// [`crate::abstracts::roles`]. What a study *is* (its design) is read this way.
    OwnStudy,
}

/// How many tags of a dimension a record gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Select {
    /// Every tag with evidence.
    All,
    /// The single best-supported tag (study design).
    One,
}

/// A dimension (condition, outcome, design, route, intervention, or a user's own).
#[derive(Debug, Clone, Serialize)]
pub struct Dimension {
    /// Its id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// What it classifies.
    pub description: String,
    /// Negation handling.
    pub negation: Negation,
    /// How far a negation cue reaches.
    pub negation_reach: NegationReach,
    /// Which sentences of an abstract are read.
    pub sentences: SentenceScope,
    /// One or all tags.
    pub select: Select,
}

/// A tag and its rules.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    /// Dimension id.
    pub dimension: String,
    /// Tag id (stable; stored with every tag).
    pub id: String,
    /// Display label.
    pub label: String,
    /// What it means.
    pub description: String,
    /// MeSH descriptor UIs that give the tag.
    pub mesh: Vec<String>,
    /// Publication type names or UIs that give the tag.
    pub publication_types: Vec<String>,
    /// Publication types that give the tag but say little ("Clinical Trial", "Review",
    /// "Observational Study"): they rank below evidence from the text, so a more specific
    /// design read from the record's own sentences wins over them.
    pub broad_publication_types: Vec<String>,
    /// Phrases and synonyms (case-insensitive, word boundaries, plural and hyphen/space variants).
    pub phrases: Vec<String>,
    /// Abbreviations (case-sensitive) that count only when a context term occurs in the record.
    pub abbreviations: Vec<String>,
    /// Phrases (like `phrases`) that count only when a context term occurs in the record.
    pub context_phrases: Vec<String>,
    /// Context terms for abbreviations and context phrases (word prefixes: "herniat" matches
    /// "herniation").
    pub context: Vec<String>,
    /// Phrases (like `phrases`) that count only where one of the tag's `near` terms is within
    /// [`NEAR_WORDS`](super::matcher::NEAR_WORDS) words of them in the same sentence: a word that means the tag only in one
    /// kind of sentence ("function" is an outcome next to "patients" or "score", not in "sensor
    /// function"; "epidural" is a route next to "injected", not in "epidural abscess").
    pub near_phrases: Vec<String>,
    /// Terms for `near_phrases` (one word each, word prefixes: "inject" matches "injected").
    pub near: Vec<String>,
    /// Phrases that, where they match, give no tag (they win over shorter tag phrases).
    pub exclude: Vec<String>,
    /// Regular expressions (case-insensitive) over the title, abstract and keywords.
    pub patterns: Vec<String>,
    /// Evidence level (design strength; higher is stronger).
    pub level: Option<i64>,
    /// Whether a record with this tag reports a sample of its own (design tags). `false` for
    /// narrative reviews and guidelines: the participants, studies and follow-up they quote are
    /// other studies', so none are read from them (their regimens are).
    pub own_sample: bool,
    /// Whether a record with this tag can report what a treatment did (design tags). `false`
    /// for surveys and prevalence studies: what they report is what people have, do or
    /// believe, so evcat reads no findings from them.
    pub treatment_effects: bool,
    /// Tags whose presence cancels this one (a meta-analysis's abstract mentions the designs of
    /// the trials it pooled).
    pub suppressed_by: Vec<String>,
    /// `patterns`, compiled: when a taxonomy file is validated, or, for the built-in
    /// taxonomy's tags (checked by its tests), when first used: a command that only reads the
    /// tag ids does not spend some 30 ms compiling them.
    #[serde(skip)]
    regexes: OnceLock<Vec<Regex>>,
}

impl Tag {
    /// The tag's [`patterns`](Tag::patterns), compiled (case-insensitive), in the same order.
    pub fn regexes(&self) -> &[Regex] {
        self.regexes.get_or_init(|| {
            self.patterns
                .iter()
                .map(|p| {
                    compile_pattern(p).unwrap_or_else(|e| {
                        panic!("pattern {p:?} of tag {} was validated: {e}", self.id)
                    })
                })
                .collect()
        })
    }
}

/// A tag pattern compiled: case-insensitive, ASCII word boundaries, at most 1 MB compiled.
fn compile_pattern(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(&crate::text::patterns::ascii_word_boundaries(pattern))
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
}

/// A validated taxonomy: the only ways to get one are [`Taxonomy::parse`] and
/// [`Taxonomy::builtin`], so every `Taxonomy` satisfies what validation checks. In particular,
/// every tag's dimension is one of [`dimensions`](Taxonomy::dimensions), (dimension, id) pairs are
/// unique, every `suppressed_by` names a tag of the same dimension, and every pattern compiles
/// ([`Tag::regexes`]).
#[derive(Debug, Clone, Serialize)]
pub struct Taxonomy {
    /// Name.
    name: String,
    /// Version as written in the file.
    version: String,
    /// Version plus a short content hash: what tags are stamped with.
    stamp: String,
    /// Dimensions in file order.
    dimensions: Vec<Dimension>,
    /// Tags in file order.
    tags: Vec<Tag>,
}

/// One problem in a taxonomy file, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxonomyIssue {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for TaxonomyIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// A taxonomy file that did not validate.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) in the taxonomy: {}", .0.len(), .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("; "))]
pub struct TaxonomyErrors(pub Vec<TaxonomyIssue>);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: Option<String>,
    version: Spanned<String>,
    extends: Option<Spanned<String>>,
    #[serde(default)]
    dimensions: BTreeMap<String, Spanned<RawDimension>>,
    #[serde(default)]
    tags: Vec<Spanned<RawTag>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    label: Option<String>,
    #[serde(default)]
    description: String,
    negation: Option<Spanned<String>>,
    negation_reach: Option<Spanned<String>>,
    sentences: Option<Spanned<String>>,
    select: Option<Spanned<String>>,
    order: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTag {
    dimension: Spanned<String>,
    id: Spanned<String>,
    label: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    mesh: Vec<Spanned<String>>,
    #[serde(default)]
    publication_types: Vec<String>,
    #[serde(default)]
    broad_publication_types: Vec<String>,
    #[serde(default)]
    phrases: Vec<Spanned<String>>,
    #[serde(default)]
    abbreviations: Vec<Spanned<String>>,
    #[serde(default)]
    context_phrases: Vec<Spanned<String>>,
    #[serde(default)]
    context: Vec<Spanned<String>>,
    #[serde(default)]
    near_phrases: Vec<Spanned<String>>,
    #[serde(default)]
    near: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    level: Option<i64>,
    own_sample: Option<bool>,
    treatment_effects: Option<bool>,
    #[serde(default)]
    suppressed_by: Vec<Spanned<String>>,
}

/// Converts byte offsets to 1-based line and column.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = text.floor_char_boundary(offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

struct Issues<'a> {
    file: &'a str,
    text: &'a str,
    list: Vec<TaxonomyIssue>,
}

impl Issues<'_> {
    fn add(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_col(self.text, span.start);
        self.list.push(TaxonomyIssue {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        });
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Longest phrase, abbreviation or context term, in characters. Real ones are a few words; a
/// longer one is a mistake (a pasted paragraph) and would only slow the matcher down.
pub const MAX_PHRASE_CHARS: usize = 200;

/// Characters that change the display direction of text without being visible (the "Trojan
/// Source" characters): a phrase holding one does not read as what it matches.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// A phrase for display in an issue: at most 40 characters, invisible characters escaped.
fn shown(phrase: &str) -> String {
    let mut short: String = phrase.chars().take(40).collect();
    if short.len() < phrase.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// What is wrong with a phrase, abbreviation or context term (`what`), if anything: it is too
/// long, holds control or direction characters, or has no letter or digit left to match once
/// normalised (empty, spaces, punctuation, symbols such as emoji).
fn phrase_problem(phrase: &str, what: &str) -> Option<String> {
    let length = phrase.chars().count();
    if length > MAX_PHRASE_CHARS {
        return Some(format!(
            "{what} {} is {length} characters long; the limit is {MAX_PHRASE_CHARS}: use a few words naming the concept",
            shown(phrase)
        ));
    }
    if let Some(c) = phrase
        .chars()
        .find(|&c| c.is_control() || is_bidi_control(c))
    {
        let kind = if c.is_control() {
            "control character"
        } else {
            "invisible text-direction character"
        };
        return Some(format!(
            "{what} {} contains the {kind} U+{:04X}: remove it (write a plain space between words)",
            shown(phrase),
            c as u32
        ));
    }
    if normalize_phrase(phrase).is_empty() {
        return Some(format!(
            "{what} {} has no letters or digits to match: remove it or write the word(s) to match",
            shown(phrase)
        ));
    }
    None
}

fn valid_mesh_ui(ui: &str) -> bool {
    let mut chars = ui.chars();
    matches!(chars.next(), Some('D' | 'C' | 'Q'))
        && ui.len() >= 7
        && chars.all(|c| c.is_ascii_digit())
}

impl Taxonomy {
    /// The built-in default taxonomy.
    pub fn builtin() -> Taxonomy {
        Taxonomy::parse_with(DEFAULT_TAXONOMY, "<built-in default taxonomy>", false)
            .unwrap_or_else(|e| panic!("the built-in taxonomy is invalid: {e}"))
    }

    /// Parses and validates a taxonomy file. A file with `extends = "default"` adds to (and, for
    /// tags with the same dimension and id, replaces) the built-in taxonomy.
    pub fn parse(text: &str, file: &str) -> Result<Taxonomy, TaxonomyErrors> {
        Self::parse_with(text, file, true)
    }

    /// [`Taxonomy::parse`]; `compile`: whether the patterns are compiled now (to validate them)
    /// or when first used (the built-in taxonomy's, which its tests compile).
    fn parse_with(text: &str, file: &str, compile: bool) -> Result<Taxonomy, TaxonomyErrors> {
        let mut issues = Issues {
            file,
            text,
            list: Vec::new(),
        };
        let raw: RawTaxonomy = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                issues.add(span, format!("invalid TOML: {}", e.message()));
                return Err(TaxonomyErrors(issues.list));
            }
        };
        let base = match &raw.extends {
            None => None,
            Some(e) if e.get_ref() == "default" => Some(Taxonomy::builtin()),
            Some(e) => {
                issues.add(
                    e.span(),
                    format!(
                        "extends = {:?}: only \"default\" (the built-in taxonomy) can be extended",
                        e.get_ref()
                    ),
                );
                None
            }
        };
        let mut dimensions: Vec<Dimension> = base
            .as_ref()
            .map(|b| b.dimensions.clone())
            .unwrap_or_default();
        let mut ordered: Vec<(i64, usize, Dimension)> = Vec::new();
        for (i, (id, spanned)) in raw.dimensions.iter().enumerate() {
            let span = spanned.span();
            let d = spanned.get_ref();
            if !valid_id(id) {
                issues.add(
                    span.clone(),
                    format!("dimension id {id:?}: use lowercase letters, digits and '-'"),
                );
            }
            let negation = match d
                .negation
                .as_ref()
                .map(|n| (n.get_ref().as_str(), n.span()))
            {
                None | Some(("drop", _)) => Negation::Drop,
                Some(("keep", _)) => Negation::Keep,
                Some((other, s)) => {
                    issues.add(s, format!("negation = {other:?}: use \"drop\" or \"keep\""));
                    Negation::Drop
                }
            };
            let negation_reach = match d
                .negation_reach
                .as_ref()
                .map(|n| (n.get_ref().as_str(), n.span()))
            {
                None | Some(("sentence", _)) => NegationReach::Sentence,
                Some(("adjacent", _)) => NegationReach::Adjacent,
                Some((other, s)) => {
                    issues.add(
                        s,
                        format!("negation_reach = {other:?}: use \"sentence\" or \"adjacent\""),
                    );
                    NegationReach::Sentence
                }
            };
            let sentences = match d
                .sentences
                .as_ref()
                .map(|n| (n.get_ref().as_str(), n.span()))
            {
                None | Some(("all", _)) => SentenceScope::All,
                Some(("own-study", _)) => SentenceScope::OwnStudy,
                Some((other, s)) => {
                    issues.add(
                        s,
                        format!("sentences = {other:?}: use \"all\" or \"own-study\""),
                    );
                    SentenceScope::All
                }
            };
            let select = match d.select.as_ref().map(|n| (n.get_ref().as_str(), n.span())) {
                None | Some(("all", _)) => Select::All,
                Some(("one", _)) => Select::One,
                Some((other, s)) => {
                    issues.add(s, format!("select = {other:?}: use \"all\" or \"one\""));
                    Select::All
                }
            };
            let dim = Dimension {
                id: id.clone(),
                label: d.label.clone().unwrap_or_else(|| id.clone()),
                description: d.description.clone(),
                negation,
                negation_reach,
                sentences,
                select,
            };
            ordered.push((d.order.unwrap_or(100 + i as i64), i, dim));
        }
        ordered.sort_by_key(|(o, i, _)| (*o, *i));
        for (_, _, dim) in ordered {
            match dimensions.iter_mut().find(|d| d.id == dim.id) {
                Some(existing) => *existing = dim,
                None => dimensions.push(dim),
            }
        }
        let dim_ids: HashSet<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
        let mut tags: Vec<Tag> = base.as_ref().map(|b| b.tags.clone()).unwrap_or_default();
        let base_count = tags.len();
        let mut seen: HashMap<(String, String), Range<usize>> = HashMap::new();
        for spanned in &raw.tags {
            let t = spanned.get_ref();
            let dim = t.dimension.get_ref();
            let id = t.id.get_ref();
            if !dim_ids.contains(dim.as_str()) {
                issues.add(
                    t.dimension.span(),
                    format!("unknown dimension {dim:?} (declare it under [dimensions.{dim}] or use one of: {})", {
                        let mut v: Vec<&str> = dim_ids.iter().copied().collect();
                        v.sort_unstable();
                        v.join(", ")
                    }),
                );
            }
            if !valid_id(id) {
                issues.add(
                    t.id.span(),
                    format!("tag id {id:?}: use lowercase letters, digits and '-'"),
                );
            }
            if let Some(first) = seen.insert((dim.clone(), id.clone()), t.id.span()) {
                let (line, _) = line_col(text, first.start);
                issues.add(t.id.span(), format!("duplicate tag id {id:?} in dimension {dim:?} (first defined on line {line})"));
            }
            for ui in &t.mesh {
                if !valid_mesh_ui(ui.get_ref()) {
                    issues.add(
                        ui.span(),
                        format!("{:?} is not a MeSH UI (e.g. D007405)", ui.get_ref()),
                    );
                }
            }
            for (list, what) in [
                (&t.phrases, "phrase"),
                (&t.exclude, "phrase"),
                (&t.context_phrases, "phrase"),
                (&t.context, "context term"),
                (&t.near_phrases, "phrase"),
            ] {
                for p in list {
                    if let Some(problem) = phrase_problem(p.get_ref(), what) {
                        issues.add(p.span(), problem);
                    }
                }
            }
            for a in &t.abbreviations {
                let s = a.get_ref();
                if let Some(problem) = phrase_problem(s, "abbreviation") {
                    issues.add(a.span(), problem);
                } else if s.contains(char::is_whitespace) {
                    issues.add(a.span(), format!("abbreviation {s:?} must be one word"));
                }
            }
            if let Some(first) = t.abbreviations.first().or(t.context_phrases.first())
                && t.context.is_empty()
            {
                issues.add(
                        first.span(),
                        "abbreviations and context phrases count only in context: give a `context` list (e.g. [\"lumbar\", \"disc\"])",
                    );
            }
            for n in &t.near {
                let s = n.get_ref();
                if let Some(problem) = phrase_problem(s, "near term") {
                    issues.add(n.span(), problem);
                } else if normalize_phrase(s).contains(' ') {
                    issues.add(n.span(), format!("near term {s:?} must be one word"));
                }
            }
            if let Some(first) = t.near_phrases.first()
                && t.near.is_empty()
            {
                issues.add(
                    first.span(),
                    "near phrases count only next to a near term: give a `near` list (e.g. [\"inject\", \"patient\"])",
                );
            }
            let regexes = OnceLock::new();
            if compile {
                let mut compiled = Vec::new();
                for p in &t.patterns {
                    match compile_pattern(p.get_ref()) {
                        Ok(re) => compiled.push(re),
                        Err(e) => {
                            let first_line = e
                                .to_string()
                                .lines()
                                .last()
                                .unwrap_or("")
                                .trim()
                                .to_string();
                            issues.add(
                                p.span(),
                                format!(
                                    "invalid regular expression {:?}: {first_line}",
                                    p.get_ref()
                                ),
                            );
                        }
                    }
                }
                // (Complete when every pattern compiled; otherwise the taxonomy is refused.)
                let _ = regexes.set(compiled);
            }
            let tag = Tag {
                dimension: dim.clone(),
                id: id.clone(),
                label: t.label.clone().unwrap_or_else(|| id.clone()),
                description: t.description.clone(),
                mesh: t.mesh.iter().map(|m| m.get_ref().clone()).collect(),
                publication_types: t.publication_types.clone(),
                broad_publication_types: t.broad_publication_types.clone(),
                phrases: t.phrases.iter().map(|p| p.get_ref().clone()).collect(),
                abbreviations: t
                    .abbreviations
                    .iter()
                    .map(|p| p.get_ref().clone())
                    .collect(),
                context_phrases: t
                    .context_phrases
                    .iter()
                    .map(|p| p.get_ref().clone())
                    .collect(),
                context: t.context.iter().map(|p| p.get_ref().clone()).collect(),
                near_phrases: t.near_phrases.iter().map(|p| p.get_ref().clone()).collect(),
                near: t.near.iter().map(|p| p.get_ref().clone()).collect(),
                exclude: t.exclude.iter().map(|p| p.get_ref().clone()).collect(),
                patterns: t.patterns.iter().map(|p| p.get_ref().clone()).collect(),
                level: t.level,
                own_sample: t.own_sample.unwrap_or(true),
                treatment_effects: t.treatment_effects.unwrap_or(true),
                suppressed_by: t
                    .suppressed_by
                    .iter()
                    .map(|p| p.get_ref().clone())
                    .collect(),
                regexes,
            };
            match tags[..base_count]
                .iter()
                .position(|b| b.dimension == tag.dimension && b.id == tag.id)
            {
                Some(i) => tags[i] = tag,
                None => tags.push(tag),
            }
        }
        // suppressed_by must name tags of the same dimension.
        for spanned in &raw.tags {
            let t = spanned.get_ref();
            for s in &t.suppressed_by {
                if !tags
                    .iter()
                    .any(|x| &x.dimension == t.dimension.get_ref() && &x.id == s.get_ref())
                {
                    issues.add(
                        s.span(),
                        format!(
                            "suppressed_by names {:?}, which is not a tag of dimension {:?}",
                            s.get_ref(),
                            t.dimension.get_ref()
                        ),
                    );
                }
            }
        }
        if !issues.list.is_empty() {
            return Err(TaxonomyErrors(issues.list));
        }
        let hash = Sha256::digest(text.as_bytes());
        let mut stamp = format!(
            "{}+{:02x}{:02x}{:02x}{:02x}",
            raw.version.get_ref(),
            hash[0],
            hash[1],
            hash[2],
            hash[3]
        );
        if let Some(b) = &base {
            stamp = format!("{}/{}", b.stamp, stamp);
        }
        Ok(Taxonomy {
            name: raw
                .name
                .clone()
                .unwrap_or_else(|| base.as_ref().map(|b| b.name.clone()).unwrap_or_default()),
            version: raw.version.get_ref().clone(),
            stamp,
            dimensions,
            tags,
        })
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its version as written in the file.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Version plus a short content hash: what tags are stamped with.
    pub fn stamp(&self) -> &str {
        &self.stamp
    }

    /// The dimensions, in file order.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// Every tag, in file order.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The dimension with this id.
    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }

    /// The tag with this dimension and id.
    pub fn tag(&self, dimension: &str, id: &str) -> Option<&Tag> {
        self.tags
            .iter()
            .find(|t| t.dimension == dimension && t.id == id)
    }

    /// The tags of a dimension, in file order.
    pub fn tags_of<'a>(&'a self, dimension: &'a str) -> impl Iterator<Item = &'a Tag> + 'a {
        self.tags.iter().filter(move |t| t.dimension == dimension)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_patterns_compile_when_first_used() {
        let t = Taxonomy::builtin();
        let with_patterns: Vec<&Tag> = t.tags.iter().filter(|x| !x.patterns.is_empty()).collect();
        assert!(
            with_patterns.len() > 5,
            "{} tags with patterns",
            with_patterns.len()
        );
        for tag in with_patterns {
            assert!(
                tag.regexes.get().is_none(),
                "{} compiled before use",
                tag.id
            );
            assert_eq!(tag.regexes().len(), tag.patterns.len(), "{}", tag.id);
        }
        // A taxonomy file's patterns are compiled as it is validated.
        let file = Taxonomy::parse(
            "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"x\"\npatterns = [\"a+b\"]\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(
            file.tag("c", "x").unwrap().regexes.get().map(Vec::len),
            Some(1)
        );
    }

    #[test]
    fn builtin_is_valid_and_has_the_documented_ids() {
        let t = Taxonomy::builtin();
        let ids = |d: &str| t.tags_of(d).map(|x| x.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids("condition"),
            [
                "herniated-disc",
                "degenerative-disc-disease",
                "sciatica",
                "facet-joint-syndrome",
                "muscle-strain",
                "spinal-stenosis",
                "post-surgical-pain",
                "low-back-pain",
                "neck-pain"
            ]
        );
        assert_eq!(
            ids("outcome"),
            [
                "pain",
                "function-disability",
                "mobility",
                "adverse-events",
                "quality-of-life",
                "surgery-avoidance",
                "analgesic-use",
                "recurrence",
                "return-to-work"
            ]
        );
        assert_eq!(
            ids("design"),
            [
                "meta-analysis",
                "systematic-review",
                "rct",
                "non-randomized-trial",
                "cohort",
                "case-control",
                "cross-sectional",
                "case-series",
                "case-report",
                "narrative-review",
                "guideline",
                "other"
            ]
        );
        assert_eq!(
            ids("route"),
            [
                "intradiscal",
                "paravertebral",
                "intramuscular",
                "epidural",
                "foraminal-periradicular",
                "facet-intraarticular"
            ]
        );
        assert!(ids("intervention").contains(&"ozone".to_string()));
    }

    fn issues(text: &str) -> Vec<TaxonomyIssue> {
        Taxonomy::parse(text, "t.toml").unwrap_err().0
    }

    #[test]
    fn errors_are_located() {
        let i = issues(
            "version = \"1\"\n[dimensions.condition]\n[[tags]]\ndimension = \"conditon\"\nid = \"x\"\n",
        );
        assert_eq!((i[0].line, i[0].column), (4, 13), "{i:?}");
        assert!(i[0].message.contains("unknown dimension \"conditon\""));
        let i = issues(
            "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"x\"\n[[tags]]\ndimension = \"c\"\nid = \"x\"\n",
        );
        assert_eq!(i[0].line, 8);
        assert!(i[0].message.contains("duplicate tag id \"x\"") && i[0].message.contains("line 5"));
        let i = issues(
            "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"x\"\npatterns = [\"(unclosed\"]\n",
        );
        assert_eq!((i[0].line, i[0].column), (6, 13));
        assert!(i[0].message.contains("invalid regular expression"));
        let i = issues(
            "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"x\"\nphrases = [\"--\"]\n",
        );
        assert!(i[0].message.contains("no letters or digits"));
        let i = issues("version = \"1\"\n[dimensions.c\n");
        assert_eq!(i[0].line, 2);
        assert!(i[0].message.starts_with("invalid TOML"));
    }

    #[test]
    fn phrases_are_limited_in_length_and_plain() {
        let with = |phrase: &str| {
            Taxonomy::parse(
                &format!(
                    "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"x\"\nphrases = [\"{phrase}\"]\n"
                ),
                "t.toml",
            )
        };
        assert!(with(&"a".repeat(MAX_PHRASE_CHARS)).is_ok());
        assert!(
            with(&"\u{3b1}".repeat(MAX_PHRASE_CHARS)).is_ok(),
            "characters, not bytes"
        );
        let i = with(&"a".repeat(MAX_PHRASE_CHARS + 1)).unwrap_err().0;
        assert_eq!((i[0].line, i[0].column), (6, 12));
        assert!(i[0].message.contains("201 characters long"), "{}", i[0]);
        assert!(
            i[0].message.len() < 200,
            "the issue quotes only the start: {}",
            i[0]
        );
        for bad in [
            "ozone\\u0000",
            "disc\\therniation",
            "\u{2066}ozone",
            "\u{200f}",
        ] {
            let i = with(bad).unwrap_err().0;
            assert!(i[0].message.contains("character U+"), "{bad}: {}", i[0]);
        }
        assert!(with("e\u{301}\u{1f9a0} \u{3b1}-thalassemia").is_ok());
    }

    #[test]
    fn near_phrases_need_one_word_near_terms() {
        let tag = |rest: &str| {
            format!(
                "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"x\"\n{rest}"
            )
        };
        let i = issues(&tag("near_phrases = [\"function\"]\n"));
        assert_eq!(i.len(), 1, "{i:?}");
        assert!(i[0].message.contains("give a `near` list"), "{i:?}");
        let i = issues(&tag(
            "near_phrases = [\"function\"]\nnear = [\"patient\", \"follow-up\", \"!\"]\n",
        ));
        assert_eq!(i.len(), 2, "{i:?}");
        assert!(i[0].message.contains("must be one word"), "{i:?}");
        assert!(i[1].message.contains("no letters or digits"), "{i:?}");
        let t = Taxonomy::parse(
            &tag("near_phrases = [\"function\"]\nnear = [\"patient\"]\n"),
            "t.toml",
        )
        .unwrap();
        assert_eq!(t.tag("c", "x").unwrap().near, ["patient"]);
    }

    #[test]
    fn extending_the_default_adds_and_replaces() {
        let t = Taxonomy::parse(
            "version = \"u1\"\nextends = \"default\"\n[dimensions.population]\nlabel = \"Population\"\n[[tags]]\ndimension = \"population\"\nid = \"athletes\"\nphrases = [\"athlete\"]\n[[tags]]\ndimension = \"condition\"\nid = \"neck-pain\"\nphrases = [\"cervicalgia\"]\n",
            "u.toml",
        )
        .unwrap();
        assert!(t.tag("population", "athletes").is_some());
        assert_eq!(
            t.tag("condition", "neck-pain").unwrap().phrases,
            ["cervicalgia"]
        );
        assert!(t.tag("condition", "sciatica").is_some());
        assert!(t.stamp.contains('/'));
    }
}
