//! A fake NCBI E-utilities server for tests and benchmarks.
//!
//! [`EutilsServer::start`] binds `127.0.0.1:0` and serves `esearch.fcgi` and `efetch.fcgi` for
//! `db=pubmed` from an in-memory corpus of [`ServerRecord`]s, on background threads (one per
//! connection), until the server is dropped. It imitates what PubMed really does, including the
//! awkward parts a client must cope with:
//!
//! - **esearch**: `term` with `AND lo:hi[uid]` clauses, `mindate`/`maxdate`/`datetype`,
//!   `retstart`/`retmax`, `usehistory=y` (+ `WebEnv` reuse). Results are sorted by PMID,
//!   descending, or with `sort=pub_date` by publication date, newest first (the history keeps
//!   that order). `Count` is always the full count, but the `IdList` never reaches past the
//!   9,999th result, and `retstart >= 9999` is an in-band `<ERROR>` (HTTP 200). No match gives
//!   `Count` 0, `<IdList/>` and NCBI's `ErrorList`/`WarningList`.
//! - **efetch**: `id=` lists (GET or POST; unknown ids silently absent) or history retrieval
//!   (`WebEnv` + `query_key` + `retstart` + `retmax`), with NCBI's in-band errors for an empty
//!   id list, an unknown or expired history, and history positions beyond 9,999.
//! - **transport**: `Connection: close` on every response, gzip when the request accepts it,
//!   `Expect: 100-continue`, form-encoded POST bodies.
//! - **faults**: per-endpoint queues of [`Fault`]s (5xx, 429, truncated bodies, HTML instead of
//!   XML, in-band errors, expired histories, delays, hang-ups), permanent failures
//!   ([`EutilsServer::fail_always`]) and NCBI's rate limit ([`EutilsServer::enforce_rate_limit`]).
//!
//! Every request is logged ([`EutilsServer::requests`]) with its decoded parameters and final
//! status, and every PMID efetch served is counted ([`EutilsServer::served_pmids`]).
//!
//! The file is self-contained (std, `flate2`) so that it can be included from integration tests
//! (`mod support;`) and from benches (`#[path = "../tests/support/eutils_server.rs"]`).
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// One PubMed record served by the fake server.
#[derive(Clone, Debug)]
pub struct ServerRecord {
    /// The PMID the record is found and fetched by.
    pub pmid: u64,
    /// One complete `<PubmedArticle>…</PubmedArticle>` element, served verbatim by efetch.
    pub xml: String,
    /// Entrez date (`datetype=edat`, the default for `mindate`/`maxdate`).
    pub edat: (i32, u32, u32),
    /// Modification date (`datetype=mdat`).
    pub mdat: (i32, u32, u32),
    /// Publication date (`datetype=pdat`).
    pub pdat: (i32, u32, u32),
}

