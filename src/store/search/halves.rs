//! A ranked search read in two halves of the PMIDs at once, on two connections.
//!
//! Ranking a common word's matches is most of what a search costs at a million records
//! (`pain OR function`: 257,000 matches, each match's positions read to rank it), and it is
//! work one core does while the other waits. The best records of a selection are the best of
//! the best of each half of its PMIDs, so a second connection ranks the upper half on another
//! thread while the search's own ranks the lower one: the same `evcat_bm25` over the same
//! index (its statistics are the whole index's on both), each keeping the page's first
//! `offset + limit`; the two lists are merged in the selection's order (rank, then PMID). The
//! records, their ranks and the count are those one connection gives.
//!
//! Both connections read the same catalogue (`shared_view`); without a shared view the search
//! is ranked on its own connection alone.
//!
//! On the scale benchmark's catalogue (1M records, 2 cores), ranked in the process: `ozone`
//! (75,166 matches) 30 -> 25 ms, `pain OR function` (257,244) 68 -> 55 ms. The two halves do not
//! run at twice the speed of one: each connection first reads the whole index's statistics for
//! the query's words (8 ms of the 55 for `pain OR function`), and each looked its records'
//! lengths up in FTS5's `docsize` table, each connection reading those pages into its own cache
//! (a quarter of a search's samples; since schema 19 the lengths are kept beside the index and
//! read 1,024 at a time: `ozone` 33 -> 20 ms whole process). Claim suggestions do not use it:
//! their eight words cost each connection their statistics again (0.60 s of CPU against 0.50),
//! and their other core is busy compiling.

use std::sync::Arc;
use std::thread;

use rusqlite::types::Value;

use super::shared_view::shared_view;
use super::{FindError, INDEX_ALONE, RankedRows, Selection, ranked_rows};
use crate::store::Store;
use crate::store::rank::{RankedCount, middle_pmid};

/// What [`in_halves`] did on each half.
pub(super) struct Halves<T> {
    /// On the PMIDs below the middle, on the search's own connection.
    pub lower: T,
    /// On the PMIDs from the middle on, on the second connection.
    pub upper: T,
    /// What the second connection ranked meanwhile.
    pub upper_ranked: Arc<RankedCount>,
}

/// Runs `half` at once on two halves of the catalogue's PMIDs: on those below its middle PMID
/// on `store`'s connection, and on the rest on a second connection that shares its view. Each
/// call is given its connection and its PMIDs, `[from, to)`. `None` when there is no shared view
/// (see `shared_view`; `from_records` is its threshold) or all the records' lengths share one
/// row (no middle).
pub(super) fn in_halves<T: Send>(
    store: &Store,
    from_records: u64,
    half: impl Fn(&Store, i64, i64) -> Result<T, FindError> + Sync,
) -> Result<Option<Halves<T>>, FindError> {
    let Some((other, view)) = shared_view(store, from_records)? else {
        return Ok(None);
    };
    let Some(middle) = middle_pmid(store.conn())? else {
        return Ok(None);
    };
    let upper_ranked = Arc::clone(&other.ranked);
    let half = &half;
    let (lower, upper) = thread::scope(|scope| {
        let upper = scope.spawn(move || half(&other, middle, i64::MAX));
        let lower = half(store, i64::MIN, middle);
        let upper = upper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (lower, upper)
    });
    drop(view);
    Ok(Some(Halves {
        lower: lower?,
        upper: upper?,
        upper_ranked,
    }))
}

/// `selection`'s page, ranked in two halves at once (see the module doc); `None` when it is
/// ranked on one connection: a selection that is not a ranked page over the index alone, an
/// empty page, or not run [`in_halves`].
pub(super) fn ranked_in_halves(
    store: &Store,
    selection: &Selection,
    from_records: u64,
) -> Result<Option<RankedRows>, FindError> {
    let Some((limit, offset)) = selection.page else {
        return Ok(None);
    };
    if selection.pmid != INDEX_ALONE || limit == 0 {
        return Ok(None);
    }
    // (The selection's own statement, each half keeping the first `offset + limit`.)
    let wanted = offset.saturating_add(limit);
    let sql = ranked_in_range(selection, &selection.score, wanted);
    let params = range_params(selection, &selection.params[0]);
    let Some(halves) = in_halves(store, from_records, |store, from, to| {
        ranked_rows(store.conn(), &sql, params(from, to).iter())
    })?
    else {
        return Ok(None);
    };
    store.ranked().add(&halves.upper_ranked);
    Ok(Some(merged(halves.lower, halves.upper, offset, limit)))
}

/// A selection's statement ranked by `score` over the PMIDs `[from, to)` (its last two
/// parameters, [`range_params`]), keeping the first `wanted`.
pub(super) fn ranked_in_range(selection: &Selection, score: &str, wanted: usize) -> String {
    format!(
        "SELECT {INDEX_ALONE}, {score} AS score {} ORDER BY score, {INDEX_ALONE} LIMIT {wanted}",
        in_range(selection)
    )
}

