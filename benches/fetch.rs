//! Fetch benchmark: `cargo bench --bench fetch`.
//!
//! Serves 25,000 PubMed records from a local E-utilities server (the test server of
//! `tests/support/eutils_server.rs`, which caps esearch at 9,999 ids like PubMed) and fetches
//! them into a new catalogue, without and with an API key. Reports the requests made against
//! the minimum the batch size allows plus the searches the split needed, records/s, and the run
//! time against the bound NCBI's rate limit alone imposes ((requests - 1) / rate).
//!
//! `EVCAT_BENCH_RECORDS=N` and `EVCAT_BENCH_BATCH=N` change the size and batch.

#[path = "../tests/support/eutils_server.rs"]
mod eutils_server;

use std::time::{Duration, Instant};

use evcat::fetch::{FetchOptions, Importer, fetch_search};
use evcat::pubmed::api_key::ApiKey;
use evcat::pubmed::eutils::{ClientOptions, EutilsClient, SearchQuery};
use evcat::store::Store;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n = env_usize("EVCAT_BENCH_RECORDS", 25_000);
    let batch = env_usize("EVCAT_BENCH_BATCH", 500);
    println!("# evcat fetch benchmark: {n} records, batch {batch}, local server on 127.0.0.1");
    let server =
        eutils_server::EutilsServer::start(eutils_server::records_from_fixtures(n, 20_000_000));
    server.enforce_rate_limit(true);
    println!();
    println!(
        "| api key | rate limit | requests | searches | efetches | minimum efetches | records | seconds | records/s | rate-limit bound s | time / bound | 429s seen |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut ok = true;
    for with_key in [false, true] {
        server.clear_requests();
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("bench.sqlite")).expect("open store");
        let client = EutilsClient::new(ClientOptions {
            base_url: server.base_url(),
            email: Some("bench@example.org".into()),
            api_key: with_key.then(|| ApiKey::new("bench-key")),
            max_retries: 6,
            retry_base: Duration::from_millis(500),
            retry_max: Duration::from_secs(10),
            timeout: Duration::from_secs(120),
        })
        .expect("client");
        let rate = if with_key { 10.0 } else { 3.0 };
        let started = Instant::now();
        let opts = FetchOptions {
            batch_size: batch,
            max_records: None,
        };
        let query = SearchQuery {
            term: "all".into(),
            ..SearchQuery::default()
        };
        let mut importer = Importer {
            store: &mut store,
            tagger: None,
        };
        let report = fetch_search(&client, &mut importer, &query, &opts, "bench", &mut |_| {});
        let secs = started.elapsed().as_secs_f64();
        assert!(report.error.is_none(), "fetch failed: {:?}", report.error);
        assert_eq!(report.fetched as usize, n, "every record fetched");
        assert!(report.count_verified, "ids collected equal the count");
        let efetches = report.requests - report.searches;
        let minimum = n.div_ceil(batch) as u64;
        let bound = (report.requests - 1) as f64 / rate;
        let ratio = secs / bound;
        let rejected = server.requests().iter().filter(|r| r.status == 429).count();
        println!(
            "| {} | {rate}/s | {} | {} | {efetches} | {minimum} | {} | {secs:.1} | {:.0} | {bound:.1} | {:.1}% | {rejected} |",
            if with_key { "yes" } else { "no" },
            report.requests,
            report.searches,
            report.fetched,
            report.fetched as f64 / secs,
            ratio * 100.0
        );
        ok &= efetches == minimum && ratio <= 1.15 && rejected == 0 && report.retries == 0;
    }
    println!();
    println!(
        "targets: efetch requests = ceil(records / batch); time within 15% of the rate-limit bound; no 429: {}",
        if ok { "PASS" } else { "FAIL" }
    );
}
