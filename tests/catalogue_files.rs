//! What `--db` may point at: another program's SQLite file, a file that is not SQLite, a damaged
//! catalogue, a path whose directory does not exist, a catalogue in a read-only directory.
//! evcat refuses what is not an undamaged catalogue before changing anything, in one line, and
//! read commands neither create nor change files.

mod support;

use std::path::Path;

use support::TestEnv;

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// Runs a command that must be refused: non-zero exit, a one-line message containing `expect`,
/// and the file byte-identical afterwards.
fn refused(env: &TestEnv, args: &[&str], expect: &str) {
    let before = bytes(&env.db);
    let out = env.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "evcat {args:?}: {stderr}");
    assert!(stderr.contains(expect), "evcat {args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.len() < 600, "short: {stderr}");
    assert!(!stderr.contains("CREATE TABLE"), "no SQL dump: {stderr}");
    assert_eq!(bytes(&env.db), before, "evcat {args:?} changed the file");
    let mut wal = env.db.as_os_str().to_owned();
    wal.push("-wal");
    assert!(
        !Path::new(&wal).exists(),
        "evcat {args:?} switched it to WAL"
    );
}

const WRITERS_AND_READERS: &[&[&str]] = &[
    &["stats"],
    &["find", "ozone"],
    &["import", "FIXTURE"],
    &["claim", "add", "--id", "c", "--text", "Ozone helps"],
    &["saved", "add", "s", "ozone"],
    &["tag"],
];

fn with_fixture<'a>(args: &'a [&'a str], fixture: &'a str) -> Vec<&'a str> {
    args.iter()
        .map(|a| if *a == "FIXTURE" { fixture } else { a })
        .collect()
}

#[test]
fn another_programs_sqlite_database_is_refused_unchanged() {
    let env = TestEnv::new();
    let fixture = support::fixture("ozone-back-pain.xml");
    let fixture = fixture.to_str().unwrap();
    // user_version 0 with tables, and a non-zero user_version without evcat's tables.
    for setup in [
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine');",
        "CREATE TABLE history (url TEXT); PRAGMA user_version = 3;",
    ] {
        let _ = std::fs::remove_file(&env.db);
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch(setup).unwrap();
        drop(conn);
        for args in WRITERS_AND_READERS {
            refused(&env, &with_fixture(args, fixture), "not an evcat catalogue");
        }
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_unchanged() {
    let env = TestEnv::new();
    std::fs::write(&env.db, "these are my notes, not a database\n".repeat(100)).unwrap();
    let fixture = support::fixture("ozone-back-pain.xml");
    for args in WRITERS_AND_READERS {
        refused(
            &env,
            &with_fixture(args, fixture.to_str().unwrap()),
            "not an evcat catalogue (the file is not a SQLite database)",
        );
    }
}

#[test]
fn a_damaged_catalogue_refuses_writes() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml", "full-elements.xml", "versions.xml"]);
    // Overwrite two of the last pages of the file (b-tree pages of some table or index the
    // imports wrote; the first pages hold the schema, written when the catalogue was created).
    let mut data = bytes(&env.db);
    let page = 4096;
    let pages = data.len() / page;
    assert!(pages > 20, "catalogue too small to damage: {pages} pages");
    for p in [pages - 4, pages - 3] {
        for b in &mut data[p * page..(p + 1) * page] {
            *b = 0xA5;
        }
    }
    std::fs::write(&env.db, &data).unwrap();
    // The damage is real: SQLite itself sees it (in what the check reports, or in failing to
    // read what it checks).
    let check =
        rusqlite::Connection::open(&env.db)
            .unwrap()
            .query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0));
    assert!(
        check.as_ref().map_or_else(
            |e| e.to_string().contains("malformed"),
            |report| report != "ok"
        ),
        "{check:?}"
    );
    let fixture = support::fixture("retracted.xml");
    for args in [
        &["import", fixture.to_str().unwrap()][..],
        &["claim", "add", "--id", "c", "--text", "Ozone helps"],
        &["tag"],
        &["tag", "add", "22430658", "condition", "sciatica"],
        &["saved", "add", "s", "ozone"],
    ] {
        refused(
            &env,
            args,
            "catalogue is damaged: restore from backup (see README",
        );
    }
}

#[test]
fn read_commands_create_nothing() {
    let mut env = TestEnv::new();
    let db = env
        .dir
        .path()
        .join("no")
        .join("such")
        .join("dir")
        .join("c.sqlite");
    env.db = db.clone();
    for args in [
        &["stats"][..],
        &["find", "ozone"],
        &["claim", "list"],
        &["runs"],
        &["summary"],
        &["saved", "list"],
    ] {
        let out = env.run(args);
        assert!(
            out.status.success(),
            "evcat {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !env.dir.path().join("no").exists(),
            "evcat {args:?} created the catalogue's directory"
        );
    }
    // A writing command creates it.
    let fixture = support::fixture("ozone-back-pain.xml");
    env.ok(&["import", fixture.to_str().unwrap()]);
    assert!(db.exists());
}

/// A catalogue in a directory the user cannot write (a shared, read-only copy) can be read.
/// As root every directory is writable, so the commands then run as user `nobody`.
#[cfg(target_os = "linux")]
#[test]
fn a_catalogue_in_a_read_only_directory_can_be_read() {
    use std::os::unix::fs::PermissionsExt;
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
    let wal = format!("{}-wal", env.db.display());
    assert!(!Path::new(&wal).exists(), "the last writer checkpointed");
    let dir = env.dir.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    });
    // The binary and the inputs must be reachable by that user wherever the checkout is (a
    // checkout under /root is not): link or copy them into a directory it can read.
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let built = assert_cmd::cargo::cargo_bin("evcat");
    let evcat = shared.path().join("evcat");
    if std::fs::hard_link(&built, &evcat).is_err() {
        std::fs::copy(&built, &evcat).unwrap();
    }
    std::fs::set_permissions(&evcat, std::fs::Permissions::from_mode(0o755)).unwrap();
    let input = shared.path().join("retracted.xml");
    std::fs::copy(support::fixture("retracted.xml"), &input).unwrap();
    std::fs::set_permissions(&input, std::fs::Permissions::from_mode(0o644)).unwrap();
    let as_user = |args: &[&str]| {
        let mut cmd = if root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&evcat);
            c
        } else {
            std::process::Command::new(&evcat)
        };
        cmd.env("HOME", "/nonexistent")
            .env_remove("EVCAT_DB")
            .env_remove("XDG_CONFIG_HOME")
            .arg("--db")
            .arg(&env.db)
            .args(args)
            .output()
            .unwrap()
    };
    // The precondition: this user really cannot write there.
    let probe = as_user(&["import", input.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&probe.stderr).to_lowercase();
    assert!(
        !probe.status.success()
            && (said.contains("readonly")
                || said.contains("read-only")
                || said.contains("permission denied")),
        "the directory is writable, or the import failed for another reason: {said}"
    );
    for args in [
        &["stats"][..],
        &["find", "ozone"],
        &["show", "22430658"],
        &["claim", "list"],
        &["export", "--format", "ris"],
    ] {
        let out = as_user(args);
        assert!(
            out.status.success(),
            "evcat {args:?} in a read-only directory: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "evcat {args:?} printed nothing");
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}
