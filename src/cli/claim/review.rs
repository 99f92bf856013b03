//! `evcat claim review`: give a claim a verdict.

use std::io::Write;

use super::{claim_error, claim_refused};
use crate::claims::record::ClaimError;
use crate::claims::values::Verdict;
use crate::ops::Context;
use crate::ops::claim::{ReviewOptions, review};

/// `claim review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// Claim id.
    pub id: String,
    /// supported, partly-supported, unsupported, contradicted or insufficient-evidence.
    #[arg(long)]
    pub verdict: String,
    /// Why (required).
    #[arg(long)]
    pub note: String,
    /// Who (default: EVCAT_REVIEWER, `reviewer` in the config file, or the user name).
    #[arg(long)]
    pub reviewer: Option<String>,
    /// Your judgement of the linked evidence's risk of bias: low, some-concerns or high (it
    /// then counts in the certainty of the claim's evidence; kept until given again).
    #[arg(long)]
    pub risk_of_bias: Option<String>,
}

pub(super) fn run(a: &ReviewArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    // Parsed here rather than by clap, so that a wrong verdict reads (and exits) as it always has.
    let verdict: Verdict = a
        .verdict
        .parse()
        .map_err(|_| claim_refused(ClaimError::InvalidVerdict(a.verdict.clone())))?;
    let options = ReviewOptions {
        id: a.id.clone(),
        verdict,
        note: a.note.clone(),
        reviewer: a.reviewer.clone(),
        risk_of_bias: a.risk_of_bias.clone(),
    };
    let claim = review(ctx, &options).map_err(claim_error)?;
    if !ctx.quiet {
        writeln!(
            out,
            "{}: {} (by {}, {})",
            claim.id,
            verdict,
            claim.verdict_by.as_deref().unwrap_or("?"),
            claim.verdict_at.as_deref().unwrap_or("?")
        )?;
    }
    Ok(())
}
