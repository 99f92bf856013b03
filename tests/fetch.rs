//! End-to-end tests of `fetch`, `saved`, `refresh`, `runs` and `config` against a local
//! E-utilities server (tests/support/eutils_server.rs) that behaves like NCBI's.

mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::TestEnv;
use support::eutils_server::{
    EutilsServer, Fault, RequestLog, ServerRecord, records_from_fixtures,
};

const KEY: &str = "SECRETKEY0123456789abcdef";

/// A catalogue wired to `server`, with fast retries and a contact email.
fn env_for(server: &EutilsServer) -> TestEnv {
    let mut env = TestEnv::new();
    env.set_var("EVCAT_EUTILS_BASE", &server.base_url());
    env.set_var("NCBI_EMAIL", "tester@example.org");
    env.set_var("EVCAT_RETRY_BASE_MS", "20");
    env.set_var("EVCAT_RETRY_MAX_MS", "100");
    env.set_var("EVCAT_MAX_RETRIES", "4");
    env
}

/// Same, with an API key (10 requests/s keeps the tests quick).
fn keyed_env_for(server: &EutilsServer) -> TestEnv {
    let mut env = env_for(server);
    env.set_var("NCBI_API_KEY", KEY);
    env
}

fn efetches(server: &EutilsServer) -> Vec<RequestLog> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == "efetch")
        .collect()
}

fn esearches(server: &EutilsServer) -> Vec<RequestLog> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == "esearch")
        .collect()
}

fn records(env: &TestEnv) -> u64 {
    env.json(&["stats", "--format", "json"])["records"]
        .as_u64()
        .unwrap()
}

#[test]
fn pages_through_the_history_server() {
    let server = EutilsServer::start(records_from_fixtures(1_200, 40_000_000));
    let env = keyed_env_for(&server);
    let r = env.json(&["fetch", "all", "--batch-size", "500", "--format", "json"]);
    assert_eq!(r["found"], 1200);
    assert_eq!(r["fetched"], 1200);
    assert_eq!(r["inserted"], 1200);
    assert_eq!(r["count_verified"], true);
    assert_eq!(r["searches"], 1);
    assert_eq!(r["requests"], 4, "1 esearch + 3 efetch: {r}");
    let fetches = efetches(&server);
    let starts: Vec<&str> = fetches
        .iter()
        .map(|f| f.params["retstart"].as_str())
        .collect();
    assert_eq!(starts, ["0", "500", "1000"]);
    assert!(
        fetches
            .iter()
            .all(|f| f.params.contains_key("WebEnv") && f.params["query_key"] == "1")
    );
    // Every request identifies the tool and its user.
    for req in server.requests() {
        assert_eq!(req.params["tool"], "evcat");
        assert_eq!(req.params["email"], "tester@example.org");
        assert_eq!(req.params["api_key"], KEY);
        assert!(req.accept_gzip, "gzip on");
    }
    assert_eq!(records(&env), 1200);
    // Fetching again changes nothing.
    let again = env.json(&["fetch", "all", "--batch-size", "500", "--format", "json"]);
    assert_eq!(again["unchanged"], 1200);
    assert_eq!(again["inserted"], 0);
}

#[test]
fn splits_searches_past_the_9999_cap_and_checks_the_count() {
    let server = EutilsServer::start(records_from_fixtures(12_500, 30_000_000));
    let env = keyed_env_for(&server);
    let r = env.json(&["fetch", "all", "--batch-size", "5000", "--format", "json"]);
    assert_eq!(r["found"], 12_500, "{r}");
    assert_eq!(r["ids_collected"], 12_500);
    assert_eq!(r["count_verified"], true);
    assert_eq!(r["fetched"], 12_500);
    assert!(r["error"].is_null(), "{r}");
    // The minimum number of efetches the batch size allows, plus the searches the split needed.
    let searches = r["searches"].as_u64().unwrap();
    assert!(searches >= 2, "the search was split");
    assert_eq!(r["requests"].as_u64().unwrap(), searches + 3, "{r}");
    assert!(
        esearches(&server)
            .iter()
            .skip(1)
            .all(|s| s.params["term"].contains("[uid]"))
    );
    assert_eq!(records(&env), 12_500);
}

