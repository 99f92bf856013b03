//! The NCBI E-utilities client: esearch and efetch over HTTP, polite and persistent.
//!
//! - Every request is a POST to `{base}esearch.fcgi` or `{base}efetch.fcgi` carrying
//!   `tool=evcat`, the contact `email` and, when set, the `api_key` in the form body. POST keeps
//!   long id lists working and keeps the key out of URLs (and so out of error messages, proxy and
//!   server logs).
//! - A rate limiter ([`RateLimiter`], [`crate::pubmed::rate_limit`]) shared by every request of
//!   the client, and through a file in the cache directory by every evcat process, spaces request
//!   starts so that no one-second window holds more than 3 requests (10 with an API key).
//! - HTTP 429 (honouring `Retry-After`), 5xx, transport failures (timeouts, resets), truncated or
//!   malformed bodies and 200 responses carrying `<ERROR>` are retried with exponential backoff
//!   and jitter, up to `max_retries`. An expired WebEnv is reported as such so the caller can
//!   re-run the search.
//! - [`EutilsClient::efetch`] hands the response body, as it streams in, to a caller-supplied
//!   sink *inside* the retry loop (the pattern of ripgrep's `Sink`). The sink says whether a
//!   failure is the response's ([`SinkError::BrokeOff`], [`SinkError::Malformed`],
//!   [`SinkError::Service`]: the request is sent again) or its own ([`SinkError::Fatal`], e.g.
//!   storing failed: no retry). So a batch that breaks off half way is fetched again, and the
//!   client never knows what the body is parsed into or where it is kept.
//!
//! The client speaks HTTP only: it knows nothing of the catalogue or the taxonomy.

use std::io::{Cursor, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use quick_xml::events::Event;

use crate::pubmed::Pmid;
use crate::pubmed::api_key::ApiKey;
pub use crate::pubmed::rate_limit::RateLimiter;

/// PubMed's esearch cannot page past this many ids.
pub const ESEARCH_CAP: u64 = 9_999;

/// Options of an [`EutilsClient`].
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Base URL, ending in `/` (e.g. `https://eutils.ncbi.nlm.nih.gov/entrez/eutils/`).
    pub base_url: String,
    /// Contact email sent with every request.
    pub email: Option<String>,
    /// API key (raises NCBI's limit from 3 to 10 requests per second).
    pub api_key: Option<ApiKey>,
    /// Retries after the first attempt of a request.
    pub max_retries: u32,
    /// First retry delay.
    pub retry_base: Duration,
    /// Longest retry delay.
    pub retry_max: Duration,
    /// Timeout of one request, response body included.
    pub timeout: Duration,
}

/// What went wrong talking to NCBI.
#[derive(Debug, thiserror::Error)]
pub enum EutilsError {
    /// A request kept failing until the retries ran out.
    #[error("{what}: gave up after {attempts} attempts; last error: {last}")]
    GaveUp {
        /// The request.
        what: String,
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
        /// What kind of failure the last one was.
        cause: RetryCause,
    },
    /// NCBI refused the request in a way retrying cannot fix.
    #[error("{what}: {message}")]
    Refused {
        /// The request.
        what: String,
        /// NCBI's answer.
        message: String,
    },
    /// The history server no longer knows the WebEnv.
    #[error("{what}: the search history (WebEnv) expired: {message}")]
    WebEnvExpired {
        /// The request.
        what: String,
        /// NCBI's message.
        message: String,
    },
}

/// The kind of a failure that is worth retrying (and, when the retries run out, why the client
/// gave up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryCause {
    /// HTTP 429: NCBI's rate limit.
    RateLimited,
    /// The request or the response did not get through: timeout, refused or reset connection,
    /// a body that broke off.
    Transport,
    /// HTTP 5xx or 408.
    ServerError,
    /// A complete answer that is not what was asked for: malformed or incomplete XML, an
    /// `<ERROR>` in a 200 response.
    BadResponse,
}

/// The HTTP client could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot set up the HTTP client: {0}")]
pub struct SetupError(String);