/// A selection's FROM ... WHERE over the PMIDs `[from, to)` (its last two parameters).
pub(super) fn in_range(selection: &Selection) -> String {
    format!(
        "{} AND {INDEX_ALONE} >= ?{} AND {INDEX_ALONE} < ?{}",
        selection.tail,
        selection.tail_params + 1,
        selection.tail_params + 2
    )
}

/// The parameters of a selection's statement [`in_range`], with its query (`?1`) `query`.
pub(super) fn range_params<'a>(
    selection: &'a Selection,
    query: &'a Value,
) -> impl Fn(i64, i64) -> Vec<Value> + Sync + 'a {
    move |from, to| {
        let mut params = selection.params[..selection.tail_params].to_vec();
        params[0] = query.clone();
        params.extend([from.into(), to.into()]);
        params
    }
}

/// Two halves' rows merged in a selection's order (rank, then PMID), and its page of them.
pub(super) fn merged(
    mut lower: RankedRows,
    upper: RankedRows,
    offset: usize,
    limit: usize,
) -> RankedRows {
    lower.extend(upper);
    lower.sort_by(|a, b| {
        let rank = |r: &(u64, Option<f64>)| r.1.unwrap_or(f64::INFINITY);
        rank(a).total_cmp(&rank(b)).then(a.0.cmp(&b.0))
    });
    lower.into_iter().skip(offset).take(limit).collect()
}

#[cfg(test)]
pub(in crate::store::search) mod tests {
    use super::*;
    use crate::store::rank::tests::catalogue_every;
    use crate::store::search::{FindFilters, Page, SearchOrder};

    /// A page of `query`, ranked by relevance, without filters.
    pub(in crate::store::search) fn selection(
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Selection {
        let page = Page {
            limit,
            offset,
            order: SearchOrder::Relevance,
        };
        Selection::build_page(query, &FindFilters::default(), Some(page), false).unwrap()
    }

    /// (Ranked, counted.)
    pub(in crate::store::search) type Counted = (RankedRows, u64);

    /// `selection` ranked and counted on `store`'s connection alone.
    pub(in crate::store::search) fn on_one_connection(
        store: &Store,
        selection: &Selection,
    ) -> Counted {
        store.ranked().reset();
        let ranked = ranked_rows(
            store.conn(),
            &selection.ranked_sql(),
            selection.params.iter(),
        )
        .unwrap();
        (ranked, store.ranked().get())
    }

    fn in_halves(store: &Store, selection: &Selection) -> Option<Counted> {
        store.ranked().reset();
        let ranked = ranked_in_halves(store, selection, 0).unwrap()?;
        Some((ranked, store.ranked().get()))
    }

    #[test]
    fn the_halves_give_the_records_ranks_and_count_one_connection_does() {
        // PMIDs 97 to 29,100: 15 rows of length bytes, so the halves meet near PMID 14,336;
        // records 201-300 repeat the texts of 1-100, so records ranked alike sit in both.
        let (_dir, store) = catalogue_every(97);
        for query in [
            "ozone",
            "pain OR therapy",
            "ozone pain",
            "\"lumbar disc\"",
            "sciatica NOT steroid",
            "title:trial",
        ] {
            for (limit, offset) in [(5, 0), (7, 3), (20, 0), (1000, 0), (10, 290)] {
                let selection = selection(query, limit, offset);
                let one = on_one_connection(&store, &selection);
                let halves = in_halves(&store, &selection).expect("ranked in halves");
                assert_eq!(halves, one, "{query}, {limit} from {offset}");
                if offset == 0 {
                    assert!(!one.0.is_empty() && one.1 > 0, "{query} finds records");
                }
            }
        }
    }

    #[test]
    fn a_search_in_a_transaction_or_a_small_catalogue_is_ranked_on_its_connection() {
        let (_dir, store) = catalogue_every(97);
        let selection = selection("ozone", 5, 0);
        assert!(ranked_in_halves(&store, &selection, 301).unwrap().is_none());
        {
            let _view = store.read_snapshot().unwrap();
            assert!(ranked_in_halves(&store, &selection, 0).unwrap().is_none());
        }
        // (Newest first, without words: not ranked.)
        let newest = Selection::build_page(
            "",
            &FindFilters::default(),
            Some(Page {
                limit: 5,
                offset: 0,
                order: SearchOrder::Newest,
            }),
            false,
        )
        .unwrap();
        assert!(ranked_in_halves(&store, &newest, 0).unwrap().is_none());
        assert!(ranked_in_halves(&store, &selection, 0).unwrap().is_some());
    }

    #[test]
    fn one_row_of_lengths_is_not_split() {
        // (PMIDs 1 to 300: one row of length bytes, no middle.)
        let (_dir, store) = catalogue_every(1);
        assert!(
            ranked_in_halves(&store, &selection("ozone", 5, 0), 0)
                .unwrap()
                .is_none()
        );
    }
}
