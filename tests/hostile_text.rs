//! Hostile text and taxonomies (issue 9, items 5 and 6): taxonomy validation rejects what the
//! matcher cannot use, the matcher never panics on odd input, tagging and `audit` stay linear on
//! long text, and `audit` refuses articles over its documented size limit.

mod support;

use std::ops::RangeInclusive;
use std::sync::mpsc;
use std::time::Duration;

use evcat::tagging::{Matcher, TagInput, Taxonomy};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use support::TestEnv;

/// Runs `f` on another thread and fails the test if it takes longer than `limit`: a guard
/// against hangs (the work is bounded; the limit is never a performance target).
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The worker panicked: re-raise its panic with its message.
            match worker.join() {
                Err(e) => std::panic::resume_unwind(e),
                Ok(()) => unreachable!("the worker sent nothing and did not panic"),
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("still running after {limit:?}"),
    }
}

/// A PubMed XML file with one record.
fn write_record(env: &TestEnv, name: &str, title: &str, abstract_text: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(
        &path,
        format!(
            "<?xml version=\"1.0\"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">\
             <PMID Version=\"1\">1</PMID><Article PubModel=\"Print\"><Journal><JournalIssue><PubDate><Year>2020</Year></PubDate>\
             </JournalIssue><Title>J</Title></Journal><ArticleTitle>{title}</ArticleTitle><Abstract><AbstractText>{abstract_text}\
             </AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n"
        ),
    )
    .unwrap();
    path.display().to_string()
}

/// A taxonomy with one tag whose body is `body` (starting on line 6).
fn one_tag(body: &str) -> String {
    format!("version = \"1\"\n[dimensions.c]\n[[tags]]\ndimension = \"c\"\nid = \"x\"\n{body}\n")
}

