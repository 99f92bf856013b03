//! `export`: the selected records streamed through a format's writer into a caller's sink, one
//! record at a time (constant memory), with progress reported to an observer.
//!
//! An export runs in two steps so that a front end opens its output only for a request that can
//! be served: [`prepare_export`] checks the options, opens the catalogue and selects the records
//! (every error a user can fix is found here); [`PreparedExport::write`] then streams them. The
//! CLI creates its output file between the two; a web handler would choose its status there.
//! [`export`] does both for a sink that already exists.

use std::io::{self, BufWriter, Write};
use std::time::{Duration, Instant};

use super::context::OpenError;
use super::select::{Selected, SelectionOptions, check_selection, export_record, select};
use super::{Context, OpsError};
use crate::export::formats::table::CsvWriter;
use crate::export::formats::{ExportFormat, RecordWriter, writer_for};
use crate::store::Store;

/// What to export, as the user asked for it.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The records: a search, a claim's evidence, or both.
    pub selection: SelectionOptions,
    /// The format.
    pub format: ExportFormat,
    /// CSV only: cells as they are, without the `'` that keeps a spreadsheet from running a
    /// formula.
    pub csv_raw: bool,
    /// Also write deleted records that have no data (tombstones of PMIDs the catalogue never had:
    /// only a PMID). Skipped by default; deleted records with data are always written, marked
    /// deleted.
    pub include_deleted: bool,
}

/// What an export did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExportSummary {
    /// Records written (a selected record missing from the catalogue is skipped).
    pub records: u64,
    /// Deleted records without data left out (none with [`ExportOptions::include_deleted`]).
    pub skipped_without_data: u64,
    /// From the moment the records were selected to the last byte written.
    pub elapsed: Duration,
}

impl ExportSummary {
    /// Records written per second.
    pub fn records_per_second(&self) -> f64 {
        self.records as f64 / self.elapsed.as_secs_f64().max(1e-6)
    }
}

/// Told how an export advances (a progress bar, a log, a test).
pub trait ExportProgress {
    /// Writing begins; `selected` records were selected.
    fn started(&mut self, _selected: u64) {}
    /// `written` records are written so far (called every 500 records, not for each).
    fn advanced(&mut self, _written: u64) {}
    /// Writing ended, whether it succeeded or failed.
    fn finished(&mut self) {}
}

