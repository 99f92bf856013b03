//! Ranking catalogue records as candidate evidence for a claim.
//!
//! Score, summed from explainable parts (each adds a reason):
//! - full-text relevance of the claim's words (BM25 over title, abstract, keywords and MeSH,
//!   scaled so the best match gets 3);
//! - tag overlap with the claim's condition, outcome and intervention tags (1 each);
//! - what the claim names: a journal in the catalogue (2.5), a year (1.5), a design such as
//!   "systematic review" or "randomized" (2; a meta-analysis also answers "systematic review");
//! - design strength (evidence level / 7); the reason also cites the study's facts ("design: rct
//!   (level 5), 120 participants, 12 months follow-up"), which do not change the score;
//! - a penalty of 1 for records deleted from PubMed or retracted (they stay listed, flagged).
//!
//! Each candidate shown also carries the stance its findings suggest ([`super::stance`]), which
//! does not change the ranking.
//!
//! [`gather`] finds the candidates (the claim's words in the full-text index, the records of the
//! journals it names) without the tagger, which [`prepare_to_rank`] can build meanwhile on
//! another thread; [`rank`] scores them, reading a candidate's facts only while it can still be
//! among the best (`best_by_bound`), and explains, cites and weighs the best.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use serde::Serialize;

use super::stance::{
    ClaimSummary, RecordSummary, StanceSuggestion, studied_in_title, suggest_stance,
};
use super::values::Stance;
use crate::abstracts::findings::{Findings, OutcomeMention, read_findings_titled};
use crate::export::cite::{CitationStyle, reference};
use crate::store::articles::load_article;
use crate::store::claims::{
    CandidateFacts, candidate_facts, distinct_journal_names, highest_level, records_matching_any,
    records_of_journal,
};
use crate::store::tags::{StoredTagInput, tag_input};
use crate::store::{Store, StoreError};
use crate::tagging::normalize::normalize;
use crate::tagging::{Matcher, TagInput, read_study_findings_and_tags};

/// A candidate record.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// PMID.
    pub pmid: u64,
    /// Score (higher is better).
    pub score: f64,
    /// Why it ranked.
    pub reasons: Vec<String>,
    /// Its citation.
    pub citation: String,
    /// The stance its findings suggest (see [`super::stance`]); `None` when they do not bear
    /// on the claim.
    pub stance: Option<Stance>,
    /// The finding sentence behind the stance, with its outcome and direction.
    pub stance_reason: Option<String>,
    /// Where the claim says more than the record shows.
    pub stance_notes: Vec<String>,
}

const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "in",
    "on",
    "for",
    "to",
    "with",
    "by",
    "at",
    "from",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "that",
    "this",
    "these",
    "those",
    "it",
    "its",
    "has",
    "have",
    "had",
    "not",
    "no",
    "can",
    "may",
    "might",
    "will",
    "would",
    "should",
    "could",
    "than",
    "then",
    "there",
    "their",
    "they",
    "which",
    "who",
    "what",
    "when",
    "how",
    "study",
    "studies",
    "found",
    "find",
    "published",
    "journal",
    "patients",
    "patient",
    "significantly",
    "significant",
    "shows",
    "showed",
    "show",
    "shown",
    "research",
    "researchers",
    "according",
    "also",
    "more",
    "most",
    "some",
    "such",
    "into",
    "about",
    "after",
    "before",
    "between",
    "people",
    "years",
    "year",
    "one",
    "two",
    "three",
    "new",
    "recent",
    "very",
    "much",
    "many",
    "our",
    "we",
    "you",
    "your",
    "his",
    "her",
    "them",
    "all",
    "any",
    "each",
    "other",
    "only",
    "over",
    "under",
    "up",
    "out",
    "so",
    "if",
    "but",
];

/// The claim's content words (lowercase, no stopwords, no numbers).
pub fn content_words(text: &str) -> Vec<String> {
    let norm = normalize(text);
    let mut seen = BTreeSet::new();
    norm.text
        .split(' ')
        .filter(|w| w.len() >= 3 && w.chars().any(char::is_alphabetic) && !STOPWORDS.contains(w))
        .filter(|w| seen.insert(w.to_string()))
        .map(str::to_string)
        .collect()
}

