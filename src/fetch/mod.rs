//! Fetching from PubMed into the catalogue: turning a search into the list of its PMIDs (split
//! by PMID ranges past PubMed's 9,999-id cap, as NCBI's EDirect does), fetching them in batches
//! through the importer, and refreshing saved searches incrementally.
//!
//! - [`collect_ids`]: esearch, recursively split by `AND lo:hi[uid]` until every part fits,
//!   then a check that the ids collected equal the count PubMed reported.
//! - [`fetch_search`] / [`fetch_pmids`]: efetch in batches (history server for a single part,
//!   POSTed id lists otherwise), one transaction per batch; a batch that still fails after its
//!   retries stops the run, keeps every stored batch and reports what is missing.
//! - [`refresh`]: saved searches, watermarks, the run log and the refresh lock.

pub mod lock;
pub mod refresh;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::pubmed::Pmid;
use crate::pubmed::eutils::{
    ESEARCH_CAP, EsearchResult, EutilsClient, EutilsError, FetchTarget, SearchQuery,
};
use crate::store::Store;
use crate::store::import::ImportCounts;

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

/// Options of a fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Records per efetch request.
    pub batch_size: usize,
    /// Fetch at most this many records (the most recent ids first).
    pub max_records: Option<usize>,
}

/// What a fetch did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FetchReport {
    /// Count PubMed reported.
    pub found: u64,
    /// Distinct ids collected by the searches.
    pub ids_collected: u64,
    /// Whether the ids collected equal the count reported.
    pub count_verified: bool,
    /// Ids selected for fetching (after `--max`).
    pub requested: u64,
    /// Records received.
    pub fetched: u64,
    /// New records.
    pub inserted: u64,
    /// Records replaced by newer versions.
    pub updated: u64,
    /// Records already current.
    pub unchanged: u64,
    /// Ids requested but not returned by efetch (unknown or withdrawn).
    pub missing: Vec<Pmid>,
    /// Ids not fetched because the run stopped.
    pub not_fetched: u64,
    /// Batches stored.
    pub batches: u64,
    /// esearch requests.
    pub searches: u64,
    /// HTTP requests in all (every attempt).
    pub requests: u64,
    /// Retries.
    pub retries: u64,
    /// Seconds.
    pub seconds: f64,
    /// Notes from PubMed and about the count check.
    pub notes: Vec<String>,
    /// Why the run stopped early.
    pub error: Option<String>,
}

impl FetchReport {
    fn add_batch(&mut self, c: &ImportCounts) {
        self.fetched += c.records;
        self.inserted += c.inserted;
        self.updated += c.updated;
        self.unchanged += c.unchanged;
        self.batches += 1;
    }
}

/// Progress of a fetch, for progress bars.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchProgress {
    /// Records stored so far.
    pub records: u64,
    /// Records to fetch.
    pub total: u64,
}

