//! Settings: the config file (`config.toml` in the platform config directory, or `EVCAT_CONFIG`),
//! environment variables that override it, and defaults. The NCBI API key is read into the
//! client's [`ApiKey`], which never prints its value.
//!
//! Precedence, highest first: command-line flag, environment variable, config file, default.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::pubmed::api_key::ApiKey;

/// Default E-utilities base URL.
pub const DEFAULT_EUTILS_BASE: &str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/";

/// The config file's contents (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Contact email sent to NCBI with every request.
    pub email: Option<String>,
    /// Name of an environment variable holding the API key (default `NCBI_API_KEY`).
    pub api_key_env: Option<String>,
    /// A file whose content is the API key (keep it private: mode 600).
    pub api_key_file: Option<PathBuf>,
    /// Records per efetch request (1 to 10,000).
    pub batch_size: Option<usize>,
    /// Retries per request after the first attempt.
    pub max_retries: Option<u32>,
    /// First retry delay in milliseconds (doubles per retry, with jitter).
    pub retry_base_ms: Option<u64>,
    /// Longest retry delay in milliseconds.
    pub retry_max_ms: Option<u64>,
    /// Timeout for one request, in seconds (whole response).
    pub timeout_secs: Option<u64>,
    /// Catalogue database path.
    pub database: Option<PathBuf>,
    /// E-utilities base URL.
    pub eutils_base: Option<String>,
    /// Reviewer name used for claims when none is given.
    pub reviewer: Option<String>,
    /// Taxonomy file (default: the built-in taxonomy).
    pub taxonomy: Option<PathBuf>,
    /// Seconds to wait for another process's write to the catalogue before giving up.
    pub busy_timeout_secs: Option<u64>,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// A command-line flag.
    Flag,
    /// An environment variable.
    Environment,
    /// The config file.
    ConfigFile,
    /// Built in.
    Default,
    /// Not set.
    Unset,
}

/// The effective settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file read, if any.
    pub config_path: Option<PathBuf>,
    /// Contact email.
    pub email: (Option<String>, Origin),
    /// API key and where it came from (described, never the value).
    pub api_key: (Option<ApiKey>, Origin, String),
    /// Records per efetch request.
    pub batch_size: (usize, Origin),
    /// Retries per request.
    pub max_retries: (u32, Origin),
    /// First retry delay (ms).
    pub retry_base_ms: (u64, Origin),
    /// Longest retry delay (ms).
    pub retry_max_ms: (u64, Origin),
    /// Request timeout (s).
    pub timeout_secs: (u64, Origin),
    /// Database path from the config file (the flag and `EVCAT_DB` are handled by the CLI).
    pub database: Option<PathBuf>,
    /// E-utilities base URL.
    pub eutils_base: (String, Origin),
    /// Default reviewer.
    pub reviewer: (Option<String>, Origin),
    /// Taxonomy file from the config file (the flag and `EVCAT_TAXONOMY` are handled by the CLI).
    pub taxonomy: Option<PathBuf>,
    /// Seconds to wait for another process's write lock on the catalogue.
    pub busy_timeout_secs: (u64, Origin),
}

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file is unreadable or invalid.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A value is out of range.
    #[error("{name}: {message}")]
    Value {
        /// The setting or variable.
        name: String,
        /// What is wrong.
        message: String,
    },
}

/// The config file path: `EVCAT_CONFIG`, else `config.toml` in the platform config directory.
pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("EVCAT_CONFIG") {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("org", "evcat", "evcat")
        .map(|d| d.config_dir().join("config.toml"))
}