struct Pool {
    relevance: BTreeMap<u64, f64>,
}

/// At most this many of a claim's content words search the full-text index.
const MAX_POOL_WORDS: usize = 64;

fn fts_pool(store: &Store, words: &[String], limit: usize) -> Result<Pool, StoreError> {
    let mut relevance = BTreeMap::new();
    if words.is_empty() {
        return Ok(Pool { relevance });
    }
    // BM25 costs grow with the square of the terms for every match: the first words of a
    // claim say what it is about; thousands of them (a pasted article) would only be slow.
    let words = &words[..words.len().min(MAX_POOL_WORDS)];
    let rows = records_matching_any(store, words, limit)?;
    let best = rows.iter().map(|(_, s)| *s).fold(0.0f64, f64::min);
    for (pmid, score) in rows {
        let scaled = if best < 0.0 {
            (score / best).clamp(0.0, 1.0)
        } else {
            0.0
        };
        relevance.insert(pmid, scaled);
    }
    Ok(Pool { relevance })
}

/// Journals of the catalogue named in `text`: (title or abbreviation as named, PMIDs).
fn named_journals(store: &Store, text: &str) -> Result<Vec<(String, Vec<u64>)>, StoreError> {
    let norm = format!(" {} ", normalize(text).text);
    let mut found: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    // (Each journal's names are looked at once, then its records listed.)
    for names in distinct_journal_names(store)? {
        for name in names.iter().flatten() {
            let n = crate::tagging::normalize::normalize_phrase(name);
            // Short or one-word names ("Spine", "Pain") are too common to count as named.
            if n.len() < 8 || !n.contains(' ') {
                continue;
            }
            if norm.contains(&format!(" {n} ")) {
                found
                    .entry(name.clone())
                    .or_default()
                    .extend(records_of_journal(store, &names)?);
                break;
            }
        }
    }
    for pmids in found.values_mut() {
        pmids.sort_unstable();
    }
    Ok(found.into_iter().collect())
}

fn years_named(text: &str) -> Vec<i32> {
    let re = regex::Regex::new(r"\b(19[5-9]\d|20\d\d)\b").expect("valid regex");
    re.find_iter(text)
        .filter_map(|m| m.as_str().parse().ok())
        .collect()
}

/// The stance the findings of the stored record `pmid` suggest for the claim `text` with the
/// (dimension, tag) pairs `claim_tags` (see [`super::stance`]).
pub fn stance_for(
    store: &Store,
    matcher: &Matcher,
    text: &str,
    claim_tags: &[(String, String)],
    pmid: u64,
) -> Result<StanceSuggestion, StoreError> {
    let record = tag_input(store, pmid)?;
    let tags = candidate_facts(store, pmid)?.tags;
    Ok(stance_of(
        matcher,
        text,
        claim_tags,
        record.as_ref().map(StoredTagInput::as_input).as_ref(),
        &tags,
    ))
}

/// [`stance_for`] of a record already read: `record` is what the tagger reads of it (`None` for
/// a record without data), `tags` its effective tags.
fn stance_of(
    matcher: &Matcher,
    text: &str,
    claim_tags: &[(String, String)],
    record: Option<&TagInput<'_>>,
    tags: &[(String, String, Option<i64>)],
) -> StanceSuggestion {
    let of_claim = |dimension: &str| -> Vec<&str> {
        claim_tags
            .iter()
            .filter(|(d, _)| d == dimension)
            .map(|(_, t)| t.as_str())
            .collect()
    };
    // The stored record is read once, for its findings and for the treatment its title names.
    let (findings, titled, title) = match record {
        Some(input) => {
            let (findings, tags) = read_study_findings_and_tags(matcher, input);
            (findings, tags, input.title.to_string())
        }
        None => (Default::default(), Vec::new(), String::new()),
    };
    let of_record = |dimension: &str| -> Vec<&str> {
        tags.iter()
            .filter(|(d, _, _)| d == dimension)
            .map(|(_, t, _)| t.as_str())
            .collect()
    };
    let interventions = of_record("intervention");
    let record = RecordSummary {
        design: of_record("design").first().copied(),
        conditions: of_record("condition"),
        studied: studied_in_title(&title, &titled).filter(|s| interventions.contains(s)),
        interventions,
        outcomes: of_record("outcome"),
        title: &title,
    };
    let claim = ClaimSummary {
        text,
        conditions: of_claim("condition"),
        outcomes: of_claim("outcome"),
        interventions: of_claim("intervention"),
    };
    suggest_stance(&claim, &findings, &record)
}

