//! Refusing to write to a damaged catalogue, cheaply.
//!
//! `PRAGMA quick_check` reads every page: about a second per 300 MB. A command that writes runs
//! it unless the file is exactly as an evcat writer left it (size, modification time and WAL
//! size, recorded in `<catalogue>.checked` when the writer closed the catalogue) and the last
//! real check is less than a day old. Anything else that touches the file (another program, a
//! restore, a copy) changes that state and brings the check back.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::Connection;

use super::StoreError;

/// How long a real check is trusted while only evcat writes to the file.
const TRUST_FOR: Duration = Duration::from_secs(24 * 3600);

fn stamp_path(database: &Path) -> PathBuf {
    super::sidecar_path(database, ".checked")
}

/// The file's state: its size and modification time, and the WAL's size.
fn state(database: &Path) -> Option<String> {
    let meta = std::fs::metadata(database).ok()?;
    let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    let mut wal = database.as_os_str().to_owned();
    wal.push("-wal");
    let wal_len = std::fs::metadata(PathBuf::from(wal)).map_or(0, |m| m.len());
    Some(format!("{} {} {}", meta.len(), mtime.as_nanos(), wal_len))
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// When the catalogue was last really checked, if the file is as an evcat writer left it since
/// and that check is recent: then it need not be checked again.
pub fn trusted_since(database: &Path) -> Option<u64> {
    let recorded = std::fs::read_to_string(stamp_path(database)).ok()?;
    let mut lines = recorded.lines();
    let (state_line, at) = (lines.next()?, lines.next()?.parse::<u64>().ok()?);
    let age = now_secs().checked_sub(at)?;
    (age < TRUST_FOR.as_secs() && state(database).as_deref() == Some(state_line)).then_some(at)
}

/// Records the state an evcat writer leaves the file in, and when it was last really checked
/// (best effort: without the record the next writer simply checks).
pub fn record_clean(database: &Path, checked_at: u64) {
    if let Some(now) = state(database) {
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
}
