//! A process killed in the middle of an import leaves the catalogue consistent (one input is one
//! transaction), and running the command again finishes the job.
//!
//! The input goes through `import -` from a pipe the test writes, so the test sets the pace: it
//! never writes the end of the document, so the import cannot finish before it is killed, and it
//! kills only once the child has provably consumed most of what was written (a blocking write
//! into a pipe returns only when the reader has made room) and holds the catalogue's write
//! transaction open (the lock on `<db>.writer`, see `evcat::store::writer`).

mod support;

use std::fs::File;
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{TestEnv, fixture, md5_hex};

/// Records in the generated input.
const RECORDS: usize = 600;
/// Bytes written before the kill. The child has consumed all but the pipe's buffer (64 KiB on
/// Linux) of them; after the 256 KiB input buffer and the 256-record queue between the parsing
/// and the writing thread (records here are ~5.5 KiB, so ~1.4 MiB), what is left has reached
/// the writing thread, inside the import's transaction.
const WRITTEN_BEFORE_KILL: usize = 2_500_000;

/// A document of `n` distinct records made from the seed fixture (new PMIDs from `first`).
fn big_input(n: usize, first: usize) -> Vec<u8> {
    let source = std::fs::read_to_string(fixture("ozone-back-pain.xml")).unwrap();
    let records: Vec<&str> = source
        .split("<PubmedArticle>")
        .skip(1)
        .map(|r| r.split("</PubmedArticle>").next().unwrap())
        .collect();
    let mut out = String::from("<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n");
    for i in 0..n {
        let r = records[i % records.len()];
        let start = r.find("<PMID Version=\"1\">").unwrap() + "<PMID Version=\"1\">".len();
        let end = start + r[start..].find("</PMID>").unwrap();
        out.push_str("<PubmedArticle>");
        out.push_str(&r[..start]);
        out.push_str(&(first + i).to_string());
        out.push_str(&r[end..]);
        out.push_str("</PubmedArticle>\n");
    }
    out.push_str("</PubmedArticleSet>\n");
    out.into_bytes()
}

/// Whether an evcat process holds the catalogue's write transaction open: the writer note's
/// file lock is held from `BEGIN IMMEDIATE` until the transaction ends.
fn write_transaction_open(env: &TestEnv) -> bool {
    let mut note = env.db.as_os_str().to_owned();
    note.push(".writer");
    let Ok(file) = File::open(note) else {
        return false;
    };
    match file.try_lock_shared() {
        Ok(()) => false,
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(std::fs::TryLockError::Error(e)) => panic!("cannot test the writer lock: {e}"),
    }
}

#[test]
fn killed_import_leaves_a_consistent_catalogue_and_rerun_finishes() {
    let env = TestEnv::new();
    env.import(&["season.xml"]);
    let before = env.dump();
    let input = big_input(RECORDS, 50_000_000);
    assert!(
        input.len() > WRITTEN_BEFORE_KILL + 100_000,
        "the part never written must hold records: {} bytes",
        input.len()
    );

    let mut child = env
        .std_cmd(&["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for chunk in input[..WRITTEN_BEFORE_KILL].chunks(16 * 1024) {
        stdin
            .write_all(chunk)
            .expect("the import stopped reading its input");
    }
    // Every write returned, so the child consumed all but a pipe's worth; the write transaction
    // is open (polled only to be independent of thread scheduling: it opens before any record is
    // applied).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !write_transaction_open(&env) {
        assert!(
            Instant::now() < deadline,
            "no write transaction open after the input was consumed: the import ended or never wrote"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import ended before the end of its input"
    );
    child.kill().unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    assert!(!status.success(), "killed, not finished: {status:?}");
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "{status:?}");
    }

    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
    drop(conn);
    assert_eq!(
        env.dump(),
        before,
        "a killed import must leave nothing half-written"
    );

    let out = env
        .cmd(&["import", "--format", "json", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "re-run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["totals"]["records"], RECORDS);
    assert_eq!(summary["totals"]["inserted"], RECORDS);
    assert_eq!(
        env.json(&["stats", "--format", "json"])["records"],
        RECORDS + 2
    );
}

/// The PMIDs the catalogue holds and the files it records as applied, by name.
fn held(env: &TestEnv) -> (i64, Vec<String>) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let records = conn
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    let files = conn
        .prepare("SELECT file FROM applied_files ORDER BY file")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|f| {
            let f = f.unwrap();
            f.rsplit('/').next().unwrap().to_string()
        })
        .collect();
    (records, files)
}

/// `import --resume DIR` killed while it applies the second of three files: the first stays
/// applied and recorded, nothing of the second is kept, and the same command run again skips
/// the first and applies the other two.
#[test]
fn killed_resumable_import_skips_applied_files_when_run_again() {
    let env = TestEnv::new();
    let mirror = env.dir.path().join("mirror");
    std::fs::create_dir(&mirror).unwrap();
    const FIRST: usize = 12;
    const SECOND: usize = 1_500;
    const THIRD: usize = 40;
    let first = big_input(FIRST, 60_000_000);
    std::fs::write(mirror.join("pubmed25n0001.xml"), &first).unwrap();
    // (The second file gzip-compressed, with NCBI's checksum file beside it.)
    let second = big_input(SECOND, 61_000_000);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&second).unwrap();
    let second_gz = gz.finish().unwrap();
    std::fs::write(mirror.join("pubmed25n0002.xml.gz"), &second_gz).unwrap();
    let md5: String = md5_hex(&second_gz);
    std::fs::write(
        mirror.join("pubmed25n0002.xml.gz.md5"),
        format!("MD5(pubmed25n0002.xml.gz)= {md5}\n"),
    )
    .unwrap();
    std::fs::write(
        mirror.join("pubmed25n0003.xml"),
        big_input(THIRD, 62_000_000),
    )
    .unwrap();
    let dir = mirror.to_str().unwrap();

    let mut child = env
        .std_cmd(&["import", "--resume", dir])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the first file is recorded as applied and the second's transaction is open.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        assert!(Instant::now() < deadline, "the second file never started");
        if env.db.exists() && write_transaction_open(&env) && held(&env).1.len() == 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        held(&env),
        (FIRST as i64, vec!["pubmed25n0001.xml".to_string()]),
        "killed mid-directory: the first file applied and recorded, nothing of the second"
    );

    let summary = env.json(&["import", "--resume", dir, "--format", "json"]);
    assert_eq!(
        support::file_statuses(&summary),
        ["skipped", "ok", "ok"],
        "{summary:#}"
    );
    assert_eq!(summary["files_skipped"], 1);
    assert_eq!(summary["totals"]["inserted"], SECOND + THIRD);
    assert_eq!(summary["files"][1]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        held(&env),
        (
            (FIRST + SECOND + THIRD) as i64,
            vec![
                "pubmed25n0001.xml".to_string(),
                "pubmed25n0002.xml.gz".to_string(),
                "pubmed25n0003.xml".to_string()
            ]
        )
    );
    // Run again: nothing left to do, nothing read.
    let again = env.json(&["import", "--resume", dir, "--format", "json"]);
    assert_eq!(again["files_skipped"], 3, "{again:#}");
    assert_eq!(again["totals"]["records"], 0);
}
