//! Turning a search into the list of its PMIDs: esearch, split by PMID ranges past PubMed's
//! 9,999-id cap (as NCBI's EDirect does), until every part lists all its ids
//! ([`collect_ids`]); or only its most recent ids, for `fetch --max` ([`collect_most_recent`]).

use std::collections::BTreeSet;

use crate::pubmed::Pmid;
use crate::pubmed::eutils::{ESEARCH_CAP, EsearchResult, EutilsClient, EutilsError, SearchQuery};

/// Largest PMID range searched when a search must be split (far above today's ~41 million).
pub const MAX_PMID: u64 = 999_999_999;

/// A part of a search small enough for esearch to list all its ids.
#[derive(Debug, Clone)]
pub struct SearchPart {
    /// The esearch term of this part.
    pub term: String,
    /// History server environment.
    pub webenv: Option<String>,
    /// History query key.
    pub query_key: Option<String>,
    /// All ids of this part, in PubMed's order.
    pub ids: Vec<Pmid>,
}

/// The ids of a search.
#[derive(Debug, Clone)]
pub struct CollectedIds {
    /// Count PubMed reported for the whole search.
    pub count: u64,
    /// The parts (one unless the search was split).
    pub parts: Vec<SearchPart>,
    /// esearch requests made.
    pub searches: u64,
    /// Notes from PubMed (phrases not found, warnings).
    pub notes: Vec<String>,
}

impl CollectedIds {
    /// Distinct ids over all parts, in part order.
    pub fn ids(&self) -> Vec<Pmid> {
        let mut seen = BTreeSet::new();
        self.parts
            .iter()
            .flat_map(|p| p.ids.iter().copied())
            .filter(|id| seen.insert(*id))
            .collect()
    }
}

/// Collects every id of a search, splitting it by PMID range while a part exceeds 9,999 ids
/// (the way NCBI's EDirect does); the caller checks the ids against the count.
pub fn collect_ids(
    client: &EutilsClient,
    query: &SearchQuery,
) -> Result<CollectedIds, EutilsError> {
    let first = client.esearch(query, ESEARCH_CAP)?;
    let mut collected = CollectedIds {
        count: first.count,
        parts: Vec::new(),
        searches: 1,
        notes: first.notes.clone(),
    };
    if first.count <= ESEARCH_CAP {
        collected.parts.push(part(query.term.clone(), first));
        return Ok(collected);
    }
    // Peel the result by PMID range. A search of [lo, hi] lists its first 9,999 ids (PubMed's
    // most-recent order, roughly the highest PMIDs); the smallest of them, m, splits the range
    // into [m, hi], which should now fit, and [lo, m - 1], which holds the rest and is peeled the
    // same way. A range that still does not fit is split evenly. Every part is searched, so its
    // count and ids come from PubMed, not from assumptions about the order.
    let mut work: Vec<(u64, u64, EsearchResult)> = vec![(1, MAX_PMID, first)];
    while let Some((lo, hi, known)) = work.pop() {
        let ranges = match known.ids.iter().min().copied() {
            Some(m) if m > lo && m <= hi => vec![(m, hi), (lo, m - 1)],
            _ => split_range(lo, hi, known.count, top_id(&known)),
        };
        for (a, b) in ranges {
            let term = format!("({}) AND {a}:{b}[uid]", query.term);
            let sub = SearchQuery {
                term: term.clone(),
                ..query.clone()
            };
            let result = client.esearch(&sub, ESEARCH_CAP)?;
            collected.searches += 1;
            if result.count == 0 {
                continue;
            }
            if result.count <= ESEARCH_CAP || a == b {
                collected.parts.push(part(term, result));
            } else {
                work.push((a, b, result));
            }
        }
    }
    collected
        .parts
        .sort_by_key(|p| std::cmp::Reverse(p.ids.iter().max().copied().unwrap_or(0)));
    Ok(collected)
}

/// The `max` (at most [`ESEARCH_CAP`]) most recent ids of a search: one esearch sorted by
/// publication date, newest first (`query.newest_first` is set), listing only those ids; its
/// history holds the whole result in that order, so fetching its first `max` records fetches
/// exactly these. The count is PubMed's count of the whole search.
pub fn collect_most_recent(
    client: &EutilsClient,
    query: &SearchQuery,
    max: u64,
) -> Result<CollectedIds, EutilsError> {
    let sorted = SearchQuery {
        newest_first: true,
        ..query.clone()
    };
    let mut result = client.esearch(&sorted, max)?;
    result
        .ids
        .truncate(usize::try_from(max).unwrap_or(usize::MAX));
    Ok(CollectedIds {
        count: result.count,
        notes: result.notes.clone(),
        parts: vec![part(sorted.term, result)],
        searches: 1,
    })
}

fn part(term: String, r: EsearchResult) -> SearchPart {
    SearchPart {
        term,
        webenv: r.webenv,
        query_key: r.query_key,
        ids: r.ids,
    }
}

fn top_id(r: &EsearchResult) -> Option<Pmid> {
    r.ids.iter().max().copied()
}

/// Splits `[lo, hi]` into ranges expected to hold about 8,000 of `count` ids each. The ids seen
/// (`top`, the largest) bound where the bulk lies: everything above it gets one range of its own.
fn split_range(lo: u64, hi: u64, count: u64, top: Option<Pmid>) -> Vec<(u64, u64)> {
    let mut ranges = Vec::new();
    let (dense_hi, tail) = match top {
        Some(t) if t >= lo && t < hi => (t, Some((t + 1, hi))),
        _ => (hi, None),
    };
    let pieces = count.div_ceil(8_000).clamp(2, 64);
    let width = (dense_hi - lo + 1).div_ceil(pieces).max(1);
    let mut start = lo;
    while start <= dense_hi {
        let end = (start + width - 1).min(dense_hi);
        ranges.push((start, end));
        start = end + 1;
    }
    if let Some(t) = tail {
        ranges.push(t);
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_everything_once() {
        let ranges = split_range(1, MAX_PMID, 25_000, Some(40_000_000));
        assert_eq!(ranges.first().unwrap().0, 1);
        assert_eq!(ranges.last().unwrap().1, MAX_PMID);
        for w in ranges.windows(2) {
            assert_eq!(w[0].1 + 1, w[1].0);
        }
        assert!(ranges.len() >= 4);
        let ranges = split_range(5, 6, 20_000, None);
        assert_eq!(ranges, [(5, 5), (6, 6)]);
    }
}
