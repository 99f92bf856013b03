//! `evcat claim edit`: change a claim's text, source, kind or tags.

use std::io::Write;

use super::render::tags_line;
use super::{ClaimKindArg, TagOptions, claim_error};
use crate::ops::Context;
use crate::ops::claim::{EditOptions, edit};

/// `claim edit`.
#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// Claim id.
    pub id: String,
    /// New text.
    #[arg(long)]
    pub text: Option<String>,
    /// New source.
    #[arg(long, conflicts_with = "clear_source")]
    pub source: Option<String>,
    /// Remove the source.
    #[arg(long)]
    pub clear_source: bool,
    /// New kind: what the claim is about.
    #[arg(long, value_enum)]
    pub kind: Option<ClaimKindArg>,
    /// New tags (each dimension given replaces that dimension's tags).
    #[command(flatten)]
    pub tags: TagOptions,
    /// Infer the tags of dimensions not given from the (new) text.
    #[arg(long)]
    pub reinfer: bool,
    /// Who.
    #[arg(long)]
    pub reviewer: Option<String>,
}

pub(super) fn run(a: &EditArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    let options = EditOptions {
        id: a.id.clone(),
        text: a.text.clone(),
        source: if a.clear_source {
            Some(None)
        } else {
            a.source.clone().map(Some)
        },
        tags: a.tags.pairs(),
        reinfer: a.reinfer,
        reviewer: a.reviewer.clone(),
        kind: a.kind.map(Into::into),
    };
    let claim = edit(ctx, &options).map_err(claim_error)?;
    if !ctx.quiet {
        let kind = claim
            .kind
            .map(|k| format!("; kind: {k}"))
            .unwrap_or_default();
        writeln!(
            out,
            "edited claim {}{kind}; tags: {}",
            claim.id,
            tags_line(&claim)
        )?;
    }
    Ok(())
}
