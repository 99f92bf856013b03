//! `evcat backup PATH`: a consistent copy of the catalogue, taken while it may be in use
//! ([`crate::ops::backup`] writes and verifies it).

use crate::ops::Context;
use std::io::Write;
use std::path::PathBuf;

use super::{ExitError, exit};
use crate::ops::backup::{BackupError, BackupOptions, backup};
use crate::output::file::OutputFileError;

/// Arguments of `evcat backup`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat backup /backups/evcat-$(date +%F).sqlite"), after_help = "Restore: stop evcat jobs, then copy the backup over the catalogue file (or point --db /\nEVCAT_DB at it):  cp /backups/evcat-2026-11-25.sqlite ~/.local/share/evcat/catalogue.sqlite"
)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist).
    pub path: PathBuf,
}

/// Runs `evcat backup`.
pub fn run(args: &BackupArgs, ctx: &Context) -> anyhow::Result<u8> {
    let options = BackupOptions {
        path: args.path.clone(),
    };
    let done = backup(ctx, &options).map_err(backup_error)?;
    if !ctx.quiet {
        writeln!(
            std::io::stdout(),
            "backed up {} to {} ({:.1} MB, integrity ok)",
            done.source.display(),
            done.path.display(),
            done.bytes as f64 / 1_048_576.0
        )?;
    }
    Ok(exit::SUCCESS)
}

/// Exit codes: 2 when the target exists, the catalogue's own when it cannot be opened, else 1.
fn backup_error(e: BackupError) -> anyhow::Error {
    match e {
        BackupError::Open(e) => e.into(),
        BackupError::Create(e) => e.into(),
        BackupError::Commit(e @ OutputFileError::Exists { .. }) => {
            ExitError::new(exit::USAGE, e.to_string()).into()
        }
        e @ BackupError::Exists(_) => ExitError::new(exit::USAGE, e.to_string()).into(),
        e @ (BackupError::Copy { .. } | BackupError::Integrity(_) | BackupError::Commit(_)) => {
            ExitError::new(exit::FAILURE, e.to_string()).into()
        }
    }
}
