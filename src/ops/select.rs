//! Which records a search, an export or a report covers: the options as a front end received
//! them ([`SelectionOptions`]), checked once into a [`Selection`] (year range, tag ids against the
//! active taxonomy, `DIMENSION:TAG` strings), and the records it selects: a search (query and
//! filters), a claim's linked evidence, or both (the claim's evidence that matches the search).

use crate::claims::record::{ClaimError, require};
use crate::export::{ExportRecord, ExportStance};
use crate::store::Store;
use crate::store::articles::load_article;
use crate::store::search::{FindError, FindFilters, QueryError, YearRange, find_pmids};
use crate::store::tags::record_tags;

use super::{Context, OpsError};

/// A selection as the user gave it: the query and the filter values as written, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct SelectionOptions {
    /// The query (may be empty).
    pub query: String,
    /// Publication years as written: `2015`, `2010..2020`, `2010..` or `..2020`.
    pub years: Option<String>,
    /// Journal title or abbreviation contains this (case-insensitive).
    pub journal: Option<String>,
    /// An author's name has these words (`--author`).
    pub author: Option<String>,
    /// Publication type (case-insensitive).
    pub publication_type: Option<String>,
    /// MeSH descriptor name or UI.
    pub mesh: Option<String>,
    /// Leave out records deleted from PubMed.
    pub exclude_deleted: bool,
    /// Tag ids wanted, per dimension (`("design", ["rct"])`), checked in this order.
    pub tags_by_dimension: Vec<(String, Vec<String>)>,
    /// Tags written as `DIMENSION:TAG`, checked after [`Self::tags_by_dimension`].
    pub dimension_tags: Vec<String>,
    /// Only records whose design has at least this evidence level.
    pub min_level: Option<i64>,
    /// Only records with at least this many participants, as written (`--min-participants`).
    pub min_participants: Option<String>,
    /// Only records with at most this many participants, as written (`--max-participants`).
    pub max_participants: Option<String>,
    /// Only records followed up for at least this long, as written (`--min-follow-up 6mo`).
    pub min_follow_up: Option<String>,
    /// A claim whose linked evidence is selected.
    pub claim: Option<String>,
}

impl SelectionOptions {
    /// Whether the user narrowed the records at all (a query or any filter; the claim does not
    /// count).
    pub fn narrowed(&self) -> bool {
        !self.query.trim().is_empty()
            || self.years.is_some()
            || self.journal.is_some()
            || self.author.is_some()
            || self.publication_type.is_some()
            || self.mesh.is_some()
            || self.exclude_deleted
            || self.tags_by_dimension.iter().any(|(_, v)| !v.is_empty())
            || !self.dimension_tags.is_empty()
            || self.min_level.is_some()
            || self.min_participants.is_some()
            || self.max_participants.is_some()
            || self.min_follow_up.is_some()
    }
}

/// Checks the options: the query, the year range, the author, then the tags. A wrong value is
/// an [`OpsError::Usage`] naming the query or the flag.
pub fn check_selection(ctx: &Context, options: &SelectionOptions) -> Result<Selection, OpsError> {
    crate::store::search::fts_query(&options.query)
        .map_err(|e| search_error(&options.query, FindError::Query(e)))?;
    Ok(Selection {
        query: options.query.clone(),
        filters: check_filters(ctx, options)?,
        narrowed: options.narrowed(),
        claim: options.claim.clone(),
    })
}

