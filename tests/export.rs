//! End-to-end tests of `export`, `report` and `cite` through the binary.

mod support;

use serde_json::Value;
use support::{TestEnv, all_fixtures};

fn env() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_var("EVCAT_REVIEWER", "Dr Test");
    env.import(&all_fixtures());
    env.ok(&["claim", "add", "--id", "pp", "--text", "A study published in Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs"]);
    env.ok(&[
        "claim",
        "link",
        "pp",
        "22430658",
        "--stance",
        "supports",
        "--note",
        "meta-analysis",
    ]);
    env.ok(&["claim", "link", "pp", "99000101", "--stance", "refutes"]);
    env.ok(&["claim", "link", "pp", "20188591", "--stance", "supports"]);
    env
}

#[test]
fn every_format_exports_every_selected_record() {
    let env = env();
    let all = env
        .json(&["find", "", "--format", "json", "--limit", "1000"])
        .as_array()
        .unwrap()
        .len();
    let ris = env.ok(&["export", "--format", "ris", "--include-deleted"]);
    assert_eq!(
        ris.matches("\nER  - ").count() + usize::from(ris.starts_with("ER  - ")),
        all
    );
    let bib = env.ok(&["export", "--format", "bibtex", "--include-deleted"]);
    assert_eq!(
        bib.matches("\n@").count() + usize::from(bib.starts_with('@')),
        all
    );
    let csl: Value =
        serde_json::from_str(&env.ok(&["export", "--format", "csl-json", "--include-deleted"]))
            .unwrap();
    assert_eq!(csl.as_array().unwrap().len(), all);
    let jsonl = env.ok(&["export", "--format", "jsonl", "--include-deleted"]);
    assert_eq!(jsonl.lines().count(), all);
    for line in jsonl.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["pmid"].is_u64());
    }
    let csv = env.ok(&["export", "--format", "csv", "--include-deleted"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    for col in [
        "pmid",
        "title",
        "condition",
        "outcome",
        "design",
        "route",
        "intervention",
    ] {
        assert!(headers.iter().any(|h| h == col), "{col} in {headers:?}");
    }
    assert_eq!(reader.records().count(), all);
    let nbib = env.ok(&["export", "--format", "nbib", "--include-deleted"]);
    assert_eq!(nbib.matches("PMID- ").count(), all);
}

#[test]
fn filters_and_claims_select_the_slice() {
    let env = env();
    let jsonl = env.ok(&["export", "--format", "jsonl", "--design", "meta-analysis"]);
    let pmids: Vec<u64> = jsonl
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["pmid"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(
        pmids.contains(&22430658) && !pmids.contains(&19478653),
        "{pmids:?}"
    );
    let csv = env.ok(&["export", "--format", "csv", "--claim", "pp"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let stance_col = headers.iter().position(|h| h == "stance").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .any(|r| r[0] == *"99000101" && r[stance_col].contains("refutes"))
    );
    let out = env.dir.path().join("evidence.ris");
    env.ok(&[
        "export",
        "--format",
        "ris",
        "--claim",
        "pp",
        "-o",
        out.to_str().unwrap(),
    ]);
    let ris = std::fs::read_to_string(&out).unwrap();
    assert!(ris.contains("22430658") && ris.contains("supports"));
    assert!(!env.dir.path().join("evidence.ris.partial").exists());
    let bad = env.run(&["export", "--format", "ris", "--claim", "nope"]);
    assert_eq!(bad.status.code(), Some(5));
    let bad = env.run(&["export", "--format", "ris", "--condition", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn reports_have_tables_matrix_warnings_and_provenance() {
    let env = env();
    env.ok(&["saved", "add", "ozone-back", "ozone AND back pain"]);
    let dir = env.dir.path().join("report");
    env.ok(&["report", "-o", dir.to_str().unwrap()]);
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("## Herniated or bulging disc: "), "{md}");
    assert!(
        md.contains("| PMID | design | level | N | outcomes | route | year | citation | stance |")
    );
    assert!(md.contains("| 22430658 | Meta-analysis | 7 |"), "{md}");
    assert!(
        md.contains("pp: supports"),
        "claims citing a record are shown"
    );
    assert!(md.contains("## Condition by outcome"));
    assert!(md.contains("PMID 99000101 is RETRACTED"));
    assert!(
        md.contains("was DELETED from PubMed") || md.contains("deleted from PubMed"),
        "{md}"
    );
    assert!(md.contains("`ozone-back`: `ozone AND back pain`"));
    assert!(md.contains("evcat version: "));
    assert!(md.contains("Taxonomy: evcat default"));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta name=\"viewport\""));
    assert!(html.contains("@media print") && html.contains("@media (max-width"));
    assert!(html.contains("<td data-label=\"PMID\"><a href=\"https://pubmed.ncbi.nlm.nih.gov/22430658/\">22430658</a></td>"));
    assert!(!html.contains("<script"), "standalone, no scripts");
    let claim_dir = env.dir.path().join("claim");
    env.ok(&[
        "report",
        "--claim",
        "pp",
        "-o",
        claim_dir.to_str().unwrap(),
        "--style",
        "ama",
    ]);
    let md = std::fs::read_to_string(claim_dir.join("report.md")).unwrap();
    assert!(
        md.contains("## Studies linked to claim pp: 3 studies"),
        "{md}"
    );
    assert!(md.contains("| refutes |"));
    assert!(md.contains("- Verdict: not yet reviewed"), "{md}");
    assert!(md.contains("- Evidence: 3 studies linked; 2 support, 1 refutes, 0 mixed"));
}

#[test]
fn cite_formats_and_refuses_unknown_pmids() {
    let env = env();
    let v = env.ok(&["cite", "22430658", "19478653"]);
    assert!(
        v.starts_with("1. Magalhaes FN, Dotta L, Sasse A, Teixeira MJ, Fonoff ET. Ozone therapy"),
        "{v}"
    );
    assert!(v.contains("PMID: 22430658"));
    assert!(v.lines().nth(1).unwrap().starts_with("2. Paoloni M"));
    for style in ["ama", "apa", "harvard"] {
        let out = env.ok(&["cite", "22430658", "--style", style]);
        assert!(
            out.contains("Magalhaes") && out.contains("2012"),
            "{style}: {out}"
        );
    }
    let json = env.json(&["cite", "22430658", "--format", "json"]);
    assert_eq!(json["references"][0]["pmid"], 22430658);
    let bad = env.run(&["cite", "22430658", "1"]);
    assert_eq!(bad.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not in the catalogue: 1"));
    assert!(
        bad.stdout.is_empty(),
        "nothing printed when a PMID is unknown"
    );
}

/// Item 14 of issue 11: deleted records without data (tombstones: only a PMID) are left out by
/// default and counted on stderr; `--include-deleted` keeps them; deleted records with data are
/// always exported, marked deleted. Item 22: "1 record", not "1 records".
#[test]
fn exports_skip_tombstones_without_data_and_say_so() {
    let env = TestEnv::new();
    // 20188591 has data (ozone fixture) before it is deleted; 99000063 and 99999990 never had.
    env.import(&["ozone-back-pain.xml", "delete-citation.xml"]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.ris");
    let run = env.run(&["export", "--format", "ris", "-o", out.to_str().unwrap()]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(
            "skipped 2 records deleted from PubMed without data (--include-deleted to export them)"
        ),
        "{stderr}"
    );
    let ris = std::fs::read_to_string(&out).unwrap();
    assert!(!ris.contains("AN  - 99999990") && !ris.contains("AN  - 99000063"));
    assert!(ris.contains("AN  - 20188591"), "deleted with data is kept");
    for format in ["bibtex", "csl-json", "ris"] {
        let default = env.ok(&["export", "--format", format]);
        assert!(!default.contains("99999990"), "{format}: {default}");
        let all = env.ok(&["export", "--format", format, "--include-deleted"]);
        assert!(all.contains("99999990"), "{format} --include-deleted");
    }
    let quiet = env.run(&["--quiet", "export", "--format", "ris"]);
    assert!(quiet.stderr.is_empty(), "--quiet: no count");
    let one = dir.path().join("one.ris");
    let run = env.run(&[
        "export",
        "--format",
        "ris",
        "ozone",
        "--year",
        "2012",
        "-o",
        one.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("exported 1 record in"), "{stderr}");
}

/// Item 22 of issue 11: a file that is not XML is named as such, with its first characters
/// shown safely (line breaks and quotes escaped).
#[test]
fn a_non_xml_file_is_called_not_xml() {
    let env = TestEnv::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refs.txt");
    std::fs::write(&path, "TY  - JOUR\nTI  - \"Ozone\" therapy\nER  - \n").unwrap();
    let run = env.run(&["import", path.to_str().unwrap()]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("refs.txt"), "{stderr}");
    assert!(
        stderr.contains(
            r#"not an XML file: it begins with "TY  - JOUR\nTI  - \"Ozone\" therapy\nER  -""#
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("(text)"), "{stderr}");
}

/// A write that fails half way (here: a file-size limit) names the file the user asked for,
/// never the temporary file, and leaves neither behind.
#[test]
fn a_failed_write_names_the_target_not_the_temporary_file() {
    use std::os::unix::process::CommandExt;
    let env = env();
    let whole = env
        .ok(&["export", "--format", "ris", "--include-deleted"])
        .len() as u64;
    // The catalogue's shared-memory file needs 32 KiB; the export must not fit.
    let limit = 33 * 1024;
    assert!(
        whole > limit,
        "the export ({whole} bytes) must exceed the limit"
    );
    let target = env.dir.path().join("evidence.ris");
    let mut cmd = env.std_cmd(&[
        "export",
        "--format",
        "ris",
        "--include-deleted",
        "-o",
        target.to_str().unwrap(),
    ]);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(target.to_str().unwrap()), "{stderr}");
    assert!(
        !stderr.contains(".evcat-tmp") && !stderr.contains(".partial"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("evidence") || n.starts_with(".evcat-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
