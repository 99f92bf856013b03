//! Hostile input to `evcat import`: characters XML forbids, impossible PMIDs, deep nesting, a
//! gzip bomb, and a seeded generator of damaged files. Every rejection must name the file, line,
//! byte and record, exit 1, and leave the catalogue as it was.

mod support;

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use evcat::pubmed::reader::{MAX_DEPTH, MAX_PMID, MAX_RECORD_BYTES, is_xml_char};
use evcat::pubmed::{ParseErrorKind, PubmedItem, PubmedReader};
use evcat::store::Store;
use evcat::store::import::{ImportError, import_stream};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::Value;
use support::{TestEnv, fixture};

/// Imports `path` expecting exactly one failed file; returns its JSON summary entry after
/// checking the exit code, that the error names the file and that nothing changed.
fn rejected(env: &TestEnv, path: &str) -> Value {
    let before = env.dump();
    let out = env
        .cmd(&["import", "--format", "json", path])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{path}: {stderr}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "{path}: one error line: {stderr}"
    );
    assert!(
        stderr.contains(path),
        "{path}: must name the file: {stderr}"
    );
    assert!(
        stderr.contains("nothing from this file was imported"),
        "{stderr}"
    );
    assert_eq!(env.dump(), before, "{path}: the catalogue changed");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["files_failed"], 1);
    summary["files"][0].clone()
}

#[test]
fn forbidden_characters_and_impossible_pmids_fail_the_file_where_they_are() {
    let env = TestEnv::new();
    env.import(&["season.xml"]);
    // (fixture, words of the message, line, PMID of the record named). Each damaged value is
    // in the second record (line 5) of an otherwise valid two-record file.
    let cases: &[(&str, &str, u64, Option<u64>)] = &[
        (
            "broken/nul-byte.xml",
            "control character U+0000 is not allowed in XML",
            5,
            Some(99000092),
        ),
        (
            "broken/control-char.xml",
            "control character U+0007 is not allowed",
            5,
            Some(99000092),
        ),
        (
            "broken/char-ref-control.xml",
            "character reference &#x7; (U+0007) is not allowed",
            5,
            Some(99000092),
        ),
        (
            "broken/char-ref-noncharacter.xml",
            "character reference &#xFFFE; (U+FFFE) is not allowed",
            5,
            Some(99000092),
        ),
        (
            "broken/pmid-overflow.xml",
            "<PMID> holds \"9223372036854775808\", which is not a PMID",
            5,
            None,
        ),
        (
            "broken/pmid-zero.xml",
            "<PMID> holds \"0\", which is not a PMID",
            5,
            None,
        ),
        (
            "broken/pmid-signed.xml",
            "<PMID> holds \"+5\", which is not a PMID",
            5,
            None,
        ),
        (
            "broken/delete-citation-bad-pmid.xml",
            "<PMID> holds \"-3\", which is not a PMID",
            6,
            None,
        ),
        (
            "broken/deep-nesting.xml",
            &format!("nested more than {MAX_DEPTH} deep"),
            5,
            Some(99000092),
        ),
    ];
    for &(name, words, line, pmid) in cases {
        let path = fixture(name).display().to_string();
        let file = rejected(&env, &path);
        let error = file["error"].as_str().unwrap();
        assert!(
            error.contains(words),
            "{name}: expected {words:?} in {error}"
        );
        assert_eq!(file["line"], line, "{name}: {error}");
        assert!(error.contains(&format!("line {line}, byte ")), "{error}");
        match pmid {
            Some(p) => {
                assert_eq!(file["pmid"], p, "{name}: {error}");
                assert!(error.contains(&format!("record PMID {p}")), "{error}");
            }
            None => assert!(file["pmid"].is_null(), "{name}: {error}"),
        }
    }
}

#[test]
fn the_largest_pmid_is_accepted_and_shown() {
    // The boundary of the PMID rule: i64::MAX is a PMID, one more is not (see above).
    let env = TestEnv::new();
    let xml = std::fs::read_to_string(fixture("gzip-sample.xml"))
        .unwrap()
        .replace(">99000092<", &format!(">{MAX_PMID}<"));
    let path = env.dir.path().join("largest.xml");
    std::fs::write(&path, xml).unwrap();
    let summary = env.import_path(&path.display().to_string());
    assert_eq!(summary["totals"]["inserted"], 2);
    let shown = env.json(&["show", &MAX_PMID.to_string(), "--format", "json"]);
    assert_eq!(shown["pmid"], MAX_PMID, "{shown}");
}

