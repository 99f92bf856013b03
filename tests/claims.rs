//! Tests of claims: suggestion ranking, links and verdicts, kinds, warnings (retraction,
//! deletion), staleness, bad input, data safety across re-import and re-tagging, backup, end to
//! end; and, through the library with a fake clock, what depends on the order of timestamps (a
//! revision or a new record after the verdict).
//!
//! Timestamps have second precision. The end-to-end tests never wait for the clock to tick: where
//! they need a verdict older than an import, they move the catalogue's times into the past.

mod support;

use evcat::claims::assess::assess;
use evcat::claims::record::{self, NewClaim};
use evcat::pubmed::{PubmedItem, PubmedReader};
use evcat::store::import::{ImportCounts, apply_article, prepare_article};
use evcat::store::{FakeClock, Store};
use evcat::tagging::{Matcher, Taxonomy};
use serde_json::Value;
use support::{TestEnv, all_fixtures, fixture};

const PAIN_PHYSICIAN_CLAIM: &str = "A study published in Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs";

fn env_with_fixtures() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_var("EVCAT_REVIEWER", "Dr Test");
    env.import(&all_fixtures());
    env
}

/// The claim tables, row by row: equal dumps mean nothing changed.
fn claim_dump(env: &TestEnv) -> String {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut out = String::new();
    for table in ["claims", "claim_tags", "claim_links", "claim_log"] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            out.push_str(&format!("{table}|{}\n", cells.join("|")));
        }
    }
    out
}

fn show(env: &TestEnv, id: &str) -> Value {
    env.json(&["claim", "show", id, "--format", "json"])
}

/// Moves the catalogue's records (first seen 2000-01-01) and a claim's verdict (2000-01-02)
/// into the past, so that whatever the test imports next is newer than the verdict, and nothing
/// imported before it is (instead of waiting for the second-precision clock to tick).
fn move_verdict_into_the_past(env: &TestEnv, id: &str) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "UPDATE articles SET first_seen = '2000-01-01T00:00:00Z'",
        [],
    )
    .unwrap();
    let n = conn
        .execute(
            "UPDATE claims SET verdict_at = '2000-01-02T00:00:00Z' WHERE id = ?1 AND verdict_at IS NOT NULL",
            [id],
        )
        .unwrap();
    assert_eq!(n, 1, "claim {id} has a verdict");
}

#[test]
fn the_pain_physician_review_ranks_first() {
    let env = env_with_fixtures();
    let added = env.json(&[
        "claim",
        "add",
        "--id",
        "pp-ozone",
        "--text",
        PAIN_PHYSICIAN_CLAIM,
        "--format",
        "json",
    ]);
    let tags: Vec<String> = added["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{}/{}",
                t["dimension"].as_str().unwrap(),
                t["tag"].as_str().unwrap()
            )
        })
        .collect();
    for t in [
        "condition/herniated-disc",
        "outcome/pain",
        "outcome/function-disability",
        "intervention/ozone",
    ] {
        assert!(tags.contains(&t.to_string()), "inferred tags {tags:?}");
    }
    let candidates = env.json(&["claim", "suggest", "pp-ozone", "--format", "json"]);
    let first = &candidates[0];
    assert_eq!(first["pmid"], 22430658, "{candidates:#}");
    assert!(first["score"].as_f64().unwrap() > candidates[1]["score"].as_f64().unwrap());
    let reasons: Vec<&str> = first["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("journal named in the claim")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("shared tags")),
        "{reasons:?}"
    );
    assert!(
        first["citation"]
            .as_str()
            .unwrap()
            .contains("Pain Physician. 2012 Mar;15(2):E115-29")
    );
    // Without the journal, the design named in the claim still points at the review.
    env.ok(&[
        "claim",
        "add",
        "--id",
        "sr",
        "--text",
        "A systematic review concluded that ozone injections relieve pain from disc herniation",
    ]);
    let c = env.json(&["claim", "suggest", "sr", "--format", "json"]);
    let top: Vec<u64> = c
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|x| x["pmid"].as_u64().unwrap())
        .collect();
    assert!(top.contains(&22430658), "{c:#}");
}