/// What the catalogue offers as candidates for a claim, read from the catalogue alone (the
/// tagger is not needed, so it can be built meanwhile): the records its words find, and those
/// of the journals it names.
pub struct Gathered {
    words: Vec<String>,
    pool: Pool,
    journals: Vec<(String, Vec<u64>)>,
    years: Vec<i32>,
}

/// The candidates for the claim `text` (see [`Gathered`]).
pub fn gather(store: &Store, text: &str) -> Result<Gathered, StoreError> {
    let words = content_words(text);
    let pool = fts_pool(store, &words, 300)?;
    let journals = named_journals(store, text)?;
    Ok(Gathered {
        words,
        pool,
        journals,
        years: years_named(text),
    })
}

/// Ranks candidate evidence for a claim. `claim_tags` are the claim's (dimension, tag) pairs.
pub fn suggest(
    store: &Store,
    matcher: &Matcher,
    text: &str,
    claim_tags: &[(String, String)],
    limit: usize,
    style: CitationStyle,
) -> Result<Vec<Candidate>, StoreError> {
    let gathered = gather(store, text)?;
    rank(store, matcher, &gathered, text, claim_tags, limit, style)
}

/// Compiles, once per process, what [`rank`] needs to read a candidate's findings, to weigh them
/// against a claim and to cite it (the findings reader's and the stance's patterns, compiled on
/// first use, and the citation style and locales): about a sixth of a second, which a caller
/// can have spent on another thread while [`gather`] runs and the tagger is built. It reads a
/// built-in abstract, its outcomes found by hand where the tagger would find them, against a
/// built-in claim; nothing is kept but what is compiled. (The tagger is not needed: what it
/// compiles, it compiles when it is built.)
pub fn prepare_to_rank(style: CitationStyle) {
    crate::export::cite::prepare(style);
    let findings = preparing_findings();
    let claim = ClaimSummary {
        text: "A randomized trial found that ozone injections relieve back pain better than steroids",
        conditions: vec!["herniated-disc"],
        outcomes: vec!["pain"],
        interventions: vec!["ozone"],
    };
    let record = RecordSummary {
        design: Some("rct"),
        conditions: vec!["herniated-disc"],
        interventions: vec!["ozone", "steroid"],
        outcomes: vec!["pain", "function-disability", "adverse-events"],
        studied: Some("ozone"),
        title: PREPARING_TITLE,
    };
    let _ = suggest_stance(&claim, &findings, &record);
}

/// The findings of the abstract [`prepare_to_rank`] reads.
fn preparing_findings() -> Findings {
    let text = PREPARING_ABSTRACT;
    let sentences = crate::abstracts::read_abstract(text);
    let mut mentions: Vec<OutcomeMention> = [
        ("pain", "pain"),
        ("Pain", "pain"),
        ("disability", "function-disability"),
        ("Disability", "function-disability"),
        ("function", "function-disability"),
        ("adverse events", "adverse-events"),
        ("complications", "adverse-events"),
        ("quality of life", "quality-of-life"),
        ("surgery", "surgery-avoidance"),
        ("analgesic use", "analgesic-use"),
    ]
    .iter()
    .flat_map(|&(words, outcome)| {
        text.match_indices(words)
            .map(move |(start, found)| OutcomeMention {
                outcome: outcome.to_string(),
                start,
                end: start + found.len(),
            })
    })
    .collect();
    // (In the text's order, as the tagger gives them.)
    mentions.sort_by_key(|m| (m.start, m.end));
    read_findings_titled(PREPARING_TITLE, text, &sentences, &mentions)
}

/// The title of the record [`prepare_to_rank`] reads.
const PREPARING_TITLE: &str = "Ozone injection versus steroid injection for lumbar disc herniation: a randomized controlled trial";

