//! Import benchmark: raw quick-xml scan vs `PubmedReader` parse vs full `import_stream` (with
//! and without rule tagging) vs re-tagging the stored catalogue, on a baseline-sized file
//! (30,000 records) and a 10x file (300,000 records) built from the repository fixtures.
//!
//! Phases (child modes):
//! - `raw`: quick-xml event scan only.
//! - `parse`: `PubmedReader` into `Article`s.
//! - `prepare`: parse + hash + compress (`prepare_article(_, None, None)`).
//! - `prepare-tagged`: the same plus rule tagging with the built-in taxonomy (and reading each
//!   record's facts, which is done with the tags).
//! - `parse-facts`: parse, then read each record's facts alone (participants, follow-up, ...), so
//!   that what reading facts costs can be told apart from parsing.
//! - `import-untagged`: `import_stream` with no tagger.
//! - `import`: `import_stream` tagging with the built-in taxonomy, what the CLI runs.
//! - `retag`: `store::tags::retag` over all records of a copy of the database the preceding
//!   `import` run produced (the copy is made by the parent, untimed).
//!
//! Run with `cargo bench --bench import`.
//!
//! - `EVCAT_BENCH_QUICK=1`: only the 30k file.
//! - `EVCAT_BENCH_RUNS=N`: repetitions per measurement (default 5 for 30k, 3 for 300k).
//!
//! Every measurement runs in a fresh child process (this binary re-executed with
//! `--child MODE FILE [DB]`), which times its own work and reports its peak resident memory
//! (`VmHWM` from `/proc/self/status`) as one JSON line, so peak RSS is per phase and honest.
//! Times are medians over the runs; peak RSS is the maximum over the runs. Inputs are read
//! from the page cache (the files are generated or reused first, then read repeatedly).

use std::fs::{self, File};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use evcat::abstracts::read_facts;
use evcat::pubmed::{PubmedItem, PubmedReader};
use evcat::store::Store;
use evcat::store::import::{import_stream, prepare_article};
use evcat::store::tags::retag;
use evcat::tagging::{Matcher, TagInput, Taxonomy};
use quick_xml::events::Event;

#[path = "support/records.rs"]
mod records;
use records::{ensure_input, templates};

const BUF_CAPACITY: usize = 256 * 1024;
const RESULT_TAG: &str = "EVCAT_BENCH_RESULT ";
const PMID_BASE: u64 = 10_000_000;

const TARGET_PARSE_RAW_PCT: f64 = 50.0;
const TARGET_IMPORT_RPS: f64 = 8_000.0;
/// Tagged import (rule tags plus the facts of each record) may take at most this much longer
/// than untagged import on the baseline-sized file (issue 12: 30%).
const TARGET_TAG_OVERHEAD_PCT: f64 = 30.0;
const TARGET_RSS_MB: f64 = 200.0;
/// "Flat" peak memory: the 10x file may use at most this factor of the baseline file's peak.
const FLAT_FACTOR: f64 = 1.25;

// The same allocator as the `evcat` binary (src/main.rs), so the bench measures what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1..]);
        return;
    }
    if let Err(e) = parent() {
        eprintln!("import bench failed: {e:#}");
        std::process::exit(1);
    }
}

// ---------------------------------------------------------------------------------------------
// Child: one measurement in a fresh process.
// ---------------------------------------------------------------------------------------------

