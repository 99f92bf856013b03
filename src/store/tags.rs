//! Tags in the store: rule tags with their evidence (replaced on re-tagging), manual additions
//! and removals (never touched by anything but `evcat tag add/remove`), and the effective tags
//! every query reads.

use std::cell::Cell;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, now_rfc3339};
use crate::abstracts::Fact;
use crate::pubmed::Article;
use crate::tagging::{Matcher, RecordTag, TagInput, read_study};

/// Replaces a record's rule tags and its facts (derived data, replaced together).
pub(super) fn write_rule_tags(
    tx: &Connection,
    pmid: u64,
    tags: &SerializedTags,
    taxonomy_version: &str,
    fresh: bool,
) -> Result<(), StoreError> {
    let key = pmid as i64;
    super::facts::write_facts(tx, pmid, &tags.facts, fresh)?;
    if !fresh {
        tx.prepare_cached("DELETE FROM tags WHERE pmid = ?1")?
            .execute([key])?;
        tx.prepare_cached("DELETE FROM tag_evidence WHERE pmid = ?1")?
            .execute([key])?;
    }
    if tags.tags.is_empty() {
        return Ok(());
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO tags (pmid, dimension, tag, level, negated) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for t in &tags.tags {
        stmt.execute(params![key, t.dimension, t.tag, t.level, t.negated])?;
    }
    tx.prepare_cached(
        "INSERT INTO tag_evidence (pmid, taxonomy_version, evidence) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![key, taxonomy_version, tags.evidence])?;
    Ok(())
}

/// A record's tags with all their evidence serialised, and its facts (done off the writing
/// thread on import).
#[derive(Debug, Clone, Default)]
pub struct SerializedTags {
    /// The tags, as their rows store them (their evidence is in `evidence`).
    pub tags: Vec<TagRow>,
    /// `{"dimension/tag": [evidence...]}` as JSON.
    pub evidence: String,
    /// The facts of the study (at most one per kind).
    pub facts: Vec<Fact>,
}

/// What the `tags` table stores of one rule tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRow {
    /// Dimension id.
    pub dimension: String,
    /// Tag id.
    pub tag: String,
    /// Evidence level (design tags).
    pub level: Option<i64>,
    /// Every evidence item is negated.
    pub negated: bool,
}

/// Tags a record and reads its facts: the derived data [`write_rule_tags`] writes.
pub fn derive(matcher: &Matcher, input: &TagInput<'_>) -> SerializedTags {
    let (tags, facts) = read_study(matcher, input);
    let mut derived = serialize_tags(tags);
    derived.facts = super::facts::one_per_kind(facts);
    derived
}

/// Serialises a record's tags for [`write_rule_tags`] (without facts; see [`derive`]).
pub fn serialize_tags(tags: Vec<RecordTag>) -> SerializedTags {
    // `{"dimension/tag": [[source, text, start, end, negated], ...]}`, keys in sorted order,
    // written straight from borrowed fields (no JSON value tree per record).
    type Item<'a> = (&'static str, &'a str, Option<usize>, Option<usize>, bool);
    let map: std::collections::BTreeMap<String, Vec<Item<'_>>> = tags
        .iter()
        .map(|t| {
            let items = t
                .evidence
                .iter()
                .map(|e| {
                    (
                        e.source.as_str(),
                        e.text.as_str(),
                        e.start,
                        e.end,
                        e.negated,
                    )
                })
                .collect();
            (format!("{}/{}", t.dimension, t.tag), items)
        })
        .collect();
    let evidence = serde_json::to_string(&map).expect("strings, numbers and booleans serialise");
    drop(map);
    // The evidence items are let go here (on import, by the thread that made them) rather than
    // by the writer.
    let tags = tags
        .into_iter()
        .map(|t| TagRow {
            negated: t.evidence.iter().all(|e| e.negated),
            dimension: t.dimension,
            tag: t.tag,
            level: t.level,
        })
        .collect();
    SerializedTags {
        evidence,
        tags,
        facts: Vec::new(),
    }
}

/// One effective tag of a record, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct StoredTag {
    /// Dimension.
    pub dimension: String,
    /// Tag id.
    #[serde(rename = "id")]
    pub tag: String,
    /// Best evidence source ("manual" for a manual tag).
    pub source: String,
    /// Matched text (the note, for a manual tag).
    pub text: Option<String>,
    /// Start offset.
    pub start: Option<i64>,
    /// End offset.
    pub end: Option<i64>,
    /// Evidence level.
    pub level: Option<i64>,
    /// Every evidence item was negated (kept, for outcomes).
    pub negated: bool,
    /// "rule" or "manual".
    pub origin: String,
    /// All evidence (rule tags).
    pub evidence: Vec<EvidenceRow>,
}

