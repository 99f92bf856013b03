//! `evcat show`: the JSON carries every key README's schema documents (the key list is read
//! from README itself, so the two cannot drift apart), and a record without stored XML says so.

mod support;

use support::{TestEnv, all_fixtures};

/// The field names of README's `show --format json` table: the first cell of each row, between
/// the section heading and the next heading.
fn documented_show_keys() -> Vec<String> {
    let readme = include_str!("../README.md");
    let start = readme
        .find("### `evcat show PMID`")
        .expect("README documents show");
    let section = &readme[start + 1..];
    let section = &section[..section.find("\n#").unwrap_or(section.len())];
    let keys: Vec<String> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    assert!(
        keys.len() > 30,
        "README's show schema table not found: {keys:?}"
    );
    keys
}

#[test]
fn show_json_has_every_key_readme_documents() {
    let mut env = TestEnv::new();
    env.set_var("EVCAT_REVIEWER", "R");
    env.import(&all_fixtures());
    env.ok(&[
        "claim",
        "add",
        "--id",
        "pp",
        "--text",
        "Ozone reduces back pain",
    ]);
    env.ok(&["claim", "link", "pp", "22430658", "--stance", "supports"]);
    for pmid in ["22430658", "19478653"] {
        let v = env.json(&["show", pmid, "--format", "json"]);
        let object = v.as_object().unwrap();
        for key in documented_show_keys() {
            assert!(
                object.contains_key(&key),
                "show {pmid}: README's key {key:?} missing"
            );
        }
    }
    let cited = env.json(&["show", "22430658", "--format", "json"]);
    assert_eq!(
        cited["claims"],
        serde_json::json!([{"claim": "pp", "stance": "supports"}])
    );
    let uncited = env.json(&["show", "19478653", "--format", "json"]);
    assert_eq!(uncited["claims"], serde_json::json!([]));
}

#[test]
fn xml_of_a_record_without_data_is_not_found() {
    let env = TestEnv::new();
    env.import(&["delete-citation.xml"]);
    let out = env.run(&["show", "99999990", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no XML is stored for PMID 99999990"),
        "{stderr}"
    );
    env.ok(&["show", "99999990"]);
}
