//! Claim use cases: add, list, show, edit, remove, suggest, link, unlink, review and log. Each
//! takes the [`Context`] and typed options and returns the typed result its front end renders;
//! the reviewer is resolved here ([`Context::reviewer`]), the work is done by [`crate::claims`].
//! [`save`] is `add` for another operation that already holds the catalogue open for writing
//! (`audit --save`).

use serde::Serialize;

use std::sync::Arc;

use super::Context;
use super::OpsError;
use super::cache::AnswerCache;
use super::context::OpenError;
use crate::claims::assess::{Assessment, ClaimFilter, assess, is_withdrawn, list_assessed};
use crate::claims::record::{
    self, CLAIM_DIMENSIONS, Claim, ClaimEdit, ClaimError, ClaimLink, LogEntry, NewClaim,
};
use crate::claims::suggest::{Candidate, gather, prepare_to_rank, rank, stance_for};
use crate::claims::values::{ClaimKind, Stance, Verdict};
use crate::store::articles::load_article;
use crate::store::{Store, StoreError};

/// Why a claim operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClaimOpError {
    /// The claim operation itself was refused (no such claim, bad input, ...).
    #[error(transparent)]
    Claim(#[from] ClaimError),
    /// The settings or the taxonomy are wrong.
    #[error(transparent)]
    Setup(#[from] OpsError),
    /// The catalogue could not be opened.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The catalogue failed while reading the evidence.
    #[error(transparent)]
    Store(#[from] StoreError),
}

type Result<T> = std::result::Result<T, ClaimOpError>;

/// A claim operation's failure in the kinds every front end tells apart: a claim, record or link
/// not found; a refused request (with its reason); a catalogue failure (busy or not).
impl From<ClaimOpError> for OpsError {
    fn from(e: ClaimOpError) -> OpsError {
        match e {
            ClaimOpError::Claim(ClaimError::Store(e)) | ClaimOpError::Store(e) => {
                OpsError::Store(e)
            }
            ClaimOpError::Claim(e) if e.is_not_found() => OpsError::NotFound(e.to_string()),
            ClaimOpError::Claim(e) => OpsError::Usage(e.to_string()),
            ClaimOpError::Setup(e) | ClaimOpError::Open(OpenError::Setup(e)) => e,
            ClaimOpError::Open(OpenError::Store { error, .. }) => OpsError::Store(error),
        }
    }
}

/// A claim with its assessment (`claim list`, `claim show`). Serialises as the documented
/// `{"assessment": ..., "claim": ...}` object, every object's keys in alphabetical order (as
/// evcat has always printed it).
#[derive(Debug, Clone)]
pub struct AssessedClaim {
    /// The claim.
    pub claim: Claim,
    /// Its evidence summary, warnings and staleness.
    pub assessment: Assessment,
}

impl Serialize for AssessedClaim {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serde_json::json!({"claim": self.claim, "assessment": self.assessment}).serialize(s)
    }
}

/// `claim add`.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// Id; generated from the text when `None`.
    pub id: Option<String>,
    /// What the article claims.
    pub text: String,
    /// URL or citation of the article.
    pub source: Option<String>,
    /// (dimension, tag) pairs given; dimensions without any are inferred.
    pub tags: Vec<(String, String)>,
    /// `--reviewer`.
    pub reviewer: Option<String>,
    /// `--kind`: what the claim is about.
    pub kind: Option<ClaimKind>,
}

/// Adds a claim; returns it as stored.
pub fn add(ctx: &Context, options: &AddOptions) -> Result<Claim> {
    let matcher = ctx.matcher()?;
    let mut store = ctx.open_store()?;
    let who = ctx.reviewer(options.reviewer.as_deref())?;
    let new = NewClaim {
        id: options.id.clone(),
        text: options.text.clone(),
        source: options.source.clone(),
        tags: options.tags.clone(),
    };
    Ok(record::add_claim_of_kind(
        &mut store,
        &matcher,
        &new,
        options.kind,
        who.as_deref(),
    )?)
}

/// A claim another operation saves ([`save`]): what `claim add` records, with an id made from
/// the text.
#[derive(Debug, Clone, Default)]
pub struct SaveClaim {
    /// What the article claims (trimmed; refused when empty).
    pub text: String,
    /// URL or citation of the article.
    pub source: Option<String>,
    /// What the claim is about.
    pub kind: Option<ClaimKind>,
    /// (dimension, tag) pairs, recorded as a person's (not marked inferred); every claim
    /// dimension (condition, outcome, intervention) without any is inferred from the text and
    /// marked inferred, as `claim add` does. Tags outside those dimensions are checked against
    /// the taxonomy and not stored.
    pub tags: Vec<(String, String)>,
    /// Who saves it, resolved like every reviewer ([`Context::reviewer`]: this, else the
    /// settings, else the user name).
    pub reviewer: Option<String>,
}

