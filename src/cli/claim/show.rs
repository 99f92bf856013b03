//! `evcat claim show`: a claim with its evidence summary, warnings, staleness, links and verdict.

use std::io::Write;

use super::render::{claim_markdown, claim_text};
use super::{ClaimFormat, claim_error};
use crate::ops::Context;
use crate::ops::claim::show;
use crate::output::text::terminal_text;

/// `claim show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Claim id.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ClaimFormat,
}

pub(super) fn run(a: &ShowArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    let shown = show(ctx, &a.id).map_err(claim_error)?;
    match a.format {
        ClaimFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &shown)?;
            writeln!(out)?;
        }
        ClaimFormat::Markdown => write!(
            out,
            "{}",
            terminal_text(&claim_markdown(&shown.claim, &shown.assessment))
        )?,
        ClaimFormat::Table => write!(
            out,
            "{}",
            terminal_text(&claim_text(&shown.claim, &shown.assessment))
        )?,
    }
    Ok(())
}
