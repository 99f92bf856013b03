//! `evcat_bm25(article_fts, k, weight...)`: FTS5's BM25 rank, for a search that keeps only its
//! `k` best records, without computing the rank of a record that cannot be among them.
//!
//! FTS5's `bm25()` reads every match's length (a lookup in the index's `docsize` table): at a
//! million records that lookup is most of the time a search takes (`pain OR function`: 257,000
//! matches, 250 ms to rank against 15 ms to count). A record's rank depends on its length only
//! through the length normalisation, which can only lower its score, and a record is at least
//! as long as the tokens up to its last match in each column (which its matches tell): so its
//! rank at that length bounds its real rank. Records are ordered by rank, then rowid: once `k`
//! records have been ranked, a record that even at its bound would come after the `k`-th best
//! (a worse bound, or the same one and a higher rowid: a record ranked alike with one kept
//! comes after it) is given [`NOT_AMONG_THE_BEST`] without its length being read; every other
//! record gets FTS5's `bm25()` rank, to the bit (the same operations in the same order; a test
//! compares them). (Ties matter: a catalogue holding copies of one text ranks them alike.)
//!
//! So `ORDER BY evcat_bm25(article_fts, k, ...), rowid LIMIT k` selects the records, in the
//! order and with the ranks, that `ORDER BY bm25(article_fts, ...), rowid LIMIT k` does. It must
//! only be used so: the rank of a record beyond the first `k` is not its BM25 rank. SQLite
//! computes a row's ORDER BY value once, after its WHERE clause held, so the records ranked are
//! those the search selects, each once: the function counts them ([`RankedCount`]), which gives
//! the search's count without a second pass over its matches.
//!
//! Each record's length is also kept apart from FTS5's, two bytes a record (schema 19,
//! `fts_lengths`, written with the index by [`note_lengths`]): 2 KB of them cover 1,024 PMIDs,
//! read once for all the matches among them, where FTS5's lengths are one b-tree lookup a
//! record (at a million records the lookups left were a quarter of a search's samples: `pain
//! OR function` read 2,922 of them ranking the 23,125 records that hold both words, most of them
//! records ranked alike with one kept, which the lower bound schema 16 kept, a byte a record,
//! cannot set aside). With a record's length kept, its rank is FTS5's without a lookup; a
//! length not kept (a record of 65,535 tokens or more, or none noted) is read from FTS5 when
//! the record can still be among the best.
//!
//! `evcat_bm25_leading(article_fts, n, k, weight...)` ranks by the query's first `n` phrases
//! alone, the others only selecting records: `(a OR b OR c) AND (c)` ranks the records holding
//! `c` as `a OR b OR c` ranks them (what `claims::records_matching_any` needs).
//!
//! FTS5's API for ranking functions is a C one, which rusqlite does not wrap: this module's
//! unsafe code is that API's use, kept to registering the function and reading each row.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ffi::{c_int, c_void};
use std::panic::AssertUnwindSafe;
use std::ptr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use rusqlite::ffi;
use rusqlite::{Connection, OptionalExtension};

use super::StoreError;

/// The rank given to a record that cannot be among the `k` best: after every BM25 rank (which
/// are all `<= 0`).
pub const NOT_AMONG_THE_BEST: f64 = f64::INFINITY;

/// Most best records kept: a search asking for more (or for 0) has every record ranked.
const MOST_KEPT: i64 = 1_000_000;

/// BM25's constants, FTS5's.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// How many records `evcat_bm25` ranked on a connection since the count was reset: every record
/// a search selects is ranked once (those beyond the `k` best too), so after one ranked search
/// this is how many records it selects, counted without a second pass over its matches.
/// [`RankedCount::reset`] it before the search.
#[derive(Debug, Default)]
pub struct RankedCount {
    ranked: AtomicU64,
    lengths_read: AtomicU64,
    /// Each phrase of the last query ranked, in FTS5's order of its phrases: its inverse
    /// document frequency and the records holding it.
    phrases: std::sync::Mutex<Vec<PhraseStatistics>>,
}

impl RankedCount {
    /// Back to 0, before a search.
    pub fn reset(&self) {
        self.ranked.store(0, AtomicOrdering::Relaxed);
        self.lengths_read.store(0, AtomicOrdering::Relaxed);
    }

    /// Records ranked since the last reset.
    pub fn get(&self) -> u64 {
        self.ranked.load(AtomicOrdering::Relaxed)
    }

    /// Of them, those ranked in full (their length read from FTS5) since the last reset.
    pub fn lengths_read(&self) -> u64 {
        self.lengths_read.load(AtomicOrdering::Relaxed)
    }