/// A stored evidence item.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct EvidenceRow {
    /// Source.
    pub source: String,
    /// Text.
    pub text: Option<String>,
    /// Start offset.
    pub start: Option<i64>,
    /// End offset.
    pub end: Option<i64>,
    /// Negated.
    pub negated: bool,
}

/// The effective tags of a record, by dimension order of appearance.
pub fn record_tags(store: &Store, pmid: u64) -> Result<Vec<StoredTag>, StoreError> {
    let conn = store.conn();
    let key = pmid as i64;
    let mut tags: Vec<StoredTag> = conn
        .prepare_cached(
            "SELECT dimension, tag, source, text, start, end, level, negated, origin FROM effective_tags
             WHERE pmid = ?1 ORDER BY dimension, tag",
        )?
        .query_map([key], |r| {
            Ok(StoredTag {
                dimension: r.get(0)?,
                tag: r.get(1)?,
                source: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                text: r.get(3)?,
                start: r.get(4)?,
                end: r.get(5)?,
                level: r.get(6)?,
                negated: r.get(7)?,
                origin: r.get(8)?,
                evidence: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let evidence: Option<String> = conn
        .prepare_cached("SELECT evidence FROM tag_evidence WHERE pmid = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    let evidence: serde_json::Map<String, serde_json::Value> = evidence
        .and_then(|e| serde_json::from_str(&e).ok())
        .unwrap_or_default();
    for t in tags.iter_mut().filter(|t| t.origin == "rule") {
        if let Some(serde_json::Value::Array(items)) =
            evidence.get(&format!("{}/{}", t.dimension, t.tag))
        {
            t.evidence = items
                .iter()
                .filter_map(|item| {
                    let (source, text, start, end, negated): (
                        String,
                        Option<String>,
                        Option<i64>,
                        Option<i64>,
                        bool,
                    ) = serde_json::from_value(item.clone()).ok()?;
                    Some(EvidenceRow {
                        source,
                        text,
                        start,
                        end,
                        negated,
                    })
                })
                .collect();
            // The best evidence is the tag's headline.
            if let Some(best) = t.evidence.first() {
                t.source = best.source.clone();
                t.text = best.text.clone();
                t.start = best.start;
                t.end = best.end;
            }
        }
    }
    Ok(tags)
}

/// Manual decisions about a record (added and removed tags).
#[derive(Debug, Clone, Serialize)]
pub struct ManualDecision {
    /// Dimension.
    pub dimension: String,
    /// Tag.
    pub tag: String,
    /// "add" or "remove".
    pub action: String,
    /// Note.
    pub note: Option<String>,
    /// Who.
    pub reviewer: Option<String>,
    /// When.
    pub created_at: String,
}

/// The manual decisions of a record.
pub fn manual_decisions(store: &Store, pmid: u64) -> Result<Vec<ManualDecision>, StoreError> {
    let conn = store.conn();
    Ok(conn
        .prepare_cached(
            "SELECT dimension, tag, action, note, reviewer, created_at FROM manual_tags WHERE pmid = ?1 ORDER BY created_at",
        )?
        .query_map([pmid as i64], |r| {
            Ok(ManualDecision {
                dimension: r.get(0)?,
                tag: r.get(1)?,
                action: r.get(2)?,
                note: r.get(3)?,
                reviewer: r.get(4)?,
                created_at: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?)
}

/// Records a manual decision (replacing an earlier decision about the same tag).
#[allow(clippy::too_many_arguments)]
pub fn set_manual_tag(
    store: &mut Store,
    pmid: u64,
    dimension: &str,
    tag: &str,
    add: bool,
    exclusive: bool,
    level: Option<i64>,
    note: Option<&str>,
    reviewer: Option<&str>,
) -> Result<(), StoreError> {
    store.conn().execute(
        "INSERT INTO manual_tags (pmid, dimension, tag, action, exclusive, level, note, reviewer, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (pmid, dimension, tag) DO UPDATE SET action = excluded.action, exclusive = excluded.exclusive,
           level = excluded.level, note = excluded.note, reviewer = excluded.reviewer, created_at = excluded.created_at",
        params![pmid as i64, dimension, tag, if add { "add" } else { "remove" }, exclusive, level, note, reviewer, now_rfc3339()],
    )?;
    Ok(())
}

/// Whether the record has this tag as a rule tag (before manual decisions).
pub fn has_rule_tag(
    store: &Store,
    pmid: u64,
    dimension: &str,
    tag: &str,
) -> Result<bool, StoreError> {
    let conn = store.conn();
    Ok(conn
        .query_row(
            "SELECT 1 FROM tags WHERE pmid = ?1 AND dimension = ?2 AND tag = ?3",
            params![pmid as i64, dimension, tag],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The tagger's input read back from the store: the record as the import parsed it (its
/// stored XML), so re-tagging sees exactly what import saw ([`TagInput::from_article`]).
#[derive(Debug, Default)]
pub struct StoredTagInput {
    article: Article,
}

impl StoredTagInput {
    /// Borrowed view for the matcher.
    pub fn as_input(&self) -> TagInput<'_> {
        TagInput::from_article(&self.article)
    }
}

/// What the tagger reads of the stored record `pmid` (`None`: no such record, or one without
/// data).
pub fn tag_input(store: &Store, pmid: u64) -> Result<Option<StoredTagInput>, StoreError> {
    load_tag_input(store.conn(), pmid)
}

/// Loads what the tagger reads of a stored record.
pub(super) fn load_tag_input(
    conn: &Connection,
    pmid: u64,
) -> Result<Option<StoredTagInput>, StoreError> {
    Ok(super::articles::load_record(conn, pmid)?.map(|article| StoredTagInput { article }))
}

/// What re-tagging did.
#[derive(Debug, Default, Serialize)]
pub struct RetagReport {
    /// Records re-tagged.
    pub records: u64,
    /// Rule tags written.
    pub tags: u64,
    /// Seconds.
    pub seconds: f64,
    /// Taxonomy stamp used.
    pub taxonomy_version: String,
}

/// Records re-tagged in one transaction.
const RETAG_CHUNK: usize = 2_000;

/// Re-tags the given records (all with data when `pmids` is empty), replacing only rule tags,
/// in transactions of [`RETAG_CHUNK`] records.
///
/// Reading a record's XML again and tagging it is most of the work: on a catalogue in a file,
/// threads of their own do it ([`retag_in_parallel`]) while this one writes; in memory it is all
/// done here.
pub fn retag(
    store: &mut Store,
    matcher: &Matcher,
    pmids: &[u64],
    on_progress: &mut dyn FnMut(u64, u64),
) -> Result<RetagReport, StoreError> {
    let started = std::time::Instant::now();
    let ids: Vec<u64> = if pmids.is_empty() {
        store
            .conn()
            .prepare("SELECT pmid FROM articles WHERE length(raw_xml) > 0 ORDER BY pmid")?
            .query_map([], |r| r.get::<_, i64>(0).map(|p| p as u64))?
            .collect::<Result<_, _>>()?
    } else {
        pmids.to_vec()
    };
    let stamp = matcher.taxonomy().stamp().to_string();
    let total = ids.len() as u64;
    let (records, tags) = (Cell::new(0u64), Cell::new(0u64));
    let mut write = |tx: &Connection, pmid: u64, derived: SerializedTags| {
        tags.set(tags.get() + derived.tags.len() as u64);
        records.set(records.get() + 1);
        write_rule_tags(tx, pmid, &derived, &stamp, false)
    };
    let mut chunk_done = || on_progress(records.get(), total);
    if store.path().exists() && ids.len() > 1 {
        retag_in_parallel(store, matcher, &ids, &mut write, &mut chunk_done)?;
    } else {
        for chunk in ids.chunks(RETAG_CHUNK) {
            let tx = store.write_transaction()?;
            for &pmid in chunk {
                if let Some(tags) = tags_as_stored(tx.conn(), matcher, pmid, None)? {
                    write(tx.conn(), pmid, tags)?;
                }
            }
            tx.commit()?;
            chunk_done();
        }
    }
    Ok(RetagReport {
        records: records.get(),
        tags: tags.get(),
        seconds: started.elapsed().as_secs_f64(),
        taxonomy_version: stamp,
    })
}

/// A record as a re-tagging thread read and tagged it: the content hash it read, and its tags
/// (`None` for a record without data).
type Retagged = Option<(Vec<u8>, SerializedTags)>;

/// [`retag`] of a catalogue in a file: threads with read connections of their own read each
/// record's XML again and tag it, taking the PMIDs in turn; this thread takes their results in
/// the same turn (so in the order of `ids`) and writes them, [`RETAG_CHUNK`] to a transaction,
/// calling `chunk_done` after each. A record whose content changed after
/// a thread read it (another process imported it meanwhile: its content hash differs in the
/// write transaction) is read and tagged again here, so the tags written are always those of
/// the content stored when they are.
fn retag_in_parallel(
    store: &mut Store,
    matcher: &Matcher,
    ids: &[u64],
    write: &mut dyn FnMut(&Connection, u64, SerializedTags) -> Result<(), StoreError>,
    chunk_done: &mut dyn FnMut(),
) -> Result<(), StoreError> {
    use std::sync::mpsc;
    let workers = super::import::preparing_workers();
    let path = store.path().to_path_buf();
    let busy = store.busy_timeout;
    std::thread::scope(|scope| {
        let mut to_workers = Vec::with_capacity(workers);
        let mut from_workers = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (pmid_tx, pmid_rx) = mpsc::sync_channel::<u64>(256);
            let (done_tx, done_rx) = mpsc::sync_channel::<Result<Retagged, StoreError>>(64);
            to_workers.push(pmid_tx);
            from_workers.push(done_rx);
            let path = &path;
            scope.spawn(move || {
                let conn = match super::open_read_only(path, busy) {
                    Ok((conn, _)) => conn,
                    Err(e) => {
                        let _ = done_tx.send(Err(e));
                        return;
                    }
                };
                // (Records are read one by one all over the catalogue: a small page cache.)
                let _ = conn.pragma_update(None, "cache_size", -4096);
                for pmid in pmid_rx {
                    if done_tx.send(retag_read(&conn, matcher, pmid)).is_err() {
                        break;
                    }
                }
            });
        }
        // (The PMIDs are handed out by a thread of their own: a full channel must not keep
        // this one from taking results.)
        scope.spawn(move || {
            for (turn, &pmid) in ids.iter().enumerate() {
                if to_workers[turn % workers].send(pmid).is_err() {
                    break;
                }
            }
        });
        let mut turn = 0;
        for chunk in ids.chunks(RETAG_CHUNK) {
            let tx = store.write_transaction()?;
            for &pmid in chunk {
                let read = from_workers[turn % workers]
                    .recv()
                    .unwrap_or_else(|_| panic!("a thread re-tagging records stopped"))?;
                turn += 1;
                if let Some(tags) = tags_as_stored(tx.conn(), matcher, pmid, read)? {
                    write(tx.conn(), pmid, tags)?;
                }
            }
            tx.commit()?;
            chunk_done();
        }
        Ok(())
    })
}

/// The tags of record `pmid` as the catalogue holds it now (read on `tx`, the writing
/// transaction): those a re-tagging thread made (`read`) when the content it read is still the
/// stored one, else made again here; `None` for a record without data.
fn tags_as_stored(
    tx: &Connection,
    matcher: &Matcher,
    pmid: u64,
    read: Retagged,
) -> Result<Option<SerializedTags>, StoreError> {
    if let Some((hash, tags)) = read
        && super::import::stored_hash(tx, pmid)?.as_deref() == Some(&hash[..])
    {
        return Ok(Some(tags));
    }
    Ok(load_tag_input(tx, pmid)?.map(|input| derive(matcher, &input.as_input())))
}

/// A record read (its content hash and XML in one read transaction) and tagged, for
/// [`retag_in_parallel`].
fn retag_read(conn: &Connection, matcher: &Matcher, pmid: u64) -> Result<Retagged, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let hash = super::import::stored_hash(&tx, pmid)?;
    let read = hash.zip(load_tag_input(&tx, pmid)?);
    tx.commit()?;
    Ok(read.map(|(hash, input)| (hash, derive(matcher, &input.as_input()))))
}

/// The taxonomy versions the stored rule tags were made with, oldest first.
pub fn taxonomy_versions(store: &Store) -> Result<Vec<String>, StoreError> {
    let conn = store.conn();
    Ok(conn
        .prepare("SELECT DISTINCT taxonomy_version FROM tag_evidence ORDER BY 1")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// A condition-by-outcome matrix of record counts.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// The design this matrix is restricted to (`--by design`), if any.
    pub design: Option<String>,
    /// Row tags (conditions), taxonomy order.
    pub rows: Vec<String>,
    /// Column tags (outcomes), taxonomy order.
    pub columns: Vec<String>,
    /// `cells[r][c]`: records with condition r and outcome c.
    pub cells: Vec<Vec<u64>>,
    /// Records with each condition.
    pub row_totals: Vec<u64>,
    /// Records with each outcome.
    pub column_totals: Vec<u64>,
    /// Records in scope (not deleted, design filter applied).
    pub records: u64,
    /// The same matrix weighted by participants (`summary --weight participants`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<ParticipantWeights>,
}

/// A matrix weighted by participants: each cell sums the participants of its records. Records
/// without a participant count add nothing and are counted in `records_without_participants`.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantWeights {
    /// `cells[r][c]`: participants of the records with condition r and outcome c.
    pub cells: Vec<Vec<u64>>,
    /// Participants of the records with each condition.
    pub row_totals: Vec<u64>,
    /// Participants of the records with each outcome.
    pub column_totals: Vec<u64>,
    /// Participants of all records in scope.
    pub total: u64,
    /// Records in scope without a participant count.
    pub records_without_participants: u64,
}

/// A record's strongest design: its design tag with the highest evidence level (a design
/// without a level counts lowest), with that level; `(None, None)` without a design tag.
pub fn strongest_design(
    store: &Store,
    pmid: u64,
) -> Result<(Option<String>, Option<i64>), StoreError> {
    let mut stmt = store.conn().prepare_cached(
        "SELECT tag, level FROM effective_tags WHERE pmid = ?1 AND dimension = 'design' ORDER BY coalesce(level, -1) DESC LIMIT 1",
    )?;
    let mut rows = stmt.query([pmid as i64])?;
    Ok(match rows.next()? {
        Some(r) => (Some(r.get(0)?), r.get(1)?),
        None => (None, None),
    })
}

/// Builds the matrix of `row_dim` by `col_dim` tags over records that are not deleted and have
/// data, optionally restricted to records whose design is `design`.
pub fn tag_matrix(
    store: &Store,
    row_dim: &str,
    rows: &[String],
    col_dim: &str,
    columns: &[String],
    design: Option<&str>,
) -> Result<Matrix, StoreError> {
    tag_matrix_of(store, row_dim, rows, col_dim, columns, design, None)
}

/// [`tag_matrix`] over the records `pmids` only (when given): the one implementation of the
/// evidence matrix, for `summary` (whole catalogue) and `report` (the records it selected).
pub fn tag_matrix_of(
    store: &Store,
    row_dim: &str,
    rows: &[String],
    col_dim: &str,
    columns: &[String],
    design: Option<&str>,
    pmids: Option<&[u64]>,
) -> Result<Matrix, StoreError> {
    let conn = store.conn();
    let only: Option<String> =
        pmids.map(|p| serde_json::to_string(p).unwrap_or_else(|_| "[]".into()));
    let scope = "SELECT a.pmid FROM articles a INDEXED BY articles_search WHERE a.deleted = 0
                 AND (?1 IS NULL OR EXISTS (SELECT 1 FROM effective_tags d WHERE d.pmid = a.pmid AND d.dimension = 'design' AND d.tag = ?1))
                 AND (?4 IS NULL OR a.pmid IN (SELECT value FROM json_each(?4)))";
    let records: i64 = conn.query_row(
        &format!("SELECT count(*) FROM ({scope})"),
        params![design, None::<String>, None::<String>, only],
        |r| r.get(0),
    )?;
    let mut cells = vec![vec![0u64; columns.len()]; rows.len()];
    let mut stmt = conn.prepare(&format!(
        "SELECT r.tag, c.tag, count(DISTINCT r.pmid) FROM effective_tags r
           JOIN effective_tags c ON c.pmid = r.pmid AND c.dimension = ?3
          WHERE r.dimension = ?2 AND r.pmid IN ({scope})
          GROUP BY r.tag, c.tag"
    ))?;
    for row in stmt.query_map(params![design, row_dim, col_dim, only], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (rt, ct, n) = row?;
        if let (Some(ri), Some(ci)) = (
            rows.iter().position(|x| *x == rt),
            columns.iter().position(|x| *x == ct),
        ) {
            cells[ri][ci] = n as u64;
        }
    }
    let totals = |dim: &str, tags: &[String]| -> Result<Vec<u64>, StoreError> {
        let mut out = vec![0u64; tags.len()];
        let mut stmt = conn.prepare(&format!(
            "SELECT t.tag, count(DISTINCT t.pmid) FROM effective_tags t WHERE t.dimension = ?2 AND t.pmid IN ({scope}) GROUP BY t.tag"
        ))?;
        for row in stmt.query_map(params![design, dim, None::<String>, only], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })? {
            let (t, n) = row?;
            if let Some(i) = tags.iter().position(|x| *x == t) {
                out[i] = n as u64;
            }
        }
        Ok(out)
    };
    Ok(Matrix {
        design: design.map(str::to_string),
        rows: rows.to_vec(),
        columns: columns.to_vec(),
        cells,
        row_totals: totals(row_dim, rows)?,
        column_totals: totals(col_dim, columns)?,
        records: records as u64,
        participants: None,
    })
}

/// Weighs a matrix made by [`tag_matrix`] (same dimensions, tags and design) by participants.
pub fn weigh_by_participants(
    store: &Store,
    row_dim: &str,
    col_dim: &str,
    matrix: &mut Matrix,
) -> Result<(), StoreError> {
    let conn = store.conn();
    let design = matrix.design.as_deref();
    let scope = "SELECT a.pmid FROM articles a INDEXED BY articles_search WHERE a.deleted = 0
                 AND (?1 IS NULL OR EXISTS (SELECT 1 FROM effective_tags d WHERE d.pmid = a.pmid AND d.dimension = 'design' AND d.tag = ?1))";
    let counted = "SELECT pmid, coalesce(value, max) AS n FROM facts WHERE kind = 'participants' AND coalesce(value, max) IS NOT NULL";
    let as_count = |x: f64| x.max(0.0).round() as u64;
    let (total, without): (f64, i64) = conn.query_row(
        &format!(
            "SELECT coalesce(sum(p.n), 0), sum(p.pmid IS NULL) FROM ({scope}) s LEFT JOIN ({counted}) p ON p.pmid = s.pmid"
        ),
        params![design],
        |r| Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))),
    )?;
    let mut cells = vec![vec![0u64; matrix.columns.len()]; matrix.rows.len()];
    let mut stmt = conn.prepare(&format!(
        "SELECT x.rt, x.ct, sum(p.n) FROM (
            SELECT DISTINCT r.pmid, r.tag AS rt, c.tag AS ct FROM effective_tags r
              JOIN effective_tags c ON c.pmid = r.pmid AND c.dimension = ?3
             WHERE r.dimension = ?2 AND r.pmid IN ({scope})) x
          JOIN ({counted}) p ON p.pmid = x.pmid
         GROUP BY x.rt, x.ct"
    ))?;
    for row in stmt.query_map(params![design, row_dim, col_dim], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, f64>(2)?,
        ))
    })? {
        let (rt, ct, n) = row?;
        if let (Some(ri), Some(ci)) = (
            matrix.rows.iter().position(|x| *x == rt),
            matrix.columns.iter().position(|x| *x == ct),
        ) {
            cells[ri][ci] = as_count(n);
        }
    }
    let totals = |dim: &str, tags: &[String]| -> Result<Vec<u64>, StoreError> {
        let mut out = vec![0u64; tags.len()];
        let mut stmt = conn.prepare(&format!(
            "SELECT x.tag, sum(p.n) FROM (
                SELECT DISTINCT t.pmid, t.tag FROM effective_tags t WHERE t.dimension = ?2 AND t.pmid IN ({scope})) x
              JOIN ({counted}) p ON p.pmid = x.pmid GROUP BY x.tag"
        ))?;
        for row in stmt.query_map(params![design, dim], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?))
        })? {
            let (t, n) = row?;
            if let Some(i) = tags.iter().position(|x| *x == t) {
                out[i] = as_count(n);
            }
        }
        Ok(out)
    };
    matrix.participants = Some(ParticipantWeights {
        cells,
        row_totals: totals(row_dim, &matrix.rows)?,
        column_totals: totals(col_dim, &matrix.columns)?,
        total: as_count(total),
        records_without_participants: without as u64,
    });
    Ok(())
}