#[test]
fn links_and_verdicts_show_in_show_list_and_log() {
    let env = env_with_fixtures();
    env.ok(&[
        "claim",
        "add",
        "--id",
        "pp",
        "--text",
        PAIN_PHYSICIAN_CLAIM,
        "--source",
        "https://example.org/ozone",
    ]);
    env.ok(&[
        "claim",
        "link",
        "pp",
        "22430658",
        "--stance",
        "supports",
        "--note",
        "meta-analysis of RCTs",
    ]);
    env.ok(&["claim", "link", "pp", "19478653", "--stance", "mixed"]);
    env.ok(&[
        "claim", "link", "pp", "19478653", "--stance", "supports", "--note", "re-read",
    ]);
    env.ok(&["claim", "link", "pp", "9171065", "--stance", "refutes"]);
    env.ok(&["claim", "unlink", "pp", "9171065"]);
    env.ok(&[
        "claim",
        "review",
        "pp",
        "--verdict",
        "partly-supported",
        "--note",
        "pain: yes; function: weaker",
    ]);
    let v = show(&env, "pp");
    assert_eq!(v["claim"]["verdict"], "partly-supported");
    assert_eq!(v["claim"]["verdict_by"], "Dr Test");
    assert_eq!(v["assessment"]["by_stance"]["supports"], 2);
    assert!(v["assessment"]["by_stance"].get("refutes").is_none());
    assert_eq!(
        v["assessment"]["strongest_supporting"]["design"],
        "meta-analysis"
    );
    assert_eq!(v["assessment"]["strongest_supporting"]["pmid"], 22430658);
    let text = env.ok(&["claim", "show", "pp"]);
    assert!(
        text.contains("Verdict: partly-supported by Dr Test")
            && text.contains("Strongest supporting: meta-analysis"),
        "{text}"
    );
    let md = env.ok(&["claim", "show", "pp", "--format", "markdown"]);
    assert!(
        md.contains("| supports | 22430658 | meta-analysis | 2012 |"),
        "{md}"
    );
    let list = env.ok(&["claim", "list"]);
    assert!(
        list.contains("partly-supported") && list.contains("2 supports"),
        "{list}"
    );
    let log = env.json(&["claim", "log", "pp", "--format", "json"]);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["add", "link", "link", "link", "link", "unlink", "review"]
    );
    assert_eq!(
        log[3]["before"]["stance"], "mixed",
        "the re-link records what it replaced"
    );
    assert_eq!(log[3]["after"]["stance"], "supports");
    assert_eq!(log[6]["before"]["verdict"], Value::Null);
    assert_eq!(log[6]["after"]["verdict"], "partly-supported");
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|e| e["reviewer"] == "Dr Test" && e["at"].as_str().unwrap().ends_with('Z'))
    );
    // Edit and remove are logged too; a removed claim is kept.
    env.ok(&["claim", "edit", "pp", "--outcome", "pain"]);
    env.ok(&["claim", "remove", "pp"]);
    assert!(env.ok(&["claim", "list"]).trim().is_empty());
    assert!(
        env.ok(&["claim", "list", "--removed"])
            .contains("(removed)")
    );
    let log = env.json(&["claim", "log", "pp", "--format", "json"]);
    assert_eq!(log.as_array().unwrap().len(), 9);
    let out = env.run(&["claim", "link", "pp", "22430658", "--stance", "supports"]);
    assert_eq!(out.status.code(), Some(2), "a removed claim cannot change");
}

/// A record in PubMed XML with a given DateRevised and optional retraction.
fn revised_record(pmid: u64, revised: &str, retracted: bool) -> String {
    let (y, m, d) = (&revised[0..4], &revised[5..7], &revised[8..10]);
    let pt = if retracted {
        "<PublicationType UI=\"D016441\">Retracted Publication</PublicationType>"
    } else {
        ""
    };
    let cc = if retracted {
        "<CommentsCorrectionsList><CommentsCorrections RefType=\"RetractionIn\"><RefSource>Test J. 2026;1:1</RefSource><PMID Version=\"1\">97000099</PMID></CommentsCorrections></CommentsCorrectionsList>"
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
         <DateRevised><Year>{y}</Year><Month>{m}</Month><Day>{d}</Day></DateRevised>\
         <Article PubModel=\"Print\"><Journal><JournalIssue CitedMedium=\"Print\"><PubDate><Year>2021</Year></PubDate></JournalIssue><Title>Test journal</Title></Journal>\
         <ArticleTitle>Intradiscal ozone for lumbar disc herniation with sciatica: a randomized trial</ArticleTitle>\
         <Abstract><AbstractText>Ozone reduced leg pain (VAS) in sciatica.</AbstractText></Abstract><Language>eng</Language>\
         <PublicationTypeList><PublicationType UI=\"D016428\">Journal Article</PublicationType>{pt}</PublicationTypeList></Article>{cc}</MedlineCitation>\
         <PubmedData><PublicationStatus>ppublish</PublicationStatus></PubmedData></PubmedArticle></PubmedArticleSet>\n"
    )
}