    /// Adds what another connection's search ranked for this one (a search ranked in parts).
    pub fn add(&self, other: &RankedCount) {
        self.ranked.fetch_add(other.get(), AtomicOrdering::Relaxed);
        self.lengths_read
            .fetch_add(other.lengths_read(), AtomicOrdering::Relaxed);
    }

    /// Sets the count to `records`: for a search whose best records were ranked among fewer
    /// records than it selects, those it selects counted apart.
    pub fn set(&self, records: u64) {
        self.ranked.store(records, AtomicOrdering::Relaxed);
    }

    /// Each phrase of the last query ranked on the connection since this was last called (see
    /// [`best_score_without_a_phrase`]); empty if none was.
    pub fn take_phrases(&self) -> Vec<PhraseStatistics> {
        self.phrases
            .lock()
            .map(|mut phrases| std::mem::take(&mut *phrases))
            .unwrap_or_default()
    }
}

/// What BM25 reads of one phrase of a query over the whole index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhraseStatistics {
    /// Its inverse document frequency.
    pub idf: f64,
    /// How many records hold it.
    pub records: u64,
}

/// A score (the negative of a rank) that no record lacking at least one of a query's phrases
/// reaches, given each phrase's inverse document frequency.
///
/// A phrase adds `idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length / avgdl))` to a record's
/// score, `f` its weighted count in the record: less than `idf * (K1 + 1)` whatever `f`, the
/// column weights and the record's length (the second term of the divisor is positive), and 0
/// when the record lacks it. So a record lacking a phrase scores less than the sum of the other
/// phrases' most, and every record lacking one scores less than the sum of all but the
/// smallest.
pub fn best_score_without_a_phrase(phrases: &[PhraseStatistics]) -> f64 {
    let least = phrases
        .iter()
        .map(|p| p.idf * (K1 + 1.0))
        .fold(f64::INFINITY, f64::min);
    score_beyond(phrases) - least
}

/// A score (the negative of a rank) that no record reaches with `phrases` alone: the sum of
/// their most, `idf * (K1 + 1)` each (see [`best_score_without_a_phrase`]).
pub fn score_beyond(phrases: &[PhraseStatistics]) -> f64 {
    phrases.iter().map(|p| p.idf * (K1 + 1.0)).sum()
}

/// Whether a record ranked `rank` scores beyond `bound` (a score from [`score_beyond`] or
/// [`best_score_without_a_phrase`]) beyond doubt: the bounds are strict by far more than the
/// rounding of the scores' sums (a phrase counted `f` times adds at most
/// `idf * (K1 + 1) * f / (f + K1 / 4)`), so the margin only keeps an equality from counting.
pub fn ranked_beyond(rank: f64, bound: f64) -> bool {
    const MARGIN: f64 = 1e-9;
    -rank > bound + bound.abs() * MARGIN
}

