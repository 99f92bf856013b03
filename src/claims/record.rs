//! The rules of claims, their tags and evidence links, verdicts, and the append-only audit log:
//! validation, ids, tag inference, and what each change logs. The rows live in
//! [`crate::store::claims`].
//!
//! Every change (add, edit, link, unlink, review, remove) runs in one transaction together with
//! its log entry, which records the time, the reviewer, and the claim (or link) before and after
//! as JSON. The log cannot be rewritten: SQLite triggers refuse updates and deletes. Times come
//! from the store's [`crate::store::Clock`] (the system clock unless a test set a fake one).

use serde_json::json;

use super::certainty::RiskOfBias;
use super::values::{ClaimKind, Stance, Verdict};
pub use crate::store::claims::{Claim, ClaimLink, ClaimTag, LogEntry};
use crate::store::claims::{
    ClaimRow, LinkRow, append_log, article_exists_in, claim_exists_in, delete_link, insert_claim,
    list_claims, load_claim, load_claim_in, mark_claim_removed, replace_claim_tags, set_verdict,
    update_claim_text, upsert_link,
};
use crate::store::{Store, StoreError, WriteTransaction};
use crate::tagging::{Matcher, TagInput};

/// Dimensions a claim is tagged with.
pub const CLAIM_DIMENSIONS: [&str; 3] = ["condition", "outcome", "intervention"];

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
    /// Bad risk-of-bias judgement.
    #[error("invalid risk of bias {0:?}: use one of low, some-concerns, high")]
    InvalidRiskOfBias(String),
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
    /// A suggestion would replace a reviewer's stance.
    #[error(
        "PMID {pmid} is linked to claim {claim:?} as {stance} by a reviewer; a suggested stance never replaces it (give --stance to change it)"
    )]
    ReviewerStance {
        /// Claim.
        claim: String,
        /// PMID.
        pmid: u64,
        /// The reviewer's stance.
        stance: String,
    },
    /// No stance can be suggested.
    #[error(
        "evcat cannot suggest a stance of PMID {pmid} on claim {claim:?}: {why}; give --stance supports|refutes|mixed|no-evidence"
    )]
    NoSuggestion {
        /// Claim.
        claim: String,
        /// PMID.
        pmid: u64,
        /// Why.
        why: String,
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

impl ClaimError {
    /// Whether the claim, record or link asked for does not exist (exit 5 at the command line,
    /// as every "not found"), rather than the request being wrong.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            ClaimError::NotFound(_) | ClaimError::UnknownPmid(_) | ClaimError::NotLinked { .. }
        )
    }
}

type Result<T> = std::result::Result<T, ClaimError>;

/// The longest generated id (before a `-2`, `-3` suffix): short enough to read, type and
/// show whole in a table.
pub const MAX_GENERATED_ID: usize = 24;

/// Reporting phrases that end an article's lead-in ("A study published in Pain Physician found
/// that ..."): a generated id starts after the first one.
const LEAD_INS: [&str; 16] = [
    "found that",
    "finds that",
    "showed that",
    "shows that",
    "show that",
    "shown that",
    "suggests that",
    "suggested that",
    "concluded that",
    "concludes that",
    "reported that",
    "reports that",
    "demonstrated that",
    "demonstrates that",
    "says that",
    "claims that",
];

/// Words that say nothing about what a claim is about: grammar, and the filler of health
/// writing ("a study published in the journal", "significantly").
#[rustfmt::skip]
const FILLER: [&str; 62] = [
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from",
    "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that",
    "these", "those", "their", "than", "can", "could", "may", "might", "will", "would", "does",
    "do", "did", "has", "have", "had", "who", "which", "study", "studies", "trial", "research",
    "researchers", "published", "journal", "found", "showed", "shows", "new", "recent",
    "evidence", "patients", "people", "significantly", "therapy", "treatment",
];

