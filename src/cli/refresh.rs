//! `evcat refresh [NAME...]`: fetch what is new or revised for saved searches.

use crate::ops::Context;
use std::io::Write;
use std::time::Instant;

use serde::Serialize;

use super::fetch::write_fetch_text;
use super::net::{fetch_options, fetch_progress, make_client, take_lock, update_progress};
use super::{ExitError, exit};
use crate::fetch::Importer;
use crate::fetch::refresh::{RefreshReport, refresh_search};
use crate::store::saved::{RunOutcome, get_saved, list_saved, mark_interrupted_runs};

/// Arguments of `evcat refresh`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat refresh                      # every saved search", "evcat refresh ozone-back --format json", "evcat --quiet refresh --wait       # from cron: silent unless something fails"), after_help = "Exit codes: 0 all searches refreshed, 3 some failed, 1 all failed, 4 another fetch or\nrefresh holds the catalogue (without --wait), 5 no saved search of that name.\nA search's watermark moves only when its run succeeds; a killed run is finished by the next."
)]
pub struct RefreshArgs {
    /// Saved searches to refresh (default: all).
    pub names: Vec<String>,
    /// Wait for another fetch or refresh to finish instead of exiting with code 4.
    #[arg(long)]
    pub wait: bool,
    /// Records per efetch request (default from settings).
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::import::SummaryFormat,
}

#[derive(Serialize)]
struct RefreshSummary {
    searches: Vec<RefreshReport>,
    succeeded: usize,
    failed: usize,
    interrupted_runs_found: usize,
}

/// Runs `evcat refresh`.
pub fn run(args: &RefreshArgs, ctx: &Context) -> anyhow::Result<u8> {
    let settings = ctx.settings()?.clone();
    let opts = fetch_options(&settings, args.batch_size, None)?;
    let lock = take_lock(ctx, args.wait)?;
    let mut store = ctx.open_store()?;
    let searches = if args.names.is_empty() {
        list_saved(&store)?
    } else {
        let mut found = Vec::new();
        for name in &args.names {
            match get_saved(&store, name)? {
                Some(s) => found.push(s),
                None => {
                    return Err(ExitError::new(
                        exit::NOT_FOUND,
                        format!("no saved search named {name:?} (see `evcat saved list`)"),
                    )
                    .into());
                }
            }
        }
        found
    };
    let interrupted = mark_interrupted_runs(&store)?;
    if searches.is_empty() {
        if !ctx.quiet {
            eprintln!("no saved searches to refresh (add one with `evcat saved add NAME QUERY`)");
        }
        return Ok(exit::SUCCESS);
    }
    let client = make_client(&settings, ctx)?;
    let tagger = ctx.matcher()?;
    let mut importer = Importer {
        store: &mut store,
        tagger: Some(&tagger),
    };
    let mut summary = RefreshSummary {
        searches: Vec::new(),
        succeeded: 0,
        failed: 0,
        interrupted_runs_found: interrupted,
    };
    for saved in &searches {
        let started = Instant::now();
        let bar = fetch_progress(ctx, &saved.name);
        let report = refresh_search(&client, &mut importer, saved, &opts, &mut |p| {
            update_progress(&bar, &client, started, p.records, p.total)
        })?;
        bar.finish_and_clear();
        if matches!(report.outcome, RunOutcome::Success | RunOutcome::Partial) {
            summary.succeeded += 1;
        } else {
            summary.failed += 1;
            eprintln!(
                "evcat: error: refresh {}: {}",
                saved.name,
                report
                    .fetch
                    .error
                    .as_ref()
                    .map_or_else(|| "failed".to_string(), ToString::to_string)
            );
        }
        summary.searches.push(report);
    }
    drop(lock);
    let mut out = std::io::stdout().lock();
    if args.format == super::import::SummaryFormat::Json {
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else if !ctx.quiet {
        if interrupted > 0 {
            writeln!(
                out,
                "note: {interrupted} earlier run(s) had been interrupted; this refresh covers their dates"
            )?;
        }
        for r in &summary.searches {
            let label = format!(
                "{} [{}{}]",
                r.search,
                r.outcome,
                r.mindate
                    .as_deref()
                    .map(|m| format!(", since {m}"))
                    .unwrap_or_else(|| ", full".into())
            );
            write_fetch_text(&mut out, &label, &r.fetch)?;
        }
    }
    Ok(match (summary.succeeded, summary.failed) {
        (_, 0) => exit::SUCCESS,
        (0, _) => exit::FAILURE,
        _ => exit::PARTIAL,
    })
}
