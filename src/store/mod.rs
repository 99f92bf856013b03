//! The catalogue store: one SQLite database (WAL, foreign keys on) whose schema lives in
//! `migrations/` and is brought up to date every time the database opens.
//!
//! - [`Store::open`] opens or creates the database and applies migrations.
//! - [`articles`] writes a record to the normalised tables and reads it back.
//! - [`import`] applies PubMed items with the catalogue's import semantics (identity, revisions,
//!   tombstones, one transaction per file).
//! - [`search`] turns user queries into safe FTS5 queries and runs them with filters.
//! - [`stats`] counts what the catalogue holds.

pub mod articles;
pub mod import;
pub mod saved;
pub mod search;
pub mod stats;
pub mod tags;

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be migrated.
    #[error("cannot migrate the database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The database file could not be created.
    #[error("{path}: cannot create the database directory: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The database was written by a newer evcat.
    #[error(
        "{path}: the database has schema version {found}, newer than this evcat knows ({known}); upgrade evcat"
    )]
    TooNew {
        /// The database.
        path: PathBuf,
        /// Its schema version.
        found: usize,
        /// The newest this build knows.
        known: usize,
    },
    /// A stored record could not be decoded.
    #[error("stored record PMID {pmid} is damaged: {reason}")]
    Damaged {
        /// The record.
        pmid: u64,
        /// What is wrong.
        reason: String,
    },
}

/// The schema migrations, in order. Append-only: never edit or reorder an entry.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_catalogue.sql"),
    include_str!("../../migrations/0002_saved_searches_and_runs.sql"),
    include_str!("../../migrations/0003_tags.sql"),
    include_str!("../../migrations/0004_claims.sql"),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// An open catalogue.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the catalogue at `path` and applies pending migrations.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path)?;
        Self::prepare(conn, path.to_path_buf())
    }

    /// An in-memory catalogue, for tests.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::prepare(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    fn prepare(mut conn: Connection, path: PathBuf) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Importing writes ~25 distinct statements per record: keep them all compiled.
        conn.set_prepared_statement_cache_capacity(128);
        // 64 MB page cache: a file's transaction writes many pages before it commits.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let found: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path,
                found,
                known: MIGRATIONS.len(),
            });
        }
        migrations().to_latest(&mut conn)?;
        Ok(Store { conn, path })
    }

    /// The database path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the query modules.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection, mutably (transactions).
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The schema version (number of migrations applied).
    pub fn schema_version(&self) -> Result<usize, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}

/// The current time as RFC 3339 UTC, second precision: how every timestamp is stored.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn migrate_twice_is_a_no_op() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        let v1 = Store::open(&path).unwrap().schema_version().unwrap();
        let v2 = Store::open(&path).unwrap().schema_version().unwrap();
        assert_eq!(v1, MIGRATIONS.len());
        assert_eq!(v1, v2);
    }
}

#[cfg(test)]
mod roundtrip_tests {
    //! The normalised tables are lossless: every fixture record read back from the store equals
    //! the record the reader parsed. With `EVCAT_SAMPLES=DIR` the same check runs over every
    //! PubMed XML file below DIR (e.g. the shared real-sample corpus).
    use super::*;
    use crate::pubmed::{PubmedItem, PubmedReader, input::open_input};
    use std::path::{Path, PathBuf};

    fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "broken") {
                    xml_files(&path, out);
                }
            } else if path.to_string_lossy().ends_with(".xml")
                || path.to_string_lossy().ends_with(".xml.gz")
            {
                out.push(path);
            }
        }
    }

    fn check_file(path: &Path) -> usize {
        let mut store = Store::open_in_memory().unwrap();
        let mut parsed = Vec::new();
        let mut reader = PubmedReader::new(open_input(path).unwrap().reader);
        loop {
            match reader.next_item() {
                Ok(Some(PubmedItem::Article(a))) => parsed.push(a),
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) if e.to_string().contains("not a PubMed XML document") => return 0,
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
        import::import_stream(
            &mut store,
            open_input(path).unwrap().reader,
            "test",
            None,
            &mut |_| {},
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The last record of each PMID in the file is the one stored when versions only rise;
        // compare each PMID with its last parsed occurrence.
        let mut last = std::collections::BTreeMap::new();
        for a in parsed {
            last.insert(a.pmid, a);
        }
        for (pmid, mut expected) in last {
            let stored = articles::load_article(store.conn(), pmid).unwrap().unwrap();
            expected.raw_xml.clear();
            assert_eq!(
                stored.article,
                *expected,
                "{}: PMID {pmid} differs after the round trip",
                path.display()
            );
            let raw = articles::raw_xml(store.conn(), pmid).unwrap().unwrap();
            // The stored original XML re-reads to the same record.
            match PubmedReader::new(&raw[..]).next_item().unwrap() {
                Some(PubmedItem::Article(mut again)) => {
                    again.raw_xml.clear();
                    assert_eq!(
                        *again,
                        *expected,
                        "{}: PMID {pmid} stored XML re-reads differently",
                        path.display()
                    );
                }
                other => panic!(
                    "{}: PMID {pmid} stored XML re-reads as {other:?}",
                    path.display()
                ),
            }
        }
        1
    }

    #[test]
    fn fixtures_round_trip_through_the_store() {
        let mut files = Vec::new();
        xml_files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
            &mut files,
        );
        assert!(files.len() >= 10, "fixtures missing: {files:?}");
        for f in &files {
            check_file(f);
        }
    }

    #[test]
    fn samples_round_trip_through_the_store() {
        let Ok(dir) = std::env::var("EVCAT_SAMPLES") else {
            return;
        };
        let mut files = Vec::new();
        xml_files(Path::new(&dir), &mut files);
        let checked: usize = files.iter().map(|f| check_file(f)).sum();
        eprintln!(
            "checked {checked} PubMed files of {} XML files under {dir}",
            files.len()
        );
        assert!(checked > 0);
    }
}
