//! `evcat claim add`: record a claim; tags not given are inferred from the text (and shown).

use std::io::Write;

use super::render::tags_line;
use super::{ClaimFormat, ClaimKindArg, TagOptions, claim_error};
use crate::ops::Context;
use crate::ops::claim::{AddOptions, add};

/// `claim add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// What the article claims.
    #[arg(long)]
    pub text: String,
    /// Id (a slug); generated from the text when omitted.
    #[arg(long)]
    pub id: Option<String>,
    /// URL or citation of the article making the claim.
    #[arg(long)]
    pub source: Option<String>,
    /// What the claim is about.
    #[arg(long, value_enum)]
    pub kind: Option<ClaimKindArg>,
    /// Tags.
    #[command(flatten)]
    pub tags: TagOptions,
    /// Who (default: EVCAT_REVIEWER, `reviewer` in the config file, or the user name).
    #[arg(long)]
    pub reviewer: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ClaimFormat,
}

pub(super) fn run(a: &AddArgs, ctx: &Context, out: &mut impl Write) -> anyhow::Result<()> {
    let options = AddOptions {
        id: a.id.clone(),
        text: a.text.clone(),
        source: a.source.clone(),
        tags: a.tags.pairs(),
        reviewer: a.reviewer.clone(),
        kind: a.kind.map(Into::into),
    };
    let claim = add(ctx, &options).map_err(claim_error)?;
    if a.format == ClaimFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &claim)?;
        writeln!(out)?;
    } else if !ctx.quiet {
        writeln!(out, "added claim {}", claim.id)?;
        if let Some(kind) = claim.kind {
            writeln!(out, "kind: {kind}")?;
        }
        writeln!(out, "tags: {}", tags_line(&claim))?;
        if claim.tags.iter().any(|t| t.inferred) {
            writeln!(
                out,
                "(tags marked * were inferred from the text; correct them with `evcat claim edit {} --condition ...`)",
                claim.id
            )?;
        }
    }
    Ok(())
}
