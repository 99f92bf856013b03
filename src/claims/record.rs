//! Claims, their tags and evidence links, verdicts, and the append-only audit log.
//!
//! Every change (add, edit, link, unlink, review, remove) runs in one transaction together with
//! its log entry, which records the time, the reviewer, and the claim (or link) before and after
//! as JSON. The log cannot be rewritten: SQLite triggers refuse updates and deletes. Times come
//! from the store's [`Clock`] (the system clock unless a test set a fake one).

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::json;

use super::values::{Stance, Verdict};
use crate::store::{Clock, Store, StoreError};
use crate::tagging::{Matcher, TagInput};

/// Dimensions a claim is tagged with.
pub const CLAIM_DIMENSIONS: [&str; 3] = ["condition", "outcome", "intervention"];

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
    /// Condition, outcome and intervention tags.
    pub tags: Vec<ClaimTag>,
    /// Linked evidence.
    pub links: Vec<ClaimLink>,
}

impl Claim {
    /// The verdict, typed (`None` when unreviewed, or if the catalogue holds a value this
    /// version does not know).
    pub fn verdict_value(&self) -> Option<Verdict> {
        self.verdict.as_deref().and_then(|v| v.parse().ok())
    }
}

impl ClaimLink {
    /// The stance, typed (`None` if the catalogue holds a value this version does not know).
    pub fn stance_value(&self) -> Option<Stance> {
        self.stance.parse().ok()
    }
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

/// What went wrong with a claim operation. Nothing is changed when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// No such claim.
    #[error("no claim with id {0:?} (see `evcat claim list`)")]
    NotFound(String),
    /// The id is taken.
    #[error("a claim with id {0:?} already exists (choose another --id)")]
    Duplicate(String),
    /// Bad id.
    #[error("invalid claim id {0:?}: use lowercase letters, digits and '-' (1 to 80 characters)")]
    InvalidId(String),
    /// Empty text.
    #[error("the claim text is empty")]
    EmptyText,
    /// Bad stance.
    #[error("invalid stance {0:?}: use one of supports, refutes, mixed, no-evidence")]
    InvalidStance(String),
    /// Bad verdict.
    #[error(
        "invalid verdict {0:?}: use one of supported, partly-supported, unsupported, contradicted, insufficient-evidence"
    )]
    InvalidVerdict(String),
    /// The PMID is not in the catalogue.
    #[error("PMID {0} is not in the catalogue (import or fetch it first: evcat fetch --pmid {0})")]
    UnknownPmid(u64),
    /// Unknown tag.
    #[error("unknown {dimension} tag {tag:?}; known: {known}")]
    UnknownTag {
        /// Dimension.
        dimension: String,
        /// Tag.
        tag: String,
        /// Known tags.
        known: String,
    },
    /// Not linked.
    #[error("PMID {pmid} is not linked to claim {claim:?}")]
    NotLinked {
        /// Claim.
        claim: String,
        /// PMID.
        pmid: u64,
    },
    /// The claim was removed.
    #[error("claim {0:?} was removed; it is kept for the record but cannot be changed")]
    Removed(String),
    /// A verdict needs a reviewer.
    #[error(
        "a verdict needs a reviewer: pass --reviewer NAME, or set EVCAT_REVIEWER or `reviewer` in the config file"
    )]
    NoReviewer,
    /// A verdict needs a note.
    #[error("a verdict needs a note saying why (--note TEXT)")]
    NoNote,
    /// Database failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ClaimError {
    fn from(e: rusqlite::Error) -> Self {
        ClaimError::Store(e.into())
    }
}

type Result<T> = std::result::Result<T, ClaimError>;

