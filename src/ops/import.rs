//! `import`: PubMed XML files into the catalogue, each in its own transaction (a file that fails
//! leaves the catalogue as it was; the other files still import), with a per-file outcome and a
//! summary that serialise to `evcat import --format json`.
//!
//! With `resume`, the paths are a mirror of NCBI's files (directories and files, applied in name
//! order): each file is checked against the `.md5` file beside it when there is one, recorded by
//! its SHA-256 in the transaction that imports it, and skipped by the next run, so a load that
//! was killed, or the next day's run over the same update directory, applies only what is new.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{Context, OpsError};
use crate::pubmed::input::{line_of_offset, open_input};
use crate::pubmed::mirror::{checksum_file, expected_md5, md5_hex, mirror_files};
use crate::store::Store;
use crate::store::import::{
    AppliedFile, ImportCounts, ImportError, Preparers, applied_file, import_file_stream,
    with_preparers,
};

/// The files to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// PubMed XML files (plain or gzip); `-` is standard input. With `resume`, directories too.
    pub files: Vec<PathBuf>,
    /// Apply the files as a mirror: in order, each recorded by checksum, those already applied
    /// skipped, stopping at the first that fails.
    pub resume: bool,
}

/// Whether a file imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportStatus {
    /// Every record of it was kept.
    Ok,
    /// Nothing of it was kept.
    Failed,
    /// Applied by an earlier run (`resume`): not read again.
    Skipped,
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
    /// SHA-256 of the file (`resume` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// When the file was applied, for a file skipped because an earlier run applied it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at: Option<String>,
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
    /// Files skipped because an earlier run applied them (`resume` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files_skipped: Option<usize>,
    /// Files not attempted because an earlier one failed (`resume` only: files apply in order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files_not_attempted: Option<usize>,
}

impl ImportSummary {
    /// Whether the import stopped because another process kept the catalogue locked.
    pub fn locked(&self) -> bool {
        self.files.last().is_some_and(|f| f.locked)
    }
}

/// Follows an import as it goes (a front end shows progress and errors).
pub trait ImportObserver {
    /// The files a `resume` import will go through (before the first is opened).
    fn files_planned(&mut self, _files: usize) {}
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
        files_skipped: None,
        files_not_attempted: None,
    };
    // (The same preparing threads for every file.)
    with_preparers(Some(&tagger), |preparers| {
        if options.resume {
            return resume(store, preparers, &options.files, observer, summary);
        }
        for path in &options.files {
            if summary.locked() {
                break;
            }
            let outcome = import_file(store, preparers, path, None, observer);
            summary.add(outcome, observer);
        }
        Ok(summary)
    })
}

impl ImportSummary {
    fn add(&mut self, outcome: FileOutcome, observer: &mut dyn ImportObserver) {
        match outcome.status {
            ImportStatus::Ok => {
                self.files_ok += 1;
                self.totals.add(&outcome.counts);
            }
            ImportStatus::Failed => self.files_failed += 1,
            ImportStatus::Skipped => *self.files_skipped.get_or_insert(0) += 1,
        }
        observer.file_done(&outcome);
        self.files.push(outcome);
    }
}

