//! `find`: search the catalogue (full text, ranked by BM25) with filters checked by
//! [`super::select::check_selection`].

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, TryLockError};

use super::cache::{AnswerCache, CatalogueGeneration, lock};
use super::select::{Selection, search_error};
use super::{Context, OpsError};
use crate::store::Store;
use crate::store::cancel::outside_any_scope;
use crate::store::search::{
    FindHit, Page, SearchOrder, check_query, count, facet_counts, find_counted, find_page,
    find_pmids_page, hits_of, query_plan,
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
    let (hits, total) =
        find_counted(store, &selection.query, &selection.filters, options.limit).map_err(error)?;
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
    /// Answered from the catalogue as it was just before a change another process made a
    /// moment ago (the new state is being read; see [`SearchCache`]).
    pub from_before_a_change: bool,
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
    let served = if SearchIndex::answers(&options.selection.filters) {
        Some(served_index(ctx, cache)?)
    } else {
        None
    };
    let (index, from_before_a_change) = match &served {
        Some((served, stale)) => (served.index.as_ref().map(|i| (served, i)), *stale),
        None => (None, false),
    };
    // (The checked selection, the order and the index answering say everything the ranking
    // depends on.)
    let key = format!(
        "{:?} {:?} {:?}",
        index.map(|(s, _)| s.serial),
        options.selection,
        options.order
    );
    let ranked = cache.ranked.get_or_compute(ctx, &key, || match index {
        Some((served, index)) => rank_in_index(ctx, store, options, served, index),
        None => rank_by_sql(store, options),
    })?;
    let mut page = page_of(store, options, &ranked)?;
    page.from_before_a_change = from_before_a_change;
    Ok(page)
}

/// A search ranked once: the first [`FACET_SAMPLE`] PMIDs in the page's order, how many match in
/// all, and the facets of those PMIDs.
#[derive(Debug, Clone)]
pub struct RankedSearch {
    first: Vec<u64>,
    total: u64,
    facets: Vec<(String, String, u64)>,
}

/// What a long-running front end keeps for searches (see [`search_page`]): the rankings of
/// searches asked, for the catalogue's current generation, and the in-memory index that answers
/// new ones ([`SearchIndex`]) with the matches of each phrase asked of it.
///
/// When the catalogue changes, the first search that sees it reads the new index (and the
/// phrases the previous one kept) and answers from it; searches asked meanwhile are answered
/// from the previous index, and say so ([`SearchPage::from_before_a_change`]), instead of all
/// waiting. A search after a change made through this front end ([`SearchCache::note_change`])
/// always waits for an index that holds it.
pub struct SearchCache {
    ranked: AnswerCache<String, RankedSearch>,
    generation: Arc<CatalogueGeneration>,
    /// The index searches are answered from.
    served: Mutex<Option<Arc<ServedIndex>>>,
    /// Held by the search reading a newer index.
    reading: Mutex<()>,
    /// The generation of the last change made through this front end.
    changed_here: AtomicI64,
}

/// Most phrases whose matches are kept (each holds 12 bytes per match: 48 of the commonest
/// words of a 300,000-record catalogue take about 100 MB).
const PHRASES_KEPT: usize = 48;

/// An index in service, with the generation of the catalogue it was read at (`None`: it could
/// not be told, and the index is not kept) and the matches of the phrases asked of it.
struct ServedIndex {
    serial: u64,
    generation: Option<i64>,
    /// `None` when the catalogue is too large to hold in memory: SQL answers.
    index: Option<SearchIndex>,
    phrases: AnswerCache<String, PhraseHits>,
}

impl SearchCache {
    /// Keeps at most `capacity` rankings for `generation`'s current generation.
    pub fn new(generation: Arc<CatalogueGeneration>, capacity: usize) -> SearchCache {
        SearchCache {
            ranked: AnswerCache::new(Arc::clone(&generation), capacity),
            generation,
            served: Mutex::new(None),
            reading: Mutex::new(()),
            changed_here: AtomicI64::new(i64::MIN),
        }
    }

    /// Says that a change was just made through this front end: the next searches wait for an
    /// index that holds it rather than answer from an earlier one.
    pub fn note_change(&self, ctx: &Context) {
        if let Some(generation) = self.generation.current(ctx) {
            self.changed_here.fetch_max(generation, Ordering::SeqCst);
        }
    }
}

/// Reads the catalogue into `cache`'s search index now, so that the first searches do not wait
/// for it (a server calls this before it takes requests).
pub fn prepare_searches(ctx: &Context, cache: &SearchCache) -> Result<(), OpsError> {
    served_index(ctx, cache).map(|_| ())
}

