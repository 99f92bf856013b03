//! Export benchmark: `cargo bench --bench export`.
//!
//! Builds a catalogue of 300,000 records (distinct PMIDs, cycled from the fixture records, tagged
//! on import like the CLI does; reused between runs), then exports all of it to every format,
//! each in a fresh child process that reports its time and peak resident memory (`VmHWM`).
//! `EVCAT_BENCH_RECORDS=N` changes the size.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use evcat::export::ExportRecord;
use evcat::export::formats::{ExportFormat, writer_for};
use evcat::store::Store;
use evcat::store::articles::load_article;
use evcat::store::import::import_stream;
use evcat::store::search::{FindFilters, find_pmids};
use evcat::store::tags::record_tags;
use evcat::tagging::{Matcher, Taxonomy};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FORMATS: [(&str, ExportFormat); 6] = [
    ("ris", ExportFormat::Ris),
    ("bibtex", ExportFormat::Bibtex),
    ("csl-json", ExportFormat::CslJson),
    ("nbib", ExportFormat::Nbib),
    ("csv", ExportFormat::Csv),
    ("jsonl", ExportFormat::Jsonl),
];

fn vm_hwm_kb() -> u64 {
    fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Records of the fixture files, each a complete `<PubmedArticle>` element.
fn fixture_records() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for entry in fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "xml") {
            let text = fs::read_to_string(&path).expect("fixture");
            for part in text.split("<PubmedArticle>").skip(1) {
                if let Some(body) = part.split("</PubmedArticle>").next() {
                    out.push(body.to_string());
                }
            }
        }
    }
    out
}

fn write_input(path: &Path, n: usize) {
    let records = fixture_records();
    let mut out = BufWriter::new(fs::File::create(path).expect("create input"));
    writeln!(out, "<?xml version=\"1.0\"?>\n<PubmedArticleSet>").unwrap();
    for i in 0..n {
        // The first PMID element of a PubmedArticle is MedlineCitation's own.
        let r = &records[i % records.len()];
        let tag = r.find("<PMID").expect("PMID");
        let start = tag + r[tag..].find('>').expect("PMID tag end") + 1;
        let end = start + r[start..].find("</PMID>").expect("PMID end");
        writeln!(
            out,
            "<PubmedArticle>{}{}{}</PubmedArticle>",
            &r[..start],
            30_000_000 + i,
            &r[end..]
        )
        .unwrap();
    }
    writeln!(out, "</PubmedArticleSet>").unwrap();
}

fn child(mode: &str, db: &Path, extra: &str) {
    let started = Instant::now();
    let mut store = Store::open(db).expect("open store");
    let records = match mode {
        "import" => {
            let matcher = Matcher::new(Taxonomy::builtin());
            let file = fs::File::open(extra).expect("input");
            import_stream(&mut store, file, "bench", Some(&matcher), &mut |_| {})
                .expect("import")
                .records
        }
        _ => {
            let format = FORMATS.iter().find(|(n, _)| *n == mode).expect("format").1;
            let pmids = find_pmids(&store, "", &FindFilters::default()).expect("select");
            let sink = fs::File::create(extra).expect("output");
            let mut out = BufWriter::with_capacity(256 * 1024, sink);
            let mut writer = writer_for(format);
            writer.begin(&mut out).unwrap();
            let mut n = 0u64;
            for pmid in pmids {
                let stored = load_article(&store, pmid).expect("load").expect("record");
                let tags = record_tags(&store, pmid).expect("tags");
                writer
                    .write(
                        &mut out,
                        &ExportRecord {
                            stored,
                            tags,
                            stance: None,
                            facts: Vec::new(),
                        },
                    )
                    .unwrap();
                n += 1;
            }
            writer.end(&mut out).unwrap();
            out.flush().unwrap();
            n
        }
    };
    println!(
        "RESULT {} {} {}",
        records,
        started.elapsed().as_secs_f64(),
        vm_hwm_kb()
    );
}

fn run(mode: &str, db: &Path, extra: &str) -> (u64, f64, u64) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--child", mode])
        .arg(db)
        .arg(extra)
        .output()
        .expect("child");
    assert!(
        out.status.success(),
        "{mode}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .expect("result line");
    let mut parts = line.split_whitespace().skip(1);
    (
        parts.next().unwrap().parse().unwrap(),
        parts.next().unwrap().parse().unwrap(),
        parts.next().unwrap().parse().unwrap(),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1], Path::new(&args[i + 2]), &args[i + 3]);
        return;
    }
    let n: usize = std::env::var("EVCAT_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    fs::create_dir_all(&dir).unwrap();
    let db = dir.join(format!("export-{n}.sqlite"));
    let have = Store::open(&db).ok().and_then(|s| {
        evcat::store::stats::catalogue_stats(&s)
            .ok()
            .map(|c| c.records as i64)
    });
    if have != Some(n as i64) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let input = dir.join(format!("export-input-{n}.xml"));
        write_input(&input, n);
        let (records, secs, rss) = run("import", &db, input.to_str().unwrap());
        println!(
            "built the catalogue: {records} records imported and tagged in {secs:.1}s (peak {:.0} MB)",
            rss as f64 / 1024.0
        );
        let _ = fs::remove_file(&input);
    }
    println!("\n# evcat export benchmark: {n} records, every format, one fresh process each\n");
    println!("| format | records | seconds | records/s | output MB | peak RSS MB |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut ok = true;
    for (name, _) in FORMATS {
        let out = dir.join(format!("export-{n}.{name}"));
        let (records, secs, rss) = run(name, &db, out.to_str().unwrap());
        let size = fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        let _ = fs::remove_file(&out);
        println!(
            "| {name} | {records} | {secs:.1} | {:.0} | {:.0} | {:.1} |",
            records as f64 / secs,
            size as f64 / 1_048_576.0,
            rss as f64 / 1024.0
        );
        ok &= records == n as u64 && rss < 200 * 1024;
    }
    println!(
        "\ntarget: every record exported, peak memory under 200 MB: {}",
        if ok { "PASS" } else { "FAIL" }
    );
}
