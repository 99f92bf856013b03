//! `evcat saved add|list|remove`: the saved searches that `refresh` keeps up to date.

use crate::ops::Context;
use std::io::Write;

use super::{exit, ops_error};
use crate::ops::saved;

/// `evcat saved` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SavedCommand {
    /// Save a PubMed search under a name.
    #[command(
        help_template = examples!("evcat saved add ozone-back 'ozone AND (back pain OR sciatica OR disc herniation)'", "evcat refresh ozone-back")
    )]
    Add {
        /// Name: letters, digits, '.', '_', '-'.
        name: String,
        /// The PubMed query.
        query: String,
    },
    /// List saved searches with their watermarks.
    #[command(
        help_template = examples!("evcat saved list", "evcat saved list --format json"),
        after_help = "JSON: an array [{name, query, created_at, watermark, last_success_at}] (schema in README)."
    )]
    List {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: super::format::TextOrJson,
    },
    /// Remove a saved search (its run history stays).
    #[command(help_template = examples!("evcat saved remove ozone-back"))]
    Remove {
        /// The name.
        name: String,
    },
}

/// Runs `evcat saved ...`.
pub fn run(cmd: &SavedCommand, ctx: &Context) -> anyhow::Result<u8> {
    let store = match cmd {
        SavedCommand::List { .. } => ctx.open_store_read()?,
        _ => ctx.open_store()?,
    };
    let mut out = std::io::stdout().lock();
    match cmd {
        SavedCommand::Add { name, query } => {
            let s = saved::add(&store, name, query).map_err(ops_error)?;
            if !ctx.quiet {
                writeln!(out, "saved {:?}: {}", s.name, s.query)?;
            }
        }
        SavedCommand::Remove { name } => {
            saved::remove(&store, name).map_err(ops_error)?;
            if !ctx.quiet {
                writeln!(out, "removed {name:?}")?;
            }
        }
        SavedCommand::List { format } => {
            let all = saved::list(&store).map_err(ops_error)?;
            if *format == super::format::TextOrJson::Json {
                serde_json::to_writer_pretty(&mut out, &all)?;
                writeln!(out)?;
            } else if all.is_empty() {
                if !ctx.quiet {
                    eprintln!("no saved searches (add one with `evcat saved add NAME QUERY`)");
                }
            } else {
                writeln!(out, "{:<20} {:<12} QUERY", "NAME", "WATERMARK")?;
                for s in all {
                    writeln!(
                        out,
                        "{:<20} {:<12} {}",
                        s.name,
                        s.watermark.as_deref().unwrap_or("never"),
                        s.query
                    )?;
                }
            }
        }
    }
    Ok(exit::SUCCESS)
}
