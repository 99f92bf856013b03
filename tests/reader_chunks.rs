//! The PubMed reader gives the same result however its input arrives: every fixture (good,
//! gzip through the input opener, and broken) is read once with large reads and again through
//! a reader that returns 1 to 7 bytes per `read` in a seeded pattern, and the items (raw XML
//! included), the offsets after each item, and the error (kind, offset, PMID) must be
//! identical. Network responses arrive in pieces like this, so this exercises the reader's
//! buffer-refill and recording paths that whole-file reads never reach.

use std::io::Read;
use std::path::{Path, PathBuf};

use evcat::pubmed::input::open_input;
use evcat::pubmed::{PubmedItem, PubmedReader};

/// Seeds of the read-size patterns each fixture is read with.
const SEEDS: [u64; 3] = [1, 0x5eed, 0xdead_beef];

/// A reader that returns 1 to 7 bytes per `read`, sizes drawn from a seeded xorshift.
struct Trickle<R> {
    inner: R,
    state: u64,
    reads: u64,
}

impl<R: Read> Trickle<R> {
    fn new(inner: R, seed: u64) -> Self {
        Trickle {
            inner,
            state: seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1,
            reads: 0,
        }
    }

    fn next_size(&mut self) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        1 + (self.state % 7) as usize
    }
}

impl<R: Read> Read for Trickle<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let want = self.next_size().min(buf.len());
        // The inner reader may itself return less than asked (e.g. a gzip decoder at a block
        // boundary); pass on whatever it gives, as a socket would.
        let n = self.inner.read(&mut buf[..want])?;
        self.reads += 1;
        Ok(n)
    }
}

/// What reading a whole input gives: each item with the reader's offset after it, then the
/// error that ended it, if any (as text: kind, offset and PMID).
#[derive(Debug, PartialEq)]
struct Outcome {
    items: Vec<(PubmedItem, u64)>,
    error: Option<(String, u64)>,
}

fn read_all<R: Read>(input: R) -> Outcome {
    let mut reader = PubmedReader::new(input);
    let mut items = Vec::new();
    loop {
        match reader.next_item() {
            Ok(Some(item)) => items.push((item, reader.offset())),
            Ok(None) => return Outcome { items, error: None },
            Err(e) => {
                return Outcome {
                    items,
                    error: Some((e.to_string(), e.offset)),
                };
            }
        }
    }
}

/// The files directly in `dir` (sorted), skipping documentation.
fn files_in(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "md" && x != "csv"))
        .collect();
    files.sort();
    files
}

/// Reads `path` through the input opener (which detects gzip) at once and in trickles; returns
/// the outcome read at once.
fn check_same_in_trickles(path: &Path) -> Outcome {
    let open = || {
        open_input(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .reader
    };
    let at_once = read_all(open());
    for seed in SEEDS {
        let mut trickle = Trickle::new(open(), seed);
        let mut reader = PubmedReader::new(&mut trickle);
        let mut items = Vec::new();
        let error = loop {
            match reader.next_item() {
                Ok(Some(item)) => items.push((item, reader.offset())),
                Ok(None) => break None,
                Err(e) => break Some((e.to_string(), e.offset)),
            }
        };
        drop(reader);
        let trickled = Outcome { items, error };
        assert!(
            trickle.reads > 1 || at_once.items.is_empty(),
            "{}: the trickle was not used",
            path.display()
        );
        if trickled != at_once {
            let first = at_once
                .items
                .iter()
                .zip(&trickled.items)
                .position(|(a, b)| a != b);
            panic!(
                "{} (seed {seed:#x}): reading 1-7 bytes at a time differs from reading at once: \
                 {} vs {} items, first differing item {first:?}, errors {:?} vs {:?}",
                path.display(),
                trickled.items.len(),
                at_once.items.len(),
                trickled.error,
                at_once.error,
            );
        }
    }
    at_once
}

#[test]
fn good_fixtures_read_the_same_in_trickles() {
    let mut files = files_in("fixtures");
    files.extend(files_in("fixtures/labelled"));
    assert!(
        files.iter().any(|f| f.ends_with("gzip-sample.xml.gz")),
        "{files:?}"
    );
    let mut records = 0;
    for path in &files {
        let outcome = check_same_in_trickles(path);
        assert_eq!(outcome.error, None, "{}", path.display());
        if !path.ends_with("efetch-empty.xml") {
            assert!(!outcome.items.is_empty(), "{}: no items", path.display());
        }
        records += outcome.items.len();
    }
    assert!(records > 50, "only {records} items in the fixtures");
}

#[test]
fn broken_fixtures_fail_the_same_in_trickles() {
    let files = files_in("fixtures/broken");
    assert!(files.len() >= 8, "{files:?}");
    for path in &files {
        let outcome = check_same_in_trickles(path);
        assert!(
            outcome.error.is_some(),
            "{}: a broken fixture read without error",
            path.display()
        );
    }
}

#[test]
fn gzip_is_detected_and_decoded_in_trickles() {
    let plain = check_same_in_trickles(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/gzip-sample.xml"),
    );
    for gz in [
        "fixtures/gzip-sample.xml.gz",
        "fixtures/gzip-sample-no-extension",
    ] {
        let outcome = check_same_in_trickles(&Path::new(env!("CARGO_MANIFEST_DIR")).join(gz));
        assert_eq!(outcome, plain, "{gz} decodes to gzip-sample.xml");
    }
}
