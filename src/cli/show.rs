//! `evcat show PMID`: one record with every field (text without control characters; JSON and
//! the stored XML as they are).

use crate::ops::Context;
use std::io::Write;

use super::format::ShowFormat;
use super::{exit, ops_error, parse_pmid};
use crate::ops::show::{original_xml, show};
use crate::output::text::terminal_text;
use crate::store::tags::StoredTag;
use crate::view::{article_text, facts_text, findings_text};

/// The tags section of `show`: each tag with its evidence, and "design: not stated" when the
/// record has no design tag (`design_stated` false).
fn tags_text(tags: &[StoredTag], design_stated: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if tags.is_empty() && design_stated {
        return out;
    }
    let _ = writeln!(out, "\nTags:");
    if !design_stated {
        let _ = writeln!(out, "  design: not stated");
    }
    for t in tags {
        let level = t.level.map(|l| format!(" (level {l})")).unwrap_or_default();
        if t.origin == "manual" {
            let _ = writeln!(
                out,
                "  {}/{}{level}  [manual{}]",
                t.dimension,
                t.tag,
                t.text
                    .as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            );
            continue;
        }
        let evidence: Vec<String> = t
            .evidence
            .iter()
            .map(|e| {
                let at = e.start.map(|s| format!(" @{s}")).unwrap_or_default();
                let neg = if e.negated { " (negated)" } else { "" };
                format!(
                    "{} {:?}{at}{neg}",
                    e.source,
                    e.text.as_deref().unwrap_or("")
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  {}/{}{level}  {}",
            t.dimension,
            t.tag,
            evidence.join("; ")
        );
    }
    out
}

/// Arguments of `evcat show`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat show 22430658", "evcat show 22430658 --format json | jq .mesh", "evcat show 22430658 --format xml   # the original PubMed XML, as imported"), after_help = "Exit code 5 when the PMID is not in the catalogue."
)]
pub struct ShowArgs {
    /// The PMID.
    #[arg(value_parser = parse_pmid)]
    pub pmid: u64,
    /// Output format: text, json (schema in README) or xml (the stored original record).
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
}

/// Runs `evcat show`.
pub fn run(args: &ShowArgs, ctx: &Context) -> anyhow::Result<u8> {
    let store = ctx.open_store_read()?;
    let mut out = std::io::stdout().lock();
    let matcher = || ctx.matcher().map_err(ops_error);
    match args.format {
        ShowFormat::Json => {
            let record = show(&store, args.pmid, &*matcher()?).map_err(ops_error)?;
            serde_json::to_writer_pretty(&mut out, &record)?;
            writeln!(out)?;
        }
        ShowFormat::Text => {
            let record = show(&store, args.pmid, &*matcher()?).map_err(ops_error)?;
            let mut text = article_text(
                &record.stored,
                ctx.settings().map_err(ops_error)?.citation_style.value,
            );
            // A tombstone without data has nothing to tag.
            let design_stated = record.design_stated() || !record.stored.has_data;
            text.push_str(&tags_text(&record.tags, design_stated));
            text.push_str(&facts_text(&record.facts));
            text.push_str(&findings_text(&record.findings));
            if !record.cited_by.is_empty() {
                let list: Vec<String> = record
                    .cited_by
                    .iter()
                    .map(|(c, s)| format!("{c} ({s})"))
                    .collect();
                text.push_str(&format!("\nCited by claims: {}\n", list.join(", ")));
            }
            // Record text reaches a terminal: control characters go.
            write!(out, "{}", terminal_text(&text))?;
        }
        ShowFormat::Xml => {
            let xml = original_xml(&store, args.pmid).map_err(ops_error)?;
            out.write_all(&xml)?;
            writeln!(out)?;
        }
    }
    Ok(exit::SUCCESS)
}