/// The abstract [`prepare_to_rank`] reads: the kinds of sentence trials' and reviews' abstracts
/// hold (numbers, comparisons, differences and their absence, harms, time points), so that the
/// patterns reading them are compiled before the first candidate needs them.
const PREPARING_ABSTRACT: &str = "BACKGROUND: Whether ozone injection relieves sciatica is uncertain.\n\
OBJECTIVE: To compare ozone with steroid injection in adults with lumbar disc herniation; the aim was to \
find the lowest effective dose.\n\
METHODS: In this double-blind trial, 120 patients were randomly assigned to ozone (n = 60) or steroid (n = 60) \
and followed for 12 months. The primary outcome was pain on a visual analogue scale (VAS); secondary outcomes \
were disability (Oswestry index) and adverse events.\n\
RESULTS: Baseline characteristics were similar in the two groups. Pain decreased more with ozone than with \
steroid at 6 months (mean difference -1.2, 95% CI -2.0 to -0.4; p = 0.003), from 7.2 to 3.1 points, favouring \
ozone, but the effect waned by 12 months. Disability did not differ significantly between groups (p = 0.41), \
and there were no significant differences in analgesic use, as did quality of life. Overall, 45% vs 30% of \
patients were pain-free (RR 1.5, 95% CI 1.1 to 2.0), although in the short term relief was comparable. \
Adding ozone to steroid improved function and reduced the need for surgery compared with steroid alone. \
No serious complications occurred; 12 of 60 patients in the ozone group had transient headache, which was \
more frequent with ozone, and two patients stopped treatment because of dizziness. Ozone caused fewer \
infections and did not increase the risk of bleeding; outcomes were worse in smokers. However, at 12 months \
the difference was not significant.\n\
CONCLUSIONS: Ozone injection reduced pain but not disability compared with steroid injection, with a similar \
rate of adverse events, without serious harms; larger trials are needed.";

/// What scoring a candidate reads besides its own facts.
struct Scoring<'a> {
    gathered: &'a Gathered,
    claim_tags: &'a [(String, String)],
    named_designs: Vec<String>,
    /// The most a candidate's own facts can add to its score (see [`Scoring::bound`]).
    most_added: f64,
}