/// A slug from a claim's text: its first words, lowercase, joined by '-'.
pub fn slugify(text: &str) -> String {
    let normalized = crate::tagging::normalize::normalize_phrase(text);
    let mut slug = String::new();
    for word in normalized.split(' ').filter(|w| !w.is_empty()) {
        let word: String = word.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if word.is_empty() {
            continue;
        }
        if slug.len() + word.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    if slug.is_empty() {
        "claim".into()
    } else {
        slug
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Checks tags against the taxonomy.
pub fn check_tags(matcher: &Matcher, tags: &[(String, String)]) -> Result<()> {
    for (d, t) in tags {
        if matcher.taxonomy().tag(d, t).is_none() {
            let known: Vec<&str> = matcher
                .taxonomy()
                .tags_of(d)
                .map(|x| x.id.as_str())
                .collect();
            return Err(ClaimError::UnknownTag {
                dimension: d.clone(),
                tag: t.clone(),
                known: known.join(", "),
            });
        }
    }
    Ok(())
}

/// Tags inferred from a claim's text, for the given dimensions.
pub fn infer_tags(matcher: &Matcher, text: &str, dimensions: &[&str]) -> Vec<(String, String)> {
    let input = TagInput {
        title: text,
        ..TagInput::default()
    };
    matcher
        .tag(&input)
        .into_iter()
        .filter(|t| dimensions.contains(&t.dimension.as_str()))
        .map(|t| (t.dimension, t.tag))
        .collect()
}

fn log(
    tx: &Transaction<'_>,
    clock: &Clock,
    claim: &str,
    reviewer: Option<&str>,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO claim_log (claim_id, at, reviewer, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![claim, clock.now_rfc3339(), reviewer, action, before.map(|v| v.to_string()), after.map(|v| v.to_string())],
    )?;
    Ok(())
}

/// A new claim.
#[derive(Debug, Clone, Default)]
pub struct NewClaim {
    /// Id; generated from the text when `None`.
    pub id: Option<String>,
    /// Text.
    pub text: String,
    /// Source.
    pub source: Option<String>,
    /// Tags given by the user; dimensions without any are inferred.
    pub tags: Vec<(String, String)>,
}

/// Adds a claim; returns it.
pub fn add_claim(
    store: &mut Store,
    matcher: &Matcher,
    new: &NewClaim,
    reviewer: Option<&str>,
) -> Result<Claim> {
    let text = new.text.trim();
    if text.is_empty() {
        return Err(ClaimError::EmptyText);
    }
    check_tags(matcher, &new.tags)?;
    let clock = store.clock().clone();
    let tx = store.write_transaction()?;
    let id = match &new.id {
        Some(id) => {
            if !valid_id(id) {
                return Err(ClaimError::InvalidId(id.clone()));
            }
            if exists(&tx, id)? {
                return Err(ClaimError::Duplicate(id.clone()));
            }
            id.clone()
        }
        None => {
            let base = slugify(text);
            let mut candidate = base.clone();
            let mut n = 2;
            while exists(&tx, &candidate)? {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            candidate
        }
    };
    let now = clock.now_rfc3339();
    tx.execute(
        "INSERT INTO claims (id, text, source, created_at, created_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
        params![id, text, new.source, now, reviewer],
    )?;
    write_tags(&tx, matcher, &id, text, &new.tags, &CLAIM_DIMENSIONS)?;
    let claim = load(&tx, &id)?.ok_or_else(|| ClaimError::NotFound(id.clone()))?;
    log(&tx, &clock, &id, reviewer, "add", None, Some(json!(claim)))?;
    tx.commit()?;
    Ok(claim)
}

/// Replaces the tags of `dimensions`: the given ones, or inferred from `text` where none given.
fn write_tags(
    tx: &Transaction<'_>,
    matcher: &Matcher,
    id: &str,
    text: &str,
    given: &[(String, String)],
    dimensions: &[&str],
) -> Result<()> {
    let inferred = infer_tags(matcher, text, dimensions);
    for dim in dimensions {
        tx.execute(
            "DELETE FROM claim_tags WHERE claim_id = ?1 AND dimension = ?2",
            params![id, dim],
        )?;
        let explicit: Vec<&(String, String)> = given.iter().filter(|(d, _)| d == dim).collect();
        let (tags, is_inferred): (Vec<&(String, String)>, bool) = if explicit.is_empty() {
            (inferred.iter().filter(|(d, _)| d == dim).collect(), true)
        } else {
            (explicit, false)
        };
        for (d, t) in tags {
            tx.execute(
                "INSERT OR IGNORE INTO claim_tags (claim_id, dimension, tag, inferred) VALUES (?1, ?2, ?3, ?4)",
                params![id, d, t, is_inferred],
            )?;
        }
    }
    Ok(())
}

fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM claims WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Loads a claim (removed ones included).
pub fn load(conn: &Connection, id: &str) -> Result<Option<Claim>> {
    let claim = conn
        .query_row(
            "SELECT id, text, source, created_at, created_by, updated_at, removed_at, removed_by, verdict, verdict_note,
                verdict_by, verdict_at FROM claims WHERE id = ?1",
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
        .collect::<std::result::Result<_, _>>()?;
    claim.links = conn
        .prepare_cached("SELECT pmid, stance, note, reviewer, linked_at FROM claim_links WHERE claim_id = ?1 ORDER BY linked_at, pmid")?
        .query_map([id], |r| {
            Ok(ClaimLink { pmid: r.get::<_, i64>(0)? as u64, stance: r.get(1)?, note: r.get(2)?, reviewer: r.get(3)?, linked_at: r.get(4)? })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(Some(claim))
}

/// Loads a claim that exists, or fails.
pub fn require(conn: &Connection, id: &str) -> Result<Claim> {
    load(conn, id)?.ok_or_else(|| ClaimError::NotFound(id.to_string()))
}

fn require_live(conn: &Connection, id: &str) -> Result<Claim> {
    let claim = require(conn, id)?;
    if claim.removed_at.is_some() {
        return Err(ClaimError::Removed(id.to_string()));
    }
    Ok(claim)
}

/// All claims (removed ones only when asked), by id.
pub fn list(conn: &Connection, include_removed: bool) -> Result<Vec<Claim>> {
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM claims WHERE ?1 OR removed_at IS NULL ORDER BY id")?
        .query_map([include_removed], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    ids.iter().map(|id| require(conn, id)).collect()
}

/// Changes to a claim.
#[derive(Debug, Clone, Default)]
pub struct ClaimEdit {
    /// New text.
    pub text: Option<String>,
    /// New source (`Some(None)` clears it).
    pub source: Option<Option<String>>,
    /// New tags: every dimension named here is replaced.
    pub tags: Vec<(String, String)>,
    /// Dimensions to re-infer from the (new) text.
    pub reinfer: Vec<String>,
}

/// Edits a claim.
pub fn edit_claim(
    store: &mut Store,
    matcher: &Matcher,
    id: &str,
    edit: &ClaimEdit,
    reviewer: Option<&str>,
) -> Result<Claim> {
    if let Some(t) = &edit.text
        && t.trim().is_empty()
    {
        return Err(ClaimError::EmptyText);
    }
    check_tags(matcher, &edit.tags)?;
    let clock = store.clock().clone();
    let tx = store.write_transaction()?;
    let before = require_live(&tx, id)?;
    let text = edit
        .text
        .as_deref()
        .map(str::trim)
        .unwrap_or(&before.text)
        .to_string();
    let source = match &edit.source {
        Some(s) => s.clone(),
        None => before.source.clone(),
    };
    tx.execute(
        "UPDATE claims SET text = ?2, source = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, text, source, clock.now_rfc3339()],
    )?;
    let mut dims: Vec<&str> = edit.tags.iter().map(|(d, _)| d.as_str()).collect();
    dims.extend(edit.reinfer.iter().map(String::as_str));
    dims.sort_unstable();
    dims.dedup();
    if !dims.is_empty() {
        write_tags(&tx, matcher, id, &text, &edit.tags, &dims)?;
    }
    let after = require(&tx, id)?;
    log(
        &tx,
        &clock,
        id,
        reviewer,
        "edit",
        Some(json!(before)),
        Some(json!(after)),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Removes a claim: it is flagged removed, kept with its links, and the removal is logged.
pub fn remove_claim(store: &mut Store, id: &str, reviewer: Option<&str>) -> Result<()> {
    let clock = store.clock().clone();
    let tx = store.write_transaction()?;
    let before = require_live(&tx, id)?;
    let now = clock.now_rfc3339();
    tx.execute(
        "UPDATE claims SET removed_at = ?2, removed_by = ?3, updated_at = ?2 WHERE id = ?1",
        params![id, now, reviewer],
    )?;
    let after = require(&tx, id)?;
    log(
        &tx,
        &clock,
        id,
        reviewer,
        "remove",
        Some(json!(before)),
        Some(json!(after)),
    )?;
    tx.commit()?;
    Ok(())
}

/// Links a record to a claim with a stance (one of [`Stance`]'s strings; replacing an earlier
/// link of the same record).
pub fn link(
    store: &mut Store,
    id: &str,
    pmid: u64,
    stance: &str,
    note: Option<&str>,
    reviewer: Option<&str>,
) -> Result<ClaimLink> {
    let stance: Stance = stance
        .parse()
        .map_err(|_| ClaimError::InvalidStance(stance.to_string()))?;
    let clock = store.clock().clone();
    let tx = store.write_transaction()?;
    let claim = require_live(&tx, id)?;
    let known: bool = tx
        .query_row(
            "SELECT 1 FROM articles WHERE pmid = ?1",
            [pmid as i64],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !known {
        return Err(ClaimError::UnknownPmid(pmid));
    }
    let before = claim.links.iter().find(|l| l.pmid == pmid).cloned();
    let now = clock.now_rfc3339();
    tx.execute(
        "INSERT INTO claim_links (claim_id, pmid, stance, note, reviewer, linked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (claim_id, pmid) DO UPDATE SET stance = excluded.stance, note = excluded.note,
           reviewer = excluded.reviewer, linked_at = excluded.linked_at",
        params![id, pmid as i64, stance.as_str(), note, reviewer, now],
    )?;
    tx.execute(
        "UPDATE claims SET updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    let after = require(&tx, id)?
        .links
        .into_iter()
        .find(|l| l.pmid == pmid)
        .expect("just linked");
    log(
        &tx,
        &clock,
        id,
        reviewer,
        "link",
        before.map(|b| json!(b)),
        Some(json!(after)),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Unlinks a record from a claim.
pub fn unlink(store: &mut Store, id: &str, pmid: u64, reviewer: Option<&str>) -> Result<()> {
    let clock = store.clock().clone();
    let tx = store.write_transaction()?;
    let claim = require_live(&tx, id)?;
    let Some(before) = claim.links.iter().find(|l| l.pmid == pmid).cloned() else {
        return Err(ClaimError::NotLinked {
            claim: id.to_string(),
            pmid,
        });
    };
    tx.execute(
        "DELETE FROM claim_links WHERE claim_id = ?1 AND pmid = ?2",
        params![id, pmid as i64],
    )?;
    tx.execute(
        "UPDATE claims SET updated_at = ?2 WHERE id = ?1",
        params![id, clock.now_rfc3339()],
    )?;
    log(
        &tx,
        &clock,
        id,
        reviewer,
        "unlink",
        Some(json!(before)),
        None,
    )?;
    tx.commit()?;
    Ok(())
}

/// Records a verdict (one of [`Verdict`]'s strings).
pub fn review(
    store: &mut Store,
    id: &str,
    verdict: &str,
    note: &str,
    reviewer: Option<&str>,
) -> Result<Claim> {
    let verdict: Verdict = verdict
        .parse()
        .map_err(|_| ClaimError::InvalidVerdict(verdict.to_string()))?;
    if note.trim().is_empty() {
        return Err(ClaimError::NoNote);
    }
    let Some(reviewer) = reviewer.filter(|r| !r.trim().is_empty()) else {
        return Err(ClaimError::NoReviewer);
    };
    let clock = store.clock().clone();
    let tx = store.write_transaction()?;
    let before = require_live(&tx, id)?;
    let now = clock.now_rfc3339();
    tx.execute(
        "UPDATE claims SET verdict = ?2, verdict_note = ?3, verdict_by = ?4, verdict_at = ?5, updated_at = ?5 WHERE id = ?1",
        params![id, verdict.as_str(), note.trim(), reviewer, now],
    )?;
    let after = require(&tx, id)?;
    let pick = |c: &Claim| json!({"verdict": c.verdict, "verdict_note": c.verdict_note, "verdict_by": c.verdict_by, "verdict_at": c.verdict_at});
    log(
        &tx,
        &clock,
        id,
        Some(reviewer),
        "review",
        Some(pick(&before)),
        Some(pick(&after)),
    )?;
    tx.commit()?;
    Ok(after)
}

/// The audit log of a claim, oldest first.
pub fn claim_log(conn: &Connection, id: &str) -> Result<Vec<LogEntry>> {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let rows = conn
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
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::Taxonomy;

    #[test]
    fn slugs_and_ids() {
        assert_eq!(
            slugify("Ozone therapy significantly reduced pain!"),
            "ozone-therapy-significantly-reduced-pain"
        );
        assert!(slugify(&"word ".repeat(40)).len() <= 60);
        assert!(valid_id("pain-physician-2012"));
        assert!(!valid_id("Bad Id"));
    }

    #[test]
    fn log_is_append_only() {
        let mut store = Store::open_in_memory().unwrap();
        let m = Matcher::new(Taxonomy::builtin());
        let c = add_claim(
            &mut store,
            &m,
            &NewClaim {
                text: "Ozone reduces sciatica pain".into(),
                ..NewClaim::default()
            },
            Some("me"),
        )
        .unwrap();
        assert!(c.tags.iter().any(|t| t.tag == "sciatica" && t.inferred));
        assert!(
            store
                .conn()
                .execute("UPDATE claim_log SET action = 'x'", [])
                .is_err()
        );
        assert!(store.conn().execute("DELETE FROM claim_log", []).is_err());
        assert_eq!(claim_log(store.conn(), &c.id).unwrap().len(), 1);
    }
}
