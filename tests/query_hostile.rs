//! Hostile queries: parentheses anywhere, limits as usage errors, bounded work, and a short
//! deterministic generated-input run of the query compiler against a real catalogue.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use evcat::pubmed::input::open_input;
use evcat::store::Store;
use evcat::store::import::import_stream;
use evcat::store::search::{
    FindError, FindFilters, MAX_FILTER_BYTES, MAX_QUERY_BYTES, MAX_QUERY_DEPTH, MAX_QUERY_TERMS,
    QueryError, find, find_pmids,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::Value;
use support::{TestEnv, all_fixtures, fixture};

/// Only a guard against hangs: every command here takes milliseconds.
const HANG_GUARD: Duration = Duration::from_secs(20);

fn env() -> TestEnv {
    let env = TestEnv::new();
    env.import(&all_fixtures());
    env
}

/// PMIDs `find` returns for `query`.
fn found(env: &TestEnv, query: &str) -> BTreeSet<u64> {
    let hits = env.json(&["find", query, "--limit", "10000", "--format", "json"]);
    hits.as_array()
        .unwrap()
        .iter()
        .map(|h| h["pmid"].as_u64().unwrap())
        .collect()
}

#[test]
fn parentheses_group_in_find_export_and_report() {
    let env = env();
    let union = |a: &str, b: &str| -> BTreeSet<u64> {
        found(&env, a).union(&found(&env, b)).copied().collect()
    };
    let grouped = found(&env, r#"ozone (sciatica OR "disc herniation")"#);
    assert!(!grouped.is_empty());
    assert_eq!(
        grouped,
        union("ozone sciatica", r#"ozone "disc herniation""#)
    );
    assert_eq!(found(&env, "(a OR b) ozone"), union("a ozone", "b ozone"));
    assert_eq!(found(&env, "ozone (pain)"), found(&env, "ozone pain"));
    assert_eq!(found(&env, "NEAR(a b)"), found(&env, "NEAR a b"));
    assert_eq!(
        found(&env, "title:(ozone OR oxygen) pain"),
        union("title:ozone pain", "title:oxygen pain")
    );

    let query = r#"ozone (sciatica OR "disc herniation")"#;
    let jsonl = env.ok(&["export", "--format", "jsonl", query]);
    let exported: BTreeSet<u64> = jsonl
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["pmid"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(exported, grouped);

    let dir = env.dir.path().join("report");
    env.ok(&["report", query, "-o", dir.to_str().unwrap()]);
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    for pmid in &grouped {
        assert!(md.contains(&pmid.to_string()), "report lacks {pmid}");
    }
}

#[test]
fn limits_are_usage_errors_naming_the_limit() {
    let env = env();
    let nested = format!("{}ozone{}", "(".repeat(100), ")".repeat(100));
    let long = "ozone ".repeat(8_000);
    let parens = "( a ".repeat(4_000);
    let many = "ozone ".repeat(1_500);
    let huge = "x".repeat(50_000);
    // Within the nesting limit, but every level leaves five operators waiting on the next.
    let mut intricate = String::from("ozone OR pain");
    for _ in 0..8 {
        intricate = format!("z OR a AND b NOT c NOT b b ({intricate}) NOT e");
    }
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["find", &nested],
            "query nests parentheses 100 deep; the limit is 10",
        ),
        (
            vec!["find", &long],
            "query is 48,000 bytes long; the limit is 10,000 bytes",
        ),
        (
            vec!["export", "--format", "ris", &long],
            "query is 48,000 bytes long; the limit is 10,000 bytes",
        ),
        (
            vec!["report", &long, "-o", "never"],
            "query is 48,000 bytes long; the limit is 10,000 bytes",
        ),
        (
            vec!["find", &parens],
            "query is 16,000 bytes long; the limit is 10,000 bytes",
        ),
        (
            vec!["find", &many],
            "query has 1,500 terms; the limit is 250",
        ),
        (
            vec!["find", &intricate],
            "query mixes too many operators inside nested parentheses for SQLite FTS5",
        ),
        (
            vec!["export", "--format", "ris", &intricate],
            "query mixes too many operators inside nested parentheses for SQLite FTS5",
        ),
        (
            vec!["find", "ozone", "--journal", &huge],
            "--journal is 50,000 bytes long; the limit is 1,000 bytes",
        ),
        (
            vec!["export", "--format", "ris", "--mesh", &huge],
            "--mesh is 50,000 bytes long; the limit is 1,000 bytes",
        ),
        (
            vec!["find", "--type", &huge],
            "--type is 50,000 bytes long; the limit is 1,000 bytes",
        ),
    ];
    let before = env.dump();
    for (args, message) in cases {
        let out = env.cmd(&args).timeout(HANG_GUARD).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {stderr}", args[0]);
        assert!(stderr.contains(message), "{}: {stderr}", args[0]);
        assert!(out.stdout.is_empty());
        // The message quotes the start of the query, not all of it.
        assert!(stderr.len() < 400, "{} bytes of stderr", stderr.len());
    }
    assert_eq!(env.dump(), before);
    assert!(!env.dir.path().join("never").exists());
}

/// The largest queries accepted run, and quickly: `ozone` × 8,000 took 16 s and `( a ` × 4,000
/// 50 s because FTS5 ranks in time quadratic in the number of terms; at the term limit the
/// same work is small.
#[test]
fn queries_at_the_limits_run() {
    let env = env();
    let repeated = vec!["ozone"; MAX_QUERY_TERMS].join(" ");
    let hits = env.json(&["find", &repeated, "--format", "json"]);
    assert!(!hits.as_array().unwrap().is_empty());

    // Nested to the limit, with every operator at every level, close to the byte limit.
    let mut query = String::from(r#"ozone OR "low back pain""#);
    for level in 0..MAX_QUERY_DEPTH {
        let op = ["AND", "OR", "NOT"][level % 3];
        query = format!("title:(a b NOT c) {op} sciatica d* ({query}) NOT e OR mesh:(f g) h");
    }
    let pad = (MAX_QUERY_TERMS - query.split_whitespace().count()) / 2;
    let query = format!("{query} {}", "pain ozone ".repeat(pad));
    assert!(query.len() <= MAX_QUERY_BYTES);
    let out = env
        .cmd(&["find", &query, "--format", "json"])
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A catalogue of every fixture, in memory.
fn catalogue() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    for name in all_fixtures() {
        let input = open_input(&fixture(name)).unwrap();
        import_stream(&mut store, input.reader, name, None, &mut |_| {}).unwrap();
    }
    store
}

const WORDS: &[&str] = &[
    "ozone",
    "pain",
    "disc",
    "herniation",
    "sciatica",
    "back",
    "low",
    "a",
    "the",
    "oxygen",
    "trial",
    "or",
    "and",
    "not",
    "near",
    "NEAR",
    "café",
    "naïve",
    "Straße",
    "ΩΜΕΓΑ",
    "中文",
    "x1",
    "2019",
    "zzz",
];
const SYMBOLS: &[&str] = &[
    "-", "*", "^", "+", ":", ";", ",", ".", "'", "`", "\\", "{", "}", "[", "]", "%", "_", "\"",
    "\u{0}", "\u{1}", "\t", "\u{200b}", "😀", "--", "**", "NOT", "AND", "OR",
];
const COLUMNS: &[&str] = &[
    "title:",
    "abstract:",
    "keywords:",
    "mesh:",
    "MeSH:",
    "foo:",
    ":",
];

/// A random query: words, phrases (some unterminated), operators, prefixes, columns,
/// punctuation, unicode, and groups nested up to one past the limit.
fn query(rng: &mut StdRng, depth: usize, out: &mut String) {
    for _ in 0..rng.random_range(1..6) {
        match rng.random_range(0..12) {
            0..=3 => out.push_str(WORDS[rng.random_range(0..WORDS.len())]),
            4 => {
                out.push('"');
                for _ in 0..rng.random_range(0..4) {
                    out.push_str(WORDS[rng.random_range(0..WORDS.len())]);
                    out.push(' ');
                }
                if rng.random_bool(0.8) {
                    out.push('"');
                }
            }
            5 | 6 => out.push_str(["OR", "AND", "NOT", "OR", "AND"][rng.random_range(0..5)]),
            7 => out.push_str(SYMBOLS[rng.random_range(0..SYMBOLS.len())]),
            8 => out.push_str(COLUMNS[rng.random_range(0..COLUMNS.len())]),
            9 => out.push('*'),
            _ if depth <= MAX_QUERY_DEPTH => {
                out.push('(');
                query(rng, depth + 1, out);
                // Sometimes unbalanced.
                if rng.random_bool(0.95) {
                    out.push(')');
                }
            }
            _ => out.push(')'),
        }
        if rng.random_bool(0.75) {
            out.push(' ');
        }
    }
}

#[test]
fn generated_queries_give_results_or_usage_errors() {
    let store = catalogue();
    let mut rng = StdRng::seed_from_u64(9);
    let (mut with_hits, mut usage) = (0, BTreeSet::new());
    let n = 3_000;
    for i in 0..n {
        let mut q = String::new();
        query(&mut rng, 1, &mut q);
        if i % 10 == 1 {
            // Nested near and past the depth limit, with random text at every level.
            for _ in 0..rng.random_range(MAX_QUERY_DEPTH - 2..MAX_QUERY_DEPTH + 2) {
                let mut before = String::new();
                query(&mut rng, MAX_QUERY_DEPTH, &mut before);
                let op = ["OR", "AND", "NOT", "", "title:"][rng.random_range(0..5)];
                q = format!("{before} {op} ({q}) ozone");
            }
        }
        if i % 100 == 0 {
            // Past the term or the byte limit.
            q = q.repeat(MAX_QUERY_TERMS / 2);
        }
        let mut filters = FindFilters::default();
        if i % 7 == 0 {
            filters.journal = Some(["%", "_", "\\", "Spine", "j%_\\"][i % 5].to_string());
        }
        if i % 501 == 0 {
            filters.mesh = Some("m".repeat(MAX_FILTER_BYTES + 1));
        }
        let result = if i % 4 == 0 {
            find_pmids(&store, &q, &filters).map(|p| p.len())
        } else {
            find(&store, &q, &filters, 20).map(|h| h.len())
        };
        match result {
            Ok(hits) => with_hits += usize::from(hits > 0),
            Err(FindError::Query(e)) => {
                usage.insert(match e {
                    QueryError::LeadingNot => "leading NOT",
                    QueryError::TooLong { .. } => "bytes",
                    QueryError::TooManyTerms { .. } => "terms",
                    QueryError::TooDeep { .. } => "depth",
                    QueryError::TooIntricate => "intricate",
                    QueryError::FilterTooLong { .. } => "filter",
                    QueryError::NoWords => "no words",
                    QueryError::OnlyExclusions => "only exclusions",
                    QueryError::UnknownColumn(_) => "unknown column",
                    QueryError::YearRange(_) | QueryError::InvertedYears(_) => {
                        panic!("{q:?}: unexpected {e}")
                    }
                });
            }
            Err(FindError::Store(e)) => panic!("query {q:?} reached the database badly: {e}"),
        }
    }
    // The run exercised both outcomes: real matches (fewer since queries that mean nothing and
    // unknown columns are refused), and every kind of usage error.
    assert!(with_hits > n / 10, "only {with_hits} queries matched");
    for kind in [
        "leading NOT",
        "bytes",
        "terms",
        "depth",
        "filter",
        "no words",
        "unknown column",
    ] {
        assert!(usage.contains(kind), "no {kind} error among {usage:?}");
    }
}
