//! `evcat show PMID`: one record with every field (text without control characters; JSON and
//! the stored XML as they are).

use crate::ops::Context;
use std::io::Write;

use super::format::ShowFormat;
use super::{ExitError, exit, parse_pmid};
use crate::claims::assess::claims_citing;
use crate::output::text::terminal_text;
use crate::store::articles::{load_article, raw_xml};
use crate::store::tags::{StoredTag, manual_decisions, record_tags};
use crate::view::{article_json, article_text};

/// The tags section of `show`: each tag with its evidence.
fn tags_text(tags: &[StoredTag]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if tags.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nTags:");
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
    after_help = "Examples:\n  evcat show 22430658\n  evcat show 22430658 --format json | jq .mesh\n  evcat show 22430658 --format xml   # the original PubMed XML, as imported\n\nExit code 5 when the PMID is not in the catalogue."
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
    let stored = load_article(store.conn(), args.pmid)?.ok_or_else(|| {
        ExitError::new(
            exit::NOT_FOUND,
            format!(
                "PMID {} is not in the catalogue (import or fetch it first)",
                args.pmid
            ),
        )
    })?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ShowFormat::Json => {
            let mut v = article_json(&stored);
            v["tags"] = serde_json::to_value(record_tags(store.conn(), args.pmid)?)?;
            v["manual_tag_decisions"] =
                serde_json::to_value(manual_decisions(store.conn(), args.pmid)?)?;
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        ShowFormat::Text => {
            let mut text = article_text(&stored);
            text.push_str(&tags_text(&record_tags(store.conn(), args.pmid)?));
            let claims = claims_citing(store.conn(), args.pmid)?;
            if !claims.is_empty() {
                let list: Vec<String> = claims.iter().map(|(c, s)| format!("{c} ({s})")).collect();
                text.push_str(&format!("\nCited by claims: {}\n", list.join(", ")));
            }
            // Record text reaches a terminal: control characters go.
            write!(out, "{}", terminal_text(&text))?;
        }
        ShowFormat::Xml => {
            let xml = raw_xml(store.conn(), args.pmid)?.unwrap_or_default();
            out.write_all(&xml)?;
            writeln!(out)?;
        }
    }
    Ok(exit::SUCCESS)
}
