//! The command-line interface: argument definitions (clap derive) and one file per subcommand,
//! each a thin layer that fills options, calls the library and prints the result.
//! Data goes to standard output; progress and diagnostics go to standard error.

/// A `help_template` that prints the examples as written: clap rewraps `after_help` to the
/// terminal's width, which broke long examples inside a quoted argument; the literal text of a
/// template is printed as it is. Each argument is one example line (no `{` in them: a template
/// reads `{...}` as a placeholder); notes can still follow in `after_help`.
macro_rules! examples {
    ($($line:literal),+ $(,)?) => {
        concat!(
            "{before-help}{about-with-newline}\n{usage-heading} {usage}\n\n{all-args}\n\nExamples:",
            $("\n  ", $line,)+
            "{after-help}"
        )
    };
}

pub mod audit;
pub mod backup;
pub mod cite;
pub mod claim;
pub mod config;
pub mod errors;
pub mod export;
pub mod fetch;
pub mod find;
pub mod format;
pub mod import;
pub mod net;
pub mod progress;
pub mod refresh;
pub mod report;
pub mod runs;
pub mod saved;
pub mod serve;
pub mod show;
pub mod stats;
pub mod summary;
pub mod tag;
pub mod taxonomy;

use std::path::PathBuf;

use errors::explain_busy;
pub use errors::{ExitError, exit, exit_code_of, ops_error, store_exit_code};

use clap::{Parser, Subcommand};

use crate::ops::Context;
use crate::ops::context::ContextOptions;

/// evcat: a literature evidence catalogue. Import PubMed records, search them, check claims.
#[derive(Debug, Parser)]
#[command(
    name = "evcat",
    version,
    about,
    long_about = None,
    help_template = examples!(
        "evcat import fixtures/ozone-back-pain.xml",
        "evcat find 'ozone \"disc herniation\"'",
        "evcat show 22430658",
    ),
    mut_subcommand("stats", hide_taxonomy),
    mut_subcommand("cite", hide_taxonomy),
    mut_subcommand("backup", hide_taxonomy),
    mut_subcommand("show", hide_taxonomy),
    mut_subcommand("runs", hide_taxonomy),
    mut_subcommand("saved", hide_taxonomy)
)]
pub struct Cli {
    /// Options for every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted by every command. `--db` and `--taxonomy` keep clap's `env` so that `--help`
/// shows their variables as it always has (a help string cannot follow clap's layout of them in
/// both short and long help); [`crate::config::Settings`] resolves the same variables with the
/// same precedence, so a front end without clap gets the same answer.
#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Catalogue database file [default: the platform data directory, e.g. ~/.local/share/evcat/catalogue.sqlite]
    #[arg(
        long,
        global = true,
        env = "EVCAT_DB",
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub db: Option<PathBuf>,
    /// Print only errors (no progress, no summary on standard error).
    #[arg(
        long,
        short,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Global options"
    )]
    pub quiet: bool,
    /// Print more detail on standard error.
    #[arg(long, short, global = true, help_heading = "Global options")]
    pub verbose: bool,
    /// Taxonomy file for tagging [default: the built-in taxonomy; see `evcat taxonomy show`]
    #[arg(
        long,
        global = true,
        env = "EVCAT_TAXONOMY",
        value_name = "FILE",
        help_heading = "Global options"
    )]
    pub taxonomy: Option<PathBuf>,
    /// The running command's name ("import", "claim", ...), set by [`run`]: another process
    /// waiting for the catalogue is told which command holds it.
    #[arg(skip)]
    pub command_name: &'static str,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import PubMed XML files (efetch output, MEDLINE baseline/update files; plain or gzip).
    Import(import::ImportArgs),
    /// Search the catalogue (full text, ranked by BM25) with filters.
    Find(find::FindArgs),
    /// Show one record with every field.
    Show(show::ShowArgs),
    /// Count what the catalogue holds.
    Stats(stats::StatsArgs),
    /// Fetch records from PubMed: a search, or given PMIDs.
    Fetch(fetch::FetchArgs),
    /// Manage saved searches (what `refresh` keeps up to date).
    #[command(
        subcommand,
        help_template = examples!("evcat saved add ozone-back 'ozone AND (back pain OR sciatica)'", "evcat saved list", "evcat saved remove ozone-back")
    )]
    Saved(saved::SavedCommand),
    /// Fetch what is new or revised for saved searches (for cron and systemd timers).
    Refresh(refresh::RefreshArgs),
    /// List fetch and refresh runs.
    Runs(runs::RunsArgs),
    /// Show the effective settings.
    #[command(
        subcommand,
        help_template = examples!("evcat config show", "evcat config show --format json")
    )]
    Config(config::ConfigCommand),
    /// Re-tag records with the active taxonomy, or add and remove tags by hand.
    Tag(tag::TagArgs),
    /// Check, show or evaluate a taxonomy.
    #[command(
        subcommand,
        help_template = examples!("evcat taxonomy check mine.toml", "evcat taxonomy show --format toml > mine.toml", "evcat taxonomy eval fixtures/labelled/records.xml fixtures/labelled/labels.csv")
    )]
    Taxonomy(taxonomy::TaxonomyCommand),
    /// Condition-by-outcome matrix of record counts.
    Summary(summary::SummaryArgs),
    /// Claims: add, list, show, edit, remove, suggest evidence, link, review, log.
    #[command(
        subcommand,
        help_template = examples!("evcat claim add --id pp --text 'A study in Pain Physician found ozone reduced pain in herniated discs'", "evcat claim suggest pp", "evcat claim link pp 22430658 --stance supports", "evcat claim review pp --verdict partly-supported --note 'see the meta-analysis' --reviewer 'Dr Rossi'", "evcat claim list --stale")
    )]
    Claim(claim::ClaimCommand),
    /// Write a consistent copy of the catalogue (safe while it is in use).
    Backup(backup::BackupArgs),
    /// Find an article's evidence claims and the catalogue's evidence for each.
    Audit(audit::AuditArgs),
    /// Formatted references (Vancouver, AMA, APA, Harvard).
    Cite(cite::CiteArgs),
    /// Export records: RIS, BibTeX, CSL-JSON, NBIB, CSV, JSONL.
    Export(export::ExportArgs),
    /// Write an evidence report (Markdown and standalone HTML).
    Report(report::ReportArgs),
    /// Open the web workbench: search, records, claims and article checks in a browser.
    Serve(serve::ServeArgs),
}