/// Fetches every record of a search.
pub fn fetch_search(
    client: &EutilsClient,
    store: &mut Store,
    query: &SearchQuery,
    opts: &FetchOptions,
    source: &str,
    on_progress: &mut dyn FnMut(FetchProgress),
) -> FetchReport {
    let started = std::time::Instant::now();
    let (requests0, retries0) = (client.requests(), client.retries());
    let mut report = FetchReport::default();
    match collect_ids(client, query) {
        Ok(collected) => {
            fetch_collected(
                client,
                store,
                query,
                collected,
                opts,
                source,
                on_progress,
                &mut report,
            );
        }
        Err(e) => report.error = Some(e.to_string()),
    }
    report.requests = client.requests() - requests0;
    report.retries = client.retries() - retries0;
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// Fetches records of already collected ids (used by `fetch` and by `refresh`).
#[allow(clippy::too_many_arguments)]
pub fn fetch_collected(
    client: &EutilsClient,
    store: &mut Store,
    query: &SearchQuery,
    collected: CollectedIds,
    opts: &FetchOptions,
    source: &str,
    on_progress: &mut dyn FnMut(FetchProgress),
    report: &mut FetchReport,
) {
    report.found = collected.count;
    report.searches += collected.searches;
    report.notes.extend(collected.notes.iter().cloned());
    let ids = collected.ids();
    report.ids_collected = ids.len() as u64;
    report.count_verified = ids.len() as u64 == collected.count;
    if !report.count_verified {
        report.notes.push(format!(
            "PubMed reported {} records but the searches listed {} distinct ids",
            collected.count,
            ids.len()
        ));
    }
    let selected: Vec<Pmid> = match opts.max_records {
        Some(max) if max < ids.len() => {
            let mut sorted = ids.clone();
            sorted.sort_unstable_by(|a, b| b.cmp(a));
            sorted.truncate(max);
            sorted
        }
        _ => ids,
    };
    report.requested = selected.len() as u64;
    let total = selected.len() as u64;
    let mut received: BTreeSet<Pmid> = BTreeSet::new();
    let mut done = 0u64;
    let single_part =
        collected.parts.len() == 1 && opts.max_records.is_none_or(|m| m >= selected.len());
    let result = if single_part && collected.parts[0].webenv.is_some() {
        let mut part = collected.parts.into_iter().next().expect("one part");
        fetch_history(client, store, query, &mut part, opts, source, &mut |c| {
            received.extend(c.pmids.iter().copied());
            report.add_batch(c);
            done += c.records;
            on_progress(FetchProgress {
                records: done,
                total,
            });
        })
    } else {
        fetch_id_batches(client, store, &selected, opts, source, &mut |c| {
            received.extend(c.pmids.iter().copied());
            report.add_batch(c);
            done += c.records;
            on_progress(FetchProgress {
                records: done,
                total,
            });
        })
    };
    let missing: Vec<Pmid> = selected
        .iter()
        .copied()
        .filter(|id| !received.contains(id))
        .collect();
    match result {
        Ok(()) => report.missing = missing,
        Err((failed_at, e)) => {
            // Ids at or after the failed batch were not fetched; ids before it that did not
            // arrive are missing.
            let (before, after) = selected.split_at(failed_at.min(selected.len()));
            report.missing = before
                .iter()
                .copied()
                .filter(|id| !received.contains(id))
                .collect();
            report.not_fetched = after.len() as u64;
            report.error = Some(format!(
                "{e}. {} batch(es) stored are kept; {} record(s) not fetched: run again to finish",
                report.batches, report.not_fetched
            ));
        }
    }
}

/// Fetches the given PMIDs in batches (POSTed id lists).
pub fn fetch_pmids(
    client: &EutilsClient,
    store: &mut Store,
    ids: &[Pmid],
    opts: &FetchOptions,
    source: &str,
    on_progress: &mut dyn FnMut(FetchProgress),
) -> FetchReport {
    let started = std::time::Instant::now();
    let (requests0, retries0) = (client.requests(), client.retries());
    let collected = CollectedIds {
        count: ids.len() as u64,
        parts: vec![SearchPart {
            term: String::new(),
            webenv: None,
            query_key: None,
            ids: ids.to_vec(),
        }],
        searches: 0,
        notes: Vec::new(),
    };
    let mut report = FetchReport::default();
    fetch_collected(
        client,
        store,
        &SearchQuery::default(),
        collected,
        opts,
        source,
        on_progress,
        &mut report,
    );
    report.requests = client.requests() - requests0;
    report.retries = client.retries() - retries0;
    report.seconds = started.elapsed().as_secs_f64();
    report
}

type BatchFailure = (usize, EutilsError);

fn fetch_id_batches(
    client: &EutilsClient,
    store: &mut Store,
    ids: &[Pmid],
    opts: &FetchOptions,
    source: &str,
    on_batch: &mut dyn FnMut(&ImportCounts),
) -> Result<(), BatchFailure> {
    for (i, batch) in ids.chunks(opts.batch_size.max(1)).enumerate() {
        let counts = client
            .efetch_into(store, FetchTarget::Ids(batch), source, &mut |_| {})
            .map_err(|e| (i * opts.batch_size, e))?;
        on_batch(&counts);
    }
    Ok(())
}

/// Fetches a single-part search from the history server. An expired WebEnv re-runs the search
/// (bounded, so a server that keeps forgetting cannot loop forever).
#[allow(clippy::too_many_arguments)]
fn fetch_history(
    client: &EutilsClient,
    store: &mut Store,
    query: &SearchQuery,
    part: &mut SearchPart,
    opts: &FetchOptions,
    source: &str,
    on_batch: &mut dyn FnMut(&ImportCounts),
) -> Result<(), BatchFailure> {
    let total = part.ids.len();
    let batch = opts.batch_size.max(1);
    let mut retstart = 0usize;
    let mut research = 0u32;
    while retstart < total {
        let retmax = batch.min(total - retstart);
        let webenv = part.webenv.clone().unwrap_or_default();
        let query_key = part.query_key.clone().unwrap_or_default();
        let target = FetchTarget::History {
            webenv: &webenv,
            query_key: &query_key,
            retstart,
            retmax,
        };
        match client.efetch_into(store, target, source, &mut |_| {}) {
            Ok(counts) => {
                on_batch(&counts);
                retstart += retmax;
            }
            Err(EutilsError::WebEnvExpired { .. }) if research < 3 => {
                research += 1;
                let again = SearchQuery {
                    term: part.term.clone(),
                    ..query.clone()
                };
                let fresh = client
                    .esearch(&again, ESEARCH_CAP)
                    .map_err(|e| (retstart, e))?;
                part.webenv = fresh.webenv;
                part.query_key = fresh.query_key;
                if fresh.ids != part.ids {
                    // The result changed under us: fetch the remaining ids by list instead.
                    let remaining: Vec<Pmid> = fresh.ids.iter().skip(retstart).copied().collect();
                    return fetch_id_batches(client, store, &remaining, opts, source, on_batch)
                        .map_err(|(at, e)| (retstart + at, e));
                }
            }
            Err(e) => return Err((retstart, e)),
        }
    }
    Ok(())
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