impl<'a> Scoring<'a> {
    /// Scoring for the claim `text` with the tags `claim_tags`, whose candidates are `gathered`.
    fn new(
        store: &Store,
        matcher: &Matcher,
        gathered: &'a Gathered,
        text: &str,
        claim_tags: &'a [(String, String)],
    ) -> Result<Scoring<'a>, StoreError> {
        let named_designs: Vec<String> = matcher
            .tag(&TagInput {
                title: text,
                ..TagInput::default()
            })
            .into_iter()
            .filter(|t| t.dimension == "design")
            .map(|t| t.tag)
            .collect();
        // Every claim tag shared, the year and the design named, the highest evidence level in
        // the catalogue; deletion and retraction only take away.
        let most_added = claim_tags.len() as f64
            + if gathered.years.is_empty() { 0.0 } else { 1.5 }
            + if named_designs.is_empty() { 0.0 } else { 2.0 }
            + highest_level(store)?.map_or(0.0, |l| l.max(0) as f64 / 7.0);
        Ok(Scoring {
            gathered,
            claim_tags,
            named_designs,
            most_added,
        })
    }

    /// At least the score of candidate `pmid`, known before its facts are read: what it is
    /// known to score (relevance, the journals named in the claim) and the most its facts can add.
    fn bound(&self, pmid: u64) -> f64 {
        let relevance = self
            .gathered
            .pool
            .relevance
            .get(&pmid)
            .map_or(0.0, |r| 3.0 * r);
        let named_in = self
            .gathered
            .journals
            .iter()
            .filter(|(_, pmids)| pmids.binary_search(&pmid).is_ok())
            .count();
        relevance + 2.5 * named_in as f64 + self.most_added
    }

    /// The score of `pmid`, whose facts are `facts`, with its reasons when `explain` (the
    /// reasons that do not change the score, its title's words and its study's facts, are read
    /// only then: the score is the same either way).
    fn assess(
        &self,
        store: &Store,
        pmid: u64,
        facts: CandidateFacts,
        explain: bool,
    ) -> Result<(f64, Vec<String>), StoreError> {
        let Gathered {
            words,
            pool,
            journals,
            years,
        } = self.gathered;
        let mut score = 0.0;
        let mut reasons = Vec::new();
        if let Some(r) = pool.relevance.get(&pmid) {
            score += 3.0 * r;
        }
        let CandidateFacts {
            title,
            year,
            deleted,
            retracted,
            tags,
        } = facts;
        if explain {
            let record_words: BTreeSet<String> = normalize(&title)
                .text
                .split(' ')
                .map(str::to_string)
                .collect();
            let matched: Vec<&str> = words
                .iter()
                .filter(|w| record_words.contains(*w))
                .map(String::as_str)
                .collect();
            if !matched.is_empty() {
                reasons.push(format!("title matches: {}", matched.join(", ")));
            } else if pool.relevance.contains_key(&pmid) {
                reasons.push("abstract, keywords or MeSH match the claim's words".into());
            }
        }
        let shared: Vec<String> = self
            .claim_tags
            .iter()
            .filter(|(d, t)| tags.iter().any(|(rd, rt, _)| rd == d && rt == t))
            .map(|(d, t)| format!("{d}/{t}"))
            .collect();
        if !shared.is_empty() {
            score += shared.len() as f64;
            reasons.push(format!("shared tags: {}", shared.join(", ")));
        }
        for (name, pmids) in journals {
            if pmids.binary_search(&pmid).is_ok() {
                score += 2.5;
                reasons.push(format!("journal named in the claim: {name}"));
            }
        }
        if let Some(y) = year
            && years.contains(&y)
        {
            score += 1.5;
            reasons.push(format!("year named in the claim: {y}"));
        }
        let size: Vec<String> = if explain {
            crate::store::facts::record_facts(store, pmid)?
                .iter()
                .filter(|f| {
                    use crate::abstracts::FactKind::*;
                    matches!(f.kind, Participants | Studies | FollowUp | Sessions)
                })
                .map(|f| f.describe())
                .collect()
        } else {
            Vec::new()
        };
        let size = if size.is_empty() {
            String::new()
        } else {
            format!(", {}", size.join(", "))
        };
        let mut size_cited = false;
        let design = tags
            .iter()
            .filter(|(d, _, _)| d == "design")
            .max_by_key(|(_, _, l)| l.unwrap_or(-1));
        if let Some((_, design_tag, level)) = design {
            let answers = |named: &str| {
                named == design_tag
                    || (named == "systematic-review" && design_tag == "meta-analysis")
            };
            if let Some(named) = self.named_designs.iter().find(|n| answers(n)) {
                score += 2.0;
                reasons.push(format!("design named in the claim: {named}"));
            }
            if let Some(l) = level {
                score += *l as f64 / 7.0;
                reasons.push(format!("design: {design_tag} (level {l}){size}"));
                size_cited = true;
            }
        }
        if !size_cited && !size.is_empty() {
            reasons.push(format!("study: {}", size.trim_start_matches(", ")));
        }
        if deleted {
            score -= 1.0;
            reasons.push("WARNING: deleted from PubMed".into());
        }
        if retracted {
            score -= 1.0;
            reasons.push("WARNING: retracted".into());
        }
        Ok((score, reasons))
    }
}

