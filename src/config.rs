//! Settings: the config file (`config.toml` in the platform config directory, or `EVCAT_CONFIG`),
//! environment variables that override it, and defaults, each kept as a [`Setting`] (its value
//! and where it came from). This is the one place that reads the environment: the front ends
//! pass only their flags (see [`crate::ops::context`]). The NCBI API key is read into the
//! client's [`ApiKey`], which never prints its value.
//!
//! Precedence, highest first: command-line flag, environment variable, config file, default.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::export::cite::CitationStyle;
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
    /// Directory for what every evcat process on the machine shares (the times of the last
    /// requests to NCBI); default the platform cache directory.
    pub cache_dir: Option<PathBuf>,
    /// Citation style of `show`, `claim show`, `claim suggest`, `audit` and the default of
    /// `cite --style`: vancouver (default), ama, apa or harvard.
    pub citation_style: Option<String>,
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

/// One setting's value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn new(value: T, origin: Origin) -> Setting<T> {
        Setting { value, origin }
    }
}

/// The NCBI API key setting: the key (if any), where it came from, and that source described
/// for people ("environment variable NCBI_API_KEY", "file ..."), which never includes the key.
#[derive(Debug, Clone)]
pub struct ApiKeySetting {
    /// The key, if set.
    pub value: Option<ApiKey>,
    /// Where it came from.
    pub origin: Origin,
    /// Where it came from (or how to set it), described for people.
    pub source: String,
}

/// The effective settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file read, if any.
    pub config_path: Option<PathBuf>,
    /// Contact email.
    pub email: Setting<Option<String>>,
    /// API key and where it came from (described, never the value).
    pub api_key: ApiKeySetting,
    /// Records per efetch request.
    pub batch_size: Setting<usize>,
    /// Retries per request.
    pub max_retries: Setting<u32>,
    /// First retry delay (ms).
    pub retry_base_ms: Setting<u64>,
    /// Longest retry delay (ms).
    pub retry_max_ms: Setting<u64>,
    /// Request timeout (s).
    pub timeout_secs: Setting<u64>,
    /// Database path from `EVCAT_DB` or the config file (`--db` overrides it; the default
    /// location is chosen by [`crate::ops::Context::db_path`]).
    pub database: Setting<Option<PathBuf>>,
    /// E-utilities base URL.
    pub eutils_base: Setting<String>,
    /// Default reviewer (`EVCAT_REVIEWER` or the config file; see [`user_name`] for the
    /// fallback).
    pub reviewer: Setting<Option<String>>,
    /// Taxonomy file from `EVCAT_TAXONOMY` or the config file (`--taxonomy` overrides it;
    /// unset: the built-in taxonomy).
    pub taxonomy: Setting<Option<PathBuf>>,
    /// Seconds to wait for another process's write lock on the catalogue.
    pub busy_timeout_secs: Setting<u64>,
    /// Cache directory shared by every evcat process of the user (`EVCAT_CACHE_DIR`, the
    /// config file, else `$XDG_CACHE_HOME/evcat` or `~/.cache/evcat`; unset only when no home
    /// directory is known).
    pub cache_dir: Setting<Option<PathBuf>>,
    /// Citation style wherever a record is cited (`EVCAT_CITATION_STYLE` or the config file;
    /// default Vancouver).
    pub citation_style: Setting<CitationStyle>,
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

/// A variable of the process environment; a blank value counts as unset.
fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_number<T: std::str::FromStr>(
    env: &dyn Fn(&str) -> Option<String>,
    name: &str,
) -> Result<Option<T>, ConfigError> {
    match env(name) {
        None => Ok(None),
        Some(v) => v.trim().parse().map(Some).map_err(|_| ConfigError::Value {
            name: name.into(),
            message: format!("{v:?} is not a valid number"),
        }),
    }
}

