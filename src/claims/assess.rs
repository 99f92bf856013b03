//! What a reviewer must be told about a claim, computed from the catalogue: its evidence
//! summarised by stance and design, warnings about that evidence (retractions, expressions of
//! concern, errata, deletions, revisions after the verdict), and staleness (records matching the
//! claim's tags that arrived after its last review).

use std::collections::BTreeMap;

use rusqlite::{Connection, params};
use serde::Serialize;

use super::record::Claim;
use super::values::Stance;
use crate::store::StoreError;
use crate::store::articles::load_article;
use crate::view::short_citation;

/// One linked record, with what the catalogue knows about it.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceItem {
    /// PMID.
    pub pmid: u64,
    /// Stance.
    pub stance: String,
    /// Link note.
    pub note: Option<String>,
    /// Citation.
    pub citation: String,
    /// Design tag.
    pub design: Option<String>,
    /// Its evidence level.
    pub level: Option<i64>,
    /// Publication year.
    pub year: Option<i32>,
    /// Warnings about this record.
    pub warnings: Vec<String>,
}

/// The strongest design on one side.
#[derive(Debug, Clone, Serialize)]
pub struct Strongest {
    /// Design tag.
    pub design: String,
    /// Level.
    pub level: i64,
    /// The record.
    pub pmid: u64,
}

/// New records matching the claim since its last review.
#[derive(Debug, Clone, Serialize)]
pub struct Staleness {
    /// How many.
    pub new_records: u64,
    /// The verdict date they are newer than.
    pub since: String,
    /// Some of them (newest first, at most 20).
    pub pmids: Vec<u64>,
}

/// The assessment of a claim.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// "unreviewed" or the verdict.
    pub status: String,
    /// Linked evidence.
    pub evidence: Vec<EvidenceItem>,
    /// Links per stance.
    pub by_stance: BTreeMap<String, u64>,
    /// Links per design.
    pub by_design: BTreeMap<String, u64>,
    /// Strongest design among supporting evidence.
    pub strongest_supporting: Option<Strongest>,
    /// Strongest design among refuting evidence.
    pub strongest_refuting: Option<Strongest>,
    /// Every warning, one line each.
    pub warnings: Vec<String>,
    /// Staleness, for a reviewed claim with new matching records.
    pub stale: Option<Staleness>,
}

fn design_of(conn: &Connection, pmid: u64) -> Result<(Option<String>, Option<i64>), StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT tag, level FROM effective_tags WHERE pmid = ?1 AND dimension = 'design' ORDER BY coalesce(level, -1) DESC LIMIT 1",
    )?;
    let mut rows = stmt.query([pmid as i64])?;
    Ok(match rows.next()? {
        Some(r) => (Some(r.get(0)?), r.get(1)?),
        None => (None, None),
    })
}

/// Warnings about one record: retraction, expression of concern, erratum, deletion, revision
/// after `verdict_at`.
pub fn record_warnings(
    conn: &Connection,
    pmid: u64,
    verdict_at: Option<&str>,
) -> Result<Vec<String>, StoreError> {
    let mut warnings = Vec::new();
    let Some(stored) = load_article(conn, pmid)? else {
        warnings.push(format!("PMID {pmid} is not in the catalogue"));
        return Ok(warnings);
    };
    let a = &stored.article;
    let retracted_pt = a
        .publication_types
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case("Retracted Publication"));
    let retraction = a
        .comments_corrections
        .iter()
        .find(|c| c.ref_type == "RetractionIn");
    if retracted_pt || retraction.is_some() {
        let by = retraction
            .map(|c| {
                format!(
                    " (retraction: {}{})",
                    c.ref_source.as_deref().unwrap_or("?"),
                    c.pmid.map(|p| format!(", PMID {p}")).unwrap_or_default()
                )
            })
            .unwrap_or_default();
        warnings.push(format!("PMID {pmid} is RETRACTED{by}"));
    }
    for c in a
        .comments_corrections
        .iter()
        .filter(|c| c.ref_type == "ExpressionOfConcernIn")
    {
        warnings.push(format!(
            "PMID {pmid} has an EXPRESSION OF CONCERN ({})",
            c.ref_source.as_deref().unwrap_or("?")
        ));
    }
    for c in a
        .comments_corrections
        .iter()
        .filter(|c| c.ref_type == "ErratumIn")
    {
        warnings.push(format!(
            "PMID {pmid} has an erratum ({})",
            c.ref_source.as_deref().unwrap_or("?")
        ));
    }
    if stored.deleted {
        warnings.push(format!(
            "PMID {pmid} was DELETED from PubMed ({})",
            stored.deleted_at.as_deref().unwrap_or("?")
        ));
    }
    if let Some(v) = verdict_at
        && stored.has_data
        && stored.last_changed.as_str() > v
        && stored.revisions > 0
    {
        warnings.push(format!(
            "PMID {pmid} was revised on {} after the verdict of {}",
            &stored.last_changed[..10.min(stored.last_changed.len())],
            &v[..10.min(v.len())]
        ));
    }
    Ok(warnings)
}

