//! What a reviewer must be told about a claim, computed from the catalogue: its evidence
//! summarised by stance and design, warnings about that evidence (what each record says of
//! itself, [`crate::store::articles::StoredArticle::warnings`], plus the claim's own: a record
//! missing from the catalogue or revised after the verdict), and staleness (records matching
//! the claim's tags that arrived after its last review).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::export::cite::{CitationStyle, reference};

use super::certainty::{Certainty, LinkedEvidence, RiskOfBias, rate_certainty};
use super::record::Claim;
use super::suggest::stance_for;
use super::values::Stance;
use crate::abstracts::FactKind;
use crate::store::articles::{StoredArticle, load_article};
use crate::store::claims::records_tagged_since;
use crate::store::facts::record_facts;
use crate::store::tags::record_tags;
use crate::store::tags::strongest_design;
use crate::store::{Store, StoreError};
use crate::tagging::Matcher;

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
    /// Deleted from PubMed or retracted (or not in the catalogue): listed, warned about, never
    /// counted as the strongest evidence on its side.
    pub withdrawn: bool,
    /// The stance is evcat's suggestion, not yet a reviewer's.
    pub suggested: bool,
    /// Its finding on what the claim says (outcome, direction and sentence), when read.
    pub finding: Option<String>,
    /// Its participants, as evcat read them.
    pub participants: Option<f64>,
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
    /// Strongest design among live supporting evidence (deleted and retracted records never
    /// count).
    pub strongest_supporting: Option<Strongest>,
    /// Strongest design among live refuting evidence.
    pub strongest_refuting: Option<Strongest>,
    /// Every warning, one line each.
    pub warnings: Vec<String>,
    /// Staleness, for a reviewed claim with new matching records.
    pub stale: Option<Staleness>,
    /// How certain the linked evidence is ([`super::certainty`]).
    pub certainty: Certainty,
}

/// Warnings about one linked record: what the record itself says ([`StoredArticle::warnings`]:
/// retraction, expression of concern, erratum, deletion), then a revision after `verdict_at`;
/// or that it is not in the catalogue.
pub fn evidence_warnings(
    pmid: u64,
    stored: Option<&StoredArticle>,
    verdict_at: Option<&str>,
) -> Vec<String> {
    let Some(stored) = stored else {
        return vec![format!("PMID {pmid} is not in the catalogue")];
    };
    let mut warnings = stored.warnings();
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
    warnings
}

/// Whether a record is no longer live evidence: deleted from PubMed or retracted (a
/// "Retracted Publication" type or a `RetractionIn` notice), or not in the catalogue at all.
pub fn is_withdrawn(stored: Option<&StoredArticle>) -> bool {
    let Some(stored) = stored else {
        return true;
    };
    let a = &stored.article;
    stored.deleted
        || a.publication_types
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case("Retracted Publication"))
        || a.comments_corrections
            .iter()
            .any(|c| c.ref_type == "RetractionIn")
}

/// Records (not deleted) that match the claim's tags, first seen after `since`. A record
/// matches when, for every dimension the claim is tagged in, it has at least one of the
/// claim's tags of that dimension.
pub fn new_matching_records(
    store: &Store,
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
    records_tagged_since(store, &by_dim, since)
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
    store: &Store,
    filter: &ClaimFilter,
    style: CitationStyle,
) -> Result<Vec<(Claim, Assessment)>, super::record::ClaimError> {
    let mut rows = Vec::new();
    for claim in super::record::list(store, filter.removed)? {
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
        let assessment = assess(store, &claim, style, None)?;
        if filter.stale && assessment.stale.is_none() {
            continue;
        }
        rows.push((claim, assessment));
    }
    Ok(rows)
}

