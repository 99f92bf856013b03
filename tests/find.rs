//! `find` through the real binary (issue 11 items 3-7): authors and journals searchable, `-term`
//! as NOT, the totals line, meaningless queries as usage errors (also from `export` and
//! `report`), the schema 5 migration of an older catalogue, and the empty-catalogue note.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use support::{TestEnv, all_fixtures};

/// The usage-error exit code (README "Exit codes").
const USAGE: i32 = 2;

fn env() -> TestEnv {
    let env = TestEnv::new();
    env.import(&all_fixtures());
    env
}

/// PMIDs `find` returns for `args`, in order.
fn ranked(env: &TestEnv, args: &[&str]) -> Vec<u64> {
    let mut all = vec!["find"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--limit", "10000", "--format", "json"]);
    env.json(&all)
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["pmid"].as_u64().unwrap())
        .collect()
}

/// PMIDs `find QUERY` returns.
fn found(env: &TestEnv, query: &str) -> BTreeSet<u64> {
    ranked(env, &[query]).into_iter().collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts a usage error: exit 2, nothing on stdout, stderr contains every one of `needles`.
fn assert_usage(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(USAGE), "stderr: {err}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
}

#[test]
fn authors_and_journals_are_searchable() {
    let env = env();
    assert!(found(&env, "Paoloni").contains(&19478653));
    assert!(found(&env, "author:paoloni").contains(&19478653));
    // The record with Sean O'Brien among its authors (fixtures/collective-name.xml).
    assert!(found(&env, "O'Brien").contains(&99000031));
    assert_eq!(
        ranked(&env, &["", "--author", "O'Brien"]),
        vec![99000031],
        "--author filters to the one record with that author"
    );
    assert!(found(&env, "author:\"O'Brien\"").contains(&99000031));
    // The two Pain Physician records, through the journal's words.
    assert_eq!(
        found(&env, "ozone pain physician"),
        BTreeSet::from([30045599, 22430658])
    );
    assert_eq!(
        found(&env, "journal:\"pain physician\""),
        BTreeSet::from([30045599, 22430658])
    );
    // A journal word is not an author: author:physician finds nothing.
    assert!(found(&env, "author:physician").is_empty());
    // Collective names are authors too.
    assert!(found(&env, "author:SCIATICA-PRAG").contains(&99000031));
}

#[test]
fn diacritics_do_not_matter_in_author_names() {
    let env = env();
    // Müller J (fixtures/markup-nested.xml).
    let by_plain = found(&env, "Muller");
    let by_umlaut = found(&env, "Müller");
    assert!(by_plain.contains(&99000021), "{by_plain:?}");
    assert_eq!(by_plain, by_umlaut);
    assert_eq!(
        ranked(&env, &["", "--author", "Muller J"]),
        ranked(&env, &["", "--author", "Müller"])
    );
    assert!(ranked(&env, &["", "--author", "Muller"]).contains(&99000021));
}

#[test]
fn a_title_match_ranks_above_an_author_only_match() {
    let env = TestEnv::new();
    // 99002001 has Kowalczyk as author only (and comes first in the file);
    // 99002002 has "Kowalczyk" in its title only.
    env.import(&["find-ranking.xml"]);
    assert_eq!(ranked(&env, &["Kowalczyk"]), vec![99002002, 99002001]);
    assert_eq!(ranked(&env, &["author:Kowalczyk"]), vec![99002001]);
    assert_eq!(ranked(&env, &["title:Kowalczyk"]), vec![99002002]);
}

#[test]
fn minus_excludes_terms_phrases_and_columns() {
    let env = env();
    let ozone = found(&env, "ozone");
    let cervical = found(&env, "cervical");
    let without = found(&env, "ozone -cervical");
    assert!(!cervical.is_empty() && !ozone.is_disjoint(&cervical));
    assert!(!without.is_empty(), "other ozone records are kept");
    assert_eq!(
        without,
        ozone
            .difference(&cervical)
            .copied()
            .collect::<BTreeSet<_>>()
    );

    let herniation = found(&env, "\"disc herniation\"");
    let not_phrase = found(&env, "ozone -\"disc herniation\"");
    assert!(!ozone.is_disjoint(&herniation));
    assert_eq!(
        not_phrase,
        ozone
            .difference(&herniation)
            .copied()
            .collect::<BTreeSet<_>>()
    );
    assert!(!not_phrase.is_empty());

    // -title:x excludes only records with x in the title: the cervical study's title has it.
    let title_cervical = found(&env, "title:cervical");
    let not_title = found(&env, "ozone -title:cervical");
    assert!(title_cervical.contains(&30045599));
    assert!(!not_title.contains(&30045599));
    assert_eq!(
        not_title,
        ozone
            .difference(&title_cervical)
            .copied()
            .collect::<BTreeSet<_>>()
    );
    // A record with "cervical" elsewhere but not in the title stays.
    let elsewhere: BTreeSet<u64> = ozone
        .intersection(&cervical)
        .copied()
        .filter(|p| !title_cervical.contains(p))
        .collect();
    assert!(elsewhere.is_subset(&not_title));
}

#[test]
fn hyphenated_words_are_ordinary_terms() {
    let env = env();
    let low_back = found(&env, "low-back");
    assert!(!low_back.is_empty());
    assert_eq!(low_back, found(&env, "\"low back\""));
    let covid = found(&env, "COVID-19");
    assert!(!covid.is_empty());
    assert_eq!(covid, found(&env, "\"COVID 19\""));
    // "ozone low-back" requires both, not "ozone" without "back".
    let both = found(&env, "ozone low-back");
    assert!(both.is_subset(&low_back) && both.is_subset(&found(&env, "ozone")));
    assert!(!both.is_empty());
}

#[test]
fn a_query_of_only_exclusions_is_a_usage_error() {
    let env = env();
    assert_usage(
        &env.run(&["find", "--", "-cervical"]),
        &["-cervical", "only excludes"],
    );
    assert_usage(
        &env.run(&["find", "--", "-\"disc herniation\""]),
        &["only excludes"],
    );
}

#[test]
fn the_totals_line_says_how_many_were_not_shown() {
    let env = env();
    let total = found(&env, "ozone").len();
    assert!(total > 3);

    let out = env.run(&["find", "ozone", "--limit", "3"]);
    assert!(out.status.success());
    assert_eq!(
        stderr(&out),
        format!("3 of {total} shown (use --limit)\n"),
        "the true total on stderr"
    );
    let rows = String::from_utf8(out.stdout).unwrap();
    assert_eq!(rows.lines().count(), 1 + 3, "header and 3 rows:\n{rows}");

    // JSON stays an array of 3; the total is on stderr.
    let out = env.run(&["find", "ozone", "--limit", "3", "--format", "json"]);
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 3);
    assert_eq!(stderr(&out), format!("3 of {total} shown (use --limit)\n"));

    // All fit: nothing on stderr.
    let limit = total.to_string();
    let out = env.run(&["find", "ozone", "--limit", &limit]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");

    // --quiet: nothing on stderr, the rows unchanged.
    let out = env.run(&["--quiet", "find", "ozone", "--limit", "3"]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), rows);
}

