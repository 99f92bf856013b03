//! `evcat claim link`: link a record to a claim with a stance.

use std::io::Write;

use super::{claim_error, claim_refused};
use crate::claims::record::ClaimError;
use crate::claims::values::Stance;
use crate::cli::parse_pmid;
use crate::ops::Context;
use crate::ops::claim::{LinkOptions, link};
use crate::output::text::terminal_text;

/// `claim link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    /// Claim id.
    pub id: String,
    /// The record.
    #[arg(value_parser = parse_pmid)]
    pub pmid: u64,
    /// supports, refutes, mixed or no-evidence; without it, the stance evcat suggests from the
    /// record's findings (logged as suggested; never over a reviewer's stance).
    #[arg(long)]
    pub stance: Option<String>,
    /// Why.
    #[arg(long)]
    pub note: Option<String>,
    /// Who.
    #[arg(long)]
    pub reviewer: Option<String>,
}

pub(super) fn run(a: &LinkArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    // Parsed here rather than by clap, so that a wrong stance reads (and exits) as it always has.
    let stance: Option<Stance> = a
        .stance
        .as_ref()
        .map(|given| {
            given
                .parse()
                .map_err(|_| claim_refused(ClaimError::InvalidStance(given.clone())))
        })
        .transpose()?;
    let options = LinkOptions {
        id: a.id.clone(),
        pmid: a.pmid,
        stance,
        note: a.note.clone(),
        reviewer: a.reviewer.clone(),
    };
    let linked = link(ctx, &options).map_err(claim_error)?;
    if !ctx.quiet {
        writeln!(
            out,
            "linked PMID {} to {} ({})",
            linked.link.pmid, a.id, linked.link.stance
        )?;
        if let Some(because) = &linked.suggested_because {
            writeln!(
                out,
                "the stance is evcat's suggestion, logged as suggested (change it with --stance): {}",
                terminal_text(because)
            )?;
        }
    }
    // Warnings go to stderr even with --quiet: linking a withdrawn record is worth knowing.
    for w in &linked.warnings {
        eprintln!("evcat: warning: {}; linked anyway", terminal_text(w));
    }
    if linked.withdrawn {
        eprintln!(
            "evcat: warning: deleted and retracted records never count as a claim's strongest evidence"
        );
    }
    Ok(())
}
