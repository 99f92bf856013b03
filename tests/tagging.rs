//! End-to-end tests of tagging: taxonomy files, tagging on import, manual tags and re-tagging,
//! `find` tag filters, `summary`, and measured quality on the labelled set.

mod support;

use serde_json::Value;
use support::{TestEnv, fixture};

/// A minimal PubMed record with the given title, abstract and publication types.
fn record(pmid: u64, title: &str, abstract_text: &str, types: &[&str]) -> String {
    let pts: String = types
        .iter()
        .map(|t| format!("<PublicationType>{t}</PublicationType>"))
        .collect();
    format!(
        "<PubmedArticle><MedlineCitation Status=\"PubMed-not-MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
         <Article PubModel=\"Print\"><Journal><JournalIssue CitedMedium=\"Print\"><PubDate><Year>2020</Year></PubDate></JournalIssue>\
         <Title>Test journal</Title><ISOAbbreviation>Test J</ISOAbbreviation></Journal><ArticleTitle>{title}</ArticleTitle>\
         <Abstract><AbstractText>{abstract_text}</AbstractText></Abstract><Language>eng</Language>\
         <PublicationTypeList>{pts}</PublicationTypeList></Article></MedlineCitation>\
         <PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList><ArticleId IdType=\"pubmed\">{pmid}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"
    )
}

fn write_set(env: &TestEnv, name: &str, records: &[String]) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(
        &path,
        format!(
            "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n{}\n</PubmedArticleSet>\n",
            records.join("\n")
        ),
    )
    .unwrap();
    path.display().to_string()
}

/// Four records with known tags.
fn known_set(env: &TestEnv) -> String {
    write_set(
        env,
        "known.xml",
        &[
            record(
                1,
                "Intradiscal ozone for lumbar disc herniation: a randomized controlled trial",
                "Pain (VAS) and disability (ODI) improved. No adverse events occurred.",
                &["Journal Article", "Randomized Controlled Trial"],
            ),
            record(
                2,
                "Paravertebral oxygen-ozone injections for sciatica",
                "A case series of 40 consecutive patients; pain relief at six months; two patients needed surgery.",
                &["Journal Article"],
            ),
            record(
                3,
                "Epidural steroid injection for spinal stenosis",
                "Randomised trial. Walking distance and pain scores were measured.",
                &["Journal Article", "Randomized Controlled Trial"],
            ),
            record(
                4,
                "Ozone therapy for diabetic foot ulcers",
                "Serum LDH was measured. Wound healing and pain scores were recorded in this cohort study.",
                &["Journal Article"],
            ),
        ],
    )
}

fn tags(env: &TestEnv, pmid: &str) -> Vec<(String, String, String)> {
    let v = env.json(&["show", pmid, "--format", "json"]);
    v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["dimension"].as_str().unwrap().to_string(),
                t["id"].as_str().unwrap().to_string(),
                t["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(tags: &[(String, String, String)], dim: &str, tag: &str) -> bool {
    tags.iter().any(|(d, t, _)| d == dim && t == tag)
}

fn pmids(v: &Value) -> Vec<u64> {
    let mut p: Vec<u64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["pmid"].as_u64().unwrap())
        .collect();
    p.sort_unstable();
    p
}

