//! Import semantics: how PubMed items change the catalogue.
//!
//! - Identity is the PMID. A record whose parsed content is unchanged writes nothing.
//! - A record with a newer `Version`, or the same version and a later (or equal but different)
//!   `DateRevised`, replaces the current data; what it replaced goes to `revisions` (version,
//!   date, content hash, original XML). Only what changed is written again: the child parts,
//!   full-text row and tags that differ from the stored version ([`RevisionPlan`]). An older
//!   record is skipped and counted as `older`.
//! - `DeleteCitation` PMIDs become tombstones after every record of the same input is applied:
//!   the row stays (claims may cite it), flagged deleted. A PMID the catalogue never had gets a
//!   tombstone without data. Tombstones are final: later data for the PMID is stored, but the
//!   record stays flagged deleted.
//! - One input is one transaction: if reading or writing fails anywhere, nothing of that input
//!   is kept, and the error says where (byte offset, PMID).
//!
//! - A file applied by `import --resume` is recorded ([`AppliedFile`]) in its own transaction.
//!
//! A thread parses, preparing workers hash, compress, tag and plan revisions, and this thread
//! writes to SQLite.

use std::io::Read;
use std::sync::{Arc, mpsc};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::articles::{
    Parts, fts_columns, insert_article, record_source_id, replace_article, write_index_row,
};
use super::compression::{
    TRAIN_AT_RECORDS, XmlBlocks, XmlDictionary, compress_xml, current_dictionary, decompress_xml,
    train_dictionary,
};
use super::rank::note_lengths;
use super::tags::{SerializedTags, derive, write_rule_tags};
use super::{Store, StoreError, WriteTransaction, now_rfc3339, open_read_only};
use crate::pubmed::{Article, ParseError, PartialDate, Pmid, PubmedItem, PubmedReader};
use crate::tagging::{Matcher, TagInput};

/// What one input did to the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    /// Records read (articles and book records).
    pub records: u64,
    /// New PMIDs.
    pub inserted: u64,
    /// PMIDs whose data was replaced by a newer version or revision.
    pub updated: u64,
    /// Records identical to what the catalogue holds, plus older ones skipped.
    pub unchanged: u64,
    /// Of `unchanged`: records older than the stored version (skipped).
    pub older: u64,
    /// PMIDs newly turned into tombstones by `DeleteCitation`.
    pub deleted: u64,
    /// Of `deleted`: PMIDs the catalogue had no data for.
    pub deleted_unknown: u64,
    /// The PMIDs of the records read, in order (not added up by [`ImportCounts::add`]).
    #[serde(skip)]
    pub pmids: Vec<Pmid>,
}

impl ImportCounts {
    /// Adds another input's counts.
    pub fn add(&mut self, other: &ImportCounts) {
        self.records += other.records;
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.older += other.older;
        self.deleted += other.deleted;
        self.deleted_unknown += other.deleted_unknown;
    }
}

/// Why an input was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input is not valid PubMed XML.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The database refused a write.
    #[error("{error}{}", .pmid.map(|p| format!(" (record PMID {p})")).unwrap_or_default())]
    Store {
        /// The error.
        error: StoreError,
        /// The record being written.
        pmid: Option<Pmid>,
    },
}

impl From<StoreError> for ImportError {
    fn from(error: StoreError) -> Self {
        ImportError::Store { error, pmid: None }
    }
}

impl From<rusqlite::Error> for ImportError {
    fn from(error: rusqlite::Error) -> Self {
        ImportError::Store {
            error: error.into(),
            pmid: None,
        }
    }
}

/// A record ready to store: parsed, hashed, compressed and tagged off the writing thread.
pub struct PreparedArticle {
    /// The record.
    pub article: Box<Article>,
    /// SHA-256 of its parsed content.
    pub content_hash: [u8; 32],
    /// Its original XML, compressed.
    pub compressed_xml: Vec<u8>,
    /// Its rule tags (each with its evidence as JSON) and facts, and the taxonomy stamp, when a
    /// tagger was given.
    pub tags: Option<(SerializedTags, String)>,
    /// Hashed only: the catalogue held the same content when it was prepared, so it was not
    /// compressed or tagged (the writer prepares it in full if that changed meanwhile).
    pub hashed_only: bool,
    /// For a revision of a record the catalogue held when it was prepared: what it changes.
    pub revision: Option<RevisionPlan>,
}

/// What a revision changes of the version the catalogue holds, found by the preparing worker
/// by reading the stored version's XML again: the writer rewrites only the child parts, the
/// full-text row and the tags that change (tags and facts are not even derived when what the
/// tagger reads is the same and the stored ones came from the same taxonomy).
#[derive(Debug, Clone)]
pub struct RevisionPlan {
    /// Content hash of the stored version compared with: the writer follows the plan only while
    /// the catalogue still holds that version.
    pub base_hash: [u8; 32],
    /// The child parts whose data differ.
    pub changed: Parts,
    /// Whether the full-text columns differ.
    pub text_changed: bool,
    /// Whether tags and facts must be written again (when false, `tags` is `None`).
    pub retag: bool,
}

enum Prepared {
    Article(PreparedArticle),
    Deletion(Vec<Pmid>),
}

/// Hashes, compresses and (with a tagger) tags a parsed record and reads its facts, for
/// [`apply_article`].
/// Compresses with `dictionary` when given ([`compress_xml`]).
pub fn prepare_article(
    article: Box<Article>,
    tagger: Option<&Matcher>,
    dictionary: Option<&XmlDictionary>,
) -> PreparedArticle {
    let content_hash = content_hash(&article);
    prepare_hashed(article, content_hash, tagger, None, dictionary)
}

