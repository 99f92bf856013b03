//! End-to-end tests of output that an attacker controls: temporary files that must not follow
//! symlinks or outlive a failed run, CSV cells a spreadsheet would execute, control characters a
//! terminal would obey, and HTML in the Markdown report.

mod support;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, SystemTime};

use support::TestEnv;

const HOSTILE: u64 = 99000201;

fn env() -> TestEnv {
    let env = TestEnv::new();
    env.import(&["hostile-output.xml", "ozone-back-pain.xml"]);
    env
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A file holding "precious", for symlinks to point at.
fn victim(dir: &Path, name: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, "precious").unwrap();
    p
}

fn assert_untouched(victim: &Path) {
    assert_eq!(
        std::fs::read_to_string(victim).unwrap(),
        "precious",
        "{} was written through a symlink",
        victim.display()
    );
}

fn assert_regular(p: &Path) {
    let m = std::fs::symlink_metadata(p).unwrap();
    assert!(
        m.file_type().is_file(),
        "{} is not a regular file",
        p.display()
    );
}

/// Names in `dir` that look like evcat's temporaries (old or new scheme).
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".evcat-tmp-") || n.ends_with(".partial"))
        .collect()
}

#[test]
fn export_never_writes_through_a_symlink() {
    let env = env();
    let dir = env.dir.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    let v1 = victim(env.dir.path(), "victim1.txt");
    let v2 = victim(env.dir.path(), "victim2.txt");
    let v3 = victim(env.dir.path(), "victim3.txt");
    // The old predictable temporary name, the target itself, and names with evcat's prefix.
    symlink(&v1, dir.join("out.ris.partial")).unwrap();
    symlink(&v2, dir.join("out.ris")).unwrap();
    symlink(&v3, dir.join(".evcat-tmp-000000")).unwrap();
    let out = dir.join("out.ris");
    env.ok(&["export", "--format", "ris", "-o", s(&out)]);
    for v in [&v1, &v2, &v3] {
        assert_untouched(v);
    }
    assert_regular(&out);
    let ris = std::fs::read_to_string(&out).unwrap();
    assert!(ris.contains("AN  - 22430658"), "{ris}");
    // The planted symlinks are not ours to remove or follow.
    assert!(std::fs::symlink_metadata(dir.join("out.ris.partial")).is_ok());
    assert!(std::fs::symlink_metadata(dir.join(".evcat-tmp-000000")).is_ok());
}

#[test]
fn report_never_writes_through_a_symlink() {
    let env = env();
    let dir = env.dir.path().join("rep");
    std::fs::create_dir(&dir).unwrap();
    let v1 = victim(env.dir.path(), "victim1.txt");
    let v2 = victim(env.dir.path(), "victim2.txt");
    let v3 = victim(env.dir.path(), "victim3.txt");
    symlink(&v1, dir.join("report.partial")).unwrap();
    symlink(&v2, dir.join("report.md")).unwrap();
    symlink(&v3, dir.join("report.html")).unwrap();
    env.ok(&["report", "-o", s(&dir)]);
    for v in [&v1, &v2, &v3] {
        assert_untouched(v);
    }
    assert_regular(&dir.join("report.md"));
    assert_regular(&dir.join("report.html"));
    assert!(
        std::fs::read_to_string(dir.join("report.html"))
            .unwrap()
            .contains("<!DOCTYPE html>")
    );
}

#[test]
fn backup_never_writes_through_a_symlink() {
    let env = env();
    let v = victim(env.dir.path(), "victim.txt");
    let target = env.dir.path().join("copy.sqlite");
    symlink(&v, env.dir.path().join("copy.partial")).unwrap();
    env.ok(&["backup", s(&target)]);
    assert_untouched(&v);
    assert_regular(&target);
    let conn = rusqlite::Connection::open(&target).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 13);
    // A symlink at the target is an existing file: refused, not followed.
    let link = env.dir.path().join("link.sqlite");
    symlink(&v, &link).unwrap();
    let out = env.run(&["backup", s(&link)]);
    assert_eq!(out.status.code(), Some(2));
    assert_untouched(&v);
}