#[test]
fn records_are_tagged_on_import_with_evidence() {
    let env = TestEnv::new();
    let file = known_set(&env);
    env.ok(&["import", &file]);
    let t1 = tags(&env, "1");
    for (d, t) in [
        ("condition", "herniated-disc"),
        ("outcome", "pain"),
        ("outcome", "function-disability"),
        ("outcome", "adverse-events"),
        ("design", "rct"),
        ("route", "intradiscal"),
        ("intervention", "ozone"),
    ] {
        assert!(has(&t1, d, t), "PMID 1 lacks {d}/{t}: {t1:?}");
    }
    assert!(
        t1.iter()
            .any(|(d, t, s)| d == "design" && t == "rct" && s == "publication_type")
    );
    let v = env.json(&["show", "1", "--format", "json"]);
    let ae = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "adverse-events")
        .unwrap();
    assert_eq!(
        ae["negated"], true,
        "measured and found absent: kept, flagged"
    );
    let title_hit = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "herniated-disc")
        .unwrap();
    assert_eq!(title_hit["source"], "title");
    assert_eq!(title_hit["text"], "lumbar disc herniation");
    let start = title_hit["start"].as_u64().unwrap() as usize;
    let end = title_hit["end"].as_u64().unwrap() as usize;
    let title: Vec<char> = v["title"].as_str().unwrap().chars().collect();
    assert_eq!(
        title[start..end].iter().collect::<String>(),
        "lumbar disc herniation"
    );
    let t2 = tags(&env, "2");
    assert!(
        has(&t2, "design", "case-series")
            && has(&t2, "outcome", "surgery-avoidance")
            && has(&t2, "route", "paravertebral"),
        "{t2:?}"
    );
    let t4 = tags(&env, "4");
    assert!(
        t4.iter().all(|(d, _, _)| d != "condition"),
        "other diseases get no condition: {t4:?}"
    );
    assert!(has(&t4, "intervention", "ozone") && has(&t4, "design", "cohort"));
    let text = env.ok(&["show", "1"]);
    assert!(
        text.contains("Tags:") && text.contains("design/rct (level 5)  publication_type"),
        "{text}"
    );
}

#[test]
fn find_filters_and_summary_count_correctly() {
    let env = TestEnv::new();
    env.ok(&["import", &known_set(&env)]);
    let q = |args: &[&str]| {
        let mut a = vec!["find", "", "--format", "json", "--limit", "100"];
        a.extend_from_slice(args);
        pmids(&env.json(&a))
    };
    assert_eq!(q(&["--intervention", "ozone"]), [1, 2, 4]);
    assert_eq!(q(&["--design", "rct"]), [1, 3]);
    assert_eq!(q(&["--min-level", "5"]), [1, 3]);
    assert_eq!(q(&["--min-level", "2"]), [1, 2, 3, 4]);
    assert_eq!(
        q(&[
            "--intervention",
            "ozone",
            "--outcome",
            "pain",
            "--design",
            "rct"
        ]),
        [1]
    );
    assert_eq!(q(&["--tag", "route:epidural"]), [3]);
    let out = env.run(&["find", "", "--condition", "herniated"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("known: herniated-disc"));
    let m = env.json(&["summary", "--format", "json"]);
    let m = &m[0];
    assert_eq!(m["records"], 4);
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
    let cell = |r: &str, c: &str| {
        m["cells"][rows.iter().position(|x| *x == r).unwrap()]
            [cols.iter().position(|x| *x == c).unwrap()]
        .as_u64()
        .unwrap()
    };
    assert_eq!(cell("herniated-disc", "pain"), 1);
    assert_eq!(cell("sciatica", "pain"), 1);
    assert_eq!(cell("spinal-stenosis", "mobility"), 1);
    assert_eq!(cell("spinal-stenosis", "adverse-events"), 0);
    let by = env.json(&["summary", "--by", "design", "--format", "json"]);
    let designs: Vec<&str> = by
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["design"].as_str().unwrap())
        .collect();
    assert_eq!(designs, ["rct", "cohort", "case-series"]);
    let rct = env.json(&["summary", "--design", "rct", "--format", "json"]);
    assert_eq!(rct[0]["records"], 2);
    let md = env.ok(&["summary", "--format", "markdown"]);
    assert!(md.contains("| herniated-disc | 1 |"), "{md}");
    let csv = env.ok(&["summary", "--format", "csv"]);
    assert!(csv.starts_with("design,condition,pain,function-disability"));
}

