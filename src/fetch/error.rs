//! Why a fetch stopped: [`FetchError`] says what failed (NCBI or the catalogue), and
//! [`FetchFailure`] adds how far the run had got. Both print exactly the messages the run log,
//! the JSON summary and standard error have always shown.

use serde::Serialize;

use crate::pubmed::eutils::{EfetchError, EutilsError, RetryCause};
use crate::store::import::ImportError;

/// What stopped a fetch.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The search history (WebEnv) expired, and re-running the search did not renew it.
    #[error(transparent)]
    HistoryExpired(EutilsError),
    /// NCBI refused a request in a way retrying cannot fix (an invalid key, a bad query).
    #[error(transparent)]
    Refused(EutilsError),
    /// NCBI kept answering HTTP 429 until the retries ran out.
    #[error(transparent)]
    RateLimitExhausted(EutilsError),
    /// The network kept failing (timeouts, refused or reset connections, bodies that broke
    /// off) until the retries ran out.
    #[error(transparent)]
    Transport(EutilsError),
    /// NCBI kept failing otherwise (HTTP 5xx, malformed answers, `<ERROR>` bodies) until the
    /// retries ran out.
    #[error(transparent)]
    GaveUp(EutilsError),
    /// The catalogue refused to store a batch (the batch's transaction was rolled back).
    #[error("storing the fetched records failed: {0}")]
    Store(ImportError),
}

impl From<EutilsError> for FetchError {
    fn from(e: EutilsError) -> FetchError {
        match &e {
            EutilsError::WebEnvExpired { .. } => FetchError::HistoryExpired(e),
            EutilsError::Refused { .. } => FetchError::Refused(e),
            EutilsError::GaveUp { cause, .. } => match cause {
                RetryCause::RateLimited => FetchError::RateLimitExhausted(e),
                RetryCause::Transport => FetchError::Transport(e),
                RetryCause::ServerError | RetryCause::BadResponse => FetchError::GaveUp(e),
            },
        }
    }
}

impl From<EfetchError<ImportError>> for FetchError {
    fn from(e: EfetchError<ImportError>) -> FetchError {
        match e {
            EfetchError::Eutils(e) => e.into(),
            EfetchError::Sink(e) => FetchError::Store(e),
        }
    }
}

/// A fetch that stopped: the error, and what the run had stored by then when it stopped
/// during the batches (`None` when it stopped while collecting ids).
#[derive(Debug, thiserror::Error)]
#[error("{error}{}", .stopped.map(|s| s.to_string()).unwrap_or_default())]
pub struct FetchFailure {
    /// What failed.
    pub error: FetchError,
    /// How far the batches had got.
    pub stopped: Option<StoppedBatches>,
}

/// How far the batches of a stopped fetch had got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoppedBatches {
    /// Batches stored (and kept).
    pub batches_kept: u64,
    /// Records not fetched.
    pub not_fetched: u64,
}

impl std::fmt::Display for StoppedBatches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            ". {} batch(es) stored are kept; {} record(s) not fetched: run again to finish",
            self.batches_kept, self.not_fetched
        )
    }
}

impl From<FetchError> for FetchFailure {
    fn from(error: FetchError) -> FetchFailure {
        FetchFailure {
            error,
            stopped: None,
        }
    }
}

/// In JSON a failure is its message, as it always was.
impl Serialize for FetchFailure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gave_up(cause: RetryCause) -> EutilsError {
        EutilsError::GaveUp {
            what: "efetch".into(),
            attempts: 3,
            last: "HTTP 429".into(),
            cause,
        }
    }

    #[test]
    fn client_errors_map_to_their_kind_and_keep_their_message() {
        let e = FetchError::from(gave_up(RetryCause::RateLimited));
        assert!(matches!(e, FetchError::RateLimitExhausted(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "efetch: gave up after 3 attempts; last error: HTTP 429"
        );
        assert!(matches!(
            FetchError::from(gave_up(RetryCause::Transport)),
            FetchError::Transport(_)
        ));
        assert!(matches!(
            FetchError::from(gave_up(RetryCause::ServerError)),
            FetchError::GaveUp(_)
        ));
        let expired = FetchError::from(EutilsError::WebEnvExpired {
            what: "efetch".into(),
            message: "gone".into(),
        });
        assert!(matches!(expired, FetchError::HistoryExpired(_)));
        assert_eq!(
            expired.to_string(),
            "efetch: the search history (WebEnv) expired: gone"
        );
    }

    #[test]
    fn a_stopped_run_says_what_was_kept() {
        let failure = FetchFailure {
            error: gave_up(RetryCause::ServerError).into(),
            stopped: Some(StoppedBatches {
                batches_kept: 2,
                not_fetched: 7,
            }),
        };
        let expected = "efetch: gave up after 3 attempts; last error: HTTP 429. 2 batch(es) stored are kept; 7 record(s) not fetched: run again to finish";
        assert_eq!(failure.to_string(), expected);
        assert_eq!(
            serde_json::to_value(&failure).unwrap(),
            serde_json::json!(expected)
        );
        let early = FetchFailure::from(FetchError::from(gave_up(RetryCause::ServerError)));
        assert_eq!(
            early.to_string(),
            "efetch: gave up after 3 attempts; last error: HTTP 429"
        );
    }
}