/// Ranks the candidates `gathered` for the claim `text` (see [`suggest`]): each is scored, and
/// the best `limit` are explained, cited and given the stance their findings suggest.
pub fn rank(
    store: &Store,
    matcher: &Matcher,
    gathered: &Gathered,
    text: &str,
    claim_tags: &[(String, String)],
    limit: usize,
    style: CitationStyle,
) -> Result<Vec<Candidate>, StoreError> {
    let scoring = Scoring::new(store, matcher, gathered, text, claim_tags)?;
    let mut candidates: BTreeSet<u64> = gathered.pool.relevance.keys().copied().collect();
    for (_, pmids) in &gathered.journals {
        candidates.extend(pmids.iter().copied());
    }
    // Candidates are read best bound first, until no later one can be among the best (a
    // million-record catalogue's journal alone can name thousands).
    let bounded = candidates
        .into_iter()
        .map(|pmid| (pmid, scoring.bound(pmid)));
    let scored = best_by_bound(bounded, limit, |pmid| {
        Ok::<_, StoreError>(
            scoring
                .assess(store, pmid, candidate_facts(store, pmid)?, false)?
                .0,
        )
    })?;
    // What is shown of each is read here, then its citation and stance (the patterns that read
    // findings compile on first use) are made on every core.
    let mut shown = Vec::new();
    for (pmid, score) in scored {
        let facts = candidate_facts(store, pmid)?;
        let tags = facts.tags.clone();
        let (_, reasons) = scoring.assess(store, pmid, facts, true)?;
        shown.push((pmid, score, reasons, load_article(store, pmid)?, tags));
    }
    let made = on_every_core(&shown, |(_, _, _, stored, tags)| {
        let citation = stored
            .as_ref()
            .map(|s| reference(&s.article, style))
            .unwrap_or_default();
        let record = stored
            .as_ref()
            .filter(|s| s.has_data)
            .map(|s| TagInput::from_article(&s.article));
        let stance = stance_of(matcher, text, claim_tags, record.as_ref(), tags);
        (citation, stance)
    });
    let mut out = Vec::new();
    for ((pmid, score, reasons, _, _), (citation, suggestion)) in shown.into_iter().zip(made) {
        out.push(Candidate {
            pmid,
            score: (score * 1000.0).round() / 1000.0,
            reasons,
            citation,
            stance: suggestion.stance,
            stance_reason: suggestion.reason,
            stance_notes: suggestion.notes,
        });
    }
    Ok(out)
}