/// Hides `--taxonomy` from the help of a command that never reads the taxonomy: the command
/// gets the same (global) argument, hidden, so clap does not list the propagated one; the
/// option is still accepted there, so that scripts passing it everywhere keep working.
fn hide_taxonomy(cmd: clap::Command) -> clap::Command {
    use clap::Args;
    let taxonomy = GlobalArgs::augment_args(clap::Command::new("global"))
        .get_arguments()
        .find(|a| a.get_id() == "taxonomy")
        .cloned()
        .expect("GlobalArgs has --taxonomy");
    cmd.arg(taxonomy.hide(true))
}

impl GlobalArgs {
    /// The context of the running command: settings, catalogue and tagger, resolved once.
    pub fn context(&self) -> Context {
        Context::new(ContextOptions {
            db: self.db.clone(),
            taxonomy: self.taxonomy.clone(),
            quiet: self.quiet,
            verbose: self.verbose,
            purpose: self.command_name,
        })
    }
}

impl Command {
    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Import(_) => "import",
            Command::Find(_) => "find",
            Command::Show(_) => "show",
            Command::Stats(_) => "stats",
            Command::Fetch(_) => "fetch",
            Command::Saved(_) => "saved",
            Command::Refresh(_) => "refresh",
            Command::Runs(_) => "runs",
            Command::Config(_) => "config",
            Command::Tag(_) => "tag",
            Command::Taxonomy(_) => "taxonomy",
            Command::Summary(_) => "summary",
            Command::Claim(_) => "claim",
            Command::Backup(_) => "backup",
            Command::Audit(_) => "audit",
            Command::Cite(_) => "cite",
            Command::Export(_) => "export",
            Command::Report(_) => "report",
            Command::Serve(_) => "serve",
        }
    }
}

/// Runs a parsed command line; returns the exit code for a command that ran to its end.
pub fn run(mut cli: Cli) -> anyhow::Result<u8> {
    cli.global.command_name = cli.command.name();
    let ctx = cli.global.context();
    dispatch(&cli, &ctx).map_err(|err| explain_busy(err, &ctx))
}

fn dispatch(cli: &Cli, ctx: &Context) -> anyhow::Result<u8> {
    match &cli.command {
        Command::Import(args) => import::run(args, ctx),
        Command::Find(args) => find::run(args, ctx),
        Command::Show(args) => show::run(args, ctx),
        Command::Stats(args) => stats::run(args, ctx),
        Command::Fetch(args) => fetch::run(args, ctx),
        Command::Saved(cmd) => saved::run(cmd, ctx),
        Command::Refresh(args) => refresh::run(args, ctx),
        Command::Runs(args) => runs::run(args, ctx),
        Command::Config(cmd) => config::run(cmd, ctx),
        Command::Tag(args) => tag::run(args, ctx),
        Command::Taxonomy(cmd) => taxonomy::run(cmd, ctx),
        Command::Summary(args) => summary::run(args, ctx),
        Command::Claim(cmd) => claim::run(cmd, ctx),
        Command::Backup(args) => backup::run(args, ctx),
        Command::Audit(args) => audit::run(args, ctx),
        Command::Cite(args) => cite::run(args, ctx),
        Command::Export(args) => export::run(args, ctx),
        Command::Report(args) => report::run(args, ctx),
        Command::Serve(args) => serve::run(args, ctx),
    }
}

/// Parses a PMID argument, with a message that names it.
pub fn parse_pmid(s: &str) -> Result<u64, String> {
    s.trim()
        .parse::<u64>()
        .ok()
        .filter(|&p| p > 0 && p <= i64::MAX as u64)
        .ok_or_else(|| format!("{s:?} is not a PMID (a positive whole number such as 22430658)"))
}

pub use crate::output::text::truncate;