/// Saves a claim into `store` (opened for writing by the caller, e.g. `audit --save`): the
/// claim, its kind, its tags and its log entry in one transaction, with an id made from its text
/// (`-2`, `-3` appended when taken). Returns it as stored.
pub fn save(ctx: &Context, store: &mut Store, claim: &SaveClaim) -> Result<Claim> {
    let matcher = ctx.matcher()?;
    let who = ctx.reviewer(claim.reviewer.as_deref())?;
    let new = NewClaim {
        id: None,
        text: claim.text.clone(),
        source: claim.source.clone(),
        tags: claim.tags.clone(),
    };
    Ok(record::add_claim_of_kind(
        store,
        &matcher,
        &new,
        claim.kind,
        who.as_deref(),
    )?)
}

/// The claims `filter` selects, each with its assessment, by id.
pub fn list(ctx: &Context, filter: &ClaimFilter) -> Result<Vec<AssessedClaim>> {
    let store = ctx.open_store_read()?;
    let style = ctx.settings()?.citation_style.value;
    Ok(list_assessed(&store, filter, style)?
        .into_iter()
        .map(|(claim, assessment)| AssessedClaim { claim, assessment })
        .collect())
}

/// One claim (removed ones included) with its assessment.
pub fn show(ctx: &Context, id: &str) -> Result<AssessedClaim> {
    let store = ctx.open_store_read()?;
    let claim = record::require(&store, id)?;
    let matcher = ctx.matcher()?;
    let assessment = assess(
        &store,
        &claim,
        ctx.settings()?.citation_style.value,
        Some(&matcher),
    )?;
    Ok(AssessedClaim { claim, assessment })
}

/// `claim edit`.
#[derive(Debug, Clone, Default)]
pub struct EditOptions {
    /// The claim.
    pub id: String,
    /// New text.
    pub text: Option<String>,
    /// New source (`Some(None)` clears it).
    pub source: Option<Option<String>>,
    /// New tags: each dimension named replaces that dimension's tags.
    pub tags: Vec<(String, String)>,
    /// Infer the tags of the dimensions not named in `tags` from the (new) text.
    pub reinfer: bool,
    /// `--reviewer`.
    pub reviewer: Option<String>,
    /// New kind (`None` keeps the claim's).
    pub kind: Option<ClaimKind>,
}

/// Edits a claim; returns it as stored.
pub fn edit(ctx: &Context, options: &EditOptions) -> Result<Claim> {
    let matcher = ctx.matcher()?;
    let mut store = ctx.open_store()?;
    let who = ctx.reviewer(options.reviewer.as_deref())?;
    let reinfer = if options.reinfer {
        CLAIM_DIMENSIONS
            .iter()
            .filter(|d| !options.tags.iter().any(|(g, _)| g == *d))
            .map(|d| d.to_string())
            .collect()
    } else {
        Vec::new()
    };
    let edit = ClaimEdit {
        text: options.text.clone(),
        source: options.source.clone(),
        tags: options.tags.clone(),
        reinfer,
        kind: options.kind,
    };
    Ok(record::edit_claim(
        &mut store,
        &matcher,
        &options.id,
        &edit,
        who.as_deref(),
    )?)
}

/// Removes a claim (kept, flagged removed, and logged).
pub fn remove(ctx: &Context, id: &str, reviewer: Option<&str>) -> Result<()> {
    let mut store = ctx.open_store()?;
    let who = ctx.reviewer(reviewer)?;
    Ok(record::remove_claim(&mut store, id, who.as_deref())?)
}

/// Candidate evidence for a claim (its JSON is the candidates alone).
#[derive(Debug, Clone)]
pub struct Suggestions {
    /// The claim (its links tell which candidates are already linked).
    pub claim: Claim,
    /// The candidates, best first.
    pub candidates: Vec<Candidate>,
}

/// Ranks catalogue records as candidate evidence for a claim: at most `limit`, best first.
pub fn suggest(ctx: &Context, id: &str, limit: usize) -> Result<Suggestions> {
    let style = ctx.settings()?.citation_style.value;
    let store = ctx.open_store_read()?;
    // One read transaction for all of it: one view of the catalogue, and its many small
    // queries do not each take and release the file's locks.
    let _snapshot = store.read_snapshot()?;
    let claim = record::require(&store, id)?;
    let tags: Vec<(String, String)> = claim
        .tags
        .iter()
        .map(|t| (t.dimension.clone(), t.tag.clone()))
        .collect();
    // The work uses both cores: this thread searches the catalogue, then builds the tagger,
    // while the other compiles the patterns that read, weigh and cite the candidates shown (at a
    // million records about 0.05-0.10 s to search, 0.05 s to build the tagger, 0.15-0.23 s to
    // compile); then this thread ranks, compiling what the other has not reached yet.
    std::thread::scope(|scope| {
        let prepared = scope.spawn(|| prepare_to_rank(style));
        let gathered = gather(&store, &claim.text)?;
        let matcher = ctx.matcher()?;
        let candidates = rank(
            &store,
            &matcher,
            &gathered,
            &claim.text,
            &tags,
            limit,
            style,
        );
        prepared
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok(Suggestions {
            claim,
            candidates: candidates?,
        })
    })
}

