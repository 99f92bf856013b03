//! The facts of each study (issue 12, items 2 and 3), on `fixtures/facts/records.xml`: stored at
//! import and on a schema upgrade, shown by `show` (text and JSON, with evidence whose offsets
//! point into the abstract), used by `find --min-participants/--max-participants/--min-follow-up`
//! (and the same options of `export` and `report`), exported as CSV/JSONL columns, shown in the
//! report's N column with an intervention study's sessions, weighted in `summary --weight
//! participants`, and cited by `claim suggest`.
//!
//! The records (fictional, abstracts written for this file):
//! - 99003001 RCT, ozone: 120 participants, 3 sessions, 20 µg/mL, 10 mL, 12 months follow-up
//! - 99003002 ozone, sixty patients, 3 to 10 sessions, 15 µg/mL, 10 mL, 6 months follow-up
//! - 99003003 meta-analysis, ozone: 14 studies, 1,850 participants
//! - 99003004 cohort, surgery: forty-two patients, 2 years follow-up
//! - 99003005 ozone, no abstract: no facts, no design

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use support::TestEnv;

fn env() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_var("EVCAT_REVIEWER", "Dr Test");
    env.import(&["facts/records.xml"]);
    env
}

fn facts_of(env: &TestEnv, pmid: &str) -> Vec<Value> {
    let v = env.json(&["show", pmid, "--format", "json"]);
    v["facts"]
        .as_array()
        .unwrap_or_else(|| panic!("show {pmid}: no facts array in {v:#}"))
        .clone()
}

fn fact<'a>(facts: &'a [Value], kind: &str) -> &'a Value {
    facts
        .iter()
        .find(|f| f["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} fact in {facts:#?}"))
}

fn pmids_found(env: &TestEnv, args: &[&str]) -> BTreeSet<u64> {
    let mut cmd = vec!["find", "--format", "json", "--limit", "100"];
    cmd.extend_from_slice(args);
    env.json(&cmd)
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["pmid"].as_u64().unwrap())
        .collect()
}

#[test]
fn show_gives_each_fact_with_evidence_and_says_when_no_design_is_stated() {
    let env = env();
    let v = env.json(&["show", "99003001", "--format", "json"]);
    let facts = v["facts"].as_array().unwrap();
    let abstract_text: Vec<char> = v["abstract"]["text"].as_str().unwrap().chars().collect();
    for f in facts {
        let keys: BTreeSet<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "kind", "value", "min", "max", "unit", "text", "source", "start", "end"
            ]),
            "{f}"
        );
        // The offsets point at the evidence in its field (character offsets, as tags').
        if f["source"] == "abstract" {
            let (start, end) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            let at: String = abstract_text[start..end].iter().collect();
            assert_eq!(at, f["text"].as_str().unwrap(), "{f}");
        }
    }
    let participants = fact(facts, "participants");
    assert_eq!(participants["value"], 120.0);
    assert_eq!(participants["unit"], "participants");
    assert_eq!(participants["source"], "abstract");
    let follow_up = fact(facts, "follow_up");
    assert_eq!(
        (&follow_up["value"], &follow_up["unit"]),
        (&12.0.into(), &"month".into())
    );
    assert_eq!(fact(facts, "sessions")["value"], 3.0);
    assert_eq!(fact(facts, "concentration")["value"], 20.0);
    assert_eq!(fact(facts, "concentration")["unit"], "ug/mL");
    assert_eq!(fact(facts, "volume")["value"], 10.0);

    let range = facts_of(&env, "99003002");
    let sessions = fact(&range, "sessions");
    assert_eq!(
        (&sessions["min"], &sessions["max"]),
        (&3.0.into(), &10.0.into())
    );

    let text = env.ok(&["show", "99003001"]);
    assert!(
        text.contains("\nFacts:\n  participants: 120 (abstract: \"")
            && text.contains("  follow-up: 12 months (abstract: \"")
            && text.contains("  sessions: 3 (abstract: \"")
            && text.contains("  concentration: 20 ug/mL (abstract: \"")
            && text.contains("  volume: 10 mL (abstract: \""),
        "{text}"
    );
    assert!(!text.contains("design: not stated"), "{text}");
    assert!(
        env.ok(&["show", "99003002"])
            .contains("  sessions: 3-10 (abstract: \"")
    );

    // No abstract: no facts, no design.
    assert_eq!(facts_of(&env, "99003005"), Vec::<Value>::new());
    let bare = env.ok(&["show", "99003005"]);
    assert!(bare.contains("\nTags:\n  design: not stated\n"), "{bare}");
    assert!(!bare.contains("Facts:"), "{bare}");
}