/// The filters of the options, checked (year range, tag ids against the active taxonomy).
pub fn check_filters(ctx: &Context, options: &SelectionOptions) -> Result<FindFilters, OpsError> {
    let years = options
        .years
        .as_deref()
        .map(|y| y.parse::<YearRange>())
        .transpose()
        .map_err(|e| OpsError::Usage(format!("--year: {e}")))?;
    if let Some(name) = &options.author
        && !name.chars().any(char::is_alphanumeric)
    {
        return Err(OpsError::Usage(format!(
            "--author {name:?}: give a name, e.g. --author Paoloni or --author \"O'Brien\""
        )));
    }
    let mut wanted: Vec<(String, String)> = Vec::new();
    for (dimension, values) in &options.tags_by_dimension {
        wanted.extend(values.iter().map(|v| (dimension.clone(), v.clone())));
    }
    for t in &options.dimension_tags {
        let (d, v) = t.split_once(':').ok_or_else(|| {
            OpsError::Usage(format!(
                "--tag {t:?}: write DIMENSION:TAG, e.g. condition:sciatica"
            ))
        })?;
        wanted.push((d.to_string(), v.to_string()));
    }
    let participants = |flag: &str, value: &Option<String>| -> Result<Option<u64>, OpsError> {
        value
            .as_deref()
            .map(|v| {
                v.trim().parse::<u64>().map_err(|_| {
                    OpsError::Usage(format!(
                        "{flag} {v:?}: give a whole number of participants, e.g. {flag} 100"
                    ))
                })
            })
            .transpose()
    };
    let min_participants = participants("--min-participants", &options.min_participants)?;
    let max_participants = participants("--max-participants", &options.max_participants)?;
    if let (Some(lo), Some(hi)) = (min_participants, max_participants)
        && lo > hi
    {
        return Err(OpsError::Usage(format!(
            "--min-participants {lo} is more than --max-participants {hi}: no record can match"
        )));
    }
    let min_follow_up_days = options
        .min_follow_up
        .as_deref()
        .map(|v| {
            parse_duration_days(v).ok_or_else(|| {
                OpsError::Usage(format!(
                    "--min-follow-up {v:?}: give a number and a unit: days (90d), weeks (26w), months (6mo, 6m, \"12 months\") or years (1y)"
                ))
            })
        })
        .transpose()?;
    Ok(FindFilters {
        min_participants,
        max_participants,
        min_follow_up_days,
        years,
        journal: options.journal.clone(),
        author: options.author.clone(),
        publication_type: options.publication_type.clone(),
        mesh: options.mesh.clone(),
        exclude_deleted: options.exclude_deleted,
        tags: check_tag_filters(ctx, wanted)?,
        min_level: options.min_level,
    })
}

/// A duration as `--min-follow-up` takes it, in days (a month is 30.44 days, a year 365.25, as
/// for stored follow-up): a number, optional space, and a unit: `d`/`day(s)`, `w`/`wk`/`week(s)`,
/// `m`/`mo`/`month(s)`, `y`/`yr`/`year(s)`. `None` when it is not one.
pub fn parse_duration_days(text: &str) -> Option<f64> {
    let text = text.trim().to_ascii_lowercase();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let unit = match unit.trim() {
        "d" | "day" | "days" => "day",
        "w" | "wk" | "wks" | "week" | "weeks" => "week",
        "m" | "mo" | "mos" | "month" | "months" => "month",
        "y" | "yr" | "yrs" | "year" | "years" => "year",
        _ => return None,
    };
    Some(number * crate::abstracts::facts::days_per(unit)?)
}

/// Checks tag filters `(dimension, tag)` against the active taxonomy (the taxonomy is read only
/// when there are any).
pub fn check_tag_filters(
    ctx: &Context,
    wanted: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, OpsError> {
    if wanted.is_empty() {
        return Ok(wanted);
    }
    let taxonomy = ctx.taxonomy()?;
    for (d, v) in &wanted {
        if taxonomy.dimension(d).is_none() {
            return Err(OpsError::Usage(format!("unknown dimension {d:?}")));
        }
        if taxonomy.tag(d, v).is_none() {
            let known: Vec<&str> = taxonomy.tags_of(d).map(|t| t.id.as_str()).collect();
            return Err(OpsError::Usage(format!(
                "unknown {d} tag {v:?}; known: {}",
                known.join(", ")
            )));
        }
    }
    Ok(wanted)
}

/// A selection of records, checked.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The query (may be empty).
    pub query: String,
    /// The filters, already checked.
    pub filters: FindFilters,
    /// Whether the user narrowed the records at all (a query or any filter).
    pub narrowed: bool,
    /// A claim whose linked evidence is selected.
    pub claim: Option<String>,
}

/// The records a selection picks, in order, and a claim's stance on each of them (a claim
/// selection): 8 bytes a record, whatever the catalogue's size.
#[derive(Debug, Clone, Default)]
pub struct Selected {
    /// The PMIDs, in order.
    pub pmids: Vec<u64>,
    /// The claim's stance on each linked record (empty without a claim).
    pub stances: std::collections::HashMap<u64, ExportStance>,
}

impl Selected {
    /// Each PMID with the claim's stance on it, in order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, Option<&ExportStance>)> {
        self.pmids.iter().map(|p| (*p, self.stances.get(p)))
    }
}

