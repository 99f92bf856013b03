//! End-to-end tests of `evcat import`, `show`, `find` and `stats` on the bundled fixtures.

mod support;

use serde_json::Value;
use support::{TestEnv, all_fixtures, fixture};

fn show(env: &TestEnv, pmid: &str) -> Value {
    env.json(&["show", pmid, "--format", "json"])
}

/// `show --format json` without the catalogue timestamps (they change with every run) and tags.
fn show_stable(env: &TestEnv, pmid: &str) -> Value {
    let mut v = show(env, pmid);
    let obj = v.as_object_mut().unwrap();
    obj.remove("catalogue");
    // Tags depend on the taxonomy and are tested in tests/tagging.rs.
    obj.remove("tags");
    obj.remove("manual_tag_decisions");
    v
}

#[test]
fn reimport_is_idempotent() {
    let env = TestEnv::new();
    let first = env.import(&all_fixtures());
    assert_eq!(first["files_failed"], 0);
    assert!(
        first["totals"]["inserted"].as_u64().unwrap() >= 30,
        "{first}"
    );
    let before = env.dump();
    let second = env.import(&all_fixtures());
    let t = &second["totals"];
    assert_eq!(t["inserted"], 0, "{second}");
    assert_eq!(t["updated"], 0, "{second}");
    assert_eq!(t["deleted"], 0, "{second}");
    assert_eq!(t["unchanged"], t["records"], "{second}");
    // Only the import log grew.
    let strip = |d: &str| d.split("== imports").next().unwrap().to_string();
    assert_eq!(strip(&before), strip(&env.dump()));
}

#[test]
fn records_are_stored_exactly() {
    let env = TestEnv::new();
    env.import(&all_fixtures());
    for pmid in [
        "22430658", // Magalhaes 2012, Pain Physician: the seed-domain review
        "99000001", // MedlineDate "1998 Dec-1999 Jan"
        "99000002", // MedlineDate "2019 Jan-Feb"
        "99000011", // Season
        "99000021", // nested markup, structured abstract, MathML, OtherAbstract
        "99000031", // CollectiveName with persons, investigators, Suffix, ValidYN, EqualContrib
        "99000032", // only a CollectiveName
        "99000041", // the three ORCID forms
        "99000051", // three Versions of one PMID: version 3 is current
        "28722852", // PubmedBookArticle
        "99000101", // retracted
        "99000081", // every other element, 64-bit reference id, unknown element
    ] {
        insta::assert_json_snapshot!(format!("show_{pmid}"), show_stable(&env, pmid));
    }
}

#[test]
fn awkward_fields_read_right() {
    let env = TestEnv::new();
    env.import(&all_fixtures());
    let md = show(&env, "99000001");
    assert_eq!(md["journal"]["pub_date"]["raw"], "1998 Dec-1999 Jan");
    assert_eq!(md["journal"]["pub_date"]["year"], 1998);
    let season = show(&env, "99000011");
    assert!(season["journal"]["pub_date"]["season"].is_string());
    let orcid = show(&env, "99000041");
    let ids: Vec<&str> = orcid["authors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["orcid"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "0000-0002-1825-0097",
            "0000-0001-5109-3700",
            "0000-0002-1694-233X"
        ]
    );
    let markup = show(&env, "99000021");
    assert!(
        markup["title_markup"].as_str().unwrap().contains("<i>"),
        "{}",
        markup["title_markup"]
    );
    assert!(!markup["title"].as_str().unwrap().contains("<i>"));
    assert!(
        markup["title"].as_str().unwrap().contains("<test>"),
        "escaped text is decoded, not dropped"
    );
    let sections = markup["abstract"]["sections"].as_array().unwrap();
    assert!(sections.len() >= 4);
    assert!(sections.iter().any(|s| s["category"] == "UNASSIGNED"));
    let book = show(&env, "28722852");
    assert_eq!(book["kind"], "book");
    assert!(book["book"]["title"].is_string());
    let full = show(&env, "99000081");
    let refs = full["references"].as_array().unwrap();
    assert!(refs.iter().any(|r| {
        r["ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["value"] == "9876543210")
    }));
    assert!(full["languages"].as_array().unwrap().len() >= 2);
}