/// What a sink given to [`EutilsClient::efetch`] says about a body it could not consume.
#[derive(Debug)]
pub enum SinkError<E> {
    /// Reading the body failed part way (the connection broke): fetch it again.
    BrokeOff(String),
    /// The body is not a complete, well-formed answer: fetch it again.
    Malformed(String),
    /// The body carries an E-utilities `<ERROR>` with this message: the client decides (an
    /// expired history is reported, anything else fetched again).
    Service(String),
    /// The sink failed on its own account (e.g. storing failed): do not fetch again.
    Fatal(E),
}

/// Why [`EutilsClient::efetch`] failed: the request, or the sink.
#[derive(Debug, thiserror::Error)]
pub enum EfetchError<E: std::error::Error + 'static> {
    /// The request failed (after its retries, or for good).
    #[error(transparent)]
    Eutils(#[from] EutilsError),
    /// The sink failed fatally; the request was not retried.
    #[error(transparent)]
    Sink(E),
}

/// One attempt's failure, classified. `E` is a sink's own error (none for esearch).
#[derive(Debug)]
enum Failure<E = std::convert::Infallible> {
    Retry {
        message: String,
        retry_after: Option<Duration>,
        cause: RetryCause,
    },
    WebEnv(String),
    Fatal(String),
    Sink(E),
}

fn retry<E>(cause: RetryCause, message: impl Into<String>) -> Failure<E> {
    Failure::Retry {
        message: message.into(),
        retry_after: None,
        cause,
    }
}

/// An esearch query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// The PubMed query.
    pub term: String,
    /// `mindate` (YYYY, YYYY/MM or YYYY/MM/DD).
    pub mindate: Option<String>,
    /// `maxdate`.
    pub maxdate: Option<String>,
    /// `datetype`: edat, pdat or mdat.
    pub datetype: Option<String>,
    /// Newest first by publication date (`sort=pub_date`), else PubMed's default order.
    pub newest_first: bool,
}

/// An esearch answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EsearchResult {
    /// Total number of matching records.
    pub count: u64,
    /// The ids returned (at most [`ESEARCH_CAP`]).
    pub ids: Vec<Pmid>,
    /// History server environment, with `usehistory=y`.
    pub webenv: Option<String>,
    /// History query key.
    pub query_key: Option<String>,
    /// Messages of `ErrorList` (e.g. a phrase not found) and `WarningList`.
    pub notes: Vec<String>,
}

/// What an efetch request asks for.
#[derive(Debug, Clone, Copy)]
pub enum FetchTarget<'a> {
    /// A slice of a search on the history server.
    History {
        /// WebEnv.
        webenv: &'a str,
        /// query_key.
        query_key: &'a str,
        /// First record (0-based).
        retstart: usize,
        /// Number of records.
        retmax: usize,
    },
    /// These PMIDs (sent by POST).
    Ids(&'a [Pmid]),
}

/// Counters of a client, for summaries and progress.
#[derive(Debug, Default)]
pub struct ClientCounters {
    /// HTTP requests sent (every attempt).
    pub requests: AtomicU64,
    /// Retries (attempts after a failure).
    pub retries: AtomicU64,
}

/// The E-utilities client. One per process: its rate limiter covers every request it sends.
pub struct EutilsClient {
    http: reqwest::blocking::Client,
    opts: ClientOptions,
    limiter: RateLimiter,
    /// Requests and retries so far.
    pub counters: ClientCounters,
    on_retry: Option<RetryObserver>,
}

/// Called with a one-line description of each retry.
type RetryObserver = Box<dyn Fn(&str) + Send + Sync>;