/// The PMID halfway between the first and the last of the records the index holds lengths
/// for (two b-tree seeks; PubMed's PMIDs are dense, so it has about as many records on each
/// side). `None` when they all share one row of `fts_lengths`.
pub(super) fn middle_pmid(conn: &Connection) -> Result<Option<i64>, StoreError> {
    let (first, last): (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT (SELECT min(id) FROM fts_lengths), (SELECT max(id) FROM fts_lengths)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(match (first, last) {
        (Some(first), Some(last)) if last > first => {
            Some((first + (last - first + 1) / 2) * LENGTHS_PER_ROW)
        }
        _ => None,
    })
}

/// PMIDs (rowids) whose lengths share a row of `fts_lengths`.
const LENGTHS_PER_ROW: i64 = 1024;

/// The two bytes kept for a record of `tokens` tokens: the length itself, 0 for none known and
/// 65,535 for 65,535 tokens or more (`NOT_KEPT`: read from FTS5).
pub fn kept_length(tokens: i64) -> u16 {
    tokens.clamp(0, i64::from(NOT_KEPT)) as u16
}

/// A kept length that says the record's length is to be read from FTS5.
const NOT_KEPT: u16 = u16::MAX;

/// The length kept as `kept` ([`kept_length`]), if it is one.
fn length_of(kept: u16) -> Option<i64> {
    (kept != 0 && kept != NOT_KEPT).then_some(i64::from(kept))
}

/// Bytes in a row of `fts_lengths`.
const LENGTHS_ROW_BYTES: usize = 2 * LENGTHS_PER_ROW as usize;

/// Where record `row`'s two bytes are in its row of `fts_lengths`.
fn place_of(row: i64) -> std::ops::Range<usize> {
    let at = 2 * row.rem_euclid(LENGTHS_PER_ROW) as usize;
    at..at + 2
}

/// Keeps record `row`'s length of `tokens` tokens in `lengths`, its row of `fts_lengths`.
fn keep_length(lengths: &mut [u8], row: i64, tokens: i64) {
    lengths[place_of(row)].copy_from_slice(&kept_length(tokens).to_le_bytes());
}

/// Record `row`'s length as `lengths`, its row of `fts_lengths`, keeps it ([`kept_length`]);
/// `None` when the row is too short to hold it.
fn kept_in(lengths: &[u8], row: i64) -> Option<u16> {
    let kept = lengths.get(place_of(row))?;
    Some(u16::from_le_bytes([kept[0], kept[1]]))
}

/// Each record's length in tokens, as FTS5's `docsize` table holds it (a varint a column).
fn docsize_tokens(mut sizes: &[u8]) -> i64 {
    let mut total = 0i64;
    while let Some((value, used)) = sqlite_varint(sizes) {
        total = total.saturating_add(value);
        sizes = &sizes[used..];
    }
    total
}

/// The SQLite varint at the start of `bytes` (7 bits a byte, most significant first, a 9th byte
/// whole) and the bytes it takes; `None` when `bytes` is empty.
fn sqlite_varint(bytes: &[u8]) -> Option<(i64, usize)> {
    let mut value = 0i64;
    for (i, &byte) in bytes.iter().enumerate() {
        if i == 8 {
            return Some(((value << 8) | i64::from(byte), 9));
        }
        value = (value << 7) | i64::from(byte & 0x7f);
        if byte < 0x80 {
            return Some((value, i + 1));
        }
    }
    // (Cut short: what was read.)
    (!bytes.is_empty()).then_some((value, bytes.len()))
}

/// Notes the lengths of records `rows` as the full-text index holds them now (after their rows
/// were written, in the same transaction), in `fts_lengths`.
pub(super) fn note_lengths(tx: &Connection, rows: &[i64]) -> Result<(), StoreError> {
    let mut rows = rows.to_vec();
    rows.sort_unstable();
    rows.dedup();
    let mut sizes = tx.prepare_cached("SELECT sz FROM article_fts_docsize WHERE id = ?1")?;
    let mut read = tx.prepare_cached("SELECT lengths FROM fts_lengths WHERE id = ?1")?;
    for group in
        rows.chunk_by(|a, b| a.div_euclid(LENGTHS_PER_ROW) == b.div_euclid(LENGTHS_PER_ROW))
    {
        let id = group[0].div_euclid(LENGTHS_PER_ROW);
        let mut lengths: Vec<u8> = read
            .query_row([id], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        lengths.resize(LENGTHS_ROW_BYTES, 0);
        for &row in group {
            let tokens: Option<Vec<u8>> = sizes.query_row([row], |r| r.get(0)).optional()?;
            keep_length(&mut lengths, row, tokens.map_or(0, |t| docsize_tokens(&t)));
        }
        write_lengths(tx, id, &lengths)?;
    }
    Ok(())
}

/// Writes row `id` of `fts_lengths` (its PMIDs' lengths, two bytes each).
fn write_lengths(tx: &Connection, id: i64, lengths: &[u8]) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT OR REPLACE INTO fts_lengths (id, lengths) VALUES (?1, ?2)")?
        .execute(rusqlite::params![id, lengths])?;
    Ok(())
}

/// Notes the length of every record in the full-text index (the migration that adds
/// `fts_lengths`), reading FTS5's lengths in order.
pub(super) fn note_all_lengths(tx: &Connection) -> Result<usize, StoreError> {
    let mut stmt = tx.prepare("SELECT id, sz FROM article_fts_docsize ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let (mut noted, mut row_id, mut lengths) = (0, None, Vec::new());
    while let Some(r) = rows.next()? {
        let (id, sizes): (i64, Vec<u8>) = (r.get(0)?, r.get(1)?);
        let this = id.div_euclid(LENGTHS_PER_ROW);
        if row_id != Some(this) {
            if let Some(done) = row_id {
                write_lengths(tx, done, &lengths)?;
            }
            row_id = Some(this);
            lengths = vec![0; LENGTHS_ROW_BYTES];
        }
        keep_length(&mut lengths, id, docsize_tokens(&sizes));
        noted += 1;
    }
    if let Some(done) = row_id {
        write_lengths(tx, done, &lengths)?;
    }
    Ok(noted)
}

/// The lengths of the `fts_lengths` row a search reads now (its rows come in rowid order, so
/// one row at a time serves all its matches there).
struct Lengths {
    /// The search's own connection (not closed when dropped).
    conn: Connection,
    id: Option<i64>,
    lengths: Vec<u8>,
}

impl Lengths {
    /// Record `row`'s length, when it is kept.
    fn of(&mut self, row: i64) -> Option<i64> {
        let id = row.div_euclid(LENGTHS_PER_ROW);
        if self.id != Some(id) {
            self.id = Some(id);
            // (A catalogue without them, or a failed read, only loses the shortcut.)
            self.lengths = self
                .conn
                .prepare_cached("SELECT lengths FROM fts_lengths WHERE id = ?1")
                .and_then(|mut s| s.query_row([id], |r| r.get(0)))
                .unwrap_or_default();
        }
        kept_in(&self.lengths, row).and_then(length_of)
    }
}

/// Registers `evcat_bm25` (and `evcat_bm25_leading`) on a connection; they count what they
/// rank in the returned count.
pub(super) fn register(conn: &Connection) -> Result<Arc<RankedCount>, StoreError> {
    let failed = |what: &str| {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(
            ffi::Error::new(ffi::SQLITE_ERROR),
            Some(format!("cannot register evcat_bm25: {what}")),
        ))
    };
    // SAFETY: the handle is the connection's, used on this thread while `conn` is borrowed; the
    // statement is finalised before returning; `fts5(?1)` writes the API pointer through the
    // bound pointer, which lives until the statement is finalised; FTS5 keeps the function for
    // the connection's life with its own reference to the count, dropped by `drop_count` when
    // FTS5 lets the function go (or when registering fails).
    let count = Arc::new(RankedCount::default());
    unsafe {
        let db = conn.handle();
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        if ffi::sqlite3_prepare_v2(
            db,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut stmt,
            ptr::null_mut(),
        ) != ffi::SQLITE_OK
        {
            return Err(failed("FTS5 is not available"));
        }
        let mut api: *mut ffi::fts5_api = ptr::null_mut();
        ffi::sqlite3_bind_pointer(
            stmt,
            1,
            (&mut api as *mut *mut ffi::fts5_api).cast::<c_void>(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
        let Some(create) = api.as_ref().and_then(|a| a.xCreateFunction) else {
            return Err(failed("FTS5 gave no API"));
        };
        let functions: [(&std::ffi::CStr, ffi::fts5_extension_function); 2] = [
            (c"evcat_bm25", Some(evcat_bm25)),
            (c"evcat_bm25_leading", Some(evcat_bm25_leading)),
        ];
        for (name, function) in functions {
            let user = Arc::into_raw(Arc::clone(&count))
                .cast_mut()
                .cast::<c_void>();
            if create(api, name.as_ptr(), user, function, Some(drop_count)) != ffi::SQLITE_OK {
                drop_count(user);
                return Err(failed("FTS5 refused the function"));
            }
        }
    }
    Ok(count)
}

unsafe extern "C" fn drop_count(user: *mut c_void) {
    // SAFETY: `user` is the reference `register` made with `Arc::into_raw`, dropped once.
    drop(unsafe { Arc::from_raw(user.cast_const().cast::<RankedCount>()) });
}

/// A record's rank and rowid in a max-heap of the best (the worst of them on top): records are
/// ordered by rank, then rowid.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rank(f64, i64);

impl Eq for Rank {}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rank {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// What one query's ranking keeps between its rows (FTS5's auxiliary data).
struct Query {
    /// Each phrase's inverse document frequency, as FTS5's `bm25()` computes it.
    idf: Vec<f64>,
    /// Average record length in tokens.
    avgdl: f64,
    /// Each column's weight (1.0 beyond those given).
    weights: Vec<f64>,
    /// How many best records are wanted (0: every record is ranked).
    k: usize,
    /// The best `k` records so far (lower ranks are better; the worst on top).
    best: BinaryHeap<Rank>,
    /// The last record ranked, and its rank.
    last: Option<(i64, f64)>,
    /// Each phrase's weighted count in the current record.
    freq: Vec<f64>,
    /// In each column of the current record, the token after its last match.
    ends: Vec<i64>,
    /// The records' kept lengths (none when the connection could not be had).
    lengths: Option<Lengths>,
}

/// An FTS5 call's failure: its SQLite result code.
type Failed = c_int;

fn ok(rc: c_int) -> Result<(), Failed> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rc)
    }
}

unsafe extern "C" fn count_row(
    _api: *const ffi::Fts5ExtensionApi,
    _fts: *mut ffi::Fts5Context,
    user: *mut c_void,
) -> c_int {
    // SAFETY: `user` is the `i64` `query_data` passes.
    unsafe { *user.cast::<i64>() += 1 };
    ffi::SQLITE_OK
}

unsafe extern "C" fn drop_query(data: *mut c_void) {
    // SAFETY: `data` is the `Box<Query>` `query_data` gave FTS5, freed once by FTS5.
    drop(unsafe { Box::from_raw(data.cast::<Query>()) });
}

/// The query's data, made on its first row as FTS5's `bm25()` makes its own.
///
/// # Safety
/// `api`, `fts` and `args` are those FTS5 passed the function.
unsafe fn query_data<'a>(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    db: *mut ffi::sqlite3,
    args: &[*mut ffi::sqlite3_value],
    scored: Option<usize>,
) -> Result<&'a mut Query, Failed> {
    let missing = ffi::SQLITE_MISUSE;
    unsafe {
        let existing = (api.xGetAuxdata.ok_or(missing)?)(fts, 0).cast::<Query>();
        if let Some(query) = existing.as_mut() {
            return Ok(query);
        }
        let phrases = (api.xPhraseCount.ok_or(missing)?)(fts).max(0) as usize;
        let phrases = scored.map_or(phrases, |n| n.min(phrases));
        let mut rows: i64 = 0;
        ok((api.xRowCount.ok_or(missing)?)(fts, &mut rows))?;
        let mut tokens: i64 = 0;
        ok((api.xColumnTotalSize.ok_or(missing)?)(fts, -1, &mut tokens))?;
        let mut statistics = Vec::with_capacity(phrases);
        for phrase in 0..phrases {
            let mut hits: i64 = 0;
            ok((api.xQueryPhrase.ok_or(missing)?)(
                fts,
                phrase as c_int,
                (&mut hits as *mut i64).cast::<c_void>(),
                Some(count_row),
            ))?;
            let value = (((rows - hits) as f64 + 0.5) / (hits as f64 + 0.5)).ln();
            statistics.push(PhraseStatistics {
                idf: if value <= 0.0 { 1e-6 } else { value },
                records: hits.max(0) as u64,
            });
        }
        let idf = statistics.iter().map(|p| p.idf).collect();
        let count = (api.xUserData.ok_or(missing)?)(fts)
            .cast_const()
            .cast::<RankedCount>();
        if let Some(count) = count.as_ref()
            && let Ok(mut kept) = count.phrases.lock()
        {
            *kept = statistics;
        }
        let k = args
            .first()
            .map(|v| ffi::sqlite3_value_int64(*v))
            .filter(|k| (1..=MOST_KEPT).contains(k))
            .map_or(0, |k| k as usize);
        let weights = args[1.min(args.len())..]
            .iter()
            .map(|v| ffi::sqlite3_value_double(*v))
            .collect();
        let query = Box::new(Query {
            idf,
            avgdl: tokens as f64 / rows as f64,
            weights,
            k,
            best: BinaryHeap::with_capacity(k + 1),
            last: None,
            freq: vec![0.0; phrases],
            ends: vec![0; (api.xColumnCount.ok_or(missing)?)(fts).max(0) as usize],
            // (The connection the search runs on, borrowed: `from_handle` does not close it.)
            lengths: Connection::from_handle(db).ok().map(|conn| Lengths {
                conn,
                id: None,
                lengths: Vec::new(),
            }),
        });
        let raw = Box::into_raw(query);
        let rc = (api.xSetAuxdata.ok_or(missing)?)(fts, raw.cast::<c_void>(), Some(drop_query));
        // (On failure FTS5 has already called `drop_query`.)
        ok(rc)?;
        Ok(&mut *raw)
    }
}

