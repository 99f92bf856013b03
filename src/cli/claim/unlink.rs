//! `evcat claim unlink`: remove a record from a claim's evidence.

use std::io::Write;

use super::claim_error;
use crate::cli::parse_pmid;
use crate::ops::Context;
use crate::ops::claim::unlink;

/// `claim unlink`.
#[derive(Debug, clap::Args)]
pub struct UnlinkArgs {
    /// Claim id.
    pub id: String,
    /// The record.
    #[arg(value_parser = parse_pmid)]
    pub pmid: u64,
    /// Who.
    #[arg(long)]
    pub reviewer: Option<String>,
}

pub(super) fn run(a: &UnlinkArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    unlink(ctx, &a.id, a.pmid, a.reviewer.as_deref()).map_err(claim_error)?;
    if !ctx.quiet {
        writeln!(out, "unlinked PMID {} from {}", a.pmid, a.id)?;
    }
    Ok(())
}