#[test]
fn meaningless_queries_and_bad_limits_are_usage_errors() {
    let env = env();
    for q in ["\"", "***", "title:"] {
        assert_usage(
            &env.run(&["find", q]),
            &["query", q, "nothing to search for"],
        );
    }
    assert_usage(
        &env.run(&["find", "foo:ozone"]),
        &[
            "unknown column \"foo\"",
            "title",
            "abstract",
            "author",
            "journal",
        ],
    );
    assert_usage(&env.run(&["find", "ozone", "--limit", "0"]), &["--limit"]);
    assert_usage(
        &env.run(&["find", "ozone", "--year", "2020..2010"]),
        &["--year", "2020..2010"],
    );
}

#[test]
fn export_and_report_share_the_selection_check() {
    let env = env();
    let out_dir = env.dir.path().join("report-out");
    let out_dir = out_dir.to_str().unwrap();
    for q in ["\"", "***", "title:"] {
        assert_usage(
            &env.run(&["export", "--format", "ris", q]),
            &["nothing to search for"],
        );
        assert_usage(
            &env.run(&["report", q, "-o", out_dir]),
            &["nothing to search for"],
        );
    }
    assert_usage(
        &env.run(&["export", "--format", "ris", "foo:ozone"]),
        &["unknown column \"foo\"", "journal"],
    );
    assert_usage(
        &env.run(&["report", "foo:ozone", "-o", out_dir]),
        &["unknown column \"foo\"", "journal"],
    );
    assert_usage(
        &env.run(&["export", "--format", "ris", "--", "-cervical"]),
        &["only excludes"],
    );
    assert_usage(
        &env.run(&["export", "--format", "ris", "ozone", "--year", "2020..2010"]),
        &["--year"],
    );
    assert_usage(
        &env.run(&["report", "ozone", "--year", "2020..2010", "-o", out_dir]),
        &["--year"],
    );
    assert!(!Path::new(out_dir).exists(), "no report written");
}