/// [`prepare_article`] of a record already hashed, tagging it unless `revision` says its tags
/// stay.
fn prepare_hashed(
    article: Box<Article>,
    content_hash: [u8; 32],
    tagger: Option<&Matcher>,
    revision: Option<RevisionPlan>,
    dictionary: Option<&XmlDictionary>,
) -> PreparedArticle {
    let compressed_xml = compress_xml(&article.raw_xml, dictionary);
    let tags = tagger
        .filter(|_| revision.as_ref().is_none_or(|r| r.retag))
        .map(|m| {
            (
                derive(m, &TagInput::from_article(&article)),
                m.taxonomy().stamp().to_string(),
            )
        });
    PreparedArticle {
        article,
        content_hash,
        compressed_xml,
        tags,
        hashed_only: false,
        revision,
    }
}

/// Compares a revision with the version the catalogue holds (read on `conn`): `None` when there
/// is no stored version to compare with, or when reading its XML again does not give the
/// content it was stored with (a record stored by an evcat that read XML differently: then
/// everything is written again).
fn plan_revision(
    conn: &Connection,
    new: &Article,
    stored_hash: &[u8],
    tagger: Option<&Matcher>,
) -> Option<RevisionPlan> {
    let (stored_xml, stamp): (Vec<u8>, Option<String>) = conn
        .prepare_cached(
            "SELECT a.raw_xml, e.taxonomy_version FROM articles a
               LEFT JOIN tag_evidence e ON e.pmid = a.pmid
              WHERE a.pmid = ?1 AND length(a.raw_xml) > 0",
        )
        .ok()?
        .query_row([new.pmid as i64], |r| Ok((r.get(0)?, r.get(1)?)))
        .ok()?;
    let xml = decompress_xml(conn, new.pmid, &stored_xml).ok()?;
    let Ok(Some(PubmedItem::Article(old))) = PubmedReader::new(&xml[..]).next_item() else {
        return None;
    };
    let base_hash = content_hash(&old);
    if base_hash[..] != stored_hash[..] || old.pmid != new.pmid {
        return None;
    }
    let retag = match tagger {
        Some(m) => {
            stamp.as_deref() != Some(m.taxonomy().stamp())
                || !TagInput::from_article(&old).reads_like(&TagInput::from_article(new))
        }
        None => true,
    };
    Some(RevisionPlan {
        base_hash,
        changed: Parts::changed_between(&old, new),
        text_changed: fts_columns(&old) != fts_columns(new),
        retag,
    })
}

/// [`prepare_article`], unless the catalogue (as `known` reads it) already holds the record with
/// the same content: then it is only hashed. A re-imported or re-fetched record that did not
/// change (most of a baseline applied again, much of an update file) costs a hash and a lookup
/// instead of compressing and tagging it.
fn prepare_unless_known(
    article: Box<Article>,
    tagger: Option<&Matcher>,
    known: Option<&Connection>,
    dictionary: Option<&XmlDictionary>,
) -> PreparedArticle {
    let content_hash = content_hash(&article);
    let Some(conn) = known else {
        return prepare_hashed(article, content_hash, tagger, None, dictionary);
    };
    match stored_hash(conn, article.pmid).ok().flatten() {
        Some(stored) if stored[..] == content_hash[..] => PreparedArticle {
            article,
            content_hash,
            compressed_xml: Vec::new(),
            tags: None,
            hashed_only: true,
            revision: None,
        },
        Some(stored) => {
            let revision = plan_revision(conn, &article, &stored, tagger);
            prepare_hashed(article, content_hash, tagger, revision, dictionary)
        }
        None => prepare_hashed(article, content_hash, tagger, None, dictionary),
    }
}

/// The content hash the catalogue holds for `pmid` (none for a record it does not hold).
pub(super) fn stored_hash(conn: &Connection, pmid: Pmid) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT content_hash FROM articles WHERE pmid = ?1")?
        .query_row([pmid as i64], |r| r.get(0))
        .optional()?)
}

/// SHA-256 of a record's parsed content (its JSON serialisation), written into a buffer each
/// preparing thread reuses rather than growing a new one for every record.
fn content_hash(article: &Article) -> [u8; 32] {
    thread_local! {
        static CONTENT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CONTENT.with(|buffer| {
        let mut content = buffer.borrow_mut();
        content.clear();
        if serde_json::to_writer(&mut *content, article).is_err() {
            content.clear();
        }
        let hash = Sha256::digest(content.as_slice()).into();
        // A huge record's buffer is not kept for the rest of the import.
        if content.capacity() > 1 << 20 {
            *content = Vec::new();
        }
        hash
    })
}

/// A catalogue in a temporary directory holding the PubMed XML `files`, each imported as the
/// CLI does and tagged with the built-in taxonomy: what tests of the layers that read a
/// catalogue start from.
#[cfg(test)]
pub(crate) fn tagged_catalogue_of(files: &[&str]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("c.sqlite")).unwrap();
    let matcher = Matcher::new(crate::tagging::Taxonomy::builtin());
    for xml in files {
        import_stream(
            &mut store,
            xml.as_bytes(),
            "test",
            Some(&matcher),
            &mut |_| {},
        )
        .unwrap();
    }
    (dir, store)
}

/// Imports one PubMed XML stream in one transaction. `source` names it in the import log and
/// in the records it writes; `on_progress` is called after each record with the running counts.
pub fn import_stream<R: Read + Send>(
    store: &mut Store,
    input: R,
    source: &str,
    tagger: Option<&Matcher>,
    on_progress: &mut dyn FnMut(&ImportCounts),
) -> Result<ImportCounts, ImportError> {
    with_preparers(tagger, |preparers| {
        import_file_stream(store, preparers, input, source, None, on_progress)
    })
}

