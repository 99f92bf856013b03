//! `evcat claim suggest`: catalogue records ranked as candidate evidence for a claim.

use std::io::Write;

use super::{ClaimFormat, claim_error};
use crate::ops::Context;
use crate::ops::claim::suggest;
use crate::output::text::terminal_text;

/// `claim suggest`.
#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
    /// Claim id.
    pub id: String,
    /// How many candidates.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Output format (JSON: `[{pmid, score, reasons[], citation}]`, best first).
    #[arg(long, value_enum, default_value = "text")]
    pub format: ClaimFormat,
}

pub(super) fn run(a: &SuggestArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    let found = suggest(ctx, &a.id, a.limit).map_err(claim_error)?;
    if a.format == ClaimFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &found.candidates)?;
        writeln!(out)?;
        return Ok(());
    }
    for (i, c) in found.candidates.iter().enumerate() {
        let linked = found
            .claim
            .links
            .iter()
            .find(|l| l.pmid == c.pmid)
            .map(|l| format!(" [linked: {}]", l.stance))
            .unwrap_or_default();
        writeln!(
            out,
            "{:>2}. PMID {} score {:.2}{linked}\n    {}",
            i + 1,
            c.pmid,
            c.score,
            terminal_text(&c.citation)
        )?;
        for r in &c.reasons {
            writeln!(out, "      - {}", terminal_text(r))?;
        }
        if let Some(stance) = c.stance {
            writeln!(
                out,
                "      suggested stance: {} ({})",
                stance.as_str(),
                terminal_text(c.stance_reason.as_deref().unwrap_or(""))
            )?;
        }
        for n in &c.stance_notes {
            writeln!(out, "      note: {}", terminal_text(n))?;
        }
    }
    if found.candidates.is_empty() && !ctx.quiet {
        eprintln!("no candidate evidence in the catalogue (fetch more with `evcat fetch`)");
    }
    Ok(())
}
