//! `evcat import FILE...`: import PubMed XML files, each in its own transaction.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::format::TextOrJson;
use super::{exit, ops_error};
use crate::ops::Context;
use crate::ops::import::{
    FileOutcome, ImportObserver, ImportOptions, ImportStatus, ImportSummary, import,
};
use crate::store::import::ImportCounts;

/// Arguments of `evcat import`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat import fixtures/ozone-back-pain.xml", "evcat import pubmed25n0001.xml.gz pubmed25n0002.xml.gz --format json", "curl -s '...efetch.fcgi?db=pubmed&id=22430658&retmode=xml' | evcat import -", "evcat import --resume mirror/baseline mirror/updatefiles"), after_help = "Each file is imported in one transaction: a file that fails leaves the catalogue as it was,\nand the other files still import. Exit code 3 when some files failed, 1 when all did.\n\nWith --resume, directories give their *.xml and *.xml.gz files in name order; each file is\nchecked against its .md5 file when there is one and recorded by checksum when applied, files\nalready applied are skipped, and the run stops at the first file that fails: run the same\ncommand again after a crash, a kill or a new day's update files."
)]
pub struct ImportArgs {
    /// PubMed XML files (plain or gzip, detected from content); `-` reads standard input. With
    /// --resume, directories too.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Apply the files as a mirror of NCBI's: in order, skipping those already applied.
    #[arg(long)]
    pub resume: bool,
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

/// The summary format under its old name, for the commands not yet switched to
/// [`super::format::TextOrJson`] (claim, fetch, refresh, taxonomy).
pub use super::format::TextOrJson as SummaryFormat;

/// Runs `evcat import`.
pub fn run(args: &ImportArgs, ctx: &Context) -> anyhow::Result<u8> {
    // The tagger first: a broken taxonomy is reported before the catalogue is opened.
    ctx.matcher()?;
    let mut store = ctx.open_store()?;
    let options = ImportOptions {
        files: args.files.clone(),
        resume: args.resume,
    };
    let mut observer = Progress {
        show: super::progress::show_progress(ctx),
        bar: ProgressBar::hidden(),
        files: None,
    };
    let summary = import(ctx, &mut store, &options, &mut observer).map_err(ops_error)?;
    // (The bars are cleared before the summary is written.)
    drop(observer);
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
    Ok(if summary.locked() {
        exit::LOCKED
    } else if summary.files_failed == 0 {
        exit::SUCCESS
    } else if summary.files_ok > 0 {
        exit::PARTIAL
    } else {
        exit::FAILURE
    })
}

/// A progress bar per file on standard error (when shown), above it one over the files of a
/// `--resume` import, and each failed file's error.
struct Progress {
    show: bool,
    bar: ProgressBar,
    files: Option<FilesBar>,
}

/// The bar over a `--resume` import's files, and the records of the files done.
struct FilesBar {
    bars: MultiProgress,
    bar: ProgressBar,
    records_done: u64,
    started: std::time::Instant,
}

impl FilesBar {
    fn show_records(&self, records: u64) {
        let rate = records as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar
            .set_message(format!("{records} records, {rate:.0} records/s"));
    }
}

impl ImportObserver for Progress {
    fn files_planned(&mut self, files: usize) {
        if !self.show {
            return;
        }
        let bars = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let bar = bars.add(ProgressBar::new(files as u64));
        bar.set_style(
            ProgressStyle::with_template("files [{bar:30}] {pos}/{len} {msg} (eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        self.files = Some(FilesBar {
            bars,
            bar,
            records_done: 0,
            started: std::time::Instant::now(),
        });
    }

    fn file_started(&mut self, name: &str, size: Option<u64>) {
        if !self.show {
            return;
        }
        let mut bar = ProgressBar::with_draw_target(size, ProgressDrawTarget::stderr());
        if let Some(files) = &self.files {
            bar = files.bars.add(bar);
        }
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:30}] {bytes}/{total_bytes} {msg} ({elapsed})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        self.bar = bar;
    }

    fn progress(&mut self, bytes: u64, counts: &ImportCounts, elapsed: Duration) {
        self.bar.set_position(bytes);
        let rate = counts.records as f64 / elapsed.as_secs_f64().max(1e-3);
        self.bar
            .set_message(format!("{} records, {:.0} records/s", counts.records, rate));
        if let Some(files) = &self.files {
            files.show_records(files.records_done + counts.records);
        }
    }

    fn file_done(&mut self, outcome: &FileOutcome) {
        self.bar.finish_and_clear();
        if let Some(files) = &self.files {
            files.bars.remove(&self.bar);
        }
        self.bar = ProgressBar::hidden();
        if let Some(files) = &mut self.files {
            if outcome.status == ImportStatus::Ok {
                files.records_done += outcome.counts.records;
            }
            files.bar.inc(1);
            files.show_records(files.records_done);
        }
        if outcome.status == ImportStatus::Failed {
            let error = outcome.error.as_deref().unwrap_or("failed");
            match &self.files {
                Some(files) => files.bars.suspend(|| eprintln!("evcat: error: {error}")),
                None => eprintln!("evcat: error: {error}"),
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(files) = &self.files {
            files.bar.finish_and_clear();
        }
    }
}

fn write_text_summary(out: &mut impl Write, s: &ImportSummary) -> std::io::Result<()> {
    for f in &s.files {
        if f.status == ImportStatus::Skipped {
            continue;
        }
        if f.status == ImportStatus::Ok {
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
    let skipped: Vec<&FileOutcome> = s
        .files
        .iter()
        .filter(|f| f.status == ImportStatus::Skipped)
        .collect();
    if let (Some(first), Some(last)) = (skipped.first(), skipped.last()) {
        let range = if skipped.len() == 1 {
            first.file.clone()
        } else {
            format!("{} ... {}", first.file, last.file)
        };
        writeln!(
            out,
            "{} file(s) already applied by an earlier run, skipped: {range}",
            skipped.len()
        )?;
    }
    if let Some(n) = s.files_not_attempted.filter(|&n| n > 0) {
        writeln!(
            out,
            "stopped at the failed file: {n} later file(s) not attempted (files apply in order); \
             replace or remove the failed file and run the same command again"
        )?;
    }
    let t = &s.totals;
    writeln!(
        out,
        "total: {} file(s) imported, {} failed; {} records: {} inserted, {} updated, {} unchanged, {} deleted",
        s.files_ok, s.files_failed, t.records, t.inserted, t.updated, t.unchanged, t.deleted
    )
}
