//! The facts of each study in the store (`facts`, migration 0006): derived data written with a
//! record's rule tags and replaced with them ([`super::tags::write_rule_tags`]), read back for
//! `show`, exports, reports, `summary --weight participants` and claim suggestions.

use rusqlite::{Connection, params};

use super::{Store, StoreError};
use crate::abstracts::{Fact, FactKind, FactSource};

/// At most one fact per kind: the first one read of each kind, in [`FactKind::ALL`] order.
pub fn one_per_kind(facts: Vec<Fact>) -> Vec<Fact> {
    let mut out: Vec<Fact> = Vec::new();
    for fact in facts {
        if !out.iter().any(|f| f.kind == fact.kind) {
            out.push(fact);
        }
    }
    out.sort_by_key(|f| f.kind);
    out
}

/// Replaces a record's facts (`fresh`: the record had none, skip the delete).
pub(super) fn write_facts(
    tx: &Connection,
    pmid: u64,
    facts: &[Fact],
    fresh: bool,
) -> Result<(), StoreError> {
    let key = pmid as i64;
    if !fresh {
        tx.prepare_cached("DELETE FROM facts WHERE pmid = ?1")?
            .execute([key])?;
    }
    if facts.is_empty() {
        return Ok(());
    }
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO facts (pmid, kind, value, min, max, unit, follow_up_days, text, source, start, end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for f in facts {
        stmt.execute(params![
            key,
            f.kind.as_str(),
            f.value,
            f.min,
            f.max,
            f.unit,
            f.follow_up_days(),
            f.text,
            f.source.as_str(),
            f.start as i64,
            f.end as i64,
        ])?;
    }
    Ok(())
}

fn fact_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Fact>> {
    let kind: String = r.get(0)?;
    let source: String = r.get(6)?;
    let (Some(kind), Some(source)) = (FactKind::parse(&kind), FactSource::parse(&source)) else {
        // A kind or source a newer evcat wrote: left out rather than misread.
        return Ok(None);
    };
    Ok(Some(Fact {
        kind,
        value: r.get(1)?,
        min: r.get(2)?,
        max: r.get(3)?,
        unit: r.get(4)?,
        text: r.get(5)?,
        source,
        start: r.get::<_, i64>(7)?.max(0) as usize,
        end: r.get::<_, i64>(8)?.max(0) as usize,
    }))
}

const FACT_COLUMNS: &str = "kind, value, min, max, unit, text, source, start, end";

/// The facts of a record, in [`FactKind::ALL`] order.
pub fn record_facts(store: &Store, pmid: u64) -> Result<Vec<Fact>, StoreError> {
    let mut facts: Vec<Fact> = store
        .conn()
        .prepare_cached(&format!("SELECT {FACT_COLUMNS} FROM facts WHERE pmid = ?1"))?
        .query_map([pmid as i64], fact_of)?
        .filter_map(Result::transpose)
        .collect::<Result<_, _>>()?;
    facts.sort_by_key(|f| f.kind);
    Ok(facts)
}

/// Reads the facts of every stored record with data again (the 0006 migration's hook; re-tagging
/// replaces them record by record). Returns the number of records read.
pub(super) fn read_all_facts(conn: &Connection) -> Result<usize, StoreError> {
    let pmids: Vec<i64> = conn
        .prepare("SELECT pmid FROM articles WHERE length(raw_xml) > 0 ORDER BY pmid")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for &pmid in &pmids {
        if let Some(input) = super::tags::load_tag_input(conn, pmid as u64)? {
            let input = input.as_input();
            let facts = one_per_kind(crate::abstracts::read_facts(
                input.title,
                &input.abstract_text,
            ));
            write_facts(conn, pmid as u64, &facts, false)?;
        }
    }
    Ok(pmids.len())
}

/// Participants of each record that has a participant count, for weighting a matrix.
pub fn participants_of(
    store: &Store,
    pmids: &[u64],
) -> Result<std::collections::HashMap<u64, f64>, StoreError> {
    let only = serde_json::to_string(pmids).unwrap_or_else(|_| "[]".into());
    let mut out = std::collections::HashMap::new();
    let mut stmt = store.conn().prepare_cached(
        "SELECT pmid, coalesce(value, max) FROM facts
          WHERE kind = 'participants' AND coalesce(value, max) IS NOT NULL
            AND pmid IN (SELECT value FROM json_each(?1))",
    )?;
    for row in stmt.query_map([only], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?)))? {
        let (pmid, n) = row?;
        out.insert(pmid as u64, n);
    }
    Ok(out)
}