/// A failure injected into one request (see [`EutilsServer::push_fault`]).
#[derive(Clone, Debug)]
pub enum Fault {
    /// Respond with this HTTP status and a short HTML body.
    Status(u16),
    /// HTTP 429 with NCBI's JSON body `{"error":"API rate limit exceeded","count":"4"}` and, if
    /// given, a `Retry-After` header (seconds).
    RateLimited {
        /// Value of the `Retry-After` header; `None` sends no header (NCBI often sends none).
        retry_after: Option<u32>,
    },
    /// HTTP 200 with the headers of the normal response (including its full `Content-Length`),
    /// but only the first half of the (possibly gzipped) body, then the connection is closed.
    Truncate,
    /// HTTP 200 with an HTML error page instead of XML.
    NotXml,
    /// HTTP 200 with the endpoint's in-band error document carrying this message:
    /// `<eSearchResult><ERROR>msg</ERROR></eSearchResult>` for esearch,
    /// `<eFetchResult><ERROR>msg</ERROR></eFetchResult>` otherwise. The message is XML-escaped.
    ErrorBody(String),
    /// Forget every WebEnv, then handle the request normally.
    ExpireWebEnvs,
    /// Sleep, then handle the request normally.
    Delay(Duration),
    /// Close the connection without sending anything (logged with status 0).
    HangUp,
    /// Respond with this status (NCBI uses 400 for an invalid key, 429 for the rate limit) and a
    /// JSON body that echoes the request's API key back, as NCBI's answers do:
    /// `{"error":"API key invalid","api-key":"KEY","type":"invalid","status":"unknown"}`.
    EchoKey(u16),
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct RequestLog {
    /// When the request (line, headers and body) had been read.
    pub at: Instant,
    /// `"esearch"`, `"efetch"`, or the last path segment of any other path (extension removed).
    pub endpoint: String,
    /// HTTP method, e.g. `"GET"` or `"POST"`.
    pub method: String,
    /// Query string and `application/x-www-form-urlencoded` body merged (the body wins),
    /// percent-decoded, `+` as space. A repeated `id` is joined with commas; for other repeated
    /// names the last value wins.
    pub params: BTreeMap<String, String>,
    /// Final HTTP status; 0 while the request is still being handled, and for [`Fault::HangUp`].
    pub status: u16,
    /// Whether `Accept-Encoding` contained `gzip`.
    pub accept_gzip: bool,
}

/// The fake E-utilities server. Stops accepting connections when dropped.
pub struct EutilsServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

/// PubMed's ESearch window: only the first 9,999 results of a query can be retrieved.
pub const MAX_RETRIEVABLE: usize = 9999;

/// The `<ERROR>` text of esearch with `retstart >= 9999` (HTTP 200).
pub const ESEARCH_RETSTART_ERROR: &str = "Search Backend failed: Exception: 'retstart' cannot be larger than 9998. For PubMed, ESearch can only retrieve the first 9,999 records matching the query. To obtain more than 9,999 PubMed records, consider using EDirect that contains additional logic to batch PubMed search results automatically so that an arbitrary number can be retrieved. For details see https://www.ncbi.nlm.nih.gov/books/NBK25499/";

/// The `<ERROR>` text of a history efetch with `retstart >= 9999` (HTTP 200).
pub const EFETCH_RETSTART_ERROR: &str = "Search backend cannot retrieve history data. Reason: Exception: 'retstart' cannot be larger than 9998. For PubMed, ESearch can only retrieve the first 9,999 records matching the query. To obtain more than 9,999 PubMed records, consider using EDirect that contains additional logic to batch PubMed search results automatically so that an arbitrary number can be retrieved. For details see https://www.ncbi.nlm.nih.gov/books/NBK25499/";

/// The `<ERROR>` text of efetch with an `id` parameter holding no usable id (HTTP 200).
pub const EFETCH_EMPTY_ID_ERROR: &str = "ID list is empty! Possibly it has no correct IDs.";

/// The second `<ERROR>` of efetch with an unknown or expired WebEnv / query_key (the first is
/// `Cannot retrieve history data. query_key: K, WebEnv: W, retstart: S, retmax: M`).
pub const EFETCH_HISTORY_ERROR_2: &str = "Can't fetch uids from history because of: NCBI C++ Exception:\n    Error: UNK_MODULE(CException::eInvalid) \"UNK_FILE\", line 18446744073709551615: UNK_FUNC --- \n";

/// The JSON body of HTTP 429 (`N` = requests counted in the last second).
pub fn rate_limit_body(count: usize) -> String {
    format!("{{\"error\":\"API rate limit exceeded\",\"count\":\"{count}\"}}")
}

impl EutilsServer {
    /// Binds `127.0.0.1:0` and serves `records` until the server is dropped.
    pub fn start(records: Vec<ServerRecord>) -> EutilsServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            port: addr.port(),
            state: Mutex::new(State {
                corpus: Arc::new(Corpus::new(records)),
                faults: HashMap::new(),
                rules: Vec::new(),
                rate_limit: false,
                arrivals: VecDeque::new(),
                envs: HashMap::new(),
                env_counter: 0,
                served: Vec::new(),
            }),
            log: Mutex::new(Log {
                next_seq: 0,
                entries: Vec::new(),
            }),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let shared = Arc::clone(&shared);
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("eutils-server".into())
                .spawn(move || {
                    for conn in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(stream) = conn else { continue };
                        let shared = Arc::clone(&shared);
                        let _ = std::thread::Builder::new()
                            .name("eutils-conn".into())
                            .spawn(move || handle_connection(&shared, stream));
                    }
                })
                .expect("spawn acceptor thread")
        };
        EutilsServer {
            addr,
            shared,
            stop,
            acceptor: Some(acceptor),
        }
    }

    /// `http://127.0.0.1:PORT/entrez/eutils/` (with the trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}/entrez/eutils/", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queues `fault` for the next request to `endpoint` (`"esearch"` or `"efetch"`); one fault
    /// per request, in the order queued.
    pub fn push_fault(&self, endpoint: &str, fault: Fault) {
        self.shared
            .state()
            .faults
            .entry(endpoint.to_string())
            .or_default()
            .push_back(fault);
    }

    /// Every later request to `endpoint` (`"*"` = any endpoint) for which `pred` holds is
    /// answered with `status` (and a short HTML body), once its queued faults are used up.
    pub fn fail_always<F>(&self, endpoint: &str, pred: F, status: u16)
    where
        F: Fn(&RequestLog) -> bool + Send + Sync + 'static,
    {
        self.shared.state().rules.push(Rule {
            endpoint: endpoint.to_string(),
            pred: Box::new(pred),
            status,
        });
    }

    /// Replaces the corpus (stored WebEnvs keep their id lists, like NCBI's history server).
    pub fn set_records(&self, records: Vec<ServerRecord>) {
        let corpus = Arc::new(Corpus::new(records));
        self.shared.state().corpus = corpus;
    }

    /// When on, more than 3 requests (10 with an `api_key` parameter) arriving within one second
    /// get HTTP 429 with [`rate_limit_body`] and no `Retry-After`.
    pub fn enforce_rate_limit(&self, on: bool) {
        let mut state = self.shared.state();
        state.rate_limit = on;
        state.arrivals.clear();
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RequestLog> {
        self.shared
            .log()
            .entries
            .iter()
            .map(|(_, r)| r.clone())
            .collect()
    }

    /// Every PMID efetch has served so far (with repeats), in the order served.
    pub fn served_pmids(&self) -> Vec<u64> {
        self.shared.state().served.clone()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.shared.log().entries.clear();
    }
}

