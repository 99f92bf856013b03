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
//! FTS5's API for ranking functions is a C one, which rusqlite does not wrap: this module's
//! unsafe code is that API's use, kept to registering the function and reading each row.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ffi::{c_int, c_void};
use std::panic::AssertUnwindSafe;
use std::ptr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use rusqlite::Connection;
use rusqlite::ffi;

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
pub struct RankedCount(AtomicU64);

impl RankedCount {
    /// Back to 0, before a search.
    pub fn reset(&self) {
        self.0.store(0, AtomicOrdering::Relaxed);
    }

    /// Records ranked since the last reset.
    pub fn get(&self) -> u64 {
        self.0.load(AtomicOrdering::Relaxed)
    }
}

/// Registers `evcat_bm25` on a connection; it counts what it ranks in the returned count.
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
        let user = Arc::into_raw(Arc::clone(&count))
            .cast_mut()
            .cast::<c_void>();
        if create(
            api,
            c"evcat_bm25".as_ptr(),
            user,
            Some(evcat_bm25),
            Some(drop_count),
        ) != ffi::SQLITE_OK
        {
            drop_count(user);
            return Err(failed("FTS5 refused the function"));
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
    args: &[*mut ffi::sqlite3_value],
) -> Result<&'a mut Query, Failed> {
    let missing = ffi::SQLITE_MISUSE;
    unsafe {
        let existing = (api.xGetAuxdata.ok_or(missing)?)(fts, 0).cast::<Query>();
        if let Some(query) = existing.as_mut() {
            return Ok(query);
        }
        let phrases = (api.xPhraseCount.ok_or(missing)?)(fts).max(0) as usize;
        let mut rows: i64 = 0;
        ok((api.xRowCount.ok_or(missing)?)(fts, &mut rows))?;
        let mut tokens: i64 = 0;
        ok((api.xColumnTotalSize.ok_or(missing)?)(fts, -1, &mut tokens))?;
        let mut idf = Vec::with_capacity(phrases);
        for phrase in 0..phrases {
            let mut hits: i64 = 0;
            ok((api.xQueryPhrase.ok_or(missing)?)(
                fts,
                phrase as c_int,
                (&mut hits as *mut i64).cast::<c_void>(),
                Some(count_row),
            ))?;
            let value = (((rows - hits) as f64 + 0.5) / (hits as f64 + 0.5)).ln();
            idf.push(if value <= 0.0 { 1e-6 } else { value });
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
    args: &[*mut ffi::sqlite3_value],
) -> Result<f64, Failed> {
    let missing = ffi::SQLITE_MISUSE;
    unsafe {
        let query = query_data(api, fts, args)?;
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
            count.0.fetch_add(1, AtomicOrdering::Relaxed);
        }
        query.freq.fill(0.0);
        query.ends.fill(0);
        let mut instances: c_int = 0;
        ok((api.xInstCount.ok_or(missing)?)(fts, &mut instances))?;
        let inst = api.xInst.ok_or(missing)?;
        for i in 0..instances {
            let (mut phrase, mut column, mut offset) = (0, 0, 0);
            ok(inst(fts, i, &mut phrase, &mut column, &mut offset))?;
            let weight = query.weights.get(column as usize).copied().unwrap_or(1.0);
            if let Some(freq) = query.freq.get_mut(phrase as usize) {
                *freq += weight;
            }
            if let Some(end) = query.ends.get_mut(column as usize) {
                *end = (*end).max(i64::from(offset) + 1);
            }
        }
        // (The record is at least as long as the tokens up to its last match in each column,
        // and its length only lowers its rank: so this rank is the best it can have.)
        let shortest = query.ends.iter().sum::<i64>() as f64;
        let rank = if query.cannot_be_among_the_best(query.rank(shortest), row) {
            NOT_AMONG_THE_BEST
        } else {
            let mut length: c_int = 0;
            ok((api.xColumnSize.ok_or(missing)?)(fts, -1, &mut length))?;
            let rank = query.rank(f64::from(length));
            query.keep(rank, row);
            rank
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
    // SAFETY: FTS5 passes a valid API, context and `count` argument values.
    unsafe {
        let args: &[*mut ffi::sqlite3_value] = if values.is_null() || count <= 0 {
            &[]
        } else {
            std::slice::from_raw_parts(values, count as usize)
        };
        let result = match api.as_ref() {
            Some(api) => std::panic::catch_unwind(AssertUnwindSafe(|| rank_row(api, fts, args)))
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
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::import::import_stream;
    use crate::store::search::{BM25, fts_query};

    /// 300 records of words from a small vocabulary, of many lengths; records 201-300 repeat
    /// the text of records 1-100, so many records rank alike.
    fn catalogue() -> (tempfile::TempDir, Store) {
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
        for pmid in 1..=300usize {
            let (title, text) = &texts[if pmid > 200 { pmid - 201 } else { pmid - 1 }];
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
}
