//! `stats`: what the catalogue holds (records, tombstones, revisions, counts by year and by
//! publication type, size, schema version, imports).

use std::path::PathBuf;

use serde::Serialize;

use super::OpsError;
use crate::store::Store;
use crate::store::stats::catalogue_stats;

/// Records of one publication year.
#[derive(Debug, Clone, Serialize)]
pub struct YearCount {
    /// Records.
    pub records: u64,
    /// The year (`None`: no year).
    pub year: Option<i64>,
}

/// Records of one publication type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeCount {
    /// Records.
    pub records: u64,
    /// The publication type.
    #[serde(rename = "type")]
    pub publication_type: String,
}

/// What the catalogue holds. Serialises to `evcat stats --format json` (keys in alphabetical
/// order, as documented).
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueReport {
    /// Records by publication type, most frequent first.
    pub by_publication_type: Vec<TypeCount>,
    /// Records by publication year.
    pub by_year: Vec<YearCount>,
    /// The catalogue file.
    pub database: PathBuf,
    /// Database file size in bytes (main file plus WAL).
    pub database_bytes: u64,
    /// Imports logged.
    pub imports: u64,
    /// When the last import finished.
    pub last_import: Option<String>,
    /// Records with data that are not deleted.
    pub records: u64,
    /// Earlier revisions kept.
    pub revisions: u64,
    /// Schema version.
    pub schema_version: usize,
    /// Tombstones (PubMed deleted them).
    pub tombstones: u64,
}

/// Counts what the catalogue holds.
pub fn stats(store: &Store) -> Result<CatalogueReport, OpsError> {
    let s = catalogue_stats(store)?;
    Ok(CatalogueReport {
        by_publication_type: s
            .by_publication_type
            .into_iter()
            .map(|(publication_type, records)| TypeCount {
                records,
                publication_type,
            })
            .collect(),
        by_year: s
            .by_year
            .into_iter()
            .map(|(year, records)| YearCount { records, year })
            .collect(),
        database: store.path().to_path_buf(),
        database_bytes: s.database_bytes,
        imports: s.imports,
        last_import: s.last_import,
        records: s.records,
        revisions: s.revisions,
        schema_version: s.schema_version,
        tombstones: s.tombstones,
    })
}

/// The latest `limit` imports, newest first (the workbench's catalogue page).
pub fn recent_imports(
    store: &Store,
    limit: usize,
) -> Result<Vec<crate::store::stats::ImportLogEntry>, OpsError> {
    Ok(crate::store::stats::recent_imports(store, limit)?)
}
