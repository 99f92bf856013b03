//! `evcat runs [NAME]`: the log of fetch and refresh runs.

use crate::ops::Context;
use std::io::Write;

use super::exit;
use crate::ops::runs::{RunsOptions, runs};

/// Arguments of `evcat runs`.
#[derive(Debug, clap::Args)]
#[command(help_template = examples!("evcat runs", "evcat runs ozone-back --limit 5 --format json"))]
pub struct RunsArgs {
    /// Only runs of this saved search.
    pub name: Option<String>,
    /// At most this many runs, newest first.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::format::TextOrJson,
}

/// Runs `evcat runs`.
pub fn run(args: &RunsArgs, ctx: &Context) -> anyhow::Result<u8> {
    let store = ctx.open_store_read()?;
    let options = RunsOptions {
        search: args.name.clone(),
        limit: args.limit,
    };
    let runs = runs(&store, &options).map_err(super::ops_error)?;
    let mut out = std::io::stdout().lock();
    if args.format == super::format::TextOrJson::Json {
        serde_json::to_writer_pretty(&mut out, &runs)?;
        writeln!(out)?;
        return Ok(exit::SUCCESS);
    }
    if runs.is_empty() {
        if !ctx.quiet {
            eprintln!("no runs recorded");
        }
        return Ok(exit::SUCCESS);
    }
    writeln!(
        out,
        "{:<5} {:<8} {:<16} {:<20} {:<11} {:>6} {:>6} {:>5} {:>5} {:>5} {:>5}  ERROR",
        "ID",
        "KIND",
        "SEARCH",
        "STARTED",
        "OUTCOME",
        "FOUND",
        "FETCH",
        "NEW",
        "UPD",
        "REQ",
        "RETRY"
    )?;
    for r in runs {
        writeln!(
            out,
            "{:<5} {:<8} {:<16} {:<20} {:<11} {:>6} {:>6} {:>5} {:>5} {:>5} {:>5}  {}",
            r.id,
            r.kind,
            super::truncate(r.search.as_deref().unwrap_or("-"), 16),
            r.started_at,
            r.outcome,
            r.found,
            r.fetched,
            r.inserted,
            r.updated,
            r.requests,
            r.retries,
            r.error
                .as_deref()
                .map(|e| super::truncate(e, 80))
                .unwrap_or_default()
        )?;
    }
    Ok(exit::SUCCESS)
}
