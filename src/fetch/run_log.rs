//! The run log's record of a fetch: one mapping from a [`FetchReport`] to its run-log row, used
//! by one-off fetches and by refreshes alike.

use super::FetchReport;
use crate::store::saved::{Run, RunOutcome, finish_run};
use crate::store::{Store, StoreError};

/// The finished run-log row of run `run_id` that did what `report` says: the outcome (failed
/// when it stopped, partial when PubMed returned no record for some ids, else success), the
/// counts, and the failure's message. Ids neither returned nor fetched count as missing.
pub fn finished_run(run_id: i64, report: &FetchReport) -> Run {
    Run {
        id: run_id,
        outcome: if report.error.is_some() {
            RunOutcome::Failed
        } else if !report.missing.is_empty() {
            RunOutcome::Partial
        } else {
            RunOutcome::Success
        },
        found: report.found,
        fetched: report.fetched,
        inserted: report.inserted,
        updated: report.updated,
        unchanged: report.unchanged,
        missing: report.missing.len() as u64 + report.not_fetched,
        requests: report.requests,
        retries: report.retries,
        error: report.error.as_ref().map(ToString::to_string),
        ..Run::default()
    }
}

/// Records in the run log that run `run_id` finished as `report` says; returns the row written.
pub fn record_finished_run(
    store: &Store,
    run_id: i64,
    report: &FetchReport,
) -> Result<Run, StoreError> {
    let run = finished_run(run_id, report);
    finish_run(store, &run)?;
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::{FetchError, FetchFailure, StoppedBatches};
    use crate::pubmed::eutils::EutilsError;

    #[test]
    fn a_completed_fetch_is_a_success_with_its_counts() {
        let report = FetchReport {
            found: 8,
            fetched: 8,
            inserted: 5,
            updated: 2,
            unchanged: 1,
            requests: 4,
            retries: 1,
            ..FetchReport::default()
        };
        let run = finished_run(42, &report);
        assert_eq!(run.id, 42);
        assert_eq!(run.outcome, RunOutcome::Success);
        assert_eq!((run.found, run.fetched, run.missing), (8, 8, 0));
    }

    #[test]
    fn a_completed_fetch_missing_ids_is_partial_with_its_counts() {
        let report = FetchReport {
            found: 10,
            fetched: 8,
            inserted: 5,
            updated: 2,
            unchanged: 1,
            missing: vec![7, 9],
            requests: 4,
            retries: 1,
            ..FetchReport::default()
        };
        let run = finished_run(42, &report);
        assert_eq!(run.id, 42);
        assert_eq!(run.outcome, RunOutcome::Partial);
        assert_eq!(
            (
                run.found,
                run.fetched,
                run.inserted,
                run.updated,
                run.unchanged
            ),
            (10, 8, 5, 2, 1)
        );
        assert_eq!((run.missing, run.requests, run.retries), (2, 4, 1));
        assert_eq!(run.error, None);
    }

    #[test]
    fn a_stopped_fetch_is_failed_with_its_message_and_unfetched_ids_missing() {
        let report = FetchReport {
            missing: vec![3],
            not_fetched: 6,
            error: Some(FetchFailure {
                error: FetchError::from(EutilsError::Refused {
                    what: "efetch".into(),
                    message: "HTTP 400".into(),
                }),
                stopped: Some(StoppedBatches {
                    batches_kept: 1,
                    not_fetched: 6,
                }),
            }),
            ..FetchReport::default()
        };
        let run = finished_run(1, &report);
        assert_eq!(run.outcome, RunOutcome::Failed);
        assert_eq!(run.missing, 7);
        assert_eq!(
            run.error.as_deref(),
            Some(
                "efetch: HTTP 400. 1 batch(es) stored are kept; 6 record(s) not fetched: run again to finish"
            )
        );
    }
}
