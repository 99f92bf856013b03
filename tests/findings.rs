//! What each study found, the stance it suggests for a claim, and the certainty of a claim's
//! evidence (issue 13), driven through the binary on `fixtures/ozone-back-pain.xml`: `show`
//! reads findings with their sentence and offsets; `claim suggest` gives each candidate a
//! stance and its reason; `claim link` without `--stance` takes the suggestion, logs it as
//! suggested and never replaces a reviewer's stance; `claim review --risk-of-bias` counts in
//! the certainty `claim show` rates; `audit` shows the suggested stance beside each candidate.

mod support;

use serde_json::Value;
use support::TestEnv;

const CLAIM: &str = "A study published in Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs";

fn env() -> TestEnv {
    let mut env = TestEnv::new();
    env.set_var("EVCAT_REVIEWER", "Dr Test");
    env.import(&["ozone-back-pain.xml"]);
    env.ok(&["claim", "add", "--id", "pp-ozone", "--text", CLAIM]);
    env
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

#[test]
fn show_reads_what_a_study_found_with_the_sentence_that_says_it() {
    let env = env();
    let record = env.json(&["show", "19478653", "--format", "json"]);
    let findings = record["findings"].as_array().expect("findings");
    let pain = findings
        .iter()
        .find(|f| f["outcome"] == "pain")
        .expect("a pain finding");
    assert_eq!(pain["direction"], "benefit", "{pain}");
    // The evidence is the sentence, at its character offsets in the abstract.
    let abstract_text = chars(record["abstract"]["text"].as_str().unwrap());
    let (start, end) = (
        pain["start"].as_u64().unwrap() as usize,
        pain["end"].as_u64().unwrap() as usize,
    );
    let quoted: String = abstract_text[start..end].iter().collect();
    assert_eq!(quoted, pain["text"].as_str().unwrap());
    assert_eq!(pain["source"], "abstract");
    assert_eq!(record["findings_direction"], "benefit");
    // The septicaemia case report found harm.
    let case = env.json(&["show", "17268255", "--format", "json"]);
    assert_eq!(case["findings_direction"], "harm", "{}", case["findings"]);
    // And the text form says so.
    let text = env.ok(&["show", "19478653"]);
    assert!(
        text.contains("Findings:\n  the authors conclude: benefit"),
        "{text}"
    );
}

#[test]
fn suggestions_carry_a_stance_and_a_link_without_stance_takes_it_and_says_so() {
    let env = env();
    let candidates = env.json(&["claim", "suggest", "pp-ozone", "--format", "json"]);
    let first = &candidates[0];
    assert_eq!(first["pmid"], 22430658);
    assert_eq!(first["stance"], "supports", "{first}");
    assert!(
        first["stance_reason"].as_str().unwrap().contains("pain"),
        "{first}"
    );
    // "A study found" said of a meta-analysis overstates it.
    assert!(
        first["stance_notes"].to_string().contains("meta-analysis"),
        "{first}"
    );
    // The epidural steroid trial does not study ozone: no stance.
    let steroid = candidates
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pmid"] == 9171065)
        .expect("the steroid trial is a candidate");
    assert!(steroid["stance"].is_null(), "{steroid}");

    let out = env.ok(&["claim", "link", "pp-ozone", "22430658"]);
    assert!(
        out.contains("(supports)") && out.contains("suggestion"),
        "{out}"
    );
    let claim = env.json(&["claim", "show", "pp-ozone", "--format", "json"]);
    assert_eq!(claim["claim"]["links"][0]["suggested"], true);
    let log = env.ok(&["claim", "log", "pp-ozone"]);
    assert!(log.contains("\"suggested\":true"), "{log}");

    // No suggestion for a record that does not bear on the claim: refused, nothing linked.
    let refused = env.run(&["claim", "link", "pp-ozone", "9171065"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--stance"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // A reviewer's stance is never replaced by a suggestion, and a reviewer may change a
    // suggested one.
    env.ok(&["claim", "link", "pp-ozone", "19478653", "--stance", "mixed"]);
    let kept = env.run(&["claim", "link", "pp-ozone", "19478653"]);
    assert!(!kept.status.success());
    env.ok(&["claim", "link", "pp-ozone", "22430658", "--stance", "mixed"]);
    let claim = env.json(&["claim", "show", "pp-ozone", "--format", "json"]);
    for link in claim["claim"]["links"].as_array().unwrap() {
        assert_eq!(link["stance"], "mixed", "{link}");
        assert_eq!(link["suggested"], false, "{link}");
    }
}

#[test]
fn claim_show_rates_the_certainty_of_the_evidence_with_its_reasons() {
    let env = env();
    for pmid in ["22430658", "19478653"] {
        env.ok(&["claim", "link", "pp-ozone", pmid]);
    }
    let shown = env.json(&["claim", "show", "pp-ozone", "--format", "json"]);
    let certainty = &shown["assessment"]["certainty"];
    // A meta-analysis of randomised trials and a randomised trial: start high.
    assert_eq!(certainty["starting_level"], "high", "{certainty}");
    let reasons = certainty["reasons"].as_array().unwrap();
    let effect = |domain: &str| {
        reasons
            .iter()
            .find(|r| r["domain"] == domain)
            .map(|r| r["effect"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(effect("risk-of-bias"), "not assessed");
    assert!(
        reasons
            .iter()
            .all(|r| !r["why"].as_str().unwrap().is_empty())
    );
    let before = certainty["level"].as_str().unwrap().to_string();
    // Each linked study's finding sentence is shown with it.
    let finding = shown["assessment"]["evidence"][0]["finding"]
        .as_str()
        .unwrap();
    assert!(finding.contains("benefit"), "{finding}");

    // A reviewer's risk-of-bias judgement counts, and is kept by a later verdict without one.
    env.ok(&[
        "claim",
        "review",
        "pp-ozone",
        "--verdict",
        "partly-supported",
        "--note",
        "small trials",
        "--risk-of-bias",
        "high",
    ]);
    env.ok(&[
        "claim",
        "review",
        "pp-ozone",
        "--verdict",
        "supported",
        "--note",
        "on reflection",
    ]);
    let shown = env.json(&["claim", "show", "pp-ozone", "--format", "json"]);
    assert_eq!(shown["claim"]["risk_of_bias"], "high");
    let certainty = &shown["assessment"]["certainty"];
    let rob = certainty["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["domain"] == "risk-of-bias")
        .unwrap();
    assert_eq!(rob["effect"], "-2", "{rob}");
    assert_ne!(certainty["level"].as_str().unwrap(), before);
    let text = env.ok(&["claim", "show", "pp-ozone"]);
    assert!(text.contains("Certainty of the evidence:"), "{text}");
    let bad = env.run(&[
        "claim",
        "review",
        "pp-ozone",
        "--verdict",
        "supported",
        "--note",
        "x",
        "--risk-of-bias",
        "moderate",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn audit_shows_the_suggested_stance_beside_each_candidate() {
    let env = env();
    let article = support::fixture("articles/ozone-back-pain.md");
    let audit = env.json(&["audit", article.to_str().unwrap(), "--format", "json"]);
    let stances: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["candidates"].as_array().unwrap())
        .map(|c| &c["stance"])
        .collect();
    assert!(!stances.is_empty());
    assert!(stances.iter().any(|s| *s == "supports"), "{stances:?}");
    let markdown = env.ok(&["audit", article.to_str().unwrap()]);
    assert!(markdown.contains("suggested stance"), "{markdown}");
}
