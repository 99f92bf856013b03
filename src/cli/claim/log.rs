//! `evcat claim log`: a claim's audit log, every change with time, reviewer, before and after.

use std::io::Write;

use super::{ClaimFormat, claim_error};
use crate::ops::Context;
use crate::ops::claim::log;
use crate::output::text::terminal_text;

/// `claim log`.
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// Claim id.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ClaimFormat,
}

pub(super) fn run(a: &LogArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    let entries = log(ctx, &a.id).map_err(claim_error)?;
    if a.format == ClaimFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &entries)?;
        writeln!(out)?;
        return Ok(());
    }
    for e in entries {
        writeln!(
            out,
            "#{} {} {:<7} by {}",
            e.id,
            e.at,
            e.action,
            e.reviewer.as_deref().unwrap_or("-")
        )?;
        if let Some(b) = &e.before {
            writeln!(out, "    before: {}", terminal_text(&b.to_string()))?;
        }
        if let Some(a) = &e.after {
            writeln!(out, "    after:  {}", terminal_text(&a.to_string()))?;
        }
    }
    Ok(())
}