#[test]
fn taxonomy_check_rejects_phrases_the_matcher_cannot_use() {
    let env = TestEnv::new();
    let long = "ozone ".repeat(1700);
    let cases: Vec<(String, &str, &str)> = vec![
        (
            "abbreviations = [\"LDH\"]\ncontext = [\"\"]".into(),
            "7:12",
            "context term \"\" has no letters or digits",
        ),
        (
            "abbreviations = [\"LDH\"]\ncontext = [\"disc\", \" \"]".into(),
            "7:20",
            "has no letters or digits",
        ),
        (
            "abbreviations = [\"LDH\"]\ncontext = [\"...\"]".into(),
            "7:12",
            "has no letters or digits",
        ),
        (
            "abbreviations = [\"LDH\"]\ncontext = [\"\u{1f9a0}\"]".into(),
            "7:12",
            "has no letters or digits",
        ),
        (
            "abbreviations = [\"LDH\"]\ncontext = [\"\\t\\n\"]".into(),
            "7:12",
            "control character U+0009",
        ),
        (
            "abbreviations = [\"LDH\"]\ncontext = [\"disc\\u0000\"]".into(),
            "7:12",
            "control character U+0000",
        ),
        (
            "phrases = [\"ozone\", \"\u{202e}enozo\"]".into(),
            "6:21",
            "invisible text-direction character U+202E",
        ),
        (
            format!("phrases = [\"{long}\"]"),
            "6:12",
            "is 10200 characters long; the limit is 200",
        ),
        (
            "abbreviations = [\"...\"]\ncontext = [\"disc\"]".into(),
            "6:18",
            "abbreviation \"...\" has no letters or digits",
        ),
    ];
    for (i, (body, at, message)) in cases.iter().enumerate() {
        let path = env.dir.path().join(format!("hostile{i}.toml"));
        std::fs::write(&path, one_tag(body)).unwrap();
        let out = env.run(&["taxonomy", "check", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "case {i}: {stderr}");
        assert!(
            stderr.contains(&format!("{}:{at}: ", path.display())),
            "case {i}: want {at}: {stderr}"
        );
        assert!(stderr.contains(message), "case {i}: {stderr}");
    }
}

#[test]
fn an_empty_context_term_is_a_usage_error_not_a_panic() {
    // Before: `taxonomy check` accepted `context = [""]` and tagging any record with non-ASCII
    // text panicked ("byte index is not a char boundary").
    let env = TestEnv::new();
    let taxonomy = env.dir.path().join("ctx.toml");
    std::fs::write(
        &taxonomy,
        one_tag("abbreviations = [\"LDH\"]\ncontext = [\"\"]"),
    )
    .unwrap();
    let xml = write_record(
        &env,
        "alpha.xml",
        "LDH in \u{3b1}-thalassemia",
        "Serum LDH.",
    );
    let out = env.run(&["--taxonomy", taxonomy.to_str().unwrap(), "import", &xml]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ctx.toml:7:12"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(env.dump(), "", "nothing may be written");
}

// ---------------------------------------------------------------------------------------------
// Generated taxonomies.

/// Words a taxonomy may use, odd ones included (Greek, combining marks, letters whose lowercase
/// is longer, ligatures, emoji next to a word, CJK).
const WORDS: &[&str] = &[
    "ozone",
    "disc",
    "herniation",
    "LDH",
    "no",
    "pain",
    "\u{3b1}",
    "\u{3b1}-thalassemia",
    "\u{392}\u{3ae}\u{3c4}\u{3b1}",
    "\u{130}stanbul",
    "stra\u{df}e",
    "\u{fb01}bre",
    "e\u{301}",
    "\u{1f9a0}ozone",
    "ozone\u{feff}",
    "\u{65e5}\u{672c}",
];

/// Pieces a taxonomy must not use: nothing to match, control and direction characters.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "-",
    "...",
    "'",
    "\u{1f9a0}",
    "\u{1f468}\u{200d}\u{2695}\u{fe0f}",
    "\u{301}",
    "\u{feff}",
    "\u{0}",
    "\t",
    "\n",
    "\t\n",
    "\u{202e}",
    "\u{2067}",
];

/// Regular expressions, metacharacters and all.
const PATTERNS: &[&str] = &[
    "(a+)+$",
    "[",
    ".*",
    "\\b",
    "a|",
    "$^",
    "\\p{Greek}+",
    "((",
    "-",
    ".",
    "\\s",
    "\u{3b1}",
    "(?-i)\u{130}",
    "\u{301}",
];

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A phrase of one to three words; with probability `hostile`, one hostile piece or a very long
/// phrase.
fn phrase(rng: &mut StdRng, hostile: f64) -> String {
    if rng.random_bool(hostile) {
        return if rng.random_range(0..6) == 0 {
            WORDS.choose(rng).unwrap().repeat(rng.random_range(40..400))
        } else {
            let word = WORDS.choose(rng).unwrap();
            let piece = HOSTILE.choose(rng).unwrap();
            [
                *piece,
                &format!("{word}{piece}"),
                &format!("{piece} {word}"),
            ]
            .choose(rng)
            .unwrap()
            .to_string()
        };
    }
    let n = rng.random_range(1..=3);
    (0..n)
        .map(|_| *WORDS.choose(rng).unwrap())
        .collect::<Vec<_>>()
        .join([" ", "-", ""].choose(rng).unwrap())
}

fn list(rng: &mut StdRng, key: &str, n: RangeInclusive<usize>, hostile: f64) -> String {
    let n = rng.random_range(n);
    let items: Vec<String> = (0..n).map(|_| toml_string(&phrase(rng, hostile))).collect();
    format!("{key} = [{}]\n", items.join(", "))
}

/// A taxonomy of one to three tags; half of them use hostile pieces.
fn taxonomy(rng: &mut StdRng) -> String {
    let hostile = if rng.random_bool(0.5) { 0.0 } else { 0.2 };
    let mut t = String::from(
        "version = \"1\"\n[dimensions.c]\nnegation = \"drop\"\n[dimensions.o]\nnegation = \"keep\"\n",
    );
    for i in 0..rng.random_range(1..4) {
        let dim = if rng.random_bool(0.5) { "c" } else { "o" };
        t.push_str(&format!("[[tags]]\ndimension = \"{dim}\"\nid = \"t{i}\"\n"));
        t.push_str(&list(rng, "phrases", 0..=3, hostile));
        t.push_str(&list(rng, "exclude", 0..=1, hostile));
        let abbreviations: Vec<String> = (0..rng.random_range(0..=2))
            .map(|_| {
                let word = WORDS.choose(rng).unwrap().replace([' ', '-'], "");
                toml_string(&if rng.random_bool(hostile) {
                    HOSTILE.choose(rng).unwrap().to_string()
                } else {
                    word
                })
            })
            .collect();
        t.push_str(&format!("abbreviations = [{}]\n", abbreviations.join(", ")));
        t.push_str(&list(rng, "context_phrases", 0..=1, hostile));
        t.push_str(&list(rng, "context", 1..=2, hostile));
        if rng.random_bool(0.3) {
            let patterns: Vec<String> = (0..rng.random_range(1..=2))
                .map(|_| toml_string(PATTERNS.choose(rng).unwrap()))
                .collect();
            t.push_str(&format!("patterns = [{}]\n", patterns.join(", ")));
        }
    }
    t
}

/// Text of `words` pieces with punctuation and sentence marks: every piece, hostile or not.
fn text(rng: &mut StdRng, words: usize) -> String {
    let mut s = String::new();
    for _ in 0..words {
        let piece = if rng.random_bool(0.7) {
            WORDS.choose(rng).unwrap()
        } else {
            HOSTILE.choose(rng).unwrap()
        };
        s.push_str(piece);
        s.push_str([" ", " ", "-", ". ", ", ", ""].choose(rng).unwrap());
    }
    s
}

#[test]
fn generated_taxonomies_are_rejected_or_tag_without_panic() {
    let (accepted, rejected, tagged) = within(Duration::from_secs(60), || {
        let mut rng = StdRng::seed_from_u64(9);
        let (mut accepted, mut rejected, mut tagged) = (0, 0, 0);
        for case in 0..400 {
            let toml = taxonomy(&mut rng);
            let taxonomy = match Taxonomy::parse(&toml, "gen.toml") {
                Err(errors) => {
                    assert!(!errors.0.is_empty(), "case {case}: rejected without issues");
                    for issue in &errors.0 {
                        assert!(
                            issue.file == "gen.toml" && issue.line >= 1 && issue.column >= 1,
                            "case {case}: {issue}"
                        );
                    }
                    rejected += 1;
                    continue;
                }
                Ok(t) => t,
            };
            accepted += 1;
            let matcher = Matcher::new(taxonomy);
            for _ in 0..4 {
                let title = text(&mut rng, 12);
                let abstract_text = text(&mut rng, 60);
                let keyword = text(&mut rng, 3);
                let input = TagInput {
                    title: &title,
                    abstract_text: abstract_text.clone(),
                    keywords: vec![keyword.as_str()],
                    ..TagInput::default()
                };
                let tags = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    matcher.tag(&input)
                }))
                .unwrap_or_else(|_| {
                    panic!(
                        "case {case}: tag panicked\n{toml}\ntitle {title:?}\nabstract {abstract_text:?}\nkeyword {keyword:?}"
                    )
                });
                for tag in &tags {
                    for e in &tag.evidence {
                        if let (Some(s), Some(end)) = (e.start, e.end) {
                            assert!(s <= end, "case {case}: {e:?}");
                        }
                    }
                }
                tagged += tags.len();
            }
        }
        (accepted, rejected, tagged)
    });
    // The generator must exercise both paths, and accepted taxonomies must really match.
    assert!(accepted >= 40, "only {accepted} accepted");
    assert!(rejected >= 40, "only {rejected} rejected");
    assert!(tagged >= 40, "only {tagged} tags given");
}