impl Query {
    /// FTS5's `bm25()` of a record of `length` tokens with the current phrase counts.
    fn rank(&self, length: f64) -> f64 {
        let mut score = 0.0;
        for (idf, freq) in self.idf.iter().zip(&self.freq) {
            score +=
                idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1.0 - B + B * length / self.avgdl)));
        }
        -score
    }

    /// Whether record `row`, ranked `bound` at best, cannot be among the `k` best: `k` records
    /// kept come before it in the order rank, then rowid, whatever its rank (a record that
    /// ranks as the `k`-th does is after it if its rowid is higher).
    fn cannot_be_among_the_best(&self, bound: f64, row: i64) -> bool {
        self.k > 0
            && self.best.len() >= self.k
            && self
                .best
                .peek()
                .is_some_and(|worst| Rank(bound, row) > *worst)
    }

    /// Keeps record `row`, ranked `rank`, if it is among the best `k`.
    fn keep(&mut self, rank: f64, row: i64) {
        if self.k == 0 {
            return;
        }
        self.best.push(Rank(rank, row));
        if self.best.len() > self.k {
            self.best.pop();
        }
    }
}

/// The current row's rank (see the module doc).
///
/// # Safety
/// The arguments are those FTS5 passed the function.
unsafe fn rank_row(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    db: *mut ffi::sqlite3,
    args: &[*mut ffi::sqlite3_value],
    scored: Option<usize>,
) -> Result<f64, Failed> {
    let missing = ffi::SQLITE_MISUSE;
    unsafe {
        let query = query_data(api, fts, db, args, scored)?;
        let row = (api.xRowid.ok_or(missing)?)(fts);
        // (The same record again: the same rank, counted once.)
        if let Some((last, rank)) = query.last
            && last == row
        {
            return Ok(rank);
        }
        let count = (api.xUserData.ok_or(missing)?)(fts)
            .cast_const()
            .cast::<RankedCount>();
        if let Some(count) = count.as_ref() {
            count.ranked.fetch_add(1, AtomicOrdering::Relaxed);
        }
        query.freq.fill(0.0);
        query.ends.fill(0);
        // (Each phrase's matches in turn, in column then offset order: the order in which
        // FTS5's `bm25()` adds each phrase's weights. Read per phrase, they need not be merged
        // into one list of every phrase's matches first, as FTS5's `xInst` does.)
        let (first, next) = (
            api.xPhraseFirst.ok_or(missing)?,
            api.xPhraseNext.ok_or(missing)?,
        );
        for (phrase, freq) in query.freq.iter_mut().enumerate() {
            let mut at = ffi::Fts5PhraseIter {
                a: ptr::null(),
                b: ptr::null(),
            };
            let (mut column, mut offset): (c_int, c_int) = (0, 0);
            ok(first(
                fts,
                phrase as c_int,
                &mut at,
                &mut column,
                &mut offset,
            ))?;
            while column >= 0 {
                *freq += query.weights.get(column as usize).copied().unwrap_or(1.0);
                if let Some(end) = query.ends.get_mut(column as usize) {
                    *end = (*end).max(i64::from(offset) + 1);
                }
                next(fts, &mut at, &mut column, &mut offset);
            }
        }
        let kept = query.lengths.as_mut().and_then(|lengths| lengths.of(row));
        let rank = match kept {
            Some(length) => {
                let rank = query.rank(length as f64);
                if query.cannot_be_among_the_best(rank, row) {
                    NOT_AMONG_THE_BEST
                } else {
                    query.keep(rank, row);
                    rank
                }
            }
            // (The record is at least as long as the tokens up to its last match in each
            // column, and its length only lowers its rank: so this rank is the best it can
            // have.)
            None if query.cannot_be_among_the_best(
                query.rank(query.ends.iter().sum::<i64>() as f64),
                row,
            ) =>
            {
                NOT_AMONG_THE_BEST
            }
            None => {
                if let Some(count) = count.as_ref() {
                    count.lengths_read.fetch_add(1, AtomicOrdering::Relaxed);
                }
                let mut length: c_int = 0;
                ok((api.xColumnSize.ok_or(missing)?)(fts, -1, &mut length))?;
                let rank = query.rank(f64::from(length));
                query.keep(rank, row);
                rank
            }
        };
        query.last = Some((row, rank));
        Ok(rank)
    }
}

