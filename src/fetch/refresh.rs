//! `refresh`: bring saved searches up to date.
//!
//! A saved search's first refresh fetches everything it matches. Later refreshes fetch what
//! entered PubMed (entry date, `edat`) or was revised (modification date, `mdat`) since the
//! watermark minus an overlap of [`OVERLAP_DAYS`] days. The watermark is the UTC date the last
//! *successful* run started, and moves only when a run completes: a run killed at any point is
//! redone by the next from the same watermark, and the importer's PMID identity makes the
//! repeated records no-ops, so there are no gaps and no duplicates.

use std::collections::BTreeSet;

use serde::Serialize;

use super::run_log::record_finished_run;
use super::{
    CollectedIds, FetchError, FetchOptions, FetchProgress, FetchReport, Importer, collect_ids,
    fetch_collected,
};
use crate::pubmed::eutils::{EutilsClient, EutilsError, SearchQuery};
use crate::store::StoreError;
use crate::store::saved::{RunOutcome, SavedSearch, set_watermark, start_run};

/// Days of overlap before the watermark.
pub const OVERLAP_DAYS: i64 = 3;

/// What refreshing one saved search did.
#[derive(Debug, Serialize)]
pub struct RefreshReport {
    /// The saved search.
    pub search: String,
    /// Run id in the run log.
    pub run_id: i64,
    /// Success, partial (some listed ids not returned) or failed.
    pub outcome: RunOutcome,
    /// First date searched (None: everything).
    pub mindate: Option<String>,
    /// The watermark after the run.
    pub watermark: Option<String>,
    /// The fetch.
    #[serde(flatten)]
    pub fetch: FetchReport,
}

fn today_utc() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn ncbi_date(d: time::Date) -> String {
    format!("{:04}/{:02}/{:02}", d.year(), u8::from(d.month()), d.day())
}

fn iso_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn parse_iso_date(s: &str) -> Option<time::Date> {
    let mut parts = s.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

/// The first date a refresh searches: the watermark (an ISO date) minus [`OVERLAP_DAYS`];
/// `None` (everything) before the first successful run, or when the stored watermark is not a
/// date.
fn mindate_after(watermark: Option<&str>) -> Option<time::Date> {
    watermark
        .and_then(parse_iso_date)
        .map(|w| w - time::Duration::days(OVERLAP_DAYS))
}

/// Refreshes one saved search, recording the run. Never returns early on a fetch failure: the
/// failure is in the report and the run log, and the watermark stays where it was.
pub fn refresh_search(
    client: &EutilsClient,
    importer: &mut Importer<'_>,
    saved: &SavedSearch,
    opts: &FetchOptions,
    on_progress: &mut dyn FnMut(FetchProgress),
) -> Result<RefreshReport, StoreError> {
    let started = std::time::Instant::now();
    let start_date = today_utc();
    let mindate = mindate_after(saved.watermark.as_deref());
    let mindate_text = mindate.map(ncbi_date);
    let maxdate_text = mindate.map(|_| "3000".to_string());
    let run_id = start_run(
        importer.store,
        "refresh",
        Some(&saved.name),
        &saved.query,
        mindate_text.as_deref(),
        maxdate_text.as_deref(),
    )?;
    let (requests0, retries0) = (client.requests(), client.retries());
    let source = format!("refresh:{}", saved.name);
    let mut report = FetchReport::default();
    let collected = match &mindate_text {
        None => collect_ids(
            client,
            &SearchQuery {
                term: saved.query.clone(),
                ..SearchQuery::default()
            },
        ),
        Some(min) => collect_changed(client, &saved.query, min),
    };
    match collected {
        Ok(collected) => {
            let query = SearchQuery {
                term: saved.query.clone(),
                ..SearchQuery::default()
            };
            fetch_collected(
                client,
                importer,
                &query,
                collected,
                opts,
                &source,
                on_progress,
                &mut report,
            );
        }
        Err(e) => report.error = Some(FetchError::from(e).into()),
    }
    report.requests = client.requests() - requests0;
    report.retries = client.retries() - retries0;
    report.seconds = started.elapsed().as_secs_f64();
    let run = record_finished_run(importer.store, run_id, &report)?;
    let mut watermark = saved.watermark.clone();
    // Ids PubMed listed but did not return (withdrawn) will not come back by asking again:
    // a partial run moves the watermark like a successful one.
    if matches!(run.outcome, RunOutcome::Success | RunOutcome::Partial) {
        let w = iso_date(start_date);
        set_watermark(importer.store, &saved.name, &w, run_id)?;
        watermark = Some(w);
    }
    Ok(RefreshReport {
        search: saved.name.clone(),
        run_id,
        outcome: run.outcome,
        mindate: mindate_text,
        watermark,
        fetch: report,
    })
}

/// Ids that entered PubMed or were revised since `mindate`: two searches (edat, mdat), merged.
fn collect_changed(
    client: &EutilsClient,
    term: &str,
    mindate: &str,
) -> Result<CollectedIds, EutilsError> {
    let mut merged: Option<CollectedIds> = None;
    let mut shortfall = 0u64;
    for datetype in ["edat", "mdat"] {
        let q = SearchQuery {
            term: term.to_string(),
            mindate: Some(mindate.to_string()),
            maxdate: Some("3000".into()),
            datetype: Some(datetype.into()),
            newest_first: false,
        };
        let c = collect_ids(client, &q)?;
        // Each search's ids are checked against its own count; a shortfall survives the merge.
        shortfall += c.count.saturating_sub(c.ids().len() as u64);
        merged = Some(match merged {
            None => c,
            Some(mut m) => {
                m.searches += c.searches;
                m.notes.extend(c.notes);
                m.parts.extend(c.parts);
                m
            }
        });
    }
    let mut merged = merged.expect("two searches ran");
    let distinct: BTreeSet<u64> = merged
        .parts
        .iter()
        .flat_map(|p| p.ids.iter().copied())
        .collect();
    merged.count = distinct.len() as u64 + shortfall;
    // Two searches cannot share one history slice: fetch by id lists.
    for p in &mut merged.parts {
        p.webenv = None;
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> time::Date {
        time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
    }

    #[test]
    fn the_first_run_has_no_watermark_and_searches_everything() {
        assert_eq!(mindate_after(None), None);
    }

    #[test]
    fn later_runs_start_overlap_days_before_the_watermark_across_months_and_years() {
        assert_eq!(mindate_after(Some("2024-05-20")), Some(date(2024, 5, 17)));
        assert_eq!(mindate_after(Some("2024-03-02")), Some(date(2024, 2, 28)));
        assert_eq!(mindate_after(Some("2025-01-01")), Some(date(2024, 12, 29)));
        assert_eq!(OVERLAP_DAYS, 3);
    }

    #[test]
    fn a_watermark_that_is_not_a_date_counts_as_none() {
        for bad in ["", "2024-13-01", "2024-02-30", "2024/05/20", "yesterday"] {
            assert_eq!(mindate_after(Some(bad)), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_are_written_for_ncbi_and_for_the_watermark_and_read_back() {
        let d = date(2024, 3, 7);
        assert_eq!(ncbi_date(d), "2024/03/07");
        assert_eq!(iso_date(d), "2024-03-07");
        assert_eq!(parse_iso_date(&iso_date(d)), Some(d));
        assert_eq!(iso_date(date(987, 1, 2)), "0987-01-02");
    }
}
