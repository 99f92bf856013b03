//! A scripted session of every command on the fixtures, compared with a recorded transcript
//! (`tests/snapshots/transcript__session.snap`, insta): a change that alters what any command
//! prints, in text or JSON, on standard output or standard error, or its exit code, shows up
//! here. Times, durations, temporary paths and process ids are masked; nothing else is.
//!
//! Update after an intended change: `INSTA_UPDATE=always cargo test --test transcript` (or
//! `cargo insta review`), then read the diff.

mod support;

use std::path::Path;

use regex::Regex;
use support::TestEnv;
use support::eutils_server::{EutilsServer, records_from_fixtures};

/// One step: the arguments after `evcat --db DB`. `{dir}` is the session's directory and
/// `{fixtures}` the fixtures directory.
const SESSION: &[&[&str]] = &[
    &["stats"],
    &[
        "import",
        "{fixtures}/ozone-back-pain.xml",
        "{fixtures}/medline-date.xml",
        "{fixtures}/season.xml",
    ],
    &[
        "import",
        "--format",
        "json",
        "{fixtures}/versions.xml",
        "{fixtures}/revised-later.xml",
        "{fixtures}/delete-citation.xml",
        "{fixtures}/retracted.xml",
        "{fixtures}/full-elements.xml",
        "{fixtures}/book-article.xml",
        "{fixtures}/collective-name.xml",
        "{fixtures}/orcid-forms.xml",
        "{fixtures}/markup-nested.xml",
        "{fixtures}/gzip-sample.xml.gz",
    ],
    &[
        "import",
        "{fixtures}/broken/malformed.xml",
        "{fixtures}/efetch-empty.xml",
    ],
    &["stats"],
    &["stats", "--format", "json"],
    &["find", "ozone"],
    &["find", "ozone \"herniated disc\"", "--format", "json"],
    &[
        "find",
        "ozone OR sciatica",
        "--year",
        "2005..2015",
        "--format",
        "csv",
    ],
    &["find", "", "--intervention", "ozone", "--design", "rct"],
    &[
        "find",
        "ozone",
        "--condition",
        "sciatica",
        "--min-level",
        "5",
        "--limit",
        "3",
    ],
    &["find", "NOT ozone"],
    &["find", "nosuchwordanywhere"],
    &["show", "22430658"],
    &["show", "22430658", "--format", "json"],
    &["show", "22430658", "--format", "xml"],
    &["show", "99999999"],
    &["summary"],
    &["summary", "--format", "json"],
    &["tag"],
    &[
        "tag",
        "add",
        "22430658",
        "condition",
        "sciatica",
        "--note",
        "checked",
        "--reviewer",
        "Dr Rossi",
    ],
    &[
        "tag",
        "remove",
        "22430658",
        "condition",
        "sciatica",
        "--reviewer",
        "Dr Rossi",
    ],
    &["taxonomy", "show"],
    &[
        "taxonomy",
        "eval",
        "{fixtures}/labelled/records.xml",
        "{fixtures}/labelled/labels.csv",
    ],
    &[
        "claim",
        "add",
        "--id",
        "pp",
        "--text",
        "A study published in Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs",
        "--reviewer",
        "Dr Rossi",
    ],
    &[
        "claim",
        "add",
        "--text",
        "Ozone injections are safe for sciatica",
        "--reviewer",
        "Dr Rossi",
        "--format",
        "json",
    ],
    &["claim", "list"],
    &["claim", "list", "--format", "json"],
    &["claim", "suggest", "pp"],
    &["claim", "suggest", "pp", "--format", "json"],
    &[
        "claim",
        "link",
        "pp",
        "22430658",
        "--stance",
        "supports",
        "--note",
        "the meta-analysis",
        "--reviewer",
        "Dr Rossi",
    ],
    &["claim", "link", "pp", "12345", "--stance", "supports"],
    &[
        "claim",
        "review",
        "pp",
        "--verdict",
        "partly-supported",
        "--note",
        "function less clear",
        "--reviewer",
        "Dr Rossi",
    ],
    &[
        "claim",
        "edit",
        "pp",
        "--source",
        "https://example.org/article",
        "--reviewer",
        "Dr Rossi",
    ],
    &["claim", "show", "pp"],
    &["claim", "show", "pp", "--format", "json"],
    &["claim", "show", "pp", "--format", "markdown"],
    &["claim", "log", "pp"],
    &["claim", "log", "pp", "--format", "json"],
    &[
        "claim",
        "unlink",
        "pp",
        "22430658",
        "--reviewer",
        "Dr Rossi",
    ],
    &["claim", "list", "--stale"],
    &["audit", "{fixtures}/articles/ozone-back-pain.md"],
    &[
        "audit",
        "{fixtures}/articles/ozone-back-pain.html",
        "--format",
        "json",
    ],
    &["cite", "22430658", "--style", "vancouver"],
    &["cite", "22430658", "--style", "ama", "--format", "json"],
    &["cite", "22430658", "--style", "apa"],
    &["cite", "22430658", "--style", "harvard"],
    &["export", "--format", "ris", "ozone"],
    &["export", "--format", "bibtex", "ozone"],
    &["export", "--format", "csl-json", "ozone"],
    &["export", "--format", "nbib", "ozone"],
    &["export", "--format", "csv", "ozone"],
    &["export", "--format", "jsonl", "ozone"],
    &["report", "ozone", "-o", "{dir}/report"],
    &["report", "--claim", "pp", "-o", "{dir}/claim-report"],
    &["backup", "{dir}/backup.sqlite"],
    &["saved", "add", "ozone-back", "ozone AND back pain"],
    &["saved", "list"],
    &["saved", "list", "--format", "json"],
    &["fetch", "--pmid", "40000001,40000002", "--format", "json"],
    &["fetch", "all", "--format", "json"],
    &["refresh", "--format", "json"],
    &["refresh"],
    &["runs"],
    &["runs", "--format", "json"],
    &["saved", "remove", "ozone-back"],
    &["claim", "remove", "pp", "--reviewer", "Dr Rossi"],
    &["config", "show", "--format", "json"],
];

