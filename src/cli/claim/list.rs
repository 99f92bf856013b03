//! `evcat claim list`: claims with their status, evidence, warnings and staleness.

use std::io::{self, Write};

use super::render::{stale_text, stance_counts};
use super::{ClaimFormat, TagOptions, claim_error};
use crate::claims::assess::ClaimFilter;
use crate::cli::truncate;
use crate::ops::Context;
use crate::ops::claim::{AssessedClaim, list};
use crate::output::text::terminal_text;

/// `claim list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// unreviewed, or a verdict.
    #[arg(long)]
    pub status: Option<String>,
    /// Only claims with these tags.
    #[command(flatten)]
    pub tags: TagOptions,
    /// Only reviewed claims with records matching their tags that arrived after the verdict.
    #[arg(long)]
    pub stale: bool,
    /// Include removed claims.
    #[arg(long)]
    pub removed: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ClaimFormat,
}

pub(super) fn run(a: &ListArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    let filter = ClaimFilter {
        removed: a.removed,
        status: a.status.clone(),
        tags: a.tags.pairs(),
        stale: a.stale,
    };
    let rows = list(ctx, &filter).map_err(claim_error)?;
    match a.format {
        ClaimFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
        ClaimFormat::Markdown => list_markdown(out, &rows)?,
        ClaimFormat::Table => {
            if rows.is_empty() {
                if !ctx.quiet {
                    eprintln!("no claims match");
                }
                return Ok(());
            }
            list_table(out, &rows)?;
        }
    }
    Ok(())
}

/// The claims as a Markdown table.
fn list_markdown(out: &mut impl Write, rows: &[AssessedClaim]) -> io::Result<()> {
    writeln!(
        out,
        "| claim | status | evidence | warnings | stale | text |\n|---|---|---|---:|---|---|"
    )?;
    for AssessedClaim {
        claim: c,
        assessment: s,
    } in rows
    {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            c.id,
            s.status,
            stance_counts(s),
            s.warnings.len(),
            stale_text(s),
            terminal_text(&c.text.replace('|', "\\|"))
        )?;
    }
    Ok(())
}

/// The claims as an aligned table with a header row. Ids are never cut (they are typed back
/// into other commands): the column is as wide as the longest.
fn list_table(out: &mut impl Write, rows: &[AssessedClaim]) -> io::Result<()> {
    let id_width = rows
        .iter()
        .map(|r| r.claim.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(24);
    writeln!(
        out,
        "{:<id_width$} {:<22} {:<18} {:>4}  {:<26} TEXT",
        "ID", "STATUS", "EVIDENCE", "WARN", "STALE"
    )?;
    for AssessedClaim {
        claim: c,
        assessment: s,
    } in rows
    {
        let status = if c.removed_at.is_some() {
            format!("{} (removed)", s.status)
        } else {
            s.status.clone()
        };
        writeln!(
            out,
            "{:<id_width$} {:<22} {:<18} {:>4}  {:<26} {}",
            c.id,
            status,
            stance_counts(s),
            s.warnings.len(),
            truncate(&stale_text(s), 26),
            truncate(&terminal_text(&c.text), 70)
        )?;
    }
    Ok(())
}