/// The threads that prepare records for the writer (hash, compress, tag, read facts), kept for
/// a whole run of imports: a command that imports many files uses the same threads for all of
/// them. (The regular expressions of the tagger keep a matching cache for each thread that used
/// them, up to eight: threads started afresh for each file took an import of a mirror's files
/// from 198 MB after the first file to 380 MB.)
pub struct Preparers<'a> {
    jobs: Vec<mpsc::Sender<PrepareJob>>,
    tagger: Option<&'a Matcher>,
}

/// One file's records for one preparing thread: it prepares what `parsed` brings and sends the
/// results on `prepared`, until either side is closed.
struct PrepareJob {
    parsed: mpsc::Receiver<Result<Parsed, ParseError>>,
    prepared: mpsc::SyncSender<Result<Prepared, ParseError>>,
    /// The catalogue's file and busy timeout, to compare records with what it holds (none: an
    /// in-memory catalogue, every record prepared in full).
    catalogue: Option<(std::path::PathBuf, std::time::Duration)>,
    /// The dictionary the catalogue compresses new records with.
    dictionary: Option<Arc<XmlDictionary>>,
}

/// Runs `run` with preparing threads that tag with `tagger`; they end when it returns.
pub fn with_preparers<T>(tagger: Option<&Matcher>, run: impl FnOnce(&Preparers<'_>) -> T) -> T {
    std::thread::scope(|scope| {
        let jobs = (0..preparing_workers())
            .map(|_| {
                let (job_tx, job_rx) = mpsc::channel::<PrepareJob>();
                scope.spawn(move || {
                    for job in job_rx {
                        prepare_job(job, tagger);
                    }
                });
                job_tx
            })
            .collect();
        // (The threads end once `preparers`, and with it the jobs' senders, is dropped.)
        let preparers = Preparers { jobs, tagger };
        run(&preparers)
    })
}

fn prepare_job(job: PrepareJob, tagger: Option<&Matcher>) {
    // (What the catalogue held before this import, read on the thread's own connection; without
    // one every record is prepared in full.)
    // (A small page cache: the thread looks records up one by one, all over a catalogue that
    // may be millions of records; three connections filling 40 MB caches took the import of a
    // file into a 1,000,000-record catalogue to 379 MB.)
    let known = job
        .catalogue
        .as_ref()
        .and_then(|(path, busy)| open_read_only(path, *busy).ok());
    if let Some((conn, _)) = &known {
        let _ = conn.pragma_update(None, "cache_size", -4096);
    }
    let known = known.as_ref().map(|(conn, _)| conn);
    for parsed in job.parsed.iter() {
        let prepared = parsed.map(|p| match p {
            Parsed::Article(article) => Prepared::Article(prepare_unless_known(
                article,
                tagger,
                known,
                job.dictionary.as_deref(),
            )),
            Parsed::Deletion(pmids) => Prepared::Deletion(pmids),
        });
        if job.prepared.send(prepared).is_err() {
            break;
        }
    }
}

/// A file recorded as applied by the transaction that imports it (see [`applied_file`]).
#[derive(Debug, Clone)]
pub struct AppliedFile {
    /// SHA-256 of the file's bytes: its identity.
    pub sha256: [u8; 32],
    /// The path as given.
    pub file: String,
    /// Size in bytes.
    pub size: u64,
    /// Its MD5 in lowercase hex, when checked against an `.md5` file.
    pub md5: Option<String>,
}

/// When a file with this SHA-256 was applied, and under what path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRecord {
    /// The path as given then.
    pub file: String,
    /// When its transaction committed (RFC 3339).
    pub applied_at: String,
    /// Records it held.
    pub records: u64,
}

/// Whether a file with this SHA-256 was applied (by an import that recorded it).
pub fn applied_file(store: &Store, sha256: &[u8; 32]) -> Result<Option<AppliedRecord>, StoreError> {
    Ok(store
        .conn()
        .prepare_cached("SELECT file, applied_at, records FROM applied_files WHERE sha256 = ?1")?
        .query_row([&sha256[..]], |r| {
            Ok(AppliedRecord {
                file: r.get(0)?,
                applied_at: r.get(1)?,
                records: r.get(2)?,
            })
        })
        .optional()?)
}