/// Applies a mirror's files in order, skipping those applied before and stopping at the first
/// that fails (a later file may revise or delete what an earlier one holds: applying it first
/// would leave the catalogue in a state no run in order gives).
fn resume(
    store: &mut Store,
    preparers: &Preparers<'_>,
    paths: &[PathBuf],
    observer: &mut dyn ImportObserver,
    mut summary: ImportSummary,
) -> Result<ImportSummary, OpsError> {
    if paths.iter().any(|p| p == Path::new("-")) {
        return Err(OpsError::Usage(
            "--resume applies files and directories, not standard input (`-`): a stream cannot be \
             recognised when it comes again"
                .to_string(),
        ));
    }
    let files = mirror_files(paths).map_err(|e| OpsError::Usage(e.to_string()))?;
    summary.files_skipped = Some(0);
    summary.files_not_attempted = Some(0);
    observer.files_planned(files.len());
    for (done, path) in files.iter().enumerate() {
        let started = Instant::now();
        let name = display_name(path);
        let checked = expected_md5(path).and_then(|md5| {
            let sums = checksum_file(path, md5.is_some())?;
            Ok((md5, sums))
        });
        let (expected, sums) = match checked {
            Ok(checked) => checked,
            Err(e) => {
                let outcome = FileOutcome::failed(&name, e.to_string(), started);
                summary.add(outcome, observer);
                summary.files_not_attempted = Some(files.len() - done - 1);
                break;
            }
        };
        if let (Some(expected), Some(actual)) = (expected, sums.md5)
            && expected != actual
        {
            let message = format!(
                "{name}: MD5 {} differs from the {} in {name}.md5: the file is damaged or \
                 incomplete; download it again. Nothing from this file was imported",
                md5_hex(&actual),
                md5_hex(&expected)
            );
            let mut outcome = FileOutcome::failed(&name, message, started);
            outcome.sha256 = Some(sums.sha256_hex());
            summary.add(outcome, observer);
            summary.files_not_attempted = Some(files.len() - done - 1);
            break;
        }
        if let Some(applied) = applied_file(store, &sums.sha256)? {
            let counts = ImportCounts {
                records: applied.records,
                ..ImportCounts::default()
            };
            let outcome = FileOutcome {
                sha256: Some(sums.sha256_hex()),
                applied_at: Some(applied.applied_at),
                ..FileOutcome::new(&name, ImportStatus::Skipped, counts, started)
            };
            summary.add(outcome, observer);
            continue;
        }
        let applied = AppliedFile {
            sha256: sums.sha256,
            file: name,
            size: sums.size,
            md5: sums.md5.as_ref().map(md5_hex),
        };
        let mut outcome = import_file(store, preparers, path, Some(&applied), observer);
        outcome.sha256 = Some(sums.sha256_hex());
        let failed = outcome.status == ImportStatus::Failed;
        summary.add(outcome, observer);
        if failed {
            summary.files_not_attempted = Some(files.len() - done - 1);
            break;
        }
    }
    Ok(summary)
}

impl FileOutcome {
    fn new(
        name: &str,
        status: ImportStatus,
        counts: ImportCounts,
        started: Instant,
    ) -> FileOutcome {
        FileOutcome {
            file: name.to_string(),
            status,
            counts,
            error: None,
            offset: None,
            line: None,
            pmid: None,
            seconds: started.elapsed().as_secs_f64(),
            sha256: None,
            applied_at: None,
            locked: false,
        }
    }

    fn failed(name: &str, error: String, started: Instant) -> FileOutcome {
        FileOutcome {
            error: Some(error),
            ..FileOutcome::new(name, ImportStatus::Failed, ImportCounts::default(), started)
        }
    }
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
    preparers: &Preparers<'_>,
    path: &Path,
    applied: Option<&AppliedFile>,
    observer: &mut dyn ImportObserver,
) -> FileOutcome {
    let started = Instant::now();
    let name = display_name(path);
    let failed =
        |error: String, offset: Option<u64>, line: Option<u64>, pmid: Option<u64>| FileOutcome {
            offset,
            line,
            pmid,
            ..FileOutcome::failed(&name, error, started)
        };
    let input = match open_input(path) {
        Ok(input) => input,
        Err(e) => return failed(e.to_string(), None, None, None),
    };
    observer.file_started(&name, input.size);
    let bytes = input.bytes_read.clone();
    let result = import_file_stream(
        store,
        preparers,
        input.reader,
        &name,
        applied,
        &mut |counts| {
            if counts.records % 256 == 0 {
                observer.progress(bytes.load(Ordering::Relaxed), counts, started.elapsed());
            }
        },
    );
    match result {
        Ok(counts) => FileOutcome::new(&name, ImportStatus::Ok, counts, started),
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
