//! What the network commands (`fetch`, `refresh`) share: building the E-utilities client from
//! the settings, the refresh lock, and the progress bar.

use crate::ops::Context;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use super::{ExitError, exit};
use crate::config::Settings;
use crate::fetch::FetchOptions;
use crate::fetch::lock::{LockError, RefreshLock};
use crate::pubmed::eutils::{ClientOptions, EutilsClient};

/// Builds the client; warns once (unless `--quiet`) when no contact email is configured.
/// (The taxonomy fetched records are tagged with is the caller's: the client only speaks HTTP.)
pub fn make_client(settings: &Settings, ctx: &Context) -> anyhow::Result<EutilsClient> {
    if settings.email.value.is_none() && !ctx.quiet {
        eprintln!(
            "evcat: warning: no contact email configured; NCBI asks E-utilities users for one: set NCBI_EMAIL or `email` in {}",
            settings
                .config_path
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "the config file".into())
        );
    }
    let mut base = settings.eutils_base.value.clone();
    if !base.ends_with('/') {
        base.push('/');
    }
    let opts = ClientOptions {
        base_url: base,
        email: settings.email.value.clone(),
        api_key: settings.api_key.value.clone(),
        max_retries: settings.max_retries.value,
        retry_base: Duration::from_millis(settings.retry_base_ms.value),
        retry_max: Duration::from_millis(settings.retry_max_ms.value),
        timeout: Duration::from_secs(settings.timeout_secs.value),
    };
    let mut client = EutilsClient::new(opts)?;
    share_rate_limit(&client, settings, ctx);
    if ctx.verbose {
        client.set_retry_observer(|m| eprintln!("evcat: {m}"));
    }
    Ok(client)
}

/// Shares NCBI's request limit with every evcat process through the cache directory; when
/// that is impossible, warns once (unless `--quiet`) and spaces this process's requests alone.
fn share_rate_limit(client: &EutilsClient, settings: &Settings, ctx: &Context) {
    let problem = match &settings.cache_dir.value {
        Some(dir) => match client.limiter().share_across_processes(dir) {
            Ok(_) => return,
            Err(e) => e.to_string(),
        },
        None => "no cache directory (no home directory)".to_string(),
    };
    if !ctx.quiet {
        eprintln!(
            "evcat: warning: cannot share NCBI's request limit with other evcat processes: {problem}; this run spaces only its own requests (set EVCAT_CACHE_DIR or `cache_dir` to a writable directory)"
        );
    }
}

/// Fetch options from the settings and an optional `--batch-size`.
pub fn fetch_options(
    settings: &Settings,
    batch_size: Option<usize>,
    max: Option<usize>,
) -> anyhow::Result<FetchOptions> {
    let batch = batch_size.unwrap_or(settings.batch_size.value);
    if !(1..=10_000).contains(&batch) {
        return Err(ExitError::new(
            exit::USAGE,
            format!("--batch-size {batch}: use 1 to 10,000"),
        )
        .into());
    }
    if max == Some(0) {
        return Err(ExitError::new(exit::USAGE, "--max 0: use 1 or more").into());
    }
    Ok(FetchOptions {
        batch_size: batch,
        max_records: max,
    })
}

/// Takes the catalogue's refresh lock, mapping "busy" to the locked exit code.
pub fn take_lock(ctx: &Context, wait: bool) -> anyhow::Result<RefreshLock> {
    let db = ctx.db_path()?;
    RefreshLock::acquire(&db, wait).map_err(|e| match e {
        LockError::Busy(_) => ExitError::new(exit::LOCKED, e.to_string()).into(),
        other => anyhow::Error::new(other),
    })
}

/// A progress bar on standard error when it is a terminal, hidden otherwise.
pub fn fetch_progress(ctx: &Context, label: &str) -> ProgressBar {
    super::progress::records_bar(ctx, label)
}

/// Updates a fetch progress bar: records, requests, rate and retries.
pub fn update_progress(
    bar: &ProgressBar,
    client: &EutilsClient,
    started: Instant,
    records: u64,
    total: u64,
) {
    bar.set_length(total);
    bar.set_position(records);
    let rate = records as f64 / started.elapsed().as_secs_f64().max(1e-3);
    bar.set_message(format!(
        "{} requests, {:.0} records/s, {} retries",
        client.requests(),
        rate,
        client.retries()
    ));
}
