//! The context every operation runs in: the settings (flags, environment, config file,
//! defaults, resolved in one place and read once), the catalogue's path and how to open it, and
//! the tagger for the active taxonomy (built once). A front end builds one context per process
//! (the CLI per command, the web server for its whole life) and passes it down; nothing below
//! reads settings or opens the catalogue on its own.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::OpsError;
use crate::config::{ConfigError, Settings};
use crate::store::{OpenOptions, Store};
use crate::tagging::{Matcher, Taxonomy};

/// What the front end was asked for, before anything is resolved.
#[derive(Debug, Clone, Default)]
pub struct ContextOptions {
    /// `--db` (the CLI's clap also fills it from `EVCAT_DB`, which is otherwise the setting
    /// [`Settings::database`]).
    pub db: Option<PathBuf>,
    /// `--taxonomy` (the CLI's clap also fills it from `EVCAT_TAXONOMY`, which is otherwise the
    /// setting [`Settings::taxonomy`]).
    pub taxonomy: Option<PathBuf>,
    /// Print only errors.
    pub quiet: bool,
    /// Print more detail.
    pub verbose: bool,
    /// What this process is ("import", "claim", ...), for another process waiting for the
    /// catalogue.
    pub purpose: &'static str,
}

/// Settings, catalogue and tagger of one process.
pub struct Context {
    /// What the front end asked for.
    pub options: ContextOptions,
    /// Print only errors.
    pub quiet: bool,
    /// Print more detail.
    pub verbose: bool,
    settings: OnceLock<Result<Settings, String>>,
    matcher: OnceLock<Arc<Matcher>>,
    /// The active taxonomy, once read and checked (its patterns compiled).
    taxonomy: OnceLock<Taxonomy>,
    /// Set once the catalogue has been looked at for the "empty catalogue" note (said at most
    /// once per process).
    empty_noted: OnceLock<()>,
}

impl Context {
    /// A context; settings are read the first time they are needed, then kept.
    pub fn new(options: ContextOptions) -> Context {
        Context {
            quiet: options.quiet,
            verbose: options.verbose,
            options,
            settings: OnceLock::new(),
            matcher: OnceLock::new(),
            taxonomy: OnceLock::new(),
            empty_noted: OnceLock::new(),
        }
    }

    /// The effective settings (config file and environment), read once.
    pub fn settings(&self) -> Result<&Settings, OpsError> {
        self.settings
            .get_or_init(|| Settings::load().map_err(|e: ConfigError| e.to_string()))
            .as_ref()
            .map_err(|e| OpsError::Usage(format!("configuration: {e}")))
    }

    /// The database path: `--db`, `EVCAT_DB`, the config file's `database`, or the platform
    /// data directory.
    pub fn db_path(&self) -> Result<PathBuf, OpsError> {
        if let Some(p) = &self.options.db {
            return Ok(p.clone());
        }
        if let Some(p) = &self.settings()?.database.value {
            return Ok(p.clone());
        }
        let dirs = directories::ProjectDirs::from("org", "evcat", "evcat").ok_or_else(|| {
            OpsError::Failed("cannot find a home directory for the default database; pass --db PATH or set EVCAT_DB".into())
        })?;
        Ok(dirs.data_dir().join("catalogue.sqlite"))
    }

    /// Opens the catalogue for writing (creating and migrating it as needed, refusing a file
    /// that is not an undamaged evcat catalogue).
    pub fn open_store(&self) -> Result<Store, OpenError> {
        self.open_store_with(true)
    }

    /// Opens the catalogue for reading: nothing on disk is created or changed (a catalogue that
    /// does not exist yet reads as empty), and a read-only directory is fine. A catalogue with no
    /// records (missing, or created but never filled) is said once on stderr, with where it was
    /// looked for, unless `--quiet`: "empty catalogue at PATH: import or fetch first".
    pub fn open_store_read(&self) -> Result<Store, OpenError> {
        let store = self.open_store_with(false)?;
        // (Looked at once per process: counting the records of a large catalogue for every
        // request of a long-running front end would cost more than the request.)
        if !self.quiet && self.empty_noted.set(()).is_ok() && Self::is_empty(&store) {
            eprintln!(
                "empty catalogue at {}: import or fetch first",
                store.path().display()
            );
        }
        Ok(store)
    }