impl Drop for EutilsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor blocked in accept().
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(handle) = self.acceptor.take() {
            let _ = handle.join();
        }
    }
}

/// Builds `n` distinct records from the `<PubmedArticle>` elements of the crate's `fixtures/*.xml`
/// (not `fixtures/broken`), cycling through them in file-name order and giving record `i` the
/// PMID `first_pmid + i` (see [`with_pmid`]). Dates: `edat = mdat = pdat`, rising with `i` from
/// 2000-01-01 (first record) to 2026-10-31 (last record).
pub fn records_from_fixtures(n: usize, first_pmid: u64) -> Vec<ServerRecord> {
    let articles = fixture_articles();
    assert!(!articles.is_empty(), "no <PubmedArticle> in fixtures/*.xml");
    (0..n)
        .map(|i| {
            let pmid = first_pmid + i as u64;
            let date = spread_date(i, n);
            ServerRecord {
                pmid,
                xml: with_pmid(&articles[i % articles.len()], pmid),
                edat: date,
                mdat: date,
                pdat: date,
            }
        })
        .collect()
}

/// Rewrites the PMID of one `<PubmedArticle>`: the text of the `PMID` element of
/// `MedlineCitation` (attributes such as `Version` are kept) and of the
/// `<ArticleId IdType="pubmed">` in `PubmedData`'s own `ArticleIdList` (reference lists and
/// `CommentsCorrections` are left alone).
pub fn with_pmid(xml: &str, pmid: u64) -> String {
    let mut out = xml.to_string();
    let new = pmid.to_string();
    // MedlineCitation/PMID (BookDocument/PMID for a book record).
    let citation = out
        .find("<MedlineCitation")
        .or_else(|| out.find("<BookDocument"));
    if let Some(start) = citation
        && let Some(range) = element_text_range(&out, start, "<PMID", "</PMID>")
    {
        out.replace_range(range, &new);
    }
    // PubmedData/ArticleIdList/ArticleId[@IdType="pubmed"]: the first ArticleIdList of
    // PubmedData is its own (ReferenceList comes after it).
    if let Some(data) = out.find("<PubmedData")
        && let Some(list) = out[data..].find("<ArticleIdList>").map(|p| p + data)
    {
        let list_end = out[list..]
            .find("</ArticleIdList>")
            .map_or(out.len(), |p| p + list);
        if let Some(range) = element_text_range(
            &out[..list_end],
            list,
            "<ArticleId IdType=\"pubmed\"",
            "</ArticleId>",
        ) {
            out.replace_range(range, &new);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Shared state
// ---------------------------------------------------------------------------------------------

struct Shared {
    port: u16,
    state: Mutex<State>,
    log: Mutex<Log>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Logs an arriving request and returns its sequence number (for [`Shared::set_status`]).
    fn log_arrival(&self, entry: RequestLog) -> u64 {
        let mut log = self.log();
        let seq = log.next_seq;
        log.next_seq += 1;
        log.entries.push((seq, entry));
        seq
    }

    fn set_status(&self, seq: u64, status: u16) {
        let mut log = self.log();
        if let Some((_, entry)) = log.entries.iter_mut().rev().find(|(s, _)| *s == seq) {
            entry.status = status;
        }
    }
}

struct Log {
    next_seq: u64,
    entries: Vec<(u64, RequestLog)>,
}

struct State {
    corpus: Arc<Corpus>,
    faults: HashMap<String, VecDeque<Fault>>,
    rules: Vec<Rule>,
    rate_limit: bool,
    /// Arrival times of the requests of the last second (all requests, including rejected ones).
    arrivals: VecDeque<Instant>,
    /// WebEnv -> id lists by query_key - 1.
    envs: HashMap<String, Vec<Arc<Vec<u64>>>>,
    env_counter: u64,
    /// Every PMID efetch served, in order.
    served: Vec<u64>,
}

struct Rule {
    endpoint: String,
    pred: Box<dyn Fn(&RequestLog) -> bool + Send + Sync>,
    status: u16,
}

/// One served record with its search helpers.
struct Rec {
    pmid: u64,
    xml: String,
    edat: (i32, u32, u32),
    mdat: (i32, u32, u32),
    pdat: (i32, u32, u32),
}

/// The corpus, sorted by PMID descending (PubMed's default order), one record per PMID (the
/// last given wins).
struct Corpus {
    records: Vec<Rec>,
    by_pmid: HashMap<u64, usize>,
    /// Lower-cased XML per record, built on the first word search.
    lower: OnceLock<Vec<String>>,
}

impl Corpus {
    fn new(records: Vec<ServerRecord>) -> Corpus {
        let mut unique: HashMap<u64, ServerRecord> = HashMap::with_capacity(records.len());
        for r in records {
            unique.insert(r.pmid, r);
        }
        let mut records: Vec<Rec> = unique
            .into_values()
            .map(|r| Rec {
                pmid: r.pmid,
                xml: r.xml,
                edat: r.edat,
                mdat: r.mdat,
                pdat: r.pdat,
            })
            .collect();
        records.sort_unstable_by_key(|r| std::cmp::Reverse(r.pmid));
        let by_pmid = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.pmid, i))
            .collect();
        Corpus {
            records,
            by_pmid,
            lower: OnceLock::new(),
        }
    }

    fn lower(&self) -> &[String] {
        self.lower.get_or_init(|| {
            self.records
                .iter()
                .map(|r| r.xml.to_ascii_lowercase())
                .collect()
        })
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

struct Request {
    method: String,
    path: String,
    params: BTreeMap<String, String>,
    accept_gzip: bool,
}

struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    retry_after: Option<u32>,
}

impl Response {
    fn xml(body: String) -> Response {
        Response {
            status: 200,
            content_type: "text/xml; charset=UTF-8",
            body: body.into_bytes(),
            retry_after: None,
        }
    }

    fn html(status: u16, body: String) -> Response {
        Response {
            status,
            content_type: "text/html; charset=UTF-8",
            body: body.into_bytes(),
            retry_after: None,
        }
    }

    fn rate_limited(count: usize, retry_after: Option<u32>) -> Response {
        Response {
            status: 429,
            content_type: "application/json",
            body: rate_limit_body(count).into_bytes(),
            retry_after,
        }
    }

    fn error_page(status: u16) -> Response {
        let reason = reason_phrase(status);
        Response::html(
            status,
            format!(
                "<!DOCTYPE html>\n<html><head><title>NCBI/eutils - WWW Error {status} Diagnostic</title></head>\n\
                 <body><h1>{reason}</h1>\n<p>Your request could not be processed due to a problem on our Web server. \
                 This could be a transient problem, please try the query again.</p></body></html>\n"
            ),
        )
    }
}

/// How a response is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Delivery {
    Full,
    HalfBody,
}

fn handle_connection(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = stream.set_nodelay(true);
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader, &mut writer) else {
        return;
    };

    let endpoint = endpoint_of(&request.path);
    let entry = RequestLog {
        at: Instant::now(),
        endpoint: endpoint.clone(),
        method: request.method.clone(),
        params: request.params.clone(),
        status: 0,
        accept_gzip: request.accept_gzip,
    };
    let seq = shared.log_arrival(entry.clone());

    // Rate-limit bookkeeping by arrival time.
    let (rate_limited, corpus) = {
        let mut state = shared.state();
        let now = entry.at;
        while state
            .arrivals
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            state.arrivals.pop_front();
        }
        state.arrivals.push_back(now);
        let limit = if entry.params.get("api_key").is_some_and(|k| !k.is_empty()) {
            10
        } else {
            3
        };
        let count = state.arrivals.len();
        let limited = (state.rate_limit && count > limit).then_some(count);
        (limited, Arc::clone(&state.corpus))
    };

    let fault = shared
        .state()
        .faults
        .get_mut(&endpoint)
        .and_then(|q| q.pop_front());
    let mut delivery = Delivery::Full;
    let terminal = match fault {
        Some(Fault::Status(code)) => Some(Response::error_page(code)),
        Some(Fault::RateLimited { retry_after }) => Some(Response::rate_limited(4, retry_after)),
        Some(Fault::EchoKey(status)) => {
            let key = entry.params.get("api_key").cloned().unwrap_or_default();
            let error = if status == 429 {
                "API rate limit exceeded"
            } else {
                "API key invalid"
            };
            Some(Response {
                status,
                content_type: "application/json",
                body: format!(
                    "{{\"error\":\"{error}\",\"api-key\":\"{key}\",\"type\":\"invalid\",\"status\":\"unknown\",\"url\":\"/eutils?api_key={key}&db=pubmed\"}}"
                )
                .into_bytes(),
                retry_after: None,
            })
        }
        Some(Fault::NotXml) => Some(Response::html(
            200,
            "<!DOCTYPE html>\n<html><head><title>Error - NCBI</title></head>\n<body><h1>Error</h1>\n\
             <p>The server encountered an internal error or misconfiguration and was unable to complete your request.</p>\n\
             </body></html>\n"
                .to_string(),
        )),
        Some(Fault::ErrorBody(msg)) => Some(Response::xml(if endpoint == "esearch" {
            esearch_error(&msg)
        } else {
            efetch_error(&[&msg])
        })),
        Some(Fault::HangUp) => {
            let _ = writer.shutdown(Shutdown::Both);
            return; // logged with status 0
        }
        Some(Fault::Truncate) => {
            delivery = Delivery::HalfBody;
            None
        }
        Some(Fault::ExpireWebEnvs) => {
            shared.state().envs.clear();
            None
        }
        Some(Fault::Delay(d)) => {
            std::thread::sleep(d);
            None
        }
        None => None,
    };

    let response = terminal.unwrap_or_else(|| {
        let rule_status = {
            let state = shared.state();
            state
                .rules
                .iter()
                .find(|r| (r.endpoint == "*" || r.endpoint == endpoint) && (r.pred)(&entry))
                .map(|r| r.status)
        };
        if let Some(status) = rule_status {
            Response::error_page(status)
        } else if let Some(count) = rate_limited {
            Response::rate_limited(count, None)
        } else if !matches!(request.method.as_str(), "GET" | "POST") {
            Response::error_page(405)
        } else if !request.path.starts_with("/entrez/eutils/") {
            Response::error_page(404)
        } else {
            match endpoint.as_str() {
                "esearch" => Response::xml(esearch(shared, &corpus, &request.params)),
                "efetch" => Response::xml(efetch(shared, &corpus, &request.params)),
                _ => Response::error_page(404),
            }
        }
    });

    shared.set_status(seq, response.status);
    write_response(&mut writer, &response, request.accept_gzip, delivery);
}

