//! `show`: one record with everything the catalogue knows of it: the article, its tags with
//! their evidence, the manual tag decisions, the claims citing it, and the original XML.

use serde::{Serialize, Serializer};

use super::OpsError;
use crate::abstracts::Fact;
use crate::abstracts::findings::Findings;
use crate::store::Store;
use crate::store::articles::{StoredArticle, load_article, raw_xml};
use crate::store::claims::claims_citing;
use crate::store::facts::record_facts;
use crate::store::tags::{ManualDecision, StoredTag, manual_decisions, record_tags};
use crate::tagging::{Matcher, TagInput, read_study_findings};
use crate::view::article_json;

/// One record as `show` presents it. Serialises to `evcat show --format json`: the article's
/// fields plus `tags`, `facts`, `manual_tag_decisions` and `claims` (README's schema).
#[derive(Debug, Clone)]
pub struct ShownRecord {
    /// The article as stored.
    pub stored: StoredArticle,
    /// Its tags, with evidence.
    pub tags: Vec<StoredTag>,
    /// The facts of the study, with evidence (at most one per kind).
    pub facts: Vec<Fact>,
    /// What the study found, per outcome, and what its authors conclude overall.
    pub findings: Findings,
    /// Tags added or removed by hand.
    pub manual_decisions: Vec<ManualDecision>,
    /// Claims citing it: (claim id, stance).
    pub cited_by: Vec<(String, String)>,
}

impl ShownRecord {
    /// Whether the record has an effective design tag (`show` says "design: not stated"
    /// otherwise).
    pub fn design_stated(&self) -> bool {
        self.tags.iter().any(|t| t.dimension == "design")
    }
}

impl ShownRecord {
    /// The JSON object of `evcat show --format json`.
    pub fn to_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        let mut v = article_json(&self.stored);
        v["tags"] = serde_json::to_value(&self.tags)?;
        v["facts"] = serde_json::to_value(&self.facts)?;
        v["findings"] = serde_json::to_value(&self.findings.findings)?;
        v["findings_direction"] = serde_json::to_value(self.findings.direction)?;
        v["manual_tag_decisions"] = serde_json::to_value(&self.manual_decisions)?;
        v["claims"] = self
            .cited_by
            .iter()
            .map(|(claim, stance)| serde_json::json!({"claim": claim, "stance": stance}))
            .collect();
        Ok(v)
    }
}

impl Serialize for ShownRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json()
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

fn not_found(pmid: u64) -> OpsError {
    OpsError::NotFound(format!(
        "PMID {pmid} is not in the catalogue (import or fetch it first)"
    ))
}

/// The record `pmid` with its tags, facts, findings (read with `matcher`), manual decisions and
/// citing claims.
pub fn show(store: &Store, pmid: u64, matcher: &Matcher) -> Result<ShownRecord, OpsError> {
    let stored = load_article(store, pmid)?.ok_or_else(|| not_found(pmid))?;
    // (Read from the record just loaded: reading it again would parse its XML twice.)
    let findings = if stored.has_data {
        read_study_findings(matcher, &TagInput::from_article(&stored.article))
    } else {
        Findings::default()
    };
    Ok(ShownRecord {
        stored,
        tags: record_tags(store, pmid)?,
        facts: record_facts(store, pmid)?,
        findings,
        manual_decisions: manual_decisions(store, pmid)?,
        cited_by: claims_citing(store, pmid)?,
    })
}

/// The original PubMed XML of the record `pmid`, as imported. A record without any (a
/// deletion naming a PMID the catalogue never had data for) is not found either: there is no
/// XML to print.
pub fn original_xml(store: &Store, pmid: u64) -> Result<Vec<u8>, OpsError> {
    load_article(store, pmid)?.ok_or_else(|| not_found(pmid))?;
    match raw_xml(store, pmid)? {
        Some(xml) if !xml.is_empty() => Ok(xml),
        _ => Err(OpsError::NotFound(format!(
            "no XML is stored for PMID {pmid}: the catalogue only knows that PubMed deleted it \
             (`evcat show {pmid}` shows what is known)"
        ))),
    }
}

/// The earlier versions of record `pmid` the catalogue kept, newest first (the workbench's record
/// page; `show` prints only their number).
pub fn revision_history(
    store: &Store,
    pmid: u64,
) -> Result<Vec<crate::store::articles::RevisionEntry>, OpsError> {
    Ok(crate::store::articles::revision_history(store, pmid)?)
}
