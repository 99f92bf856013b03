//! Refusing to write to a damaged catalogue, cheaply.
//!
//! `PRAGMA quick_check` reads every page: about a second per 300 MB. A command that writes runs
//! it unless the file is exactly as an evcat writer left it (size, modification time and WAL
//! size, recorded in `<catalogue>.checked` when the writer closed the catalogue) and, for a
//! catalogue of up to [`DAILY_CHECK_MOST_BYTES`], the last real check is less than a day old.
//! Anything else that touches the file (another program, a restore, a copy) changes that state
//! and brings the check back, at any size. A larger catalogue is not read whole once a day on
//! the way to a write: at a million records (4 GB) that was 11 s added to the first write of the
//! day (a claim linked from the browser, a daily update file), at all of PubMed (150 GB) some
//! seven minutes; `evcat backup` checks every page of its copy instead.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::Connection;

use super::StoreError;

/// How long a real check is trusted while only evcat writes to the file (up to
/// [`DAILY_CHECK_MOST_BYTES`]).
const TRUST_FOR: Duration = Duration::from_secs(24 * 3600);

/// The largest catalogue read whole again once a day while only evcat writes to it: some three
/// seconds of `quick_check`. Beyond it a check is trusted while the file stays as evcat left it.
const DAILY_CHECK_MOST_BYTES: u64 = 1 << 30;

fn stamp_path(database: &Path) -> PathBuf {
    super::sidecar_path(database, ".checked")
}

/// The file's state (its size and modification time, and the WAL's size), and its size.
fn state(database: &Path) -> Option<(String, u64)> {
    let meta = std::fs::metadata(database).ok()?;
    let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    let mut wal = database.as_os_str().to_owned();
    wal.push("-wal");
    let wal_len = std::fs::metadata(PathBuf::from(wal)).map_or(0, |m| m.len());
    let state = format!("{} {} {}", meta.len(), mtime.as_nanos(), wal_len);
    Some((state, meta.len()))
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// When the catalogue was last really checked, if the file is as an evcat writer left it since
/// and that check is recent (or the catalogue too large to read whole once a day): then it need
/// not be checked again.
pub fn trusted_since(database: &Path) -> Option<u64> {
    let recorded = std::fs::read_to_string(stamp_path(database)).ok()?;
    let mut lines = recorded.lines();
    let (state_line, at) = (lines.next()?, lines.next()?.parse::<u64>().ok()?);
    let age = now_secs().checked_sub(at)?;
    let (now, size) = state(database)?;
    let recent = age < TRUST_FOR.as_secs() || size > DAILY_CHECK_MOST_BYTES;
    (recent && now == state_line).then_some(at)
}

/// Records the state an evcat writer leaves the file in, and when it was last really checked
/// (best effort: without the record the next writer simply checks).
pub fn record_clean(database: &Path, checked_at: u64) {
    if let Some((now, _)) = state(database) {
        let _ = std::fs::write(stamp_path(database), format!("{now}\n{checked_at}\n"));
    }
}

/// `PRAGMA quick_check`: refuses a damaged catalogue. Returns when it ran.
pub fn check(conn: &Connection, path: &Path) -> Result<u64, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    let result: Result<String, rusqlite::Error> =
        conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0));
    match result {
        Ok(s) if s == "ok" => Ok(now_secs()),
        Ok(s) => Err(corrupt(s.lines().collect::<Vec<_>>().join("; "))),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            Err(corrupt(e.to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_outside_evcat_is_checked_again() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.sqlite");
        std::fs::write(&db, b"first").unwrap();
        assert_eq!(trusted_since(&db), None, "never checked");
        record_clean(&db, now_secs());
        assert!(trusted_since(&db).is_some(), "as evcat left it");
        std::fs::write(&db, b"second, longer").unwrap();
        assert_eq!(trusted_since(&db), None, "changed since");
        // A check more than a day old is not trusted even on an untouched file.
        record_clean(&db, now_secs() - TRUST_FOR.as_secs() - 1);
        assert_eq!(trusted_since(&db), None, "stale check");
    }

    #[test]
    fn a_large_file_is_not_read_whole_again_each_day_but_is_when_changed_outside_evcat() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.sqlite");
        let file = std::fs::File::create(&db).unwrap();
        // (Sparse: only the size is looked at.)
        file.set_len(DAILY_CHECK_MOST_BYTES + 1).unwrap();
        let week_ago = now_secs() - 7 * TRUST_FOR.as_secs();
        record_clean(&db, week_ago);
        assert_eq!(
            trusted_since(&db),
            Some(week_ago),
            "untouched since its check"
        );
        file.set_len(DAILY_CHECK_MOST_BYTES + 2).unwrap();
        assert_eq!(trusted_since(&db), None, "changed since");
        // At the limit the daily check holds.
        file.set_len(DAILY_CHECK_MOST_BYTES).unwrap();
        record_clean(&db, week_ago);
        assert_eq!(trusted_since(&db), None, "a day old at its size");
        record_clean(&db, now_secs());
        assert!(trusted_since(&db).is_some());
    }
}