#[test]
fn newer_revision_replaces_and_keeps_history() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let before = show(&env, "19478653");
    let r = env.import(&["revised-later.xml"]);
    assert_eq!(r["totals"]["updated"], 1, "{r}");
    let after = show(&env, "19478653");
    assert_ne!(before["dates"]["revised"], after["dates"]["revised"]);
    assert!(
        after["mesh"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["descriptor"] == "Injections, Intramuscular")
    );
    assert_eq!(after["catalogue"]["revisions"], 1);
    assert_eq!(
        after["catalogue"]["first_seen"],
        before["catalogue"]["first_seen"]
    );
    // The file that last wrote the record, before and after (named once in the catalogue).
    let source = |v: &Value| v["catalogue"]["source"].as_str().unwrap().to_string();
    assert!(source(&before).ends_with("ozone-back-pain.xml"), "{before}");
    assert!(source(&after).ends_with("revised-later.xml"), "{after}");
    assert!(
        source(&show(&env, "22430658")).ends_with("ozone-back-pain.xml"),
        "an unchanged record keeps its source"
    );
    // The older record arriving again changes nothing.
    let again = env.import(&["ozone-back-pain.xml"]);
    assert_eq!(again["totals"]["older"], 1, "{again}");
    assert_eq!(again["totals"]["updated"], 0);
    assert_eq!(
        show(&env, "19478653")["dates"]["revised"],
        after["dates"]["revised"]
    );
    // Versions: 1, 2, 3 in one file leave version 3 with two revisions.
    env.import(&["versions.xml"]);
    let v = show(&env, "99000051");
    assert_eq!(v["version"], 3);
    assert_eq!(v["catalogue"]["revisions"], 2);
}

#[test]
fn deletions_leave_tombstones() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let r = env.import(&["delete-citation.xml"]);
    assert_eq!(r["totals"]["deleted"], 3, "{r}");
    assert_eq!(r["totals"]["deleted_unknown"], 2, "{r}");
    let steppan = show(&env, "20188591");
    assert_eq!(steppan["deleted"], true);
    assert!(steppan["title"].as_str().unwrap().len() > 10, "data kept");
    let text = env.ok(&["show", "20188591"]);
    assert!(text.contains("DELETED FROM PUBMED"), "{text}");
    let unknown = show(&env, "99999990");
    assert_eq!(unknown["deleted"], true);
    let found = env.ok(&[
        "find",
        "metaanalysis OR \"ozone treatments\"",
        "--limit",
        "50",
    ]);
    assert!(
        found
            .lines()
            .any(|l| l.starts_with("20188591") && l.contains("[DELETED]")),
        "{found}"
    );
    let stats = env.json(&["stats", "--format", "json"]);
    assert_eq!(stats["tombstones"], 3);
    // Tombstones are final: the record arriving again keeps the flag.
    env.import(&["ozone-back-pain.xml"]);
    assert_eq!(show(&env, "20188591")["deleted"], true);
}

#[test]
fn bad_inputs_fail_cleanly_and_change_nothing() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let before = env.dump();
    let dir = env.dir.path().display().to_string();
    let missing = env.dir.path().join("missing.xml").display().to_string();
    let cases: Vec<(String, &str)> = vec![
        (
            fixture("broken/malformed.xml").display().to_string(),
            "malformed XML",
        ),
        (
            fixture("broken/truncated.xml").display().to_string(),
            "byte",
        ),
        (
            fixture("broken/truncated.xml.gz").display().to_string(),
            "read error",
        ),
        (
            fixture("broken/not-pubmed.xml").display().to_string(),
            "not a PubMed XML document",
        ),
        (
            fixture("broken/billion-laughs.xml").display().to_string(),
            "undefined entity &lol9;",
        ),
        (
            fixture("broken/invalid-utf8.xml").display().to_string(),
            "invalid UTF-8",
        ),
        (
            fixture("broken/unknown-entity.xml").display().to_string(),
            "undefined entity &nbsp;",
        ),
        (
            fixture("broken/empty.xml").display().to_string(),
            "empty input",
        ),
        (missing, "no such file"),
        (dir, "is a directory"),
    ];
    for (path, expected) in cases {
        let out = env.run(&["import", &path]);
        assert_eq!(out.status.code(), Some(1), "{path}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "{path}: one error line expected, got:\n{stderr}"
        );
        assert!(
            lines[0].contains(&path),
            "{path}: error must name the file: {stderr}"
        );
        assert!(
            lines[0].contains(expected),
            "{path}: expected {expected:?} in {stderr}"
        );
        assert_eq!(env.dump(), before, "{path}: the catalogue changed");
    }
    // Errors inside a record name its position and PMID.
    let out = env.run(&[
        "import",
        &fixture("broken/malformed.xml").display().to_string(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line ") && stderr.contains("record PMID"),
        "{stderr}"
    );
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let env = TestEnv::new();
    let good = fixture("season.xml").display().to_string();
    let bad = fixture("broken/malformed.xml").display().to_string();
    let out = env.run(&["import", "--format", "json", &bad, &good]);
    assert_eq!(out.status.code(), Some(3), "partial success exit code");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["files_ok"], 1);
    assert_eq!(summary["files_failed"], 1);
    assert_eq!(summary["files"][0]["status"], "failed");
    assert!(summary["files"][0]["offset"].as_u64().is_some());
    assert_eq!(summary["totals"]["inserted"], 2);
    // Nothing of the malformed file was kept, not even its good records before the error.
    assert_eq!(env.json(&["stats", "--format", "json"])["records"], 2);
}

