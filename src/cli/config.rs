//! `evcat config show`: the effective settings and where each came from. The API key is masked.

use crate::ops::Context;
use std::io::Write;

use serde_json::json;

use super::exit;

/// `evcat config` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Print the effective settings (API key masked).
    #[command(after_help = "Examples:\n  evcat config show\n  evcat config show --format json")]
    Show {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: super::format::TextOrJson,
    },
}

/// Runs `evcat config ...`.
pub fn run(cmd: &ConfigCommand, ctx: &Context) -> anyhow::Result<u8> {
    let ConfigCommand::Show { format } = cmd;
    let s = ctx.settings()?;
    let db = ctx.db_path()?;
    let db_origin = if ctx.options.db.is_some() {
        "flag or EVCAT_DB"
    } else if s.database.is_some() {
        "config-file"
    } else {
        "default"
    };
    let key = match &s.api_key.0 {
        Some(k) => format!("{k} (set, from {})", s.api_key.2),
        None => format!("not set ({})", s.api_key.2),
    };
    let v = json!({
        "config_file": s.config_path,
        "database": {"value": db, "origin": db_origin},
        "email": {"value": s.email.0, "origin": s.email.1},
        "api_key": {"value": key, "origin": s.api_key.1},
        "eutils_base": {"value": s.eutils_base.0, "origin": s.eutils_base.1},
        "batch_size": {"value": s.batch_size.0, "origin": s.batch_size.1},
        "max_retries": {"value": s.max_retries.0, "origin": s.max_retries.1},
        "retry_base_ms": {"value": s.retry_base_ms.0, "origin": s.retry_base_ms.1},
        "retry_max_ms": {"value": s.retry_max_ms.0, "origin": s.retry_max_ms.1},
        "timeout_secs": {"value": s.timeout_secs.0, "origin": s.timeout_secs.1},
        "requests_per_second": {"value": if s.api_key.0.is_some() { 10 } else { 3 }, "origin": "api_key"},
        "reviewer": {"value": s.reviewer.0, "origin": s.reviewer.1},
        "busy_timeout_secs": {"value": s.busy_timeout_secs.0, "origin": s.busy_timeout_secs.1},
    });
    let mut out = std::io::stdout().lock();
    if *format == super::format::TextOrJson::Json {
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(exit::SUCCESS);
    }
    writeln!(
        out,
        "config file: {}",
        s.config_path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| format!(
                "none ({})",
                crate::config::config_path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ))
    )?;
    for (name, entry) in v.as_object().into_iter().flatten() {
        if let Some(value) = entry.get("value") {
            let shown = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "-".into(),
                other => other.to_string(),
            };
            writeln!(
                out,
                "{name:<20} {shown}  [{}]",
                entry["origin"].as_str().unwrap_or("")
            )?;
        }
    }
    Ok(exit::SUCCESS)
}
