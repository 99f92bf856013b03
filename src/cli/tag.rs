//! `evcat tag`: re-tag the catalogue after a taxonomy change; `tag add` / `tag remove`: manual
//! decisions, which survive re-tagging and win over rules.

use crate::ops::Context;
use std::io::Write;
use std::time::Instant;

use super::{exit, ops_error, parse_pmid};
use crate::ops::tag::{ManualTagOptions, check_tag, retag_records, set_manual};

/// Arguments of `evcat tag`.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    help_template = examples!("evcat tag                                   # re-tag everything with the active taxonomy", "evcat --taxonomy mine.toml tag --pmid 22430658", "evcat tag add 22430658 condition sciatica --note 'radicular leg pain in the inclusion criteria'", "evcat tag remove 19478653 route intramuscular --note 'injection was paravertebral only'"), after_help = "Re-tagging replaces only rule tags; manual additions and removals are kept and win."
)]
pub struct TagArgs {
    /// Manual decisions.
    #[command(subcommand)]
    pub command: Option<TagCommand>,
    /// Only these PMIDs (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_pmid, value_name = "ID[,ID...]")]
    pub pmid: Vec<u64>,
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::format::TextOrJson,
}

/// `evcat tag add|remove`.
#[derive(Debug, clap::Subcommand)]
pub enum TagCommand {
    /// Give a record a tag by hand (it survives re-tagging and wins over rules).
    #[command(help_template = examples!(
        "evcat tag add 22430658 condition sciatica --note 'radicular leg pain in the inclusion criteria'",
        "evcat tag add 19478653 outcome return-to-work",
    ))]
    Add(ManualArgs),
    /// Remove a tag from a record by hand (suppresses the rule tag, also after re-tagging).
    #[command(help_template = examples!(
        "evcat tag remove 19478653 route intramuscular --note 'injection was paravertebral only'",
        "evcat show 19478653                 # the removed tag is no longer listed",
    ))]
    Remove(ManualArgs),
}

/// A manual decision.
#[derive(Debug, clap::Args)]
pub struct ManualArgs {
    /// The PMID.
    #[arg(value_parser = parse_pmid)]
    pub pmid: u64,
    /// Dimension (condition, outcome, design, route, intervention, or your own).
    pub dimension: String,
    /// Tag id (see `evcat taxonomy show`).
    pub tag: String,
    /// Why.
    #[arg(long)]
    pub note: Option<String>,
    /// Who decided (default: EVCAT_REVIEWER or `reviewer` in the config file).
    #[arg(long)]
    pub reviewer: Option<String>,
}

/// Runs `evcat tag ...`.
pub fn run(args: &TagArgs, ctx: &Context) -> anyhow::Result<u8> {
    match &args.command {
        Some(TagCommand::Add(m)) => manual(m, true, ctx),
        Some(TagCommand::Remove(m)) => manual(m, false, ctx),
        None => retag_all(args, ctx),
    }
}

fn manual(m: &ManualArgs, add: bool, ctx: &Context) -> anyhow::Result<u8> {
    let checked = check_tag(ctx, &m.dimension, &m.tag).map_err(ops_error)?;
    let mut store = ctx.open_store()?;
    let options = ManualTagOptions {
        pmid: m.pmid,
        dimension: m.dimension.clone(),
        tag: m.tag.clone(),
        add,
        note: m.note.clone(),
        reviewer: m.reviewer.clone(),
    };
    let done = set_manual(ctx, &mut store, &options, checked).map_err(ops_error)?;
    if !ctx.quiet {
        let verb = if add { "added" } else { "removed" };
        let note = if done.removed_without_rule {
            " (no rule gives it now; the removal also holds after re-tagging)"
        } else {
            ""
        };
        println!("PMID {}: {verb} {}/{}{note}", m.pmid, m.dimension, m.tag);
    }
    Ok(exit::SUCCESS)
}

fn retag_all(args: &TagArgs, ctx: &Context) -> anyhow::Result<u8> {
    // The tagger first: a broken taxonomy is reported before the catalogue is opened.
    ctx.matcher()?;
    let mut store = ctx.open_store()?;
    let bar = super::progress::records_bar(ctx, "tag");
    let started = Instant::now();
    let report = retag_records(ctx, &mut store, &args.pmid, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
        bar.set_message(format!(
            "{:.0} records/s",
            done as f64 / started.elapsed().as_secs_f64().max(1e-3)
        ));
    })
    .map_err(ops_error)?;
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    if args.format == super::format::TextOrJson::Json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else if !ctx.quiet {
        writeln!(
            out,
            "re-tagged {} records ({} rule tags) with taxonomy {} in {:.2}s ({:.0} records/s); manual tags kept",
            report.records,
            report.tags,
            report.taxonomy_version,
            report.seconds,
            report.records as f64 / report.seconds.max(1e-6)
        )?;
    }
    Ok(exit::SUCCESS)
}
