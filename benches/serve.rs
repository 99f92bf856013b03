//! Workbench load benchmark: `evcat serve` on a large catalogue, loaded by `wrk` (Debian's
//! package) with 16 concurrent connections on search, record and claim pages, first alone, then
//! while an `evcat import` revises records of the same catalogue.
//!
//! Run with `cargo bench --bench serve` (needs `wrk` on the PATH: `apt-get install wrk`).
//!
//! - `EVCAT_BENCH_SERVE_RECORDS=N`: catalogue size (default 300,000 records, built once from the
//!   repository's fixture records cycled with fresh PMIDs, and reused while its count matches).
//! - `EVCAT_BENCH_SECONDS=N`: seconds per load run (default 20).
//!
//! Each run reports requests per second, latency p50/p95/p99 (from wrk's full histogram) and
//! errors (non-2xx answers, connect/read/write failures and timeouts). Target (issue 15): search
//! and record pages p95 < 100 ms, no errors. The imports during the load add revisions to the
//! benchmark catalogue (`rm target/bench-data/serve-*` starts afresh).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

#[path = "support/records.rs"]
mod records;

const EVCAT: &str = env!("CARGO_BIN_EXE_evcat");
const PMID_BASE: u64 = 20_000_000;
const CONNECTIONS: usize = 16;
const TARGET_P95_MS: f64 = 100.0;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn evcat(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(EVCAT);
    cmd.env_remove("EVCAT_DB").arg("--db").arg(db).args(args);
    cmd
}

fn records_in(db: &Path) -> u64 {
    let out = evcat(db, &["stats", "--format", "json"])
        .stderr(Stdio::null())
        .output()
        .expect("evcat stats runs");
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .ok()
        .and_then(|v| v["records"].as_u64())
        .unwrap_or(0)
}

