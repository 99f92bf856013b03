//! A process killed in the middle of an import leaves the catalogue consistent, and running the
//! command again finishes the job.

mod support;

use std::time::{Duration, Instant};

use support::{TestEnv, fixture};

/// Writes a file of `n` distinct records made from the seed fixture (new PMIDs).
fn big_input(path: &std::path::Path, n: usize) {
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
        out.push_str(&(50_000_000 + i).to_string());
        out.push_str(&r[end..]);
        out.push_str("</PubmedArticle>\n");
    }
    out.push_str("</PubmedArticleSet>\n");
    std::fs::write(path, out).unwrap();
}

#[test]
fn killed_import_leaves_a_consistent_catalogue_and_rerun_finishes() {
    let env = TestEnv::new();
    env.import(&["season.xml"]);
    let before = env.dump();
    let big = env.dir.path().join("big.xml");
    big_input(&big, 20_000);
    let big_arg = big.display().to_string();

    let mut child = env.std_cmd(&["import", &big_arg]).spawn().unwrap();
    // Kill it once the import is under way (the database is being written).
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(400));
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    if !finished_early {
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
    } else {
        eprintln!(
            "import finished in {:?} before it could be killed",
            started.elapsed()
        );
    }
    let summary = env.import_path(&big_arg);
    assert_eq!(summary["totals"]["records"], 20_000);
    assert_eq!(env.json(&["stats", "--format", "json"])["records"], 20_002);
}
