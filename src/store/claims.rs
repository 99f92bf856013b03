//! Claims in the store: the `claims`, `claim_tags`, `claim_links` and `claim_log` tables, and
//! the queries the claim rules ([`crate::claims`]) need over records (evidence search, journals,
//! records tagged since a date).
//!
//! Reads take the [`Store`]. A claim change is several writes that must land together with its
//! log entry, so writes take the store's [`WriteTransaction`] (the caller commits); the `_in`
//! reads see that transaction's uncommitted changes. The log is append-only: SQLite triggers
//! refuse updates and deletes.
//!
//! A claim's kind is stored as [`ClaimKind`]'s name (a CHECK of the column holds it to them), so
//! this module reads and writes the claims' typed kind.

use std::collections::BTreeMap;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::rank::{PhraseStatistics, ranked_beyond, score_beyond};
use super::{Store, StoreError, WriteTransaction};
use crate::claims::values::ClaimKind;

impl ToSql for ClaimKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for ClaimKind {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// A claim tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimTag {
    /// Dimension.
    pub dimension: String,
    /// Tag id.
    pub tag: String,
    /// Inferred from the text (not given by a person).
    pub inferred: bool,
}

/// A record linked to a claim as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimLink {
    /// PMID.
    pub pmid: u64,
    /// supports, refutes, mixed, no-evidence (as stored; typed by [`ClaimLink::stance_value`]).
    pub stance: String,
    /// Why.
    pub note: Option<String>,
    /// Who linked it.
    pub reviewer: Option<String>,
    /// When.
    pub linked_at: String,
    /// The stance is the one evcat suggested from the record's findings (not yet a reviewer's).
    pub suggested: bool,
}

/// A claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// Slug.
    pub id: String,
    /// What the article says.
    pub text: String,
    /// URL or citation of the article that makes the claim.
    pub source: Option<String>,
    /// When added.
    pub created_at: String,
    /// Who added it.
    pub created_by: Option<String>,
    /// Last change.
    pub updated_at: String,
    /// When removed (removed claims are kept).
    pub removed_at: Option<String>,
    /// Who removed it.
    pub removed_by: Option<String>,
    /// The verdict (as stored; typed by [`Claim::verdict_value`]).
    pub verdict: Option<String>,
    /// The reviewer's note on the verdict.
    pub verdict_note: Option<String>,
    /// Who gave the verdict.
    pub verdict_by: Option<String>,
    /// When.
    pub verdict_at: Option<String>,
    /// The reviewer's judgement of the evidence's risk of bias (low, some-concerns, high).
    pub risk_of_bias: Option<String>,
    /// What the claim is about (`None` for a claim recorded without one).
    pub kind: Option<ClaimKind>,
    /// Condition, outcome and intervention tags.
    pub tags: Vec<ClaimTag>,
    /// Linked evidence.
    pub links: Vec<ClaimLink>,
}

/// An audit log entry.
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    /// Sequence number.
    pub id: i64,
    /// Claim.
    pub claim_id: String,
    /// When.
    pub at: String,
    /// Who.
    pub reviewer: Option<String>,
    /// add, edit, link, unlink, review, remove.
    pub action: String,
    /// Before (JSON).
    pub before: Option<serde_json::Value>,
    /// After (JSON).
    pub after: Option<serde_json::Value>,
}

/// Loads a claim (removed ones included) with its tags and links.
pub fn load_claim(store: &Store, id: &str) -> Result<Option<Claim>, StoreError> {
    load(store.conn(), id)
}

/// [`load_claim`] inside a write transaction.
pub fn load_claim_in(tx: &WriteTransaction<'_>, id: &str) -> Result<Option<Claim>, StoreError> {
    load(tx.conn(), id)
}