/// Reads one request; `None` if the peer sent nothing usable.
fn read_request(reader: &mut BufReader<TcpStream>, writer: &mut TcpStream) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();

    let mut content_length = 0usize;
    let mut accept_gzip = false;
    let mut expect_continue = false;
    let mut form_body = true;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => content_length = value.parse().ok()?,
            "accept-encoding" => accept_gzip = value.to_ascii_lowercase().contains("gzip"),
            "expect" => expect_continue = value.eq_ignore_ascii_case("100-continue"),
            "content-type" => {
                form_body = value
                    .to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            }
            _ => {}
        }
    }
    if expect_continue && content_length > 0 {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").ok()?;
    }
    let mut body = vec![0u8; content_length.min(256 << 20)];
    reader.read_exact(&mut body).ok()?;

    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut params = BTreeMap::new();
    parse_urlencoded(query, &mut params);
    if form_body && !body.is_empty() {
        parse_urlencoded(&String::from_utf8_lossy(&body), &mut params);
    }
    Some(Request {
        method,
        path: percent_decode(path, false),
        params,
        accept_gzip,
    })
}

/// Adds `a=b&c=d` pairs to `params` (a repeated `id` is joined with commas, else last wins).
fn parse_urlencoded(s: &str, params: &mut BTreeMap<String, String>) {
    for pair in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(k, true), percent_decode(v, true));
        match params.get_mut(&k) {
            Some(old) if k == "id" && !old.is_empty() && !v.is_empty() => {
                old.push(',');
                old.push_str(&v);
            }
            _ => {
                params.insert(k, v);
            }
        }
    }
}