#[test]
fn retries_429_5xx_truncation_errors_and_garbage() {
    let server = EutilsServer::start(records_from_fixtures(300, 41_000_000));
    let mut env = keyed_env_for(&server);
    env.set_var("EVCAT_MAX_RETRIES", "10");
    server.push_fault(
        "esearch",
        Fault::RateLimited {
            retry_after: Some(1),
        },
    );
    server.push_fault("esearch", Fault::Status(503));
    server.push_fault("efetch", Fault::Status(500));
    server.push_fault("efetch", Fault::Status(502));
    server.push_fault("efetch", Fault::Truncate);
    server.push_fault(
        "efetch",
        Fault::ErrorBody("Search Backend failed: temporary".into()),
    );
    server.push_fault("efetch", Fault::NotXml);
    server.push_fault("efetch", Fault::HangUp);
    server.push_fault("efetch", Fault::RateLimited { retry_after: None });
    let started = Instant::now();
    let r = env.json(&["fetch", "all", "--batch-size", "100", "--format", "json"]);
    assert!(r["error"].is_null(), "{r}");
    assert_eq!(r["fetched"], 300);
    assert_eq!(
        r["inserted"], 300,
        "a truncated batch is retried whole, never stored half"
    );
    assert_eq!(r["retries"], 9, "{r}");
    assert_eq!(records(&env), 300);
    // Retry-After: 1 was honoured.
    let first_two: Vec<Instant> = esearches(&server).iter().take(2).map(|r| r.at).collect();
    assert!(
        first_two[1] - first_two[0] >= Duration::from_millis(950),
        "Retry-After honoured"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn an_expired_webenv_reruns_the_search() {
    let server = EutilsServer::start(records_from_fixtures(600, 42_000_000));
    let env = keyed_env_for(&server);
    server.push_fault("efetch", Fault::Delay(Duration::ZERO));
    server.push_fault("efetch", Fault::ExpireWebEnvs);
    let r = env.json(&["fetch", "all", "--batch-size", "200", "--format", "json"]);
    assert!(r["error"].is_null(), "{r}");
    assert_eq!(r["fetched"], 600);
    assert_eq!(
        esearches(&server).len(),
        2,
        "the search ran again for a new WebEnv"
    );
    let envs: std::collections::BTreeSet<String> = efetches(&server)
        .iter()
        .map(|f| f.params["WebEnv"].clone())
        .collect();
    assert_eq!(envs.len(), 2);
}

#[test]
fn a_batch_that_never_succeeds_stops_the_run_and_keeps_what_was_stored() {
    let server = EutilsServer::start(records_from_fixtures(1_000, 43_000_000));
    let env = keyed_env_for(&server);
    env.ok(&["saved", "add", "all-records", "all"]);
    server.fail_always(
        "efetch",
        |r| r.params.get("retstart").map(String::as_str) == Some("500"),
        503,
    );
    let out = env.run(&["refresh", "--batch-size", "250", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "all searches failed");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &summary["searches"][0];
    assert_eq!(s["outcome"], "failed");
    assert_eq!(
        s["fetched"], 500,
        "two batches stored before the failing one"
    );
    assert_eq!(s["not_fetched"], 500);
    assert!(
        s["error"]
            .as_str()
            .unwrap()
            .contains("gave up after 5 attempts"),
        "{s}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refresh all-records") && stderr.contains("run again to finish"),
        "{stderr}"
    );
    assert_eq!(records(&env), 500);
    let saved = env.json(&["saved", "list", "--format", "json"]);
    assert!(
        saved[0]["watermark"].is_null(),
        "the watermark did not move"
    );
    let runs = env.json(&["runs", "all-records", "--format", "json"]);
    assert_eq!(runs[0]["outcome"], "failed");
    assert_eq!(runs[0]["missing"], 500);
}

/// Today's date as the server's (y, m, d).
fn today() -> (i32, u32, u32) {
    let d = time::OffsetDateTime::now_utc().date();
    (d.year(), u8::from(d.month()) as u32, d.day() as u32)
}

fn revised(record: &ServerRecord) -> ServerRecord {
    let xml = &record.xml;
    let start = xml.find("<DateRevised>").expect("record has DateRevised");
    let end = xml.find("</DateRevised>").unwrap() + "</DateRevised>".len();
    let (y, m, d) = today();
    let mut new = format!(
        "{}<DateRevised><Year>{y}</Year><Month>{m:02}</Month><Day>{d:02}</Day></DateRevised>{}",
        &xml[..start],
        &xml[end..]
    );
    new = new.replacen("<ArticleTitle>", "<ArticleTitle>[Revised] ", 1);
    ServerRecord {
        xml: new,
        mdat: today(),
        ..record.clone()
    }
}

#[test]
fn refresh_fetches_only_new_and_revised_records() {
    let mut corpus = records_from_fixtures(400, 44_000_000);
    let server = EutilsServer::start(corpus.clone());
    let env = keyed_env_for(&server);
    env.ok(&["saved", "add", "everything", "all"]);
    let first = env.json(&["refresh", "--format", "json"]);
    assert_eq!(first["searches"][0]["inserted"], 400);
    assert!(
        first["searches"][0]["mindate"].is_null(),
        "first refresh is complete"
    );
    let watermark = env.json(&["saved", "list", "--format", "json"])[0]["watermark"]
        .as_str()
        .unwrap()
        .to_string();

    // PubMed gains 3 records today and revises one.
    let i = corpus
        .iter()
        .position(|r| r.xml.contains("<DateRevised>"))
        .unwrap();
    corpus[i] = revised(&corpus[i]);
    for k in 0..3 {
        let mut r = records_from_fixtures(1, 45_000_000 + k).remove(0);
        r.edat = today();
        r.mdat = today();
        corpus.push(r);
    }
    server.set_records(corpus);
    server.clear_requests();
    let second = env.json(&["refresh", "--format", "json"]);
    let s = &second["searches"][0];
    assert_eq!(s["outcome"], "success", "{second}");
    assert_eq!(s["fetched"], 4, "only what is new or revised: {s}");
    assert_eq!(s["inserted"], 3);
    assert_eq!(s["updated"], 1);
    let searches = esearches(&server);
    assert_eq!(searches.len(), 2);
    let types: Vec<&str> = searches
        .iter()
        .map(|r| r.params["datetype"].as_str())
        .collect();
    assert_eq!(types, ["edat", "mdat"]);
    // The window starts three days before the watermark.
    let w = time::Date::parse(
        &watermark,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap();
    let expected = w - time::Duration::days(3);
    let expected = format!(
        "{:04}/{:02}/{:02}",
        expected.year(),
        u8::from(expected.month()),
        expected.day()
    );
    assert!(
        searches.iter().all(|r| r.params["mindate"] == expected),
        "{:?}",
        searches[0].params
    );
    assert_eq!(records(&env), 403);
    let runs = env.json(&["runs", "everything", "--format", "json"]);
    assert_eq!(runs.as_array().unwrap().len(), 2);
    assert!(
        runs.as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "success")
    );
}

#[test]
fn a_killed_refresh_is_finished_by_the_next() {
    let server = EutilsServer::start(records_from_fixtures(1_500, 46_000_000));
    let env = keyed_env_for(&server);
    env.ok(&["saved", "add", "all-records", "all"]);
    server.push_fault("efetch", Fault::Delay(Duration::ZERO));
    server.push_fault("efetch", Fault::Delay(Duration::ZERO));
    server.push_fault("efetch", Fault::Delay(Duration::from_secs(30)));
    let mut child = env
        .std_cmd(&["refresh", "--batch-size", "300"])
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while efetches(&server).len() < 3 {
        assert!(
            Instant::now() < deadline,
            "the refresh never reached its third batch"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(records(&env), 600, "the two finished batches were kept");
    assert!(env.json(&["saved", "list", "--format", "json"])[0]["watermark"].is_null());
    let second = env.json(&["refresh", "--batch-size", "300", "--format", "json"]);
    let s = &second["searches"][0];
    assert_eq!(s["outcome"], "success", "{second}");
    assert_eq!(second["interrupted_runs_found"], 1);
    assert_eq!(s["inserted"], 900);
    assert_eq!(s["unchanged"], 600);
    assert_eq!(records(&env), 1_500, "no gaps, no duplicates");
    let runs = env.json(&["runs", "--format", "json"]);
    let outcomes: Vec<&str> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["success", "interrupted"]);
}

#[test]
fn two_refreshes_never_run_at_once() {
    let server = EutilsServer::start(records_from_fixtures(50, 47_000_000));
    let env = keyed_env_for(&server);
    env.ok(&["saved", "add", "all-records", "all"]);
    server.push_fault("esearch", Fault::Delay(Duration::from_secs(2)));
    let mut first = env.std_cmd(&["refresh"]).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while esearches(&server).is_empty() {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = Instant::now();
    let second = env.run(&["refresh"]);
    assert_eq!(second.status.code(), Some(4), "locked");
    assert!(started.elapsed() < Duration::from_secs(1), "exits at once");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("another evcat fetch or refresh is running"),
        "{stderr}"
    );
    // --wait waits for the first, then runs.
    let waited = env.run(&["refresh", "--wait", "--format", "json"]);
    assert!(waited.status.success());
    assert!(first.wait().unwrap().success());
    let runs = env.json(&["runs", "--format", "json"]);
    assert_eq!(runs.as_array().unwrap().len(), 2);
    assert!(
        runs.as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "success")
    );
}

/// No one-second window (by arrival at the server) holds more than `limit` requests.
fn assert_rate(requests: &[RequestLog], limit: usize) {
    for (i, r) in requests.iter().enumerate() {
        let in_window = requests[i..]
            .iter()
            .take_while(|o| o.at.duration_since(r.at) < Duration::from_secs(1))
            .count();
        assert!(
            in_window <= limit,
            "{in_window} requests within one second starting at request {i}"
        );
    }
}

#[test]
fn never_more_than_3_requests_per_second_without_a_key() {
    let server = EutilsServer::start(records_from_fixtures(300, 48_000_000));
    server.enforce_rate_limit(true);
    let env = env_for(&server);
    let r = env.json(&["fetch", "all", "--batch-size", "30", "--format", "json"]);
    assert_eq!(r["fetched"], 300);
    assert_eq!(r["retries"], 0, "NCBI's limit was never hit");
    let requests = server.requests();
    assert_eq!(requests.len(), 11);
    assert!(requests.iter().all(|r| !r.params.contains_key("api_key")));
    assert_rate(&requests, 3);
}

#[test]
fn never_more_than_10_requests_per_second_with_a_key() {
    let server = EutilsServer::start(records_from_fixtures(300, 49_000_000));
    server.enforce_rate_limit(true);
    let env = keyed_env_for(&server);
    let r = env.json(&["fetch", "all", "--batch-size", "10", "--format", "json"]);
    assert_eq!(r["fetched"], 300);
    assert_eq!(r["retries"], 0);
    let requests = server.requests();
    assert_eq!(requests.len(), 31);
    assert_rate(&requests, 10);
    let span = requests.last().unwrap().at - requests[0].at;
    assert!(span >= Duration::from_secs(3), "30 intervals of 1/10 s");
}

#[test]
fn fetch_by_pmid_reports_unknown_ids() {
    let server = EutilsServer::start(records_from_fixtures(20, 50_000_000));
    let env = keyed_env_for(&server);
    let out = env.run(&[
        "fetch",
        "--pmid",
        "50000001,50000002,99999999",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3), "partial: an id was unknown");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["fetched"], 2);
    assert_eq!(r["missing"], serde_json::json!([99999999]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("99999999"));
    let fetch = &efetches(&server)[0];
    assert_eq!(fetch.method, "POST");
    assert_eq!(fetch.params["id"], "50000001,50000002,99999999");
    let file = env.dir.path().join("ids.txt");
    std::fs::write(&file, "# wanted\n50000003\n\n50000004\n").unwrap();
    let r = env.json(&[
        "fetch",
        "--pmid-file",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r["inserted"], 2);
    std::fs::write(&file, "50000003\nnot-a-pmid\n").unwrap();
    let out = env.run(&["fetch", "--pmid-file", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ids.txt:2"));
}

#[test]
fn saved_searches_are_validated() {
    let server = EutilsServer::start(Vec::new());
    let env = keyed_env_for(&server);
    env.ok(&["saved", "add", "ozone-back", "ozone AND back pain"]);
    let dup = env.run(&["saved", "add", "ozone-back", "other"]);
    assert_eq!(dup.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
    let bad = env.run(&["saved", "add", "bad name!", "x"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid search name"));
    let list = env.json(&["saved", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["query"], "ozone AND back pain");
    let unknown = env.run(&["refresh", "nope"]);
    assert_eq!(unknown.status.code(), Some(5));
    env.ok(&["saved", "remove", "ozone-back"]);
    assert_eq!(
        env.run(&["saved", "remove", "ozone-back"]).status.code(),
        Some(5)
    );
}

#[test]
fn the_api_key_never_leaks() {
    let server = EutilsServer::start(records_from_fixtures(100, 51_000_000));
    let env = keyed_env_for(&server);
    env.ok(&["saved", "add", "all-records", "all"]);
    server.push_fault("efetch", Fault::Status(503));
    server.push_fault("efetch", Fault::Truncate);
    server.fail_always(
        "esearch",
        |r| r.params.get("term").is_some_and(|t| t.contains("broken")),
        400,
    );
    let mut outputs = Vec::new();
    for args in [
        vec!["--verbose", "fetch", "all", "--batch-size", "50"],
        vec!["--verbose", "fetch", "broken"],
        vec!["--verbose", "refresh", "--format", "json"],
        vec!["runs", "--format", "json"],
        vec!["runs"],
        vec!["config", "show"],
        vec!["config", "show", "--format", "json"],
        vec!["stats"],
    ] {
        let out = env.run(&args);
        outputs.push(String::from_utf8_lossy(&out.stdout).to_string());
        outputs.push(String::from_utf8_lossy(&out.stderr).to_string());
    }
    let all = outputs.join("\n");
    assert!(all.contains("retry"), "verbose retries were printed: {all}");
    assert!(all.contains("HTTP 400"), "the refused search was reported");
    assert!(!all.contains(KEY), "the key leaked into output");
    assert!(
        !all.contains(&KEY[..12]),
        "part of the key leaked into output"
    );
    assert!(all.contains("********"), "config show masks the key");
    // Not in the database either (main file, WAL).
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", env.db.display());
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(
                !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
                "key found in {path}"
            );
        }
    }
    // But it was sent.
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.params.get("api_key").map(String::as_str) == Some(KEY))
    );
}

/// NCBI's 400 and 429 bodies echo the key (`"api-key":"KEY"`): it must not reach any message,
/// retry line, JSON summary, run-log row or database byte.
#[test]
fn an_api_key_echoed_by_ncbi_never_leaks() {
    let server = EutilsServer::start(records_from_fixtures(60, 52_000_000));
    let env = keyed_env_for(&server);
    env.ok(&["saved", "add", "all-records", "all"]);
    env.ok(&["saved", "add", "refused", "refused"]);
    // 429s on efetch (retried, then given up), a 400 on esearch (refused at once).
    for _ in 0..12 {
        server.push_fault("efetch", Fault::EchoKey(429));
    }
    server.fail_always(
        "esearch",
        |r| r.params.get("term").is_some_and(|t| t.contains("refused")),
        400,
    );
    let mut outputs = Vec::new();
    let mut run = |args: &[&str]| {
        let out = env.run(args);
        outputs.push(String::from_utf8_lossy(&out.stdout).to_string());
        outputs.push(String::from_utf8_lossy(&out.stderr).to_string());
    };
    run(&[
        "--verbose",
        "fetch",
        "all",
        "--batch-size",
        "30",
        "--format",
        "json",
    ]);
    run(&["--verbose", "refresh", "--format", "json"]);
    // A 400 whose body echoes the key, for a one-off fetch and for a refresh.
    server.push_fault("esearch", Fault::EchoKey(400));
    run(&["--verbose", "fetch", "all", "--format", "json"]);
    server.push_fault("esearch", Fault::EchoKey(400));
    run(&["refresh", "all-records", "--format", "json"]);
    server.push_fault("esearch", Fault::EchoKey(400));
    run(&["fetch", "all"]);
    run(&["runs", "--format", "json"]);
    run(&["runs"]);
    let all = outputs.join("\n");
    assert!(
        all.contains("API key invalid"),
        "the 400 was reported: {all}"
    );
    assert!(
        all.contains("API rate limit exceeded"),
        "the 429s were reported"
    );
    assert!(
        all.contains("[REDACTED]"),
        "the echoed key was replaced: {all}"
    );
    assert!(!all.contains(KEY), "the key leaked into output: {all}");
    assert!(!all.contains(&KEY[..8]), "part of the key leaked: {all}");
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", env.db.display());
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(
                !bytes.windows(8).any(|w| w == &KEY.as_bytes()[..8]),
                "key found in {path}"
            );
        }
    }
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let errors: Vec<String> = conn
        .prepare("SELECT error FROM runs WHERE error IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!errors.is_empty(), "the failed runs were logged");
    assert!(errors.iter().all(|e| !e.contains(&KEY[..8])), "{errors:?}");
}

#[test]
fn config_show_reports_where_settings_come_from() {
    let server = EutilsServer::start(Vec::new());
    let mut env = env_for(&server);
    let config = env.dir.path().join("evcat.toml");
    std::fs::write(
        &config,
        "email = \"from-file@example.org\"\nbatch_size = 250\n",
    )
    .unwrap();
    env.set_var("EVCAT_CONFIG", config.to_str().unwrap());
    let v = env.json(&["config", "show", "--format", "json"]);
    assert_eq!(
        v["email"]["value"], "tester@example.org",
        "the environment wins over the file"
    );
    assert_eq!(v["email"]["origin"], "environment");
    assert_eq!(v["batch_size"]["value"], 250);
    assert_eq!(v["batch_size"]["origin"], "config-file");
    assert_eq!(v["requests_per_second"]["value"], 3);
    std::fs::write(&config, "batch_size = 20000\n").unwrap();
    let out = env.run(&["config", "show"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("batch_size"));
    std::fs::write(&config, "emial = 1\n").unwrap();
    let out = env.run(&["config", "show"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("evcat.toml"));
}

/// `n` records whose publication dates do not follow their PMIDs (a permutation of years).
fn records_dated_out_of_pmid_order(n: usize, first_pmid: u64) -> Vec<ServerRecord> {
    let mut records = records_from_fixtures(n, first_pmid);
    for (i, r) in records.iter_mut().enumerate() {
        let year = 1990 + ((i * 7) % n) as i32;
        r.pdat = (year, 6, 1);
    }
    records
}

#[test]
fn max_fetches_exactly_the_n_most_recent() {
    let corpus = records_dated_out_of_pmid_order(36, 51_000_000);
    let mut newest: Vec<(i32, u64)> = corpus.iter().map(|r| (r.pdat.0, r.pmid)).collect();
    newest.sort_unstable_by(|a, b| b.cmp(a));
    let mut expected: Vec<u64> = newest.iter().take(5).map(|(_, id)| *id).collect();
    expected.sort_unstable();
    for batch in ["500", "2"] {
        let server = EutilsServer::start(corpus.clone());
        let env = keyed_env_for(&server);
        let r = env.json(&[
            "fetch",
            "all",
            "--max",
            "5",
            "--batch-size",
            batch,
            "--format",
            "json",
        ]);
        assert!(r["error"].is_null(), "{r}");
        assert_eq!(r["found"], 36, "PubMed's count: {r}");
        assert_eq!(r["requested"], 5, "{r}");
        assert_eq!(r["ids_collected"], 5, "{r}");
        assert_eq!(r["count_verified"], true, "{r}");
        assert_eq!(
            (r["fetched"].clone(), r["inserted"].clone()),
            (5.into(), 5.into()),
            "{r}"
        );
        let mut served = server.served_pmids();
        served.sort_unstable();
        assert_eq!(
            served, expected,
            "exactly the 5 newest were fetched (batch {batch})"
        );
        let search = &esearches(&server)[0];
        assert_eq!(search.params["sort"], "pub_date");
        assert_eq!(search.params["retmax"], "5");
        let batches = if batch == "2" { 3 } else { 1 };
        assert_eq!(efetches(&server).len(), batches, "batch {batch}");
        assert_eq!(r["requests"], 1 + batches as u64, "{r}");
        assert_eq!(records(&env), 5);
    }
    // --max above the count fetches everything; --max 0 is a usage error.
    let server = EutilsServer::start(corpus.clone());
    let env = keyed_env_for(&server);
    let r = env.json(&["fetch", "all", "--max", "50", "--format", "json"]);
    assert_eq!(
        (r["requested"].clone(), r["inserted"].clone()),
        (36.into(), 36.into()),
        "{r}"
    );
    let out = env.run(&["fetch", "all", "--max", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max"));
}

/// Requests of every server, in arrival order.
fn merged(servers: &[&EutilsServer]) -> Vec<RequestLog> {
    let mut all: Vec<RequestLog> = servers.iter().flat_map(|s| s.requests()).collect();
    all.sort_by_key(|r| r.at);
    all
}

#[test]
fn back_to_back_refreshes_keep_ncbis_limit() {
    let server = EutilsServer::start(records_from_fixtures(20, 52_000_000));
    let env = env_for(&server);
    env.ok(&["saved", "add", "all-records", "all"]);
    env.ok(&["refresh"]);
    env.ok(&["refresh"]);
    let requests = server.requests();
    assert!(requests.len() >= 4, "{}", requests.len());
    assert_rate(&requests, 3);
}

#[test]
fn processes_on_different_catalogues_share_ncbis_limit() {
    // Two catalogues, two servers (so each process's requests are told apart), one cache
    // directory: NCBI counts requests per machine, not per catalogue.
    let shared = tempfile::tempdir().unwrap();
    let cache = shared.path().join("cache");
    let servers = [
        EutilsServer::start(records_from_fixtures(20, 53_000_000)),
        EutilsServer::start(records_from_fixtures(20, 54_000_000)),
    ];
    let envs: Vec<TestEnv> = servers
        .iter()
        .map(|s| {
            let mut env = env_for(s);
            env.set_var("EVCAT_CACHE_DIR", cache.to_str().unwrap());
            env.set_var("EVCAT_BATCH_SIZE", "10");
            env
        })
        .collect();
    // Concurrently: 3 requests each.
    let children: Vec<_> = envs
        .iter()
        .map(|e| e.std_cmd(&["--quiet", "fetch", "all"]).spawn().unwrap())
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_rate(&merged(&[&servers[0], &servers[1]]), 3);
    // One after the other, the second started while the first's requests are recent.
    for s in &servers {
        s.clear_requests();
    }
    envs[0].ok(&["fetch", "--pmid", "53000001,53000002"]);
    envs[1].ok(&["fetch", "--pmid", "54000001"]);
    let all = merged(&[&servers[0], &servers[1]]);
    assert_eq!(all.len(), 2);
    assert!(
        all[1].at - all[0].at >= Duration::from_millis(330),
        "the second process waited its turn: {:?}",
        all[1].at - all[0].at
    );
    assert!(
        cache.join("eutils-requests").is_file(),
        "the shared record of request starts"
    );
}

#[test]
fn an_unusable_cache_directory_does_not_stop_a_fetch() {
    let server = EutilsServer::start(records_from_fixtures(4, 55_000_000));
    let mut env = keyed_env_for(&server);
    let file = env.dir.path().join("not-a-directory");
    std::fs::write(&file, "").unwrap();
    env.set_var("EVCAT_CACHE_DIR", file.join("evcat").to_str().unwrap());
    let out = env.run(&["fetch", "all", "--batch-size", "2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("cannot share NCBI's request limit").count(),
        1,
        "one warning: {stderr}"
    );
    assert!(stderr.contains("not-a-directory"), "{stderr}");
    assert_eq!(records(&env), 4);
}

#[test]
fn not_found_names_exit_5_and_partial_runs_are_recorded_as_partial() {
    let server = EutilsServer::start(records_from_fixtures(5, 56_000_000));
    let env = keyed_env_for(&server);
    let out = env.run(&["refresh", "nosuch"]);
    assert_eq!(
        out.status.code(),
        Some(5),
        "refresh of an unknown saved search"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no saved search named \"nosuch\""));
    let out = env.run(&["runs", "nosuch"]);
    assert_eq!(
        out.status.code(),
        Some(5),
        "runs of an unknown saved search"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no saved search named \"nosuch\""),
        "{stderr}"
    );
    let out = env.run(&["fetch", "--pmid", "56000001,99999999", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    let runs = env.json(&["runs", "--format", "json"]);
    assert_eq!(runs[0]["outcome"], "partial", "{runs}");
    assert_eq!(runs[0]["missing"], 1, "{runs}");
    let text = env.ok(&["runs"]);
    assert!(text.contains("partial"), "{text}");
}

#[test]
fn fetch_summaries_count_in_words() {
    let server = EutilsServer::start(records_from_fixtures(5, 57_000_000));
    let env = keyed_env_for(&server);
    let out = env.ok(&["fetch", "--pmid", "57000001"]);
    assert!(out.contains("fetched 1: 1 new"), "{out}");
    assert!(out.contains("; 1 request (0 searches), 0 retries"), "{out}");
    let out = env.ok(&["fetch", "all", "--max", "1"]);
    assert!(out.contains("; 2 requests (1 search), 0 retries"), "{out}");
}
