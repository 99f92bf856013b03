//! A ranked page of a query with `OR`, found among the records that hold all of its phrases
//! when they are enough to fill it.
//!
//! `pain OR function` selects 257,000 of a million records, and ranking them means reading
//! every match's positions; 23,000 of them hold both words. A phrase adds less than
//! `idf * (K1 + 1)` to a record's BM25 score, and nothing when the record lacks it
//! ([`best_score_without_a_phrase`]): so when the page's last record among those holding every
//! phrase scores more than the sum of all the phrases' most but the smallest, no record lacking
//! a phrase can be on the page, or ranked alike with one on it. The page is then the page of
//! the records holding every phrase, with the same ranks to the bit (the same phrases in the
//! same order: FTS5's statistics and each record's counts are the same), and the search's
//! count is counted apart (FTS5 counts matches without reading their positions). Both are done
//! in two halves of the PMIDs at once (`halves`). When the bound does not hold, or too few
//! records hold every phrase, the search is ranked as any other, and the ranking among all the
//! phrases was spent for nothing. `a OR b` without filters is not counted at all: it selects the
//! records holding `a` and those holding `b` (BM25 read both counts for its statistics) less
//! those holding both (every one of them ranked here).
//!
//! On the scale benchmark's catalogue (1M records, 2 cores), whole process, medians: `find 'pain
//! OR function'` (257,244 matches, 23,125 holding both words) took 54 ms ranked in halves, 37
//! ms among all the phrases with their matches counted (15 pairs), 28 ms counted from the
//! phrases (21 runs); `ozone OR pain`, `sciatica OR oxygen` and `injection OR steroid` took
//! 0.80-0.89 of the same queries ranked in full (9 pairs each).

use super::halves::{in_halves, in_range, merged, range_params, ranked_in_range};
use super::{FindError, INDEX_ALONE, RankedRows, Selection, ranked_rows, search_error};
use crate::store::rank::{best_score_without_a_phrase, ranked_beyond};
use crate::store::{Store, StoreError};

