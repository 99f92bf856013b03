//! `evcat claim remove`: flag a claim removed (it stays in the audit log and can still be shown).

use std::io::Write;

use super::claim_error;
use crate::ops::Context;
use crate::ops::claim::remove;

/// A claim id.
#[derive(Debug, clap::Args)]
pub struct IdArgs {
    /// Claim id.
    pub id: String,
    /// Who.
    #[arg(long)]
    pub reviewer: Option<String>,
}

pub(super) fn run(a: &IdArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    remove(ctx, &a.id, a.reviewer.as_deref()).map_err(claim_error)?;
    if !ctx.quiet {
        writeln!(
            out,
            "removed claim {} (kept in the audit log: evcat claim log {})",
            a.id, a.id
        )?;
    }
    Ok(())
}
