//! Counting what the catalogue holds, for `evcat stats`, and where its content came from, for
//! a report's provenance.

use serde::Serialize;

use super::{Store, StoreError};

/// A summary of the catalogue.
#[derive(Debug, Serialize)]
pub struct CatalogueStats {
    /// Records with data that are not deleted.
    pub records: u64,
    /// Tombstones (PubMed deleted them).
    pub tombstones: u64,
    /// Earlier revisions kept.
    pub revisions: u64,
    /// Records by publication year (`None`: no year).
    pub by_year: Vec<(Option<i64>, u64)>,
    /// Records by publication type, most frequent first.
    pub by_publication_type: Vec<(String, u64)>,
    /// Database file size in bytes (main file plus WAL).
    pub database_bytes: u64,
    /// Schema version.
    pub schema_version: usize,
    /// Imports logged.
    pub imports: u64,
    /// When the last import finished.
    pub last_import: Option<String>,
}

/// True when the catalogue holds at least one record (a tombstone counts): one row looked at,
/// whatever the catalogue's size.
pub fn has_records(store: &Store) -> Result<bool, StoreError> {
    Ok(store
        .conn()
        .query_row("SELECT EXISTS (SELECT 1 FROM articles)", [], |r| r.get(0))?)
}

/// Records, tombstones, records by year and by publication type.
type RecordCounts = (u64, u64, Vec<(Option<i64>, u64)>, Vec<(String, u64)>);

/// [`RecordCounts`] counted from the records themselves (what the kept counts of
/// [`super::counts`] must equal; read when too many changes are not counted yet).
pub(super) fn count_records(store: &Store) -> Result<RecordCounts, StoreError> {
    let conn = store.conn();
    let count = |sql: &str| -> Result<u64, StoreError> {
        Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
    };
    // (Counted in the `articles_search` index, which holds each record's year and deletion: the
    // rows themselves carry the compressed XML, and `deleted` lies past it.)
    let records =
        count("SELECT count(*) FROM articles INDEXED BY articles_search WHERE deleted = 0")?;
    let tombstones =
        count("SELECT count(*) FROM articles INDEXED BY articles_search WHERE deleted = 1")?;
    let by_year = conn
        .prepare(
            "SELECT year, count(*) FROM articles INDEXED BY articles_search WHERE deleted = 0 GROUP BY year ORDER BY year",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
        .collect::<Result<_, _>>()?;
    let by_publication_type = conn
        .prepare(
            "SELECT p.name, count(DISTINCT p.pmid) FROM articles a INDEXED BY articles_search JOIN publication_types p ON p.pmid = a.pmid
             WHERE a.deleted = 0 GROUP BY p.name ORDER BY 2 DESC, 1",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
        .collect::<Result<_, _>>()?;
    Ok((records, tombstones, by_year, by_publication_type))
}

/// Computes [`CatalogueStats`].
pub fn catalogue_stats(store: &Store) -> Result<CatalogueStats, StoreError> {
    let conn = store.conn();
    let count = |sql: &str| -> Result<u64, StoreError> {
        Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
    };
    let (records, tombstones, by_year, by_publication_type) =
        match super::counts::catalogue_counts(store)? {
            Some(c) => (c.records, c.tombstones, c.by_year, c.by_publication_type),
            None => count_records(store)?,
        };
    let revisions = count("SELECT count(*) FROM revisions")?;
    let imports = count("SELECT count(*) FROM imports")?;
    let last_import = conn.query_row("SELECT max(finished_at) FROM imports", [], |r| r.get(0))?;
    let path = store.path();
    let mut database_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    database_bytes += std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    Ok(CatalogueStats {
        records,
        tombstones,
        revisions,
        by_year,
        by_publication_type,
        database_bytes,
        schema_version: store.schema_version()?,
        imports,
        last_import,
    })
}

/// Where the catalogue's content came from.
#[derive(Debug, Clone)]
pub struct CatalogueHistory {
    /// Saved searches as (name, query, watermark, last success), by name.
    pub saved_searches: Vec<(String, String, Option<String>, Option<String>)>,
    /// When the last successful refresh finished.
    pub last_refresh: Option<String>,
    /// When the last import or fetch batch finished.
    pub last_import: Option<String>,
    /// Records with data that are not deleted.
    pub records: u64,
}

/// Reads [`CatalogueHistory`].
pub fn catalogue_history(store: &Store) -> Result<CatalogueHistory, StoreError> {
    let conn = store.conn();
    let saved_searches = conn
        .prepare(
            "SELECT name, query, watermark, last_success_at FROM saved_searches ORDER BY name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let last_refresh: Option<String> = conn.query_row(
        "SELECT max(finished_at) FROM runs WHERE kind = 'refresh' AND outcome = 'success'",
        [],
        |r| r.get(0),
    )?;
    let last_import: Option<String> =
        conn.query_row("SELECT max(finished_at) FROM imports", [], |r| r.get(0))?;
    let records: i64 = conn.query_row(
        "SELECT count(*) FROM articles WHERE deleted = 0 AND length(raw_xml) > 0",
        [],
        |r| r.get(0),
    )?;
    Ok(CatalogueHistory {
        saved_searches,
        last_refresh,
        last_import,
        records: records as u64,
    })
}

/// One logged import: a file or a fetch batch, and what it did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportLogEntry {
    /// The file (or fetch) imported.
    pub source: String,
    /// When it started.
    pub started_at: String,
    /// When it finished.
    pub finished_at: String,
    /// Records new to the catalogue.
    pub inserted: u64,
    /// Records revised.
    pub updated: u64,
    /// Records already as imported.
    pub unchanged: u64,
    /// Records deleted (tombstones applied).
    pub deleted: u64,
}

/// The latest `limit` imports, newest first.
pub fn recent_imports(store: &Store, limit: usize) -> Result<Vec<ImportLogEntry>, StoreError> {
    let mut stmt = store.conn().prepare(
        "SELECT source, started_at, finished_at, inserted, updated, unchanged, deleted
           FROM imports ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok(ImportLogEntry {
            source: r.get(0)?,
            started_at: r.get(1)?,
            finished_at: r.get(2)?,
            inserted: r.get::<_, i64>(3)? as u64,
            updated: r.get::<_, i64>(4)? as u64,
            unchanged: r.get::<_, i64>(5)? as u64,
            deleted: r.get::<_, i64>(6)? as u64,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