/// No progress to report.
impl ExportProgress for () {}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The catalogue could not be opened.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The options are wrong (a usage error), the claim is unknown, or reading the catalogue
    /// failed.
    #[error(transparent)]
    Select(#[from] OpsError),
    /// Writing to the sink failed (a full disk, a closed pipe, ...).
    #[error(transparent)]
    Write(#[from] io::Error),
}

/// An export whose records are selected, ready to write.
pub struct PreparedExport {
    store: Store,
    selected: Selected,
    format: ExportFormat,
    csv_raw: bool,
    include_deleted: bool,
    selected_at: Instant,
}

/// Checks the options, opens the catalogue (read-only) and selects the records.
pub fn prepare_export(
    ctx: &Context,
    options: &ExportOptions,
) -> Result<PreparedExport, ExportError> {
    if options.csv_raw && options.format != ExportFormat::Csv {
        return Err(OpsError::Usage("--csv-raw applies only to --format csv".into()).into());
    }
    let store = ctx.open_store_read()?;
    let selection = check_selection(ctx, &options.selection)?;
    let selected = select(&store, &selection)?;
    Ok(PreparedExport {
        store,
        selected,
        format: options.format,
        csv_raw: options.csv_raw,
        include_deleted: options.include_deleted,
        selected_at: Instant::now(),
    })
}

/// Prepares the export and writes it into `sink`.
pub fn export(
    ctx: &Context,
    options: &ExportOptions,
    sink: &mut dyn Write,
    progress: &mut dyn ExportProgress,
) -> Result<ExportSummary, ExportError> {
    prepare_export(ctx, options)?.write(sink, progress)
}

impl PreparedExport {
    /// How many records were selected.
    pub fn selected(&self) -> usize {
        self.selected.pmids.len()
    }

    /// Streams the records into `sink` (buffered here; flushed at the end).
    pub fn write(
        self,
        sink: &mut dyn Write,
        progress: &mut dyn ExportProgress,
    ) -> Result<ExportSummary, ExportError> {
        progress.started(self.selected.pmids.len() as u64);
        let mut out = BufWriter::with_capacity(256 * 1024, sink);
        let mut writer: Box<dyn RecordWriter> = match self.format {
            ExportFormat::Csv => Box::new(CsvWriter::new(self.csv_raw)),
            other => writer_for(other),
        };
        let mut skipped = 0u64;
        let result = (|| -> Result<u64, ExportError> {
            writer.begin(&mut out)?;
            let mut n = 0u64;
            for (pmid, stance) in self.selected.iter() {
                if let Some(rec) = export_record(&self.store, pmid, stance.cloned())? {
                    if !rec.stored.has_data && !self.include_deleted {
                        skipped += 1;
                        continue;
                    }
                    writer.write(&mut out, &rec)?;
                    n += 1;
                }
                if n.is_multiple_of(500) {
                    progress.advanced(n);
                }
            }
            writer.end(&mut out)?;
            out.flush()?;
            Ok(n)
        })();
        progress.finished();
        Ok(ExportSummary {
            records: result?,
            skipped_without_data: skipped,
            elapsed: self.selected_at.elapsed(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::context::ContextOptions;
    use crate::store::import::import_stream;

    const OZONE: &str = include_str!("../../fixtures/ozone-back-pain.xml");

    /// A catalogue in a temporary directory holding the ozone fixture (tagged), and a context on
    /// it.
    fn catalogue() -> (tempfile::TempDir, Context) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalogue.sqlite");
        let mut store = Store::open(&path).unwrap();
        let ctx = Context::new(ContextOptions {
            db: Some(path),
            ..ContextOptions::default()
        });
        let tagger = ctx.matcher().unwrap();
        import_stream(
            &mut store,
            OZONE.as_bytes(),
            "test",
            Some(&tagger),
            &mut |_| {},
        )
        .unwrap();
        (dir, ctx)
    }

    fn options(format: ExportFormat) -> ExportOptions {
        ExportOptions {
            selection: SelectionOptions::default(),
            format,
            csv_raw: false,
            include_deleted: false,
        }
    }

    #[derive(Default)]
    struct Recorded {
        started: Vec<u64>,
        advanced: Vec<u64>,
        finished: usize,
    }

    impl ExportProgress for Recorded {
        fn started(&mut self, selected: u64) {
            self.started.push(selected);
        }
        fn advanced(&mut self, written: u64) {
            self.advanced.push(written);
        }
        fn finished(&mut self) {
            self.finished += 1;
        }
    }

    #[test]
    fn every_selected_record_is_written_and_counted() {
        let (_dir, ctx) = catalogue();
        let records = OZONE.matches("<PubmedArticle>").count() as u64;
        let mut sink = Vec::new();
        let mut progress = Recorded::default();
        let summary = export(
            &ctx,
            &options(ExportFormat::Jsonl),
            &mut sink,
            &mut progress,
        )
        .unwrap();
        let lines = String::from_utf8(sink).unwrap().lines().count() as u64;
        assert_eq!((summary.records, lines), (records, records));
        assert_eq!(progress.started, [records]);
        assert_eq!(progress.finished, 1);
    }

    #[test]
    fn a_narrower_selection_writes_fewer_records() {
        let (_dir, ctx) = catalogue();
        let mut all = options(ExportFormat::Jsonl);
        all.selection.query = "ozone".into();
        let mut trials = all.clone();
        trials.selection.tags_by_dimension = vec![("design".into(), vec!["rct".into()])];
        let count = |o: &ExportOptions| export(&ctx, o, &mut io::sink(), &mut ()).unwrap().records;
        let (all, trials) = (count(&all), count(&trials));
        assert!(0 < trials && trials < all, "{trials} of {all}");
    }

    #[test]
    fn a_wrong_request_fails_before_writing_anything() {
        let (_dir, ctx) = catalogue();
        let mut raw_ris = options(ExportFormat::Ris);
        raw_ris.csv_raw = true;
        let mut bad_years = options(ExportFormat::Ris);
        bad_years.selection.years = Some("20x0".into());
        let mut bad_tag = options(ExportFormat::Ris);
        bad_tag.selection.dimension_tags = vec!["design".into()];
        for (o, message) in [
            (raw_ris, "--csv-raw applies only to --format csv"),
            (bad_years, "--year: invalid year range"),
            (bad_tag, "--tag \"design\": write DIMENSION:TAG"),
        ] {
            let mut sink = Vec::new();
            let mut progress = Recorded::default();
            match export(&ctx, &o, &mut sink, &mut progress) {
                Err(ExportError::Select(OpsError::Usage(m))) => {
                    assert!(m.starts_with(message), "{m}")
                }
                other => panic!("{message}: {other:?}"),
            }
            assert!(sink.is_empty() && progress.started.is_empty());
        }
    }

    /// A sink that refuses every write, like a full disk.
    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        }
    }

    #[test]
    fn a_failing_sink_is_a_write_error_and_progress_still_finishes() {
        let (_dir, ctx) = catalogue();
        let mut progress = Recorded::default();
        match export(&ctx, &options(ExportFormat::Ris), &mut Full, &mut progress) {
            Err(ExportError::Write(e)) => assert_eq!(e.kind(), io::ErrorKind::StorageFull),
            other => panic!("{other:?}"),
        }
        assert_eq!(progress.finished, 1);
    }
}