/// The PMIDs selected, in order, with the claim stance of each when a claim is given.
pub fn select(store: &Store, selection: &Selection) -> Result<Selected, OpsError> {
    let filtered = if selection.claim.is_none() || selection.narrowed {
        Some(
            find_pmids(store, &selection.query, &selection.filters)
                .map_err(|e| search_error(&selection.query, e))?,
        )
    } else {
        None
    };
    let Some(id) = &selection.claim else {
        return Ok(Selected {
            pmids: filtered.unwrap_or_default(),
            stances: Default::default(),
        });
    };
    let claim = require(store, id).map_err(|e| match e {
        ClaimError::Store(e) => OpsError::Store(e),
        other => OpsError::NotFound(other.to_string()),
    })?;
    let allowed: Option<std::collections::HashSet<u64>> = filtered.map(|v| v.into_iter().collect());
    let mut selected = Selected::default();
    for l in claim
        .links
        .iter()
        .filter(|l| allowed.as_ref().is_none_or(|a| a.contains(&l.pmid)))
    {
        selected.pmids.push(l.pmid);
        selected.stances.insert(
            l.pmid,
            ExportStance {
                claim: claim.id.clone(),
                stance: l.stance.clone(),
                note: l.note.clone(),
            },
        );
    }
    Ok(selected)
}

/// One record with its tags and facts, for export and reports.
pub fn export_record(
    store: &Store,
    pmid: u64,
    stance: Option<ExportStance>,
) -> Result<Option<ExportRecord>, OpsError> {
    let Some(stored) = load_article(store, pmid)? else {
        return Ok(None);
    };
    let tags = record_tags(store, pmid)?;
    Ok(Some(ExportRecord {
        stored,
        tags,
        facts: crate::store::facts::record_facts(store, pmid)?,
        stance,
    }))
}

/// A search error in words: a bad query or filter is a usage error naming the query.
pub fn search_error(query: &str, e: FindError) -> OpsError {
    match e {
        FindError::Query(q @ QueryError::FilterTooLong { .. }) => OpsError::Usage(q.to_string()),
        FindError::Query(q) => OpsError::Usage(format!(
            "query {:?}: {q}",
            crate::output::text::truncate(query, 80)
        )),
        FindError::Store(e) => OpsError::Store(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::context::ContextOptions;

    #[test]
    fn only_a_query_or_a_filter_narrows_a_selection() {
        let mut options = SelectionOptions {
            query: "  ".into(),
            tags_by_dimension: vec![("design".into(), vec![])],
            claim: Some("pp".into()),
            ..SelectionOptions::default()
        };
        assert!(!options.narrowed(), "blank query, no tags, a claim");
        options.tags_by_dimension[0].1.push("rct".into());
        assert!(options.narrowed());
    }

    #[test]
    fn filters_are_checked_in_order_and_kept_as_given() {
        let ctx = Context::new(ContextOptions::default());
        let usage = |options: &SelectionOptions| match check_filters(&ctx, options) {
            Err(OpsError::Usage(m)) => m,
            other => panic!("{other:?}"),
        };
        let mut options = SelectionOptions {
            years: Some("20x0".into()),
            tags_by_dimension: vec![("design".into(), vec!["nope".into()])],
            dimension_tags: vec!["no-colon".into()],
            ..SelectionOptions::default()
        };
        assert!(usage(&options).starts_with("--year: "));
        options.years = Some("2010..".into());
        assert!(usage(&options).starts_with("--tag \"no-colon\": write DIMENSION:TAG"));
        options.dimension_tags = vec!["route:intradiscal".into()];
        assert!(usage(&options).starts_with("unknown design tag \"nope\"; known: "));
        options.tags_by_dimension[0].1 = vec!["rct".into()];
        let filters = check_filters(&ctx, &options).unwrap();
        assert_eq!(
            filters.tags,
            [
                ("design".to_string(), "rct".to_string()),
                ("route".to_string(), "intradiscal".to_string())
            ]
        );
        assert!(filters.years.is_some());
    }

    #[test]
    fn follow_up_durations_in_days() {
        assert_eq!(parse_duration_days("90d"), Some(90.0));
        assert_eq!(parse_duration_days("26w"), Some(182.0));
        assert_eq!(parse_duration_days("6mo"), parse_duration_days("6m"));
        assert_eq!(parse_duration_days("12 months"), Some(12.0 * 30.44));
        assert_eq!(parse_duration_days("1y"), Some(365.25));
        assert_eq!(parse_duration_days("1.5 Years"), Some(1.5 * 365.25));
        for bad in ["", "6", "mo", "six months", "6 fortnights", "-3d", "1e3d"] {
            assert_eq!(parse_duration_days(bad), None, "{bad:?}");
        }
    }
}