    /// True when the catalogue holds no record at all (tombstones count as records).
    fn is_empty(store: &Store) -> bool {
        crate::store::stats::has_records(store).is_ok_and(|any| !any)
    }

    fn open_store_with(&self, write: bool) -> Result<Store, OpenError> {
        let path = self.db_path().map_err(OpenError::Setup)?;
        let options = OpenOptions {
            write,
            busy_timeout: std::time::Duration::from_secs(
                self.settings()
                    .map_err(OpenError::Setup)?
                    .busy_timeout_secs
                    .value,
            ),
            purpose: self.options.purpose.to_string(),
        };
        Store::open_with(&path, &options).map_err(|error| OpenError::Store { path, error })
    }

    /// The active taxonomy: `--taxonomy`, `EVCAT_TAXONOMY`, the config file's `taxonomy`, or the
    /// built-in default; read and checked once per process (a long-running front end checks
    /// tags against it on every request).
    pub fn taxonomy(&self) -> Result<Taxonomy, OpsError> {
        if let Some(t) = self.taxonomy.get() {
            return Ok(t.clone());
        }
        let read = self.read_taxonomy()?;
        Ok(self.taxonomy.get_or_init(|| read).clone())
    }

    fn read_taxonomy(&self) -> Result<Taxonomy, OpsError> {
        let path = match &self.options.taxonomy {
            Some(p) => Some(p.clone()),
            None => self.settings()?.taxonomy.value.clone(),
        };
        let Some(path) = path else {
            return Ok(Taxonomy::builtin());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            OpsError::Usage(format!("{}: cannot read the taxonomy: {e}", path.display()))
        })?;
        Taxonomy::parse(&text, &path.display().to_string()).map_err(|e| {
            let lines: Vec<String> = e.0.iter().map(|i| i.to_string()).collect();
            OpsError::Usage(format!(
                "invalid taxonomy (check it with `evcat taxonomy check`):\n{}",
                lines.join("\n")
            ))
        })
    }

    /// Who is making a change: `flag` (trimmed, when not blank), else EVCAT_REVIEWER or the
    /// config file's `reviewer`, else the user name (`USER`, then `USERNAME`); `None` when none
    /// of them is set.
    pub fn reviewer(&self, flag: Option<&str>) -> Result<Option<String>, OpsError> {
        if let Some(r) = flag.map(str::trim).filter(|r| !r.is_empty()) {
            return Ok(Some(r.to_string()));
        }
        if let Some(r) = &self.settings()?.reviewer.value {
            return Ok(Some(r.clone()));
        }
        Ok(crate::config::user_name())
    }

    /// The tagger for the active taxonomy, built once.
    pub fn matcher(&self) -> Result<Arc<Matcher>, OpsError> {
        if let Some(m) = self.matcher.get() {
            return Ok(Arc::clone(m));
        }
        let built = Arc::new(Matcher::new(self.taxonomy()?));
        Ok(Arc::clone(self.matcher.get_or_init(|| built)))
    }
}

/// Why the catalogue could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The settings that say where it is are wrong.
    #[error(transparent)]
    Setup(OpsError),
    /// The catalogue refused to open.
    #[error("{}", path.display())]
    Store {
        /// The catalogue.
        path: PathBuf,
        /// Why.
        #[source]
        error: crate::store::StoreError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reviewer_flag_is_trimmed_and_wins_without_reading_settings() {
        let ctx = Context::new(ContextOptions::default());
        assert_eq!(
            ctx.reviewer(Some("  Dr Rossi ")).unwrap().as_deref(),
            Some("Dr Rossi")
        );
        assert!(
            ctx.settings.get().is_none(),
            "a given reviewer needs no settings"
        );
    }
}