/// The index to answer a search from, and whether it is from before the catalogue's last change
/// (see [`SearchCache`]).
fn served_index(ctx: &Context, cache: &SearchCache) -> Result<(Arc<ServedIndex>, bool), OpsError> {
    let current = |served: &Option<Arc<ServedIndex>>, generation: Option<i64>| {
        served
            .as_ref()
            .filter(|s| generation.is_some() && s.generation == generation)
            .cloned()
    };
    let generation = cache.generation.current(ctx);
    let served = lock(&cache.served).clone();
    if let Some(s) = current(&served, generation) {
        return Ok((s, false));
    }
    let _reading = match cache.reading.try_lock() {
        Ok(guard) => guard,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        Err(TryLockError::WouldBlock) => {
            // Another search is reading the new index: answer from the one in service, unless
            // it misses a change made here.
            let floor = cache.changed_here.load(Ordering::SeqCst);
            if let Some(s) = served.filter(|s| s.generation.is_some_and(|g| g >= floor)) {
                return Ok((s, true));
            }
            lock(&cache.reading)
        }
    };
    // (The index may have been read while this search waited.)
    let generation = cache.generation.current(ctx);
    let previous = lock(&cache.served).clone();
    if let Some(s) = current(&previous, generation) {
        return Ok((s, false));
    }
    let fresh = Arc::new(read_index(ctx, generation, previous.as_deref())?);
    if generation.is_some() {
        *lock(&cache.served) = Some(Arc::clone(&fresh));
    }
    Ok((fresh, false))
}

/// Reads the index of the catalogue as it is now, with the phrases `previous` kept (so that the
/// searches asked before the change are as quick after it). Not stopped when the search that
/// reads it is abandoned: the others wait for it.
fn read_index(
    ctx: &Context,
    generation: Option<i64>,
    previous: Option<&ServedIndex>,
) -> Result<ServedIndex, OpsError> {
    static SERIAL: AtomicU64 = AtomicU64::new(0);
    let store =
        outside_any_scope(|| ctx.open_store_read()).map_err(|e| OpsError::Failed(e.to_string()))?;
    let served = ServedIndex {
        serial: SERIAL.fetch_add(1, Ordering::Relaxed),
        generation,
        index: SearchIndex::load(&store)?,
        phrases: AnswerCache::lasting(PHRASES_KEPT),
    };
    if let (Some(index), Some(previous)) = (&served.index, previous) {
        // (The least recently asked first, so that the kept order stays. One that fails is
        // asked again by the first search that needs it.)
        for phrase in previous.phrases.questions().into_iter().rev() {
            let _ = served.phrases.get_or_compute(ctx, &phrase, || {
                index
                    .phrase_hits(&store, &phrase)
                    .map_err(|e| search_error(&phrase, e))
            });
        }
    }
    Ok(served)
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

fn rank_by_sql(store: &Store, options: &SearchPageOptions) -> Result<RankedSearch, OpsError> {
    let selection = &options.selection;
    let error = |e| search_error(&selection.query, e);
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

/// [`rank_by_sql`]'s answer, from the index (see [`SearchIndex`]).
fn rank_in_index(
    ctx: &Context,
    store: &Store,
    options: &SearchPageOptions,
    served: &ServedIndex,
    index: &SearchIndex,
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
            phrases.push(served.phrases.get_or_compute(ctx, phrase, || {
                index.phrase_hits(store, phrase).map_err(error)
            })?);
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
        from_before_a_change: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::context::ContextOptions;
    use crate::store::import::import_stream;
    use crate::store::tags::set_manual_tag;

    #[test]
    fn searches_during_a_reread_answer_from_before_the_change_except_after_a_change_made_here() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalogue.sqlite");
        let mut writer = Store::open(&path).unwrap();
        let mut import = |xml: &str| {
            import_stream(&mut writer, xml.as_bytes(), "test", None, &mut |_| {}).unwrap();
        };
        import(include_str!("../../fixtures/ozone-back-pain.xml"));
        let ctx = Context::new(ContextOptions {
            db: Some(path.clone()),
            quiet: true,
            ..ContextOptions::default()
        });
        let cache = SearchCache::new(Arc::new(CatalogueGeneration::default()), 8);
        let search = |query: &str| {
            let store = ctx.open_store_read().unwrap();
            let options = SearchPageOptions {
                selection: Selection {
                    query: query.into(),
                    ..Selection::default()
                },
                page: 1,
                per_page: 20,
                order: SearchOrder::Relevance,
            };
            search_page(&ctx, &store, &options, &cache).unwrap()
        };
        prepare_searches(&ctx, &cache).unwrap();
        let before = search("multinational");
        assert_eq!((before.total, before.from_before_a_change), (0, false));

        // Another process imports a record that matches.
        import(include_str!("../../fixtures/full-elements.xml"));
        // While another search reads the new index, this one answers from the previous one.
        {
            let _another_is_reading = cache.reading.lock().unwrap();
            let meanwhile = search("multinational");
            assert_eq!((meanwhile.total, meanwhile.from_before_a_change), (0, true));
        }
        // The next search reads it (nobody else is) and finds the record.
        let after = search("multinational");
        assert_eq!((after.total, after.from_before_a_change), (1, false));
        assert_eq!(after.hits[0].0.pmid, 99000081);

        // A change made here: the next search waits for the index that holds it, even while
        // another search is reading one.
        let manual = ("condition", "facet-joint-syndrome");
        set_manual_tag(
            &mut writer,
            99000081,
            manual.0,
            manual.1,
            true,
            false,
            None,
            None,
            None,
        )
        .unwrap();
        cache.note_change(&ctx);
        let (taken, released) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let _another_is_reading = cache.reading.lock().unwrap();
                taken.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(200));
            });
            released.recv().unwrap();
            let page = search("multinational");
            assert!(!page.from_before_a_change);
            assert!(
                page.facets
                    .iter()
                    .any(|(d, t, n)| (d.as_str(), t.as_str(), *n) == (manual.0, manual.1, 1)),
                "{:?}",
                page.facets
            );
        });
    }
}