/// Suggestions kept for a generation of the catalogue, by claim and limit (see [`suggest_kept`]).
pub type SuggestionCache = AnswerCache<(String, usize), Suggestions>;

/// [`suggest`], kept in `cache` for the catalogue's current generation (any change to the
/// catalogue, the claim's included, computes them afresh).
pub fn suggest_kept(
    ctx: &Context,
    id: &str,
    limit: usize,
    cache: &SuggestionCache,
) -> std::result::Result<Arc<Suggestions>, OpsError> {
    cache.get_or_compute(ctx, &(id.to_string(), limit), || {
        suggest(ctx, id, limit).map_err(OpsError::from)
    })
}

/// `claim link`.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// The claim.
    pub id: String,
    /// The record.
    pub pmid: u64,
    /// Its stance on the claim; `None`: the stance evcat suggests from the record's findings.
    pub stance: Option<Stance>,
    /// Why.
    pub note: Option<String>,
    /// `--reviewer`.
    pub reviewer: Option<String>,
}

/// A link as made, with what the reviewer must be told about the record.
#[derive(Debug, Clone)]
pub struct Linked {
    /// The link as stored.
    pub link: ClaimLink,
    /// What is wrong with the record (deleted from PubMed, retracted, an expression of
    /// concern, an erratum), one line each; the link is made all the same.
    pub warnings: Vec<String>,
    /// Deleted or retracted: it never counts as the strongest evidence.
    pub withdrawn: bool,
    /// The finding behind a suggested stance (`None` when the reviewer gave the stance).
    pub suggested_because: Option<String>,
}

/// Links a record to a claim (replacing an earlier link of the same record); returns the link
/// and the record's warnings.
pub fn link(ctx: &Context, options: &LinkOptions) -> Result<Linked> {
    let mut store = ctx.open_store()?;
    let who = ctx.reviewer(options.reviewer.as_deref())?;
    // The reviewer's stance, or the one the record's findings suggest (with its reason).
    let (stance, suggested_because) = match options.stance {
        Some(stance) => (stance, None),
        None => {
            let claim = record::require(&store, &options.id)?;
            let tags: Vec<(String, String)> = claim
                .tags
                .iter()
                .map(|t| (t.dimension.clone(), t.tag.clone()))
                .collect();
            let matcher = ctx.matcher()?;
            let suggestion = stance_for(&store, &matcher, &claim.text, &tags, options.pmid)?;
            let Some(stance) = suggestion.stance else {
                return Err(ClaimError::NoSuggestion {
                    claim: options.id.clone(),
                    pmid: options.pmid,
                    why: suggestion.reason.unwrap_or_else(|| {
                        "its findings say nothing of what the claim says".into()
                    }),
                }
                .into());
            };
            (stance, suggestion.reason)
        }
    };
    let make = if suggested_because.is_some() {
        record::link_suggested
    } else {
        record::link
    };
    let link = make(
        &mut store,
        &options.id,
        options.pmid,
        stance.as_str(),
        options.note.as_deref(),
        who.as_deref(),
    )?;
    let stored = load_article(&store, options.pmid)?;
    Ok(Linked {
        link,
        warnings: stored.as_ref().map(|s| s.warnings()).unwrap_or_default(),
        withdrawn: is_withdrawn(stored.as_ref()),
        suggested_because,
    })
}

/// Removes a record from a claim's evidence.
pub fn unlink(ctx: &Context, id: &str, pmid: u64, reviewer: Option<&str>) -> Result<()> {
    let mut store = ctx.open_store()?;
    let who = ctx.reviewer(reviewer)?;
    Ok(record::unlink(&mut store, id, pmid, who.as_deref())?)
}

/// `claim review`.
#[derive(Debug, Clone)]
pub struct ReviewOptions {
    /// The claim.
    pub id: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Why (required).
    pub note: String,
    /// `--reviewer` (a verdict needs one, from the flag, the settings or the user name).
    pub reviewer: Option<String>,
    /// `--risk-of-bias`: low, some-concerns or high.
    pub risk_of_bias: Option<String>,
}

/// Gives a claim a verdict; returns the claim as stored.
pub fn review(ctx: &Context, options: &ReviewOptions) -> Result<Claim> {
    let mut store = ctx.open_store()?;
    let who = ctx.reviewer(options.reviewer.as_deref())?;
    Ok(record::review(
        &mut store,
        &options.id,
        options.verdict.as_str(),
        &options.note,
        who.as_deref(),
        options.risk_of_bias.as_deref(),
    )?)
}

/// A claim's audit log, oldest first (removed claims included).
pub fn log(ctx: &Context, id: &str) -> Result<Vec<LogEntry>> {
    let store = ctx.open_store_read()?;
    record::require(&store, id)?;
    Ok(record::claim_log(&store, id)?)
}
