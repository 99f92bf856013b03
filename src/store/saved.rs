//! Saved searches and the run log (`saved_searches`, `runs`), with each run's [`RunOutcome`].

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, now_rfc3339};

/// A saved PubMed search.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SavedSearch {
    /// Its name.
    pub name: String,
    /// The PubMed query.
    pub query: String,
    /// When it was saved.
    pub created_at: String,
    /// UTC date the last successful refresh started; `None` before the first.
    pub watermark: Option<String>,
    /// When the last successful refresh finished.
    pub last_success_at: Option<String>,
}

/// Why a saved-search change was refused.
#[derive(Debug, thiserror::Error)]
pub enum SavedError {
    /// Bad name.
    #[error(
        "invalid search name {0:?}: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
    )]
    InvalidName(String),
    /// Empty query.
    #[error("the query is empty")]
    EmptyQuery,
    /// Name taken.
    #[error("a saved search named {0:?} already exists (remove it first, or pick another name)")]
    Duplicate(String),
    /// No such search.
    #[error("no saved search named {0:?} (see `evcat saved list`)")]
    Unknown(String),
    /// Database failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SavedError {
    fn from(e: rusqlite::Error) -> Self {
        SavedError::Store(e.into())
    }
}

/// Checks a saved-search name.
pub fn validate_name(name: &str) -> Result<(), SavedError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(SavedError::InvalidName(name.to_string()))
    }
}

/// Saves a search.
pub fn add_saved(store: &Store, name: &str, query: &str) -> Result<SavedSearch, SavedError> {
    validate_name(name)?;
    if query.trim().is_empty() {
        return Err(SavedError::EmptyQuery);
    }
    if get_saved(store, name)?.is_some() {
        return Err(SavedError::Duplicate(name.to_string()));
    }
    let now = now_rfc3339();
    store.conn().execute(
        "INSERT INTO saved_searches (name, query, created_at) VALUES (?1, ?2, ?3)",
        params![name, query.trim(), now],
    )?;
    Ok(get_saved(store, name)?.expect("just inserted"))
}

/// Removes a saved search (its runs stay in the log).
pub fn remove_saved(store: &Store, name: &str) -> Result<(), SavedError> {
    let n = store
        .conn()
        .execute("DELETE FROM saved_searches WHERE name = ?1", [name])?;
    if n == 0 {
        Err(SavedError::Unknown(name.to_string()))
    } else {
        Ok(())
    }
}

/// One saved search.
pub fn get_saved(store: &Store, name: &str) -> Result<Option<SavedSearch>, SavedError> {
    Ok(store
        .conn()
        .query_row(
            "SELECT name, query, created_at, watermark, last_success_at FROM saved_searches WHERE name = ?1",
            [name],
            row_to_saved,
        )
        .optional()?)
}

fn row_to_saved(r: &rusqlite::Row<'_>) -> rusqlite::Result<SavedSearch> {
    Ok(SavedSearch {
        name: r.get(0)?,
        query: r.get(1)?,
        created_at: r.get(2)?,
        watermark: r.get(3)?,
        last_success_at: r.get(4)?,
    })
}

/// All saved searches, by name.
pub fn list_saved(store: &Store) -> Result<Vec<SavedSearch>, SavedError> {
    let mut stmt = store
        .conn()
        .prepare("SELECT name, query, created_at, watermark, last_success_at FROM saved_searches ORDER BY name")?;
    let rows = stmt
        .query_map([], row_to_saved)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Moves a search's watermark after a successful run.
pub fn set_watermark(
    store: &Store,
    name: &str,
    watermark: &str,
    run_id: i64,
) -> Result<(), StoreError> {
    store.conn().execute(
        "UPDATE saved_searches SET watermark = ?2, last_success_at = ?3, last_run_id = ?4 WHERE name = ?1",
        params![name, watermark, now_rfc3339(), run_id],
    )?;
    Ok(())
}

/// How a run ended (or that it has not). Stored in `runs.outcome` and serialised as the same
/// kebab-case word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunOutcome {
    /// Started and not finished (yet, or ever: see [`RunOutcome::Interrupted`]).
    #[default]
    Running,
    /// Completed.
    Success,
    /// Completed, but PubMed returned no record for some of the ids asked for (unknown or
    /// withdrawn PMIDs: the run's `missing`).
    Partial,
    /// Stopped on a failure (what went wrong is in the run's `error`).
    Failed,
    /// Left running by a process that was killed; marked by the next fetch or refresh.
    Interrupted,
}

