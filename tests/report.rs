//! The report a clinician reads (`evcat report`), on the fixtures: the claim report opens with a
//! plain-language summary (verdict, who gave it and when, studies counted by stance, the
//! strongest live design on each side, the warnings); tags show as taxonomy labels; a record's
//! warning is in its own row; empty fields are left out of a phone's cards; the matrix keeps
//! only non-empty rows and columns and has a list form for narrow screens; dates are readable.
//! Also the audit heading of an article's own quotation (issue 11, item 22).

mod support;

use std::path::Path;

use regex::Regex;
use support::{TestEnv, all_fixtures, fixture};

fn env() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_var("EVCAT_REVIEWER", "Dr Test");
    env.import(&all_fixtures());
    env
}

fn report(env: &TestEnv, args: &[&str]) -> (String, String) {
    let dir = env.dir.path().join(format!("rep-{}", args.join("-")));
    let mut cmd = vec!["report", "-o", dir.to_str().unwrap()];
    cmd.extend_from_slice(args);
    env.ok(&cmd);
    let read = |name: &str| std::fs::read_to_string(Path::new(&dir).join(name)).unwrap();
    (read("report.md"), read("report.html"))
}

/// A claim with evidence on both sides, where the strongest record on each side is not live:
/// a deleted meta-analysis supports it, a retracted 2023 RCT refutes it.
fn claim_env() -> TestEnv {
    let env = env();
    env.ok(&[
        "claim",
        "add",
        "--id",
        "pp",
        "--text",
        "Ozone injections relieve back pain",
    ]);
    for (pmid, stance) in [
        ("20188591", "supports"), // meta-analysis, DELETED from PubMed
        ("30045599", "supports"), // cohort
        ("99000101", "refutes"),  // RCT 2023, RETRACTED
        ("17209164", "refutes"),  // RCT 2007
        ("19478653", "mixed"),    // RCT
    ] {
        env.ok(&["claim", "link", "pp", pmid, "--stance", stance]);
    }
    env.ok(&[
        "claim",
        "review",
        "pp",
        "--verdict",
        "partly-supported",
        "--note",
        "pain only",
        "--reviewer",
        "Dr Rossi",
    ]);
    env
}

#[test]
fn claim_report_opens_with_a_plain_language_summary() {
    let env = claim_env();
    let (md, html) = report(&env, &["--claim", "pp"]);
    let date = r"\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}";
    let summary_start = md.find("## Summary").expect(&md);
    let table_start = md.find("| PMID").expect(&md);
    assert!(summary_start < table_start, "{md}");
    let summary = &md[summary_start..table_start];
    for expected in [
        "- Claim: \u{201c}Ozone injections relieve back pain\u{201d}",
        "- Evidence: 5 studies linked; 2 support, 2 refute, 1 mixed",
        // Deleted and retracted records never count as strongest.
        "- Strongest supporting study: Cross-sectional study (evidence level 2), PMID 30045599, 2018",
        "- Strongest refuting study: Randomised controlled trial (evidence level 5), PMID 17209164, 2007",
        "- Warnings: 2",
        "  - \u{26a0} PMID 20188591 was DELETED from PubMed",
        "  - \u{26a0} PMID 99000101 is RETRACTED",
    ] {
        assert!(summary.contains(expected), "{expected}\n{summary}");
    }
    let verdict = Regex::new(&format!(
        r"- Verdict: partly supported, given by Dr Rossi on {date}: pain only\n"
    ))
    .unwrap();
    assert!(verdict.is_match(summary), "{summary}");
    // The HTML page has the same summary, at the top.
    let h = html.find("<h2>Summary</h2>").expect(&html);
    assert!(h < html.find("<table").unwrap());
    assert!(
        html.contains("<li>Strongest supporting study: Cross-sectional study (evidence level 2), PMID 30045599, 2018</li>"),
        "{html}"
    );
    // Dates are readable everywhere: no raw ISO timestamps.
    let iso = Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d").unwrap();
    for text in [&md, &html] {
        assert!(!iso.is_match(text), "{text}");
    }
    assert!(
        Regex::new(&format!("Generated {date}, \\d\\d:\\d\\d UTC"))
            .unwrap()
            .is_match(&md),
        "{md}"
    );
}

