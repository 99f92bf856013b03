//! Fetching from PubMed into the catalogue: turning a search into the list of its PMIDs (split
//! by PMID ranges past PubMed's 9,999-id cap, as NCBI's EDirect does), fetching them in batches
//! through the importer, and refreshing saved searches incrementally.
//!
//! - [`collect_ids`] ([`collect`]): esearch, recursively split by `AND lo:hi[uid]` until every
//!   part fits, then a check that the ids collected equal the count PubMed reported.
//! - [`fetch_search`] / [`fetch_pmids`]: efetch in batches (history server for a single part,
//!   POSTed id lists otherwise), each response body streamed into the catalogue by the
//!   [`Importer`] ([`import`]) in one transaction per batch; a batch that still fails after its
//!   retries stops the run, keeps every stored batch and reports what is missing as a
//!   [`FetchFailure`] ([`error`]).
//! - [`refresh`]: saved searches, watermarks and the refresh lock ([`lock`]).
//! - [`run_log`]: the run-log row of a fetch or refresh, written the same way for both.
//!
//! The E-utilities client ([`crate::pubmed::eutils`]) only speaks HTTP; everything that turns
//! its responses into catalogue records lives here.

pub mod collect;
pub mod error;
pub mod import;
pub mod lock;
pub mod refresh;
pub mod run_log;

use std::collections::BTreeSet;

use serde::Serialize;

pub use collect::{CollectedIds, MAX_PMID, SearchPart, collect_ids, collect_most_recent};
pub use error::{FetchError, FetchFailure, StoppedBatches};
pub use import::Importer;

use crate::pubmed::Pmid;
use crate::pubmed::eutils::{ESEARCH_CAP, EutilsClient, FetchTarget, SearchQuery};
use crate::store::import::ImportCounts;

/// Options of a fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Records per efetch request.
    pub batch_size: usize,
    /// Fetch at most this many records: a search's most recent by publication date (up to
    /// 9,999; above that, the highest PMIDs, i.e. the most recently added).
    pub max_records: Option<usize>,
}

/// What a fetch did.
#[derive(Debug, Default, Serialize)]
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
    pub error: Option<FetchFailure>,
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
    importer: &mut Importer<'_>,
    query: &SearchQuery,
    opts: &FetchOptions,
    source: &str,
    on_progress: &mut dyn FnMut(FetchProgress),
) -> FetchReport {
    let started = std::time::Instant::now();
    let (requests0, retries0) = (client.requests(), client.retries());
    let mut report = FetchReport::default();
    // `--max N` within esearch's reach: search sorted newest first, listing only N ids.
    let limited = opts
        .max_records
        .map(|m| m as u64)
        .filter(|&m| m <= ESEARCH_CAP);
    let query = &SearchQuery {
        newest_first: query.newest_first || limited.is_some(),
        ..query.clone()
    };
    let collected = match limited {
        Some(max) => collect_most_recent(client, query, max),
        None => collect_ids(client, query),
    };
    match collected {
        Ok(collected) => {
            fetch_collected(
                client,
                importer,
                query,
                collected,
                opts,
                source,
                on_progress,
                &mut report,
            );
        }
        Err(e) => report.error = Some(FetchError::from(e).into()),
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
    importer: &mut Importer<'_>,
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
    // All the ids, or (with `--max`) as many as asked for or PubMed has.
    let listed = ids.len() as u64;
    report.count_verified = listed == collected.count
        || opts
            .max_records
            .is_some_and(|m| listed == (m as u64).min(collected.count));
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
    // The history serves a part whole (or its first ids, as listed): only when nothing was
    // left out by `--max` after the search.
    let single_part = collected.parts.len() == 1 && selected.len() as u64 == listed;
    let result = if single_part && collected.parts[0].webenv.is_some() {
        let mut part = collected.parts.into_iter().next().expect("one part");
        fetch_history(client, importer, query, &mut part, opts, source, &mut |c| {
            received.extend(c.pmids.iter().copied());
            report.add_batch(c);
            done += c.records;
            on_progress(FetchProgress {
                records: done,
                total,
            });
        })
    } else {
        fetch_id_batches(client, importer, &selected, opts, source, &mut |c| {
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
        Err((failed_at, error)) => {
            // Ids at or after the failed batch were not fetched; ids before it that did not
            // arrive are missing.
            let (before, after) = selected.split_at(failed_at.min(selected.len()));
            report.missing = before
                .iter()
                .copied()
                .filter(|id| !received.contains(id))
                .collect();
            report.not_fetched = after.len() as u64;
            report.error = Some(FetchFailure {
                error,
                stopped: Some(StoppedBatches {
                    batches_kept: report.batches,
                    not_fetched: report.not_fetched,
                }),
            });
        }
    }
}

/// Fetches the given PMIDs in batches (POSTed id lists).
pub fn fetch_pmids(
    client: &EutilsClient,
    importer: &mut Importer<'_>,
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
        importer,
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

/// A batch that failed: the index of its first id, and why.
type BatchFailure = (usize, FetchError);

fn fetch_id_batches(
    client: &EutilsClient,
    importer: &mut Importer<'_>,
    ids: &[Pmid],
    opts: &FetchOptions,
    source: &str,
    on_batch: &mut dyn FnMut(&ImportCounts),
) -> Result<(), BatchFailure> {
    for (i, batch) in ids.chunks(opts.batch_size.max(1)).enumerate() {
        let counts = client
            .efetch(FetchTarget::Ids(batch), |body| {
                importer.import_body(body, source)
            })
            .map_err(|e| (i * opts.batch_size, FetchError::from(e)))?;
        on_batch(&counts);
    }
    Ok(())
}

/// Fetches a single-part search from the history server. An expired WebEnv re-runs the search
/// (bounded, so a server that keeps forgetting cannot loop forever).
#[allow(clippy::too_many_arguments)]
fn fetch_history(
    client: &EutilsClient,
    importer: &mut Importer<'_>,
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
        let fetched = client
            .efetch(target, |body| importer.import_body(body, source))
            .map_err(FetchError::from);
        match fetched {
            Ok(counts) => {
                on_batch(&counts);
                retstart += retmax;
            }
            Err(FetchError::HistoryExpired(_)) if research < 3 => {
                research += 1;
                let again = SearchQuery {
                    term: part.term.clone(),
                    ..query.clone()
                };
                let mut fresh = client
                    .esearch(&again, total as u64)
                    .map_err(|e| (retstart, e.into()))?;
                fresh.ids.truncate(total);
                part.webenv = fresh.webenv;
                part.query_key = fresh.query_key;
                if fresh.ids != part.ids {
                    // The result changed under us: fetch the remaining ids by list instead.
                    let remaining: Vec<Pmid> = fresh.ids.iter().skip(retstart).copied().collect();
                    return fetch_id_batches(client, importer, &remaining, opts, source, on_batch)
                        .map_err(|(at, e)| (retstart + at, e));
                }
            }
            Err(e) => return Err((retstart, e)),
        }
    }
    Ok(())
}