impl RunOutcome {
    /// Every outcome.
    pub const ALL: [RunOutcome; 5] = [
        RunOutcome::Running,
        RunOutcome::Success,
        RunOutcome::Partial,
        RunOutcome::Failed,
        RunOutcome::Interrupted,
    ];

    /// The word stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            RunOutcome::Running => "running",
            RunOutcome::Success => "success",
            RunOutcome::Partial => "partial",
            RunOutcome::Failed => "failed",
            RunOutcome::Interrupted => "interrupted",
        }
    }
}

impl std::fmt::Display for RunOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// A stored outcome this evcat does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown run outcome {0:?} in the run log")]
pub struct UnknownRunOutcome(pub String);

impl std::str::FromStr for RunOutcome {
    type Err = UnknownRunOutcome;
    fn from_str(s: &str) -> Result<RunOutcome, UnknownRunOutcome> {
        RunOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| UnknownRunOutcome(s.to_string()))
    }
}

impl ToSql for RunOutcome {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for RunOutcome {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<RunOutcome> {
        value
            .as_str()?
            .parse()
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// A recorded run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Run {
    /// Run id.
    pub id: i64,
    /// 'fetch' or 'refresh'.
    pub kind: String,
    /// Saved search name.
    pub search: Option<String>,
    /// The query.
    pub query: String,
    /// mindate used.
    pub mindate: Option<String>,
    /// maxdate used.
    pub maxdate: Option<String>,
    /// Start.
    pub started_at: String,
    /// End.
    pub finished_at: Option<String>,
    /// How it ended.
    pub outcome: RunOutcome,
    /// Count PubMed reported.
    pub found: u64,
    /// Records received.
    pub fetched: u64,
    /// New records.
    pub inserted: u64,
    /// Replaced records.
    pub updated: u64,
    /// Records already current.
    pub unchanged: u64,
    /// Ids found but not received.
    pub missing: u64,
    /// HTTP requests.
    pub requests: u64,
    /// Retries.
    pub retries: u64,
    /// What went wrong.
    pub error: Option<String>,
}

/// Records the start of a run; returns its id.
pub fn start_run(
    store: &Store,
    kind: &str,
    search: Option<&str>,
    query: &str,
    mindate: Option<&str>,
    maxdate: Option<&str>,
) -> Result<i64, StoreError> {
    store.conn().execute(
        "INSERT INTO runs (kind, search, query, mindate, maxdate, started_at, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![kind, search, query, mindate, maxdate, now_rfc3339(), RunOutcome::Running],
    )?;
    Ok(store.conn().last_insert_rowid())
}

/// Records the end of a run.
pub fn finish_run(store: &Store, run: &Run) -> Result<(), StoreError> {
    store.conn().execute(
        "UPDATE runs SET finished_at = ?2, outcome = ?3, found = ?4, fetched = ?5, inserted = ?6, updated = ?7,
            unchanged = ?8, missing = ?9, requests = ?10, retries = ?11, error = ?12 WHERE id = ?1",
        params![
            run.id,
            now_rfc3339(),
            run.outcome,
            run.found,
            run.fetched,
            run.inserted,
            run.updated,
            run.unchanged,
            run.missing,
            run.requests,
            run.retries,
            run.error
        ],
    )?;
    Ok(())
}

/// Marks runs left 'running' by a killed process as 'interrupted'. Call with the refresh lock
/// held, so no live run can be affected.
pub fn mark_interrupted_runs(store: &Store) -> Result<usize, StoreError> {
    Ok(store.conn().execute(
        "UPDATE runs SET outcome = ?1, error = 'the process stopped before the run finished'
         WHERE outcome = ?2",
        params![RunOutcome::Interrupted, RunOutcome::Running],
    )?)
}

/// Runs, newest first, optionally of one saved search.
pub fn list_runs(
    store: &Store,
    search: Option<&str>,
    limit: usize,
) -> Result<Vec<Run>, StoreError> {
    let mut stmt = store.conn().prepare(
        "SELECT id, kind, search, query, mindate, maxdate, started_at, finished_at, outcome, found, fetched,
            inserted, updated, unchanged, missing, requests, retries, error
         FROM runs WHERE (?1 IS NULL OR search = ?1) ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![search, limit as i64], |r| {
            Ok(Run {
                id: r.get(0)?,
                kind: r.get(1)?,
                search: r.get(2)?,
                query: r.get(3)?,
                mindate: r.get(4)?,
                maxdate: r.get(5)?,
                started_at: r.get(6)?,
                finished_at: r.get(7)?,
                outcome: r.get(8)?,
                found: r.get::<_, i64>(9)? as u64,
                fetched: r.get::<_, i64>(10)? as u64,
                inserted: r.get::<_, i64>(11)? as u64,
                updated: r.get::<_, i64>(12)? as u64,
                unchanged: r.get::<_, i64>(13)? as u64,
                missing: r.get::<_, i64>(14)? as u64,
                requests: r.get::<_, i64>(15)? as u64,
                retries: r.get::<_, i64>(16)? as u64,
                error: r.get(17)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_validated_and_unique() {
        let store = Store::open_in_memory().unwrap();
        assert!(matches!(
            add_saved(&store, "bad name", "x"),
            Err(SavedError::InvalidName(_))
        ));
        assert!(matches!(
            add_saved(&store, "-x", "x"),
            Err(SavedError::InvalidName(_))
        ));
        assert!(matches!(
            add_saved(&store, "ok", " "),
            Err(SavedError::EmptyQuery)
        ));
        add_saved(&store, "ozone-back", "ozone AND back pain").unwrap();
        assert!(matches!(
            add_saved(&store, "ozone-back", "y"),
            Err(SavedError::Duplicate(_))
        ));
        assert_eq!(list_saved(&store).unwrap().len(), 1);
        remove_saved(&store, "ozone-back").unwrap();
        assert!(matches!(
            remove_saved(&store, "ozone-back"),
            Err(SavedError::Unknown(_))
        ));
    }

    #[test]
    fn outcomes_are_stored_and_serialised_as_their_words() {
        for outcome in RunOutcome::ALL {
            assert_eq!(outcome.as_str().parse::<RunOutcome>().unwrap(), outcome);
            assert_eq!(
                serde_json::to_value(outcome).unwrap(),
                serde_json::json!(outcome.as_str())
            );
        }
        assert_eq!(format!("[{:<9}]", RunOutcome::Failed), "[failed   ]");
    }

    #[test]
    fn a_run_moves_from_running_to_its_outcome_and_a_left_run_is_interrupted() {
        let store = Store::open_in_memory().unwrap();
        let left = start_run(&store, "fetch", None, "q", None, None).unwrap();
        let done = start_run(&store, "refresh", Some("s"), "q", None, None).unwrap();
        assert_eq!(
            list_runs(&store, None, 10).unwrap()[0].outcome,
            RunOutcome::Running
        );
        finish_run(
            &store,
            &Run {
                id: done,
                outcome: RunOutcome::Success,
                ..Run::default()
            },
        )
        .unwrap();
        assert_eq!(mark_interrupted_runs(&store).unwrap(), 1);
        let runs = list_runs(&store, None, 10).unwrap();
        let outcome_of = |id| runs.iter().find(|r| r.id == id).unwrap().outcome;
        assert_eq!(outcome_of(done), RunOutcome::Success);
        assert_eq!(outcome_of(left), RunOutcome::Interrupted);
        let stored: String = store
            .conn()
            .query_row("SELECT outcome FROM runs WHERE id = ?1", [left], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(stored, "interrupted");
    }

    #[test]
    fn an_unknown_stored_outcome_is_an_error_naming_it() {
        let store = Store::open_in_memory().unwrap();
        let id = start_run(&store, "fetch", None, "q", None, None).unwrap();
        store
            .conn()
            .execute("UPDATE runs SET outcome = 'paused' WHERE id = ?1", [id])
            .unwrap();
        let err = list_runs(&store, None, 10).unwrap_err();
        assert!(
            err.to_string().contains("unknown run outcome \"paused\""),
            "{err}"
        );
    }
}