fn pick<T>(env: Option<T>, file: Option<T>, default: T) -> Setting<T> {
    match (env, file) {
        (Some(v), _) => Setting::new(v, Origin::Environment),
        (None, Some(v)) => Setting::new(v, Origin::ConfigFile),
        (None, None) => Setting::new(default, Origin::Default),
    }
}

/// The environment's value, else the config file's, else unset.
fn pick_optional<T>(env: Option<T>, file: Option<T>) -> Setting<Option<T>> {
    match (env, file) {
        (Some(v), _) => Setting::new(Some(v), Origin::Environment),
        (None, Some(v)) => Setting::new(Some(v), Origin::ConfigFile),
        (None, None) => Setting::new(None, Origin::Unset),
    }
}

/// The user's login name (`USER`, then `USERNAME`), the reviewer when none is configured.
pub fn user_name() -> Option<String> {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.is_empty())
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
        Settings::resolve(config_path, &file, &process_env)
    }

    /// The settings from a config file's contents and an environment (`env` gives a
    /// variable's value, `None` when unset or blank).
    fn resolve(
        config_path: Option<PathBuf>,
        file: &ConfigFile,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let email = pick_optional(env("NCBI_EMAIL"), file.email.clone());
        let key_var = file
            .api_key_env
            .clone()
            .unwrap_or_else(|| "NCBI_API_KEY".to_string());
        let api_key = if let Some(k) = env(&key_var) {
            ApiKeySetting {
                value: Some(ApiKey::new(&k)),
                origin: Origin::Environment,
                source: format!("environment variable {key_var}"),
            }
        } else if let Some(f) = &file.api_key_file {
            let key = std::fs::read_to_string(f).map_err(|e| ConfigError::Value {
                name: "api_key_file".into(),
                message: format!("{}: {e}", f.display()),
            })?;
            ApiKeySetting {
                value: Some(ApiKey::new(&key)),
                origin: Origin::ConfigFile,
                source: format!("file {}", f.display()),
            }
        } else {
            ApiKeySetting {
                value: None,
                origin: Origin::Unset,
                source: format!("none (set {key_var} or api_key_file)"),
            }
        };
        let batch_size = pick(env_number(env, "EVCAT_BATCH_SIZE")?, file.batch_size, 500);
        if !(1..=10_000).contains(&batch_size.value) {
            return Err(ConfigError::Value {
                name: "batch_size".into(),
                message: format!(
                    "{} is out of range: NCBI serves 1 to 10,000 records per request",
                    batch_size.value
                ),
            });
        }
        let busy_timeout_secs = pick(
            env_number(env, "EVCAT_BUSY_TIMEOUT")?,
            file.busy_timeout_secs,
            crate::store::DEFAULT_BUSY_TIMEOUT.as_secs(),
        );
        if busy_timeout_secs.value > 86_400 {
            return Err(ConfigError::Value {
                name: "busy_timeout_secs".into(),
                message: format!(
                    "{} is out of range: at most 86400 seconds (one day)",
                    busy_timeout_secs.value
                ),
            });
        }
        let reviewer = pick_optional(env("EVCAT_REVIEWER"), file.reviewer.clone());
        let cache_dir = match pick_optional(
            env("EVCAT_CACHE_DIR").map(PathBuf::from),
            file.cache_dir.clone(),
        ) {
            Setting {
                origin: Origin::Unset,
                ..
            } => match directories::ProjectDirs::from("org", "evcat", "evcat") {
                Some(d) => Setting::new(Some(d.cache_dir().to_path_buf()), Origin::Default),
                None => Setting::new(None, Origin::Unset),
            },
            set => set,
        };
        let style_name = pick(
            env("EVCAT_CITATION_STYLE"),
            file.citation_style.clone(),
            CitationStyle::default().name().to_string(),
        );
        let citation_style = Setting::new(
            CitationStyle::from_name(&style_name.value).ok_or_else(|| ConfigError::Value {
                name: "citation_style".into(),
                message: format!(
                    "{:?} is not a citation style: use vancouver, ama, apa or harvard",
                    style_name.value
                ),
            })?,
            style_name.origin,
        );
        Ok(Settings {
            config_path,
            email,
            api_key,
            batch_size,
            max_retries: pick(env_number(env, "EVCAT_MAX_RETRIES")?, file.max_retries, 6),
            retry_base_ms: pick(
                env_number(env, "EVCAT_RETRY_BASE_MS")?,
                file.retry_base_ms,
                1_000,
            ),
            retry_max_ms: pick(
                env_number(env, "EVCAT_RETRY_MAX_MS")?,
                file.retry_max_ms,
                60_000,
            ),
            timeout_secs: pick(
                env_number(env, "EVCAT_TIMEOUT_SECS")?,
                file.timeout_secs,
                120,
            ),
            database: pick_optional(env("EVCAT_DB").map(PathBuf::from), file.database.clone()),
            eutils_base: pick(
                env("EVCAT_EUTILS_BASE"),
                file.eutils_base.clone(),
                DEFAULT_EUTILS_BASE.to_string(),
            ),
            reviewer,
            taxonomy: pick_optional(
                env("EVCAT_TAXONOMY").map(PathBuf::from),
                file.taxonomy.clone(),
            ),
            busy_timeout_secs,
            cache_dir,
            citation_style,
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

    fn resolve(file: &str, vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let file: ConfigFile = toml::from_str(file).unwrap();
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::resolve(None, &file, &move |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn environment_beats_config_file_beats_default() {
        let s = resolve(
            "database = \"/file.sqlite\"\ntaxonomy = \"/file.toml\"\nbatch_size = 200\nmax_retries = 2",
            &[("EVCAT_DB", "/env.sqlite"), ("EVCAT_MAX_RETRIES", "4")],
        )
        .unwrap();
        assert_eq!(
            s.database,
            Setting::new(Some(PathBuf::from("/env.sqlite")), Origin::Environment)
        );
        assert_eq!(
            s.taxonomy,
            Setting::new(Some(PathBuf::from("/file.toml")), Origin::ConfigFile)
        );
        assert_eq!(s.batch_size, Setting::new(200, Origin::ConfigFile));
        assert_eq!(s.max_retries, Setting::new(4, Origin::Environment));
        assert_eq!(s.timeout_secs, Setting::new(120, Origin::Default));
        assert_eq!(s.reviewer, Setting::new(None, Origin::Unset));
        let s = resolve(
            "cache_dir = \"/file-cache\"",
            &[("EVCAT_CACHE_DIR", "/env-cache")],
        )
        .unwrap();
        assert_eq!(
            s.cache_dir,
            Setting::new(Some(PathBuf::from("/env-cache")), Origin::Environment)
        );
        let s = resolve("cache_dir = \"/file-cache\"", &[]).unwrap();
        assert_eq!(s.cache_dir.origin, Origin::ConfigFile);
    }

    #[test]
    fn the_api_key_setting_describes_its_source_never_the_key() {
        let s = resolve("api_key_env = \"MY_KEY\"", &[("MY_KEY", "secret123")]).unwrap();
        assert_eq!(s.api_key.origin, Origin::Environment);
        assert_eq!(s.api_key.value.as_ref().unwrap().expose(), "secret123");
        assert_eq!(s.api_key.source, "environment variable MY_KEY");
        assert!(!format!("{:?}", s.api_key).contains("secret123"));
        let s = resolve("", &[]).unwrap();
        assert_eq!(
            (s.api_key.value.is_none(), s.api_key.origin),
            (true, Origin::Unset)
        );
        assert_eq!(s.api_key.source, "none (set NCBI_API_KEY or api_key_file)");
    }

    #[test]
    fn out_of_range_and_unparsable_values_name_the_setting() {
        let err = resolve("batch_size = 20000", &[]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("batch_size: 20000 is out of range")
        );
        let err = resolve("", &[("EVCAT_TIMEOUT_SECS", "soon")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "EVCAT_TIMEOUT_SECS: \"soon\" is not a valid number"
        );
    }
}