// ---------------------------------------------------------------------------------------------
// Long text: the work is linear. Each input below took minutes (or hours) when negation,
// character offsets or Markdown brackets rescanned the text for every match; the timeouts are
// only hang guards, far above the time the linear code takes in a debug build.

/// One sentence of half a megabyte (a quarter of that took minutes to import before).
fn long_sentence() -> String {
    format!(
        "A study found that ozone {}is effective and safe.",
        "ozone ".repeat(85_000)
    )
}

#[test]
fn a_long_abstract_is_imported_and_tagged() {
    let env = TestEnv::new();
    let xml = write_record(&env, "long.xml", "Ozone for back pain", &long_sentence());
    let out = env
        .cmd(&["import", &xml])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = env.json(&["show", "1", "--format", "json"]);
    let tags = shown["tags"].to_string();
    assert!(tags.contains("\"ozone\""), "{tags}");
}

#[test]
fn a_long_sentence_is_audited() {
    let env = TestEnv::new();
    let path = env.dir.path().join("long.txt");
    std::fs::write(&path, long_sentence()).unwrap();
    let out = env
        .cmd(&["audit", path.to_str().unwrap(), "--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1, "one claim sentence");
    assert_eq!(found[0]["start"], 0);
    assert_eq!(found[0]["end"], long_sentence().chars().count());
}

#[test]
fn markdown_lines_of_unclosed_brackets_are_read_in_linear_time() {
    use evcat::text::{DocFormat, sentences};
    let found = within(Duration::from_secs(20), || {
        ["[", "![", "<a", "[a](", "[a]["]
            .iter()
            .map(|piece| {
                let doc = format!("# Title\n\n{} end.\n", piece.repeat(200_000 / piece.len()));
                let found = sentences(&doc, DocFormat::Markdown);
                (found.len(), found.last().unwrap().text.ends_with(" end."))
            })
            .collect::<Vec<_>>()
    });
    // The heading, then the line with its brackets kept as text.
    assert_eq!(found, [(2, true); 5]);
}

#[test]
fn audit_refuses_an_article_over_its_size_limit() {
    const LIMIT: usize = 5 * 1024 * 1024;
    let env = TestEnv::new();
    let path = env.dir.path().join("huge.txt");
    std::fs::write(&path, " ".repeat(LIMIT + 1)).unwrap();
    let out = env.run(&["audit", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: the article has {} bytes",
            path.display(),
            LIMIT + 1
        )) && stderr.contains("limit of 5 MiB (5242880 bytes)"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    // Standard input has no size to look at: it is read up to the limit and refused.
    let out = env
        .cmd(&["audit", "-"])
        .write_stdin(" ".repeat(LIMIT + 1))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("standard input: the article is over audit's limit of 5 MiB"),
        "{stderr}"
    );
    // At the limit it is read.
    std::fs::write(&path, " ".repeat(LIMIT)).unwrap();
    let out = env.ok(&["audit", path.to_str().unwrap()]);
    assert!(out.contains("0 claim(s) found"), "{out}");
}

#[test]
fn a_sentence_of_many_distinct_words_is_audited() {
    // Candidate evidence is looked up with the start of the sentence: a full-text query of
    // 200,000 terms took SQLite minutes.
    let env = TestEnv::new();
    let mut rng = StdRng::seed_from_u64(3);
    let words: Vec<String> = (0..200_000)
        .map(|_| format!("w{:x}", rng.random_range(1u64 << 39..1 << 40)))
        .collect();
    let path = env.dir.path().join("words.txt");
    std::fs::write(
        &path,
        format!("A study found that {} is effective.", words.join(" ")),
    )
    .unwrap();
    let out = env
        .cmd(&["audit", path.to_str().unwrap(), "--format", "json"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert!(
        found[0]["sentence"]
            .as_str()
            .unwrap()
            .ends_with("is effective.")
    );
}
