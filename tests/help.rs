//! `--help` of every command, run through the real binary at a narrow width (issue 11, item 19):
//! examples are printed as written (never broken inside a quoted argument), every command has
//! one, the global options stand under their own heading, `--taxonomy` is listed only where the
//! taxonomy matters, and the JSON shape a help describes is the shape the command prints.

mod support;

use std::collections::BTreeSet;

use clap::CommandFactory;
use serde_json::Value;
use support::TestEnv;

/// Every command path (`["claim", "add"]`, ...), parents included, without clap's `help`.
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_string());
            out.push(path.clone());
            walk(sub, &path, out);
        }
    }
    let mut out = vec![Vec::new()];
    walk(&evcat::cli::Cli::command(), &[], &mut out);
    out
}

/// `evcat PATH --help` at 60 columns (narrow enough that clap would rewrap long examples).
fn help(env: &TestEnv, path: &[String]) -> String {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let out = env
        .cmd(&args)
        .env("COLUMNS", "60")
        .env_remove("EVCAT_TAXONOMY")
        .output()
        .unwrap();
    assert!(out.status.success(), "evcat {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The lines of the "Examples:" block (up to the next blank line).
fn examples(help: &str) -> Vec<&str> {
    help.lines()
        .skip_while(|l| *l != "Examples:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

/// The option lines under a heading ("Options:", "Global options:").
fn section<'a>(help: &'a str, heading: &str) -> Vec<&'a str> {
    help.lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

#[test]
fn every_help_has_unbroken_examples_and_global_options_apart() {
    let env = TestEnv::new();
    let paths = command_paths();
    assert!(paths.len() > 30, "{paths:?}");
    let mut failures = Vec::new();
    for path in &paths {
        let name = format!("evcat {}", path.join(" "));
        let text = help(&env, path);
        let lines = examples(&text);
        if lines.is_empty() {
            failures.push(format!("{name}: no examples"));
        }
        for line in &lines {
            // Each example is one shell command on one line: it starts a command, and its quotes
            // are balanced (a line broken inside a quoted argument leaves one open).
            let starts = ["  evcat ", "  curl ", "  efetch "];
            if !starts.iter().any(|s| line.starts_with(s)) {
                failures.push(format!("{name}: example line is not a command: {line:?}"));
            }
            let unescaped_double = line.replace("\\\"", "").matches('"').count();
            if line.matches('\'').count() % 2 != 0 || unescaped_double % 2 != 0 {
                failures.push(format!("{name}: example broken inside a quote: {line:?}"));
            }
        }
        let global = section(&text, "Global options:");
        if !global.iter().any(|l| l.contains("--db <PATH>")) {
            failures.push(format!("{name}: no \"Global options\" heading with --db"));
        }
        if section(&text, "Options:")
            .iter()
            .any(|l| l.contains("--db") || l.contains("--quiet"))
        {
            failures.push(format!("{name}: a global option among the command's own"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn taxonomy_is_listed_only_where_the_taxonomy_matters() {
    let env = TestEnv::new();
    let path = |s: &str| -> Vec<String> { s.split(' ').map(str::to_string).collect() };
    for hidden in [
        "stats",
        "cite",
        "backup",
        "show",
        "runs",
        "saved",
        "saved list",
    ] {
        let text = help(&env, &path(hidden));
        assert!(
            !text.contains("--taxonomy"),
            "evcat {hidden} --help:\n{text}"
        );
    }
    for shown in [
        "import",
        "fetch",
        "tag",
        "find",
        "audit",
        "claim add",
        "summary",
    ] {
        let text = help(&env, &path(shown));
        assert!(text.contains("--taxonomy"), "evcat {shown} --help:\n{text}");
    }
    // Still accepted where hidden (scripts pass it everywhere), from before or after the command.
    env.ok(&["stats", "--taxonomy", "/nonexistent.toml"]);
    env.ok(&["--taxonomy", "/nonexistent.toml", "stats"]);
}

/// A shape described in help text, e.g. `{"style", "references": [{pmid, reference}]}`.
#[derive(Debug, PartialEq)]
enum Shape {
    /// An object with these fields (each with the shape of its value, if described).
    Object(Vec<(String, Option<Shape>)>),
    /// An array of elements of this shape (if described).
    Array(Option<Box<Shape>>),
}

/// Parses the first JSON shape after `marker` in `text`.
fn described_shape(text: &str, marker: &str) -> Shape {
    fn parse_shape(c: &[char], pos: &mut usize) -> Option<Shape> {
        match c.get(*pos)? {
            '{' => {
                *pos += 1;
                let mut fields = Vec::new();
                loop {
                    let name: String = c[*pos..]
                        .iter()
                        .take_while(|ch| ch.is_alphanumeric() || **ch == '_' || **ch == '"')
                        .collect();
                    *pos += name.chars().count();
                    let value = match c[*pos] {
                        ':' => {
                            *pos += 1;
                            parse_shape(c, pos)
                        }
                        '[' => parse_array(c, pos),
                        _ => None,
                    };
                    fields.push((name.trim_matches('"').to_string(), value));
                    match c[*pos] {
                        ',' => *pos += 1,
                        '}' => {
                            *pos += 1;
                            return Some(Shape::Object(fields));
                        }
                        other => panic!("unexpected {other:?} in a described shape"),
                    }
                }
            }
            '[' => parse_array(c, pos),
            _ => None,
        }
    }
    fn parse_array(c: &[char], pos: &mut usize) -> Option<Shape> {
        *pos += 1;
        let element = parse_shape(c, pos).map(Box::new);
        assert_eq!(c[*pos], ']', "an unclosed array in a described shape");
        *pos += 1;
        Some(Shape::Array(element))
    }

    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} not in:\n{text}"))
        + marker.len();
    let chars: Vec<char> = text[start..]
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`')
        .collect();
    parse_shape(&chars, &mut 0).expect("a shape")
}

/// Checks a value against a described shape: the same kind, and exactly the described fields.
fn check_shape(value: &Value, shape: &Shape, at: &str) {
    match (shape, value) {
        (Shape::Object(fields), Value::Object(map)) => {
            let described: BTreeSet<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
            let actual: BTreeSet<&str> = map.keys().map(String::as_str).collect();
            assert_eq!(described, actual, "fields of {at}");
            for (name, sub) in fields {
                if let Some(sub) = sub {
                    check_shape(&map[name], sub, &format!("{at}.{name}"));
                }
            }
        }
        (Shape::Array(element), Value::Array(items)) => {
            assert!(!items.is_empty(), "{at}: an empty array checks nothing");
            if let Some(element) = element {
                for (i, item) in items.iter().enumerate() {
                    check_shape(item, element, &format!("{at}[{i}]"));
                }
            }
        }
        _ => panic!("{at}: described as {shape:?}, printed {value}"),
    }
}

#[test]
fn the_json_each_help_describes_is_what_the_command_prints() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    env.ok(&["saved", "add", "ozone-back", "ozone AND back pain"]);

    let cite_help = help(&env, &["cite".to_string()]);
    let shape = described_shape(&cite_help, "JSON");
    assert!(matches!(shape, Shape::Object(_)), "{shape:?}");
    let printed = env.json(&["cite", "22430658", "19478653", "--format", "json"]);
    check_shape(&printed, &shape, "cite");

    let saved_help = help(&env, &["saved".to_string(), "list".to_string()]);
    let shape = described_shape(&saved_help, "JSON: an array");
    assert!(matches!(shape, Shape::Array(Some(_))), "{shape:?}");
    let printed = env.json(&["saved", "list", "--format", "json"]);
    check_shape(&printed, &shape, "saved list");
    assert!(
        !saved_help.contains("JSON object"),
        "saved list prints an array:\n{saved_help}"
    );
}

#[test]
fn the_shape_parser_reads_nested_descriptions() {
    let shape = described_shape(
        "JSON: [{sentence, cues[], candidates[{pmid, score}]}]",
        "JSON:",
    );
    let Shape::Array(Some(element)) = shape else {
        panic!("{shape:?}")
    };
    let Shape::Object(fields) = *element else {
        panic!("{element:?}")
    };
    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["sentence", "cues", "candidates"]);
    assert_eq!(fields[1].1, Some(Shape::Array(None)));
}

#[test]
fn one_name_for_the_human_format_and_the_old_names_still_work() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    for (path, old) in [
        ("find", "table"),
        ("summary", "table"),
        ("claim list", "table"),
        ("audit", "markdown"),
    ] {
        let path: Vec<String> = path.split(' ').map(str::to_string).collect();
        let text = help(&env, &path);
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("[default: text]"),
            "evcat {path:?} --help has no `text` default:\n{text}"
        );
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        if path[0] == "find" {
            args.push("ozone");
        }
        if path[0] == "audit" {
            args.push("-");
        }
        let with_old = {
            let mut a = args.clone();
            a.extend(["--format", old]);
            let out = env
                .cmd(&a)
                .write_stdin("Ozone cures back pain.\n")
                .output()
                .unwrap();
            assert!(out.status.success(), "evcat {a:?}: {out:?}");
            out.stdout
        };
        let with_text = {
            let mut a = args.clone();
            a.extend(["--format", "text"]);
            env.cmd(&a)
                .write_stdin("Ozone cures back pain.\n")
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(
            with_old, with_text,
            "evcat {args:?}: --format {old} differs from text"
        );
    }
}

#[test]
fn output_is_o_everywhere_and_report_keeps_output_dir() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let report_help = help(&env, &["report".to_string()]);
    assert!(report_help.contains("-o, --output <DIR>"), "{report_help}");
    let export_help = help(&env, &["export".to_string()]);
    assert!(export_help.contains("-o, --output <FILE>"), "{export_help}");

    let new = env.dir.path().join("new");
    let old = env.dir.path().join("old");
    env.ok(&["report", "--output", new.to_str().unwrap()]);
    env.ok(&["report", "--output-dir", old.to_str().unwrap()]);
    assert!(new.join("report.html").is_file());
    assert!(old.join("report.html").is_file());
}