#[test]
fn a_retraction_arriving_by_import_warns_every_citing_claim() {
    let env = env_with_fixtures();
    let file = env.dir.path().join("v1.xml");
    std::fs::write(&file, revised_record(97000001, "2022-01-10", false)).unwrap();
    env.import_path(file.to_str().unwrap());
    for id in ["one", "two"] {
        env.ok(&[
            "claim",
            "add",
            "--id",
            id,
            "--text",
            "Ozone injections relieve sciatica",
        ]);
        env.ok(&["claim", "link", id, "97000001", "--stance", "supports"]);
        env.ok(&[
            "claim",
            "review",
            id,
            "--verdict",
            "supported",
            "--note",
            "one RCT",
        ]);
        assert!(
            show(&env, id)["assessment"]["warnings"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
    for id in ["one", "two"] {
        move_verdict_into_the_past(&env, id);
    }
    let before = claim_dump(&env);
    let file2 = env.dir.path().join("v2.xml");
    std::fs::write(&file2, revised_record(97000001, "2026-02-01", true)).unwrap();
    let r = env.import_path(file2.to_str().unwrap());
    assert_eq!(r["totals"]["updated"], 1);
    assert_eq!(claim_dump(&env), before, "the import changed no claim data");
    for id in ["one", "two"] {
        let warnings = show(&env, id)["assessment"]["warnings"].clone();
        let all = warnings.to_string();
        assert!(all.contains("PMID 97000001 is RETRACTED"), "{id}: {all}");
        assert!(
            all.contains("revised on") && all.contains("after the verdict"),
            "{id}: {all}"
        );
        let list = env.ok(&["claim", "list"]);
        assert!(
            list.lines()
                .any(|l| l.starts_with(id) && !l.contains("   0  ")),
            "{list}"
        );
    }
}

#[test]
fn new_matching_records_make_a_claim_stale_and_reviewing_clears_it() {
    let env = env_with_fixtures();
    env.ok(&[
        "claim",
        "add",
        "--id",
        "sciatica-ozone",
        "--text",
        "Ozone relieves sciatica",
        "--condition",
        "sciatica",
        "--intervention",
        "ozone",
    ]);
    env.ok(&[
        "claim",
        "review",
        "sciatica-ozone",
        "--verdict",
        "insufficient-evidence",
        "--note",
        "too few trials",
    ]);
    assert!(env.ok(&["claim", "list", "--stale"]).trim().is_empty());
    move_verdict_into_the_past(&env, "sciatica-ozone");
    let file = env.dir.path().join("new.xml");
    std::fs::write(&file, revised_record(97000002, "2026-03-01", false)).unwrap();
    env.import_path(file.to_str().unwrap());
    let stale = env.ok(&["claim", "list", "--stale"]);
    assert!(
        stale.contains("sciatica-ozone") && stale.contains("1 new since"),
        "{stale}"
    );
    let v = show(&env, "sciatica-ozone");
    assert_eq!(v["assessment"]["stale"]["new_records"], 1);
    assert_eq!(v["assessment"]["stale"]["pmids"][0], 97000002);
    assert!(
        env.ok(&["claim", "show", "sciatica-ozone"])
            .contains("STALE: 1 new record(s) since the verdict of 2000-01-02")
    );
    // A new verdict is never older than the records already imported.
    env.ok(&[
        "claim",
        "review",
        "sciatica-ozone",
        "--verdict",
        "partly-supported",
        "--note",
        "new RCT",
    ]);
    assert!(env.ok(&["claim", "list", "--stale"]).trim().is_empty());
}

#[test]
fn a_tombstoned_record_stays_linked_and_flagged() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    env.ok(&[
        "claim",
        "add",
        "--id",
        "ma",
        "--text",
        "Ozone is effective for herniated discs",
    ]);
    env.ok(&[
        "claim",
        "link",
        "ma",
        "20188591",
        "--stance",
        "supports",
        "--reviewer",
        "R",
    ]);
    env.import(&["delete-citation.xml"]);
    let v = show(&env, "ma");
    assert_eq!(v["claim"]["links"][0]["pmid"], 20188591);
    assert!(
        v["assessment"]["warnings"]
            .to_string()
            .contains("PMID 20188591 was DELETED from PubMed")
    );
    let s = env.json(&[
        "claim", "suggest", "ma", "--format", "json", "--limit", "20",
    ]);
    let steppan = s
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pmid"] == 20188591)
        .unwrap();
    assert!(
        steppan["reasons"]
            .to_string()
            .contains("deleted from PubMed")
    );
}

#[test]
fn a_claims_kind_is_added_shown_edited_and_logged() {
    let env = env_with_fixtures();
    let protocol = "Ozone is given in three weekly sessions";
    let added = env.ok(&[
        "claim", "add", "--id", "sessions", "--text", protocol, "--kind", "protocol",
    ]);
    assert!(added.contains("\nkind: protocol\n"), "{added}");
    let shown = show(&env, "sessions");
    assert_eq!(shown["claim"]["kind"], "protocol", "{shown:#}");
    let listed = env.json(&["claim", "list", "--format", "json"]);
    assert_eq!(listed[0]["claim"]["kind"], "protocol", "{listed:#}");
    let text = env.ok(&["claim", "show", "sessions"]);
    assert!(text.contains("\nKind: protocol\n"), "{text}");
    let markdown = env.ok(&["claim", "show", "sessions", "--format", "markdown"]);
    assert!(markdown.contains("\n- **Kind:** protocol\n"), "{markdown}");

    // An edit that names no kind keeps it; one that does changes it.
    env.ok(&[
        "claim",
        "edit",
        "sessions",
        "--text",
        "Ozone is given in four sessions",
    ]);
    assert_eq!(show(&env, "sessions")["claim"]["kind"], "protocol");
    let edited = env.ok(&["claim", "edit", "sessions", "--kind", "course"]);
    assert!(
        edited.starts_with("edited claim sessions; kind: course; tags: "),
        "{edited}"
    );
    assert_eq!(show(&env, "sessions")["claim"]["kind"], "course");

    // The log records the kind of the add and of each edit.
    let log = env.json(&["claim", "log", "sessions", "--format", "json"]);
    let kinds: Vec<(&str, &Value, &Value)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                &e["before"]["kind"],
                &e["after"]["kind"],
            )
        })
        .collect();
    let (protocol, course) = (Value::from("protocol"), Value::from("course"));
    assert_eq!(
        kinds,
        [
            ("add", &Value::Null, &protocol),
            ("edit", &protocol, &protocol),
            ("edit", &protocol, &course),
        ]
    );

    // A claim added without a kind has none: null in JSON, no line in text or Markdown.
    env.ok(&[
        "claim",
        "add",
        "--id",
        "plain",
        "--text",
        PAIN_PHYSICIAN_CLAIM,
    ]);
    let plain = show(&env, "plain");
    assert!(plain["claim"].as_object().unwrap().contains_key("kind"));
    assert!(plain["claim"]["kind"].is_null(), "{plain:#}");
    for format in ["text", "markdown"] {
        let out = env.ok(&["claim", "show", "plain", "--format", format]);
        assert!(!out.to_lowercase().contains("kind"), "{format}: {out}");
    }

    // A kind that is not one of the six is refused by the argument parser, naming the argument
    // and every kind, and changes nothing.
    let before = claim_dump(&env);
    for args in [
        vec!["claim", "add", "--text", "Ozone is safe", "--kind", "harm"],
        vec!["claim", "edit", "sessions", "--kind", "Protocol"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--kind"), "{args:?}: {stderr}");
        for kind in [
            "study",
            "benefit",
            "indication",
            "protocol",
            "course",
            "safety",
        ] {
            assert!(stderr.contains(kind), "{args:?}: {stderr}");
        }
    }
    assert_eq!(claim_dump(&env), before);
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let env = env_with_fixtures();
    env.ok(&["claim", "add", "--id", "pp", "--text", PAIN_PHYSICIAN_CLAIM]);
    let before = claim_dump(&env);
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["claim", "show", "nope"],
            5,
            "no claim with id \"nope\"",
        ),
        (
            vec!["claim", "link", "nope", "22430658", "--stance", "supports"],
            5,
            "no claim",
        ),
        (
            vec!["claim", "link", "pp", "123456", "--stance", "supports"],
            5,
            "PMID 123456 is not in the catalogue",
        ),
        (
            vec!["claim", "link", "pp", "22430658", "--stance", "agrees"],
            2,
            "invalid stance \"agrees\"",
        ),
        (
            vec!["claim", "review", "pp", "--verdict", "true", "--note", "x"],
            2,
            "invalid verdict \"true\"",
        ),
        (
            vec![
                "claim",
                "review",
                "pp",
                "--verdict",
                "supported",
                "--note",
                " ",
            ],
            2,
            "needs a note",
        ),
        (
            vec!["claim", "add", "--text", "   "],
            2,
            "the claim text is empty",
        ),
        (
            vec!["claim", "add", "--id", "pp", "--text", "again"],
            2,
            "already exists",
        ),
        (
            vec!["claim", "add", "--id", "Bad Id", "--text", "x"],
            2,
            "invalid claim id",
        ),
        (
            vec!["claim", "add", "--text", "x", "--condition", "backache"],
            2,
            "unknown condition tag \"backache\"",
        ),
        (
            vec!["claim", "unlink", "pp", "22430658"],
            5,
            "is not linked",
        ),
        (
            vec!["claim", "link", "pp", "abc", "--stance", "supports"],
            2,
            "not a PMID",
        ),
    ];
    for (args, code, message) in cases {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(claim_dump(&env), before, "{args:?} changed claim data");
    }
    let mut no_reviewer = TestEnv {
        dir: tempfile::tempdir().unwrap(),
        db: env.db.clone(),
        vars: Vec::new(),
    };
    no_reviewer.set_var("USER", "");
    let out = no_reviewer.run(&[
        "claim",
        "review",
        "pp",
        "--verdict",
        "supported",
        "--note",
        "fine",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a reviewer"));
    assert_eq!(claim_dump(&env), before);
}

#[test]
fn reimport_and_retag_leave_claims_byte_identical() {
    let env = env_with_fixtures();
    env.ok(&["claim", "add", "--id", "pp", "--text", PAIN_PHYSICIAN_CLAIM]);
    env.ok(&[
        "claim", "link", "pp", "22430658", "--stance", "supports", "--note", "MA",
    ]);
    env.ok(&[
        "claim",
        "review",
        "pp",
        "--verdict",
        "supported",
        "--note",
        "ok",
    ]);
    let before = claim_dump(&env);
    env.import(&all_fixtures());
    env.ok(&["tag"]);
    let tax = env.dir.path().join("t.toml");
    std::fs::write(&tax, "version = \"z\"\nextends = \"default\"\n[[tags]]\ndimension = \"condition\"\nid = \"herniated-disc\"\nphrases = [\"disc\"]\n").unwrap();
    env.ok(&["--taxonomy", tax.to_str().unwrap(), "tag"]);
    assert_eq!(claim_dump(&env), before);
}

#[test]
fn backup_writes_a_consistent_copy() {
    let env = env_with_fixtures();
    env.ok(&["claim", "add", "--id", "pp", "--text", PAIN_PHYSICIAN_CLAIM]);
    let target = env.dir.path().join("backup.sqlite");
    let out = env.ok(&["backup", target.to_str().unwrap()]);
    assert!(out.contains("integrity ok"));
    let copy = TestEnv {
        dir: tempfile::tempdir().unwrap(),
        db: target.clone(),
        vars: Vec::new(),
    };
    assert_eq!(
        copy.json(&["claim", "show", "pp", "--format", "json"])["claim"]["text"],
        PAIN_PHYSICIAN_CLAIM
    );
    assert_eq!(
        copy.json(&["stats", "--format", "json"])["records"],
        env.json(&["stats", "--format", "json"])["records"]
    );
    let again = env.run(&["backup", target.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "never overwrites");
    let _ = fixture("season.xml");
}

#[test]
fn audit_finds_the_articles_claims_and_their_evidence() {
    let env = env_with_fixtures();
    let md = fixture("articles/ozone-back-pain.md");
    let found = env.json(&["audit", md.to_str().unwrap(), "--format", "json"]);
    let items = found.as_array().unwrap();
    assert!(items.len() >= 10, "{}", items.len());
    let source = std::fs::read_to_string(&md).unwrap();
    let chars: Vec<char> = source.chars().collect();
    for item in items {
        let (s, e) = (
            item["start"].as_u64().unwrap() as usize,
            item["end"].as_u64().unwrap() as usize,
        );
        let span: String = chars[s..e].iter().collect();
        let first_word = item["sentence"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        assert!(
            span.contains(first_word),
            "offsets point at the sentence: {span:?}"
        );
    }
    let pp = items
        .iter()
        .find(|i| i["sentence"].as_str().unwrap().contains("Pain Physician"))
        .expect("the journal-attributed claim is found");
    assert_eq!(pp["candidates"][0]["pmid"], 22430658);
    assert!(
        pp["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "condition/herniated-disc")
    );
    assert!(pp["covered_by"].is_null());
    assert!(items.iter().any(|i| {
        i["sentence"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("systematic review")
    }));
    // Once reviewed, the claim covers the sentence.
    env.ok(&["claim", "add", "--id", "pp", "--text", PAIN_PHYSICIAN_CLAIM]);
    env.ok(&[
        "claim",
        "review",
        "pp",
        "--verdict",
        "partly-supported",
        "--note",
        "see MA",
    ]);
    let html = fixture("articles/ozone-back-pain.html");
    let again = env.json(&["audit", html.to_str().unwrap(), "--format", "json"]);
    let pp = again
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["sentence"].as_str().unwrap().contains("Pain Physician"))
        .unwrap();
    assert_eq!(pp["covered_by"]["claim"], "pp");
    assert_eq!(pp["covered_by"]["verdict"], "partly-supported");
    // --save records the uncovered claims, once.
    let text = std::fs::read_to_string(&md).unwrap();
    let out = env
        .cmd(&[
            "audit",
            "-",
            "--save",
            "--source",
            "https://example.org/article",
        ])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert!(out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.starts_with("# Evidence claims in -"), "{report}");
    let claims = env.json(&["claim", "list", "--format", "json"]);
    let saved = claims
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["claim"]["source"] == "https://example.org/article")
        .count();
    assert_eq!(saved, items.len() - 1, "all but the covered one");
    env.cmd(&["audit", "-", "--save"])
        .write_stdin(text)
        .output()
        .unwrap();
    let after = env.json(&["claim", "list", "--format", "json"]);
    assert_eq!(
        after.as_array().unwrap().len(),
        claims.as_array().unwrap().len(),
        "saving twice adds nothing"
    );
    let missing = env.run(&["audit", "/nonexistent/article.md"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/article.md"));
}

// Through the library, with a fake clock: the order of timestamps without sleeping.

/// 2026-03-01T09:00:00Z.
const T0: time::OffsetDateTime = time::macros::datetime!(2026-03-01 09:00 UTC);

/// An in-memory catalogue on a fake clock standing at [`T0`].
fn library_catalogue() -> (Store, FakeClock, Matcher) {
    let clock = FakeClock::starting_at(T0);
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(clock.clock());
    (store, clock, Matcher::new(Taxonomy::builtin()))
}

/// Imports a document in one transaction at the store clock's current time (what `import`
/// does, with the time taken from the clock the test controls).
fn import_now(store: &mut Store, matcher: &Matcher, xml: &str) -> ImportCounts {
    let now = store.clock().now_rfc3339();
    let mut reader = PubmedReader::new(xml.as_bytes());
    let tx = store.write_transaction().unwrap();
    let mut counts = ImportCounts::default();
    while let Some(item) = reader.next_item().unwrap() {
        if let PubmedItem::Article(a) = item {
            apply_article(
                &tx,
                &prepare_article(a, Some(matcher), None),
                &now,
                "test",
                &mut counts,
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
    counts
}

/// Adds a claim citing PMID 97000001 (imported at `T0`) with a verdict given at the clock's time.
fn reviewed_claim_citing_a_record(store: &mut Store, matcher: &Matcher) {
    import_now(
        store,
        matcher,
        &revised_record(97000001, "2022-01-10", false),
    );
    let new = NewClaim {
        id: Some("one".into()),
        text: "Ozone injections relieve sciatica".into(),
        ..NewClaim::default()
    };
    record::add_claim(store, matcher, &new, Some("R")).unwrap();
    record::link(store, "one", 97000001, "supports", None, Some("R")).unwrap();
    record::review(store, "one", "supported", "one RCT", Some("R"), None).unwrap();
}

#[test]
fn claim_times_come_from_the_store_clock() {
    let (mut store, clock, matcher) = library_catalogue();
    reviewed_claim_citing_a_record(&mut store, &matcher);
    clock.advance(60);
    record::unlink(&mut store, "one", 97000001, Some("R")).unwrap();
    clock.advance(3600);
    record::remove_claim(&mut store, "one", Some("R")).unwrap();
    let c = record::require(&store, "one").unwrap();
    assert_eq!(c.created_at, "2026-03-01T09:00:00Z");
    assert_eq!(c.verdict_at.as_deref(), Some("2026-03-01T09:00:00Z"));
    assert_eq!(c.removed_at.as_deref(), Some("2026-03-01T10:01:00Z"));
    assert_eq!(c.updated_at, "2026-03-01T10:01:00Z");
    let log: Vec<(String, String)> = record::claim_log(&store, "one")
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.at))
        .collect();
    let at = |a: &str, t: &str| (a.to_string(), t.to_string());
    assert_eq!(
        log,
        [
            at("add", "2026-03-01T09:00:00Z"),
            at("link", "2026-03-01T09:00:00Z"),
            at("review", "2026-03-01T09:00:00Z"),
            at("unlink", "2026-03-01T09:01:00Z"),
            at("remove", "2026-03-01T10:01:00Z"),
        ]
    );
}

#[test]
fn a_retraction_imported_after_the_verdict_warns_that_the_record_was_revised() {
    let (mut store, clock, matcher) = library_catalogue();
    reviewed_claim_citing_a_record(&mut store, &matcher);
    clock.advance(86_400);
    let c = import_now(
        &mut store,
        &matcher,
        &revised_record(97000001, "2026-02-01", true),
    );
    assert_eq!(c.updated, 1);
    let claim = record::require(&store, "one").unwrap();
    let warnings = assess(&store, &claim, Default::default(), None)
        .unwrap()
        .warnings;
    assert_eq!(
        warnings,
        [
            "supports evidence: PMID 97000001 is RETRACTED (retraction: Test J. 2026;1:1, PMID 97000099)",
            "supports evidence: PMID 97000001 was revised on 2026-03-02 after the verdict of 2026-03-01",
        ]
    );
}

#[test]
fn a_revision_in_the_same_second_as_the_verdict_is_not_after_it() {
    let (mut store, _clock, matcher) = library_catalogue();
    reviewed_claim_citing_a_record(&mut store, &matcher);
    import_now(
        &mut store,
        &matcher,
        &revised_record(97000001, "2026-02-01", true),
    );
    let claim = record::require(&store, "one").unwrap();
    let warnings = assess(&store, &claim, Default::default(), None)
        .unwrap()
        .warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("is RETRACTED"), "{warnings:?}");
}

#[test]
fn a_matching_record_imported_after_the_verdict_makes_the_claim_stale_until_reviewed() {
    let (mut store, clock, matcher) = library_catalogue();
    let new = NewClaim {
        id: Some("sciatica-ozone".into()),
        text: "Ozone relieves sciatica".into(),
        tags: vec![
            ("condition".into(), "sciatica".into()),
            ("intervention".into(), "ozone".into()),
        ],
        ..NewClaim::default()
    };
    record::add_claim(&mut store, &matcher, &new, Some("R")).unwrap();
    let stale = |store: &Store| {
        let claim = record::require(store, "sciatica-ozone").unwrap();
        assess(store, &claim, Default::default(), None)
            .unwrap()
            .stale
    };
    record::review(
        &mut store,
        "sciatica-ozone",
        "insufficient-evidence",
        "too few trials",
        Some("R"),
        None,
    )
    .unwrap();
    // Imported in the same second as the verdict: not after it.
    import_now(
        &mut store,
        &matcher,
        &revised_record(97000003, "2026-03-01", false),
    );
    assert!(stale(&store).is_none());
    clock.advance(1);
    import_now(
        &mut store,
        &matcher,
        &revised_record(97000002, "2026-03-01", false),
    );
    let s = stale(&store).expect("a new matching record makes the claim stale");
    assert_eq!((s.new_records, s.since.as_str()), (1, "2026-03-01"));
    assert_eq!(s.pmids, [97000002]);
    clock.advance(1);
    record::review(
        &mut store,
        "sciatica-ozone",
        "partly-supported",
        "new RCT",
        Some("R"),
        None,
    )
    .unwrap();
    assert!(stale(&store).is_none(), "reviewing again clears it");
}

#[test]
fn generated_ids_are_short_meaningful_unique_and_never_cut() {
    let env = env_with_fixtures();
    let long = "A study published in the journal Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs";
    let first = env.json(&["claim", "add", "--text", long, "--format", "json"]);
    assert_eq!(first["id"], "ozone-herniated-disc");
    let again = env.json(&["claim", "add", "--text", long, "--format", "json"]);
    assert_eq!(again["id"], "ozone-herniated-disc-2");
    let safe = env.json(&[
        "claim",
        "add",
        "--text",
        "Ozone injections are safe for sciatica",
        "--format",
        "json",
    ]);
    assert_eq!(safe["id"], "ozone-sciatica-safe");
    // An id chosen by the user keeps whatever length it has, and every id shows whole.
    let chosen = "a-study-published-in-the-journal-pain-physician-found-that";
    env.ok(&["claim", "add", "--id", chosen, "--text", long]);
    let table = env.ok(&["claim", "list"]);
    for id in [
        chosen,
        "ozone-herniated-disc",
        "ozone-herniated-disc-2",
        "ozone-sciatica-safe",
    ] {
        assert!(
            table
                .lines()
                .any(|l| l.split_whitespace().next() == Some(id)),
            "{id} not whole in:\n{table}"
        );
    }
}

/// A claim `ma` with the Steppan meta-analysis (deleted from PubMed by delete-citation.xml) and
/// the Paoloni RCT supporting it.
fn claim_with_deleted_and_live_support() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_var("EVCAT_REVIEWER", "R");
    env.import(&["ozone-back-pain.xml", "retracted.xml"]);
    env.ok(&[
        "claim",
        "add",
        "--id",
        "ma",
        "--text",
        "Ozone is effective for herniated discs",
    ]);
    for pmid in ["20188591", "19478653"] {
        env.ok(&["claim", "link", "ma", pmid, "--stance", "supports"]);
    }
    env.import(&["delete-citation.xml"]);
    env
}

#[test]
fn deleted_and_retracted_records_never_count_as_the_strongest_evidence() {
    let env = claim_with_deleted_and_live_support();
    let v = show(&env, "ma");
    assert_eq!(v["assessment"]["strongest_supporting"]["pmid"], 19478653);
    assert_eq!(v["assessment"]["strongest_supporting"]["design"], "rct");
    let steppan = v["assessment"]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["pmid"] == 20188591)
        .expect("the deleted record stays listed");
    assert_eq!(steppan["withdrawn"], true);
    let text = env.ok(&["claim", "show", "ma"]);
    assert!(
        text.contains(
            "Strongest supporting (not counting 1 deleted or retracted record): rct (level"
        ),
        "{text}"
    );
    assert!(text.contains("PMID 19478653)"), "{text}");
    assert!(!text.contains("meta-analysis (level"), "{text}");
    assert!(
        text.contains("PMID 20188591 was DELETED from PubMed"),
        "{text}"
    );
    assert!(text.contains("PMID 20188591 [meta-analysis]"), "{text}");
    // A side with only a retracted record names none.
    env.ok(&["claim", "link", "ma", "99000101", "--stance", "refutes"]);
    let v = show(&env, "ma");
    assert!(v["assessment"]["strongest_refuting"].is_null());
    let text = env.ok(&["claim", "show", "ma"]);
    assert!(
        text.contains("Strongest refuting: no live evidence with a known design (not counting 1 deleted or retracted record)"),
        "{text}"
    );
    assert!(text.contains("PMID 99000101 is RETRACTED"), "{text}");
}

#[test]
fn linking_a_deleted_or_retracted_record_warns_and_links() {
    let env = claim_with_deleted_and_live_support();
    for (pmid, stance, what) in [
        (
            "20188591",
            "mixed",
            "warning: PMID 20188591 was DELETED from PubMed",
        ),
        ("99000101", "refutes", "warning: PMID 99000101 is RETRACTED"),
    ] {
        let out = env.run(&["claim", "link", "ma", pmid, "--stance", stance]);
        assert_eq!(out.status.code(), Some(0));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(what), "{pmid}: {stderr}");
        assert!(stderr.contains("linked anyway"), "{pmid}: {stderr}");
        assert!(stderr.contains("never count"), "{pmid}: {stderr}");
        let links = show(&env, "ma")["claim"]["links"].clone();
        let link = links
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["pmid"].as_u64().map(|p| p.to_string()).as_deref() == Some(pmid))
            .expect("linked");
        assert_eq!(link["stance"], stance);
    }
    let out = env.run(&["claim", "link", "ma", "19478653", "--stance", "mixed"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "a live record links quietly"
    );
}

#[test]
fn not_found_exits_5_in_claim_and_saved_commands() {
    let env = env_with_fixtures();
    env.ok(&["claim", "add", "--id", "pp", "--text", PAIN_PHYSICIAN_CLAIM]);
    for args in [
        vec!["claim", "link", "pp", "12345", "--stance", "supports"],
        vec!["claim", "link", "nope", "22430658", "--stance", "supports"],
        vec!["claim", "unlink", "pp", "22430658"],
        vec!["claim", "unlink", "nope", "22430658"],
        vec!["claim", "show", "nope"],
        vec!["claim", "edit", "nope", "--text", "x"],
        vec!["claim", "remove", "nope"],
        vec!["claim", "suggest", "nope"],
        vec![
            "claim",
            "review",
            "nope",
            "--verdict",
            "supported",
            "--note",
            "x",
        ],
        vec!["claim", "log", "nope"],
        vec!["saved", "remove", "nosuch"],
    ] {
        let out = env.run(&args);
        assert_eq!(
            out.status.code(),
            Some(5),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn audit_saves_one_claim_per_listed_condition_and_each_finds_its_studies() {
    let env = env_with_fixtures();
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("clinic.md");
    std::fs::write(
        &article,
        "# Ozone injections\n\n## Conditions we treat\n\nOzone injections are mainly used for several painful conditions, including:\n\n- herniated discs\n- sciatica\n- neck pain\n\n## Risks and benefits\n\nTreatment usually takes four to eight visits, a fortnight apart.\n",
    )
    .unwrap();
    let path = article.to_str().unwrap();
    let found = env.json(&["audit", path, "--format", "json"]);
    let items = found.as_array().unwrap();
    // No heading and no lead-in is a claim: three list items and the protocol sentence.
    let claims: Vec<&str> = items.iter().map(|i| i["claim"].as_str().unwrap()).collect();
    assert_eq!(
        claims,
        vec![
            "Ozone injections are mainly used for several painful conditions, including herniated discs",
            "Ozone injections are mainly used for several painful conditions, including sciatica",
            "Ozone injections are mainly used for several painful conditions, including neck pain",
            "Treatment usually takes four to eight visits, a fortnight apart.",
        ]
    );
    assert_eq!(items[1]["kind"], "indication");
    assert_eq!(items[1]["sentence"], "sciatica");
    assert_eq!(items[1]["section"], "Conditions we treat");
    let lead = &items[1]["lead_in"];
    let chars: Vec<char> = std::fs::read_to_string(&article).unwrap().chars().collect();
    let (s, e) = (
        lead["start"].as_u64().unwrap() as usize,
        lead["end"].as_u64().unwrap() as usize,
    );
    assert!(
        chars[s..e]
            .iter()
            .collect::<String>()
            .starts_with("Ozone injections are mainly used")
    );
    assert_eq!(items[3]["kind"], "protocol");
    // Saved: one claim per condition, with its kind and its condition.
    env.ok(&[
        "audit",
        path,
        "--save",
        "--source",
        "https://example.org/clinic",
    ]);
    let listed = env.json(&["claim", "list", "--format", "json"]);
    let saved: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["claim"])
        .filter(|c| c["source"] == "https://example.org/clinic")
        .collect();
    assert_eq!(saved.len(), 4);
    for (condition, fragment) in [
        ("herniated-disc", "herniated discs"),
        ("sciatica", "including sciatica"),
        ("neck-pain", "neck pain"),
    ] {
        let claim = saved
            .iter()
            .find(|c| c["text"].as_str().unwrap().ends_with(fragment))
            .unwrap();
        assert_eq!(claim["kind"], "indication");
        let id = claim["id"].as_str().unwrap();
        let shown = show(&env, id);
        let tags = shown["claim"]["tags"].to_string();
        assert!(tags.contains(condition), "{id}: {tags}");
        assert!(tags.contains("ozone"), "the article's treatment: {tags}");
        let suggested = env.json(&["claim", "suggest", id, "--format", "json"]);
        let top = suggested.as_array().unwrap()[0]["pmid"].as_u64().unwrap();
        let record = env.json(&["show", &top.to_string(), "--format", "json"]);
        assert!(
            record["tags"].to_string().contains(condition),
            "{id}: the top candidate {top} is a study of {condition}"
        );
    }
}

#[test]
fn audit_eval_prints_recall_and_precision_per_kind() {
    let env = TestEnv::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "## Risks\n\nSerious complications are rare.\n\nOzone is used for problems such as sciatica and neck pain.\n",
    )
    .unwrap();
    let labels = dir.path().join("labels.csv");
    std::fs::write(
        &labels,
        "article,quote,item,kind,condition,intervention,outcome,note\na.md,complications are rare,,safety,,,adverse-events,\na.md,problems such as,sciatica,indication,sciatica,ozone,,\na.md,problems such as,neck pain,indication,neck-pain,ozone,,\n",
    )
    .unwrap();
    let out = env.ok(&["audit", "--eval", labels.to_str().unwrap()]);
    let row = |name: &str| -> Vec<String> {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} row: {out}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        row("overall"),
        ["overall", "3", "3", "1.000", "3", "3", "1.000"]
    );
    assert_eq!(
        row("safety"),
        ["safety", "1", "1", "1.000", "1", "1", "1.000"]
    );
    assert_eq!(row("benefit"), ["benefit", "0", "0", "-", "0", "0", "-"]);
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "article,quote,item,kind,condition,intervention,outcome\na.md,x,,cure,,,\n",
    )
    .unwrap();
    let refused = env.run(&["audit", "--eval", bad.to_str().unwrap()]);
    assert_ne!(refused.status.code(), Some(0));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("bad.csv") && err.contains("line 2") && err.contains("cure"),
        "{err}"
    );
}
