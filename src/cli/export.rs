//! `evcat export`: the catalogue, a filtered slice, or a claim's evidence, in reference-manager
//! and table formats, streamed one record at a time.

use std::path::PathBuf;

use super::find::SelectionArgs;
use super::{exit, ops_error};
use crate::ops::Context;
use crate::ops::export::{ExportError, ExportOptions, ExportProgress, prepare_export};
use crate::output::file::OutputFile;
use crate::output::text::counted;

/// Arguments of `evcat export`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat export --format ris -o ozone.ris", "evcat export --format bibtex ozone --design rct --min-level 5 > trials.bib", "evcat export --format csl-json --claim pp-ozone -o evidence.json", "evcat export --format csv --intervention ozone | head"), after_help = "The same query and filters as `find` select the records (all records when none are given);\n--claim exports a claim's linked evidence with its stance. Large exports stream in constant\nmemory; a file given with -o appears only when complete."
)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: super::format::ExportFormatArg,
    /// Query and filters.
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Export this claim's linked evidence (with each record's stance).
    #[arg(long, value_name = "ID")]
    pub claim: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV: write cells as they are, without the `'` that stops a spreadsheet from running a
    /// cell starting with = + - @ as a formula (for programs, not spreadsheets).
    #[arg(long)]
    pub csv_raw: bool,
    /// Also export deleted records that have no data (tombstones holding only a PMID), which are
    /// skipped by default. Deleted records with data are always exported, marked "Deleted from
    /// PubMed".
    #[arg(long)]
    pub include_deleted: bool,
}

/// Runs `evcat export`: selects, then creates the output (so that a wrong request leaves none),
/// streams, and commits the file only when complete.
pub fn run(args: &ExportArgs, ctx: &Context) -> anyhow::Result<u8> {
    let options = ExportOptions {
        selection: args.selection.options(args.claim.as_deref()),
        format: args.format.into(),
        csv_raw: args.csv_raw,
        include_deleted: args.include_deleted,
    };
    let prepared = prepare_export(ctx, &options).map_err(|e| export_error(e, None))?;
    let mut bar = ProgressObserver(super::progress::records_bar(ctx, "export"));
    let mut file = args.output.as_deref().map(OutputFile::create).transpose()?;
    let result = match file.as_mut() {
        Some(f) => prepared.write(f, &mut bar),
        None => prepared.write(&mut std::io::stdout().lock(), &mut bar),
    };
    // On an error the temporary file is deleted when `file` drops.
    let summary = result.map_err(|e| export_error(e, file.as_ref()))?;
    if let Some(f) = file {
        f.commit()?;
    }
    if !ctx.quiet && args.output.is_some() {
        eprintln!(
            "exported {} in {:.2}s ({:.0} records/s)",
            counted(summary.records, "record", "records"),
            summary.elapsed.as_secs_f64(),
            summary.records_per_second()
        );
    }
    if !ctx.quiet && summary.skipped_without_data > 0 {
        eprintln!(
            "skipped {} deleted from PubMed without data (--include-deleted to export them)",
            counted(summary.skipped_without_data, "record", "records")
        );
    }
    Ok(exit::SUCCESS)
}

/// An export's error at the command edge: a write to the output file names the file; a write to
/// standard output stays an I/O error (a closed pipe ends the command quietly).
fn export_error(e: ExportError, file: Option<&OutputFile>) -> anyhow::Error {
    match e {
        ExportError::Open(e) => e.into(),
        ExportError::Select(e) => ops_error(e),
        ExportError::Write(io) => match file {
            Some(f) => f.error(io).into(),
            None => io.into(),
        },
    }
}

/// The progress bar, told how the export advances.
struct ProgressObserver(indicatif::ProgressBar);

impl ExportProgress for ProgressObserver {
    fn started(&mut self, selected: u64) {
        self.0.set_length(selected);
    }
    fn advanced(&mut self, written: u64) {
        self.0.set_position(written);
    }
    fn finished(&mut self) {
        self.0.finish_and_clear();
    }
}