#[test]
fn find_filters_by_participants_and_follow_up() {
    let env = env();
    assert_eq!(
        pmids_found(&env, &["--min-participants", "100"]),
        BTreeSet::from([99003001, 99003003])
    );
    assert_eq!(
        pmids_found(&env, &["--max-participants", "60"]),
        BTreeSet::from([99003002, 99003004])
    );
    assert_eq!(
        pmids_found(
            &env,
            &["--min-participants", "50", "--max-participants", "120"]
        ),
        BTreeSet::from([99003001, 99003002])
    );
    // Records without a follow-up (99003003, 99003005) never match.
    for (duration, expected) in [
        ("6mo", vec![99003001, 99003002, 99003004]),
        ("6m", vec![99003001, 99003002, 99003004]),
        ("26w", vec![99003001, 99003002, 99003004]),
        ("7 months", vec![99003001, 99003004]),
        ("1y", vec![99003001, 99003004]),
        ("400d", vec![99003004]),
        ("3 years", vec![]),
    ] {
        assert_eq!(
            pmids_found(&env, &["--min-follow-up", duration]),
            expected.into_iter().collect::<BTreeSet<u64>>(),
            "--min-follow-up {duration}"
        );
    }
    // With a query and a tag filter too.
    assert_eq!(
        pmids_found(
            &env,
            &["ozone", "--intervention", "ozone", "--min-follow-up", "1y"]
        ),
        BTreeSet::from([99003001])
    );
}

#[test]
fn bad_fact_filters_exit_2_naming_the_option_and_the_accepted_forms() {
    let env = env();
    for (args, needle) in [
        (
            &["--min-follow-up", "six months"][..],
            "--min-follow-up \"six months\"",
        ),
        (&["--min-follow-up", "6"][..], "90d"),
        (&["--min-follow-up", "6 fortnights"][..], "6mo"),
        (
            &["--min-participants", "many"][..],
            "--min-participants \"many\"",
        ),
        (&["--max-participants=-5"][..], "--max-participants \"-5\""),
        (
            &["--min-participants", "100", "--max-participants", "10"][..],
            "no record can match",
        ),
    ] {
        for command in ["find", "export"] {
            let mut cmd = vec![command];
            if command == "export" {
                cmd.extend_from_slice(&["--format", "csv"]);
            }
            cmd.extend_from_slice(args);
            let out = env.run(&cmd);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{cmd:?}: {stderr}");
            assert!(stderr.contains(needle), "{cmd:?}: {stderr}");
            assert!(out.stdout.is_empty(), "{cmd:?}");
        }
    }
}