fn masks() -> Vec<(Regex, &'static str)> {
    [
        // RFC 3339 times and dates with a time.
        (
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)",
            "<TIME>",
        ),
        (r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?( UTC)?", "<TIME>"),
        // The report's readable dates and times ("30 Nov 2026", "30 Nov 2026, 08:11 UTC").
        (
            r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}(, \d\d:\d\d UTC)?",
            "<TIME>",
        ),
        // A refresh's watermark and the search window it opens are today's date, and a few
        // days before it: they change with the day the test runs.
        (
            r#""watermark": "\d{4}-\d\d-\d\d""#,
            "\"watermark\": \"<DATE>\"",
        ),
        (r#""mindate": "\d{4}/\d\d/\d\d""#, "\"mindate\": \"<DATE>\""),
        (r"since \d{4}/\d\d/\d\d", "since <DATE>"),
        // Durations and rates.
        (r#""seconds": [0-9.e-]+"#, "\"seconds\": <SECS>"),
        (r"\d+\.\d+ ?s\b", "<SECS>"),
        (r"\(\d+\.\d+s\)", "(<SECS>)"),
        (r"\d+(\.\d+)? records/s", "<RATE> records/s"),
        (r"\d+\.\d MB", "<SIZE> MB"),
        // The file's size depends on how SQLite reused pages, not on what evcat printed.
        (r#""database_bytes": \d+"#, "\"database_bytes\": <BYTES>"),
        (r"pid \d+", "pid <PID>"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:<PORT>"),
    ]
    .into_iter()
    .map(|(re, to)| (Regex::new(re).unwrap(), to))
    .collect()
}

fn mask(text: &str, dir: &Path, masks: &[(Regex, &'static str)]) -> String {
    let mut text = text.replace(&dir.display().to_string(), "<DIR>");
    text = text.replace(
        &support::fixture("")
            .display()
            .to_string()
            .trim_end_matches('/')
            .to_string(),
        "<FIXTURES>",
    );
    for (re, to) in masks {
        text = re.replace_all(&text, *to).into_owned();
    }
    text
}

#[test]
fn session() {
    let server = EutilsServer::start(records_from_fixtures(30, 40_000_000));
    let mut env = TestEnv::new();
    env.set_var("EVCAT_EUTILS_BASE", &server.base_url());
    env.set_var("NCBI_EMAIL", "tester@example.org");
    env.set_var("NCBI_API_KEY", "TRANSCRIPTKEY0123");
    env.set_var("EVCAT_RETRY_BASE_MS", "20");
    env.set_var("EVCAT_RETRY_MAX_MS", "100");
    env.set_var("USER", "tester");
    let dir = env.dir.path().to_path_buf();
    let fixtures = support::fixture("");
    let fixtures = fixtures.display().to_string();
    let fixtures = fixtures.trim_end_matches('/');
    let masks = masks();
    let mut transcript = String::new();
    for step in SESSION {
        let args: Vec<String> = step
            .iter()
            .map(|a| {
                a.replace("{dir}", &dir.display().to_string())
                    .replace("{fixtures}", fixtures)
            })
            .collect();
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(&arg_refs);
        transcript.push_str(&format!(
            "$ evcat {}\n[exit {}]\n",
            mask(&args.join(" "), &dir, &masks),
            out.status.code().map_or("signal".into(), |c| c.to_string())
        ));
        for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            if !bytes.is_empty() {
                transcript.push_str(&format!("--- {name}\n"));
                transcript.push_str(&mask(&String::from_utf8_lossy(bytes), &dir, &masks));
                if !bytes.ends_with(b"\n") {
                    transcript.push_str("\n<no newline>\n");
                }
            }
        }
        // What report writes, file by file.
        if step[0] == "report" {
            let out_dir = Path::new(args.last().unwrap());
            let mut files: Vec<_> = std::fs::read_dir(out_dir)
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            files.sort();
            for f in files {
                let name = f.file_name().unwrap().to_string_lossy().to_string();
                if name.ends_with(".md") {
                    let text = std::fs::read_to_string(&f).unwrap();
                    transcript
                        .push_str(&format!("--- file {name}\n{}\n", mask(&text, &dir, &masks)));
                } else {
                    transcript.push_str(&format!(
                        "--- file {name} ({} bytes)\n",
                        std::fs::metadata(&f).unwrap().len() > 0
                    ));
                }
            }
        }
        transcript.push('\n');
    }
    insta::assert_snapshot!("session", transcript);
}