#[test]
fn a_schema_4_catalogue_migrates_keeping_claims_reviews_and_manual_tags() {
    // Made by the pre-issue-11 binary: ozone-back-pain.xml imported, claim ozone-helps linked to
    // 19478653 and reviewed "supported", a manual design/rct tag on 19478653.
    let env = TestEnv::new();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/catalogue-v4.sqlite"),
        &env.db,
    )
    .unwrap();
    let version = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(version(&env.db), 4);

    // A read command migrates (re-indexing authors and journals) and then finds by author.
    assert_eq!(ranked(&env, &["Paoloni"]), vec![19478653]);
    assert_eq!(version(&env.db), 19);
    assert_eq!(
        found(&env, "journal:\"pain physician\""),
        BTreeSet::from([30045599, 22430658])
    );
    // Old text search still works.
    assert!(found(&env, "ozone").len() >= 10);
    // Migration 17: the MeSH headings name their descriptors by id; `--mesh` finds the same
    // records by name (any case) and by UI.
    let mesh = |m: &str| ranked(&env, &["ozone", "--mesh", m]);
    assert!(mesh("low back pain").contains(&22430658));
    assert_eq!(mesh("low back pain"), mesh("D017116"));
    assert!(mesh("No Such Heading").is_empty());

    let claim = env.json(&["claim", "show", "ozone-helps", "--format", "json"]);
    let text = claim.to_string();
    assert!(
        text.contains("Ozone injections reduce low back pain"),
        "{text}"
    );
    assert!(text.contains("19478653"), "link kept: {text}");
    // Migration 7: the reviewer's link is not a suggestion, and no risk of bias was judged.
    assert_eq!(claim["claim"]["links"][0]["stance"], "supports", "{text}");
    assert_eq!(claim["claim"]["links"][0]["suggested"], false, "{text}");
    assert!(claim["claim"]["risk_of_bias"].is_null(), "{text}");
    // Migration 8: a claim made before kinds has none, and says so in its JSON.
    assert!(claim["claim"]["kind"].is_null(), "{text}");
    assert!(
        claim["claim"].as_object().unwrap().contains_key("kind"),
        "{text}"
    );
    assert!(
        text.contains("supported") && text.contains("tester"),
        "review kept: {text}"
    );

    let show = env.json(&["show", "19478653", "--format", "json"]);
    let tags = show["tags"].to_string();
    assert!(tags.contains("rct"), "manual tag kept: {tags}");

    // Migration 12: the tables that held each record's text a second time are gone, and every
    // record reads as a fresh import of the same file reads (from its stored XML).
    let tables: i64 = rusqlite::Connection::open(&env.db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('abstract_sections', 'references_cited', 'author_affiliations')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0);
    let fresh = TestEnv::new();
    fresh.import(&["ozone-back-pain.xml"]);
    let export = |env: &TestEnv| env.ok(&["export", "--format", "jsonl"]);
    let migrated = export(&env);
    assert_eq!(migrated.lines().count(), 12, "{migrated}");
    assert_eq!(migrated, export(&fresh));

    // Opening again does nothing more.
    assert_eq!(ranked(&env, &["Paoloni"]), vec![19478653]);
    assert_eq!(version(&env.db), 19);
}