#[test]
fn failed_writes_leave_no_temporaries_and_name_the_target() {
    let env = env();
    let dir = env.dir.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    // The export cannot be renamed over a directory: it fails after writing everything.
    let target = dir.join("taken");
    std::fs::create_dir(&target).unwrap();
    let out = env.run(&["export", "--format", "csv", "-o", s(&target)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(s(&target)), "{err}");
    assert!(!err.contains(".evcat-tmp-"), "{err}");
    assert_eq!(temporaries(&dir), Vec::<String>::new());

    // report: the HTML file's name is a directory, so its rename fails.
    let rep = env.dir.path().join("rep");
    std::fs::create_dir_all(rep.join("report.html")).unwrap();
    let out = env.run(&["report", "-o", s(&rep)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("report.html"), "{err}");
    assert_eq!(temporaries(&rep), Vec::<String>::new());
}

/// A file-size limit makes writes fail part-way (SIGXFSZ ignored, so `write` returns EFBIG).
#[test]
fn a_file_size_limit_leaves_no_temporaries() {
    let env = env();
    env.import(&support::all_fixtures());
    let dir = env.dir.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("evcat");
    let limited = |args: &str| {
        // 64 blocks of 512 bytes: room for SQLite's 32 KiB shared-memory file, not for the output.
        let script = format!(
            "trap '' XFSZ; ulimit -f 64; exec '{}' --db '{}' {args}",
            bin.display(),
            env.db.display()
        );
        std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("HOME", env.dir.path())
            .output()
            .unwrap()
    };
    let target = dir.join("big.json");
    let out = limited(&format!(
        "export --format csl-json -o '{}'",
        target.display()
    ));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(s(&target)), "{err}");
    assert!(!target.exists());
    assert_eq!(temporaries(&dir), Vec::<String>::new());

    let out = limited(&format!("backup '{}'", dir.join("copy.sqlite").display()));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("copy.sqlite"), "{err}");
    assert!(!dir.join("copy.sqlite").exists());
    assert_eq!(temporaries(&dir), Vec::<String>::new());
}

fn set_age(p: &Path, age: Duration) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::now() - age).unwrap();
}

#[test]
fn stale_temporaries_of_a_killed_run_are_removed_next_time() {
    let env = env();
    let dir = env.dir.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    // What a SIGKILLed export leaves: a temporary with evcat's prefix, last written long ago.
    let stale = dir.join(".evcat-tmp-Ab12Cd");
    std::fs::write(&stale, "TY  - JOUR\n").unwrap();
    set_age(&stale, Duration::from_secs(3 * 3600));
    // A temporary being written right now by another evcat: left alone.
    let fresh = dir.join(".evcat-tmp-Ef34Gh");
    std::fs::write(&fresh, "TY  - JOUR\n").unwrap();
    // An old symlink with the prefix: neither followed nor removed.
    let v = victim(env.dir.path(), "victim.txt");
    let link = dir.join(".evcat-tmp-Ij56Kl");
    symlink(&v, &link).unwrap();
    let touched = std::process::Command::new("touch")
        .args(["-h", "-d", "3 hours ago"])
        .arg(&link)
        .status()
        .unwrap();
    assert!(touched.success());
    // Someone else's file without the prefix.
    let other = dir.join("notes.partial");
    std::fs::write(&other, "mine").unwrap();
    set_age(&other, Duration::from_secs(3 * 3600));

    env.ok(&["export", "--format", "ris", "-o", s(&dir.join("out.ris"))]);
    assert!(!stale.exists(), "the stale temporary was kept");
    assert!(fresh.exists(), "a live temporary was removed");
    assert!(std::fs::symlink_metadata(&link).is_ok());
    assert_untouched(&v);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "mine");
    assert_regular(&dir.join("out.ris"));
}

/// Whether a CSV cell would run as a formula in a spreadsheet.
fn executable(cell: &str) -> bool {
    let numeric = cell.parse::<f64>().is_ok() && cell.chars().all(|c| "+-.0123456789".contains(c));
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !numeric
}

fn csv_rows(text: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    (headers, r.records().map(Result::unwrap).collect())
}

