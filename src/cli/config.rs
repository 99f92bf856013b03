//! `evcat config show`: the effective settings and where each came from. The API key is masked.

use crate::ops::Context;
use std::io::Write;

use super::exit;
use crate::ops::config::show_config;

/// `evcat config` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Print the effective settings (API key masked).
    #[command(help_template = examples!("evcat config show", "evcat config show --format json"))]
    Show {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: super::format::TextOrJson,
    },
}

/// Runs `evcat config ...`.
pub fn run(cmd: &ConfigCommand, ctx: &Context) -> anyhow::Result<u8> {
    let ConfigCommand::Show { format } = cmd;
    let v = show_config(ctx).map_err(super::ops_error)?;
    let mut out = std::io::stdout().lock();
    if *format == super::format::TextOrJson::Json {
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(exit::SUCCESS);
    }
    writeln!(
        out,
        "config file: {}",
        v.config_file
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| format!(
                "none ({})",
                crate::config::config_path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ))
    )?;
    for (name, setting) in v.named() {
        let unset = setting.origin.as_str() == Some("unset");
        let shown = match (&setting.value, &setting.hint) {
            (serde_json::Value::String(s), _) => s.clone(),
            (serde_json::Value::Null, Some(hint)) if unset => format!("not set ({hint})"),
            (serde_json::Value::Null, Some(hint)) => hint.clone(),
            (serde_json::Value::Null, None) => "-".into(),
            (other, _) => other.to_string(),
        };
        writeln!(
            out,
            "{name:<20} {shown}  [{}]",
            setting.origin.as_str().unwrap_or("")
        )?;
    }
    Ok(exit::SUCCESS)
}
