//! `evcat fetch`: fetch a PubMed search, or given PMIDs, into the catalogue.

use crate::ops::Context;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use super::net::{fetch_options, fetch_progress, make_client, take_lock, update_progress};
use super::{ExitError, exit, parse_pmid};
use crate::fetch::run_log::record_finished_run;
use crate::fetch::{FetchReport, Importer, fetch_pmids, fetch_search};
use crate::output::text::counted;
use crate::pubmed::eutils::SearchQuery;
use crate::store::saved::{mark_interrupted_runs, start_run};

/// Arguments of `evcat fetch`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat fetch 'ozone AND (low back pain OR sciatica)'", "evcat fetch 'ozone[tiab] AND disc' --mindate 2020 --maxdate 2025/06/30 --datetype pdat --max 200", "evcat fetch --pmid 22430658,19478653", "evcat fetch --pmid-file pmids.txt --format json"), after_help = "Settings (email, API key, batch size, retries) come from the config file and environment:\nsee `evcat config show`. Exit codes: 0 done, 3 some ids were not returned by PubMed,\n1 the run stopped (what was stored is kept; run again to finish), 4 another fetch/refresh holds the lock."
)]
pub struct FetchArgs {
    /// The PubMed query.
    #[arg(required_unless_present_any = ["pmid", "pmid_file"], conflicts_with_all = ["pmid", "pmid_file"])]
    pub query: Option<String>,
    /// Fetch these PMIDs (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_pmid, value_name = "ID[,ID...]")]
    pub pmid: Vec<u64>,
    /// Fetch the PMIDs listed in FILE, one per line (blank lines and # comments ignored).
    #[arg(long, value_name = "FILE")]
    pub pmid_file: Option<PathBuf>,
    /// First date (YYYY, YYYY/MM or YYYY/MM/DD).
    #[arg(long, requires = "query")]
    pub mindate: Option<String>,
    /// Last date.
    #[arg(long, requires = "query")]
    pub maxdate: Option<String>,
    /// Which date --mindate/--maxdate refer to: entry (edat), publication (pdat), modification (mdat).
    #[arg(long, value_parser = ["edat", "pdat", "mdat"], requires = "query")]
    pub datetype: Option<String>,
    /// Fetch only the N most recent matches (by publication date).
    #[arg(long, value_name = "N")]
    pub max: Option<usize>,
    /// Records per efetch request (1-10,000; default from settings, 500).
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,
    /// Wait for another fetch or refresh of this catalogue to finish instead of exiting (code 4).
    #[arg(long)]
    pub wait: bool,
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::import::SummaryFormat,
}

fn read_pmid_file(path: &PathBuf) -> anyhow::Result<Vec<u64>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ExitError::new(exit::USAGE, format!("{}: cannot read: {e}", path.display()))
    })?;
    let mut ids = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let id = parse_pmid(line).map_err(|e| {
            ExitError::new(exit::USAGE, format!("{}:{}: {e}", path.display(), n + 1))
        })?;
        ids.push(id);
    }
    if ids.is_empty() {
        return Err(ExitError::new(
            exit::USAGE,
            format!("{}: no PMIDs in the file", path.display()),
        )
        .into());
    }
    Ok(ids)
}

/// Runs `evcat fetch`.
pub fn run(args: &FetchArgs, ctx: &Context) -> anyhow::Result<u8> {
    let settings = ctx.settings()?.clone();
    let opts = fetch_options(&settings, args.batch_size, args.max)?;
    let mut ids = args.pmid.clone();
    if let Some(file) = &args.pmid_file {
        ids.extend(read_pmid_file(file)?);
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    let client = make_client(&settings, ctx)?;
    let tagger = ctx.matcher()?;
    let _lock = take_lock(ctx, args.wait)?;
    let mut store = ctx.open_store()?;
    mark_interrupted_runs(&store)?;
    let mut importer = Importer {
        store: &mut store,
        tagger: Some(&tagger),
    };
    let started = Instant::now();
    let bar = fetch_progress(ctx, "fetch");
    let (label, report) = if let Some(term) = &args.query {
        let query = SearchQuery {
            term: term.clone(),
            mindate: args.mindate.clone(),
            maxdate: args.maxdate.clone(),
            datetype: args.datetype.clone(),
            newest_first: false,
        };
        let run_id = start_run(
            importer.store,
            "fetch",
            None,
            term,
            query.mindate.as_deref(),
            query.maxdate.as_deref(),
        )?;
        let report = fetch_search(
            &client,
            &mut importer,
            &query,
            &opts,
            &format!("fetch:{term}"),
            &mut |p| update_progress(&bar, &client, started, p.records, p.total),
        );
        record_finished_run(importer.store, run_id, &report)?;
        (term.clone(), report)
    } else {
        let label = format!("{} PMID(s)", ids.len());
        let run_id = start_run(
            importer.store,
            "fetch",
            None,
            &format!("pmid:{}", join_ids(&ids, 20)),
            None,
            None,
        )?;
        let report = fetch_pmids(
            &client,
            &mut importer,
            &ids,
            &opts,
            "fetch:pmid",
            &mut |p| update_progress(&bar, &client, started, p.records, p.total),
        );
        record_finished_run(importer.store, run_id, &report)?;
        (label, report)
    };
    bar.finish_and_clear();
    print_report(args, ctx, &label, &report)?;
    if let Some(error) = &report.error {
        return Err(ExitError::new(exit::FAILURE, error.to_string()).into());
    }
    if !report.missing.is_empty() {
        if !ctx.quiet {
            eprintln!(
                "evcat: warning: PubMed returned no record for {} id(s): {}",
                report.missing.len(),
                join_ids(&report.missing, 50)
            );
        }
        return Ok(exit::PARTIAL);
    }
    Ok(exit::SUCCESS)
}

/// "1, 2, 3 and 4 more".
pub fn join_ids(ids: &[u64], max: usize) -> String {
    let shown: Vec<String> = ids.iter().take(max).map(u64::to_string).collect();
    let mut s = shown.join(", ");
    if ids.len() > max {
        s.push_str(&format!(" and {} more", ids.len() - max));
    }
    s
}

fn print_report(
    args: &FetchArgs,
    ctx: &Context,
    label: &str,
    r: &FetchReport,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if args.format == super::import::SummaryFormat::Json {
        let mut v = serde_json::to_value(r)?;
        v["query"] = serde_json::json!(label);
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else if !ctx.quiet {
        write_fetch_text(&mut out, label, r)?;
    }
    Ok(())
}

/// The text summary of a fetch (shared with `refresh`).
pub fn write_fetch_text(out: &mut impl Write, label: &str, r: &FetchReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{label}: found {}, fetched {}: {} new, {} updated, {} unchanged; {} ({}), {}, {:.1}s",
        r.found,
        r.fetched,
        r.inserted,
        r.updated,
        r.unchanged,
        counted(r.requests, "request", "requests"),
        counted(r.searches, "search", "searches"),
        counted(r.retries, "retry", "retries"),
        r.seconds
    )?;
    for note in &r.notes {
        writeln!(out, "  note: {note}")?;
    }
    if !r.missing.is_empty() {
        writeln!(
            out,
            "  not returned by PubMed: {}",
            join_ids(&r.missing, 50)
        )?;
    }
    if r.not_fetched > 0 {
        writeln!(out, "  not fetched (run stopped): {}", r.not_fetched)?;
    }
    Ok(())
}
