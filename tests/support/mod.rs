//! Test support: a temporary catalogue and a runner for the real `evcat` binary.
#![allow(dead_code)]

pub mod eutils_server;
pub mod web;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A temporary directory holding a catalogue database.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    /// Extra environment for every command.
    pub vars: Vec<(String, String)>,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("catalogue.sqlite");
        TestEnv {
            dir,
            db,
            vars: Vec::new(),
        }
    }

    /// `evcat --db DB <args>` with a clean environment, as a std command (for spawning).
    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("evcat"));
        cmd.env_remove("EVCAT_DB")
            .env_remove("NCBI_API_KEY")
            .env_remove("NCBI_EMAIL")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env_remove("EVCAT_CACHE_DIR")
            .env_remove("EVCAT_EUTILS_BASE")
            .env_remove("EVCAT_CONFIG")
            .env_remove("EVCAT_REVIEWER")
            .envs(self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .arg("--db")
            .arg(&self.db)
            .args(args);
        cmd
    }

    /// Sets an environment variable for every later command.
    pub fn set_var(&mut self, key: &str, value: &str) {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_string(), value.to_string()));
    }

    /// `evcat --db DB <args>` with a clean environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        Command::from_std(self.std_cmd(args))
    }

    /// Runs and returns the output whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Runs, asserts success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "evcat {args:?} failed ({:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs, asserts success, parses stdout as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.ok(args);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("evcat {args:?}: not JSON ({e}):\n{out}"))
    }

    /// Imports fixture files (paths relative to fixtures/), asserting success.
    pub fn import(&self, fixtures: &[&str]) -> serde_json::Value {
        let paths: Vec<String> = fixtures
            .iter()
            .map(|f| fixture(f).display().to_string())
            .collect();
        let mut args = vec!["import", "--format", "json"];
        args.extend(paths.iter().map(String::as_str));
        self.json(&args)
    }

    /// Every row of every table (FTS shadow tables included), as text: two equal dumps mean the
    /// catalogue did not change.
    pub fn dump(&self) -> String {
        if !self.db.exists() {
            return String::new();
        }
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'article_fts' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut out = String::new();
        for t in tables {
            out.push_str(&format!("== {t}\n"));
            let columns: i64 = conn
                .query_row(
                    &format!("SELECT count(*) FROM pragma_table_info('{t}')"),
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            let order = if columns > 1 { "1, 2" } else { "1" };
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY {order}"))
                .unwrap();
            let n = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect();
                out.push_str(&cells.join("|"));
                out.push('\n');
            }
        }
        out
    }
}

/// Path of a fixture file.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// All importable fixture files (not fixtures/broken, not labelled sets).
pub fn all_fixtures() -> Vec<&'static str> {
    vec![
        "ozone-back-pain.xml",
        "medline-date.xml",
        "season.xml",
        "markup-nested.xml",
        "collective-name.xml",
        "orcid-forms.xml",
        "versions.xml",
        "revised-later.xml",
        "delete-citation.xml",
        "book-article.xml",
        "retracted.xml",
        "full-elements.xml",
        "efetch-empty.xml",
        "gzip-sample.xml.gz",
    ]
}

impl TestEnv {
    /// Imports one file by path, asserting success.
    pub fn import_path(&self, path: &str) -> serde_json::Value {
        self.json(&["import", "--format", "json", path])
    }
}

/// The MD5 of `bytes` in lowercase hex, as NCBI's `.md5` files give it.
pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest;
    md5::Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `status` of each file of an `import --format json` summary, in order.
pub fn file_statuses(summary: &serde_json::Value) -> Vec<String> {
    summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap().to_string())
        .collect()
}