/// Percent-decodes `s` (and `+` as space when `plus` is set); invalid UTF-8 is replaced.
fn percent_decode(s: &str, plus: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `/entrez/eutils/esearch.fcgi` -> `esearch`: the last path segment without its extension.
fn endpoint_of(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or("");
    last.split_once('.')
        .map_or(last, |(stem, _)| stem)
        .to_string()
}

fn write_response(stream: &mut TcpStream, response: &Response, gzip: bool, delivery: Delivery) {
    let body = if gzip && !response.body.is_empty() {
        gzip_bytes(&response.body)
    } else {
        response.body.clone()
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        reason_phrase(response.status),
        response.content_type,
        body.len()
    );
    if gzip && !response.body.is_empty() {
        head.push_str("Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n");
    }
    if let Some(secs) = response.retry_after {
        head.push_str(&format!("Retry-After: {secs}\r\n"));
    }
    head.push_str("\r\n");
    let sent = match delivery {
        Delivery::Full => &body[..],
        Delivery::HalfBody => &body[..body.len() / 2],
    };
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(sent))
        .and_then(|_| stream.flush());
    let _ = stream.shutdown(Shutdown::Write);
    // Give the peer a moment to read before the socket is dropped (avoids a reset).
    let mut sink = [0u8; 512];
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}

