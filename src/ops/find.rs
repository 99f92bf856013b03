//! `find`: search the catalogue (full text, ranked by BM25) with filters checked by
//! [`super::select::check_selection`].

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::cache::{AnswerCache, CatalogueGeneration};
use super::select::{Selection, search_error};
use super::{Context, OpsError};
use crate::store::Store;
use crate::store::search::{
    FindHit, Page, SearchOrder, check_query, count, facet_counts, find, find_page, find_pmids_page,
    hits_of, query_plan,
};
use crate::store::search_index::{PhraseHits, SearchIndex};
use crate::store::tags::{StoredTag, record_tags};

/// A search.
#[derive(Debug, Clone, Default)]
pub struct FindOptions {
    /// The query (may be empty: every record) and the filters, already checked.
    pub selection: Selection,
    /// At most this many hits.
    pub limit: usize,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct Found {
    /// The first hits, best first (serialise as `evcat find --format json`).
    pub hits: Vec<FindHit>,
    /// How many records match in all (at least `hits.len()`).
    pub total: u64,
}

/// The hits, best first, and how many match in all. `--limit 0` is a usage error.
pub fn find_records(store: &Store, options: &FindOptions) -> Result<Found, OpsError> {
    if options.limit == 0 {
        return Err(OpsError::Usage(
            "--limit 0 shows nothing: give 1 or more (the default is 20)".into(),
        ));
    }
    let selection = &options.selection;
    let error = |e| search_error(&selection.query, e);
    let hits = find(store, &selection.query, &selection.filters, options.limit).map_err(error)?;
    let total = if hits.len() < options.limit {
        hits.len() as u64
    } else {
        count(store, &selection.query, &selection.filters).map_err(error)?
    };
    Ok(Found { hits, total })
}

/// A page of search results as a browser shows them: the hits with their tags, how many match
/// in all, and the facets of every match (`evcat serve`'s search page).
#[derive(Debug, Clone)]
pub struct SearchPage {
    /// This page's hits, each with its effective tags.
    pub hits: Vec<(FindHit, Vec<StoredTag>)>,
    /// How many records match in all.
    pub total: u64,
    /// Each facet value with how many matching records have it: `(dimension, value, count)`,
    /// where the dimension is a taxonomy dimension, `year` or `type`.
    pub facets: Vec<(String, String, u64)>,
    /// When more than [`FACET_SAMPLE`] records match, the facets count only the first
    /// [`FACET_SAMPLE`] in the page's order: `Some(FACET_SAMPLE)` then.
    pub facets_of_first: Option<usize>,
}

/// Most matches the facets count: beyond it they count the first this many (in the page's
/// order), so a search of a million records answers as fast as one of thousands.
pub const FACET_SAMPLE: usize = 5_000;

/// What a search page asks for.
#[derive(Debug, Clone, Default)]
pub struct SearchPageOptions {
    /// The query and filters, checked.
    pub selection: Selection,
    /// 1-based page number.
    pub page: usize,
    /// Hits per page (1 to 100).
    pub per_page: usize,
    /// The order.
    pub order: SearchOrder,
}

/// Most hits one page shows.
pub const MAX_PER_PAGE: usize = 100;

/// One page of a search, with the facets of its matches (of the first [`FACET_SAMPLE`] when more
/// match). The search is ranked once: the first [`FACET_SAMPLE`] PMIDs give both the facets and
/// any page among them; the ranking and facets are kept in `cache` for the catalogue's current
/// generation, so another page of the same search, or the same search asked again before
/// anything changed, only reads its page's records.
pub fn search_page(
    ctx: &Context,
    store: &Store,
    options: &SearchPageOptions,
    cache: &SearchCache,
) -> Result<SearchPage, OpsError> {
    check_page(options)?;
    // (The checked selection and the order say everything the ranking depends on.)
    let key = format!("{:?} {:?}", options.selection, options.order);
    let ranked = cache
        .ranked
        .get_or_compute(ctx, &key, || rank_search(ctx, store, options, cache))?;
    page_of(store, options, &ranked)
}

/// A search ranked once: the first [`FACET_SAMPLE`] PMIDs in the page's order, how many match in
/// all, and the facets of those PMIDs.
#[derive(Debug, Clone)]
pub struct RankedSearch {
    first: Vec<u64>,
    total: u64,
    facets: Vec<(String, String, u64)>,
}

/// What a long-running front end keeps for searches, for the catalogue's current generation
/// (see [`search_page`]): the rankings of searches asked, and the in-memory index that answers
/// new ones ([`SearchIndex`]) with the matches of each phrase asked.
pub struct SearchCache {
    ranked: AnswerCache<String, RankedSearch>,
    index: AnswerCache<(), Option<IndexOfGeneration>>,
    /// Keyed by the index's serial number and the phrase (a phrase's hits are positions in
    /// the index they were found for).
    phrases: AnswerCache<(u64, String), PhraseHits>,
}

/// Most phrases whose matches are kept (each holds 12 bytes per match: 48 of the commonest
/// words of a 300,000-record catalogue take about 100 MB).
const PHRASES_KEPT: usize = 48;

struct IndexOfGeneration {
    serial: u64,
    index: SearchIndex,
}

impl SearchCache {
    /// Keeps at most `capacity` rankings for `generation`'s current generation.
    pub fn new(generation: Arc<CatalogueGeneration>, capacity: usize) -> SearchCache {
        SearchCache {
            ranked: AnswerCache::new(Arc::clone(&generation), capacity),
            index: AnswerCache::new(Arc::clone(&generation), 1),
            phrases: AnswerCache::new(generation, PHRASES_KEPT),
        }
    }
}

/// Reads the catalogue into `cache`'s search index now, so that the first searches do not wait
/// for it (a server calls this before it takes requests). Nothing is kept when the catalogue
/// cannot tell its generation.
pub fn prepare_searches(ctx: &Context, cache: &SearchCache) -> Result<(), OpsError> {
    let store = ctx
        .open_store_read()
        .map_err(|e| OpsError::Failed(e.to_string()))?;
    index_of(ctx, &store, cache).map(|_| ())
}

/// The search index of the catalogue's current generation, loaded when not kept.
fn index_of(
    ctx: &Context,
    store: &Store,
    cache: &SearchCache,
) -> Result<Arc<Option<IndexOfGeneration>>, OpsError> {
    static SERIAL: AtomicU64 = AtomicU64::new(0);
    cache.index.get_or_compute(ctx, &(), || {
        Ok(SearchIndex::load(store)?.map(|index| IndexOfGeneration {
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
            index,
        }))
    })
}

fn check_page(options: &SearchPageOptions) -> Result<(), OpsError> {
    if !(1..=MAX_PER_PAGE).contains(&options.per_page) {
        return Err(OpsError::Usage(format!(
            "results per page must be 1 to {MAX_PER_PAGE}"
        )));
    }
    if options.page == 0 {
        return Err(OpsError::Usage("pages are numbered from 1".into()));
    }
    Ok(())
}

fn rank_search(
    ctx: &Context,
    store: &Store,
    options: &SearchPageOptions,
    cache: &SearchCache,
) -> Result<RankedSearch, OpsError> {
    let selection = &options.selection;
    let error = |e| search_error(&selection.query, e);
    if SearchIndex::answers(&selection.filters) {
        let index = index_of(ctx, store, cache)?;
        if let Some(IndexOfGeneration { serial, index }) = index.as_ref() {
            return rank_in_index(ctx, store, options, cache, (*serial, index));
        }
    }
    let first = find_pmids_page(
        store,
        &selection.query,
        &selection.filters,
        Page {
            limit: FACET_SAMPLE,
            offset: 0,
            order: options.order,
        },
    )
    .map_err(error)?;
    let total = if first.len() < FACET_SAMPLE {
        first.len() as u64
    } else {
        count(store, &selection.query, &selection.filters).map_err(error)?
    };
    let facets = facet_counts(store, &first)?;
    Ok(RankedSearch {
        first,
        total,
        facets,
    })
}

/// [`rank_search`] answered by the index (the same answer as SQL's, see [`SearchIndex`]).
fn rank_in_index(
    ctx: &Context,
    store: &Store,
    options: &SearchPageOptions,
    cache: &SearchCache,
    (serial, index): (u64, &SearchIndex),
) -> Result<RankedSearch, OpsError> {
    let selection = &options.selection;
    let error = |e| search_error(&selection.query, e);
    selection.filters.check().map_err(|e| error(e.into()))?;
    let plan = query_plan(&selection.query).map_err(|e| error(e.into()))?;
    let mut phrases = Vec::new();
    if let Some(plan) = &plan {
        // (Refused as SQL refuses it: FTS5 may not parse an intricate whole.)
        check_query(store, &selection.query).map_err(error)?;
        for phrase in &plan.phrases {
            phrases.push(
                cache
                    .phrases
                    .get_or_compute(ctx, &(serial, phrase.clone()), || {
                        index.phrase_hits(store, phrase).map_err(error)
                    })?,
            );
        }
    }
    let ranked = index.rank(
        plan.as_ref().map(|p| (p, phrases.as_slice())),
        &selection.filters,
        options.order,
        FACET_SAMPLE,
    );
    let facets = index.facet_counts(&ranked.first);
    Ok(RankedSearch {
        first: ranked.first,
        total: ranked.total,
        facets,
    })
}

fn page_of(
    store: &Store,
    options: &SearchPageOptions,
    ranked: &RankedSearch,
) -> Result<SearchPage, OpsError> {
    let selection = &options.selection;
    let first = &ranked.first;
    let offset = (options.page - 1).saturating_mul(options.per_page);
    let found = if offset + options.per_page <= first.len() || first.len() < FACET_SAMPLE {
        let end = (offset + options.per_page).min(first.len());
        hits_of(store, first.get(offset..end).unwrap_or(&[]))?
    } else {
        let page = Page {
            limit: options.per_page,
            offset,
            order: options.order,
        };
        find_page(store, &selection.query, &selection.filters, page)
            .map_err(|e| search_error(&selection.query, e))?
    };
    let hits = found
        .into_iter()
        .map(|hit| Ok((record_tags(store, hit.pmid)?, hit)))
        .collect::<Result<Vec<_>, crate::store::StoreError>>()?
        .into_iter()
        .map(|(tags, hit)| (hit, tags))
        .collect();
    Ok(SearchPage {
        hits,
        total: ranked.total,
        facets: ranked.facets.clone(),
        facets_of_first: (ranked.total > FACET_SAMPLE as u64).then_some(FACET_SAMPLE),
    })
}
