//! Several processes on one catalogue, and writes the disk refuses: writers queue instead of
//! failing, a writer that cannot get the lock says what holds it and exits 4, and an import whose
//! writer fails stops its parser and exits with the writer's error instead of hanging.

mod support;

use std::io::Write;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use support::TestEnv;
use support::eutils_server::{EutilsServer, records_from_fixtures};

/// A PubMed XML file of `n` distinct records, PMIDs from `first`.
fn write_records(env: &TestEnv, name: &str, n: usize, first: u64) -> std::path::PathBuf {
    let path = env.dir.path().join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "<?xml version=\"1.0\"?>\n<PubmedArticleSet>").unwrap();
    for r in records_from_fixtures(n, first) {
        f.write_all(r.xml.as_bytes()).unwrap();
        writeln!(f).unwrap();
    }
    writeln!(f, "</PubmedArticleSet>").unwrap();
    path
}

/// Waits for a child with a hang guard: a child still running after `limit` is killed and the
/// test fails (the bug being tested is a process that never returns).
fn wait_or_fail(mut child: Child, limit: Duration, what: &str) -> std::process::Output {
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{what} still running after {limit:?} (hung); stderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn(env: &TestEnv, args: &[&str]) -> Child {
    env.std_cmd(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn records(env: &TestEnv) -> u64 {
    env.json(&["stats", "--format", "json"])["records"]
        .as_u64()
        .unwrap()
}

/// Another connection (this test process) holding the catalogue's write lock.
fn hold_write_lock(env: &TestEnv) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

/// An `evcat import -` that has started its write transaction and waits for more input on a
/// pipe the test controls: a writer holding the lock for as long as the test wants.
struct PipedImport {
    child: Child,
}

impl PipedImport {
    fn start(env: &TestEnv) -> PipedImport {
        let mut child = env
            .std_cmd(&["import", "-", "--format", "json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.as_mut().unwrap();
        writeln!(stdin, "<?xml version=\"1.0\"?>\n<PubmedArticleSet>").unwrap();
        for r in records_from_fixtures(3, 70_000_000) {
            stdin.write_all(r.xml.as_bytes()).unwrap();
        }
        stdin.flush().unwrap();
        // Wait until the import announces its write transaction (the note's file lock is held).
        let note = {
            let mut p = env.db.as_os_str().to_owned();
            p.push(".writer");
            std::path::PathBuf::from(p)
        };
        let started = Instant::now();
        loop {
            if let Ok(f) = std::fs::File::open(&note)
                && matches!(f.try_lock_shared(), Err(std::fs::TryLockError::WouldBlock))
            {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the piped import never started writing"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        PipedImport { child }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Ends the input; the import commits.
    fn finish(mut self) -> std::process::Output {
        let mut stdin = self.child.stdin.take().unwrap();
        writeln!(stdin, "</PubmedArticleSet>").unwrap();
        drop(stdin);
        wait_or_fail(self.child, Duration::from_secs(30), "the piped import")
    }
}

#[test]
fn two_imports_started_together_both_succeed() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let a = write_records(&env, "a.xml", 3_000, 50_000_000);
    let b = write_records(&env, "b.xml", 3_000, 60_000_000);
    let first = spawn(&env, &["import", a.to_str().unwrap()]);
    let second = spawn(&env, &["import", b.to_str().unwrap()]);
    for (out, name) in [
        (
            wait_or_fail(first, Duration::from_secs(90), "first import"),
            "first",
        ),
        (
            wait_or_fail(second, Duration::from_secs(90), "second import"),
            "second",
        ),
    ] {
        assert!(
            out.status.success(),
            "{name} import failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(records(&env), 6_000 + 12);
}

#[test]
fn an_import_that_cannot_get_the_lock_stops_and_says_so() {
    let mut env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let big = write_records(&env, "big.xml", 1_000, 50_000_000);
    let before = env.dump();
    env.set_var("EVCAT_BUSY_TIMEOUT", "1");
    let lock = hold_write_lock(&env);
    let started = Instant::now();
    let out = wait_or_fail(
        spawn(&env, &["import", big.to_str().unwrap()]),
        Duration::from_secs(30),
        "import while the catalogue is locked",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("the catalogue is busy"), "{stderr}");
    assert!(stderr.contains("another program"), "{stderr}");
    assert!(stderr.contains("EVCAT_BUSY_TIMEOUT"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20));
    drop(lock);
    assert_eq!(
        env.dump(),
        before,
        "a locked-out import changed the catalogue"
    );
    // Once the lock is released the same import works.
    env.ok(&["import", big.to_str().unwrap()]);
    assert_eq!(records(&env), 1_012);
}

#[test]
fn a_writer_that_waits_too_long_names_the_evcat_command_holding_the_lock() {
    let mut env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let import = PipedImport::start(&env);
    env.set_var("EVCAT_BUSY_TIMEOUT", "1");
    let out = env.run(&[
        "claim",
        "add",
        "--id",
        "c1",
        "--text",
        "Ozone reduces back pain",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains(&format!("another evcat import (pid {}", import.pid())),
        "{stderr}"
    );
    let done = import.finish();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    env.ok(&[
        "claim",
        "add",
        "--id",
        "c1",
        "--text",
        "Ozone reduces back pain",
    ]);
}

#[test]
fn writers_wait_for_each_other_instead_of_failing() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    env.ok(&[
        "claim",
        "add",
        "--id",
        "pp",
        "--text",
        "Ozone reduces back pain",
    ]);
    let import = PipedImport::start(&env);
    // Each of these needs the write lock the import holds: they must queue, not fail.
    let waiting = [
        spawn(
            &env,
            &[
                "claim",
                "add",
                "--id",
                "c2",
                "--text",
                "Ozone helps sciatica",
            ],
        ),
        spawn(
            &env,
            &["claim", "link", "pp", "22430658", "--stance", "supports"],
        ),
        spawn(&env, &["tag", "add", "22430658", "condition", "sciatica"]),
        spawn(&env, &["tag"]),
        spawn(&env, &["saved", "add", "s1", "ozone"]),
    ];
    std::thread::sleep(Duration::from_millis(1_500));
    let done = import.finish();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    for child in waiting {
        let out = wait_or_fail(child, Duration::from_secs(60), "a queued writer");
        assert!(
            out.status.success(),
            "a writer failed instead of waiting ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(records(&env), 15);
}

#[test]
fn a_scheduled_refresh_and_a_hand_run_import_both_succeed() {
    let server = EutilsServer::start(records_from_fixtures(266, 40_000_000));
    let mut env = TestEnv::new();
    env.set_var("EVCAT_EUTILS_BASE", &server.base_url());
    env.set_var("NCBI_EMAIL", "tester@example.org");
    env.set_var("NCBI_API_KEY", "K0123456789");
    env.ok(&["saved", "add", "all", "all"]);
    let import = PipedImport::start(&env);
    let refresh = spawn(&env, &["refresh", "--format", "json"]);
    std::thread::sleep(Duration::from_millis(1_000));
    let done = import.finish();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let out = wait_or_fail(refresh, Duration::from_secs(60), "refresh");
    assert!(
        out.status.success(),
        "refresh failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(records(&env), 266 + 3);
}

/// A file-size limit stands in for a full disk: the write fails with EFBIG (SIGXFSZ ignored).
#[cfg(unix)]
#[test]
fn an_import_onto_a_full_disk_fails_cleanly_and_keeps_the_catalogue() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let big = write_records(&env, "big.xml", 3_000, 50_000_000);
    let before = env.dump();
    let size = std::fs::metadata(&env.db).unwrap().len();
    // `ulimit -f` counts 512-byte blocks in POSIX sh (1024 in bash): either way a few MB more
    // than the catalogue, far less than 3,000 records need.
    let blocks = size / 512 + 4_096;
    let evcat = assert_cmd::cargo::cargo_bin("evcat");
    let script = format!("ulimit -f {blocks} && exec \"$0\" --db \"$1\" import \"$2\"",);
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(&evcat)
        .arg(&env.db)
        .arg(&big)
        .env("HOME", env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .env_remove("EVCAT_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_or_fail(child, Duration::from_secs(60), "import onto a full disk");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "killed by a signal or wrong exit code: {:?}\n{stderr}",
        out.status
    );
    assert!(
        stderr.contains("the disk is full or a file-size limit was reached"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing from this file was imported"),
        "{stderr}"
    );
    assert_eq!(env.dump(), before, "a failed import changed the catalogue");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