/// [`import_stream`] on `preparers`' threads, that also records `applied` as applied, in the
/// same transaction: the record exists exactly when the file's records do.
pub fn import_file_stream<R: Read + Send>(
    store: &mut Store,
    preparers: &Preparers<'_>,
    input: R,
    source: &str,
    applied: Option<&AppliedFile>,
    on_progress: &mut dyn FnMut(&ImportCounts),
) -> Result<ImportCounts, ImportError> {
    let started_at = now_rfc3339();
    let tagger = preparers.tagger;
    // A catalogue that has grown enough trains the dictionary it compresses records' XML with
    // (once, in a transaction of its own: it is derived from records already stored).
    let stored = |error| ImportError::Store { error, pmid: None };
    train_dictionary(store, TRAIN_AT_RECORDS).map_err(stored)?;
    let dictionary = current_dictionary(store.conn()).map_err(stored)?;
    // The parser hands records round-robin to the preparing threads, which hash, compress, tag
    // and read facts (the costly part); the writer takes their results round-robin in the same
    // order, so records are stored in file order without a reorder buffer.
    let workers = preparers.jobs.len();
    let catalogue = store
        .path()
        .exists()
        .then(|| (store.path().to_path_buf(), store.busy_timeout));
    let mut to_workers = Vec::with_capacity(workers);
    let mut from_workers = Vec::with_capacity(workers);
    for jobs in &preparers.jobs {
        let (parsed_tx, parsed_rx) = mpsc::sync_channel::<Result<Parsed, ParseError>>(64);
        let (prepared_tx, prepared_rx) =
            mpsc::sync_channel::<Result<Prepared, ParseError>>(256 / workers);
        to_workers.push(parsed_tx);
        from_workers.push(prepared_rx);
        let job = PrepareJob {
            parsed: parsed_rx,
            prepared: prepared_tx,
            catalogue: catalogue.clone(),
            dictionary: dictionary.clone(),
        };
        // (A preparing thread ends only with `preparers`, or by panicking, which the end of
        // `with_preparers` raises again.)
        if jobs.send(job).is_err() {
            panic!("a thread preparing records panicked");
        }
    }
    let budget = InFlight::new(IN_FLIGHT_BYTES);
    std::thread::scope(|scope| {
        // The parser and the preparing threads stop this file as soon as the writer's receivers
        // are gone: whatever way this closure returns (a parse error, a write that failed, a
        // busy catalogue), `from_workers` is dropped with it, each thread's next `send` fails and
        // it drops its job, then the parser's next `send` fails. (Holding a receiver outside the
        // scope left the parser parked in `send` forever.)
        let from_workers = from_workers;
        // Memory in flight is bounded in bytes too, not only in records: 256 records near the
        // 16 MiB record limit would otherwise queue gigabytes. Closed when this closure returns,
        // so a parser waiting for room stops as surely as one waiting in `send`.
        let _close = budget.closer();
        let parser_budget = &budget;
        scope.spawn(move || {
            let mut reader = PubmedReader::new(input);
            for turn in 0.. {
                let item = match reader.next_item() {
                    Ok(Some(PubmedItem::Article(article))) => Ok(Parsed::Article(article)),
                    Ok(Some(PubmedItem::Deletion(pmids))) => Ok(Parsed::Deletion(pmids)),
                    Ok(None) => break,
                    Err(e) => Err(e),
                };
                let stop = item.is_err();
                let bytes = match &item {
                    Ok(Parsed::Article(a)) => a.raw_xml.len() * 2,
                    _ => 0,
                };
                if !parser_budget.acquire(bytes)
                    || to_workers[turn % to_workers.len()].send(item).is_err()
                    || stop
                {
                    break;
                }
            }
        });
        let receiver = (0..).map_while(|turn| from_workers[turn % from_workers.len()].recv().ok());
        let tx = store.write_transaction()?;
        let mut counts = ImportCounts::default();
        let mut deletions: Vec<Pmid> = Vec::new();
        let mut pending = PendingWrites::default();
        let now = now_rfc3339();
        for item in receiver {
            budget.release(item_bytes(&item));
            match item? {
                Prepared::Article(mut prepared) => {
                    let pmid = prepared.article.pmid;
                    // What the worker compared with, when it compared: the catalogue must still
                    // hold it (it may have changed earlier in this same input), or the record is
                    // prepared in full after all.
                    let compared_with = match (&prepared.revision, prepared.hashed_only) {
                        (Some(plan), _) => Some(plan.base_hash),
                        (None, true) => Some(prepared.content_hash),
                        (None, false) => None,
                    };
                    if let Some(base) = compared_with
                        && stored_hash(tx.conn(), pmid)
                            .map_err(|error| ImportError::Store {
                                error,
                                pmid: Some(pmid),
                            })?
                            .as_deref()
                            != Some(&base[..])
                    {
                        prepared = prepare_article(prepared.article, tagger, dictionary.as_deref());
                    }
                    apply_article_to(&tx, &prepared, &mut pending, &now, source, &mut counts)
                        .map_err(|error| ImportError::Store {
                            error,
                            pmid: Some(pmid),
                        })?;
                    on_progress(&counts);
                }
                Prepared::Deletion(pmids) => deletions.extend(pmids),
            }
        }
        pending
            .write(tx.conn())
            .map_err(|error| ImportError::Store { error, pmid: None })?;
        for pmid in deletions {
            apply_deletion(&tx, pmid, &now, source, &mut counts).map_err(|error| {
                ImportError::Store {
                    error,
                    pmid: Some(pmid),
                }
            })?;
        }
        log_import(&tx, source, &started_at, &counts)?;
        if let Some(applied) = applied {
            record_applied_file(&tx, applied, &counts)?;
        }
        tx.commit()?;
        Ok(counts)
    })
}

/// Bytes of parsed records that may wait between the parser and the writer.
const IN_FLIGHT_BYTES: usize = 64 << 20;

/// What the budget holds for a record: twice its XML, taken by the parser before the record
/// is compressed, given back by the writer (the same figure on both sides).
fn item_bytes(item: &Result<Prepared, ParseError>) -> usize {
    match item {
        Ok(Prepared::Article(p)) => p.article.raw_xml.len() * 2,
        _ => 0,
    }
}

/// A parsed item on its way to a worker.
enum Parsed {
    Article(Box<Article>),
    Deletion(Vec<Pmid>),
}

/// How many threads prepare records (hash, compress, tag, read facts) while one parses and one
/// writes: the cores beyond the writer's, at least two (preparing costs more than parsing, so
/// two share a core well), at most four.
pub(super) fn preparing_workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .clamp(2, 4)
}

/// A byte budget shared by the parser (which takes from it) and the writer (which gives back).
struct InFlight {
    state: std::sync::Mutex<(usize, bool)>,
    changed: std::sync::Condvar,
    limit: usize,
}

impl InFlight {
    fn new(limit: usize) -> InFlight {
        InFlight {
            state: std::sync::Mutex::new((0, false)),
            changed: std::sync::Condvar::new(),
            limit,
        }
    }

    /// Waits for room for `bytes` (a record larger than the whole budget passes alone); false
    /// when the writer has gone.
    fn acquire(&self, bytes: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !state.1 && state.0 > 0 && state.0 + bytes > self.limit {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.0 += bytes;
        !state.1
    }

    fn release(&self, bytes: usize) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 = state.0.saturating_sub(bytes);
        self.changed.notify_all();
    }

    fn closer(&self) -> CloseOnDrop<'_> {
        CloseOnDrop(self)
    }
}