/// `--resume`: a file whose `.md5` disagrees is not imported, the run stops there (files apply
/// in order) and says so; once the file is right, the same command applies the rest only.
#[test]
fn resume_checks_md5_files_and_stops_at_the_first_failed_file() {
    let env = TestEnv::new();
    let mirror = env.dir.path().join("mirror");
    std::fs::create_dir(&mirror).unwrap();
    let copy = |from: &str, to: &str| std::fs::copy(fixture(from), mirror.join(to)).unwrap();
    copy("ozone-back-pain.xml", "pubmed25n0001.xml");
    copy("season.xml", "pubmed25n0002.xml");
    copy("delete-citation.xml", "pubmed25n0003.xml");
    std::fs::write(mirror.join("notes.txt"), "not a PubMed file").unwrap();
    let md5 = mirror.join("pubmed25n0002.xml.md5");
    std::fs::write(
        &md5,
        "MD5(pubmed25n0002.xml)= 0123456789abcdef0123456789abcdef\n",
    )
    .unwrap();
    let dir = mirror.display().to_string();

    let out = env.run(&["import", "--resume", &dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(3), "one file applied, one failed");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["files"].as_array().unwrap().len(), 2, "{summary:#}");
    assert_eq!(summary["files"][0]["status"], "ok");
    assert_eq!(summary["files"][1]["status"], "failed");
    assert_eq!(summary["files_not_attempted"], 1);
    let error = summary["files"][1]["error"].as_str().unwrap();
    assert!(
        error.contains("pubmed25n0002.xml")
            && error.contains("0123456789abcdef0123456789abcdef")
            && error.contains("download it again"),
        "{error}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(error), "{stderr}");
    let records = env.json(&["stats", "--format", "json"])["records"].clone();
    assert_eq!(records, 12, "only the first file's records");

    // The text summary says where it stopped and what to do.
    let out = env.run(&["import", "--resume", &dir]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 file(s) already applied by an earlier run, skipped")
            && text.contains("1 later file(s) not attempted"),
        "{text}"
    );

    // The right checksum, in `md5sum`'s format this time.
    let sum = support::md5_hex(&std::fs::read(mirror.join("pubmed25n0002.xml")).unwrap());
    std::fs::write(&md5, format!("{sum}  pubmed25n0002.xml\n")).unwrap();
    let summary = env.json(&["import", "--resume", &dir, "--format", "json"]);
    assert_eq!(
        support::file_statuses(&summary),
        ["skipped", "ok", "ok"],
        "{summary:#}"
    );
    assert_eq!(summary["files"][0]["records"], 12);
    assert_eq!(summary["files"][1]["inserted"], 2);
    assert_eq!(summary["files_ok"], 2);

    // Standard input cannot be resumed; a plain import still names a directory as an error.
    let out = env.run(&["import", "--resume", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not standard input"));
    let out = env.run(&["import", &dir]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));
}

#[test]
fn gzip_is_detected_from_content_and_stdin_works() {
    let env = TestEnv::new();
    let r = env.import(&["gzip-sample-no-extension"]);
    assert_eq!(r["totals"]["inserted"], 2);
    let xml = std::fs::read(fixture("season.xml")).unwrap();
    let out = env
        .cmd(&["import", "--format", "json", "-"])
        .write_stdin(xml)
        .output()
        .unwrap();
    assert!(out.status.success());
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["files"][0]["file"], "<stdin>");
    assert_eq!(summary["totals"]["inserted"], 2);
}

#[test]
fn show_reports_unknown_pmids_and_prints_original_xml() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let out = env.run(&["show", "123"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PMID 123 is not in the catalogue"));
    let out = env.run(&["show", "abc"]);
    assert_eq!(out.status.code(), Some(2));
    let xml = env.ok(&["show", "22430658", "--format", "xml"]);
    let source = std::fs::read_to_string(fixture("ozone-back-pain.xml")).unwrap();
    assert!(xml.trim_end().starts_with("<PubmedArticle>"));
    assert!(
        source.contains(xml.trim_end()),
        "stored XML is the original bytes"
    );
}

fn pmids(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| h["pmid"].as_u64().unwrap())
        .collect()
}

#[test]
fn find_ranks_and_filters() {
    let env = TestEnv::new();
    env.import(&all_fixtures());
    let hits = env.json(&[
        "find",
        "ozone herniated disc meta-analysis",
        "--format",
        "json",
    ]);
    assert_eq!(pmids(&hits)[0], 22430658, "{hits}");
    let phrase = env.json(&[
        "find",
        "\"secondary to herniated disc\"",
        "--format",
        "json",
    ]);
    assert!(pmids(&phrase).contains(&22430658));
    let or = pmids(&env.json(&[
        "find",
        "facet OR cervical",
        "--format",
        "json",
        "--limit",
        "100",
    ]));
    let facet = pmids(&env.json(&["find", "facet", "--format", "json", "--limit", "100"]));
    let cervical = pmids(&env.json(&["find", "cervical", "--format", "json", "--limit", "100"]));
    assert!(facet.iter().chain(&cervical).all(|p| or.contains(p)));
    let not = pmids(&env.json(&[
        "find",
        "ozone NOT cervical",
        "--format",
        "json",
        "--limit",
        "100",
    ]));
    assert!(cervical.iter().all(|p| !not.contains(p)));
    let prefix = pmids(&env.json(&["find", "herniat*", "--format", "json", "--limit", "100"]));
    assert!(prefix.contains(&22430658));
    // Stray syntax is literal, never an SQL or FTS5 error.
    for q in ["ozone \"", "(ozone", "ozone)", "NEAR(", "a'b", "ozone AND"] {
        let out = env.run(&["find", "--", q]);
        assert!(
            out.status.success(),
            "{q}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A query that means nothing is a usage error naming it, not the whole catalogue.
    for q in ["\"", "*", "***", "title:", "-ozone", "foo:ozone", "ozone:"] {
        let out = env.run(&["find", "--", q]);
        assert_eq!(out.status.code(), Some(2), "{q}");
        assert!(out.stdout.is_empty(), "{q}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("query"),
            "{q}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = env.run(&["find", "NOT ozone"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOT needs a term"));
    // Filters.
    let years = env.json(&[
        "find",
        "",
        "--year",
        "2005..2010",
        "--format",
        "json",
        "--limit",
        "100",
    ]);
    assert!(
        years
            .as_array()
            .unwrap()
            .iter()
            .all(|h| (2005..=2010).contains(&h["year"].as_i64().unwrap()))
    );
    assert!(!years.as_array().unwrap().is_empty());
    let journal = env.json(&[
        "find",
        "",
        "--journal",
        "pain physician",
        "--format",
        "json",
    ]);
    assert!(pmids(&journal).contains(&22430658));
    assert!(
        journal
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["journal"] == "Pain Physician"),
        "{journal}"
    );
    let meta = env.json(&[
        "find",
        "",
        "--type",
        "meta-analysis",
        "--format",
        "json",
        "--limit",
        "100",
    ]);
    assert!(meta.as_array().unwrap().iter().all(|h| {
        h["publication_types"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "Meta-Analysis")
    }));
    assert!(pmids(&meta).contains(&22430658));
    let mesh = pmids(&env.json(&[
        "find",
        "ozone",
        "--mesh",
        "Low Back Pain",
        "--format",
        "json",
        "--limit",
        "100",
    ]));
    assert!(mesh.contains(&22430658));
    let by_ui = pmids(&env.json(&[
        "find", "ozone", "--mesh", "D017116", "--format", "json", "--limit", "100",
    ]));
    assert_eq!(mesh, by_ui);
    let csv = env.ok(&["find", "ozone", "--format", "csv", "--limit", "3"]);
    assert!(csv.starts_with("pmid,year,journal,first_author,title"));
    assert_eq!(csv.lines().count(), 4);
    let out = env.run(&["find", "x", "--year", "20x0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stats_count_the_catalogue() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml", "season.xml"]);
    let s = env.json(&["stats", "--format", "json"]);
    assert_eq!(s["records"], 14);
    assert_eq!(s["tombstones"], 0);
    assert_eq!(s["schema_version"], 19);
    let by_year: u64 = s["by_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["records"].as_u64().unwrap())
        .sum();
    assert_eq!(by_year, 14);
    assert!(
        s["by_publication_type"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["type"] == "Meta-Analysis")
    );
}