fn read_config(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
        Err(e) => {
            return Err(ConfigError::File {
                path: path.to_path_buf(),
                message: e.to_string(),
            });
        }
    };
    toml::from_str(&text).map_err(|e| ConfigError::File {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_number<T: std::str::FromStr>(name: &str) -> Result<Option<T>, ConfigError> {
    match env(name) {
        None => Ok(None),
        Some(v) => v.trim().parse().map(Some).map_err(|_| ConfigError::Value {
            name: name.into(),
            message: format!("{v:?} is not a valid number"),
        }),
    }
}

fn pick<T>(env: Option<T>, file: Option<T>, default: T) -> (T, Origin) {
    match (env, file) {
        (Some(v), _) => (v, Origin::Environment),
        (None, Some(v)) => (v, Origin::ConfigFile),
        (None, None) => (default, Origin::Default),
    }
}

impl Settings {
    /// Loads the config file (when present) and applies environment overrides.
    pub fn load() -> Result<Settings, ConfigError> {
        let path = config_path();
        let file = match &path {
            Some(p) => read_config(p)?,
            None => ConfigFile::default(),
        };
        let config_path = path.filter(|p| p.exists());
        let email = match (env("NCBI_EMAIL"), file.email.clone()) {
            (Some(e), _) => (Some(e), Origin::Environment),
            (None, Some(e)) => (Some(e), Origin::ConfigFile),
            _ => (None, Origin::Unset),
        };
        let key_var = file
            .api_key_env
            .clone()
            .unwrap_or_else(|| "NCBI_API_KEY".to_string());
        let api_key = if let Some(k) = env(&key_var) {
            (
                Some(ApiKey::new(&k)),
                Origin::Environment,
                format!("environment variable {key_var}"),
            )
        } else if let Some(f) = &file.api_key_file {
            let key = std::fs::read_to_string(f).map_err(|e| ConfigError::Value {
                name: "api_key_file".into(),
                message: format!("{}: {e}", f.display()),
            })?;
            (
                Some(ApiKey::new(&key)),
                Origin::ConfigFile,
                format!("file {}", f.display()),
            )
        } else {
            (
                None,
                Origin::Unset,
                format!("none (set {key_var} or api_key_file)"),
            )
        };
        let batch_size = pick(env_number("EVCAT_BATCH_SIZE")?, file.batch_size, 500);
        if !(1..=10_000).contains(&batch_size.0) {
            return Err(ConfigError::Value {
                name: "batch_size".into(),
                message: format!(
                    "{} is out of range: NCBI serves 1 to 10,000 records per request",
                    batch_size.0
                ),
            });
        }
        let busy_timeout_secs = pick(
            env_number("EVCAT_BUSY_TIMEOUT")?,
            file.busy_timeout_secs,
            crate::store::DEFAULT_BUSY_TIMEOUT.as_secs(),
        );
        if busy_timeout_secs.0 > 86_400 {
            return Err(ConfigError::Value {
                name: "busy_timeout_secs".into(),
                message: format!(
                    "{} is out of range: at most 86400 seconds (one day)",
                    busy_timeout_secs.0
                ),
            });
        }
        let reviewer = match (env("EVCAT_REVIEWER"), file.reviewer.clone()) {
            (Some(r), _) => (Some(r), Origin::Environment),
            (None, Some(r)) => (Some(r), Origin::ConfigFile),
            _ => (None, Origin::Unset),
        };
        Ok(Settings {
            config_path,
            email,
            api_key,
            batch_size,
            max_retries: pick(env_number("EVCAT_MAX_RETRIES")?, file.max_retries, 6),
            retry_base_ms: pick(
                env_number("EVCAT_RETRY_BASE_MS")?,
                file.retry_base_ms,
                1_000,
            ),
            retry_max_ms: pick(env_number("EVCAT_RETRY_MAX_MS")?, file.retry_max_ms, 60_000),
            timeout_secs: pick(env_number("EVCAT_TIMEOUT_SECS")?, file.timeout_secs, 120),
            database: file.database.clone(),
            eutils_base: pick(
                env("EVCAT_EUTILS_BASE"),
                file.eutils_base.clone(),
                DEFAULT_EUTILS_BASE.to_string(),
            ),
            reviewer,
            taxonomy: file.taxonomy.clone(),
            busy_timeout_secs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_file_rejects_unknown_keys() {
        let err = toml::from_str::<ConfigFile>("emial = \"x\"").unwrap_err();
        assert!(err.to_string().contains("emial"));
    }
}