/// Closes the budget when the writer leaves, however it leaves.
struct CloseOnDrop<'a>(&'a InFlight);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        state.1 = true;
        self.0.changed.notify_all();
    }
}

/// Records an input in the import log.
pub fn log_import(
    tx: &WriteTransaction<'_>,
    source: &str,
    started_at: &str,
    c: &ImportCounts,
) -> Result<(), StoreError> {
    let tx = tx.conn();
    tx.prepare_cached(
        "INSERT INTO imports (source, started_at, finished_at, inserted, updated, unchanged, older, deleted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![source, started_at, now_rfc3339(), c.inserted, c.updated, c.unchanged, c.older, c.deleted])?;
    Ok(())
}

fn record_applied_file(
    tx: &WriteTransaction<'_>,
    applied: &AppliedFile,
    counts: &ImportCounts,
) -> Result<(), StoreError> {
    // (A file applied again, e.g. under another name, keeps one row: the latest.)
    tx.conn()
        .prepare_cached(
            "INSERT OR REPLACE INTO applied_files (sha256, file, size, md5, records, applied_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            &applied.sha256[..],
            applied.file,
            applied.size as i64,
            applied.md5,
            counts.records as i64,
            now_rfc3339()
        ])?;
    Ok(())
}

/// Orders two (version, DateRevised) pairs: which record is newer.
fn compare_revision(
    new_version: u32,
    new_revised: Option<&str>,
    old_version: u32,
    old_revised: Option<&str>,
) -> std::cmp::Ordering {
    new_version
        .cmp(&old_version)
        .then_with(|| new_revised.cmp(&old_revised))
}

/// Full-text rows an import has yet to write, written in batches.
///
/// A statement that may have to undo part of what it did (one that fires a trigger, as the
/// counts' triggers on records and tags do) opens a savepoint, and FTS5 writes out the index
/// entries it holds in memory at every savepoint: written with each record, every record's
/// entries became a segment of their own, merged again and again (a quarter of the writer's
/// time on a 30,000-record file). Written a batch at a time, a batch is one segment. The rows
/// are written in the order they came (a record revised twice in one file is indexed as its last
/// version), and all of them before the transaction commits.
#[derive(Default)]
struct PendingIndex {
    rows: Vec<(i64, bool, [String; 6])>,
    bytes: usize,
}

impl PendingIndex {
    /// Most rows or bytes of text held before they are written.
    const MOST_ROWS: usize = 500;
    const MOST_BYTES: usize = 4 << 20;

    /// Adds record `a`'s row (replacing the one it has when `replace`).
    fn add(&mut self, tx: &Connection, a: &Article, replace: bool) -> Result<(), StoreError> {
        let columns = fts_columns(a);
        self.bytes += columns.iter().map(String::len).sum::<usize>();
        self.rows.push((a.pmid as i64, replace, columns));
        if self.rows.len() >= Self::MOST_ROWS || self.bytes >= Self::MOST_BYTES {
            self.write(tx)?;
        }
        Ok(())
    }

    /// Writes every row held, and notes the records' lengths ([`note_lengths`]).
    fn write(&mut self, tx: &Connection) -> Result<(), StoreError> {
        let pmids: Vec<i64> = self.rows.iter().map(|r| r.0).collect();
        for (pmid, replace, columns) in self.rows.drain(..) {
            write_index_row(tx, pmid, replace, &columns)?;
        }
        note_lengths(tx, &pmids)?;
        self.bytes = 0;
        Ok(())
    }
}

/// What a write transaction holds back to write together: full-text rows ([`PendingIndex`])
/// and records' frames ([`XmlBlocks`]). Written before the transaction commits. It also keeps
/// the id of the source its records come from (one a transaction, looked up once).
#[derive(Default)]
struct PendingWrites {
    index: PendingIndex,
    xml: XmlBlocks,
    source: Option<(String, i64)>,
}

impl PendingWrites {
    /// The id of `source` in `record_sources` ([`record_source_id`]).
    fn source_id(&mut self, tx: &Connection, source: &str) -> Result<i64, StoreError> {
        match &self.source {
            Some((held, id)) if held == source => Ok(*id),
            _ => {
                let id = record_source_id(tx, source)?;
                self.source = Some((source.to_string(), id));
                Ok(id)
            }
        }
    }

    fn write(&mut self, tx: &Connection) -> Result<(), StoreError> {
        self.index.write(tx)?;
        self.xml.write(tx)
    }
}

/// Applies one record within the caller's transaction and counts what it did.
pub fn apply_article(
    tx: &WriteTransaction<'_>,
    prepared: &PreparedArticle,
    now: &str,
    source: &str,
    counts: &mut ImportCounts,
) -> Result<(), StoreError> {
    let mut pending = PendingWrites::default();
    apply_article_to(tx, prepared, &mut pending, now, source, counts)?;
    pending.write(tx.conn())
}