impl EutilsClient {
    /// Builds a client (rustls, gzip).
    pub fn new(opts: ClientOptions) -> Result<EutilsClient, SetupError> {
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("evcat/", env!("CARGO_PKG_VERSION")))
            .timeout(opts.timeout)
            .connect_timeout(Duration::from_secs(30))
            .gzip(true)
            .build()
            .map_err(|e| SetupError(e.without_url().to_string()))?;
        let limiter = RateLimiter::per_second(if opts.api_key.is_some() { 10 } else { 3 });
        Ok(EutilsClient {
            http,
            opts,
            limiter,
            counters: ClientCounters::default(),
            on_retry: None,
        })
    }

    /// Calls `f` with a one-line description of every retry (for `--verbose`).
    pub fn set_retry_observer(&mut self, f: impl Fn(&str) + Send + Sync + 'static) {
        self.on_retry = Some(Box::new(f));
    }

    /// The rate limiter.
    pub fn limiter(&self) -> &RateLimiter {
        &self.limiter
    }

    /// Requests sent so far.
    pub fn requests(&self) -> u64 {
        self.counters.requests.load(Ordering::Relaxed)
    }

    /// Retries so far.
    pub fn retries(&self) -> u64 {
        self.counters.retries.load(Ordering::Relaxed)
    }

    fn send<E>(
        &self,
        endpoint: &str,
        params: &[(&str, String)],
    ) -> Result<reqwest::blocking::Response, Failure<E>> {
        let mut form: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form.push(("tool", "evcat"));
        if let Some(email) = &self.opts.email {
            form.push(("email", email));
        }
        if let Some(key) = &self.opts.api_key {
            form.push(("api_key", key.expose()));
        }
        let url = format!("{}{endpoint}", self.opts.base_url);
        self.limiter.wait();
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let response = self
            .http
            .post(&url)
            .form(&form)
            .send()
            .map_err(|e| retry(RetryCause::Transport, describe_transport(e)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let body = read_limited(response, 2048).unwrap_or_default();
        // NCBI's error bodies echo the API key: remove it before the body is cut short (a
        // truncated key would no longer be recognised) and before it goes anywhere.
        let body = self.redact(String::from_utf8_lossy(&body).trim().replace('\n', " "));
        let message = format!(
            "HTTP {}{}",
            status.as_u16(),
            if body.is_empty() {
                String::new()
            } else {
                format!(": {}", crate::output::text::truncate(&body, 200))
            }
        );
        let cause = if status.as_u16() == 429 {
            Some(RetryCause::RateLimited)
        } else if status.is_server_error() || status.as_u16() == 408 {
            Some(RetryCause::ServerError)
        } else {
            None
        };
        if let Some(cause) = cause {
            Err(Failure::Retry {
                message,
                retry_after,
                cause,
            })
        } else if is_history_error(&body) {
            // NCBI sometimes answers an expired history with a 4xx and an <ERROR> body.
            Err(Failure::WebEnv(message))
        } else {
            Err(Failure::Fatal(message))
        }
    }

    /// `text` without the API key: the key's value wherever it occurs, and the value of any
    /// `api_key=...` or `"api-key": "..."` whatever key it holds.
    fn redact(&self, text: String) -> String {
        redact_credentials(text, self.opts.api_key.as_ref())
    }

    fn retrying<T, E: std::error::Error>(
        &self,
        what: &str,
        mut attempt: impl FnMut() -> Result<T, Failure<E>>,
    ) -> Result<T, EfetchError<E>> {
        let mut failures = 0u32;
        loop {
            // Every message below ends up printed, logged or stored in the run log: none may
            // carry the API key, whatever part of a response or request it was taken from.
            let outcome = attempt().map_err(|f| match f {
                Failure::Retry {
                    message,
                    retry_after,
                    cause,
                } => Failure::Retry {
                    message: self.redact(message),
                    retry_after,
                    cause,
                },
                Failure::WebEnv(message) => Failure::WebEnv(self.redact(message)),
                Failure::Fatal(message) => Failure::Fatal(self.redact(message)),
                sink @ Failure::Sink(_) => sink,
            });
            match outcome {
                Ok(v) => return Ok(v),
                Err(Failure::Fatal(message)) => {
                    return Err(EutilsError::Refused {
                        what: what.into(),
                        message,
                    }
                    .into());
                }
                Err(Failure::WebEnv(message)) => {
                    return Err(EutilsError::WebEnvExpired {
                        what: what.into(),
                        message,
                    }
                    .into());
                }
                Err(Failure::Sink(e)) => return Err(EfetchError::Sink(e)),
                Err(Failure::Retry {
                    message,
                    retry_after,
                    cause,
                }) => {
                    failures += 1;
                    if failures > self.opts.max_retries {
                        return Err(EutilsError::GaveUp {
                            what: what.into(),
                            attempts: failures,
                            last: message,
                            cause,
                        }
                        .into());
                    }
                    self.counters.retries.fetch_add(1, Ordering::Relaxed);
                    let delay = self.backoff(failures, retry_after);
                    if let Some(f) = &self.on_retry {
                        f(&format!(
                            "{what}: {message}; retry {failures}/{} in {:.1}s",
                            self.opts.max_retries,
                            delay.as_secs_f64()
                        ));
                    }
                    std::thread::sleep(delay);
                }
            }
        }
    }

    /// Exponential backoff with jitter (half to full delay), at least `Retry-After`.
    fn backoff(&self, failures: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .opts
            .retry_base
            .saturating_mul(1u32 << (failures - 1).min(16));
        let capped = exp.min(self.opts.retry_max);
        let jittered = capped.mul_f64(rand::random_range(0.5..=1.0));
        match retry_after {
            Some(ra) => jittered.max(ra.min(Duration::from_secs(600))),
            None => jittered,
        }
    }

    /// esearch with `usehistory=y`, returning up to `retmax` ids (capped at 9,999).
    pub fn esearch(&self, query: &SearchQuery, retmax: u64) -> Result<EsearchResult, EutilsError> {
        let mut params: Vec<(&str, String)> = vec![
            ("db", "pubmed".into()),
            ("term", query.term.clone()),
            ("usehistory", "y".into()),
            ("retstart", "0".into()),
            ("retmax", retmax.min(ESEARCH_CAP).to_string()),
        ];
        if query.newest_first {
            params.push(("sort", "pub_date".into()));
        }
        if query.mindate.is_some() || query.maxdate.is_some() {
            params.push((
                "datetype",
                query.datetype.clone().unwrap_or_else(|| "edat".into()),
            ));
            params.push((
                "mindate",
                query.mindate.clone().unwrap_or_else(|| "1800".into()),
            ));
            params.push((
                "maxdate",
                query.maxdate.clone().unwrap_or_else(|| "3000".into()),
            ));
        }
        self.retrying("esearch", || {
            let response = self.send("esearch.fcgi", &params)?;
            let body = read_limited(response, 64 * 1024 * 1024).map_err(|e| {
                retry(
                    RetryCause::Transport,
                    format!("reading the esearch response: {e}"),
                )
            })?;
            parse_esearch(&body)
        })
        .map_err(|e| match e {
            EfetchError::Eutils(e) => e,
            EfetchError::Sink(never) => match never {},
        })
    }

    /// efetch of one batch. The response body is handed to `sink` as it streams in, once per
    /// attempt: when the sink reports that the body broke off or is malformed, or the body is an
    /// E-utilities error, the request is sent again (up to `max_retries`) and the sink called
    /// with the new body; a fatal sink error ends the request at once. Returns what the sink
    /// returned for the body it accepted.
    pub fn efetch<T, E: std::error::Error>(
        &self,
        target: FetchTarget<'_>,
        mut sink: impl FnMut(&mut (dyn Read + Send)) -> Result<T, SinkError<E>>,
    ) -> Result<T, EfetchError<E>> {
        let mut params: Vec<(&str, String)> =
            vec![("db", "pubmed".into()), ("retmode", "xml".into())];
        match target {
            FetchTarget::History {
                webenv,
                query_key,
                retstart,
                retmax,
            } => {
                params.push(("WebEnv", webenv.to_string()));
                params.push(("query_key", query_key.to_string()));
                params.push(("retstart", retstart.to_string()));
                params.push(("retmax", retmax.to_string()));
            }
            FetchTarget::Ids(ids) => {
                let list: Vec<String> = ids.iter().map(u64::to_string).collect();
                params.push(("id", list.join(",")));
            }
        }
        self.retrying("efetch", || {
            let mut response = self.send("efetch.fcgi", &params)?;
            let head = read_head(&mut response).map_err(|e| {
                retry(
                    RetryCause::Transport,
                    format!("reading the efetch response: {e}"),
                )
            })?;
            if let Some(message) = error_body(&head) {
                return Err(classify_service_error(message));
            }
            let mut body = Cursor::new(head).chain(response);
            sink(&mut body).map_err(|e| match e {
                SinkError::BrokeOff(message) => retry(RetryCause::Transport, message),
                SinkError::Malformed(message) => retry(RetryCause::BadResponse, message),
                SinkError::Service(message) => classify_service_error(message),
                SinkError::Fatal(e) => Failure::Sink(e),
            })
        })
    }
}

/// What replaces a credential in messages.
pub const REDACTED: &str = "[REDACTED]";

/// Removes credentials from text that came from the network: `key`'s value wherever it occurs,
/// and the value of any `api_key=VALUE`, `api-key: VALUE` or `"api_key": "VALUE"` (any
/// spelling of the name, any case) whatever it holds.
pub fn redact_credentials(text: String, key: Option<&ApiKey>) -> String {
    static NAMED: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let named = NAMED.get_or_init(|| {
        regex::Regex::new(r#"(?i)(api[_\- ]?key["']?\s*[:=]\s*["']?)[^"'&\s,;}<>]+"#)
            .expect("valid pattern")
    });
    let mut text = text;
    if let Some(key) = key.map(ApiKey::expose).filter(|k| !k.is_empty())
        && text.contains(key)
    {
        text = text.replace(key, REDACTED);
    }
    match named.replace_all(&text, format!("${{1}}{REDACTED}")) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(redacted) => redacted,
    }
}

fn describe_transport(e: reqwest::Error) -> String {
    let e = e.without_url();
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    let mut message = format!("{kind}: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when =
        time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc2822).ok()?;
    let wait = when - time::OffsetDateTime::now_utc();
    Some(Duration::from_secs(wait.whole_seconds().max(0) as u64))
}

fn read_limited(mut r: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    (&mut r).take(limit).read_to_end(&mut out)?;
    Ok(out)
}

/// Reads the start of a body: enough to see its root element.
fn read_head(r: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut head = vec![0u8; 4096];
    let mut filled = 0;
    while filled < head.len() {
        let n = r.read(&mut head[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    Ok(head)
}

/// The message of an E-utilities error body (`<eFetchResult><ERROR>...`, `<ERROR>` at the root).
fn error_body(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    if text.contains("<PubmedArticleSet") || text.contains("<PubmedBookArticle") {
        return None;
    }
    let start = text.find("<ERROR>")? + "<ERROR>".len();
    let end = text[start..]
        .find("</ERROR>")
        .map_or(text.len(), |e| start + e);
    Some(text[start..end].trim().to_string())
}

fn is_history_error(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("history")
        || m.contains("webenv")
        || m.contains("unable to obtain query")
        || m.contains("query_key")
}

fn classify_service_error<E>(message: String) -> Failure<E> {
    if is_history_error(&message) {
        Failure::WebEnv(message)
    } else {
        retry(
            RetryCause::BadResponse,
            format!("NCBI returned an error: {message}"),
        )
    }
}

/// Parses an esearch XML answer; ERROR bodies and malformed XML are retryable failures.
fn parse_esearch(body: &[u8]) -> Result<EsearchResult, Failure> {
    let retry = |message: String| retry(RetryCause::BadResponse, message);
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut result = EsearchResult::default();
    let mut text = String::new();
    let mut saw_root = false;
    let mut error: Option<String> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| retry(format!("esearch response is not valid XML: {e}")))?;
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if path.is_empty() {
                    if name != "eSearchResult" {
                        return Err(retry(format!(
                            "unexpected esearch response (root <{name}>)"
                        )));
                    }
                    saw_root = true;
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => text.push(
                super::entities::decode_reference(&r)
                    .map_err(|e| retry(format!("esearch response: {e}")))?,
            ),
            Event::End(_) => {
                let depth = path.len();
                let name = path.pop().unwrap_or_default();
                let value = text.trim().to_string();
                match (depth, name.as_str()) {
                    (2, "Count") => {
                        result.count = value.parse().map_err(|_| {
                            retry(format!("esearch Count {value:?} is not a number"))
                        })?
                    }
                    (2, "QueryKey") => result.query_key = Some(value),
                    (2, "WebEnv") => result.webenv = Some(value),
                    (2, "ERROR") => error = Some(value),
                    (3, "Id") if path.last().map(String::as_str) == Some("IdList") => {
                        result.ids.push(
                            value.parse().map_err(|_| {
                                retry(format!("esearch Id {value:?} is not a number"))
                            })?,
                        )
                    }
                    (3, _)
                        if matches!(
                            path.last().map(String::as_str),
                            Some("ErrorList" | "WarningList")
                        ) =>
                    {
                        result.notes.push(format!("{name}: {value}"))
                    }
                    _ => {}
                }
                text.clear();
            }
            Event::Empty(e) if path.is_empty() => {
                return Err(retry(format!(
                    "unexpected esearch response (root <{}>)",
                    e.name().as_ref()
                )));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !path.is_empty() || !saw_root {
        return Err(retry(
            "the esearch response broke off (incomplete XML)".to_string(),
        ));
    }
    if let Some(message) = error {
        return Err(classify_service_error(message));
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_esearch_answers() {
        let body = br#"<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">
<eSearchResult><Count>2</Count><RetMax>2</RetMax><RetStart>0</RetStart><QueryKey>1</QueryKey><WebEnv>MCID_abc</WebEnv><IdList>
<Id>22430658</Id><Id>19478653</Id></IdList><TranslationSet/><TranslationStack><TermSet><Term>ozone</Term><Field>All Fields</Field><Count>9999</Count></TermSet></TranslationStack></eSearchResult>"#;
        let r = parse_esearch(body).unwrap();
        assert_eq!(r.count, 2);
        assert_eq!(r.ids, [22430658, 19478653]);
        assert_eq!(r.webenv.as_deref(), Some("MCID_abc"));
        assert_eq!(r.query_key.as_deref(), Some("1"));
    }

    #[test]
    fn esearch_errors_and_truncation_are_retryable() {
        let err =
            parse_esearch(b"<eSearchResult><ERROR>Search Backend failed</ERROR></eSearchResult>")
                .unwrap_err();
        assert!(matches!(err, Failure::Retry { .. }), "{err:?}");
        let err = parse_esearch(b"<eSearchResult><Count>2</Count><IdList><Id>1</Id>").unwrap_err();
        assert!(matches!(err, Failure::Retry { .. }), "{err:?}");
        let err = parse_esearch(b"<html><body>Bad gateway</body></html>").unwrap_err();
        assert!(matches!(err, Failure::Retry { .. }), "{err:?}");
    }

    #[test]
    fn esearch_text_decodes_entities_and_refuses_undefined_ones() {
        let r = parse_esearch(
            b"<eSearchResult><Count>1</Count><ErrorList><PhraseNotFound>a &amp; &#x3b1; &lt;b&gt;</PhraseNotFound></ErrorList></eSearchResult>",
        )
        .unwrap();
        assert_eq!(r.notes, ["PhraseNotFound: a & \u{3b1} <b>"]);
        let err = parse_esearch(
            b"<eSearchResult><Count>1</Count><ErrorList><PhraseNotFound>a&nbsp;b</PhraseNotFound></ErrorList></eSearchResult>",
        )
        .unwrap_err();
        match err {
            Failure::Retry { message, .. } => assert!(message.contains("&nbsp;"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn history_errors_are_recognised() {
        let head = b"<?xml version=\"1.0\"?><eFetchResult><ERROR>Cannot retrieve history data. query_key: 1, WebEnv: MCID_1</ERROR></eFetchResult>";
        let message = error_body(head).unwrap();
        assert!(matches!(
            classify_service_error::<std::convert::Infallible>(message),
            Failure::WebEnv(_)
        ));
        assert!(error_body(b"<PubmedArticleSet><PubmedArticle>").is_none());
    }

    #[test]
    fn credentials_are_redacted() {
        let key = ApiKey::new("abc123SECRET");
        let echoed = r#"{"error":"API key invalid","api-key":"abc123SECRET","url":"/x?api_key=abc123SECRET&db=pubmed"}"#;
        let out = redact_credentials(echoed.to_string(), Some(&key));
        assert!(!out.contains("SECRET"), "{out}");
        assert!(out.contains(r#""api-key":"[REDACTED]""#), "{out}");
        assert!(out.contains("api_key=[REDACTED]&db=pubmed"), "{out}");
        // Another key's value is removed by its name alone; unrelated text is untouched.
        let other = redact_credentials("API_KEY = zzz999, count 4".into(), None);
        assert_eq!(other, "API_KEY = [REDACTED], count 4");
        let plain = "HTTP 502: Bad gateway".to_string();
        assert_eq!(redact_credentials(plain.clone(), Some(&key)), plain);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").is_some());
        assert_eq!(parse_retry_after("soon"), None);
    }
}
