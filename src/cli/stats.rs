//! `evcat stats`: what the catalogue holds.

use crate::ops::Context;
use std::io::Write;

use super::exit;
use crate::ops::stats::stats;

/// Arguments of `evcat stats`.
#[derive(Debug, clap::Args)]
#[command(help_template = examples!("evcat stats", "evcat stats --format json"))]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::format::TextOrJson,
}

/// Runs `evcat stats`.
pub fn run(args: &StatsArgs, ctx: &Context) -> anyhow::Result<u8> {
    let store = ctx.open_store_read()?;
    let s = stats(&store).map_err(super::ops_error)?;
    let mut out = std::io::stdout().lock();
    if args.format == super::format::TextOrJson::Json {
        serde_json::to_writer_pretty(&mut out, &s)?;
        writeln!(out)?;
        return Ok(exit::SUCCESS);
    }
    writeln!(out, "database:        {}", s.database.display())?;
    writeln!(out, "schema version:  {}", s.schema_version)?;
    writeln!(
        out,
        "size:            {:.1} MB",
        s.database_bytes as f64 / 1_048_576.0
    )?;
    writeln!(out, "records:         {}", s.records)?;
    writeln!(
        out,
        "tombstones:      {} (deleted from PubMed, kept)",
        s.tombstones
    )?;
    writeln!(out, "revisions kept:  {}", s.revisions)?;
    writeln!(
        out,
        "imports:         {} (last {})",
        s.imports,
        s.last_import.as_deref().unwrap_or("never")
    )?;
    writeln!(out, "\nby year:")?;
    for y in &s.by_year {
        writeln!(
            out,
            "  {:<6} {}",
            y.year.map(|y| y.to_string()).unwrap_or_else(|| "-".into()),
            y.records
        )?;
    }
    writeln!(out, "\nby publication type:")?;
    for t in &s.by_publication_type {
        writeln!(out, "  {:>6}  {}", t.records, t.publication_type)?;
    }
    Ok(exit::SUCCESS)
}
