//! `evcat stats`: what the catalogue holds.

use crate::ops::Context;
use std::io::Write;

use super::exit;
use crate::store::stats::catalogue_stats;

/// Arguments of `evcat stats`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  evcat stats\n  evcat stats --format json")]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::format::TextOrJson,
}

/// Runs `evcat stats`.
pub fn run(args: &StatsArgs, ctx: &Context) -> anyhow::Result<u8> {
    let store = ctx.open_store_read()?;
    let s = catalogue_stats(&store)?;
    let mut out = std::io::stdout().lock();
    if args.format == super::format::TextOrJson::Json {
        let json = serde_json::json!({
            "database": store.path(),
            "records": s.records,
            "tombstones": s.tombstones,
            "revisions": s.revisions,
            "by_year": s.by_year.iter().map(|(y, n)| serde_json::json!({"year": y, "records": n})).collect::<Vec<_>>(),
            "by_publication_type": s.by_publication_type.iter().map(|(t, n)| serde_json::json!({"type": t, "records": n})).collect::<Vec<_>>(),
            "database_bytes": s.database_bytes,
            "schema_version": s.schema_version,
            "imports": s.imports,
            "last_import": s.last_import,
        });
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
        return Ok(exit::SUCCESS);
    }
    writeln!(out, "database:        {}", store.path().display())?;
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
    for (year, n) in &s.by_year {
        writeln!(
            out,
            "  {:<6} {n}",
            year.map(|y| y.to_string()).unwrap_or_else(|| "-".into())
        )?;
    }
    writeln!(out, "\nby publication type:")?;
    for (t, n) in &s.by_publication_type {
        writeln!(out, "  {n:>6}  {t}")?;
    }
    Ok(exit::SUCCESS)
}