#[test]
fn manual_tags_survive_retagging_and_win() {
    let env = TestEnv::new();
    env.ok(&["import", &known_set(&env)]);
    env.ok(&[
        "tag",
        "add",
        "2",
        "condition",
        "low-back-pain",
        "--note",
        "back pain in the inclusion criteria",
        "--reviewer",
        "Dr Test",
    ]);
    env.ok(&[
        "tag",
        "remove",
        "2",
        "route",
        "paravertebral",
        "--note",
        "injections were intramuscular",
    ]);
    env.ok(&["tag", "add", "2", "design", "cohort"]);
    let check = |env: &TestEnv| {
        let t = tags(env, "2");
        assert!(
            t.iter()
                .any(|(d, g, s)| d == "condition" && g == "low-back-pain" && s == "manual"),
            "{t:?}"
        );
        assert!(!has(&t, "route", "paravertebral"), "{t:?}");
        let designs: Vec<&String> = t
            .iter()
            .filter(|(d, _, _)| d == "design")
            .map(|(_, g, _)| g)
            .collect();
        assert_eq!(
            designs,
            ["cohort"],
            "a manual design replaces the rule design"
        );
    };
    check(&env);
    // A new taxonomy (extending the default) and a re-tag keep the manual decisions.
    let tax = env.dir.path().join("mine.toml");
    std::fs::write(&tax, "version = \"t2\"\nextends = \"default\"\n[[tags]]\ndimension = \"route\"\nid = \"paravertebral\"\nphrases = [\"paravertebral\", \"oxygen-ozone injections\"]\n").unwrap();
    let out = env.json(&[
        "--taxonomy",
        tax.to_str().unwrap(),
        "tag",
        "--format",
        "json",
    ]);
    assert_eq!(out["records"], 4);
    assert!(out["taxonomy_version"].as_str().unwrap().contains("t2"));
    check(&env);
    // Re-import does not touch them either.
    env.ok(&["import", &known_set(&env)]);
    check(&env);
    let v = env.json(&["show", "2", "--format", "json"]);
    let decisions = v["manual_tag_decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 3);
    assert!(decisions.iter().any(|d| d["reviewer"] == "Dr Test"));
    let bad = env.run(&["tag", "add", "2", "condition", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = env.run(&["tag", "add", "999", "condition", "sciatica"]);
    assert_eq!(bad.status.code(), Some(5));
}

#[test]
fn a_user_taxonomy_replaces_or_extends_the_default() {
    let env = TestEnv::new();
    let file = known_set(&env);
    let own = env.dir.path().join("own.toml");
    std::fs::write(
        &own,
        "name = \"wounds\"\nversion = \"1\"\n[dimensions.condition]\n[dimensions.intervention]\n\
         [[tags]]\ndimension = \"condition\"\nid = \"diabetic-foot\"\nphrases = [\"diabetic foot ulcer\"]\n\
         [[tags]]\ndimension = \"intervention\"\nid = \"ozone\"\nphrases = [\"ozone\"]\n",
    )
    .unwrap();
    env.ok(&["--taxonomy", own.to_str().unwrap(), "import", &file]);
    let t4 = tags(&env, "4");
    assert_eq!(
        t4.iter()
            .map(|(d, t, _)| format!("{d}/{t}"))
            .collect::<Vec<_>>(),
        ["condition/diabetic-foot", "intervention/ozone"]
    );
    assert!(
        tags(&env, "1").iter().all(|(d, _, _)| d == "intervention"),
        "replaced: no default dimensions"
    );
    let ext = env.dir.path().join("ext.toml");
    std::fs::write(&ext, "version = \"x1\"\nextends = \"default\"\n[dimensions.population]\nlabel = \"Population\"\n[[tags]]\ndimension = \"population\"\nid = \"diabetic\"\nphrases = [\"diabetic\"]\n").unwrap();
    env.ok(&["--taxonomy", ext.to_str().unwrap(), "tag"]);
    let t4 = tags(&env, "4");
    assert!(
        has(&t4, "population", "diabetic")
            && has(&t4, "intervention", "ozone")
            && has(&t4, "design", "cohort"),
        "{t4:?}"
    );
    let shown = env.ok(&["--taxonomy", ext.to_str().unwrap(), "taxonomy", "show"]);
    assert!(shown.contains("Population [population]") && shown.contains("Condition [condition]"));
}

#[test]
fn taxonomy_check_locates_every_problem() {
    let env = TestEnv::new();
    let cases = [
        (
            "version = \"1\"\n[dimensions.condition]\n[[tags]]\ndimension = \"conditon\"\nid = \"x\"\n",
            "4:13",
            "unknown dimension \"conditon\"",
        ),
        (
            "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"a\"\n[[tags]]\ndimension = \"c\"\nid = \"a\"\n",
            "8:6",
            "duplicate tag id \"a\"",
        ),
        (
            "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"a\"\npatterns = [\"a(b\"]\n",
            "6:13",
            "invalid regular expression",
        ),
        (
            "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"a\"\nphrases = [\"ok\", \"!!\"]\n",
            "6:18",
            "no letters or digits",
        ),
        (
            "version = \"1\"\n[dimensions.c]\n[[tags]\n",
            "3:",
            "invalid TOML",
        ),
        (
            "version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"a\"\nabbreviations = [\"LDH\"]\n",
            "6:18",
            "context",
        ),
    ];
    for (i, (text, at, message)) in cases.iter().enumerate() {
        let path = env.dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = env.run(&["taxonomy", "check", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "case {i}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("{}:{at}", path.display())),
            "case {i}: {stderr}"
        );
        assert!(stderr.contains(message), "case {i}: {stderr}");
    }
    let good = env.dir.path().join("good.toml");
    std::fs::write(&good, env.ok(&["taxonomy", "show", "--format", "toml"])).unwrap();
    let ok = env.ok(&["taxonomy", "check", good.to_str().unwrap()]);
    assert!(ok.contains("ok: 5 dimensions"), "{ok}");
    // Using a broken taxonomy is a clear usage error, nothing is imported.
    let bad = env.dir.path().join("bad0.toml");
    let out = env.run(&[
        "--taxonomy",
        bad.to_str().unwrap(),
        "import",
        &fixture("season.xml").display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid taxonomy"));
}

#[test]
fn labelled_set_meets_the_quality_targets() {
    let env = TestEnv::new();
    let records = fixture("labelled/records.xml");
    let labels = fixture("labelled/labels.csv");
    let v = env.json(&[
        "taxonomy",
        "eval",
        records.to_str().unwrap(),
        labels.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(v["records"].as_u64().unwrap() >= 60, "{}", v["records"]);
    let f1 = |dim: &str| {
        let s = &v["per_dimension"][dim];
        let (tp, fp, fn_) = (
            s["tp"].as_f64().unwrap(),
            s["fp"].as_f64().unwrap(),
            s["fn_"].as_f64().unwrap(),
        );
        2.0 * tp / (2.0 * tp + fp + fn_)
    };
    assert!(
        f1("condition") >= 0.90,
        "condition micro-F1 {:.3}",
        f1("condition")
    );
    assert!(f1("design") >= 0.90, "design micro-F1 {:.3}", f1("design"));
    assert!(
        f1("outcome") >= 0.85,
        "outcome micro-F1 {:.3}",
        f1("outcome")
    );
}

/// Issue 11, item 16: a word is not a tag without the context that makes it one. An outcome
/// needs a measured patient outcome, a route an administration, a condition more than an
/// anatomical word; the same words in that context still tag.
#[test]
fn words_outside_their_clinical_context_give_no_tag() {
    let env = TestEnv::new();
    env.ok(&[
        "import",
        fixture("tagging-false-positives.xml").to_str().unwrap(),
    ]);
    type Tags = &'static [(&'static str, &'static str)];
    // (pmid, must have, must not have)
    let cases: &[(&str, Tags, Tags)] = &[
        ("99001101", &[], &[("outcome", "function-disability")]),
        ("99001102", &[], &[("outcome", "function-disability")]),
        (
            "99001103",
            &[
                ("route", "paravertebral"),
                ("condition", "low-back-pain"),
                ("design", "case-report"),
            ],
            &[("route", "epidural"), ("condition", "muscle-strain")],
        ),
        (
            "99001104",
            &[],
            &[("route", "epidural"), ("condition", "muscle-strain")],
        ),
        (
            "99001105",
            &[("route", "epidural"), ("outcome", "function-disability")],
            &[],
        ),
        ("99001106", &[("outcome", "function-disability")], &[]),
        ("99001107", &[("condition", "muscle-strain")], &[]),
        ("99001108", &[("route", "epidural")], &[]),
    ];
    for (pmid, want, unwanted) in cases {
        let t = tags(&env, pmid);
        for (d, tag) in *want {
            assert!(has(&t, d, tag), "{pmid} lacks {d}/{tag}: {t:?}");
        }
        for (d, tag) in *unwanted {
            assert!(!has(&t, d, tag), "{pmid} tagged {d}/{tag}: {t:?}");
        }
    }
}