fn child(args: &[String]) {
    let mode = args.first().map(String::as_str).unwrap_or("");
    let file = PathBuf::from(args.get(1).expect("--child MODE FILE"));
    let open = || BufReader::with_capacity(BUF_CAPACITY, File::open(&file).expect("open input"));
    let started = Instant::now();
    let (records, starts) = match mode {
        "raw" => {
            let mut xml = quick_xml::Reader::from_reader(open());
            let mut buf = Vec::with_capacity(64 * 1024);
            let mut starts = 0u64;
            loop {
                match xml.read_event_into(&mut buf).expect("raw scan: XML error") {
                    Event::Start(_) => starts += 1,
                    Event::Eof => break,
                    _ => {}
                }
                buf.clear();
            }
            (0, starts)
        }
        "parse-facts" => {
            let mut reader = PubmedReader::new(open());
            let mut records = 0u64;
            let mut sink = 0usize;
            while let Some(item) = reader.next_item().expect("parse error") {
                if let PubmedItem::Article(article) = item {
                    records += 1;
                    let input = TagInput::from_article(&article);
                    sink = sink.wrapping_add(read_facts(input.title, &input.abstract_text).len());
                }
            }
            std::hint::black_box(sink);
            (records, 0)
        }
        "parse" | "prepare" | "prepare-tagged" => {
            let prepare = mode != "parse";
            // Building the matcher is part of the timed work, as it is for the CLI.
            let matcher = (mode == "prepare-tagged").then(builtin_matcher);
            let mut reader = PubmedReader::new(open());
            let mut records = 0u64;
            let mut sink = 0usize;
            while let Some(item) = reader.next_item().expect("parse error") {
                if let PubmedItem::Article(article) = item {
                    records += 1;
                    if prepare {
                        let p = prepare_article(article, matcher.as_ref(), None);
                        sink = sink.wrapping_add(
                            p.compressed_xml.len()
                                + p.content_hash[0] as usize
                                + p.tags.as_ref().map_or(0, |(t, _)| t.tags.len()),
                        );
                    }
                }
            }
            std::hint::black_box(sink);
            (records, 0)
        }
        "import" | "import-untagged" => {
            let db = PathBuf::from(args.get(2).expect("--child import FILE DB"));
            remove_db(&db);
            let matcher = (mode == "import").then(builtin_matcher);
            let mut store = Store::open(&db).expect("open store");
            let counts = import_stream(&mut store, open(), "bench", matcher.as_ref(), &mut |_| {})
                .expect("import failed");
            assert_eq!(
                counts.inserted, counts.records,
                "every bench record must be a new insert"
            );
            drop(store);
            (counts.inserted, 0)
        }
        "retag" => {
            // FILE only labels the run; DB is a copy of the database `import` produced from it.
            let db = PathBuf::from(args.get(2).expect("--child retag FILE DB"));
            let matcher = builtin_matcher();
            let mut store = Store::open(&db).expect("open store");
            let report = retag(&mut store, &matcher, &[], &mut |_, _| {}).expect("retag failed");
            assert!(
                report.tags > 0,
                "re-tagging the bench records wrote no tags"
            );
            drop(store);
            (report.records, report.tags)
        }
        other => panic!("unknown child mode {other:?}"),
    };
    let secs = started.elapsed().as_secs_f64();
    let peak_rss_kb = vm_hwm_kb();
    println!(
        "{RESULT_TAG}{}",
        serde_json::json!({ "secs": secs, "records": records, "starts": starts, "peak_rss_kb": peak_rss_kb })
    );
}

fn builtin_matcher() -> Matcher {
    Matcher::new(Taxonomy::builtin())
}

fn vm_hwm_kb() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

const DB_SUFFIXES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

fn with_suffix(db: &Path, suffix: &str) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn remove_db(db: &Path) {
    for suffix in DB_SUFFIXES {
        let _ = fs::remove_file(with_suffix(db, suffix));
    }
}

