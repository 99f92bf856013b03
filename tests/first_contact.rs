//! What a new user meets first (issue 11): the README's quick start on a fresh catalogue (item
//! 23), `config show` (item 20), and the Dates block of `show` (item 22).

mod support;

use std::path::Path;

use serde_json::Value;
use support::TestEnv;

/// The `evcat` arguments of each command in README's "Quick start" block (after `cargo run
/// --release -- --db PATH`), with `fixtures/*.xml` globs expanded as a shell would.
fn quick_start_commands() -> Vec<Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block: Vec<&str> = readme
        .split("## Quick start")
        .nth(1)
        .expect("a Quick start section")
        .split("```sh\n")
        .nth(1)
        .expect("a sh block")
        .split("```")
        .next()
        .unwrap()
        .lines()
        .collect();
    let mut commands = Vec::new();
    for line in block {
        let line = line
            .trim()
            .trim_end_matches('\\')
            .trim()
            .trim_end_matches("&&");
        let rest = line
            .split_once(".sqlite ")
            .unwrap_or_else(|| panic!("not an evcat command with --db: {line:?}"))
            .1;
        commands.push(shell_words(rest, root));
    }
    assert!(commands.len() >= 3, "{commands:?}");
    commands
}

/// Splits like a shell: single quotes, double quotes (with `\"`), and `fixtures/*.xml` globs.
fn shell_words(line: &str, root: &Path) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut chars = line.chars().peekable();
    let mut started = false;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, ' ') => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => word.push(chars.next().unwrap()),
            (_, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
        .into_iter()
        .flat_map(|w| match w.strip_suffix("*.xml") {
            Some(dir) => {
                let mut files: Vec<String> = std::fs::read_dir(root.join(dir))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|e| e == "xml"))
                    .map(|p| p.display().to_string())
                    .collect();
                files.sort();
                files
            }
            None if w.starts_with("fixtures/") => vec![root.join(&w).display().to_string()],
            None => vec![w],
        })
        .collect()
}

#[test]
fn the_quick_start_shows_the_flagship_evidence_live() {
    let env = TestEnv::new();
    let mut outputs = Vec::new();
    for args in quick_start_commands() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        outputs.push((args.join(" "), env.ok(&args)));
    }
    let (_, find) = &outputs[1];
    assert!(find.contains("22430658"), "{find}");
    // What a new user types next on that catalogue: the meta-analyses are live.
    let broader = env.ok(&["find", "ozone", "--limit", "100"]);
    assert!(broader.contains("20188591"), "{broader}");
    outputs.push(("find ozone".into(), broader));
    for (command, out) in &outputs {
        assert!(
            !out.contains("DELETED"),
            "`evcat {command}` shows a deleted record on first contact:\n{out}"
        );
    }
}

#[test]
fn config_show_says_what_is_unset_without_hints_in_values() {
    let env = TestEnv::new();
    let v: Value = env.json(&["config", "show", "--format", "json"]);
    assert_eq!(v["api_key"]["value"], Value::Null, "{v:#}");
    assert_eq!(v["api_key"]["origin"], "unset");
    assert_eq!(v["api_key"]["hint"], "set NCBI_API_KEY or api_key_file");
    assert_eq!(v["taxonomy"]["value"], Value::Null, "{v:#}");
    assert_eq!(v["taxonomy"]["origin"], "default");
    assert_eq!(v["taxonomy"]["hint"], "built-in default");
    // Settings with a value carry no hint.
    assert!(v["batch_size"].get("hint").is_none(), "{v:#}");

    let text = env.ok(&["config", "show"]);
    let line = |name: &str| -> String {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} line in:\n{text}"))
            .to_string()
    };
    let api = line("api_key");
    assert!(
        api.contains("not set (set NCBI_API_KEY or api_key_file)") && !api.contains("none"),
        "{api}"
    );
    assert!(
        line("taxonomy").contains("built-in default  [default]"),
        "{text}"
    );
}

#[test]
fn config_show_names_the_taxonomy_file_and_where_it_came_from() {
    let mut env = TestEnv::new();
    let file = env.dir.path().join("mine.toml");
    let shown = file.display().to_string();
    let v = env.json(&["--taxonomy", &shown, "config", "show", "--format", "json"]);
    assert_eq!(
        (&v["taxonomy"]["value"], &v["taxonomy"]["origin"]),
        (&Value::from(shown.clone()), &Value::from("flag"))
    );
    assert!(v["taxonomy"].get("hint").is_none());
    env.set_var("EVCAT_TAXONOMY", &shown);
    let v = env.json(&["config", "show", "--format", "json"]);
    assert_eq!(v["taxonomy"]["origin"], "environment", "{v:#}");
    let text = env.ok(&["config", "show"]);
    assert!(text.contains(&format!("{shown}  [environment]")), "{text}");
}

#[test]
fn show_lists_each_date_label_once() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let text = env.ok(&["show", "22430658"]);
    let dates: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "Dates:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert!(dates.len() >= 5, "{text}");
    let mut labels: Vec<&str> = dates
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    labels.sort_unstable();
    let before = labels.len();
    labels.dedup();
    assert_eq!(
        labels.len(),
        before,
        "a label listed twice:\n{}",
        dates.join("\n")
    );
    // Both revision dates are still shown, each under its own name.
    let block = dates.join("\n");
    assert!(block.contains("revised    2011-11-01"), "{block}");
    assert!(block.contains("last revised 2022-03-16"), "{block}");
    assert!(block.contains("completed 2012-07-02"), "{block}");
}