/// A short id for a claim, from what it is about: its intervention, condition and outcome tags
/// (`tags`: (dimension, tag)) first, then the other meaningful words of its text after any
/// lead-in ("A study ... found that"), filler dropped; whole words only, at most
/// [`MAX_GENERATED_ID`] characters. `claim` when nothing is left.
pub fn short_id(text: &str, tags: &[(String, String)]) -> String {
    let normalized = crate::tagging::normalize::normalize_phrase(text);
    let body = LEAD_INS
        .iter()
        .filter_map(|l| normalized.find(&format!("{l} ")).map(|i| i + l.len() + 1))
        .min()
        .map_or(normalized.as_str(), |i| &normalized[i..]);
    let mut parts: Vec<String> = Vec::new();
    for dim in ["intervention", "condition", "outcome"] {
        parts.extend(
            tags.iter()
                .filter(|(d, _)| d == dim)
                .map(|(_, t)| t.clone()),
        );
    }
    // A word already said ("discs" after the tag `herniated-disc`, "reduces" after "reduced")
    // is left out: the same word, or one with the same first four letters.
    let said = |word: &str, said: &[String]| {
        let stem = |w: &str| (w.len() >= 4).then(|| w[..4].to_string());
        said.iter()
            .flat_map(|p| p.split('-'))
            .any(|p| p == word || stem(p).is_some_and(|s| Some(s) == stem(word)))
    };
    let mut said_words = parts.clone();
    for word in body.split(' ') {
        let word: String = word.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if word.is_empty() || FILLER.contains(&word.as_str()) || said(&word, &said_words) {
            continue;
        }
        said_words.push(word.clone());
        parts.push(word);
    }
    let mut id = String::new();
    for part in &parts {
        let len = id.len() + usize::from(!id.is_empty()) + part.len();
        if len > MAX_GENERATED_ID || id.split('-').any(|w| w == part) {
            continue;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(part);
    }
    if id.is_empty() {
        // Only words too long to fit: the first, cut at the limit.
        id = parts
            .first()
            .map(|p| p.chars().take(MAX_GENERATED_ID).collect::<String>())
            .unwrap_or_default()
            .trim_end_matches('-')
            .to_string();
    }
    if id.is_empty() { "claim".into() } else { id }
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

/// Appends a log entry stamped now.
fn log(
    tx: &WriteTransaction<'_>,
    clock: &crate::store::Clock,
    claim: &str,
    reviewer: Option<&str>,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    Ok(append_log(
        tx,
        claim,
        &clock.now_rfc3339(),
        reviewer,
        action,
        before,
        after,
    )?)
}

/// A claim as its log entries record it: the claim's JSON, without `kind` when it has none, so
/// that the log of a claim without a kind reads as it did before claims had kinds.
fn logged_claim(claim: &Claim) -> serde_json::Value {
    let mut value = json!(claim);
    if claim.kind.is_none()
        && let Some(object) = value.as_object_mut()
    {
        object.remove("kind");
    }
    value
}

/// Adds a claim without a kind; returns it.
pub fn add_claim(
    store: &mut Store,
    matcher: &Matcher,
    new: &NewClaim,
    reviewer: Option<&str>,
) -> Result<Claim> {
    add_claim_of_kind(store, matcher, new, None, reviewer)
}

/// Adds a claim of a kind (`None`: without one) with its tags and its log entry, in one
/// transaction; returns it.
pub fn add_claim_of_kind(
    store: &mut Store,
    matcher: &Matcher,
    new: &NewClaim,
    kind: Option<ClaimKind>,
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
            if claim_exists_in(&tx, id)? {
                return Err(ClaimError::Duplicate(id.clone()));
            }
            id.clone()
        }
        None => {
            let tags: Vec<(String, String)> =
                claim_tags_of(matcher, text, &new.tags, &CLAIM_DIMENSIONS)
                    .into_iter()
                    .map(|(d, t, _)| (d, t))
                    .collect();
            let base = short_id(text, &tags);
            let mut candidate = base.clone();
            let mut n = 2;
            while claim_exists_in(&tx, &candidate)? {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            candidate
        }
    };
    let now = clock.now_rfc3339();
    insert_claim(
        &tx,
        &ClaimRow {
            id: &id,
            text,
            source: new.source.as_deref(),
            created_by: reviewer,
            at: &now,
            kind,
        },
    )?;
    write_tags(&tx, matcher, &id, text, &new.tags, &CLAIM_DIMENSIONS)?;
    let claim = load_claim_in(&tx, &id)?.ok_or_else(|| ClaimError::NotFound(id.clone()))?;
    log(
        &tx,
        &clock,
        &id,
        reviewer,
        "add",
        None,
        Some(logged_claim(&claim)),
    )?;
    tx.commit()?;
    Ok(claim)
}

/// The tags of `dimensions` a claim gets: the given ones, or inferred from `text` where none
/// are given for a dimension; as (dimension, tag, inferred).
fn claim_tags_of(
    matcher: &Matcher,
    text: &str,
    given: &[(String, String)],
    dimensions: &[&str],
) -> Vec<(String, String, bool)> {
    let inferred = infer_tags(matcher, text, dimensions);
    let mut out = Vec::new();
    for dim in dimensions {
        let explicit: Vec<&(String, String)> = given.iter().filter(|(d, _)| d == dim).collect();
        if explicit.is_empty() {
            out.extend(
                inferred
                    .iter()
                    .filter(|(d, _)| d == dim)
                    .map(|(d, t)| (d.clone(), t.clone(), true)),
            );
        } else {
            out.extend(
                explicit
                    .into_iter()
                    .map(|(d, t)| (d.clone(), t.clone(), false)),
            );
        }
    }
    out
}

/// Replaces the tags of `dimensions`: the given ones, or inferred from `text` where none given.
fn write_tags(
    tx: &WriteTransaction<'_>,
    matcher: &Matcher,
    id: &str,
    text: &str,
    given: &[(String, String)],
    dimensions: &[&str],
) -> Result<()> {
    let tags = claim_tags_of(matcher, text, given, dimensions);
    for dim in dimensions {
        let of_dim: Vec<(String, String)> = tags
            .iter()
            .filter(|(d, _, _)| d == dim)
            .map(|(d, t, _)| (d.clone(), t.clone()))
            .collect();
        let is_inferred = tags.iter().any(|(d, _, inferred)| d == dim && *inferred);
        let refs: Vec<&(String, String)> = of_dim.iter().collect();
        replace_claim_tags(tx, id, dim, &refs, is_inferred || of_dim.is_empty())?;
    }
    Ok(())
}

/// Loads a claim that exists, or fails.
pub fn require(store: &Store, id: &str) -> Result<Claim> {
    load_claim(store, id)?.ok_or_else(|| ClaimError::NotFound(id.to_string()))
}

fn require_in(tx: &WriteTransaction<'_>, id: &str) -> Result<Claim> {
    load_claim_in(tx, id)?.ok_or_else(|| ClaimError::NotFound(id.to_string()))
}

fn require_live(tx: &WriteTransaction<'_>, id: &str) -> Result<Claim> {
    let claim = require_in(tx, id)?;
    if claim.removed_at.is_some() {
        return Err(ClaimError::Removed(id.to_string()));
    }
    Ok(claim)
}

/// All claims (removed ones only when asked), by id.
pub fn list(store: &Store, include_removed: bool) -> Result<Vec<Claim>> {
    Ok(list_claims(store, include_removed)?)
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
    /// New kind (`None` keeps the claim's).
    pub kind: Option<ClaimKind>,
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
    let kind = edit.kind.or(before.kind);
    update_claim_text(
        &tx,
        id,
        &text,
        source.as_deref(),
        kind,
        &clock.now_rfc3339(),
    )?;
    let mut dims: Vec<&str> = edit.tags.iter().map(|(d, _)| d.as_str()).collect();
    dims.extend(edit.reinfer.iter().map(String::as_str));
    dims.sort_unstable();
    dims.dedup();
    if !dims.is_empty() {
        write_tags(&tx, matcher, id, &text, &edit.tags, &dims)?;
    }
    let after = require_in(&tx, id)?;
    log(
        &tx,
        &clock,
        id,
        reviewer,
        "edit",
        Some(logged_claim(&before)),
        Some(logged_claim(&after)),
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
    mark_claim_removed(&tx, id, reviewer, &now)?;
    let after = require_in(&tx, id)?;
    log(
        &tx,
        &clock,
        id,
        reviewer,
        "remove",
        Some(logged_claim(&before)),
        Some(logged_claim(&after)),
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
    link_with(store, id, pmid, stance, note, reviewer, false)
}

/// Links a record to a claim with the stance evcat suggested from its findings: logged as
/// suggested, and never over a stance a reviewer gave (refused with
/// [`ClaimError::ReviewerStance`]).
pub fn link_suggested(
    store: &mut Store,
    id: &str,
    pmid: u64,
    stance: &str,
    note: Option<&str>,
    reviewer: Option<&str>,
) -> Result<ClaimLink> {
    link_with(store, id, pmid, stance, note, reviewer, true)
}

fn link_with(
    store: &mut Store,
    id: &str,
    pmid: u64,
    stance: &str,
    note: Option<&str>,
    reviewer: Option<&str>,
    suggested: bool,
) -> Result<ClaimLink> {
    let stance: Stance = stance
        .parse()
        .map_err(|_| ClaimError::InvalidStance(stance.to_string()))?;
    let clock = store.clock().clone();
    let tx = store.write_transaction()?;
    let claim = require_live(&tx, id)?;
    if !article_exists_in(&tx, pmid)? {
        return Err(ClaimError::UnknownPmid(pmid));
    }
    let before = claim.links.iter().find(|l| l.pmid == pmid).cloned();
    if suggested && let Some(b) = before.as_ref().filter(|b| !b.suggested) {
        return Err(ClaimError::ReviewerStance {
            claim: id.to_string(),
            pmid,
            stance: b.stance.clone(),
        });
    }
    let now = clock.now_rfc3339();
    upsert_link(
        &tx,
        &LinkRow {
            claim: id,
            pmid,
            stance: stance.as_str(),
            note,
            reviewer,
            at: &now,
            suggested,
        },
    )?;
    let after = require_in(&tx, id)?
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
    delete_link(&tx, id, pmid, &clock.now_rfc3339())?;
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
    risk_of_bias: Option<&str>,
) -> Result<Claim> {
    let verdict: Verdict = verdict
        .parse()
        .map_err(|_| ClaimError::InvalidVerdict(verdict.to_string()))?;
    let risk_of_bias = risk_of_bias
        .map(|r| {
            RiskOfBias::parse(r.trim()).ok_or_else(|| ClaimError::InvalidRiskOfBias(r.to_string()))
        })
        .transpose()?;
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
    set_verdict(
        &tx,
        id,
        verdict.as_str(),
        note.trim(),
        reviewer,
        &now,
        risk_of_bias.map(RiskOfBias::as_str),
    )?;
    let after = require_in(&tx, id)?;
    let pick = |c: &Claim| json!({"verdict": c.verdict, "verdict_note": c.verdict_note, "verdict_by": c.verdict_by, "verdict_at": c.verdict_at, "risk_of_bias": c.risk_of_bias});
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
pub fn claim_log(store: &Store, id: &str) -> Result<Vec<LogEntry>> {
    Ok(crate::store::claims::claim_log(store, id)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::Taxonomy;

    #[test]
    fn slugs_and_ids() {
        let t = |d: &str, t: &str| (d.to_string(), t.to_string());
        assert_eq!(
            short_id(
                "A study published in the journal Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs",
                &[
                    t("condition", "herniated-disc"),
                    t("intervention", "ozone"),
                    t("outcome", "pain")
                ]
            ),
            "ozone-herniated-disc"
        );
        assert_eq!(
            short_id(
                "Ozone injections are safe for sciatica",
                &[t("condition", "sciatica"), t("intervention", "ozone")]
            ),
            "ozone-sciatica-safe"
        );
        assert_eq!(
            short_id("Vitamin D prevents colds!", &[]),
            "vitamin-d-prevents-colds"
        );
        assert_eq!(short_id("The study found that", &[]), "claim");
        assert_eq!(short_id(&"supercalifragilistic".repeat(3), &[]).len(), 24);
        for text in [
            "word ".repeat(40),
            "A study published in Pain Physician found that".into(),
        ] {
            let id = short_id(&text, &[]);
            assert!(id.len() <= MAX_GENERATED_ID && valid_id(&id), "{id}");
        }
        assert!(valid_id("pain-physician-2012"));
        assert!(!valid_id("Bad Id"));
    }

    #[test]
    fn adding_infers_tags_and_logs_once() {
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
        let log = claim_log(&store, &c.id).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].action, "add");
        // Without a kind, the log reads as it did before claims had kinds.
        let after = log[0].after.as_ref().unwrap();
        assert!(after.get("kind").is_none(), "{after}");
        assert_eq!(c.kind, None);
    }

    #[test]
    fn a_kind_is_stored_kept_by_edits_that_do_not_name_one_and_logged() {
        let mut store = Store::open_in_memory().unwrap();
        let m = Matcher::new(Taxonomy::builtin());
        let new = NewClaim {
            text: "Ozone is given in three weekly sessions".into(),
            ..NewClaim::default()
        };
        let c =
            add_claim_of_kind(&mut store, &m, &new, Some(ClaimKind::Protocol), Some("me")).unwrap();
        assert_eq!(c.kind, Some(ClaimKind::Protocol));
        let text_only = ClaimEdit {
            text: Some("Ozone is given in four weekly sessions".into()),
            ..ClaimEdit::default()
        };
        let c = edit_claim(&mut store, &m, &c.id, &text_only, Some("me")).unwrap();
        assert_eq!(c.kind, Some(ClaimKind::Protocol));
        let to_course = ClaimEdit {
            kind: Some(ClaimKind::Course),
            ..ClaimEdit::default()
        };
        let c = edit_claim(&mut store, &m, &c.id, &to_course, Some("me")).unwrap();
        assert_eq!(
            require(&store, &c.id).unwrap().kind,
            Some(ClaimKind::Course)
        );
        let log = claim_log(&store, &c.id).unwrap();
        let kinds: Vec<(&str, Option<&serde_json::Value>, Option<&serde_json::Value>)> = log
            .iter()
            .map(|e| {
                (
                    e.action.as_str(),
                    e.before.as_ref().and_then(|b| b.get("kind")),
                    e.after.as_ref().and_then(|a| a.get("kind")),
                )
            })
            .collect();
        let name = |s: &str| serde_json::Value::from(s);
        assert_eq!(
            kinds,
            [
                ("add", None, Some(&name("protocol"))),
                ("edit", Some(&name("protocol")), Some(&name("protocol"))),
                ("edit", Some(&name("protocol")), Some(&name("course"))),
            ]
        );
    }
}
