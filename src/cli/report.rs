//! `evcat report`: a self-contained evidence report, as Markdown and as a standalone HTML page.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use super::find::SelectionArgs;
use super::{ExitError, exit, ops_error};
use crate::export::report::write_report;
use crate::ops::Context;
use crate::ops::report::{ReportOptions, build_report};
use crate::ops::select::check_selection;
use crate::output::file::OutputFile;

/// Arguments of `evcat report`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat report                                   # every record, per condition", "evcat report --intervention ozone -o reports/ozone", "evcat report --claim pp-ozone -o reports/pp --style ama"), after_help = "Writes DIR/NAME.md and DIR/NAME.html (a standalone page: inline CSS, readable on a phone\nand printed)."
)]
pub struct ReportArgs {
    /// Query and filters selecting the records (default: all).
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Report on one claim's evidence instead of per condition.
    #[arg(long, value_name = "ID")]
    pub claim: Option<String>,
    /// Output directory (`--output-dir` is still accepted).
    #[arg(
        long = "output",
        short,
        alias = "output-dir",
        default_value = "evcat-report",
        value_name = "DIR"
    )]
    pub output_dir: PathBuf,
    /// File name (without extension).
    #[arg(long, default_value = "report")]
    pub name: String,
    /// Citation style of the study tables.
    #[arg(long, value_enum, default_value = "vancouver")]
    pub style: super::format::CitationStyleArg,
    /// Report title.
    #[arg(long)]
    pub title: Option<String>,
}

/// Runs `evcat report`.
pub fn run(args: &ReportArgs, ctx: &Context) -> anyhow::Result<u8> {
    let store = ctx.open_store_read()?;
    let options = ReportOptions {
        selection: check_selection(ctx, &args.selection.options(args.claim.as_deref()))
            .map_err(ops_error)?,
        style: args.style.into(),
        title: args.title.clone(),
    };
    let mut built = build_report(ctx, &store, &options)?;
    std::fs::create_dir_all(&args.output_dir).map_err(|e| {
        ExitError::new(
            exit::FAILURE,
            format!("{}: cannot create: {e}", args.output_dir.display()),
        )
    })?;
    let md_path = args.output_dir.join(format!("{}.md", args.name));
    let html_path = args.output_dir.join(format!("{}.html", args.name));
    // Both files are written as the rows are made, and replace the old ones only when whole.
    let failed = |e: std::io::Error| {
        ExitError::new(
            exit::FAILURE,
            format!(
                "{}: cannot write the report: {e}",
                args.output_dir.display()
            ),
        )
    };
    let mut md = BufWriter::new(OutputFile::create(&md_path)?);
    let mut page = BufWriter::new(OutputFile::create(&html_path)?);
    write_report(&built.report, &mut built.rows, &mut md, &mut page)
        .and_then(|()| md.flush())
        .and_then(|()| page.flush())
        .map_err(failed)?;
    for file in [md, page] {
        file.into_inner()
            .map_err(|e| failed(e.into_error()))?
            .commit()?;
    }
    if !ctx.quiet {
        writeln!(
            std::io::stdout(),
            "wrote {} and {}",
            md_path.display(),
            html_path.display()
        )?;
    }
    Ok(exit::SUCCESS)
}
