//! The scale benchmark (issue 16): a catalogue of a million records loaded as users load
//! PubMed's baseline, then a day's revisions applied, then what users ask of it, each as the
//! whole `evcat` command a user runs, beside the figures measured when the issue was filed.
//!
//! ```sh
//! cargo bench --bench scale                                  # 1,000,000 records (~25 min)
//! EVCAT_BENCH_SCALE_RECORDS=100000 cargo bench --bench scale # a quicker look
//! ```
//!
//! Inputs (written once under `target/bench-data/scale/`, reused while their size matches): the
//! fixtures' records and, when `../shared/pubmed-samples` (or `EVCAT_SAMPLES`) exists, the real
//! records there, cycled with fresh PMIDs ("mixed" in the issue: distinct records of realistic
//! size). The catalogue is a directory of gzip files of 30,000 records each, as NCBI's baseline
//! is, imported with `import --resume`; a 30,000-record plain file is imported alone too (3
//! fresh runs, median); the revision file holds 30,000 records spread over the catalogue, each
//! the same record as stored with its `PMID/@Version` one higher and, for a third of them, a
//! title that changed. A "compact" 30,000-record file (the issue's other input: four real
//! records of about 5 KB, those with an abstract nearest 5,000 bytes, cycled) is imported alone
//! too (3 fresh runs, median), with its raw scan and its catalogue's size.
//!
//! Each phase runs `evcat` as a child process; its wall time and its peak RSS (`wait4`'s
//! `ru_maxrss`) are what is reported. Queries run `EVCAT_BENCH_SCALE_RUNS` times (10) and report
//! the median and the 95th percentile (nearest rank). Database bytes by table come from SQLite's
//! `dbstat` (indexes counted with their table, the full-text index's shadow tables together).
//! `EVCAT_BENCH_SCALE_SKIP=report,export` leaves out the slow whole-catalogue phases.

#[path = "support/records.rs"]
mod records;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use records::Template;

const EVCAT: &str = env!("CARGO_BIN_EXE_evcat");
const PMID_BASE: u64 = 40_000_000;
const FILE_RECORDS: u64 = 30_000;
const SMALL_RECORDS: u64 = 30_000;
const REVISIONS: u64 = 30_000;
const COMPACT_TEMPLATES: usize = 4;
const COMPACT_RECORD_BYTES: u64 = 5_000;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// One finished command: wall time, peak RSS, exit code, standard output.
struct Finished {
    secs: f64,
    peak_rss_mb: f64,
    code: i32,
    stdout: Vec<u8>,
}

/// Runs `evcat --db DB args`, timing it and reading its peak RSS from the kernel.
fn evcat(db: &Path, args: &[&str]) -> Finished {
    let mut cmd = Command::new(EVCAT);
    cmd.arg("--db")
        .arg(db)
        .arg("--quiet")
        .args(args)
        .env_remove("EVCAT_DB")
        .env("EVCAT_REVIEWER", "bench")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    // (Linux counts the memory of the process that spawns a child in the child's peak, so this
    // process stays small: see `own_rss_mb`.)
    let started = Instant::now();
    // (Reaped by `wait4` below, which also reads its peak RSS.)
    #[allow(clippy::zombie_processes)]
    let mut child = cmd.spawn().expect("evcat runs");
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value for `wait4` to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, whose PID the `Child` holds and which nothing else
    // reaps; `status` and `usage` are valid for writing.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4");
    let secs = started.elapsed().as_secs_f64();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Finished {
        secs,
        peak_rss_mb: usage.ru_maxrss as f64 / 1024.0,
        code,
        stdout,
    }
}

