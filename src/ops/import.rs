//! `import`: PubMed XML files into the catalogue, each in its own transaction (a file that fails
//! leaves the catalogue as it was; the other files still import), with a per-file outcome and a
//! summary that serialise to `evcat import --format json`.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{Context, OpsError};
use crate::pubmed::input::{line_of_offset, open_input};
use crate::store::Store;
use crate::store::import::{ImportCounts, ImportError, import_stream};
use crate::tagging::Matcher;

/// The files to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// PubMed XML files (plain or gzip); `-` is standard input.
    pub files: Vec<PathBuf>,
}

/// Whether a file imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportStatus {
    /// Every record of it was kept.
    Ok,
    /// Nothing of it was kept.
    Failed,
}

/// The outcome of one file.
#[derive(Debug, Serialize)]
pub struct FileOutcome {
    /// The file as given.
    pub file: String,
    /// Imported or not.
    pub status: ImportStatus,
    /// Counts (zero when the file failed: nothing of it was kept).
    #[serde(flatten)]
    pub counts: ImportCounts,
    /// Error message, for a failed file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Byte offset of the error in the (decompressed) input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Line of the error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// PMID of the record being read when the error happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pmid: Option<u64>,
    /// Seconds spent.
    pub seconds: f64,
    /// The file failed because another process kept the catalogue locked.
    #[serde(skip)]
    pub locked: bool,
}

/// The summary of an import.
#[derive(Debug, Serialize)]
pub struct ImportSummary {
    /// Per file, in the order given (the files after one that found the catalogue locked are
    /// left out: they would only wait as long again).
    pub files: Vec<FileOutcome>,
    /// Sums over the files that imported.
    pub totals: ImportCounts,
    /// Files that imported.
    pub files_ok: usize,
    /// Files that failed.
    pub files_failed: usize,
}

impl ImportSummary {
    /// Whether the import stopped because another process kept the catalogue locked.
    pub fn locked(&self) -> bool {
        self.files.last().is_some_and(|f| f.locked)
    }
}

/// Follows an import as it goes (a front end shows progress and errors).
pub trait ImportObserver {
    /// A file is opened; `size` is its size in bytes when known.
    fn file_started(&mut self, name: &str, size: Option<u64>);
    /// Every 256 records: input bytes read so far, counts so far, time spent on the file.
    fn progress(&mut self, bytes: u64, counts: &ImportCounts, elapsed: Duration);
    /// A file is done (imported or failed).
    fn file_done(&mut self, outcome: &FileOutcome);
}

/// Imports the files in order, each in one transaction, tagging records with the active
/// taxonomy.
pub fn import(
    ctx: &Context,
    store: &mut Store,
    options: &ImportOptions,
    observer: &mut dyn ImportObserver,
) -> Result<ImportSummary, OpsError> {
    let tagger = ctx.matcher()?;
    let mut summary = ImportSummary {
        files: Vec::new(),
        totals: ImportCounts::default(),
        files_ok: 0,
        files_failed: 0,
    };
    for path in &options.files {
        if summary.locked() {
            break;
        }
        let outcome = import_file(store, &tagger, path, observer);
        match outcome.status {
            ImportStatus::Ok => {
                summary.files_ok += 1;
                summary.totals.add(&outcome.counts);
            }
            ImportStatus::Failed => summary.files_failed += 1,
        }
        observer.file_done(&outcome);
        summary.files.push(outcome);
    }
    Ok(summary)
}

fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

fn import_file(
    store: &mut Store,
    tagger: &Matcher,
    path: &Path,
    observer: &mut dyn ImportObserver,
) -> FileOutcome {
    let started = Instant::now();
    let name = display_name(path);
    let failed =
        |error: String, offset: Option<u64>, line: Option<u64>, pmid: Option<u64>| FileOutcome {
            file: name.clone(),
            status: ImportStatus::Failed,
            counts: ImportCounts::default(),
            error: Some(error),
            offset,
            line,
            pmid,
            seconds: started.elapsed().as_secs_f64(),
            locked: false,
        };
    let input = match open_input(path) {
        Ok(input) => input,
        Err(e) => return failed(e.to_string(), None, None, None),
    };
    observer.file_started(&name, input.size);
    let bytes = input.bytes_read.clone();
    let result = import_stream(store, input.reader, &name, Some(tagger), &mut |counts| {
        if counts.records % 256 == 0 {
            observer.progress(bytes.load(Ordering::Relaxed), counts, started.elapsed());
        }
    });
    match result {
        Ok(counts) => FileOutcome {
            file: name,
            status: ImportStatus::Ok,
            counts,
            error: None,
            offset: None,
            line: None,
            pmid: None,
            seconds: started.elapsed().as_secs_f64(),
            locked: false,
        },
        Err(ImportError::Parse(e)) => {
            let line = line_of_offset(path, e.offset);
            let at = match line {
                Some(l) => format!("line {l}, byte {}", e.offset),
                None => format!("byte {}", e.offset),
            };
            let pmid = e
                .pmid
                .map(|p| format!(", record PMID {p}"))
                .unwrap_or_default();
            failed(
                format!(
                    "{name}: {} ({at}{pmid}); nothing from this file was imported",
                    e.kind
                ),
                Some(e.offset),
                line,
                e.pmid,
            )
        }
        Err(e @ ImportError::Store { .. }) => {
            let (pmid, locked) = match &e {
                ImportError::Store { pmid, error } => (*pmid, error.is_busy()),
                _ => (None, false),
            };
            let mut outcome = failed(
                format!("{name}: {e}; nothing from this file was imported"),
                None,
                None,
                pmid,
            );
            outcome.locked = locked;
            outcome
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_serialises_as_documented() {
        assert_eq!(serde_json::to_value(ImportStatus::Ok).unwrap(), "ok");
        assert_eq!(
            serde_json::to_value(ImportStatus::Failed).unwrap(),
            "failed"
        );
    }
}