/// `evcat serve` on a free port; killed when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path) -> Served {
    let mut child = evcat(db, &["serve", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("evcat serve starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("evcat serve says where it listens")
            .unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Served { child, base }
}

/// One load run's result.
struct Load {
    requests: u64,
    errors: u64,
    seconds: f64,
    p50: f64,
    p95: f64,
    p99: f64,
}

/// What a load run asks for.
enum Paths<'a> {
    /// One of these paths, picked at random per request.
    Pick(&'a [String]),
    /// A search never asked before: two words picked at random from these, and a year range,
    /// so that no answer kept by the server can serve it.
    NewSearches(&'a [&'a str]),
}

/// Runs wrk on `paths` for `seconds`.
fn load(base: &str, paths: &Paths, seconds: u64, scratch: &Path) -> Load {
    let request = match paths {
        Paths::Pick(paths) => {
            let list: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
            format!(
                r#"local paths = {{ {} }}
request = function() return wrk.format(nil, paths[math.random(#paths)]) end"#,
                list.join(", ")
            )
        }
        Paths::NewSearches(words) => {
            let list: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
            format!(
                r#"local words = {{ {} }}
local n = 0
request = function()
  n = n + 1
  local from = 1950 + (n % 60)
  local path = "/?q=" .. words[math.random(#words)] .. "+" .. words[math.random(#words)] ..
    "&year_from=" .. from .. "&year_to=" .. (from + 10 + math.random(50)) .. "&n=" .. n
  return wrk.format(nil, path)
end"#,
                list.join(", ")
            )
        }
    };
    let script = scratch.join("paths.lua");
    std::fs::write(
        &script,
        format!(
            r#"{request}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("EVCAT_LOAD %d %d %d %.6f %.3f %.3f %.3f\n", summary.requests,
    e.status, e.connect + e.read + e.write + e.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"#
        ),
    )
    .unwrap();
    let out = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{CONNECTIONS}"),
            &format!("-d{seconds}s"),
            "--timeout",
            "10s",
            "-s",
        ])
        .arg(&script)
        .arg(base)
        .output()
        .expect("wrk runs (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("EVCAT_LOAD "))
        .unwrap_or_else(|| panic!("wrk said: {text}"));
    let f: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse().unwrap())
        .collect();
    Load {
        requests: f[0] as u64,
        errors: (f[1] + f[2]) as u64,
        seconds: f[3],
        p50: f[4],
        p95: f[5],
        p99: f[6],
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("target").join("bench-data");
    std::fs::create_dir_all(&data).unwrap();
    let size = env_number("EVCAT_BENCH_SERVE_RECORDS", 300_000);
    let seconds = env_number("EVCAT_BENCH_SECONDS", 20);
    let templates = records::templates(&root.join("fixtures")).expect("fixture records");

    // The catalogue: built once, reused while it holds at least `size` records.
    let db = data.join(format!("serve-{size}.sqlite"));
    if records_in(&db) < size {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let input = data.join(format!("serve-{size}.xml"));
        records::ensure_input(&input, &templates, size, PMID_BASE).unwrap();
        let started = Instant::now();
        let status = evcat(&db, &["--quiet", "import"])
            .arg(&input)
            .status()
            .unwrap();
        assert!(status.success(), "the catalogue imports");
        println!(
            "imported {size} records in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let records = records_in(&db);
    let claim = "bench-ozone-disc";
    let _ = evcat(&db, &["--quiet", "claim", "add", "--id", claim, "--text",
        "A study in Pain Physician found that ozone injections reduced pain in patients with herniated discs"])
        .stderr(Stdio::null())
        .status();
    let _ = evcat(
        &db,
        &[
            "--quiet",
            "claim",
            "link",
            claim,
            &(PMID_BASE + 3).to_string(),
            "--stance",
            "supports",
        ],
    )
    .stderr(Stdio::null())
    .status();

    let served = serve(&db);
    let scratch = tempfile::tempdir().unwrap();
    let searches: Vec<String> = [
        "/?q=ozone",
        "/?q=pain+OR+function",
        "/?q=ozone+%22herniated+disc%22",
        "/?q=sciatica&sort=level",
        "/?tag=condition%3Asciatica",
        "/?q=ozone&page=50",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let record_pages: Vec<String> = (0..200)
        .map(|i| format!("/record/{}", PMID_BASE + (i * 7919) % size))
        .collect();
    let claim_pages = vec![format!("/claims/{claim}"), "/claims".to_string()];
    // Words of the benchmark's records, common and rare.
    let words = [
        "ozone",
        "pain",
        "disc",
        "sciatica",
        "injection",
        "lumbar",
        "randomized",
        "trial",
        "steroid",
        "herniation",
        "oxygen",
        "function",
        "review",
        "patients",
        "months",
        "back",
        "facet",
        "therapy",
        "epidural",
        "outcome",
    ];
    let groups = [
        ("search", Paths::Pick(&searches)),
        ("search, each a new question", Paths::NewSearches(&words)),
        ("record", Paths::Pick(&record_pages)),
        ("claim", Paths::Pick(&claim_pages)),
    ];

    println!(
        "# evcat serve under load\n{records} records; wrk, {CONNECTIONS} connections, 2 threads, {seconds} s per run; {} CPUs\n",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    println!("| pages | while | requests/s | p50 ms | p95 ms | p99 ms | errors | target |");
    println!("|---|---|---:|---:|---:|---:|---:|---|");
    let mut pass = true;
    let mut report = |label: &str, during: &str, l: &Load| {
        let target = label != "claim";
        let ok = l.errors == 0 && (!target || l.p95 < TARGET_P95_MS);
        pass &= ok;
        println!(
            "| {label} | {during} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {} |",
            l.requests as f64 / l.seconds,
            l.p50,
            l.p95,
            l.p99,
            l.errors,
            if target {
                if ok {
                    "PASS (p95 < 100 ms, no errors)"
                } else {
                    "FAIL"
                }
            } else if ok {
                "no errors"
            } else {
                "FAIL (errors)"
            }
        );
    };
    for (label, paths) in &groups {
        let l = load(&served.base, paths, seconds, scratch.path());
        report(label, "alone", &l);
    }

    // The same while `evcat import` revises 60,000 of the records (each gets another fixture
    // record's content: revisions are what daily update files mostly hold, and the heaviest
    // writes). A fresh import runs for each group of pages.
    let mut revised = records::templates(&root.join("fixtures")).expect("fixture records");
    revised.rotate_left(1);
    let extra = data.join("serve-revisions-60000.xml");
    let _ = std::fs::remove_file(&extra);
    records::ensure_input(&extra, &revised, 60_000, PMID_BASE).unwrap();
    let mut flip = false;
    for (label, paths) in &groups {
        // (Alternate between the revised and the original content, so each import changes them.)
        let file = if flip {
            data.join(format!("serve-{size}.xml"))
        } else {
            extra.clone()
        };
        flip = !flip;
        let mut import = evcat(&db, &["--quiet", "import"])
            .arg(&file)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(500));
        let l = load(&served.base, paths, seconds, scratch.path());
        let still_importing = import.try_wait().unwrap().is_none();
        report(
            label,
            if still_importing {
                "import running"
            } else {
                "import (ended during the run)"
            },
            &l,
        );
        let _ = import.wait();
    }
    println!("\n{}", if pass { "PASS" } else { "FAIL" });
}