#[test]
fn labels_not_ids_and_warnings_in_the_row() {
    let env = env();
    let (md, html) = report(&env, &["ozone"]);
    // Headings, table cells and the matrix use the taxonomy's labels.
    assert!(
        md.contains("## Herniated or bulging disc: 8 studies"),
        "{md}"
    );
    assert!(md.contains("## Facet joint syndrome: 1 study\n"), "{md}");
    for id in [
        "herniated-disc",
        "function-disability",
        "adverse-events",
        "foraminal-periradicular",
        "| rct |",
        "meta-analysis |",
    ] {
        assert!(!md.contains(id), "{id} in\n{md}");
        assert!(!html.contains(id), "{id} in HTML");
    }
    assert!(md.contains("| Meta-analysis | 7 |"), "{md}");
    assert!(md.contains("Adverse events and complications"), "{md}");
    // The retracted record's row says so itself, in Markdown and in HTML (not a tooltip).
    let row = md.lines().find(|l| l.starts_with("| 99000101")).unwrap();
    assert!(row.contains("\u{26a0} PMID 99000101 is RETRACTED"), "{row}");
    let row = html
        .lines()
        .find(|l| l.contains("pubmed.ncbi.nlm.nih.gov/99000101/"))
        .unwrap();
    assert!(
        row.contains("<div class=\"row-warning\">\u{26a0} PMID 99000101 is RETRACTED"),
        "{row}"
    );
    assert!(!html.contains(" title=\""), "warnings only in a tooltip");
}

#[test]
fn phone_cards_leave_empty_fields_out() {
    let env = env();
    let (_, html) = report(&env, &["ozone"]);
    // Every study cell with nothing to say is marked, and a phone hides it.
    let cell = Regex::new(r#"<td data-label="([^"]+)"( class="([^"]*)")?>(.*?)</td>"#).unwrap();
    let mut empty = 0;
    for c in cell.captures_iter(&html) {
        let class = c.get(3).map_or("", |m| m.as_str());
        let content = &c[4];
        let blank =
            content.is_empty() || content == "-" || content == "<span class=\"level\">-</span>";
        assert_eq!(
            blank,
            class.split(' ').any(|k| k == "empty"),
            "{}: {content:?} class {class:?}",
            &c[1]
        );
        empty += usize::from(blank);
    }
    assert!(empty > 0, "the fixtures have records without outcomes");
    let phone = &html[html.find("@media (max-width: 40rem)").unwrap()..];
    let phone = &phone[..phone.find("\n}").unwrap()];
    assert!(
        phone.contains("table.studies td.empty { display: none; }"),
        "{phone}"
    );
}

#[test]
fn matrix_keeps_non_empty_rows_and_columns_and_lists_them_on_a_phone() {
    let env = env();
    let (md, html) = report(&env, &["ozone"]);
    let matrix =
        &md[md.find("## Condition by outcome").unwrap()..md.find("## Provenance").unwrap()];
    let header = matrix
        .lines()
        .find(|l| l.starts_with("| condition"))
        .unwrap();
    assert_eq!(
        header,
        "| condition \\ outcome | Pain (VAS, NRS, pain relief) | Function or disability (ODI, Roland-Morris, JOA) | Adverse events and complications | Analgesic use | total |"
    );
    // No record of the selection has muscle strain or spinal stenosis: no row for them.
    assert!(!matrix.contains("Muscle strain"), "{matrix}");
    assert!(!matrix.contains("Spinal stenosis"), "{matrix}");
    assert!(
        matrix.contains("| Herniated or bulging disc | 5 | 5 | 6 | 1 | 7 |"),
        "{matrix}"
    );
    // On a narrow screen the table gives way to a list of the same figures.
    assert!(
        html.contains("<li><strong>Herniated or bulging disc</strong> (7 records): Pain (VAS, NRS, pain relief) 5, Function or disability (ODI, Roland-Morris, JOA) 5, Adverse events and complications 6, Analgesic use 1</li>"),
        "{html}"
    );
    let phone = &html[html.find("@media (max-width: 40rem)").unwrap()..];
    let phone = &phone[..phone.find("\n}").unwrap()];
    assert!(
        phone.contains(".matrix-table { display: none; }"),
        "{phone}"
    );
    assert!(
        phone.contains(".matrix-list { display: block; }"),
        "{phone}"
    );
    // A claim without tagged evidence says so instead of a table of zeros.
    env.ok(&[
        "claim",
        "add",
        "--id",
        "empty",
        "--text",
        "Nothing linked yet",
    ]);
    let (md, _) = report(&env, &["--claim", "empty"]);
    assert!(
        md.contains("No record has both a condition and an outcome tag."),
        "{md}"
    );
    assert!(md.contains("- Evidence: no studies linked yet"), "{md}");
    assert!(md.contains("- Verdict: not yet reviewed"), "{md}");
}

#[test]
fn audit_heading_does_not_double_the_article_quotes() {
    let env = env();
    let md = env.ok(&[
        "audit",
        fixture("articles/ozone-back-pain.md").to_str().unwrap(),
    ]);
    assert!(!md.contains("\"\""), "{md}");
    assert!(
        md.contains(". \"Studies have shown that it works as well as surgery"),
        "{md}"
    );
}
