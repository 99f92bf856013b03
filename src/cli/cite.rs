//! `evcat cite PMID...`: formatted references in a citation style.

use crate::ops::Context;
use std::io::Write;

use super::format::{TextOrJson, text_or_json_parser};
use super::{ExitError, exit, parse_pmid};
use crate::export::cite::{CitationStyle, format_references, style_source};
use crate::store::articles::load_article;

/// Arguments of `evcat cite`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  evcat cite 22430658\n  evcat cite 22430658 19478653 --style apa\n  evcat cite 22430658 --style ama --format json\n\nStyles come from the CSL styles bundled with the hayagriva crate (see README)."
)]
pub struct CiteArgs {
    /// PMIDs, in the order to cite them.
    #[arg(required = true, value_parser = parse_pmid)]
    pub pmids: Vec<u64>,
    /// Citation style.
    #[arg(long, value_enum, default_value = "vancouver")]
    pub style: CitationStyle,
    /// Output: numbered text, or JSON `[{pmid, reference}]`.
    #[arg(long, value_parser = text_or_json_parser(), default_value = "text")]
    pub format: TextOrJson,
}

/// Runs `evcat cite`.
pub fn run(args: &CiteArgs, ctx: &Context) -> anyhow::Result<u8> {
    let store = ctx.open_store_read()?;
    let mut articles = Vec::new();
    let mut missing = Vec::new();
    for &pmid in &args.pmids {
        match load_article(store.conn(), pmid)? {
            Some(s) if s.has_data => articles.push(s.article),
            Some(_) => missing.push(format!("{pmid} (deleted from PubMed, no data)")),
            None => missing.push(pmid.to_string()),
        }
    }
    if !missing.is_empty() {
        return Err(ExitError::new(
            exit::NOT_FOUND,
            format!(
                "not in the catalogue: {} (import or fetch them first)",
                missing.join(", ")
            ),
        )
        .into());
    }
    let references = format_references(&articles, args.style)
        .map_err(|e| ExitError::new(exit::FAILURE, e.to_string()))?;
    let mut out = std::io::stdout().lock();
    if args.format == TextOrJson::Json {
        let v: Vec<_> = articles
            .iter()
            .zip(&references)
            .map(|(a, r)| serde_json::json!({"pmid": a.pmid, "reference": r}))
            .collect();
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({"style": style_source(args.style), "references": v}),
        )?;
        writeln!(out)?;
    } else {
        for (i, r) in references.iter().enumerate() {
            writeln!(out, "{}. {r}", i + 1)?;
        }
    }
    Ok(exit::SUCCESS)
}
