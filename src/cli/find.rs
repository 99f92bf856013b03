//! `evcat find QUERY`: full-text search with filters; and the query and filter arguments that
//! `find`, `export` and `report` share ([`SelectionArgs`]), which only fill
//! [`SelectionOptions`] for [`check_selection`] to check.

use std::io::Write;

use super::format::FindFormat;
use super::{ExitError, exit, ops_error, truncate};
use crate::ops::Context;
use crate::ops::find::{FindOptions, find_records};
use crate::ops::select::{SelectionOptions, check_selection};
use crate::output::text::{csv_cell, terminal_text};

/// Arguments of `evcat find`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat find ozone", "evcat find 'ozone -cervical'", "evcat find ozone --author Paoloni", "evcat find 'journal:\"pain physician\" ozone'", "evcat find '\"disc herniation\" OR sciatica' --year 2005..2015", "evcat find 'ozone NOT cervical' --type 'Randomized Controlled Trial' --format json", "evcat find herniat* --journal 'Pain Physician' --mesh 'Low Back Pain' --limit 5 --format csv"), after_help = "Query language: words (all must match), \"quoted phrases\", OR, AND, NOT (between terms),
-word or -\"phrase\" to exclude, prefix*, (grouping), and column prefixes title: abstract:
keywords: mesh: author: journal:.

When more records match than --limit, \"20 of 46 shown (use --limit)\" goes to stderr."
)]
pub struct FindArgs {
    /// The query and filters.
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
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
    /// An author's name has these words: last name, initials, fore name or collective name
    /// (case, apostrophes and diacritics do not matter), e.g. Paoloni or "Paoloni JA".
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
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
    /// Only records that state at least N participants (records without a participant count
    /// do not match).
    #[arg(long, value_name = "N")]
    pub min_participants: Option<String>,
    /// Only records that state at most N participants (records without a participant count do
    /// not match).
    #[arg(long, value_name = "N")]
    pub max_participants: Option<String>,
    /// Only records that state a follow-up at least this long: 90d, 26w, 6mo (or 6m,
    /// "6 months"), 1y.
    #[arg(long, value_name = "DURATION")]
    pub min_follow_up: Option<String>,
}

impl SelectionArgs {
    /// The selection these arguments (and an optional claim) describe, as the user wrote it
    /// (checked by [`check_selection`]).
    pub fn options(&self, claim: Option<&str>) -> SelectionOptions {
        let by_dimension = [
            ("condition", &self.condition),
            ("outcome", &self.outcome),
            ("design", &self.design),
            ("route", &self.route),
            ("intervention", &self.intervention),
        ];
        SelectionOptions {
            query: self.query.clone(),
            years: self.year.clone(),
            journal: self.journal.clone(),
            author: self.author.clone(),
            publication_type: self.publication_type.clone(),
            mesh: self.mesh.clone(),
            exclude_deleted: self.exclude_deleted,
            tags_by_dimension: by_dimension
                .into_iter()
                .map(|(d, tags)| (d.to_string(), tags.clone()))
                .collect(),
            dimension_tags: self.tags.clone(),
            min_level: self.min_level,
            min_participants: self.min_participants.clone(),
            max_participants: self.max_participants.clone(),
            min_follow_up: self.min_follow_up.clone(),
            claim: claim.map(str::to_string),
        }
    }
}

/// Runs `evcat find`.
pub fn run(args: &FindArgs, ctx: &Context) -> anyhow::Result<u8> {
    if args.csv_raw && args.format != FindFormat::Csv {
        return Err(ExitError::new(exit::USAGE, "--csv-raw applies only to --format csv").into());
    }
    let selection = check_selection(ctx, &args.selection.options(None)).map_err(ops_error)?;
    let store = ctx.open_store_read()?;
    let options = FindOptions {
        selection,
        limit: args.limit,
    };
    let found = find_records(&store, &options).map_err(ops_error)?;
    let hits = &found.hits;
    let mut out = std::io::stdout().lock();
    match args.format {
        FindFormat::Json => {
            serde_json::to_writer_pretty(&mut out, hits)?;
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
            for h in hits {
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
            for h in hits {
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

    if found.total > hits.len() as u64 && !ctx.quiet {
        // On stderr, after the results, whatever the format: stdout stays the documented
        // table, JSON array or CSV.
        eprintln!("{} of {} shown (use --limit)", hits.len(), found.total);
    }
    Ok(exit::SUCCESS)
}