/// Whether a review says that it reviews randomised trials.
fn reviews_randomised_trials(stored: Option<&StoredArticle>) -> bool {
    static RANDOMISED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::text::patterns::regex_with_ascii_boundaries(
            r"(?i)\brandomi[sz]ed\b|\brandomi[sz]ation\b|\bRCTs?\b",
        )
        .expect("valid regex")
    });
    stored.is_some_and(|s| {
        RANDOMISED.is_match(&s.article.title.text)
            || s.article
                .abstract_
                .as_ref()
                .is_some_and(|a| RANDOMISED.is_match(&a.plain_text()))
    })
}

/// Assesses a claim; evidence is cited in `style`. With a `matcher`, each linked record's
/// finding on the claim is read too.
pub fn assess(
    store: &Store,
    claim: &Claim,
    style: CitationStyle,
    matcher: Option<&Matcher>,
) -> Result<Assessment, StoreError> {
    let verdict_at = claim.verdict_at.as_deref();
    let claim_tags: Vec<(String, String)> = claim
        .tags
        .iter()
        .map(|t| (t.dimension.clone(), t.tag.clone()))
        .collect();
    let mut rated: Vec<LinkedEvidence> = Vec::new();
    let mut a = Assessment {
        status: claim.verdict.clone().unwrap_or_else(|| "unreviewed".into()),
        evidence: Vec::new(),
        by_stance: BTreeMap::new(),
        by_design: BTreeMap::new(),
        strongest_supporting: None,
        strongest_refuting: None,
        warnings: Vec::new(),
        stale: None,
        certainty: rate_certainty(&[], &[], None),
    };
    for link in &claim.links {
        let (design, level) = strongest_design(store, link.pmid)?;
        let stored = load_article(store, link.pmid)?;
        let citation = stored
            .as_ref()
            .map(|s| reference(&s.article, style))
            .unwrap_or_else(|| format!("PMID {}", link.pmid));
        let year = stored.as_ref().and_then(|s| s.article.year());
        let warnings = evidence_warnings(link.pmid, stored.as_ref(), verdict_at);
        let withdrawn = is_withdrawn(stored.as_ref());
        *a.by_stance.entry(link.stance.clone()).or_default() += 1;
        *a.by_design
            .entry(design.clone().unwrap_or_else(|| "unknown".into()))
            .or_default() += 1;
        let side = match link.stance_value() {
            Some(Stance::Supports) => Some(&mut a.strongest_supporting),
            Some(Stance::Refutes) => Some(&mut a.strongest_refuting),
            _ => None,
        };
        if let (false, Some(slot), Some(d), Some(l)) = (withdrawn, side, &design, level)
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
        let participants = record_facts(store, link.pmid)?
            .iter()
            .find(|f| f.kind == FactKind::Participants)
            .and_then(|f| f.largest());
        let concern = if withdrawn {
            Some("retracted or deleted from PubMed".to_string())
        } else {
            warnings
                .iter()
                .find(|w| w.contains("EXPRESSION OF CONCERN"))
                .map(|_| "under an expression of concern".to_string())
        };
        rated.push(LinkedEvidence {
            pmid: link.pmid,
            stance: link.stance_value(),
            design: design.clone(),
            reviews_randomised_trials: reviews_randomised_trials(stored.as_ref()),
            participants,
            concern,
            tags: record_tags(store, link.pmid)?
                .into_iter()
                .map(|t| (t.dimension, t.tag))
                .collect(),
        });
        let finding = match matcher {
            Some(m) => stance_for(store, m, &claim.text, &claim_tags, link.pmid)?.reason,
            None => None,
        };
        a.evidence.push(EvidenceItem {
            pmid: link.pmid,
            stance: link.stance.clone(),
            note: link.note.clone(),
            citation,
            design,
            level,
            year,
            warnings,
            withdrawn,
            suggested: link.suggested,
            finding,
            participants,
        });
    }
    a.certainty = rate_certainty(
        &claim_tags,
        &rated,
        claim.risk_of_bias.as_deref().and_then(RiskOfBias::parse),
    );
    if let Some(since) = verdict_at {
        let new = new_matching_records(store, claim, since)?;
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