/// This process's resident memory: the floor under every child's reported peak (Linux carries
/// the spawning process's peak over into the child at `exec`).
fn own_rss_mb() -> f64 {
    fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

fn ok(db: &Path, args: &[&str]) -> Finished {
    let f = evcat(db, args);
    assert_eq!(f.code, 0, "evcat {args:?} failed");
    f
}

fn json(f: &Finished) -> serde_json::Value {
    serde_json::from_slice(&f.stdout).expect("JSON output")
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm", ".checked", ".writer"] {
        let _ = fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

fn db_bytes(db: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .map(|s| {
            fs::metadata(format!("{}{s}", db.display()))
                .map(|m| m.len())
                .unwrap_or(0)
        })
        .sum()
}

/// Reads every record element of the inputs with quick-xml and nothing else: the floor.
fn raw_scan(files: &[PathBuf]) -> (f64, u64) {
    let started = Instant::now();
    let mut records = 0;
    for path in files {
        let file = fs::File::open(path).unwrap();
        let reader: Box<dyn std::io::BufRead> = if path.extension().is_some_and(|e| e == "gz") {
            Box::new(std::io::BufReader::with_capacity(
                256 << 10,
                flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file)),
            ))
        } else {
            Box::new(std::io::BufReader::with_capacity(256 << 10, file))
        };
        let mut xml = quick_xml::Reader::from_reader(reader);
        let mut buf = Vec::new();
        loop {
            match xml.read_event_into(&mut buf).unwrap() {
                quick_xml::events::Event::Start(e) if e.name().0 == "PubmedArticle" => records += 1,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
    }
    (started.elapsed().as_secs_f64(), records)
}

fn median(xs: &[f64]) -> f64 {
    percentile(xs, 0.5)
}

/// Nearest-rank percentile.
fn percentile(xs: &[f64], p: f64) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

/// Bytes by table from `dbstat` (an index with its table; the full-text shadow tables as one).
fn bytes_by_table(db: &Path) -> Vec<(String, u64)> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT coalesce(m.tbl_name, s.name), sum(s.pgsize) FROM dbstat s
               LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY 1",
        )
        .unwrap();
    let mut by: BTreeMap<String, u64> = BTreeMap::new();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
    {
        let (name, bytes) = row.unwrap();
        let name = if name.starts_with("article_fts") {
            "article_fts (all shadow tables)".to_string()
        } else {
            name
        };
        *by.entry(name).or_default() += bytes as u64;
    }
    let mut out: Vec<(String, u64)> = by.into_iter().collect();
    out.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    out
}

/// One row of the final table.
struct Row {
    measure: String,
    baseline: &'static str,
    now: String,
    target: &'static str,
    verdict: &'static str,
}

/// Three fresh imports of `file` into `db`: the median time, the largest peak RSS and the
/// catalogue's bytes (the catalogue is removed after).
fn fresh_imports(db: &Path, file: &Path) -> (f64, f64, u64) {
    let mut runs = Vec::new();
    let mut rss: f64 = 0.0;
    for _ in 0..3 {
        remove_db(db);
        let f = ok(db, &["import", file.to_str().unwrap()]);
        rss = rss.max(f.peak_rss_mb);
        runs.push(f.secs);
    }
    let bytes = db_bytes(db);
    remove_db(db);
    (median(&runs), rss, bytes)
}

fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "FAIL" }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let size = env_number("EVCAT_BENCH_SCALE_RECORDS", 1_000_000).max(FILE_RECORDS);
    let runs = env_number("EVCAT_BENCH_SCALE_RUNS", 10).max(1) as usize;
    let skip = std::env::var("EVCAT_BENCH_SCALE_SKIP").unwrap_or_default();
    let data = root.join("target").join("bench-data").join("scale");
    fs::create_dir_all(&data).unwrap();

    // Templates: the fixtures and, when present, the shared real samples.
    let mut templates: Vec<Template> = records::templates(&root.join("fixtures")).unwrap();
    let samples = std::env::var_os("EVCAT_SAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/pubmed-samples"));
    let fixture_templates = templates.len();
    templates.extend(records::templates_below(&samples));
    println!(
        "templates: {} records ({} from fixtures, {} from {})",
        templates.len(),
        fixture_templates,
        templates.len() - fixture_templates,
        samples.display()
    );
    let template_of =
        |pmid: u64| &templates[((pmid - PMID_BASE) % templates.len() as u64) as usize];
    // "Compact" in the issue: a baseline-like file cycling four real records of about 5 KB,
    // those with an abstract whose size is nearest 5,000 bytes (the fixtures' when there are no
    // samples).
    let compact: Vec<&Template> = {
        let real = &templates[fixture_templates.min(templates.len() - COMPACT_TEMPLATES)..];
        let mut near: Vec<&Template> = real
            .iter()
            .filter(|t| t.contains("<AbstractText"))
            .collect();
        near.sort_by_key(|t| t.len_with(8).abs_diff(COMPACT_RECORD_BYTES));
        near.truncate(COMPACT_TEMPLATES);
        near
    };
    let stamp = format!("{}-{}", templates.len(), size);

    // Inputs.
    let small = data.join(format!("small-{stamp}.xml"));
    if !small.exists() {
        records::write_records(
            &small,
            (PMID_BASE..PMID_BASE + SMALL_RECORDS).map(|p| (p, template_of(p))),
            false,
        )
        .unwrap();
    }
    let compact_file = data.join(format!("compact-{stamp}.xml"));
    if !compact_file.exists() {
        records::write_records(
            &compact_file,
            (PMID_BASE..PMID_BASE + SMALL_RECORDS).map(|p| {
                (
                    p,
                    compact[((p - PMID_BASE) % compact.len() as u64) as usize],
                )
            }),
            false,
        )
        .unwrap();
    }
    let mirror = data.join(format!("mirror-{stamp}"));
    fs::create_dir_all(&mirror).unwrap();
    let mut files = Vec::new();
    let started = Instant::now();
    for (n, first) in (PMID_BASE..PMID_BASE + size)
        .step_by(FILE_RECORDS as usize)
        .enumerate()
    {
        let path = mirror.join(format!("pubmed25n{:04}.xml.gz", n + 1));
        if !path.exists() {
            let last = (first + FILE_RECORDS).min(PMID_BASE + size);
            records::write_records(&path, (first..last).map(|p| (p, template_of(p))), true)
                .unwrap();
        }
        files.push(path);
    }
    let stride = size / REVISIONS;
    let revisions = data.join(format!("revisions-v2-{stamp}.xml"));
    if !revisions.exists() {
        // (A third of them with a changed title too: its full-text entries, tags and facts
        // change; the others change their version only, as most of a day's revisions change
        // little that evcat indexes.)
        let revised = (0..REVISIONS).map(|i| {
            let pmid = PMID_BASE + i * stride + (i % stride.max(1));
            let next = template_of(pmid).next_version();
            let next = if i % 3 == 0 {
                next.with_title_prefix("Revised: ")
            } else {
                next
            };
            (pmid, next)
        });
        records::write_records(&revisions, revised, false).unwrap();
    }
    println!(
        "inputs ready in {:.1} s: {} files of up to {FILE_RECORDS} records in {}",
        started.elapsed().as_secs_f64(),
        files.len(),
        mirror.display()
    );

    // Raw scans: the floor each import is compared with.
    let (small_raw, n) = raw_scan(std::slice::from_ref(&small));
    assert_eq!(n, SMALL_RECORDS);
    let (large_raw, n) = raw_scan(&files);
    assert_eq!(n, size);
    let (revisions_raw, _) = raw_scan(std::slice::from_ref(&revisions));
    let (compact_raw, n) = raw_scan(std::slice::from_ref(&compact_file));
    assert_eq!(n, SMALL_RECORDS);
    println!(
        "raw scan: {small_raw:.2} s small, {large_raw:.1} s large, {revisions_raw:.2} s revisions, {compact_raw:.2} s compact"
    );
    println!(
        "this process: {:.0} MB resident (no child's peak RSS can be reported below it)",
        own_rss_mb()
    );

    let mut rows: Vec<Row> = Vec::new();

    // 1. A fresh import of 30,000 records, 3 runs.
    let small_db = data.join("small.sqlite");
    let (small_secs, small_rss, small_bytes) = fresh_imports(&small_db, &small);
    let small_rate = SMALL_RECORDS as f64 / small_secs;
    rows.push(Row {
        measure: format!("fresh import, {SMALL_RECORDS} records (median of 3)"),
        baseline: "5.3 s: 5.7k rec/s (mixed)",
        now: format!(
            "{small_secs:.1} s: {:.1}k rec/s, {:.1}x the raw scan ({small_raw:.2} s); peak RSS {small_rss:.0} MB",
            small_rate / 1000.0,
            small_secs / small_raw
        ),
        target: ">= 15k rec/s",
        verdict: verdict(small_rate >= 15_000.0),
    });

    // 1b. The same for the compact file.
    let (compact_secs, compact_rss, compact_bytes) = fresh_imports(&small_db, &compact_file);
    let compact_rate = SMALL_RECORDS as f64 / compact_secs;
    let compact_xml = fs::metadata(&compact_file).map_or(0, |m| m.len());
    rows.push(Row {
        measure: format!(
            "fresh import, {SMALL_RECORDS} compact records ({COMPACT_TEMPLATES} real records of {:.1} KB cycled; median of 3)",
            compact_xml as f64 / SMALL_RECORDS as f64 / 1000.0
        ),
        baseline: "2.6 s: 11.4k rec/s, 9.2x the raw scan (0.28 s)",
        now: format!(
            "{compact_secs:.1} s: {:.1}k rec/s, {:.1}x the raw scan ({compact_raw:.2} s); peak RSS {compact_rss:.0} MB",
            compact_rate / 1000.0,
            compact_secs / compact_raw
        ),
        target: ">= 15k rec/s",
        verdict: verdict(compact_rate >= 15_000.0),
    });
    rows.push(Row {
        measure: format!("database size, {SMALL_RECORDS} compact records"),
        baseline: "8.2 KB/record (1.65x the XML)",
        now: format!(
            "{:.2} KB/record ({:.2}x the XML)",
            compact_bytes as f64 / SMALL_RECORDS as f64 / 1000.0,
            compact_bytes as f64 / compact_xml.max(1) as f64
        ),
        target: "<= 4 KB/record",
        verdict: verdict(compact_bytes as f64 / SMALL_RECORDS as f64 <= 4000.0),
    });

    // 2. The catalogue, file by file as the baseline is loaded.
    let db = data.join("catalogue.sqlite");
    remove_db(&db);
    // (The WAL's size, polled while the files import.)
    let done = std::sync::atomic::AtomicBool::new(false);
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    let (f, peak_wal) = std::thread::scope(|scope| {
        let poll = scope.spawn(|| {
            let mut peak = 0u64;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            peak
        });
        let f = ok(
            &db,
            &[
                "import",
                "--resume",
                mirror.to_str().unwrap(),
                "--format",
                "json",
            ],
        );
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        (f, poll.join().unwrap())
    });
    let wal_after = fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let summary = json(&f);
    assert_eq!(summary["totals"]["inserted"].as_u64(), Some(size));
    let per_file: Vec<f64> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["seconds"].as_f64().unwrap())
        .collect();
    let rate_of = |secs: &[f64]| secs.len() as f64 * FILE_RECORDS as f64 / secs.iter().sum::<f64>();
    let k = per_file.len().min(3);
    let first_rate = rate_of(&per_file[..k]);
    let last_rate = rate_of(&per_file[per_file.len() - k..]);
    let large_rate = size as f64 / f.secs;
    let import_rss = f.peak_rss_mb.max(small_rss);
    rows.push(Row {
        measure: format!("fresh import, {size} records ({} files, --resume)", files.len()),
        baseline: "334 s: 3.0k rec/s (mixed, 1M, machine busy)",
        now: format!(
            "{:.0} s: {:.1}k rec/s, {:.1}x the raw scan ({large_raw:.0} s); first {k} files {:.1}k rec/s, last {k} {:.1}k rec/s",
            f.secs,
            large_rate / 1000.0,
            f.secs / large_raw,
            first_rate / 1000.0,
            last_rate / 1000.0
        ),
        target: ">= 10k rec/s sustained",
        verdict: verdict(last_rate >= 10_000.0 && large_rate >= 10_000.0),
    });
    rows.push(Row {
        measure: "WAL while importing (largest seen, at the end)".into(),
        baseline: "~25 GB disk for a 12 GB database (one 1M-record file)",
        now: format!(
            "{:.0} MB, {:.0} MB ({FILE_RECORDS}-record files, one transaction each)",
            peak_wal as f64 / 1e6,
            wal_after as f64 / 1e6
        ),
        target: "bounded",
        verdict: verdict(peak_wal < 2_000_000_000),
    });
    let bytes = db_bytes(&db);
    let per_record = bytes as f64 / size as f64;
    rows.push(Row {
        measure: "database size".into(),
        baseline: "12.2 GB: 12.3 KB/record (mixed)",
        now: format!(
            "{:.2} GB: {:.2} KB/record (30k alone: {:.2} KB/record)",
            bytes as f64 / 1e9,
            per_record / 1000.0,
            small_bytes as f64 / SMALL_RECORDS as f64 / 1000.0
        ),
        target: "<= 4 KB/record",
        verdict: verdict(per_record <= 4000.0),
    });

    // 3. A day's revisions.
    let f = ok(
        &db,
        &["import", revisions.to_str().unwrap(), "--format", "json"],
    );
    let counts = &json(&f)["totals"];
    assert_eq!(counts["updated"].as_u64(), Some(REVISIONS), "{counts}");
    let revision_rate = REVISIONS as f64 / f.secs;
    rows.push(Row {
        measure: format!("{REVISIONS} revisions over the catalogue"),
        baseline: "7.6-54.9 s over 1M (0.5-3.9k rec/s)",
        now: format!(
            "{:.1} s: {:.1}k rec/s (raw scan {revisions_raw:.2} s); peak RSS {:.0} MB",
            f.secs,
            revision_rate / 1000.0,
            f.peak_rss_mb
        ),
        target: ">= 8k rec/s",
        verdict: verdict(revision_rate >= 8_000.0),
    });
    let import_rss = import_rss.max(f.peak_rss_mb);
    rows.push(Row {
        measure: "peak RSS of the imports".into(),
        baseline: "155-188 MB",
        now: format!("{import_rss:.0} MB"),
        target: "< 200 MB",
        verdict: verdict(import_rss < 200.0),
    });

    // 4. What users ask: whole commands, `runs` times each.
    let tags = json(&ok(&db, &["summary", "--format", "json"]));
    let row_totals: Vec<(String, u64)> = tags[0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .zip(tags[0]["row_totals"].as_array().unwrap())
        .map(|(r, n)| (r.as_str().unwrap().to_string(), n.as_u64().unwrap()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let common = row_totals.iter().max_by_key(|(_, n)| *n).unwrap().clone();
    let rare = row_totals.iter().min_by_key(|(_, n)| *n).unwrap().clone();
    let claim = "bench-scale";
    let _ = evcat(
        &db,
        &[
            "claim",
            "add",
            "--id",
            claim,
            "--text",
            "A study published in Pain Physician found that ozone therapy reduced pain in patients with herniated discs",
        ],
    );
    let common_arg = format!("--condition={}", common.0);
    let rare_arg = format!("--condition={}", rare.0);
    let queries: Vec<(String, Vec<&str>, &'static str, f64, &'static str)> = vec![
        (
            "find ozone".into(),
            vec!["find", "ozone"],
            "202 ms",
            50.0,
            "p95 < 50 ms",
        ),
        (
            "find 'pain OR function'".into(),
            vec!["find", "pain OR function"],
            "481 ms",
            50.0,
            "p95 < 50 ms",
        ),
        (
            format!(
                "find --condition {} (common: {} records)",
                common.0, common.1
            ),
            vec!["find", &common_arg],
            "",
            50.0,
            "p95 < 50 ms",
        ),
        (
            format!("find --condition {} (rare: {} records)", rare.0, rare.1),
            vec!["find", &rare_arg],
            "0.98 s (rare tag)",
            50.0,
            "p95 < 50 ms",
        ),
        ("stats".into(), vec!["stats"], "3.9 s", 200.0, "< 200 ms"),
        (
            "summary".into(),
            vec!["summary"],
            "6.0 s",
            200.0,
            "< 200 ms",
        ),
        (
            "claim suggest".into(),
            vec!["claim", "suggest", claim],
            "2.2 s",
            300.0,
            "< 300 ms",
        ),
    ];
    for (name, args, baseline, target_ms, target) in queries {
        // One run first, not counted (as hyperfine's `--warmup`): this machine pages out what
        // has not been read for a minute, so a command's first run reads its pages from disk.
        // It is shown beside the counted runs.
        let first = ok(&db, &args);
        let mut times = Vec::new();
        let mut rss: f64 = first.peak_rss_mb;
        for _ in 0..runs {
            let f = ok(&db, &args);
            times.push(f.secs * 1000.0);
            rss = rss.max(f.peak_rss_mb);
        }
        let (p50, p95) = (median(&times), percentile(&times, 0.95));
        rows.push(Row {
            measure: format!("`{name}` ({runs} runs after one)"),
            baseline,
            now: format!(
                "p50 {p50:.0} ms, p95 {p95:.0} ms (first run {:.0} ms); peak RSS {rss:.0} MB",
                first.secs * 1000.0
            ),
            target,
            verdict: verdict(p95 < target_ms),
        });
    }

    // 5. Whole-catalogue outputs.
    let scratch = tempfile::tempdir_in(&data).unwrap();
    if !skip.contains("report") {
        let out = scratch.path().join("report");
        let f = ok(&db, &["report", "-o", out.to_str().unwrap()]);
        rows.push(Row {
            measure: format!("`report` of every record ({size})"),
            baseline: "2.4 GB RSS at 1M",
            now: format!("{:.0} s, peak RSS {:.0} MB", f.secs, f.peak_rss_mb),
            target: "< 200 MB RSS",
            verdict: verdict(f.peak_rss_mb < 200.0),
        });
    }
    if !skip.contains("export") {
        let out = scratch.path().join("all.ris");
        let f = ok(
            &db,
            &["export", "--format", "ris", "-o", out.to_str().unwrap()],
        );
        rows.push(Row {
            measure: "`export --format ris` of every record".into(),
            baseline: "63.6 s at 1M (15.7k rec/s)",
            now: format!(
                "{:.1} s ({:.1}k rec/s), peak RSS {:.0} MB",
                f.secs,
                size as f64 / f.secs / 1000.0,
                f.peak_rss_mb
            ),
            target: "(no target)",
            verdict: "",
        });
    }

    println!(
        "\n## Scale benchmark: {size} records, {} templates\n",
        templates.len()
    );
    println!("| measure | when the issue was filed | now | target | |");
    println!("|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            r.measure, r.baseline, r.now, r.target, r.verdict
        );
    }
    println!("\nBytes by table (dbstat, after the revisions):\n");
    println!("| table | MB | bytes/record |");
    println!("|---|---:|---:|");
    for (table, bytes) in bytes_by_table(&db) {
        println!(
            "| {table} | {:.1} | {:.0} |",
            bytes as f64 / 1e6,
            bytes as f64 / size as f64
        );
    }
    let hours = 38e6 / large_rate.min(last_rate) / 3600.0;
    println!(
        "\nExtrapolated to all of PubMed (~38 million records) at the slower of the whole and the \
         last files' rates: {hours:.1} h, {:.0} GB.",
        per_record * 38e6 / 1e9
    );
}