/// `evcat ARGS` with no --db: HOME and XDG directories in `home`.
fn run_without_db(home: &Path, args: &[&str]) -> Output {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("evcat"))
        .env_remove("EVCAT_DB")
        .env_remove("EVCAT_CONFIG")
        .env_remove("NCBI_API_KEY")
        .env_remove("EVCAT_CACHE_DIR")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn read_commands_on_an_empty_default_catalogue_say_so_and_create_nothing() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("data/evcat/catalogue.sqlite");
    let note = format!("empty catalogue at {}: import or fetch first", db.display());
    let out_dir = home.path().join("report");
    let out_dir = out_dir.to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["find", "ozone"],
        &["find", ""],
        &["show", "19478653"],
        &["stats"],
        &["summary"],
        &["export", "--format", "ris"],
        &["cite", "19478653"],
        &["claim", "suggest", "nosuch"],
        &["report", "ozone", "-o", out_dir],
    ];
    for args in commands {
        let out = run_without_db(home.path(), args);
        let err = stderr(&out);
        assert_eq!(
            err.matches(&note).count(),
            1,
            "evcat {args:?} ({:?}) says it once:\n{err}",
            out.status.code()
        );
        assert!(!db.exists(), "evcat {args:?} created {}", db.display());
        let mut quiet = vec!["--quiet"];
        quiet.extend_from_slice(args);
        let out = run_without_db(home.path(), &quiet);
        assert!(
            !stderr(&out).contains("empty catalogue"),
            "--quiet {args:?}: {}",
            stderr(&out)
        );
    }
    assert!(!home.path().join("data").exists(), "no directory created");
}

#[test]
fn an_existing_catalogue_without_records_is_empty_too() {
    let env = TestEnv::new();
    // A catalogue file made by importing a search result with no records.
    env.import(&["efetch-empty.xml"]);
    assert!(env.db.exists());
    let out = env.run(&["find", "ozone"]);
    assert!(
        stderr(&out).contains(&format!(
            "empty catalogue at {}: import or fetch first",
            env.db.display()
        )),
        "{}",
        stderr(&out)
    );
    // A catalogue with records says nothing of the kind.
    env.import(&["season.xml"]);
    let out = env.run(&["find", "sciatica"]);
    assert!(
        !stderr(&out).contains("empty catalogue"),
        "{}",
        stderr(&out)
    );
}

/// A query without filters is counted and ranked in the full-text index alone (the workbench's
/// search page); it selects the same records, in the same order and number, as the same query
/// joined to the records (here forced by a year range that keeps every record).
#[test]
fn a_query_alone_selects_what_it_selects_with_a_filter_that_keeps_everything() {
    let env = env();
    for query in [
        "ozone",
        "pain OR function",
        "\"herniated disc\"",
        "ozone -cervical",
    ] {
        let alone = ranked(&env, &[query]);
        let joined = ranked(&env, &[query, "--year", "1000..3000"]);
        assert!(!alone.is_empty(), "{query}");
        assert_eq!(alone, joined, "{query}");
        // The totals line (the count) agrees too.
        let said = |args: &[&str]| {
            let mut all = vec!["find"];
            all.extend_from_slice(args);
            all.extend_from_slice(&["--limit", "1"]);
            String::from_utf8_lossy(&env.run(&all).stderr).to_string()
        };
        assert_eq!(
            said(&[query]),
            said(&[query, "--year", "1000..3000"]),
            "{query}"
        );
    }
}