/// The best `limit` of `candidates` (PMID, bound) by their `score`, those above 0 only, highest
/// first and then by PMID: what sorting every candidate by score would keep. Each `bound` must
/// be at least the candidate's score; candidates are scored best bound first, and once no
/// bound left can reach the `limit`-th best score, the rest are not scored.
fn best_by_bound<E>(
    candidates: impl Iterator<Item = (u64, f64)>,
    limit: usize,
    mut score: impl FnMut(u64) -> Result<f64, E>,
) -> Result<Vec<(u64, f64)>, E> {
    let order = |a: &(u64, f64), b: &(u64, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let mut candidates: Vec<(u64, f64)> = candidates.collect();
    candidates.sort_by(order);
    let mut best: Vec<(u64, f64)> = Vec::with_capacity(limit + 1);
    for (pmid, bound) in candidates {
        if limit == 0 {
            break;
        }
        // (A bound a rounding error below the `limit`-th score is still scored.)
        if best.len() == limit && bound < best[limit - 1].1 - 1e-9 {
            break;
        }
        let scored = (pmid, score(pmid)?);
        if scored.1 <= 0.0 {
            continue;
        }
        let at = best.partition_point(|b| order(b, &scored).is_lt());
        best.insert(at, scored);
        best.truncate(limit);
    }
    Ok(best)
}

/// `f` of each item, in order, the items shared among as many threads as the machine has cores
/// (at most one per item).
fn on_every_core<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, AtomicOrdering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for other in others {
            done.extend(
                other
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            );
        }
        done
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The abstract read to compile the patterns before the first candidate is read gives the
    /// findings of each outcome it names and the authors' conclusion (what reading them takes is
    /// what is compiled).
    #[test]
    fn the_preparing_abstract_is_read_for_each_outcome_and_the_conclusion() {
        let findings = preparing_findings();
        let outcomes: BTreeSet<Option<&str>> = findings
            .findings
            .iter()
            .map(|f| f.outcome.as_deref())
            .collect();
        for outcome in ["pain", "function-disability", "adverse-events"] {
            assert!(outcomes.contains(&Some(outcome)), "{outcome}: {outcomes:?}");
        }
        assert!(findings.direction.is_some(), "{findings:?}");
        prepare_to_rank(CitationStyle::default());
    }

    #[test]
    fn the_best_by_bound_are_the_best_of_every_candidate_scored() {
        let mut seed: u64 = 11;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut skipped = 0;
        for round in 0..300 {
            let n = 1 + next(200);
            // Scores on a coarse grid, so that many tie, some at or below 0; bounds at or above.
            let candidates: Vec<(u64, f64, f64)> = (0..n)
                .map(|i| {
                    let score = next(40) as f64 / 4.0 - 2.0;
                    let slack = if next(3) == 0 {
                        0.0
                    } else {
                        next(20) as f64 / 4.0
                    };
                    (1000 + i * 7 % 997, score, score + slack)
                })
                .collect();
            let limit = [0, 1, 3, 10, 300][round % 5];
            let mut every: Vec<(u64, f64)> = candidates
                .iter()
                .filter(|c| c.1 > 0.0)
                .map(|c| (c.0, c.1))
                .collect();
            every.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            every.truncate(limit);
            let mut scored = 0;
            let best = best_by_bound(
                candidates.iter().map(|c| (c.0, c.2)),
                limit,
                |pmid| -> Result<f64, ()> {
                    scored += 1;
                    Ok(candidates.iter().find(|c| c.0 == pmid).unwrap().1)
                },
            )
            .unwrap();
            assert_eq!(best, every, "round {round}");
            skipped += candidates.len() - scored;
        }
        assert!(
            skipped > 1000,
            "only {skipped} candidates were left unscored"
        );
    }

    #[test]
    fn no_candidate_scores_above_its_bound() {
        use crate::tagging::Taxonomy;
        let (_dir, store) = crate::store::import::tagged_catalogue_of(&[
            include_str!("../../fixtures/ozone-back-pain.xml"),
            include_str!("../../fixtures/full-elements.xml"),
        ]);
        let matcher = Matcher::new(Taxonomy::builtin());
        let mut candidates_seen = 0;
        let mut reasons_seen: BTreeSet<String> = BTreeSet::new();
        for text in [
            "A 2007 randomized trial published in Pain Physician found that ozone therapy reduced pain in patients with herniated discs",
            "A systematic review in Spine showed intradiscal oxygen-ozone injections relieve low back pain and sciatica",
            "Ozone is no better than steroid injection for lumbar disc herniation, a 2005 study in Radiology found",
        ] {
            let claim_tags: Vec<(String, String)> = matcher
                .tag(&TagInput {
                    title: text,
                    ..TagInput::default()
                })
                .into_iter()
                .filter(|t| t.dimension != "design")
                .map(|t| (t.dimension, t.tag))
                .collect();
            assert!(!claim_tags.is_empty(), "{text}");
            let gathered = gather(&store, text).unwrap();
            let scoring = Scoring::new(&store, &matcher, &gathered, text, &claim_tags).unwrap();
            let mut candidates: BTreeSet<u64> = gathered.pool.relevance.keys().copied().collect();
            for (_, pmids) in &gathered.journals {
                candidates.extend(pmids.iter().copied());
            }
            for pmid in candidates {
                let facts = candidate_facts(&store, pmid).unwrap();
                let (score, reasons) = scoring.assess(&store, pmid, facts, true).unwrap();
                let bound = scoring.bound(pmid);
                assert!(
                    score <= bound + 1e-9,
                    "{text}: {pmid} scores {score} > {bound}"
                );
                candidates_seen += 1;
                reasons_seen.extend(
                    reasons
                        .iter()
                        .map(|r| r.split(':').next().unwrap().to_string()),
                );
            }
        }
        // (Every part of a score was met by some candidate.)
        for part in [
            "shared tags",
            "journal named in the claim",
            "year named in the claim",
            "design named in the claim",
            "design",
        ] {
            assert!(
                reasons_seen.contains(part),
                "no candidate had {part:?}: {reasons_seen:?}"
            );
        }
        assert!(candidates_seen > 20, "{candidates_seen} candidates");
    }

    #[test]
    fn content_words_drop_stopwords() {
        let w = content_words(
            "A study published in Pain Physician found that ozone therapy significantly reduced pain",
        );
        assert_eq!(w, ["pain", "physician", "ozone", "therapy", "reduced"]);
        assert_eq!(years_named("a 2012 review (published 1998)"), [2012, 1998]);
    }
}
