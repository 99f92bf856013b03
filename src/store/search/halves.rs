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
//! Both connections must read the same catalogue. The search's own connection begins a read
//! transaction between two readings of `PRAGMA data_version` on the second one, which differ
//! when any connection committed meanwhile; then the second one reads in its own transaction,
//! begun by the second reading, the catalogue the first one sees. If they differ (a write landed
//! in between), the search is ranked on its own connection alone.
//!
//! On the scale benchmark's catalogue (1M records, 2 cores), ranked in the process: `ozone`
//! (75,166 matches) 30 -> 25 ms, `pain OR function` (257,244) 68 -> 55 ms. The two halves do not
//! run at twice the speed of one: each connection first reads the whole index's statistics for
//! the query's words (8 ms of the 55 for `pain OR function`), and each half took more than half
//! the time of the whole for a reason not found. Claim suggestions do not use it: their eight
//! words cost each connection their statistics again (0.60 s of CPU against 0.50), and their
//! other core is busy compiling.

use std::thread;

use super::{FindError, INDEX_ALONE, RankedRows, Selection, ranked_rows};
use crate::store::rank::middle_pmid;
use crate::store::{OpenOptions, Store, StoreError};

/// Catalogues of fewer records are ranked on one connection: opening a second one costs
/// about a millisecond, ranking all of a small catalogue's matches less.
pub(super) const HALVES_FROM_RECORDS: u64 = 20_000;

/// `selection`'s page, ranked in two halves at once (see the module doc); `None` when it is
/// ranked on one connection: a selection that is not a ranked page over the index alone, an
/// empty page, a catalogue of fewer than `from_records` records or not in a file, a connection
/// already in a transaction (whose view a second one cannot share), or a write between the two
/// views.
pub(super) fn ranked_in_halves(
    store: &Store,
    selection: &Selection,
    from_records: u64,
) -> Result<Option<RankedRows>, FindError> {
    let Some((limit, offset)) = selection.page else {
        return Ok(None);
    };
    let conn = store.conn();
    if selection.pmid != INDEX_ALONE
        || limit == 0
        || !conn.is_autocommit()
        || conn.path().is_none_or(str::is_empty)
        || crate::store::counts::records_counted(store)? < from_records
    {
        return Ok(None);
    }
    // (A catalogue that cannot be opened twice is searched on the one connection.)
    let Ok(other) = Store::open_with(
        &store.path,
        &OpenOptions {
            write: false,
            busy_timeout: store.busy_timeout,
            purpose: "search".into(),
        },
    ) else {
        return Ok(None);
    };
    let before = data_version(&other)?;
    let view = store.read_snapshot()?;
    // (The snapshot begins with this read.)
    let Some(middle) = middle_pmid(conn)? else {
        return Ok(None);
    };
    // (Ended when the connection closes, at the end of its thread.)
    other
        .conn()
        .execute_batch("BEGIN")
        .map_err(StoreError::from)?;
    if data_version(&other)? != before {
        return Ok(None);
    }
    let other_ranked = std::sync::Arc::clone(&other.ranked);
    // (The selection's own statement, each half keeping the first `offset + limit`.)
    let tail_params = &selection.params[..selection.tail_params];
    let wanted = offset.saturating_add(limit);
    let sql = format!(
        "SELECT {INDEX_ALONE}, {} AS score {} AND {INDEX_ALONE} >= ?{} AND {INDEX_ALONE} < ?{} \
         ORDER BY score, {INDEX_ALONE} LIMIT {wanted}",
        selection.score,
        selection.tail,
        tail_params.len() + 1,
        tail_params.len() + 2,
    );
    let params = |from: i64, to: i64| {
        let mut params = tail_params.to_vec();
        params.extend([from.into(), to.into()]);
        params
    };
    let (upper_params, lower_params) = (params(middle, i64::MAX), params(i64::MIN, middle));
    let sql = sql.as_str();
    let (lower, upper) = thread::scope(|scope| {
        let upper = scope.spawn(move || ranked_rows(other.conn(), sql, upper_params.iter()));
        let lower = ranked_rows(conn, sql, lower_params.iter());
        let upper = upper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (lower, upper)
    });
    drop(view);
    let mut ranked = lower?;
    ranked.extend(upper?);
    store.ranked().add(&other_ranked);
    ranked.sort_by(|a, b| {
        let rank = |r: &(u64, Option<f64>)| r.1.unwrap_or(f64::INFINITY);
        rank(a).total_cmp(&rank(b)).then(a.0.cmp(&b.0))
    });
    Ok(Some(ranked.into_iter().skip(offset).take(limit).collect()))
}

/// The connection's `PRAGMA data_version`: it changes when another connection commits.
fn data_version(store: &Store) -> Result<i64, StoreError> {
    Ok(store
        .conn()
        .query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::rank::tests::catalogue_every;
    use crate::store::search::{FindFilters, Page, SearchOrder};

    fn selection(query: &str, limit: usize, offset: usize) -> Selection {
        let page = Page {
            limit,
            offset,
            order: SearchOrder::Relevance,
        };
        Selection::build_page(query, &FindFilters::default(), Some(page), false).unwrap()
    }

    /// (Ranked, counted.)
    type Counted = (RankedRows, u64);

    fn on_one_connection(store: &Store, selection: &Selection) -> Counted {
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
