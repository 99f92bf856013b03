//! `evcat cite PMID...`: formatted references in a citation style.

use crate::ops::Context;
use std::io::Write;

use super::format::{CitationStyleArg, TextOrJson, text_or_json_parser};
use super::{exit, ops_error, parse_pmid};
use crate::ops::cite::{CiteOptions, cite};

/// Arguments of `evcat cite`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat cite 22430658", "evcat cite 22430658 19478653 --style apa", "evcat cite 22430658 --style ama --format json"), after_help = "Styles come from the CSL styles bundled with the hayagriva crate (see README)."
)]
pub struct CiteArgs {
    /// PMIDs, in the order to cite them.
    #[arg(required = true, value_parser = parse_pmid)]
    pub pmids: Vec<u64>,
    /// Citation style [default: the `citation_style` setting, vancouver unless set].
    #[arg(long, value_enum)]
    pub style: Option<CitationStyleArg>,
    /// Output: numbered text, or JSON `{"style", "references": [{pmid, reference}]}`.
    #[arg(long, value_parser = text_or_json_parser(), default_value = "text")]
    pub format: TextOrJson,
}

/// Runs `evcat cite`.
pub fn run(args: &CiteArgs, ctx: &Context) -> anyhow::Result<u8> {
    let style = match args.style {
        Some(s) => s.into(),
        None => ctx.settings().map_err(ops_error)?.citation_style.value,
    };
    let store = ctx.open_store_read()?;
    let options = CiteOptions {
        pmids: args.pmids.clone(),
        style,
    };
    let citations = cite(&store, &options).map_err(ops_error)?;
    let mut out = std::io::stdout().lock();
    if args.format == TextOrJson::Json {
        serde_json::to_writer_pretty(&mut out, &citations)?;
        writeln!(out)?;
    } else {
        for (i, r) in citations.references.iter().enumerate() {
            writeln!(out, "{}. {}", i + 1, r.reference)?;
        }
    }
    Ok(exit::SUCCESS)
}