fn gzip_bytes(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "Request-URI Too Long",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

// ---------------------------------------------------------------------------------------------
// esearch
// ---------------------------------------------------------------------------------------------

const ESEARCH_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE eSearchResult PUBLIC \"-//NLM//DTD esearch 20060628//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd\">\n";

const EFETCH_ERROR_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE eEfetchResult PUBLIC \"-//NLM//DTD efetch 20131226//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20131226/efetch.dtd\">\n";

const PUBMED_SET_HEAD: &str = "<?xml version=\"1.0\" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n<PubmedArticleSet>\n";

fn esearch_error(msg: &str) -> String {
    format!(
        "{ESEARCH_HEAD}<eSearchResult><ERROR>{}</ERROR></eSearchResult>\n",
        escape(msg)
    )
}

fn efetch_error(msgs: &[&str]) -> String {
    let mut out = format!("{EFETCH_ERROR_HEAD}<eFetchResult>\n");
    for msg in msgs {
        out.push_str(&format!("\t<ERROR>{}</ERROR>\n", escape(msg)));
    }
    out.push_str("</eFetchResult>\n");
    out
}

/// A parsed `term`.
struct Query {
    /// Lower-cased words that must all occur in a record; empty = everything.
    words: Vec<String>,
    /// The base query as given (for PhraseNotFound / QueryTranslation).
    base: String,
    /// Inclusive PMID ranges, all of which must hold.
    uid_ranges: Vec<(u64, u64)>,
}

fn esearch(shared: &Shared, corpus: &Corpus, params: &BTreeMap<String, String>) -> String {
    if let Some(db) = params
        .get("db")
        .filter(|d| !d.eq_ignore_ascii_case("pubmed"))
    {
        return esearch_error(&format!("Invalid db name specified: {db}"));
    }
    let term = params.get("term").map(|t| t.trim()).unwrap_or("");
    if term.is_empty() {
        return esearch_error("Empty term and query_key - nothing todo");
    }
    let retstart = num_param(params, "retstart").unwrap_or(0);
    let retmax = num_param(params, "retmax").unwrap_or(20);
    if retstart >= MAX_RETRIEVABLE {
        return esearch_error(ESEARCH_RETSTART_ERROR);
    }
    let query = parse_term(term);
    let datetype = params
        .get("datetype")
        .map(|d| d.to_ascii_lowercase())
        .unwrap_or_else(|| "edat".into());
    let mindate = params.get("mindate").and_then(|d| parse_date(d, false));
    let maxdate = params.get("maxdate").and_then(|d| parse_date(d, true));

    let lower = if query.words.is_empty() {
        &[][..]
    } else {
        corpus.lower()
    };
    let ids: Vec<u64> = corpus
        .records
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            query
                .uid_ranges
                .iter()
                .all(|&(lo, hi)| (lo..=hi).contains(&r.pmid))
                && query.words.iter().all(|w| lower[*i].contains(w.as_str()))
                && {
                    let date = match datetype.as_str() {
                        "pdat" => r.pdat,
                        "mdat" => r.mdat,
                        _ => r.edat,
                    };
                    mindate.is_none_or(|m| date >= m) && maxdate.is_none_or(|m| date <= m)
                }
        })
        .map(|(_, r)| r.pmid)
        .collect();
    let mut ids = ids;
    if params
        .get("sort")
        .is_some_and(|s| matches!(s.as_str(), "pub_date" | "pub date" | "pub+date"))
    {
        // Publication date, newest first (ties: highest PMID first, the default order).
        ids.sort_by_key(|id| std::cmp::Reverse((corpus.records[corpus.by_pmid[id]].pdat, *id)));
    }

    let count = ids.len();
    let end = retstart
        .saturating_add(retmax)
        .min(MAX_RETRIEVABLE)
        .min(count);
    let page = if retstart < end {
        &ids[retstart..end]
    } else {
        &[][..]
    };

    let mut out = String::with_capacity(256 + page.len() * 16);
    out.push_str(ESEARCH_HEAD);
    out.push_str(&format!(
        "<eSearchResult><Count>{count}</Count><RetMax>{}</RetMax><RetStart>{retstart}</RetStart>",
        page.len()
    ));
    if params
        .get("usehistory")
        .is_some_and(|u| u.eq_ignore_ascii_case("y"))
    {
        let (webenv, key) = store_history(
            shared,
            params.get("WebEnv").map(String::as_str),
            ids.clone(),
        );
        out.push_str(&format!(
            "<QueryKey>{key}</QueryKey><WebEnv>{webenv}</WebEnv>"
        ));
    }
    if page.is_empty() {
        out.push_str("<IdList/>");
    } else {
        out.push_str("<IdList>\n");
        for id in page {
            out.push_str(&format!("<Id>{id}</Id>\n"));
        }
        out.push_str("</IdList>");
    }
    out.push_str("<TranslationSet/>");
    out.push_str(&format!(
        "<QueryTranslation>{}</QueryTranslation>",
        escape(&translation(&query, &datetype, mindate, maxdate))
    ));
    if count == 0 {
        let missing: Vec<&String> = if query.words.is_empty() {
            Vec::new()
        } else {
            let lower = corpus.lower();
            query
                .words
                .iter()
                .filter(|w| !lower.iter().any(|x| x.contains(w.as_str())))
                .collect()
        };
        if !missing.is_empty() {
            out.push_str("<ErrorList>");
            for w in missing {
                out.push_str(&format!("<PhraseNotFound>{}</PhraseNotFound>", escape(w)));
            }
            out.push_str("</ErrorList>");
        }
        out.push_str("<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>");
    }
    out.push_str("</eSearchResult>\n");
    out
}

/// Stores `ids` as a new query of `webenv` (if known) or of a new WebEnv; returns both.
fn store_history(shared: &Shared, webenv: Option<&str>, ids: Vec<u64>) -> (String, usize) {
    let mut state = shared.state();
    let name = match webenv.filter(|w| state.envs.contains_key(*w)) {
        Some(w) => w.to_string(),
        None => {
            state.env_counter += 1;
            format!(
                "MCID_{:08x}{:016x}",
                shared.port as u32 ^ 0x6927_d6e7,
                state.env_counter
            )
        }
    };
    let queries = state.envs.entry(name.clone()).or_default();
    queries.push(Arc::new(ids));
    let key = queries.len();
    (name, key)
}