#[test]
fn export_adds_the_fact_columns_at_the_end() {
    let env = env();
    let csv = env.ok(&["export", "--format", "csv", "--intervention", "ozone"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "pmid");
    assert_eq!(header[29], "tags_other", "old columns keep their place");
    assert_eq!(
        header[30..],
        [
            "participants",
            "studies",
            "follow_up_days",
            "sessions",
            "concentration_ug_ml",
            "volume_ml"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let row = |pmid: &str| {
        rows.iter()
            .find(|r| r[0] == pmid)
            .unwrap_or_else(|| panic!("{pmid} not exported: {csv}"))[30..]
            .to_vec()
    };
    assert_eq!(row("99003001"), ["120", "", "365", "3", "20", "10"]);
    assert_eq!(row("99003002"), ["60", "", "183", "3-10", "15", "10"]);
    assert_eq!(row("99003003"), ["1850", "14", "", "", "", ""]);
    assert_eq!(row("99003005"), ["", "", "", "", "", ""]);

    // The same filters as find.
    let jsonl = env.ok(&["export", "--format", "jsonl", "--min-participants", "100"]);
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let pmids: BTreeSet<u64> = lines.iter().map(|l| l["pmid"].as_u64().unwrap()).collect();
    assert_eq!(pmids, BTreeSet::from([99003001, 99003003]));
    let rct = lines.iter().find(|l| l["pmid"] == 99003001).unwrap();
    assert_eq!(rct["participants"], 120);
    assert_eq!(rct["follow_up_days"], 365);
    assert_eq!(rct["sessions"], "3");
    assert_eq!(rct["concentration_ug_ml"], "20");
    assert_eq!(rct["volume_ml"], "10");
    assert_eq!(rct["studies"], Value::Null);
}

#[test]
fn report_shows_participants_and_an_intervention_study_s_sessions() {
    let env = env();
    let dir = env.dir.path().join("report");
    env.ok(&[
        "report",
        "--intervention",
        "ozone",
        "-o",
        dir.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(Path::new(&dir).join("report.md")).unwrap();
    let html = std::fs::read_to_string(Path::new(&dir).join("report.html")).unwrap();
    assert!(
        md.contains("| PMID | design | level | N | outcomes |"),
        "{md}"
    );
    let line = |pmid: &str| {
        md.lines()
            .find(|l| l.starts_with(&format!("| {pmid} ")))
            .unwrap_or_else(|| panic!("{pmid} not in {md}"))
            .to_string()
    };
    let rct = line("99003001");
    assert!(rct.contains(" | 120 | "), "{rct}");
    assert!(rct.contains("(3 sessions, 20 ug/mL, 10 mL)"), "{rct}");
    assert!(line("99003002").contains("(3-10 sessions, 15 ug/mL, 10 mL)"));
    assert!(line("99003003").contains(" | 1850 | "));
    assert!(html.contains("<th class=\"num\">N</th>"), "{html}");
    assert!(html.contains("<td data-label=\"N\" class=\"num\">120</td>"));
    assert!(html.contains("<div class=\"row-detail\">3-10 sessions, 15 ug/mL, 10 mL</div>"));
    // No participant count: an empty cell a phone's card leaves out.
    assert!(html.contains("<td data-label=\"N\" class=\"num empty\"></td>"));
    // Report takes the same filters.
    let narrow = env.dir.path().join("narrow");
    env.ok(&[
        "report",
        "--min-participants",
        "1000",
        "-o",
        narrow.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(narrow.join("report.md")).unwrap();
    assert!(md.contains("| 99003003 "), "{md}");
    assert!(!md.contains("| 99003001 "), "{md}");
}

#[test]
fn summary_weighted_by_participants_counts_the_records_without_a_count() {
    let env = env();
    let plain = env.json(&["summary", "--format", "json"]);
    assert!(
        plain[0].get("participants").is_none(),
        "default stays records"
    );
    let v = env.json(&["summary", "--format", "json", "--weight", "participants"]);
    let m = &v[0];
    let p = &m["participants"];
    assert_eq!(m["records"], 5);
    assert_eq!(p["total"], 120 + 60 + 1850 + 42);
    assert_eq!(p["records_without_participants"], 1);
    let rows: Vec<&str> = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let cols: Vec<&str> = m["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let (r, c) = (
        rows.iter().position(|x| *x == "herniated-disc").unwrap(),
        cols.iter().position(|x| *x == "pain").unwrap(),
    );
    // herniated-disc and pain: 99003001 (120) and 99003004 (42), records 2.
    assert_eq!(m["cells"][r][c], 2, "{m:#}");
    assert_eq!(p["cells"][r][c], 162, "{m:#}");

    let text = env.ok(&["summary", "--weight", "participants"]);
    assert!(
        text.contains("participants (2072 participants; 1 record without a participant count)"),
        "{text}"
    );
    let csv = env.ok(&["summary", "--weight", "participants", "--format", "csv"]);
    assert!(csv.starts_with("weight,design,condition,"), "{csv}");
    assert!(csv.contains("\nparticipants,all,total,"), "{csv}");
    let out = env.run(&["summary", "--weight", "people"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn claim_suggest_cites_the_facts() {
    let env = env();
    env.ok(&[
        "claim",
        "add",
        "--id",
        "oz",
        "--text",
        "Intradiscal ozone injection relieves lumbar disc herniation pain",
    ]);
    let candidates = env.json(&["claim", "suggest", "oz", "--format", "json"]);
    let rct = candidates
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pmid"] == 99003001)
        .unwrap_or_else(|| panic!("{candidates:#}"));
    let reasons: Vec<&str> = rct["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons
            .contains(&"design: rct (level 5), 120 participants, 12 months follow-up, 3 sessions"),
        "{reasons:?}"
    );
    let text = env.ok(&["claim", "suggest", "oz"]);
    assert!(
        text.contains("120 participants, 12 months follow-up"),
        "{text}"
    );
}

#[test]
fn facts_are_replaced_on_retag_and_read_for_every_record_on_upgrade() {
    let env = env();
    let count = || -> i64 {
        rusqlite::Connection::open(&env.db)
            .unwrap()
            .query_row("SELECT count(*) FROM facts", [], |r| r.get(0))
            .unwrap()
    };
    let before = count();
    assert!(before >= 12, "{before} facts stored at import");
    // Retagging replaces them (same rules: same facts).
    env.ok(&["tag"]);
    assert_eq!(count(), before);
    let shown = facts_of(&env, "99003001");

    // A catalogue made before facts existed (schema 5): the upgrade reads them, and keeps user
    // data (a manual tag here).
    env.ok(&[
        "tag",
        "add",
        "99003005",
        "design",
        "narrative-review",
        "--note",
        "mine",
    ]);
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        // Schema 5 had neither the facts nor what migrations 7 to 19 added (its MeSH headings
        // named their descriptors).
        let triggers: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'counts_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for trigger in triggers {
            conn.execute_batch(&format!("DROP TRIGGER {trigger}"))
                .unwrap();
        }
        conn.execute_batch(
            "DROP TABLE facts; DROP INDEX articles_search; DROP INDEX articles_journals; ALTER TABLE claim_links DROP COLUMN suggested;
             ALTER TABLE claims DROP COLUMN risk_of_bias; ALTER TABLE claims DROP COLUMN kind;
             DROP TABLE applied_files; DROP TABLE record_counts; DROP TABLE catalogue_counts;
             DROP TABLE profile_counts; DROP TABLE counts_dirty; DROP INDEX articles_newest;
             DROP TABLE xml_dictionaries; DROP TABLE fts_lengths;
             CREATE TABLE headings_by_name (pmid INTEGER NOT NULL, position INTEGER NOT NULL,
                 descriptor TEXT NOT NULL, ui TEXT, major INTEGER NOT NULL, descriptor_type TEXT,
                 PRIMARY KEY (pmid, position)) WITHOUT ROWID;
             INSERT INTO headings_by_name SELECT h.pmid, h.position, d.descriptor, d.ui, h.major,
                 d.descriptor_type FROM mesh_headings h JOIN mesh_descriptors d ON d.id = h.descriptor;
             DROP TABLE mesh_headings; DROP TABLE mesh_descriptors;
             ALTER TABLE headings_by_name RENAME TO mesh_headings;
             UPDATE articles SET source = (SELECT s.source FROM record_sources s WHERE s.id = source_id)
              WHERE source_id IS NOT NULL;
             ALTER TABLE articles DROP COLUMN source_id; DROP TABLE record_sources;
             PRAGMA user_version = 5;",
        )
        .unwrap();
    }
    assert_eq!(facts_of(&env, "99003001"), shown);
    assert_eq!(count(), before);
    let tags = env.json(&["show", "99003005", "--format", "json"])["tags"].to_string();
    assert!(
        tags.contains("narrative-review") && tags.contains("mine"),
        "{tags}"
    );
}