/// `selection`'s page found among the records holding all of its phrases (see the module doc),
/// with the connection's ranked count set to what the selection selects; `None` when it is
/// ranked otherwise: a selection that is not a ranked page over the index alone of a query
/// with `OR` and without `NOT`, an empty page, not run in halves (`from_records` is the
/// threshold), or a page not filled, beyond doubt, by records holding every phrase.
pub(super) fn ranked_among_all_phrases(
    store: &Store,
    selection: &Selection,
    from_records: u64,
) -> Result<Option<RankedRows>, FindError> {
    let (Some((limit, offset)), Some(all_phrases)) = (selection.page, &selection.all_phrases)
    else {
        return Ok(None);
    };
    if selection.pmid != INDEX_ALONE || limit == 0 {
        return Ok(None);
    }
    let wanted = offset.saturating_add(limit);
    let all_phrases = all_phrases.clone().into();
    let ranked_sql = ranked_in_range(selection, &selection.score, wanted);
    let among_all = range_params(selection, &all_phrases);
    let count_sql = format!("SELECT count(*) {}", in_range(selection));
    let selected_params = range_params(selection, &selection.params[0]);
    let counted_before = store.ranked().get();
    let two_phrases = selection.two_phrases_unfiltered;
    let halves = in_halves(store, from_records, |store, from, to| {
        store.ranked().take_phrases();
        let ranked_before = store.ranked().get();
        let ranked = ranked_rows(store.conn(), &ranked_sql, among_all(from, to).iter())?;
        let holding_all = store.ranked().get() - ranked_before;
        let phrases = store.ranked().take_phrases();
        // (`a OR b` unfiltered is counted from its phrases' counts, which BM25 read.)
        let selected: Option<i64> = if two_phrases {
            None
        } else {
            Some(
                store
                    .conn()
                    .prepare_cached(&count_sql)
                    .map_err(StoreError::from)?
                    .query_row(rusqlite::params_from_iter(selected_params(from, to)), |r| {
                        r.get(0)
                    })
                    .map_err(search_error)?,
            )
        };
        Ok((ranked, phrases, holding_all, selected))
    });
    // (What the lower half ranked among all the phrases is not what the search selects.)
    store.ranked().set(counted_before);
    let Some(halves) = halves? else {
        return Ok(None);
    };
    let (
        (lower, lower_phrases, lower_holding_all, lower_selected),
        (upper, upper_phrases, upper_holding_all, upper_selected),
    ) = (halves.lower, halves.upper);
    let phrases = if lower_phrases.is_empty() {
        upper_phrases
    } else {
        lower_phrases
    };
    let selected = match (lower_selected, upper_selected) {
        (Some(lower), Some(upper)) => (lower.max(0) + upper.max(0)) as u64,
        // (Every record holding both was ranked among them.)
        _ => match phrases.as_slice() {
            [a, b] => (a.records + b.records).saturating_sub(lower_holding_all + upper_holding_all),
            _ => return Ok(None),
        },
    };
    let bound = best_score_without_a_phrase(&phrases);
    let ranked = merged(lower, upper, 0, wanted);
    let page_filled = ranked.len() >= wanted
        && ranked[wanted - 1]
            .1
            .is_some_and(|rank| ranked_beyond(rank, bound));
    if !page_filled {
        return Ok(None);
    }
    store.ranked().set(counted_before + selected);
    Ok(Some(ranked.into_iter().skip(offset).take(limit).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::rank::tests::catalogue_every;
    use crate::store::search::halves::tests::{on_one_connection, selection};
    use crate::store::search::ranked_of;

    #[test]
    fn a_page_found_among_all_the_phrases_is_the_page_and_count_of_the_whole_query() {
        // PMIDs 97 to 29,100 (two halves); records 201-300 repeat the texts of 1-100.
        let (_dir, store) = catalogue_every(97);
        let (mut among_all, mut otherwise) = (0, 0);
        for query in [
            "pain OR therapy",
            "ozone OR sciatica",
            "disc OR back OR lumbar",
            "(pain OR therapy) disc",
            "title:trial OR oxygen",
            "\"lumbar disc\" OR steroid",
            "pain OR pain",
        ] {
            for (limit, offset) in [(1, 0), (5, 0), (7, 3), (20, 0), (60, 0), (10, 290)] {
                let selection = selection(query, limit, offset);
                assert!(selection.all_phrases.is_some(), "{query}");
                let one = on_one_connection(&store, &selection);
                store.ranked().reset();
                match ranked_among_all_phrases(&store, &selection, 0).unwrap() {
                    Some(ranked) => {
                        among_all += 1;
                        assert_eq!(
                            (ranked, store.ranked().get()),
                            one,
                            "{query}, {limit} from {offset}"
                        );
                    }
                    None => {
                        otherwise += 1;
                        // (Nothing counted by the attempt.)
                        assert_eq!(store.ranked().get(), 0, "{query}");
                    }
                }
                // However it is found, a search's page and count are one connection's.
                store.ranked().reset();
                let found = ranked_of(&store, &selection).unwrap();
                assert_eq!((found, store.ranked().get()), one, "{query}");
            }
        }
        // Both ways are taken: pages that the records holding every phrase fill beyond doubt,
        // and pages they do not (too few of them, or records lacking a phrase that could rank
        // among them).
        assert!(among_all > 0 && otherwise > 0, "{among_all} / {otherwise}");
    }

    #[test]
    fn only_a_query_with_or_and_without_not_is_read_among_all_its_phrases() {
        for (query, all) in [
            ("pain OR therapy", Some("\"pain\" AND \"therapy\"")),
            (
                "title:pain OR disc*",
                Some("title : \"pain\" AND \"disc\"*"),
            ),
            (
                "title:(pain OR disc)",
                Some("title : ( \"pain\" ) AND title : ( \"disc\" )"),
            ),
            ("ozone", None),
            ("ozone pain", None),
            ("pain OR therapy NOT ozone", None),
            ("pain OR therapy -ozone", None),
        ] {
            assert_eq!(
                selection(query, 5, 0).all_phrases.as_deref(),
                all,
                "{query}"
            );
        }
    }
}
