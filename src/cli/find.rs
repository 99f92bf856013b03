//! `evcat find QUERY`: full-text search with filters.

use crate::ops::Context;
use crate::ops::select::{Selection, search_error};
use std::io::Write;

use super::format::FindFormat;
use super::{ExitError, exit, truncate};
use crate::ops::find::{FindOptions, check_tag_filters, find_records};
use crate::output::text::{csv_cell, terminal_text};
use crate::store::search::{FindError, FindFilters, YearRange};

/// Arguments of `evcat find`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Query language: words (all must match), \"quoted phrases\", OR, AND, NOT (between terms),\nprefix*, (grouping), and column prefixes title: abstract: keywords: mesh:.\n\nExamples:\n  evcat find ozone\n  evcat find '\"disc herniation\" OR sciatica' --year 2005..2015\n  evcat find 'ozone NOT cervical' --type 'Randomized Controlled Trial' --format json\n  evcat find herniat* --journal 'Pain Physician' --mesh 'Low Back Pain' --limit 5 --format csv"
)]
pub struct FindArgs {
    /// The query and filters.
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FindFormat,
    /// CSV: write cells as they are, without the `'` that stops a spreadsheet from running a
    /// cell starting with = + - @ as a formula (for programs, not spreadsheets).
    #[arg(long)]
    pub csv_raw: bool,
}

/// The query and filters shared by `find`, `export` and `report`.
#[derive(Debug, Clone, clap::Args)]
pub struct SelectionArgs {
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
    /// Condition tag, e.g. herniated-disc (repeat to require several).
    #[arg(long, value_name = "TAG")]
    pub condition: Vec<String>,
    /// Outcome tag, e.g. pain.
    #[arg(long, value_name = "TAG")]
    pub outcome: Vec<String>,
    /// Design tag, e.g. rct.
    #[arg(long, value_name = "TAG")]
    pub design: Vec<String>,
    /// Route tag, e.g. intradiscal.
    #[arg(long, value_name = "TAG")]
    pub route: Vec<String>,
    /// Intervention tag, e.g. ozone.
    #[arg(long, value_name = "TAG")]
    pub intervention: Vec<String>,
    /// A tag of any dimension, as DIMENSION:TAG (for your own dimensions).
    #[arg(long = "tag", value_name = "DIMENSION:TAG")]
    pub tags: Vec<String>,
    /// Only records whose design has at least this evidence level (7 meta-analysis, 6 systematic
    /// review or guideline, 5 RCT, 4 non-randomised trial, 3 cohort or case-control, 2 case series,
    /// 1 case report or narrative review).
    #[arg(long, value_name = "N")]
    pub min_level: Option<i64>,
}

impl SelectionArgs {
    /// Whether the user narrowed the records at all (a query or any filter).
    pub fn narrowed(&self) -> bool {
        !self.query.trim().is_empty()
            || self.year.is_some()
            || self.journal.is_some()
            || self.publication_type.is_some()
            || self.mesh.is_some()
            || self.exclude_deleted
            || !self.condition.is_empty()
            || !self.outcome.is_empty()
            || !self.design.is_empty()
            || !self.route.is_empty()
            || !self.intervention.is_empty()
            || !self.tags.is_empty()
            || self.min_level.is_some()
    }

    /// The selection these arguments (and an optional claim) describe, checked.
    pub fn selection(&self, ctx: &Context, claim: Option<&str>) -> anyhow::Result<Selection> {
        Ok(Selection {
            query: self.query.clone(),
            filters: self.filters(ctx)?,
            narrowed: self.narrowed(),
            claim: claim.map(str::to_string),
        })
    }

    /// The filters, checked (year range, tag ids against the active taxonomy).
    pub fn filters(&self, ctx: &Context) -> anyhow::Result<FindFilters> {
        let years = self
            .year
            .as_deref()
            .map(|y| y.parse::<YearRange>())
            .transpose()
            .map_err(|e| ExitError::new(exit::USAGE, format!("--year: {e}")))?;
        Ok(FindFilters {
            years,
            journal: self.journal.clone(),
            publication_type: self.publication_type.clone(),
            mesh: self.mesh.clone(),
            exclude_deleted: self.exclude_deleted,
            tags: tag_filters(self, ctx)?,
            min_level: self.min_level,
        })
    }
}

/// Maps a search error: a bad query or filter is a usage error.
pub fn query_error(query: &str, e: FindError) -> anyhow::Error {
    anyhow::Error::new(search_error(query, e))
}

/// The tag filters, checked against the active taxonomy.
pub fn tag_filters(args: &SelectionArgs, ctx: &Context) -> anyhow::Result<Vec<(String, String)>> {
    let mut wanted: Vec<(String, String)> = Vec::new();
    for (dim, values) in [
        ("condition", &args.condition),
        ("outcome", &args.outcome),
        ("design", &args.design),
        ("route", &args.route),
        ("intervention", &args.intervention),
    ] {
        wanted.extend(values.iter().map(|v| (dim.to_string(), v.clone())));
    }
    for t in &args.tags {
        let (d, v) = t.split_once(':').ok_or_else(|| {
            ExitError::new(
                exit::USAGE,
                format!("--tag {t:?}: write DIMENSION:TAG, e.g. condition:sciatica"),
            )
        })?;
        wanted.push((d.to_string(), v.to_string()));
    }
    check_tag_filters(ctx, wanted).map_err(super::ops_error)
}

/// Runs `evcat find`.
pub fn run(args: &FindArgs, ctx: &Context) -> anyhow::Result<u8> {
    if args.csv_raw && args.format != FindFormat::Csv {
        return Err(ExitError::new(exit::USAGE, "--csv-raw applies only to --format csv").into());
    }
    let filters = args.selection.filters(ctx)?;
    let store = ctx.open_store_read()?;
    let options = FindOptions {
        query: args.selection.query.clone(),
        filters,
        limit: args.limit,
    };
    let hits = find_records(&store, &options).map_err(super::ops_error)?;
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
                let cells = [
                    h.pmid.to_string(),
                    h.year.map(|y| y.to_string()).unwrap_or_default(),
                    h.journal.clone().unwrap_or_default(),
                    h.first_author.clone().unwrap_or_default(),
                    h.title.clone(),
                    h.publication_types.join("; "),
                    h.deleted.to_string(),
                    h.score.map(|s| format!("{s:.3}")).unwrap_or_default(),
                ];
                w.write_record(cells.iter().map(|c| csv_cell(c, args.csv_raw).into_owned()))?;
            }
            w.flush()?;
        }
        FindFormat::Table => {
            if hits.is_empty() {
                if !ctx.quiet {
                    eprintln!("no records match");
                }
                return Ok(exit::SUCCESS);
            }
            writeln!(
                out,
                "{:<10} {:<4} {:<22} {:<20} TITLE",
                "PMID", "YEAR", "JOURNAL", "FIRST AUTHOR"
            )?;
            // Record text reaches a terminal: control characters go.
            let cell = |s: &str, width: usize| truncate(&terminal_text(s), width);
            for h in &hits {
                writeln!(
                    out,
                    "{:<10} {:<4} {:<22} {:<20} {}{}",
                    h.pmid,
                    h.year.map(|y| y.to_string()).unwrap_or_else(|| "-".into()),
                    cell(h.journal.as_deref().unwrap_or("-"), 22),
                    cell(h.first_author.as_deref().unwrap_or("-"), 20),
                    if h.deleted { "[DELETED] " } else { "" },
                    cell(&h.title, 90)
                )?;
            }
        }
    }
    Ok(exit::SUCCESS)
}