#[test]
fn csv_cells_never_start_a_formula_unless_asked() {
    let env = env();
    let export = env.ok(&["export", "--format", "csv"]);
    let (headers, rows) = csv_rows(&export);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let hostile = rows
        .iter()
        .find(|r| r[0] == *HOSTILE.to_string())
        .expect("the hostile record is exported");
    for r in &rows {
        for cell in r {
            assert!(!executable(cell), "executable CSV cell {cell:?}");
        }
    }
    assert!(hostile[col("title")].starts_with("'=HYPERLINK("));
    assert!(hostile[col("journal")].starts_with("'+Fictional"));
    assert!(hostile[col("authors")].starts_with("'@SUM"));
    assert!(hostile[col("abstract")].starts_with("'-2+3"));
    assert_eq!(&hostile[col("keywords")], "'=1+1");

    let find = env.ok(&["find", "hyperlink", "--format", "csv"]);
    let (headers, rows) = csv_rows(&find);
    let score = headers.iter().position(|h| h == "score").unwrap();
    assert_eq!(rows.len(), 1);
    for cell in &rows[0] {
        assert!(!executable(cell), "executable CSV cell {cell:?}");
    }
    assert!(rows[0][4].starts_with("'=HYPERLINK("));
    // A BM25 score is a number, not a formula: written as it is.
    assert!(rows[0][score].starts_with('-'), "{:?}", &rows[0][score]);
    assert!(rows[0][score].parse::<f64>().is_ok());

    // Machine consumers opt out.
    let raw = env.ok(&["export", "--format", "csv", "--csv-raw", "hyperlink"]);
    let (_, rows) = csv_rows(&raw);
    assert!(rows[0][col("title")].starts_with("=HYPERLINK("));
    let raw = env.ok(&["find", "hyperlink", "--format", "csv", "--csv-raw"]);
    assert!(csv_rows(&raw).1[0][4].starts_with("=HYPERLINK("));
    let bad = env.run(&["export", "--format", "ris", "--csv-raw"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Characters a terminal (or a reader of the file in one) would obey rather than show.
fn control_chars(text: &str, allowed: &[char]) -> Vec<char> {
    text.chars()
        .filter(|c| !allowed.contains(c))
        .filter(|&c| {
            c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

#[test]
fn terminal_output_and_exports_carry_no_control_characters() {
    let env = env();
    env.ok(&[
        "claim",
        "add",
        "--id",
        "esc",
        "--text",
        "Ozone \u{1b}[2J\u{1b}]0;owned\u{7}cures\u{9b}31m sciatica\u{202e}",
        "--source",
        "blog \u{1b}[31m",
    ]);
    env.ok(&[
        "claim",
        "link",
        "esc",
        &HOSTILE.to_string(),
        "--stance",
        "supports",
        "--note",
        "see \u{1b}[5m note",
    ]);
    let hostile = HOSTILE.to_string();
    let outputs = [
        vec!["find", "hyperlink"],
        vec!["find", "hyperlink", "--format", "csv"],
        vec!["show", &hostile],
        vec!["claim", "list"],
        vec!["claim", "list", "--format", "markdown"],
        vec!["claim", "show", "esc"],
        vec!["claim", "show", "esc", "--format", "markdown"],
        vec!["export", "--format", "ris"],
        vec!["export", "--format", "nbib"],
        vec!["export", "--format", "bibtex"],
        vec!["export", "--format", "csv"],
    ];
    for args in outputs {
        let out = env.ok(&args);
        assert_eq!(
            control_chars(&out, &['\n']),
            Vec::<char>::new(),
            "{args:?}:\n{out}"
        );
    }
    // The text is still there, only the controls are gone.
    let show = env.ok(&["claim", "show", "esc"]);
    assert!(
        show.contains("Ozone [2J]0;ownedcures31m sciatica"),
        "{show}"
    );
    let find = env.ok(&["find", "hyperlink"]);
    assert!(find.contains("=HYPERLINK("), "{find}");
    // JSON is data: serde escapes C0 controls, and the text is kept whole.
    let json = env.json(&["claim", "show", "esc", "--format", "json"]);
    assert!(json["claim"]["text"].as_str().unwrap().contains('\u{1b}'));
}

#[test]
fn markdown_report_escapes_html_and_keeps_tables_whole() {
    let env = env();
    env.ok(&[
        "claim",
        "add",
        "--id",
        "xss",
        "--text",
        "Ozone <script>alert(4)</script> | cures",
    ]);
    env.ok(&[
        "claim",
        "link",
        "xss",
        &HOSTILE.to_string(),
        "--stance",
        "supports",
    ]);
    for args in [vec![], vec!["--claim", "xss"]] {
        let dir = env.dir.path().join(format!("rep{}", args.len()));
        let mut cmd = vec!["report", "-o", s(&dir)];
        cmd.extend(args.iter().copied());
        env.ok(&cmd);
        for name in ["report.md", "report.html"] {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            assert!(!text.contains("<script"), "{name}:\n{text}");
            assert!(!text.contains("<img"), "{name}:\n{text}");
            assert!(text.contains("&lt;script&gt;alert(1)"), "{name}:\n{text}");
            assert_eq!(control_chars(&text, &['\n']), Vec::<char>::new(), "{name}");
        }
        let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
        // The link is escaped: `\[click\](javascript:...)` shows as text.
        assert!(!md.contains("[click]("), "{md}");
        assert!(md.contains("\\[click\\](javascript:"), "{md}");
        // Every row of the study table has as many cells as its header.
        let mut header_cells = None;
        for line in md.lines().filter(|l| l.starts_with('|')) {
            let cells = cell_count(line);
            if line.starts_with("| PMID") {
                header_cells = Some(cells);
            } else if line.starts_with("| 9") || line.starts_with("| 1") || line.starts_with("| 2")
            {
                assert_eq!(Some(cells), header_cells, "{line}");
            }
        }
        assert!(header_cells.is_some(), "{md}");
    }
}

/// Cells of a Markdown table row: unescaped pipes minus one.
fn cell_count(line: &str) -> usize {
    let mut n = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => n += 1,
            _ => {}
        }
    }
    n - 1
}