/// Copies a closed SQLite database (and any leftover WAL) to `to`, replacing what was there.
fn copy_db(from: &Path, to: &Path) -> Result<(), String> {
    remove_db(to);
    for suffix in ["", "-wal"] {
        let src = with_suffix(from, suffix);
        if src.exists() {
            fs::copy(&src, with_suffix(to, suffix))
                .map_err(|e| format!("copying {}: {e}", src.display()))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Parent: build inputs, run children, report.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Sample {
    secs: f64,
    records: u64,
    starts: u64,
    peak_rss_kb: u64,
}

fn run_child(mode: &str, file: &Path, db: Option<&Path>) -> Result<Sample, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(exe);
    cmd.arg("--child").arg(mode).arg(file);
    if let Some(db) = db {
        cmd.arg(db);
    }
    let out = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("spawning child {mode}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "child {mode} on {} failed: {}",
            file.display(),
            out.status
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(RESULT_TAG))
        .ok_or_else(|| format!("child {mode} printed no result"))?;
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    Ok(Sample {
        secs: v["secs"].as_f64().unwrap_or(f64::NAN),
        records: v["records"].as_u64().unwrap_or(0),
        starts: v["starts"].as_u64().unwrap_or(0),
        peak_rss_kb: v["peak_rss_kb"].as_u64().unwrap_or(0),
    })
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn median(xs: &[f64]) -> f64 {
    let mut v: Vec<f64> = xs.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

struct Result1 {
    label: String,
    records: u64,
    bytes: u64,
    raw: Vec<Sample>,
    parse: Vec<Sample>,
    prepare: Vec<Sample>,
    prepare_tagged: Vec<Sample>,
    parse_facts: Vec<Sample>,
    import_untagged: Vec<Sample>,
    import: Vec<Sample>,
    retag: Vec<Sample>,
    db_bytes: u64,
    db_untagged_bytes: u64,
}

impl Result1 {
    fn med(samples: &[Sample]) -> f64 {
        median(&samples.iter().map(|s| s.secs).collect::<Vec<_>>())
    }
    fn peak_mb(samples: &[Sample]) -> f64 {
        samples.iter().map(|s| s.peak_rss_kb).max().unwrap_or(0) as f64 / 1024.0
    }
    fn mbps(&self, samples: &[Sample]) -> f64 {
        mb(self.bytes) / Self::med(samples)
    }
    fn rps(&self, samples: &[Sample]) -> f64 {
        self.records as f64 / Self::med(samples)
    }
    /// (median tagged import - median untagged import) / median untagged import, in percent.
    fn tag_overhead_pct(&self) -> f64 {
        let untagged = Self::med(&self.import_untagged);
        100.0 * (Self::med(&self.import) - untagged) / untagged
    }
}

fn runs_for(default: usize) -> usize {
    std::env::var("EVCAT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

fn expect_records(phase: &str, got: &Sample, records: u64) -> Result<(), String> {
    if got.records != records {
        return Err(format!(
            "{phase} handled {} records, expected {records}",
            got.records
        ));
    }
    Ok(())
}

fn bench_file(
    label: &str,
    path: &Path,
    records: u64,
    runs: usize,
    db: &Path,
) -> Result<Result1, String> {
    let bytes = fs::metadata(path).map_err(|e| e.to_string())?.len();
    println!(
        "\n## {label}: {records} records, {:.1} MB, {runs} runs per phase",
        mb(bytes)
    );
    // Warm the page cache once so the first run is not special.
    std::io::copy(
        &mut File::open(path).map_err(|e| e.to_string())?,
        &mut std::io::sink(),
    )
    .map_err(|e| e.to_string())?;
    let retag_db = with_suffix(db, ".retag");
    let mut r = Result1 {
        label: label.to_string(),
        records,
        bytes,
        raw: vec![],
        parse: vec![],
        prepare: vec![],
        prepare_tagged: vec![],
        parse_facts: vec![],
        import_untagged: vec![],
        import: vec![],
        retag: vec![],
        db_bytes: 0,
        db_untagged_bytes: 0,
    };
    println!(
        "| run | raw s | parse s | prepare s | prepare+tag s | import untagged s | import s | retag s | \
         RSS parse MB | RSS prepare MB | RSS prepare+tag MB | RSS import untagged MB | RSS import MB | RSS retag MB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for run in 1..=runs {
        // Interleave phases so machine noise spreads over all of them. Untagged and tagged
        // imports alternate order between runs so neither always follows the other.
        let raw = run_child("raw", path, None)?;
        let parse = run_child("parse", path, None)?;
        expect_records("parse", &parse, records)?;
        let prepare = run_child("prepare", path, None)?;
        let prepare_tagged = run_child("prepare-tagged", path, None)?;
        expect_records("prepare-tagged", &prepare_tagged, records)?;
        let parse_facts = run_child("parse-facts", path, None)?;
        expect_records("parse-facts", &parse_facts, records)?;
        let untagged_first = run % 2 == 1;
        let mut import_untagged = None;
        if untagged_first {
            import_untagged = Some(run_child("import-untagged", path, Some(db))?);
            r.db_untagged_bytes = fs::metadata(db).map(|m| m.len()).unwrap_or(0);
        }
        let import = run_child("import", path, Some(db))?;
        expect_records("import", &import, records)?;
        r.db_bytes = fs::metadata(db).map(|m| m.len()).unwrap_or(0);
        // Re-tag a copy of what this import stored (copy untimed, outside the child).
        copy_db(db, &retag_db)?;
        if !untagged_first {
            import_untagged = Some(run_child("import-untagged", path, Some(db))?);
            r.db_untagged_bytes = fs::metadata(db).map(|m| m.len()).unwrap_or(0);
        }
        let import_untagged = import_untagged.expect("untagged import ran");
        expect_records("import-untagged", &import_untagged, records)?;
        remove_db(db);
        let retagged = run_child("retag", path, Some(&retag_db))?;
        expect_records("retag", &retagged, records)?;
        remove_db(&retag_db);
        println!(
            "| {run} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            raw.secs,
            parse.secs,
            prepare.secs,
            prepare_tagged.secs,
            import_untagged.secs,
            import.secs,
            retagged.secs,
            parse.peak_rss_kb as f64 / 1024.0,
            prepare.peak_rss_kb as f64 / 1024.0,
            prepare_tagged.peak_rss_kb as f64 / 1024.0,
            import_untagged.peak_rss_kb as f64 / 1024.0,
            import.peak_rss_kb as f64 / 1024.0,
            retagged.peak_rss_kb as f64 / 1024.0,
        );
        r.raw.push(raw);
        r.parse.push(parse);
        r.prepare.push(prepare);
        r.prepare_tagged.push(prepare_tagged);
        r.parse_facts.push(parse_facts);
        r.import_untagged.push(import_untagged);
        r.import.push(import);
        r.retag.push(retagged);
    }
    println!(
        "median: raw {:.3}s ({:.0} MB/s, {} Start events), parse {:.3}s, parse+hash+compress {:.3}s, \
         +tagging {:.3}s, import untagged {:.3}s, import {:.3}s (tagging overhead {:+.1}%), \
         retag {:.3}s ({} tags); database {:.1} MB ({:.1} MB untagged); raw-scan peak RSS {:.1} MB",
        Result1::med(&r.raw),
        r.mbps(&r.raw),
        r.raw[0].starts,
        Result1::med(&r.parse),
        Result1::med(&r.prepare),
        Result1::med(&r.prepare_tagged),
        Result1::med(&r.import_untagged),
        Result1::med(&r.import),
        r.tag_overhead_pct(),
        Result1::med(&r.retag),
        r.retag[0].starts,
        mb(r.db_bytes),
        mb(r.db_untagged_bytes),
        Result1::peak_mb(&r.raw),
    );
    let facts_secs = Result1::med(&r.parse_facts) - Result1::med(&r.parse);
    println!(
        "facts: parse+facts {:.3}s vs parse {:.3}s: reading facts costs {:.3}s ({:.1} µs per record, \
         {:+.1}% of the tagged import's time)",
        Result1::med(&r.parse_facts),
        Result1::med(&r.parse),
        facts_secs,
        facts_secs * 1e6 / records as f64,
        100.0 * facts_secs / Result1::med(&r.import),
    );
    Ok(r)
}

fn pf(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

fn parent() -> Result<(), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("target").join("bench-data");
    fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let quick = std::env::var("EVCAT_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");

    let templates = templates(&root.join("fixtures"))?;
    let avg = templates.iter().map(|t| t.len_with(8)).sum::<u64>() as f64 / templates.len() as f64;
    println!(
        "# evcat import benchmark\n{} distinct fixture records (avg {:.0} bytes), cycled with PMIDs from {PMID_BASE}; \
         {} CPUs; every measurement is a fresh child process",
        templates.len(),
        avg,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );

    let mut sizes: Vec<(&str, u64, usize)> = vec![("30k (baseline-sized)", 30_000, runs_for(5))];
    if !quick {
        sizes.push(("300k (10x)", 300_000, runs_for(3)));
    }
    let db = data.join("import-bench.sqlite");
    let mut results = Vec::new();
    for (label, records, runs) in sizes {
        let path = data.join(format!("pubmed-{records}.xml"));
        ensure_input(&path, &templates, records, PMID_BASE)?;
        results.push(bench_file(label, &path, records, runs, &db)?);
    }

    println!("\n## Summary (medians; peak RSS = max over runs, per fresh process)\n");
    println!(
        "| input | records | MB | raw scan MB/s | parse MB/s | parse/raw % | parse records/s | prepare records/s | \
         prepare+tag records/s | import untagged records/s | import records/s | import s | tagging overhead | \
         retag records/s | peak RSS parse MB | peak RSS import MB | peak RSS retag MB |"
    );
    println!(
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in &results {
        let pct = 100.0 * r.mbps(&r.parse) / r.mbps(&r.raw);
        let overhead = r.tag_overhead_pct();
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1}% {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} {} | {:.2} | {:+.1}% {} | {:.0} | {:.1} {} | {:.1} {} | {:.1} |",
            r.label,
            r.records,
            mb(r.bytes),
            r.mbps(&r.raw),
            r.mbps(&r.parse),
            pct,
            pf(pct >= TARGET_PARSE_RAW_PCT),
            r.rps(&r.parse),
            r.rps(&r.prepare),
            r.rps(&r.prepare_tagged),
            r.rps(&r.import_untagged),
            r.rps(&r.import),
            pf(r.rps(&r.import) >= TARGET_IMPORT_RPS),
            Result1::med(&r.import),
            overhead,
            pf(overhead <= TARGET_TAG_OVERHEAD_PCT),
            r.rps(&r.retag),
            Result1::peak_mb(&r.parse),
            pf(Result1::peak_mb(&r.parse) < TARGET_RSS_MB),
            Result1::peak_mb(&r.import),
            pf(Result1::peak_mb(&r.import) < TARGET_RSS_MB),
            Result1::peak_mb(&r.retag),
        );
    }

    println!("\n## Targets\n");
    println!("| target | result |");
    println!("|---|---|");
    let mut all_ok = true;
    for (i, r) in results.iter().enumerate() {
        let pct = 100.0 * r.mbps(&r.parse) / r.mbps(&r.raw);
        let overhead = r.tag_overhead_pct();
        let checks = [
            (
                format!(
                    "{}: parse speed >= {TARGET_PARSE_RAW_PCT:.0}% of raw quick-xml scan",
                    r.label
                ),
                pct >= TARGET_PARSE_RAW_PCT,
                format!("{pct:.1}%"),
            ),
            (
                format!(
                    "{}: import (tagged) >= {TARGET_IMPORT_RPS:.0} records/s",
                    r.label
                ),
                r.rps(&r.import) >= TARGET_IMPORT_RPS,
                format!("{:.0} records/s", r.rps(&r.import)),
            ),
            (
                format!("{}: peak RSS parse < {TARGET_RSS_MB:.0} MB", r.label),
                Result1::peak_mb(&r.parse) < TARGET_RSS_MB,
                format!("{:.1} MB", Result1::peak_mb(&r.parse)),
            ),
            (
                format!("{}: peak RSS import < {TARGET_RSS_MB:.0} MB", r.label),
                Result1::peak_mb(&r.import) < TARGET_RSS_MB,
                format!("{:.1} MB", Result1::peak_mb(&r.import)),
            ),
        ];
        for (name, ok, value) in checks {
            all_ok &= ok;
            println!("| {name} | {} ({value}) |", pf(ok));
        }
        let overhead_value = format!(
            "{overhead:+.1}%: {:.3}s tagged vs {:.3}s untagged",
            Result1::med(&r.import),
            Result1::med(&r.import_untagged)
        );
        if i == 0 {
            // The target applies to the baseline-sized file.
            let ok = overhead <= TARGET_TAG_OVERHEAD_PCT;
            all_ok &= ok;
            println!(
                "| {}: tagging overhead <= {TARGET_TAG_OVERHEAD_PCT:.0}% of untagged import | {} ({overhead_value}) |",
                r.label,
                pf(ok)
            );
        } else {
            println!(
                "| {}: tagging overhead (reported; target is on the 30k file) | {} vs {TARGET_TAG_OVERHEAD_PCT:.0}% ({overhead_value}) |",
                r.label,
                pf(overhead <= TARGET_TAG_OVERHEAD_PCT)
            );
        }
        println!(
            "| {}: re-tagging (reported, no target) | {:.0} records/s ({:.3}s, peak RSS {:.1} MB) |",
            r.label,
            r.rps(&r.retag),
            Result1::med(&r.retag),
            Result1::peak_mb(&r.retag)
        );
    }
    if results.len() == 2 {
        for (phase, a, b) in [
            (
                "parse",
                Result1::peak_mb(&results[0].parse),
                Result1::peak_mb(&results[1].parse),
            ),
            (
                "import",
                Result1::peak_mb(&results[0].import),
                Result1::peak_mb(&results[1].import),
            ),
        ] {
            let ok = b <= a * FLAT_FACTOR;
            all_ok &= ok;
            println!(
                "| peak RSS {phase} flat 30k -> 300k (300k <= {FLAT_FACTOR} x 30k) | {} ({a:.1} MB -> {b:.1} MB) |",
                pf(ok)
            );
        }
    } else {
        println!("| peak RSS flat 30k -> 300k | not measured (EVCAT_BENCH_QUICK) |");
    }
    println!(
        "\noverall: {}",
        if all_ok {
            "all targets PASS"
        } else {
            "some targets FAIL"
        }
    );
    println!(
        "(2-core noisy machine: compare medians, not single runs; inputs read from the page cache)"
    );
    Ok(())
}