/// Every rule tag as (PMID, dimension, tag), in that order (for tests that make manual
/// decisions on them).
#[cfg(test)]
pub(crate) fn every_rule_tag(store: &Store) -> Vec<(u64, String, String)> {
    let mut stmt = store
        .conn()
        .prepare("SELECT pmid, dimension, tag FROM tags ORDER BY pmid, dimension, tag")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::import::import_stream;

    /// Every rule tag, evidence row and fact of a catalogue, in order.
    fn derived_rows(store: &Store) -> Vec<String> {
        let mut rows = Vec::new();
        for sql in [
            "SELECT pmid, dimension, tag, negated FROM tags ORDER BY 1, 2, 3",
            "SELECT pmid, evidence, taxonomy_version FROM tag_evidence ORDER BY 1",
            "SELECT pmid, kind, value, min, max, unit, text, source, start, end FROM facts ORDER BY 1, 2",
        ] {
            let mut stmt = store.conn().prepare(sql).unwrap();
            let columns = stmt.column_count();
            let found = stmt
                .query_map([], |r| {
                    (0..columns)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap();
            rows.extend(found.map(|r| r.unwrap().join("|")));
        }
        rows
    }

    #[test]
    fn a_record_changed_after_a_thread_read_it_is_tagged_as_stored_when_written() {
        let (_dir, store) = crate::store::import::tagged_catalogue_of(&[include_str!(
            "../../fixtures/ozone-back-pain.xml"
        )]);
        let matcher = Matcher::new(crate::tagging::Taxonomy::builtin());
        let pmids: Vec<u64> = store
            .conn()
            .prepare("SELECT pmid FROM articles WHERE length(raw_xml) > 0 ORDER BY pmid")
            .unwrap()
            .query_map([], |r| r.get::<_, i64>(0).map(|p| p as u64))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let conn = store.conn();
        let tagged = |pmid| {
            let input = load_tag_input(conn, pmid).unwrap().unwrap();
            derive(&matcher, &input.as_input())
        };
        let evidence = |t: Option<SerializedTags>| t.map(|t| t.evidence);
        let (pmid, other) = (pmids[0], pmids[1]);
        assert_ne!(tagged(pmid).evidence, tagged(other).evidence);
        let hash = crate::store::import::stored_hash(conn, pmid)
            .unwrap()
            .unwrap();
        // Read as stored: the thread's tags are written (here another record's, to tell them
        // apart).
        let read = Some((hash.clone(), tagged(other)));
        assert_eq!(
            evidence(tags_as_stored(conn, &matcher, pmid, read).unwrap()),
            Some(tagged(other).evidence)
        );
        // Stored content changed since the thread read it: tagged again from what is stored.
        let mut stale = hash.clone();
        stale[0] ^= 1;
        let read = Some((stale, tagged(other)));
        assert_eq!(
            evidence(tags_as_stored(conn, &matcher, pmid, read).unwrap()),
            Some(tagged(pmid).evidence)
        );
        // Without data when the thread read it, with data now: tagged from what is stored.
        assert_eq!(
            evidence(tags_as_stored(conn, &matcher, pmid, None).unwrap()),
            Some(tagged(pmid).evidence)
        );
        // No such record: nothing to write.
        assert!(tags_as_stored(conn, &matcher, 1, None).unwrap().is_none());
    }

    #[test]
    fn re_tagging_a_catalogue_file_on_several_threads_writes_what_tagging_on_import_does() {
        let files = [
            include_str!("../../fixtures/ozone-back-pain.xml"),
            include_str!("../../fixtures/tagging-false-positives.xml"),
            include_str!("../../fixtures/find-ranking.xml"),
        ];
        let (_tagged_dir, tagged) = crate::store::import::tagged_catalogue_of(&files);
        let expected = derived_rows(&tagged);
        assert!(expected.len() > 100, "{}", expected.len());
        let matcher = Matcher::new(crate::tagging::Taxonomy::builtin());
        // A catalogue file (re-tagged by threads of their own) and one in memory (all on one
        // thread), both imported without tags.
        let dir = tempfile::tempdir().unwrap();
        let mut file = Store::open(&dir.path().join("c.sqlite")).unwrap();
        let mut memory = Store::open_in_memory().unwrap();
        for store in [&mut file, &mut memory] {
            for xml in files {
                import_stream(store, xml.as_bytes(), "test", None, &mut |_| {}).unwrap();
            }
            assert!(derived_rows(store).is_empty());
            let mut progress = Vec::new();
            let report = retag(store, &matcher, &[], &mut |done, total| {
                progress.push((done, total))
            })
            .unwrap();
            assert_eq!(derived_rows(store), expected);
            let records: u64 = store
                .conn()
                .query_row(
                    "SELECT count(*) FROM articles WHERE length(raw_xml) > 0",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(report.records, records);
            assert_eq!(progress, vec![(records, records)]);
        }
    }

    /// Records 1001..=1005 (no tags: imported without a tagger); then 1005 is deleted and 1006,
    /// never seen, becomes a tombstone without data.
    fn catalogue() -> Store {
        let record = |pmid: u64| {
            format!(
                "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{pmid}</PMID>\
                 <Article PubModel=\"Print\"><Journal><JournalIssue CitedMedium=\"Print\"><PubDate><Year>2020</Year></PubDate>\
                 </JournalIssue><Title>Test journal</Title></Journal><ArticleTitle>Record {pmid}</ArticleTitle><Language>eng</Language>\
                 </Article></MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus></PubmedData></PubmedArticle>"
            )
        };
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<PubmedArticleSet>{}<DeleteCitation><PMID Version=\"1\">1005</PMID>\
             <PMID Version=\"1\">1006</PMID></DeleteCitation></PubmedArticleSet>\n",
            (1001..=1005).map(record).collect::<String>()
        );
        let mut store = Store::open_in_memory().unwrap();
        let counts = import_stream(&mut store, xml.as_bytes(), "test", None, &mut |_| {}).unwrap();
        assert_eq!((counts.inserted, counts.deleted), (5, 2));
        store
    }

    fn rule_tag(store: &Store, pmid: u64, dimension: &str, tag: &str) {
        store
            .conn()
            .execute(
                "INSERT INTO tags (pmid, dimension, tag) VALUES (?1, ?2, ?3)",
                params![pmid as i64, dimension, tag],
            )
            .unwrap();
    }

    fn manual_tag(store: &mut Store, pmid: u64, dimension: &str, tag: &str, add: bool) {
        set_manual_tag(
            store,
            pmid,
            dimension,
            tag,
            add,
            false,
            None,
            None,
            Some("t"),
        )
        .unwrap();
    }

    fn strings(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    /// 1001: sciatica (and low-back-pain, not a row), pain, rct.
    /// 1002: sciatica, pain, function removed by hand, rct.
    /// 1003: herniated-disc plus sciatica added by hand, pain, cohort.
    /// 1004: herniated-disc and function, both added by hand.
    /// 1005 (deleted, with data) and 1006 (tombstone without data): sciatica, pain, rct.
    fn tagged_catalogue() -> Store {
        let mut store = catalogue();
        for (pmid, dimension, tag) in [
            (1001, "condition", "sciatica"),
            (1001, "condition", "low-back-pain"),
            (1001, "outcome", "pain"),
            (1001, "design", "rct"),
            (1002, "condition", "sciatica"),
            (1002, "outcome", "pain"),
            (1002, "outcome", "function-disability"),
            (1002, "design", "rct"),
            (1003, "condition", "herniated-disc"),
            (1003, "outcome", "pain"),
            (1003, "design", "cohort"),
            (1005, "condition", "sciatica"),
            (1005, "outcome", "pain"),
            (1005, "design", "rct"),
        ] {
            rule_tag(&store, pmid, dimension, tag);
        }
        manual_tag(&mut store, 1002, "outcome", "function-disability", false);
        manual_tag(&mut store, 1003, "condition", "sciatica", true);
        manual_tag(&mut store, 1004, "condition", "herniated-disc", true);
        manual_tag(&mut store, 1004, "outcome", "function-disability", true);
        for (dimension, tag) in [
            ("condition", "sciatica"),
            ("outcome", "pain"),
            ("design", "rct"),
        ] {
            manual_tag(&mut store, 1006, dimension, tag, true);
        }
        store
    }

    #[test]
    fn matrix_counts_live_records_by_their_effective_tags() {
        let store = tagged_catalogue();
        let rows = strings(&["sciatica", "herniated-disc"]);
        let columns = strings(&["pain", "function-disability"]);
        let m = tag_matrix(&store, "condition", &rows, "outcome", &columns, None).unwrap();
        assert_eq!(m.rows, rows);
        assert_eq!(m.columns, columns);
        assert_eq!(m.design, None);
        // 1001-1004; not the deleted 1005, not the tombstone 1006.
        assert_eq!(m.records, 4);
        // sciatica: 1001, 1002, 1003; herniated-disc: 1003, 1004.
        // pain: 1001, 1002, 1003; function-disability: 1004 (removed by hand from 1002).
        assert_eq!(m.cells, vec![vec![3, 0], vec![1, 1]]);
        assert_eq!(m.row_totals, vec![3, 2]);
        assert_eq!(m.column_totals, vec![3, 1]);
    }

    #[test]
    fn matrix_restricted_to_a_design() {
        let store = tagged_catalogue();
        let rows = strings(&["sciatica", "herniated-disc"]);
        let columns = strings(&["pain", "function-disability"]);
        let m = tag_matrix(&store, "condition", &rows, "outcome", &columns, Some("rct")).unwrap();
        assert_eq!(m.design.as_deref(), Some("rct"));
        // RCTs in scope: 1001 and 1002 (the deleted 1005 and the tombstone 1006 are not).
        assert_eq!(m.records, 2);
        assert_eq!(m.cells, vec![vec![2, 0], vec![0, 0]]);
        assert_eq!(m.row_totals, vec![2, 0]);
        assert_eq!(m.column_totals, vec![2, 0]);
        let none = tag_matrix(
            &store,
            "condition",
            &rows,
            "outcome",
            &columns,
            Some("case-report"),
        )
        .unwrap();
        assert_eq!(none.records, 0);
        assert_eq!(none.cells, vec![vec![0, 0], vec![0, 0]]);
    }

    #[test]
    fn matrix_follows_the_order_asked_for() {
        let store = tagged_catalogue();
        let m = tag_matrix(
            &store,
            "condition",
            &strings(&["herniated-disc", "sciatica", "spinal-stenosis"]),
            "outcome",
            &strings(&["function-disability", "pain"]),
            None,
        )
        .unwrap();
        assert_eq!(m.cells, vec![vec![1, 1], vec![0, 3], vec![0, 0]]);
        assert_eq!(m.row_totals, vec![2, 3, 0]);
        assert_eq!(m.column_totals, vec![1, 3]);
    }
}