/// [`apply_article`], its full-text row and frame left in `pending`, which the caller writes
/// before the transaction commits.
fn apply_article_to(
    tx: &WriteTransaction<'_>,
    prepared: &PreparedArticle,
    pending: &mut PendingWrites,
    now: &str,
    source: &str,
    counts: &mut ImportCounts,
) -> Result<(), StoreError> {
    let tx = tx.conn();
    let a = &prepared.article;
    counts.records += 1;
    counts.pmids.push(a.pmid);
    let current: Option<(u32, Option<String>, Vec<u8>, bool)> = tx
        .prepare_cached(
            "SELECT version, date_revised, content_hash, length(raw_xml) > 0 FROM articles WHERE pmid = ?1",
        )?
        .query_row([a.pmid as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((version, revised, hash, has_data)) = current else {
        let xml = pending.xml.place(tx, &prepared.compressed_xml)?;
        let source_id = pending.source_id(tx, source)?;
        insert_article(tx, a, &prepared.content_hash, &xml, now, source_id)?;
        pending.index.add(tx, a, false)?;
        write_tags(tx, prepared, true)?;
        counts.inserted += 1;
        return Ok(());
    };
    if hash == prepared.content_hash {
        counts.unchanged += 1;
        return Ok(());
    }
    let new_revised = a.date_revised.as_ref().and_then(PartialDate::iso);
    if has_data
        && compare_revision(
            a.version,
            new_revised.as_deref(),
            version,
            revised.as_deref(),
        ) == std::cmp::Ordering::Less
    {
        counts.unchanged += 1;
        counts.older += 1;
        return Ok(());
    }
    if has_data {
        tx.prepare_cached(
            "INSERT INTO revisions (pmid, version, date_revised, content_hash, raw_xml, replaced_at, replaced_by)
             SELECT pmid, version, date_revised, content_hash, raw_xml, ?2, ?3 FROM articles WHERE pmid = ?1",
        )?
        .execute(params![a.pmid as i64, now, source])?;
    }
    let plan = prepared.revision.as_ref();
    let xml = pending.xml.place(tx, &prepared.compressed_xml)?;
    let source_id = pending.source_id(tx, source)?;
    replace_article(
        tx,
        a,
        &prepared.content_hash,
        &xml,
        now,
        source_id,
        plan.map_or(Parts::ALL, |p| p.changed),
    )?;
    if plan.is_none_or(|p| p.text_changed) {
        pending.index.add(tx, a, true)?;
    }
    if plan.is_none_or(|p| p.retag) {
        write_tags(tx, prepared, false)?;
    }
    counts.updated += 1;
    Ok(())
}

fn write_tags(tx: &Connection, prepared: &PreparedArticle, fresh: bool) -> Result<(), StoreError> {
    if let Some((tags, stamp)) = &prepared.tags {
        write_rule_tags(tx, prepared.article.pmid, tags, stamp, fresh)?;
    }
    Ok(())
}

/// Turns a PMID into a tombstone (creating one without data when the catalogue never had it).
pub fn apply_deletion(
    tx: &WriteTransaction<'_>,
    pmid: Pmid,
    now: &str,
    source: &str,
    counts: &mut ImportCounts,
) -> Result<(), StoreError> {
    let tx = tx.conn();
    let key = pmid as i64;
    let deleted: Option<bool> = tx
        .prepare_cached("SELECT deleted FROM articles WHERE pmid = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    match deleted {
        Some(true) => {}
        Some(false) => {
            tx.prepare_cached(
                "UPDATE articles SET deleted = 1, deleted_at = ?2, deleted_source = ?3 WHERE pmid = ?1",
            )?
            .execute(params![key, now, source])?;
            counts.deleted += 1;
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO articles (pmid, version, kind, title, content_hash, raw_xml, deleted, deleted_at,
                    deleted_source, first_seen, last_changed, source)
                 VALUES (?1, 0, 'journal', '', x'', x'', 1, ?2, ?3, ?2, ?2, ?3)",
            )?
            .execute(params![key, now, source])?;
            counts.deleted += 1;
            counts.deleted_unknown += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use super::*;

    #[test]
    fn a_higher_version_is_newer_whatever_the_dates() {
        assert_eq!(
            compare_revision(2, Some("2020-01-01"), 1, Some("2025-06-30")),
            Greater
        );
        assert_eq!(
            compare_revision(1, Some("2025-06-30"), 2, Some("2020-01-01")),
            Less
        );
        assert_eq!(compare_revision(3, None, 2, Some("2025-06-30")), Greater);
    }

    #[test]
    fn within_a_version_the_later_date_revised_is_newer() {
        assert_eq!(
            compare_revision(1, Some("2025-02-10"), 1, Some("2022-03-16")),
            Greater
        );
        assert_eq!(
            compare_revision(1, Some("2022-03-16"), 1, Some("2025-02-10")),
            Less
        );
        // ISO dates order as text: a later month or day is later, across year boundaries too.
        assert_eq!(
            compare_revision(1, Some("2024-12-31"), 1, Some("2024-02-01")),
            Greater
        );
        assert_eq!(
            compare_revision(1, Some("2023-12-31"), 1, Some("2024-01-01")),
            Less
        );
    }

    #[test]
    fn equal_revisions_are_equal_so_different_content_replaces() {
        // Equal is not Less: `apply_article` replaces the record when its content differs.
        assert_eq!(
            compare_revision(1, Some("2024-05-01"), 1, Some("2024-05-01")),
            Equal
        );
        assert_eq!(compare_revision(1, None, 1, None), Equal);
    }

    #[test]
    fn a_missing_date_revised_is_older_than_any_date() {
        assert_eq!(compare_revision(1, None, 1, Some("1990-01-01")), Less);
        assert_eq!(compare_revision(1, Some("1990-01-01"), 1, None), Greater);
    }

    /// A one-record document with this PMID, version, DateRevised and title.
    fn record(version: u32, revised: (u32, u32, u32), title: &str) -> String {
        let (y, m, d) = revised;
        format!(
            "<?xml version=\"1.0\"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">\
             <PMID Version=\"{version}\">99100001</PMID>\
             <DateRevised><Year>{y}</Year><Month>{m:02}</Month><Day>{d:02}</Day></DateRevised>\
             <Article PubModel=\"Print\"><Journal><JournalIssue CitedMedium=\"Print\"><PubDate><Year>2021</Year></PubDate></JournalIssue>\
             <Title>Test journal</Title></Journal><ArticleTitle>{title}</ArticleTitle><Language>eng</Language>\
             <PublicationTypeList><PublicationType UI=\"D016428\">Journal Article</PublicationType></PublicationTypeList></Article>\
             </MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus></PubmedData></PubmedArticle></PubmedArticleSet>\n"
        )
    }

    #[test]
    fn a_record_unchanged_before_the_input_but_changed_earlier_in_it_is_stored_in_full() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("c.sqlite")).unwrap();
        let first = record(1, (2020, 1, 1), "First title.");
        let second = record(1, (2020, 1, 1), "Second title.");
        let inner = |doc: &str| {
            let start = doc.find("<PubmedArticle>").unwrap();
            let end = doc.find("</PubmedArticleSet>").unwrap();
            doc[start..end].to_string()
        };
        import(&mut store, &first);
        // The same version and date: each later copy replaces the stored one. The last copy is
        // what the catalogue held before this input (the preparing workers find it unchanged and
        // only hash it), but the copy before it changed the record within the input.
        let both = format!(
            "<PubmedArticleSet>{}{}</PubmedArticleSet>",
            inner(&second),
            inner(&first)
        );
        let counts = import(&mut store, &both);
        assert_eq!((counts.updated, counts.unchanged), (2, 0));
        assert_eq!(stored_title(&store), "First title.");
        let xml = super::super::articles::raw_xml(&store, 99100001)
            .unwrap()
            .unwrap();
        let xml = String::from_utf8_lossy(&xml).to_string();
        assert!(
            xml.contains("First title."),
            "the original XML is kept: {xml:?}"
        );
        // Applied again: unchanged.
        let counts = import(&mut store, &first);
        assert_eq!((counts.updated, counts.unchanged), (0, 1));
    }

    fn import(store: &mut Store, xml: &str) -> ImportCounts {
        import_stream(store, xml.as_bytes(), "test", None, &mut |_| {}).unwrap()
    }

    /// Everything the catalogue stores of its records but the import times and sources: every
    /// row of the record tables, tags, evidence and facts, and the full-text index's entries.
    fn stored_records(store: &Store) -> String {
        let conn = store.conn();
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                   AND name NOT LIKE 'article_fts%'
                   AND name NOT IN ('revisions', 'imports', 'xml_blocks', 'mesh_descriptors',
                                    'record_sources')
                 ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut out = String::new();
        for table in tables {
            let columns: Vec<String> = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<Vec<String>, _>>()
                .unwrap()
                .into_iter()
                // (A record's XML is compared as it reads back, below: where its frame is
                // kept differs with the order records were stored in.)
                .filter(|c| {
                    ![
                        "first_seen",
                        "last_changed",
                        "source",
                        "source_id",
                        "raw_xml",
                    ]
                    .contains(&c.as_str())
                })
                .collect();
            let list = columns.join(", ");
            // (A heading is compared by its descriptor's name, UI and type: the ids are given
            // in the order descriptors were first stored, and descriptors are never removed.)
            let from = if table == "mesh_headings" {
                "(SELECT h.pmid, h.position, d.descriptor || '|' || ifnull(d.ui, '') || '|'
                        || ifnull(d.descriptor_type, '') AS descriptor, h.major
                    FROM mesh_headings h JOIN mesh_descriptors d ON d.id = h.descriptor)"
                    .to_string()
            } else {
                table.clone()
            };
            let mut stmt = conn
                .prepare(&format!("SELECT {list} FROM {from} ORDER BY {list}"))
                .unwrap();
            let mut rows = stmt.query([]).unwrap();
            out.push_str(&format!("== {table}\n"));
            while let Some(row) = rows.next().unwrap() {
                let cells: Vec<String> = (0..columns.len())
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect();
                out.push_str(&cells.join("|"));
                out.push('\n');
            }
        }
        out.push_str("== records' XML\n");
        let pmids: Vec<i64> = conn
            .prepare("SELECT pmid FROM articles ORDER BY pmid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for pmid in pmids {
            let xml = super::super::articles::raw_xml(store, pmid as Pmid).unwrap();
            out.push_str(&format!(
                "{pmid}|{}\n",
                String::from_utf8_lossy(&xml.unwrap())
            ));
        }
        conn.execute_batch(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_entries USING fts5vocab(main, article_fts, 'instance')",
        )
        .unwrap();
        let mut stmt = conn
            .prepare("SELECT term, doc, col, offset FROM temp.fts_entries ORDER BY 1, 2, 3, 4")
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        out.push_str("== full-text entries\n");
        let mut records_indexed = std::collections::BTreeSet::new();
        while let Some(row) = rows.next().unwrap() {
            let (term, doc, col, offset): (String, i64, String, i64) = (
                row.get(0).unwrap(),
                row.get(1).unwrap(),
                row.get(2).unwrap(),
                row.get(3).unwrap(),
            );
            out.push_str(&format!("{term}|{doc}|{col}|{offset}\n"));
            records_indexed.insert(doc);
        }
        // (Every record with data is in the index: both sides of a comparison lacking their
        // entries would compare equal.)
        let with_data: i64 = conn
            .query_row(
                "SELECT count(*) FROM articles WHERE length(raw_xml) > 0",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            records_indexed.len() as i64,
            with_data,
            "records in the full-text index"
        );
        out
    }

    /// `xml` with its first match of `from` replaced by `to` (which must be there).
    fn edit(xml: &str, from: &str, to: &str) -> String {
        assert!(xml.contains(from), "{from:?} not in the record");
        xml.replacen(from, to, 1)
    }

    /// `xml` without its first `<name ...>...</name>` element.
    fn without(xml: &str, name: &str) -> String {
        let start = xml
            .find(&format!("<{name}>"))
            .or_else(|| xml.find(&format!("<{name} ")))
            .unwrap_or_else(|| panic!("no <{name}> in the record"));
        let close = format!("</{name}>");
        let end = start + xml[start..].find(&close).unwrap() + close.len();
        format!("{}{}", &xml[..start], &xml[end..])
    }

    /// A revision stores what a fresh import of the new version stores (every row, tag, fact and
    /// full-text entry), whichever parts it changes; and the preparing worker found what it
    /// changes by reading the stored version again, so only those parts were written.
    #[test]
    fn a_revision_stores_what_a_fresh_import_of_it_stores_writing_only_what_changed() {
        use super::super::articles::Part;
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let read = |name: &str| std::fs::read_to_string(fixtures.join(name)).unwrap();
        let matcher = Matcher::new(crate::tagging::Taxonomy::builtin());
        let newer = |xml: &str| xml.replace("<PMID Version=\"1\">", "<PMID Version=\"2\">");
        let full = read("full-elements.xml");
        let book = read("book-article.xml");
        let ozone = read("ozone-back-pain.xml");
        // (name, stored version, revision, parts it changes, text changed, tags derived again)
        type Case = (&'static str, String, String, Vec<Part>, bool, bool);
        let cases: Vec<Case> = vec![
            (
                "version only",
                full.clone(),
                newer(&full),
                vec![],
                false,
                false,
            ),
            (
                "a MeSH heading less",
                full.clone(),
                newer(&without(&full, "MeshHeading")),
                vec![Part::Mesh],
                true,
                true,
            ),
            (
                "a keyword less",
                full.clone(),
                newer(&without(&full, "Keyword")),
                vec![],
                true,
                true,
            ),
            (
                "an author renamed",
                full.clone(),
                newer(&edit(&full, "<LastName>", "<LastName>Revised")),
                vec![Part::FirstAuthor],
                true,
                false,
            ),
            (
                "a grant less, a reference less",
                full.clone(),
                newer(&without(&without(&full, "Grant"), "Reference")),
                vec![],
                false,
                false,
            ),
            (
                "the title",
                full.clone(),
                newer(&edit(&full, "<ArticleTitle>", "<ArticleTitle>Revised: ")),
                vec![],
                true,
                true,
            ),
            (
                "the abstract",
                full.clone(),
                newer(&edit(
                    &full,
                    "<AbstractText",
                    "<AbstractText Label=\"REVISED\"",
                )),
                vec![],
                true,
                true,
            ),
            (
                "a book, version only",
                book.clone(),
                newer(&book),
                vec![],
                false,
                false,
            ),
            (
                "a book's editor or author",
                book.clone(),
                newer(&edit(&book, "<LastName>", "<LastName>Revised")),
                vec![],
                true,
                false,
            ),
            (
                "twelve records",
                ozone.clone(),
                newer(&ozone),
                vec![],
                false,
                false,
            ),
        ];
        for (name, stored, revision, parts, text, retag) in cases {
            let dir = tempfile::tempdir().unwrap();
            let mut revised = Store::open(&dir.path().join("revised.sqlite")).unwrap();
            let mut fresh = Store::open(&dir.path().join("fresh.sqlite")).unwrap();
            let tagged = |store: &mut Store, xml: &str| {
                import_stream(store, xml.as_bytes(), "test", Some(&matcher), &mut |_| {}).unwrap()
            };
            let before = tagged(&mut revised, &stored);
            // What the worker plans for each record of the revision.
            let mut reader = PubmedReader::new(revision.as_bytes());
            while let Some(PubmedItem::Article(article)) = reader.next_item().unwrap() {
                let prepared =
                    prepare_unless_known(article, Some(&matcher), Some(revised.conn()), None);
                let plan = prepared
                    .revision
                    .unwrap_or_else(|| panic!("{name}: no plan for a revision"));
                let changed: Vec<Part> = Part::ALL
                    .into_iter()
                    .filter(|p| plan.changed.contains(*p))
                    .collect();
                if name != "twelve records" && name != "a book's editor or author" {
                    assert_eq!(changed, parts, "{name}");
                }
                if name != "twelve records" {
                    assert_eq!((plan.text_changed, plan.retag), (text, retag), "{name}");
                }
                assert_eq!(
                    prepared.tags.is_some(),
                    plan.retag,
                    "{name}: tagged only to retag"
                );
            }
            let counts = tagged(&mut revised, &revision);
            assert_eq!(counts.updated, before.inserted, "{name}: {counts:?}");
            tagged(&mut fresh, &revision);
            let (got, want) = (stored_records(&revised), stored_records(&fresh));
            if got != want {
                let diff: Vec<String> = got
                    .lines()
                    .zip(want.lines())
                    .filter(|(g, w)| g != w)
                    .take(5)
                    .map(|(g, w)| format!("revised: {g}\n  fresh: {w}"))
                    .collect();
                panic!(
                    "{name}: the revision stored otherwise than a fresh import:\n{}",
                    diff.join("\n")
                );
            }
        }
    }

    fn stored_title(store: &Store) -> String {
        super::super::articles::load_article(store, 99100001)
            .unwrap()
            .unwrap()
            .article
            .title
            .text
    }

    #[test]
    fn the_import_keeps_the_newer_revision() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(
            import(&mut store, &record(1, (2022, 3, 16), "First")).inserted,
            1
        );
        // Older by DateRevised: skipped and counted.
        let c = import(&mut store, &record(1, (2021, 1, 1), "Older"));
        assert_eq!((c.unchanged, c.older, c.updated), (1, 1, 0));
        assert_eq!(stored_title(&store), "First");
        // Same revision, different content: replaces.
        let c = import(&mut store, &record(1, (2022, 3, 16), "Corrected"));
        assert_eq!((c.updated, c.older), (1, 0));
        assert_eq!(stored_title(&store), "Corrected");
        // A higher version replaces even with an earlier date.
        let c = import(&mut store, &record(2, (2020, 1, 1), "Version 2"));
        assert_eq!(c.updated, 1);
        assert_eq!(stored_title(&store), "Version 2");
        let revisions: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM revisions WHERE pmid = 99100001",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(revisions, 2, "each replaced record is kept as a revision");
    }
}
