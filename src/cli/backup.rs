//! `evcat backup PATH`: a consistent copy of the catalogue, taken while it may be in use
//! (SQLite's online backup), verified before it is kept: it is written to a temporary file beside
//! PATH ([`crate::output::file`]) and renamed to PATH only when complete and intact.

use crate::ops::Context;
use std::io::Write;
use std::path::PathBuf;

use super::{ExitError, exit};
use crate::output::file::{OutputFile, OutputFileError};

/// Arguments of `evcat backup`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  evcat backup /backups/evcat-$(date +%F).sqlite\n\nRestore: stop evcat jobs, then copy the backup over the catalogue file (or point --db /\nEVCAT_DB at it):  cp /backups/evcat-2026-11-25.sqlite ~/.local/share/evcat/catalogue.sqlite"
)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist).
    pub path: PathBuf,
}

/// Runs `evcat backup`.
pub fn run(args: &BackupArgs, ctx: &Context) -> anyhow::Result<u8> {
    if args.path.exists() {
        return Err(ExitError::new(
            exit::USAGE,
            format!(
                "{}: already exists; choose a new file name",
                args.path.display()
            ),
        )
        .into());
    }
    let store = ctx.open_store_read()?;
    let file = OutputFile::create(&args.path)?;
    // On an error the temporary copy is deleted when `file` drops.
    let verdict = store.backup_to(file.temp_path()).map_err(|e| {
        ExitError::new(
            exit::FAILURE,
            format!(
                "{}: cannot write the backup: {e}; nothing was written",
                args.path.display()
            ),
        )
    })?;
    if verdict != "ok" {
        return Err(ExitError::new(
            exit::FAILURE,
            format!("the backup failed its integrity check ({verdict}); nothing was written"),
        )
        .into());
    }
    file.commit_new().map_err(|e| match e {
        OutputFileError::Exists { .. } => ExitError::new(exit::USAGE, e.to_string()),
        OutputFileError::Write { .. } => ExitError::new(exit::FAILURE, e.to_string()),
    })?;
    if !ctx.quiet {
        let size = std::fs::metadata(&args.path).map(|m| m.len()).unwrap_or(0);
        writeln!(
            std::io::stdout(),
            "backed up {} to {} ({:.1} MB, integrity ok)",
            store.path().display(),
            args.path.display(),
            size as f64 / 1_048_576.0
        )?;
    }
    Ok(exit::SUCCESS)
}