fn num_param(params: &BTreeMap<String, String>, name: &str) -> Option<usize> {
    params.get(name).and_then(|v| v.trim().parse().ok())
}

/// Splits the `AND lo:hi[uid]` clauses off `term`.
fn parse_term(term: &str) -> Query {
    let mut rest = term.to_string();
    let mut uid_ranges = Vec::new();
    while let Some(tag) = rest.to_ascii_lowercase().find("[uid]") {
        let bytes = rest.as_bytes();
        // The range: digits, spaces and one colon before the tag.
        let mut start = tag;
        while start > 0 && matches!(bytes[start - 1], b'0'..=b'9' | b':' | b' ') {
            start -= 1;
        }
        let range_text: String = rest[start..tag]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let (lo, hi) = range_text
            .split_once(':')
            .unwrap_or((&range_text, &range_text));
        let (lo, hi) = (
            lo.parse::<u64>().unwrap_or(0),
            hi.parse::<u64>().unwrap_or(u64::MAX),
        );
        uid_ranges.push((lo.min(hi), lo.max(hi)));
        let mut end = tag + "[uid]".len();
        // `(lo:hi[uid])`
        let before = rest[..start].trim_end();
        let after = rest[end..].trim_start();
        if before.ends_with('(') && after.starts_with(')') {
            start = before.len() - 1;
            end = rest.len() - after.len() + 1;
        }
        // The joining AND: before the clause, else after it.
        let before = rest[..start].trim_end();
        let lower_before = before.to_ascii_lowercase();
        let after_lower = rest[end..].trim_start().to_ascii_lowercase();
        if lower_before.ends_with("and")
            && (before.len() == 3 || !before.as_bytes()[before.len() - 4].is_ascii_alphanumeric())
        {
            start = before.len() - 3;
        } else if after_lower.starts_with("and")
            && !after_lower[3..].starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            end = rest.len() - rest[end..].trim_start().len() + 3;
        }
        rest.replace_range(start..end, " ");
    }
    let mut base = rest.trim().to_string();
    while base.starts_with('(') && base.ends_with(')') {
        base = base[1..base.len() - 1].trim().to_string();
    }
    let lower = base.to_ascii_lowercase();
    let words = if lower.is_empty() || lower == "all" || lower == "*" {
        Vec::new()
    } else {
        lower
            .split_whitespace()
            .map(|w| w.trim_matches('"').to_string())
            .filter(|w| !w.is_empty())
            .collect()
    };
    Query {
        words,
        base,
        uid_ranges,
    }
}

/// A plausible `QueryTranslation`.
fn translation(
    query: &Query,
    datetype: &str,
    mindate: Option<(i32, u32, u32)>,
    maxdate: Option<(i32, u32, u32)>,
) -> String {
    let mut parts = Vec::new();
    if query.words.is_empty() {
        if !query.base.is_empty() {
            parts.push("all[sb]".to_string());
        }
    } else {
        let words: Vec<String> = query
            .words
            .iter()
            .map(|w| format!("\"{w}\"[All Fields]"))
            .collect();
        parts.push(words.join(" AND "));
    }
    for (lo, hi) in &query.uid_ranges {
        parts.push(format!("{lo}:{hi}[UID]"));
    }
    if mindate.is_some() || maxdate.is_some() {
        let field = match datetype {
            "pdat" => "Date - Publication",
            "mdat" => "Date - Modification",
            _ => "Date - Entry",
        };
        let (y1, m1, d1) = mindate.unwrap_or((1000, 1, 1));
        let (y2, m2, d2) = maxdate.unwrap_or((3000, 12, 31));
        parts.push(format!(
            "{y1:04}/{m1:02}/{d1:02}:{y2:04}/{m2:02}/{d2:02}[{field}]"
        ));
    }
    parts.join(" AND ")
}

/// `YYYY`, `YYYY/MM`, `YYYY/MM/DD` (also with `-`); missing parts are the start (`end = false`)
/// or the end (`end = true`) of the period.
fn parse_date(s: &str, end: bool) -> Option<(i32, u32, u32)> {
    let mut parts = s.trim().split(['/', '-']);
    let y: i32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = match parts.next() {
        Some(m) => m.trim().parse().ok()?,
        None => return Some(if end { (y, 12, 31) } else { (y, 1, 1) }),
    };
    let d: u32 = match parts.next() {
        Some(d) => d.trim().parse().ok()?,
        None => return Some(if end { (y, m, 31) } else { (y, m, 1) }),
    };
    Some((y, m, d))
}

// ---------------------------------------------------------------------------------------------
// efetch
// ---------------------------------------------------------------------------------------------