/// Writes a gzip file holding one record whose title is `title_bytes` long, streaming the
/// compressor so the test never holds the decompressed content.
fn gzip_bomb(path: &std::path::Path, title_bytes: usize) {
    let xml = std::fs::read_to_string(fixture("gzip-sample.xml")).unwrap();
    let at = xml.find("<ArticleTitle>").unwrap() + "<ArticleTitle>".len();
    let file = std::fs::File::create(path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    gz.write_all(&xml.as_bytes()[..at]).unwrap();
    let block = vec![b'a'; 1 << 20];
    let mut left = title_bytes;
    while left > 0 {
        let n = left.min(block.len());
        gz.write_all(&block[..n]).unwrap();
        left -= n;
    }
    gz.write_all(&xml.as_bytes()[at..]).unwrap();
    gz.finish().unwrap();
}

#[test]
fn a_gzip_bomb_fails_once_the_record_passes_the_limit() {
    let env = TestEnv::new();
    env.import(&["season.xml"]);
    let path = env.dir.path().join("bomb.xml.gz");
    // Four times the limit; before the limit existed the whole title was buffered (a 128 MiB
    // one took a minute and 2.2 GB).
    gzip_bomb(&path, 4 * MAX_RECORD_BYTES);
    assert!(std::fs::metadata(&path).unwrap().len() < (1 << 20));
    let file = rejected(&env, &path.display().to_string());
    let error = file["error"].as_str().unwrap();
    assert!(error.contains("larger than the 16 MiB limit"), "{error}");
    assert!(error.contains("record PMID 99000091"), "{error}");
    assert_eq!(file["line"], 4, "{error}");
    // Reading stopped at the limit: the record starts on line 4, within the first KB.
    let offset = file["offset"].as_u64().unwrap();
    assert!(
        offset <= (MAX_RECORD_BYTES + 1024) as u64 && offset >= MAX_RECORD_BYTES as u64,
        "stopped at byte {offset}"
    );
}

// ----- generated input ----------------------------------------------------------------------

const SEEDS: &[&str] = &[
    "gzip-sample.xml",
    "delete-citation.xml",
    "book-article.xml",
    "markup-nested.xml",
    "full-elements.xml",
    "retracted.xml",
    "collective-name.xml",
    "efetch-empty.xml",
];

const REFERENCES: &[&str] = &[
    "&#x7;",
    "&#0;",
    "&#x0;",
    "&#xFFFE;",
    "&#xFFFF;",
    "&#xD800;",
    "&#x110000;",
    "&#1;",
    "&#65;",
    "&#x1F600;",
    "&amp;",
    "&lt;",
    "&nbsp;",
    "&",
    "&#;",
    "&#x;",
    "&#99999999999;",
    "&#-5;",
    "&#+5;",
    "&lol;",
];

const NUMBERS: &[&str] = &[
    "0",
    "+5",
    "-1",
    "00",
    "1",
    " 7 ",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999",
    "1e5",
    "",
    "٣",
    "12&#x7;",
];

const ELEMENTS: &[&str] = &[
    "PMID",
    "ArticleTitle",
    "Abstract",
    "AuthorList",
    "Author",
    "PubmedArticle",
    "DeleteCitation",
    "ReferenceList",
    "MedlineCitation",
    "CommentsCorrections",
    "PubDate",
    "Section",
    "ArticleIdList",
];

/// Positions of `needle` in `hay`.
fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Applies one random mutation: the damage testers did by hand, and random bytes.
fn mutate(rng: &mut StdRng, input: &mut Vec<u8>) {
    let at = |rng: &mut StdRng, v: &Vec<u8>| rng.random_range(0..=v.len());
    match rng.random_range(0..10) {
        0 => {
            if !input.is_empty() {
                let i = rng.random_range(0..input.len());
                input[i] ^= 1 << rng.random_range(0..8);
            }
        }
        1 => {
            let i = at(rng, input);
            input.truncate(i);
        }
        2 => {
            let i = at(rng, input);
            let c = [0u8, 7, 8, 0x0B, 0x0C, 0x1B, 0x1F][rng.random_range(0..7)];
            input.insert(i, c);
        }
        3 => {
            let i = at(rng, input);
            let r = REFERENCES[rng.random_range(0..REFERENCES.len())];
            input.splice(i..i, r.bytes());
        }
        4 => {
            // A PMID (of a record, a deletion or a link) replaced by an odd number.
            let starts = find_all(input, b"<PMID");
            if let Some(&s) = starts.get(rng.random_range(0..starts.len().max(1)))
                && let (Some(open), Some(close)) =
                    (find(&input[s..], b">"), find(&input[s..], b"</PMID>"))
                && open < close
            {
                let n = NUMBERS[rng.random_range(0..NUMBERS.len())];
                input.splice(s + open + 1..s + close, n.bytes());
            }
        }
        5 => {
            // Deep nesting, around the limit, of a parsed or an unknown element.
            let name = ["ReferenceList", "Section", "X", "i"][rng.random_range(0..4)];
            let n = rng.random_range(MAX_DEPTH - 20..MAX_DEPTH + 20);
            let lts = find_all(input, b"<");
            if let Some(&i) = lts.get(rng.random_range(0..lts.len().max(1))) {
                let deep = format!(
                    "{}{}",
                    format!("<{name}>").repeat(n),
                    format!("</{name}>").repeat(n)
                );
                input.splice(i..i, deep.bytes());
            }
        }
        6 => {
            // A whole element duplicated in place.
            let name = ELEMENTS[rng.random_range(0..ELEMENTS.len())];
            let close = format!("</{name}>");
            let open = format!("<{name}");
            if let (Some(s), Some(e)) =
                (find(input, open.as_bytes()), find(input, close.as_bytes()))
            {
                let e = e + close.len();
                if s < e {
                    let copy = input[s..e].to_vec();
                    input.splice(e..e, copy);
                }
            }
        }
        7 => {
            let i = at(rng, input);
            let raw: &[u8] = [
                &b"\xEF\xBF\xBE"[..],
                b"\xEF\xBF\xBF",
                b"\xED\xA0\x80",
                b"\xFF",
                b"\xC3",
            ][rng.random_range(0..5)];
            input.splice(i..i, raw.iter().copied());
        }
        8 => {
            // A random span copied elsewhere.
            if input.len() > 2 {
                let a = rng.random_range(0..input.len());
                let b = rng.random_range(a..=input.len().min(a + 400));
                let copy = input[a..b].to_vec();
                let i = at(rng, input);
                input.splice(i..i, copy);
            }
        }
        _ => {
            if !input.is_empty() {
                let a = rng.random_range(0..input.len());
                let b = rng.random_range(a..=input.len().min(a + 64));
                input.drain(a..b);
            }
        }
    }
}

#[derive(Default, Debug)]
struct Outcomes {
    ok: usize,
    forbidden: usize,
    pmid: usize,
    deep: usize,
    other: usize,
}

/// Reads `input` to its end or first error. Records that come out must respect the rules the
/// reader enforces.
fn read_checked(input: &[u8], outcomes: &mut Outcomes) {
    let mut reader = PubmedReader::new(input);
    loop {
        match reader.next_item() {
            Ok(Some(PubmedItem::Article(a))) => {
                assert!((1..=MAX_PMID).contains(&a.pmid), "PMID {}", a.pmid);
                let mut texts = vec![a.title.text.as_str()];
                if let Some(abs) = &a.abstract_ {
                    texts.extend(abs.sections.iter().map(|s| s.text.as_str()));
                }
                for t in texts {
                    assert!(
                        t.chars().all(is_xml_char),
                        "forbidden character kept: {t:?}"
                    );
                }
                assert!(a.raw_xml.len() <= MAX_RECORD_BYTES);
            }
            Ok(Some(PubmedItem::Deletion(pmids))) => {
                assert!(
                    pmids.iter().all(|p| (1..=MAX_PMID).contains(p)),
                    "{pmids:?}"
                );
            }
            Ok(None) => {
                outcomes.ok += 1;
                return;
            }
            Err(e) => {
                assert!(e.offset <= input.len() as u64, "{e}");
                assert!(!e.to_string().is_empty());
                match e.kind {
                    ParseErrorKind::ForbiddenCharacter(_) => outcomes.forbidden += 1,
                    ParseErrorKind::InvalidPmid(_) => outcomes.pmid += 1,
                    ParseErrorKind::TooDeep => outcomes.deep += 1,
                    _ => outcomes.other += 1,
                }
                return;
            }
        }
    }
}

#[test]
fn thousands_of_damaged_files_give_records_or_an_error_never_a_panic() {
    let seeds: Vec<Vec<u8>> = SEEDS
        .iter()
        .map(|f| std::fs::read(fixture(f)).unwrap())
        .collect();
    let mut rng = StdRng::seed_from_u64(9);
    let mut outcomes = Outcomes::default();
    let mut imported = 0;
    for case in 0..3000 {
        let mut input = seeds[rng.random_range(0..seeds.len())].clone();
        for _ in 0..rng.random_range(1..=3) {
            mutate(&mut rng, &mut input);
        }
        let result = catch_unwind(AssertUnwindSafe(|| {
            read_checked(&input, &mut outcomes);
            // A subset goes through a whole import: whatever the reader accepts, the store
            // must take.
            if case % 25 == 0 {
                let mut store = Store::open_in_memory().unwrap();
                match import_stream(&mut store, &input[..], "generated", None, &mut |_| {}) {
                    Ok(_) | Err(ImportError::Parse(_)) => {}
                    Err(e) => panic!("the store refused what the reader accepted: {e}"),
                }
                imported += 1;
            }
        }));
        if result.is_err() {
            let keep = std::env::temp_dir().join(format!("evcat-hostile-case-{case}.xml"));
            std::fs::write(&keep, &input).unwrap();
            panic!("case {case} failed; its input is in {}", keep.display());
        }
    }
    eprintln!("{outcomes:?}, {imported} imported");
    // The generator reaches every rejection it is meant to exercise, and leaves enough files
    // intact that records are checked too.
    assert!(outcomes.forbidden > 50, "{outcomes:?}");
    assert!(outcomes.pmid > 20, "{outcomes:?}");
    assert!(outcomes.deep > 20, "{outcomes:?}");
    assert!(outcomes.ok > 100, "{outcomes:?}");
    assert!(outcomes.other > 100, "{outcomes:?}");
}
