//! `config show`: the effective settings and where each came from (the API key masked).

use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Context, OpsError};
use crate::config::Origin;

/// One setting: its value and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    /// Where it came from (flag, environment, config file, default, ...).
    pub origin: Value,
    /// The value (`null`: not set, or the built-in default where that is not a value).
    pub value: Value,
    /// What a `null` value means or how to set it, for people (absent when there is nothing to
    /// say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Setting {
    fn new(value: impl Serialize, origin: impl Serialize) -> Setting {
        Setting {
            origin: json!(origin),
            value: json!(value),
            hint: None,
        }
    }

    fn with_hint(mut self, hint: impl Into<String>) -> Setting {
        self.hint = Some(hint.into());
        self
    }

    fn of<T: Serialize>(setting: &crate::config::Setting<T>) -> Setting {
        Setting::new(&setting.value, setting.origin)
    }
}

/// The effective settings. Serialises to `evcat config show --format json` (keys in
/// alphabetical order, as documented).
#[derive(Debug, Clone, Serialize)]
pub struct EffectiveSettings {
    /// The API key, masked, and whether it is set.
    pub api_key: Setting,
    /// Records per efetch request.
    pub batch_size: Setting,
    /// Seconds to wait for another process's write lock.
    pub busy_timeout_secs: Setting,
    /// The cache directory every evcat process shares (the times of the last requests to NCBI).
    pub cache_dir: Setting,
    /// The config file read, if any.
    pub config_file: Option<PathBuf>,
    /// Citation style of `show`, claims, `audit` and `cite`.
    pub citation_style: Setting,
    /// The catalogue.
    pub database: Setting,
    /// Contact email.
    pub email: Setting,
    /// E-utilities base URL.
    pub eutils_base: Setting,
    /// Retries per request.
    pub max_retries: Setting,
    /// Requests per second allowed (10 with an API key, else 3).
    pub requests_per_second: Setting,
    /// First retry delay.
    pub retry_base_ms: Setting,
    /// Longest retry delay.
    pub retry_max_ms: Setting,
    /// Default reviewer of manual decisions and verdicts.
    pub reviewer: Setting,
    /// The taxonomy file used for tagging (`null`: the built-in taxonomy).
    pub taxonomy: Setting,
    /// Request timeout.
    pub timeout_secs: Setting,
}

impl EffectiveSettings {
    /// Every setting with its name, in alphabetical order.
    pub fn named(&self) -> [(&'static str, &Setting); 15] {
        [
            ("api_key", &self.api_key),
            ("batch_size", &self.batch_size),
            ("busy_timeout_secs", &self.busy_timeout_secs),
            ("cache_dir", &self.cache_dir),
            ("citation_style", &self.citation_style),
            ("database", &self.database),
            ("email", &self.email),
            ("eutils_base", &self.eutils_base),
            ("max_retries", &self.max_retries),
            ("requests_per_second", &self.requests_per_second),
            ("retry_base_ms", &self.retry_base_ms),
            ("retry_max_ms", &self.retry_max_ms),
            ("reviewer", &self.reviewer),
            ("taxonomy", &self.taxonomy),
            ("timeout_secs", &self.timeout_secs),
        ]
    }
}

/// The effective settings of the context.
pub fn show_config(ctx: &Context) -> Result<EffectiveSettings, OpsError> {
    let s = ctx.settings()?;
    let db = ctx.db_path()?;
    let db_origin = if ctx.options.db.is_some() || s.database.origin == Origin::Environment {
        "flag or EVCAT_DB"
    } else if s.database.value.is_some() {
        "config-file"
    } else {
        "default"
    };
    let api_key = match &s.api_key.value {
        Some(k) => Setting::new(
            format!("{k} (set, from {})", s.api_key.source),
            s.api_key.origin,
        ),
        // The unset source reads "none (set NCBI_API_KEY or api_key_file)": the hint is the
        // part in brackets.
        None => Setting::new(Value::Null, s.api_key.origin).with_hint(
            s.api_key
                .source
                .strip_prefix("none (")
                .and_then(|h| h.strip_suffix(')'))
                .unwrap_or(s.api_key.source.as_str()),
        ),
    };
    let taxonomy = match (&ctx.options.taxonomy, &s.taxonomy.value) {
        // clap fills `--taxonomy` from EVCAT_TAXONOMY too: the same path as the environment's
        // is the environment's.
        (Some(flag), env)
            if s.taxonomy.origin != Origin::Environment || env.as_ref() != Some(flag) =>
        {
            Setting::new(flag, Origin::Flag)
        }
        (_, Some(path)) => Setting::new(path, s.taxonomy.origin),
        (_, None) => Setting::new(Value::Null, Origin::Default).with_hint("built-in default"),
    };
    Ok(EffectiveSettings {
        api_key,
        batch_size: Setting::of(&s.batch_size),
        busy_timeout_secs: Setting::of(&s.busy_timeout_secs),
        cache_dir: Setting::of(&s.cache_dir),
        citation_style: Setting::new(s.citation_style.value.name(), s.citation_style.origin),
        config_file: s.config_path.clone(),
        database: Setting::new(db, db_origin),
        email: Setting::of(&s.email),
        eutils_base: Setting::of(&s.eutils_base),
        max_retries: Setting::of(&s.max_retries),
        requests_per_second: Setting::new(
            if s.api_key.value.is_some() { 10 } else { 3 },
            "api_key",
        ),
        retry_base_ms: Setting::of(&s.retry_base_ms),
        retry_max_ms: Setting::of(&s.retry_max_ms),
        reviewer: Setting::of(&s.reviewer),
        taxonomy,
        timeout_secs: Setting::of(&s.timeout_secs),
    })
}
