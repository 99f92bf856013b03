//! `evcat find QUERY`: full-text search with filters.

use std::io::Write;

use super::{ExitError, GlobalArgs, exit, truncate};
use crate::store::search::{FindError, FindFilters, YearRange, find};

/// Arguments of `evcat find`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Query language: words (all must match), \"quoted phrases\", OR, AND, NOT (between terms),\nprefix*, (grouping), and column prefixes title: abstract: keywords: mesh:.\n\nExamples:\n  evcat find ozone\n  evcat find '\"disc herniation\" OR sciatica' --year 2005..2015\n  evcat find 'ozone NOT cervical' --type 'Randomized Controlled Trial' --format json\n  evcat find herniat* --journal 'Pain Physician' --mesh 'Low Back Pain' --limit 5 --format csv"
)]
pub struct FindArgs {
    /// The search; may be empty when filters are given.
    #[arg(default_value = "")]
    pub query: String,
    /// Publication years: 2015, 2010..2020, 2010.. or ..2020.
    #[arg(long, value_name = "RANGE")]
    pub year: Option<String>,
    /// Journal title or abbreviation contains this (case-insensitive).
    #[arg(long)]
    pub journal: Option<String>,
    /// Publication type, e.g. "Meta-Analysis" (case-insensitive).
    #[arg(long = "type", value_name = "TYPE")]
    pub publication_type: Option<String>,
    /// MeSH descriptor name or UI, e.g. "Low Back Pain" or D017116.
    #[arg(long)]
    pub mesh: Option<String>,
    /// Leave out records deleted from PubMed.
    #[arg(long)]
    pub exclude_deleted: bool,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FindFormat,
}

/// Formats of `evcat find`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FindFormat {
    /// Aligned columns.
    Table,
    /// JSON array (schema in README).
    Json,
    /// CSV with a header row.
    Csv,
}

/// Runs `evcat find`.
pub fn run(args: &FindArgs, global: &GlobalArgs) -> anyhow::Result<u8> {
    let years = args
        .year
        .as_deref()
        .map(|y| y.parse::<YearRange>())
        .transpose()
        .map_err(|e| ExitError::new(exit::USAGE, format!("--year: {e}")))?;
    let filters = FindFilters {
        years,
        journal: args.journal.clone(),
        publication_type: args.publication_type.clone(),
        mesh: args.mesh.clone(),
        exclude_deleted: args.exclude_deleted,
    };
    let store = global.open_store()?;
    let hits = find(&store, &args.query, &filters, args.limit).map_err(|e| match e {
        FindError::Query(q) => anyhow::Error::new(ExitError::new(
            exit::USAGE,
            format!("query {:?}: {q}", args.query),
        )),
        other => anyhow::Error::new(other),
    })?;
    let mut out = std::io::stdout().lock();
    match args.format {
        FindFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &hits)?;
            writeln!(out)?;
        }
        FindFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "pmid",
                "year",
                "journal",
                "first_author",
                "title",
                "publication_types",
                "deleted",
                "score",
            ])?;
            for h in &hits {
                w.write_record([
                    h.pmid.to_string(),
                    h.year.map(|y| y.to_string()).unwrap_or_default(),
                    h.journal.clone().unwrap_or_default(),
                    h.first_author.clone().unwrap_or_default(),
                    h.title.clone(),
                    h.publication_types.join("; "),
                    h.deleted.to_string(),
                    h.score.map(|s| format!("{s:.3}")).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        FindFormat::Table => {
            if hits.is_empty() {
                if !global.quiet {
                    eprintln!("no records match");
                }
                return Ok(exit::SUCCESS);
            }
            writeln!(
                out,
                "{:<10} {:<4} {:<22} {:<20} TITLE",
                "PMID", "YEAR", "JOURNAL", "FIRST AUTHOR"
            )?;
            for h in &hits {
                writeln!(
                    out,
                    "{:<10} {:<4} {:<22} {:<20} {}{}",
                    h.pmid,
                    h.year.map(|y| y.to_string()).unwrap_or_else(|| "-".into()),
                    truncate(h.journal.as_deref().unwrap_or("-"), 22),
                    truncate(h.first_author.as_deref().unwrap_or("-"), 20),
                    if h.deleted { "[DELETED] " } else { "" },
                    truncate(&h.title, 90)
                )?;
            }
        }
    }
    Ok(exit::SUCCESS)
}