/// Whether a claim with this id exists (removed ones included), inside a write transaction.
pub fn claim_exists_in(tx: &WriteTransaction<'_>, id: &str) -> Result<bool, StoreError> {
    Ok(tx
        .conn()
        .query_row("SELECT 1 FROM claims WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether the record is in the catalogue, inside a write transaction.
pub fn article_exists_in(tx: &WriteTransaction<'_>, pmid: u64) -> Result<bool, StoreError> {
    Ok(tx
        .conn()
        .query_row(
            "SELECT 1 FROM articles WHERE pmid = ?1",
            [pmid as i64],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn load(conn: &Connection, id: &str) -> Result<Option<Claim>, StoreError> {
    let claim = conn
        .query_row(
            "SELECT id, text, source, created_at, created_by, updated_at, removed_at, removed_by, verdict, verdict_note,
                verdict_by, verdict_at, risk_of_bias, kind FROM claims WHERE id = ?1",
            [id],
            |r| {
                Ok(Claim {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    source: r.get(2)?,
                    created_at: r.get(3)?,
                    created_by: r.get(4)?,
                    updated_at: r.get(5)?,
                    removed_at: r.get(6)?,
                    removed_by: r.get(7)?,
                    verdict: r.get(8)?,
                    verdict_note: r.get(9)?,
                    verdict_by: r.get(10)?,
                    verdict_at: r.get(11)?,
                    risk_of_bias: r.get(12)?,
                    kind: r.get(13)?,
                    tags: Vec::new(),
                    links: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut claim) = claim else {
        return Ok(None);
    };
    claim.tags = conn
        .prepare_cached("SELECT dimension, tag, inferred FROM claim_tags WHERE claim_id = ?1 ORDER BY dimension, tag")?
        .query_map([id], |r| Ok(ClaimTag { dimension: r.get(0)?, tag: r.get(1)?, inferred: r.get(2)? }))?
        .collect::<Result<_, _>>()?;
    claim.links = conn
        .prepare_cached("SELECT pmid, stance, note, reviewer, linked_at, suggested FROM claim_links WHERE claim_id = ?1 ORDER BY linked_at, pmid")?
        .query_map([id], |r| {
            Ok(ClaimLink { pmid: r.get::<_, i64>(0)? as u64, stance: r.get(1)?, note: r.get(2)?, reviewer: r.get(3)?, linked_at: r.get(4)?, suggested: r.get(5)? })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(claim))
}

/// All claims (removed ones only when asked), by id.
pub fn list_claims(store: &Store, include_removed: bool) -> Result<Vec<Claim>, StoreError> {
    let conn = store.conn();
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM claims WHERE ?1 OR removed_at IS NULL ORDER BY id")?
        .query_map([include_removed], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut claims = Vec::with_capacity(ids.len());
    for id in &ids {
        // Claims are never deleted, so every listed id loads.
        claims.extend(load(conn, id)?);
    }
    Ok(claims)
}

/// A new claim's row.
#[derive(Debug, Clone, Copy)]
pub struct ClaimRow<'a> {
    /// Id (checked and unique).
    pub id: &'a str,
    /// Text (trimmed, not empty).
    pub text: &'a str,
    /// Source.
    pub source: Option<&'a str>,
    /// Who adds it.
    pub created_by: Option<&'a str>,
    /// When (also its first `updated_at`).
    pub at: &'a str,
    /// What it is about.
    pub kind: Option<ClaimKind>,
}

/// Inserts a new claim (without tags or links).
pub fn insert_claim(tx: &WriteTransaction<'_>, row: &ClaimRow<'_>) -> Result<(), StoreError> {
    tx.conn().execute(
        "INSERT INTO claims (id, text, source, created_at, created_by, updated_at, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6)",
        params![row.id, row.text, row.source, row.at, row.created_by, row.kind],
    )?;
    Ok(())
}

/// Replaces a claim's tags of one dimension with `tags` (dimension, tag), all flagged
/// `inferred` or not.
pub fn replace_claim_tags(
    tx: &WriteTransaction<'_>,
    id: &str,
    dimension: &str,
    tags: &[&(String, String)],
    inferred: bool,
) -> Result<(), StoreError> {
    let conn = tx.conn();
    conn.execute(
        "DELETE FROM claim_tags WHERE claim_id = ?1 AND dimension = ?2",
        params![id, dimension],
    )?;
    for (d, t) in tags {
        conn.execute(
            "INSERT OR IGNORE INTO claim_tags (claim_id, dimension, tag, inferred) VALUES (?1, ?2, ?3, ?4)",
            params![id, d, t, inferred],
        )?;
    }
    Ok(())
}

/// Sets a claim's text, source and kind.
pub fn update_claim_text(
    tx: &WriteTransaction<'_>,
    id: &str,
    text: &str,
    source: Option<&str>,
    kind: Option<ClaimKind>,
    at: &str,
) -> Result<(), StoreError> {
    tx.conn().execute(
        "UPDATE claims SET text = ?2, source = ?3, kind = ?4, updated_at = ?5 WHERE id = ?1",
        params![id, text, source, kind, at],
    )?;
    Ok(())
}

/// Flags a claim removed.
pub fn mark_claim_removed(
    tx: &WriteTransaction<'_>,
    id: &str,
    reviewer: Option<&str>,
    at: &str,
) -> Result<(), StoreError> {
    tx.conn().execute(
        "UPDATE claims SET removed_at = ?2, removed_by = ?3, updated_at = ?2 WHERE id = ?1",
        params![id, at, reviewer],
    )?;
    Ok(())
}

/// A link's row.
#[derive(Debug, Clone, Copy)]
pub struct LinkRow<'a> {
    /// The claim.
    pub claim: &'a str,
    /// The record.
    pub pmid: u64,
    /// Stance (checked).
    pub stance: &'a str,
    /// Why.
    pub note: Option<&'a str>,
    /// Who.
    pub reviewer: Option<&'a str>,
    /// When.
    pub at: &'a str,
    /// The stance is evcat's suggestion.
    pub suggested: bool,
}

/// Links a record to a claim, replacing an earlier link of the same record, and marks the
/// claim updated.
pub fn upsert_link(tx: &WriteTransaction<'_>, link: &LinkRow<'_>) -> Result<(), StoreError> {
    let conn = tx.conn();
    conn.execute(
        "INSERT INTO claim_links (claim_id, pmid, stance, note, reviewer, linked_at, suggested) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (claim_id, pmid) DO UPDATE SET stance = excluded.stance, note = excluded.note,
           reviewer = excluded.reviewer, linked_at = excluded.linked_at, suggested = excluded.suggested",
        params![link.claim, link.pmid as i64, link.stance, link.note, link.reviewer, link.at, link.suggested],
    )?;
    touch(conn, link.claim, link.at)
}

/// Removes a record from a claim's links and marks the claim updated.
pub fn delete_link(
    tx: &WriteTransaction<'_>,
    id: &str,
    pmid: u64,
    at: &str,
) -> Result<(), StoreError> {
    let conn = tx.conn();
    conn.execute(
        "DELETE FROM claim_links WHERE claim_id = ?1 AND pmid = ?2",
        params![id, pmid as i64],
    )?;
    touch(conn, id, at)
}

fn touch(conn: &Connection, id: &str, at: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE claims SET updated_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}

/// Records a verdict (checked) with its note and reviewer.
pub fn set_verdict(
    tx: &WriteTransaction<'_>,
    id: &str,
    verdict: &str,
    note: &str,
    reviewer: &str,
    at: &str,
    risk_of_bias: Option<&str>,
) -> Result<(), StoreError> {
    // A verdict given without a risk-of-bias judgement keeps the one given before.
    tx.conn().execute(
        "UPDATE claims SET verdict = ?2, verdict_note = ?3, verdict_by = ?4, verdict_at = ?5, updated_at = ?5,
           risk_of_bias = coalesce(?6, risk_of_bias) WHERE id = ?1",
        params![id, verdict, note, reviewer, at, risk_of_bias],
    )?;
    Ok(())
}

/// Appends an entry to the claim log.
pub fn append_log(
    tx: &WriteTransaction<'_>,
    claim: &str,
    at: &str,
    reviewer: Option<&str>,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), StoreError> {
    tx.conn().execute(
        "INSERT INTO claim_log (claim_id, at, reviewer, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![claim, at, reviewer, action, before.map(|v| v.to_string()), after.map(|v| v.to_string())],
    )?;
    Ok(())
}

/// The audit log of a claim, oldest first.
pub fn claim_log(store: &Store, id: &str) -> Result<Vec<LogEntry>, StoreError> {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let rows = store
        .conn()
        .prepare("SELECT id, claim_id, at, reviewer, action, before, after FROM claim_log WHERE claim_id = ?1 ORDER BY id")?
        .query_map([id], |r| {
            Ok(LogEntry {
                id: r.get(0)?,
                claim_id: r.get(1)?,
                at: r.get(2)?,
                reviewer: r.get(3)?,
                action: r.get(4)?,
                before: parse(r.get(5)?),
                after: parse(r.get(6)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Claims (not removed) that cite a record, as (claim id, stance), by claim id.
pub fn claims_citing(store: &Store, pmid: u64) -> Result<Vec<(String, String)>, StoreError> {
    Ok(store
        .conn()
        .prepare("SELECT l.claim_id, l.stance FROM claim_links l JOIN claims c ON c.id = l.claim_id WHERE l.pmid = ?1 AND c.removed_at IS NULL ORDER BY l.claim_id")?
        .query_map(params![pmid as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?)
}

/// Records (not deleted, with data) first seen after `since` that have, for every dimension of
/// `tags` (dimension -> tag ids), at least one of its tags; newest first.
pub fn records_tagged_since(
    store: &Store,
    tags: &BTreeMap<&str, Vec<&str>>,
    since: &str,
) -> Result<Vec<u64>, StoreError> {
    let mut sql = String::from(
        "SELECT a.pmid FROM articles a WHERE a.deleted = 0 AND length(a.raw_xml) > 0 AND a.first_seen > ?1",
    );
    let mut values: Vec<String> = vec![since.to_string()];
    for (dim, tags) in tags {
        values.push(dim.to_string());
        let d = values.len();
        let mut placeholders = Vec::new();
        for t in tags {
            values.push(t.to_string());
            placeholders.push(format!("?{}", values.len()));
        }
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM effective_tags t WHERE t.pmid = a.pmid AND t.dimension = ?{d} AND t.tag IN ({}))",
            placeholders.join(", ")
        ));
    }
    sql.push_str(" ORDER BY a.first_seen DESC, a.pmid DESC");
    let conn = store.conn();
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(values.iter()), |r| {
            r.get::<_, i64>(0).map(|p| p as u64)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Full-text relevance of records to `words` (any of them): (PMID, BM25 score; lower is
/// better), best first, at most `limit`.
///
/// A claim's words are a few rare ones (what it is about: "ozone", "herniated") and common ones
/// ("patients", "study"), and ranking every record holding any of them reads most of the index
/// (at a million records, 700,000 records for a one-line claim). A record holding only common
/// words scores less than their most together ([`score_beyond`]), so when the `limit`-th best
/// record among those holding a rarer word scores more than that, the best `limit` are all
/// among them ([`ranked_among_rarer_words`]); otherwise every record holding any word is ranked.
pub fn records_matching_any(
    store: &Store,
    words: &[String],
    limit: usize,
) -> Result<Vec<(u64, f64)>, StoreError> {
    if let Some(rows) = ranked_among_rarer_words(store, words, limit)? {
        return Ok(rows);
    }
    ranked_matching(store, &any_of(words), None, limit)
}

/// An FTS5 query for records holding any of `words` in the columns a claim's words are
/// looked for in (a claim's words are about the study, not its authors or journal).
fn any_of(words: &[String]) -> String {
    let phrases: Vec<String> = words
        .iter()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    format!(
        "{{title abstract keywords mesh}} : ({})",
        phrases.join(" OR ")
    )
}

/// The best `limit` records selected by the FTS5 query `query`, ranked by BM25 of its first
/// `scored` phrases (all of them when `None`).
fn ranked_matching(
    store: &Store,
    query: &str,
    scored: Option<usize>,
    limit: usize,
) -> Result<Vec<(u64, f64)>, StoreError> {
    const WEIGHTS: &str = "10.0, 2.0, 4.0, 4.0, 0.0, 0.0";
    // (Only the records that can be among the first `limit` are ranked: see `store::rank`.)
    let rank = match scored {
        Some(n) => format!("evcat_bm25_leading(article_fts, {n}, ?2, {WEIGHTS})"),
        None => format!("evcat_bm25(article_fts, ?2, {WEIGHTS})"),
    };
    let mut stmt = store.conn().prepare(&format!(
        "SELECT rowid, {rank} FROM article_fts WHERE article_fts MATCH ?1 ORDER BY 2, 1 LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![query, limit as i64], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// PMIDs (rowids) in which [`ranked_among_rarer_words`] counts each word's records to tell the
/// rarer words from the common ones.
const SAMPLED_PMIDS: i64 = 16_384;

/// [`records_matching_any`]'s best records found among those holding one of the rarer words,
/// ranked by all of them, when they are the best of all (see there); `None` when they may not
/// be (or there is nothing to leave out).
///
/// Which words are rarer is read from a sample of the catalogue (the records of
/// [`SAMPLED_PMIDS`] PMIDs from its middle): the rarest, until their records there are a
/// quarter of all the words' records. The bound is then checked with the words' counts over
/// the whole catalogue, which the ranking reads.
fn ranked_among_rarer_words(
    store: &Store,
    words: &[String],
    limit: usize,
) -> Result<Option<Vec<(u64, f64)>>, StoreError> {
    if words.len() < 2 || limit == 0 {
        return Ok(None);
    }
    let conn = store.conn();
    let counted = |from: i64, to: i64| -> Result<Vec<u64>, StoreError> {
        let mut stmt = conn.prepare_cached(
            "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?1 AND rowid >= ?2 AND rowid < ?3",
        )?;
        words
            .iter()
            .map(|word| {
                let records: i64 = stmt
                    .query_row(params![any_of(std::slice::from_ref(word)), from, to], |r| {
                        r.get(0)
                    })?;
                Ok(records.max(0) as u64)
            })
            .collect()
    };
    // (A sample that holds none of the words, as a small catalogue's may, tells nothing: then
    // the words' records are counted over the whole catalogue, which is then small or they
    // are rare.)
    let mut sampled = match super::rank::middle_pmid(conn)? {
        Some(from) => counted(from, from.saturating_add(SAMPLED_PMIDS))?,
        None => Vec::new(),
    };
    if sampled.iter().all(|&n| n == 0) {
        sampled = counted(i64::MIN, i64::MAX)?;
    }
    let mut rarest_first: Vec<usize> = (0..words.len()).collect();
    rarest_first.sort_by_key(|&i| sampled[i]);
    let all: u64 = sampled.iter().sum();
    let mut rarer = Vec::new();
    let mut held = 0;
    for &i in &rarest_first {
        if !rarer.is_empty() && (held + sampled[i]) * 4 > all {
            break;
        }
        held += sampled[i];
        rarer.push(i);
    }
    if rarer.len() == words.len() {
        return Ok(None);
    }
    let rarer_words: Vec<String> = rarer.iter().map(|&i| words[i].clone()).collect();
    // The phrases of all the words first (ranked), then the rarer words' (selecting).
    let query = format!("{} AND {}", any_of(words), any_of(&rarer_words));
    store.ranked().take_phrases();
    let rows = ranked_matching(store, &query, Some(words.len()), limit)?;
    let phrases = store.ranked().take_phrases();
    if phrases.len() != words.len() || rows.len() < limit {
        return Ok(None);
    }
    let common: Vec<PhraseStatistics> = (0..words.len())
        .filter(|i| !rarer.contains(i))
        .map(|i| phrases[i])
        .collect();
    let filled = ranked_beyond(rows[limit - 1].1, score_beyond(&common));
    Ok(filled.then_some(rows))
}

/// A record's journal names: title, ISO abbreviation, MEDLINE abbreviation (each if known).
pub type JournalNames = [Option<String>; 3];

/// Each distinct set of journal names among the records with a journal title, in the order of
/// the `articles_journals` index.
///
/// Read by skipping through the index from one set of names to the next (a few seeks for each
/// journal), not by reading every record's entry: a catalogue of a million records names a
/// few thousand journals.
pub fn distinct_journal_names(store: &Store) -> Result<Vec<JournalNames>, StoreError> {
    let conn = store.conn();
    // The first entry after a set of names: the same title and ISO abbreviation with a later
    // MEDLINE abbreviation, else the same title with a later ISO abbreviation, else a later
    // title; each a seek in the index. (NULL sorts before every text and `x > NULL` holds for no
    // x: after NULL comes the first text, `>= ''`.)
    let after = |column: &str, value: &Option<String>, n: usize| match value {
        Some(_) => format!("{column} > ?{n}"),
        None => format!("{column} >= ''"),
    };
    let next = |names: &JournalNames| {
        [
            format!(
                "journal_title = ?1 AND journal_iso IS ?2 AND {}",
                after("medline_ta", &names[2], 3)
            ),
            format!(
                "journal_title = ?1 AND {}",
                after("journal_iso", &names[1], 2)
            ),
            "journal_title > ?1".to_string(),
        ]
        .map(|cond| {
            format!(
                "SELECT journal_title, journal_iso, medline_ta FROM articles INDEXED BY articles_journals
                  WHERE {cond} ORDER BY journal_title, journal_iso, medline_ta LIMIT 1"
            )
        })
    };
    let names_of = |r: &rusqlite::Row<'_>| -> rusqlite::Result<JournalNames> {
        Ok([r.get(0)?, r.get(1)?, r.get(2)?])
    };
    let mut found: Vec<JournalNames> = Vec::new();
    let mut current = conn
        .prepare_cached(
            "SELECT journal_title, journal_iso, medline_ta FROM articles INDEXED BY articles_journals
              WHERE journal_title IS NOT NULL
              ORDER BY journal_title, journal_iso, medline_ta LIMIT 1",
        )?
        .query_row([], names_of)
        .optional()?;
    while let Some(names) = current.take() {
        for sql in next(&names) {
            let mut stmt = conn.prepare_cached(&sql)?;
            let count = stmt.parameter_count();
            current = stmt
                .query_row(
                    rusqlite::params_from_iter(names.iter().take(count)),
                    names_of,
                )
                .optional()?;
            if current.is_some() {
                break;
            }
        }
        found.push(names);
    }
    Ok(found)
}

/// The records whose journal names are exactly `names`, by PMID (a record with a journal title
/// always has data: a tombstone of a record never seen has none).
pub fn records_of_journal(store: &Store, names: &JournalNames) -> Result<Vec<u64>, StoreError> {
    let conn = store.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT pmid FROM articles INDEXED BY articles_journals
          WHERE journal_title = ?1 AND journal_iso IS ?2 AND medline_ta IS ?3 ORDER BY pmid",
    )?;
    let rows = stmt
        .query_map(params![names[0], names[1], names[2]], |r| {
            r.get::<_, i64>(0).map(|p| p as u64)
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// At least the highest evidence level of any effective tag in the catalogue: the highest of the
/// rule tags' (overridden or not, from the levels' index) and the hand-added tags' (`None` when
/// no tag has one). A bound on what a record's design can add to its score.
pub fn highest_level(store: &Store) -> Result<Option<i64>, StoreError> {
    Ok(store.conn().prepare_cached(
        "SELECT max(l) FROM (SELECT max(level) AS l FROM tags WHERE level IS NOT NULL
                       UNION ALL SELECT max(level) FROM manual_tags WHERE action = 'add' AND level IS NOT NULL)",
    )?
    .query_row([], |r| r.get(0))?)
}

/// What suggestion scoring reads about one record.
#[derive(Debug, Clone)]
pub struct CandidateFacts {
    /// Title.
    pub title: String,
    /// Publication year.
    pub year: Option<i32>,
    /// Deleted from PubMed.
    pub deleted: bool,
    /// Retracted (publication type or a retraction notice).
    pub retracted: bool,
    /// Effective tags: (dimension, tag, evidence level).
    pub tags: Vec<(String, String, Option<i64>)>,
}

/// [`CandidateFacts`] of a record in the catalogue.
pub fn candidate_facts(store: &Store, pmid: u64) -> Result<CandidateFacts, StoreError> {
    let conn = store.conn();
    let key = pmid as i64;
    let (title, year, deleted) = conn
        .prepare_cached("SELECT title, year, deleted FROM articles WHERE pmid = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let tags = conn
        .prepare_cached("SELECT dimension, tag, level FROM effective_tags WHERE pmid = ?1")?
        .query_map([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let retracted = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM publication_types WHERE pmid = ?1 AND name = 'Retracted Publication')
                 OR EXISTS (SELECT 1 FROM comments_corrections WHERE pmid = ?1 AND ref_type = 'RetractionIn')",
        )?
        .query_row([key], |r| r.get(0))?;
    Ok(CandidateFacts {
        title,
        year,
        deleted,
        retracted,
        tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_among_records_holding_a_rarer_word_are_the_best_of_all_or_not_used() {
        let (_dir, store) = crate::store::import::tagged_catalogue_of(&[
            include_str!("../../fixtures/ozone-back-pain.xml"),
            include_str!("../../fixtures/find-ranking.xml"),
            include_str!("../../fixtures/tagging-false-positives.xml"),
            include_str!("../../fixtures/full-elements.xml"),
            include_str!("../../fixtures/versions.xml"),
        ]);
        let mut outcomes = Vec::new();
        for words in [
            &[
                "ozone",
                "therapy",
                "reduced",
                "pain",
                "patients",
                "herniated",
                "discs",
            ][..],
            &["oxygen", "ozone", "injection", "pain", "back"],
            &["sciatica", "pain", "patients"],
            &["ozone", "pain"],
            &["trial", "randomized", "patients", "lumbar"],
        ] {
            let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            for limit in 1..=12 {
                let all = ranked_matching(&store, &any_of(&words), None, limit).unwrap();
                assert!(!all.is_empty(), "{words:?}");
                let among_rarer = ranked_among_rarer_words(&store, &words, limit).unwrap();
                if let Some(rows) = &among_rarer {
                    assert_eq!(rows, &all, "{words:?}, {limit}");
                }
                assert_eq!(
                    records_matching_any(&store, &words, limit).unwrap(),
                    all,
                    "{words:?}, {limit}"
                );
                outcomes.push((words.len(), limit, among_rarer.is_some()));
            }
        }
        // Both ways are taken: the bound holds for some searches and not for others.
        assert!(outcomes.iter().filter(|o| o.2).count() >= 5, "{outcomes:?}");
        assert!(
            outcomes.iter().filter(|o| !o.2).count() >= 5,
            "{outcomes:?}"
        );
    }

    #[test]
    fn distinct_journal_names_skip_through_the_index_to_every_set_of_names() {
        let journals = [
            (
                "Pain Physician",
                Some("Pain Physician"),
                Some("Pain Physician"),
            ),
            (
                "Pain Physician",
                Some("Pain Physician"),
                Some("Pain Physician"),
            ),
            ("Pain Physician", None, Some("Pain Physician")),
            ("Pain Physician", Some("Pain Physician"), None),
            ("Pain Physician", None, None),
            ("Pain Physician", Some("Pain Phys"), Some("Pain Physician")),
            ("Spine", Some("Spine (Phila Pa 1976)"), Some("Spine")),
            (
                "Spine",
                Some("Spine (Phila Pa 1976)"),
                Some("Spine (Phila Pa 1976)"),
            ),
            ("Spine", Some("Spine (Phila Pa 1976)"), Some("Spine")),
            ("A journal", None, None),
            ("A journal", None, None),
            ("Zeitschrift", Some("Z"), None),
        ];
        let mut xml = String::from("<PubmedArticleSet>");
        for (i, (title, iso, ta)) in journals.iter().enumerate() {
            let iso = iso.map_or(String::new(), |v| {
                format!("<ISOAbbreviation>{v}</ISOAbbreviation>")
            });
            let ta = ta.map_or(String::new(), |v| {
                format!("<MedlineJournalInfo><MedlineTA>{v}</MedlineTA></MedlineJournalInfo>")
            });
            xml.push_str(&format!(
                "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">{}</PMID>\
                 <Article PubModel=\"Print\"><Journal><JournalIssue CitedMedium=\"Print\"><PubDate><Year>2020</Year></PubDate></JournalIssue>\
                 <Title>{title}</Title>{iso}</Journal><ArticleTitle>T.</ArticleTitle><Language>eng</Language></Article>{ta}\
                 </MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus></PubmedData></PubmedArticle>",
                100 + i
            ));
        }
        xml.push_str("</PubmedArticleSet>");
        let mut store = Store::open_in_memory().unwrap();
        crate::store::import::import_stream(&mut store, xml.as_bytes(), "test", None, &mut |_| {})
            .unwrap();
        let every: Vec<JournalNames> = store
            .conn()
            .prepare(
                "SELECT DISTINCT journal_title, journal_iso, medline_ta FROM articles
                  WHERE journal_title IS NOT NULL ORDER BY 1, 2, 3",
            )
            .unwrap()
            .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?]))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(every.len(), 9, "{every:?}");
        assert_eq!(distinct_journal_names(&store).unwrap(), every);
    }

    #[test]
    fn claim_log_refuses_updates_and_deletes() {
        let mut store = Store::open_in_memory().unwrap();
        let tx = store.write_transaction().unwrap();
        let row = ClaimRow {
            id: "one",
            text: "Ozone reduces pain",
            source: None,
            created_by: Some("me"),
            at: "2024-01-01T00:00:00Z",
            kind: None,
        };
        insert_claim(&tx, &row).unwrap();
        append_log(&tx, "one", row.at, Some("me"), "add", None, None).unwrap();
        tx.commit().unwrap();
        let conn = store.conn();
        assert!(
            conn.execute("UPDATE claim_log SET action = 'x'", [])
                .is_err()
        );
        assert!(conn.execute("DELETE FROM claim_log", []).is_err());
        let log = claim_log(&store, "one").unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].action, "add");
    }

    #[test]
    fn a_claims_kind_is_written_read_back_and_changed() {
        let mut store = Store::open_in_memory().unwrap();
        let tx = store.write_transaction().unwrap();
        for (id, kind) in [("with", Some(ClaimKind::Protocol)), ("without", None)] {
            let row = ClaimRow {
                id,
                text: "Ozone is given in three sessions",
                source: None,
                created_by: None,
                at: "2024-01-01T00:00:00Z",
                kind,
            };
            insert_claim(&tx, &row).unwrap();
        }
        tx.commit().unwrap();
        let kind = |store: &Store, id: &str| load_claim(store, id).unwrap().unwrap().kind;
        assert_eq!(kind(&store, "with"), Some(ClaimKind::Protocol));
        assert_eq!(kind(&store, "without"), None);
        let tx = store.write_transaction().unwrap();
        let at = "2024-01-02T00:00:00Z";
        update_claim_text(
            &tx,
            "without",
            "Ozone is safe",
            None,
            Some(ClaimKind::Safety),
            at,
        )
        .unwrap();
        tx.commit().unwrap();
        assert_eq!(kind(&store, "without"), Some(ClaimKind::Safety));
        // The column refuses any other value, so every stored kind reads back.
        assert!(
            store
                .conn()
                .execute("UPDATE claims SET kind = 'dose' WHERE id = 'with'", [])
                .is_err()
        );
    }
}