/// Records (not deleted) that match the claim's tags, first seen after `since`. A record
/// matches when, for every dimension the claim is tagged in, it has at least one of the
/// claim's tags of that dimension.
pub fn new_matching_records(
    conn: &Connection,
    claim: &Claim,
    since: &str,
) -> Result<Vec<u64>, StoreError> {
    let mut by_dim: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in &claim.tags {
        by_dim
            .entry(t.dimension.as_str())
            .or_default()
            .push(t.tag.as_str());
    }
    if by_dim.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = String::from(
        "SELECT a.pmid FROM articles a WHERE a.deleted = 0 AND length(a.raw_xml) > 0 AND a.first_seen > ?1",
    );
    let mut values: Vec<String> = vec![since.to_string()];
    for (dim, tags) in &by_dim {
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
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(values.iter()), |r| {
            r.get::<_, i64>(0).map(|p| p as u64)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Which claims `claim list` shows.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    /// Include removed claims.
    pub removed: bool,
    /// Only claims with this verdict ("unreviewed" for none).
    pub status: Option<String>,
    /// Only claims carrying every one of these (dimension, tag) pairs.
    pub tags: Vec<(String, String)>,
    /// Only claims whose evidence changed since their verdict.
    pub stale: bool,
}

/// The claims `filter` selects, each with its assessment, in the catalogue's order.
pub fn list_assessed(
    conn: &Connection,
    filter: &ClaimFilter,
) -> Result<Vec<(Claim, Assessment)>, super::record::ClaimError> {
    let mut rows = Vec::new();
    for claim in super::record::list(conn, filter.removed)? {
        let status = claim.verdict.as_deref().unwrap_or("unreviewed");
        if filter.status.as_deref().is_some_and(|s| s != status) {
            continue;
        }
        if !filter
            .tags
            .iter()
            .all(|(d, t)| claim.tags.iter().any(|c| &c.dimension == d && &c.tag == t))
        {
            continue;
        }
        let assessment = assess(conn, &claim)?;
        if filter.stale && assessment.stale.is_none() {
            continue;
        }
        rows.push((claim, assessment));
    }
    Ok(rows)
}

/// Assesses a claim.
pub fn assess(conn: &Connection, claim: &Claim) -> Result<Assessment, StoreError> {
    let verdict_at = claim.verdict_at.as_deref();
    let mut a = Assessment {
        status: claim.verdict.clone().unwrap_or_else(|| "unreviewed".into()),
        evidence: Vec::new(),
        by_stance: BTreeMap::new(),
        by_design: BTreeMap::new(),
        strongest_supporting: None,
        strongest_refuting: None,
        warnings: Vec::new(),
        stale: None,
    };
    for link in &claim.links {
        let (design, level) = design_of(conn, link.pmid)?;
        let stored = load_article(conn, link.pmid)?;
        let citation = stored
            .as_ref()
            .map(|s| short_citation(&s.article))
            .unwrap_or_else(|| format!("PMID {}", link.pmid));
        let year = stored.as_ref().and_then(|s| s.article.year());
        let warnings = record_warnings(conn, link.pmid, verdict_at)?;
        *a.by_stance.entry(link.stance.clone()).or_default() += 1;
        *a.by_design
            .entry(design.clone().unwrap_or_else(|| "unknown".into()))
            .or_default() += 1;
        let side = match link.stance_value() {
            Some(Stance::Supports) => Some(&mut a.strongest_supporting),
            Some(Stance::Refutes) => Some(&mut a.strongest_refuting),
            _ => None,
        };
        if let (Some(slot), Some(d), Some(l)) = (side, &design, level)
            && slot.as_ref().is_none_or(|s| l > s.level)
        {
            *slot = Some(Strongest {
                design: d.clone(),
                level: l,
                pmid: link.pmid,
            });
        }
        a.warnings.extend(
            warnings
                .iter()
                .map(|w| format!("{} evidence: {w}", link.stance)),
        );
        a.evidence.push(EvidenceItem {
            pmid: link.pmid,
            stance: link.stance.clone(),
            note: link.note.clone(),
            citation,
            design,
            level,
            year,
            warnings,
        });
    }
    if let Some(since) = verdict_at {
        let new = new_matching_records(conn, claim, since)?;
        if !new.is_empty() {
            a.stale = Some(Staleness {
                new_records: new.len() as u64,
                since: since[..10.min(since.len())].to_string(),
                pmids: new.into_iter().take(20).collect(),
            });
        }
    }
    Ok(a)
}

/// Claims that cite a record (for warnings shown with the record).
pub fn claims_citing(conn: &Connection, pmid: u64) -> Result<Vec<(String, String)>, StoreError> {
    Ok(conn
        .prepare("SELECT l.claim_id, l.stance FROM claim_links l JOIN claims c ON c.id = l.claim_id WHERE l.pmid = ?1 AND c.removed_at IS NULL ORDER BY l.claim_id")?
        .query_map(params![pmid as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?)
}
