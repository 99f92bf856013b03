//! `evcat export`: the catalogue, a filtered slice, or a claim's evidence, in reference-manager
//! and table formats, streamed one record at a time.

use crate::ops::Context;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use super::find::SelectionArgs;
use super::{ExitError, exit};
use crate::export::formats::table::CsvWriter;
use crate::export::formats::{ExportFormat, RecordWriter, writer_for};
use crate::ops::select::{export_record, select};
use crate::output::file::OutputFile;

/// Arguments of `evcat export`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  evcat export --format ris -o ozone.ris\n  evcat export --format bibtex ozone --design rct --min-level 5 > trials.bib\n  evcat export --format csl-json --claim pp-ozone -o evidence.json\n  evcat export --format csv --intervention ozone | head\n\nThe same query and filters as `find` select the records (all records when none are given);\n--claim exports a claim's linked evidence with its stance. Large exports stream in constant\nmemory; a file given with -o appears only when complete."
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
}

/// Runs `evcat export`.
pub fn run(args: &ExportArgs, ctx: &Context) -> anyhow::Result<u8> {
    if args.csv_raw && ExportFormat::from(args.format) != ExportFormat::Csv {
        return Err(ExitError::new(exit::USAGE, "--csv-raw applies only to --format csv").into());
    }
    let store = ctx.open_store_read()?;
    let selection = args.selection.selection(ctx, args.claim.as_deref())?;
    let selected = select(&store, &selection)?;
    let started = Instant::now();
    let bar = super::progress::records_bar(ctx, "export");
    bar.set_length(selected.len() as u64);
    let mut file = args.output.as_deref().map(OutputFile::create).transpose()?;
    let sink: Box<dyn Write + '_> = match file.as_mut() {
        Some(f) => Box::new(f),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(256 * 1024, sink);
    let mut writer: Box<dyn RecordWriter> = match ExportFormat::from(args.format) {
        ExportFormat::Csv => Box::new(CsvWriter::new(args.csv_raw)),
        other => writer_for(other),
    };
    let result = (|| -> anyhow::Result<u64> {
        writer.begin(&mut out)?;
        let mut n = 0u64;
        for (pmid, stance) in &selected {
            if let Some(rec) = export_record(&store, *pmid, stance.clone())? {
                writer.write(&mut out, &rec)?;
                n += 1;
            }
            if n.is_multiple_of(500) {
                bar.set_position(n);
            }
        }
        writer.end(&mut out)?;
        out.flush()?;
        Ok(n)
    })();
    bar.finish_and_clear();
    drop(out);
    // On an error the temporary file is deleted when `file` drops.
    let n = match (result, &file) {
        (Ok(n), _) => n,
        (Err(e), Some(f)) => match e.downcast::<std::io::Error>() {
            Ok(io) => return Err(f.error(io).into()),
            Err(e) => return Err(e),
        },
        (Err(e), None) => return Err(e),
    };
    if let Some(f) = file {
        f.commit()?;
    }
    if !ctx.quiet && args.output.is_some() {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "exported {n} records in {secs:.2}s ({:.0} records/s)",
            n as f64 / secs.max(1e-6)
        );
    }
    Ok(exit::SUCCESS)
}