fn efetch(shared: &Shared, corpus: &Corpus, params: &BTreeMap<String, String>) -> String {
    if let Some(db) = params
        .get("db")
        .filter(|d| !d.eq_ignore_ascii_case("pubmed"))
    {
        return efetch_error(&[&format!("Invalid db name specified: {db}")]);
    }
    if let Some(id) = params.get("id") {
        let mut seen = HashSet::new();
        let ids: Vec<u64> = id
            .split([',', ' ', '\n', '\t'])
            .filter_map(|s| s.trim().parse::<u64>().ok())
            .filter(|&n| n > 0)
            .filter(|n| seen.insert(*n))
            .collect();
        if ids.is_empty() {
            return efetch_error(&[EFETCH_EMPTY_ID_ERROR]);
        }
        return served(shared, corpus, &ids);
    }
    let webenv = params.get("WebEnv").map(String::as_str).unwrap_or("");
    let query_key = params.get("query_key").map(String::as_str).unwrap_or("");
    if webenv.is_empty() && query_key.is_empty() {
        return efetch_error(&[EFETCH_EMPTY_ID_ERROR]);
    }
    let retstart = num_param(params, "retstart").unwrap_or(0);
    let retmax = num_param(params, "retmax").unwrap_or(20);
    let stored = {
        let state = shared.state();
        let key = query_key.trim().parse::<usize>().ok();
        state.envs.get(webenv).and_then(|qs| {
            key.and_then(|k| k.checked_sub(1))
                .and_then(|k| qs.get(k))
                .cloned()
        })
    };
    let Some(ids) = stored else {
        let first = format!(
            "Cannot retrieve history data. query_key: {query_key}, WebEnv: {webenv}, retstart: {retstart}, retmax: {retmax}"
        );
        return efetch_error(&[&first, EFETCH_HISTORY_ERROR_2]);
    };
    if retstart >= MAX_RETRIEVABLE {
        return efetch_error(&[EFETCH_RETSTART_ERROR]);
    }
    let end = retstart
        .saturating_add(retmax)
        .min(MAX_RETRIEVABLE)
        .min(ids.len());
    let slice = if retstart < end {
        &ids[retstart..end]
    } else {
        &[][..]
    };
    served(shared, corpus, slice)
}

/// [`article_set`], counting the PMIDs served.
fn served(shared: &Shared, corpus: &Corpus, ids: &[u64]) -> String {
    shared.state().served.extend(
        ids.iter()
            .copied()
            .filter(|id| corpus.by_pmid.contains_key(id)),
    );
    article_set(corpus, ids)
}

/// The `PubmedArticleSet` of those `ids` that exist, in the order given.
fn article_set(corpus: &Corpus, ids: &[u64]) -> String {
    let records: Vec<&Rec> = ids
        .iter()
        .filter_map(|id| corpus.by_pmid.get(id))
        .map(|&i| &corpus.records[i])
        .collect();
    let mut out =
        String::with_capacity(256 + records.iter().map(|r| r.xml.len() + 1).sum::<usize>());
    out.push_str(PUBMED_SET_HEAD);
    for r in records {
        out.push_str(&r.xml);
        out.push('\n');
    }
    out.push_str("</PubmedArticleSet>\n");
    out
}

// ---------------------------------------------------------------------------------------------
// Records and helpers
// ---------------------------------------------------------------------------------------------

/// Every `<PubmedArticle>` element of `fixtures/*.xml`, files in name order.
fn fixture_articles() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let mut articles = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let mut pos = 0;
        while let Some(found) = text[pos..].find("<PubmedArticle") {
            let start = pos + found;
            let after = text[start + "<PubmedArticle".len()..].chars().next();
            if !matches!(after, Some('>' | ' ' | '\t' | '\r' | '\n')) {
                pos = start + 1; // <PubmedArticleSet
                continue;
            }
            let Some(close) = text[start..].find("</PubmedArticle>") else {
                break;
            };
            let end = start + close + "</PubmedArticle>".len();
            articles.push(text[start..end].to_string());
            pos = end;
        }
    }
    articles
}

/// Byte range of the text of the first element starting with `open` (e.g. `<PMID`) at or after
/// `from`, up to `close`.
fn element_text_range(
    s: &str,
    from: usize,
    open: &str,
    close: &str,
) -> Option<std::ops::Range<usize>> {
    let tag = s[from..].find(open)? + from;
    let text_start = s[tag..].find('>')? + tag + 1;
    let text_end = s[text_start..].find(close)? + text_start;
    Some(text_start..text_end)
}

/// Date `i` of `n`, evenly from 2000-01-01 (i = 0) to 2026-10-31 (i = n - 1).
fn spread_date(i: usize, n: usize) -> (i32, u32, u32) {
    let first = days_from_civil(2000, 1, 1);
    let last = days_from_civil(2026, 10, 31);
    let span = (last - first) as u128;
    let offset = if n <= 1 {
        0
    } else {
        (i as u128 * span / (n as u128 - 1)) as i64
    };
    civil_from_days(first + offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let (m, d) = (i64::from(m), i64::from(d));
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m as u32, d as u32)
}

/// Escapes text for XML content.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
