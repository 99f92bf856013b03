//! `evcat import FILE...`: import PubMed XML files, each in its own transaction.

use crate::ops::Context;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use super::exit;
use super::format::TextOrJson;
use crate::pubmed::input::{line_of_offset, open_input};
use crate::store::import::{ImportCounts, ImportError, import_stream};

/// Arguments of `evcat import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  evcat import fixtures/ozone-back-pain.xml\n  evcat import pubmed25n0001.xml.gz pubmed25n0002.xml.gz --format json\n  curl -s '...efetch.fcgi?db=pubmed&id=22430658&retmode=xml' | evcat import -\n\nEach file is imported in one transaction: a file that fails leaves the catalogue as it was,\nand the other files still import. Exit code 3 when some files failed, 1 when all did."
)]
pub struct ImportArgs {
    /// PubMed XML files (plain or gzip, detected from content); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

/// The summary format under its old name, for the commands not yet switched to
/// [`super::format::TextOrJson`] (claim, fetch, refresh, taxonomy).
pub use super::format::TextOrJson as SummaryFormat;

/// The outcome of one file.
#[derive(Debug, Serialize)]
pub struct FileOutcome {
    /// The file as given.
    pub file: String,
    /// "ok" or "failed".
    pub status: &'static str,
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

/// The summary of an import command.
#[derive(Debug, Serialize)]
pub struct ImportSummary {
    /// Per file, in the order given.
    pub files: Vec<FileOutcome>,
    /// Sums over the files that imported.
    pub totals: ImportCounts,
    /// Files that imported.
    pub files_ok: usize,
    /// Files that failed.
    pub files_failed: usize,
}

/// Runs `evcat import`.
pub fn run(args: &ImportArgs, ctx: &Context) -> anyhow::Result<u8> {
    let tagger = ctx.matcher()?;
    let mut store = ctx.open_store()?;
    let mut summary = ImportSummary {
        files: Vec::new(),
        totals: ImportCounts::default(),
        files_ok: 0,
        files_failed: 0,
    };
    let mut locked = false;
    for path in &args.files {
        if locked {
            // The catalogue stayed locked: the other files would only wait as long again.
            break;
        }
        let outcome = import_file(&mut store, &tagger, path, ctx);
        locked = outcome.locked;
        match outcome.status {
            "ok" => {
                summary.files_ok += 1;
                summary.totals.add(&outcome.counts);
            }
            _ => {
                summary.files_failed += 1;
                eprintln!(
                    "evcat: error: {}",
                    outcome.error.as_deref().unwrap_or("failed")
                );
            }
        }
        summary.files.push(outcome);
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        TextOrJson::Json => {
            serde_json::to_writer_pretty(&mut out, &summary)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            if !ctx.quiet {
                write_text_summary(&mut out, &summary)?;
            }
        }
    }
    Ok(if locked {
        exit::LOCKED
    } else if summary.files_failed == 0 {
        exit::SUCCESS
    } else if summary.files_ok > 0 {
        exit::PARTIAL
    } else {
        exit::FAILURE
    })
}

fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

fn import_file(
    store: &mut crate::store::Store,
    tagger: &crate::tagging::Matcher,
    path: &Path,
    ctx: &Context,
) -> FileOutcome {
    let started = Instant::now();
    let name = display_name(path);
    let failed =
        |error: String, offset: Option<u64>, line: Option<u64>, pmid: Option<u64>| FileOutcome {
            file: name.clone(),
            status: "failed",
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
    let progress = if super::progress::show_progress(ctx) {
        let bar = match input.size {
            Some(size) => ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:30}] {bytes}/{total_bytes} {msg} ({elapsed})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(name.clone());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let bytes = input.bytes_read.clone();
    let result = import_stream(store, input.reader, &name, Some(tagger), &mut |counts| {
        if counts.records % 256 == 0 {
            progress.set_position(bytes.load(Ordering::Relaxed));
            let rate = counts.records as f64 / started.elapsed().as_secs_f64().max(1e-3);
            progress.set_message(format!("{} records, {:.0} records/s", counts.records, rate));
        }
    });
    progress.finish_and_clear();
    match result {
        Ok(counts) => FileOutcome {
            file: name,
            status: "ok",
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

fn write_text_summary(out: &mut impl Write, s: &ImportSummary) -> std::io::Result<()> {
    for f in &s.files {
        if f.status == "ok" {
            writeln!(
                out,
                "{}: {} records: {} inserted, {} updated, {} unchanged{}, {} deleted{} ({:.2}s)",
                f.file,
                f.counts.records,
                f.counts.inserted,
                f.counts.updated,
                f.counts.unchanged,
                if f.counts.older > 0 {
                    format!(" ({} older versions skipped)", f.counts.older)
                } else {
                    String::new()
                },
                f.counts.deleted,
                if f.counts.deleted_unknown > 0 {
                    format!(
                        " ({} not in the catalogue, kept as tombstones)",
                        f.counts.deleted_unknown
                    )
                } else {
                    String::new()
                },
                f.seconds
            )?;
        } else {
            writeln!(out, "{}: FAILED, nothing imported (error above)", f.file)?;
        }
    }
    let t = &s.totals;
    writeln!(
        out,
        "total: {} file(s) imported, {} failed; {} records: {} inserted, {} updated, {} unchanged, {} deleted",
        s.files_ok, s.files_failed, t.records, t.inserted, t.updated, t.unchanged, t.deleted
    )
}