unsafe extern "C" fn evcat_bm25(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    count: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5's arguments, passed on.
    unsafe { rank_call(api, fts, ctx, count, values, false) }
}

/// `evcat_bm25_leading(article_fts, n, k, weight...)`: `evcat_bm25(article_fts, k, weight...)`
/// of the query's first `n` phrases alone; the phrases after them only select records. So
/// `MATCH '(a OR b OR c) AND (c)'` with `n` 3 ranks the records holding `c` as
/// `MATCH 'a OR b OR c'` ranks them, to the bit (the same phrases in the same order).
unsafe extern "C" fn evcat_bm25_leading(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    count: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5's arguments, passed on.
    unsafe { rank_call(api, fts, ctx, count, values, true) }
}

/// One call of [`evcat_bm25`] (or, `leading`, of [`evcat_bm25_leading`]): the row's rank as
/// the call's result.
///
/// # Safety
/// The arguments are those FTS5 passed the function.
unsafe fn rank_call(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    count: c_int,
    values: *mut *mut ffi::sqlite3_value,
    leading: bool,
) {
    // SAFETY: FTS5 passes a valid API, context and `count` argument values.
    unsafe {
        let mut args: &[*mut ffi::sqlite3_value] = if values.is_null() || count <= 0 {
            &[]
        } else {
            std::slice::from_raw_parts(values, count as usize)
        };
        let mut scored = None;
        if leading {
            let Some((n, rest)) = args.split_first() else {
                ffi::sqlite3_result_error_code(ctx, ffi::SQLITE_MISUSE);
                return;
            };
            scored = Some(ffi::sqlite3_value_int64(*n).max(0) as usize);
            args = rest;
        }
        let result = match api.as_ref() {
            Some(api) => std::panic::catch_unwind(AssertUnwindSafe(|| {
                rank_row(api, fts, ffi::sqlite3_context_db_handle(ctx), args, scored)
            }))
            .unwrap_or(Err(ffi::SQLITE_INTERNAL)),
            None => Err(ffi::SQLITE_MISUSE),
        };
        match result {
            Ok(rank) => ffi::sqlite3_result_double(ctx, rank),
            Err(rc) => ffi::sqlite3_result_error_code(ctx, rc),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::import::import_stream;
    use crate::store::search::{BM25, fts_query};

    /// 300 records of words from a small vocabulary, of many lengths; records 201-300 repeat
    /// the text of records 1-100, so many records rank alike.
    fn catalogue() -> (tempfile::TempDir, Store) {
        catalogue_every(1)
    }

    /// [`catalogue`]'s records with the PMIDs `step`, `2 * step`, ... `300 * step`.
    pub(in crate::store) fn catalogue_every(step: usize) -> (tempfile::TempDir, Store) {
        const WORDS: [&str; 12] = [
            "ozone",
            "pain",
            "disc",
            "back",
            "lumbar",
            "injection",
            "therapy",
            "oxygen",
            "steroid",
            "trial",
            "patients",
            "sciatica",
        ];
        let mut seed: u64 = 7;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut words = |n: usize| {
            (0..n)
                .map(|_| WORDS[next(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let texts: Vec<(String, String)> = (0..200)
            .map(|i| (words(2 + i % 5), words(3 + (i * 37) % 80)))
            .collect();
        let mut xml = String::from("<PubmedArticleSet>");
        for n in 1..=300usize {
            let (title, text) = &texts[if n > 200 { n - 201 } else { n - 1 }];
            let pmid = n * step;
            xml.push_str(&format!(
                "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
                 <Article PubModel=\"Print\"><Journal><JournalIssue CitedMedium=\"Print\"><PubDate><Year>2020</Year></PubDate></JournalIssue>\
                 <Title>J</Title></Journal><ArticleTitle>{title}.</ArticleTitle><Abstract><AbstractText>{text}.</AbstractText></Abstract>\
                 <Language>eng</Language></Article></MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus></PubmedData></PubmedArticle>"
            ));
        }
        xml.push_str("</PubmedArticleSet>");
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("c.sqlite")).unwrap();
        import_stream(&mut store, xml.as_bytes(), "test", None, &mut |_| {}).unwrap();
        (dir, store)
    }

    fn ranks(store: &Store, sql: &str, query: &str) -> Vec<(i64, u64)> {
        let mut stmt = store.conn().prepare(sql).unwrap();
        stmt.query_map([query], |r| Ok((r.get(0)?, r.get::<_, f64>(1)?.to_bits())))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn the_best_records_are_fts5_s_best_with_its_ranks_to_the_bit() {
        let (_dir, store) = catalogue();
        let weights = BM25
            .trim_start_matches("bm25(article_fts, ")
            .trim_end_matches(')');
        let mut pruned = 0;
        for query in [
            "ozone",
            "pain OR ozone",
            "ozone pain",
            "\"back pain\"",
            "title:ozone OR disc",
            "ozone NOT disc",
            "ozone oxygen steroid",
            "sciatica OR trial OR patients",
        ] {
            let fts = fts_query(query).unwrap().unwrap();
            for filter in ["", " AND rowid % 3 = 0"] {
                let matching: i64 = store
                    .conn()
                    .query_row(
                        &format!(
                            "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?1{filter}"
                        ),
                        [&fts],
                        |r| r.get(0),
                    )
                    .unwrap();
                for k in [1, 2, 3, 5, 10, 40, 1000] {
                    let what = format!("{query:?}{filter} k={k}");
                    let fts5 = ranks(
                        &store,
                        &format!(
                            "SELECT rowid, {BM25} FROM article_fts WHERE article_fts MATCH ?1{filter} ORDER BY 2, 1 LIMIT {k}"
                        ),
                        &fts,
                    );
                    store.ranked().reset();
                    let mine = ranks(
                        &store,
                        &format!(
                            "SELECT rowid, evcat_bm25(article_fts, {k}, {weights}) FROM article_fts WHERE article_fts MATCH ?1{filter} ORDER BY 2, 1 LIMIT {k}"
                        ),
                        &fts,
                    );
                    assert_eq!(mine, fts5, "{what}");
                    assert_eq!(
                        store.ranked().get(),
                        matching as u64,
                        "{what}: records ranked"
                    );
                    // Unordered, every record's rank: some were found not among the best.
                    let every = ranks(
                        &store,
                        &format!(
                            "SELECT rowid, evcat_bm25(article_fts, {k}, {weights}) FROM article_fts WHERE article_fts MATCH ?1{filter}"
                        ),
                        &fts,
                    );
                    assert_eq!(every.len(), matching as usize, "{what}");
                    pruned += every
                        .iter()
                        .filter(|(_, bits)| *bits == NOT_AMONG_THE_BEST.to_bits())
                        .count();
                }
            }
        }
        assert!(pruned > 1000, "{pruned} records were not ranked in full");
    }

    #[test]
    fn a_length_is_kept_below_65_535_tokens() {
        assert_eq!(length_of(kept_length(0)), None);
        assert_eq!(length_of(kept_length(1)), Some(1));
        assert_eq!(length_of(kept_length(65_534)), Some(65_534));
        assert_eq!(length_of(kept_length(65_535)), None);
        assert_eq!(length_of(kept_length(1 << 40)), None);
        assert_eq!(docsize_tokens(&[3, 0x81, 0x00, 0]), 3 + 128);
        assert_eq!(docsize_tokens(&[]), 0);
    }

    /// The kept lengths are FTS5's own lengths for every record, after an import and after a
    /// revision that changes some records' text; with them, no length is read from FTS5 for
    /// the same (to the bit) ranks.
    #[test]
    fn the_kept_lengths_are_fts5_s_and_spare_reading_them() {
        let (_dir, mut store) = catalogue();
        let lengths_hold = |store: &Store| {
            let mut stmt = store
                .conn()
                .prepare("SELECT id, sz FROM article_fts_docsize ORDER BY id")
                .unwrap();
            let rows: Vec<(i64, Vec<u8>)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(rows.len(), 300);
            for (row, sizes) in rows {
                let lengths: Vec<u8> = store
                    .conn()
                    .query_row(
                        "SELECT lengths FROM fts_lengths WHERE id = ?1",
                        [row / LENGTHS_PER_ROW],
                        |r| r.get(0),
                    )
                    .unwrap();
                let exact: i64 = store
                    .conn()
                    .query_row(
                        "SELECT count(*) FROM temp.entries WHERE doc = ?1",
                        [row],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(docsize_tokens(&sizes), exact, "{row}");
                assert_eq!(
                    kept_in(&lengths, row).and_then(length_of),
                    Some(exact),
                    "{row}"
                );
            }
        };
        store
            .conn()
            .execute_batch(
                "CREATE VIRTUAL TABLE temp.entries USING fts5vocab(main, article_fts, 'instance')",
            )
            .unwrap();
        lengths_hold(&store);
        // Records 1 to 50 again, each with a longer abstract.
        let mut xml = String::from("<PubmedArticleSet>");
        for pmid in 1..=50 {
            let text = "ozone disc pain ".repeat(pmid);
            xml.push_str(&format!(
                "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"2\">{pmid}</PMID>\
                 <Article PubModel=\"Print\"><Journal><JournalIssue CitedMedium=\"Print\"><PubDate><Year>2020</Year></PubDate></JournalIssue>\
                 <Title>J</Title></Journal><ArticleTitle>ozone.</ArticleTitle><Abstract><AbstractText>{text}.</AbstractText></Abstract>\
                 <Language>eng</Language></Article></MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus></PubmedData></PubmedArticle>"
            ));
        }
        xml.push_str("</PubmedArticleSet>");
        let counts = import_stream(&mut store, xml.as_bytes(), "again", None, &mut |_| {}).unwrap();
        assert_eq!(counts.updated, 50);
        lengths_hold(&store);

        let weights = BM25
            .trim_start_matches("bm25(article_fts, ")
            .trim_end_matches(')');
        // (Matches in titles, whose records' length is mostly their abstracts.)
        let fts = fts_query("title:ozone").unwrap().unwrap();
        let sql = format!(
            "SELECT rowid, evcat_bm25(article_fts, 5, {weights}) FROM article_fts WHERE article_fts MATCH ?1 ORDER BY 2, 1 LIMIT 5"
        );
        let fts5 = ranks(
            &store,
            &format!(
                "SELECT rowid, {BM25} FROM article_fts WHERE article_fts MATCH ?1 ORDER BY 2, 1 LIMIT 5"
            ),
            &fts,
        );
        store.ranked().reset();
        assert_eq!(ranks(&store, &sql, &fts), fts5);
        assert_eq!(store.ranked().lengths_read(), 0);
        // Without them (or for a record of 65,535 tokens or more), FTS5's are read.
        store
            .conn()
            .execute_batch("UPDATE fts_lengths SET lengths = zeroblob(2048)")
            .unwrap();
        store.ranked().reset();
        assert_eq!(ranks(&store, &sql, &fts), fts5);
        assert!(store.ranked().lengths_read() > 0);
    }
}
