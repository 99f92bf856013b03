//! An in-memory index of one generation of the catalogue, for a long-running front end
//! (`evcat serve`) that answers many new searches: each record's year, deletion, effective
//! tags, evidence level, publication types and band of participants, loaded in one read
//! transaction, and each query phrase's matches with their BM25 ranks ([`PhraseHits`]), loaded
//! once per phrase. A search is then answered without a statement per match: its phrases'
//! matches are combined as the query says, filtered, ranked and counted in memory, and the
//! facets of its first results are counted from the index.
//!
//! The answers are the SQL search's ([`super::search`]), to the bit: a record's rank for a
//! query is the sum, in FTS5's order of the query's phrases, of its rank for each phrase that
//! counts in it (FTS5's BM25 is a sum over phrases; a phrase counts in a record when every part
//! of the expression above it matches the record: under `OR` only the branches that match,
//! under `NOT` only the first operand), and the filters and orders are the SQL ones written
//! over the index (a test compares the two on many queries). Only the filters in
//! [`SearchIndex::answers`] are held; a search with another filter is answered by SQL.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::search::{
    FindError, FindFilters, Match, PARTICIPANTS_BAND, QueryPlan, SearchOrder, phrase_ranks,
};
use super::{Store, StoreError};

/// Most records an index is built for (it takes about 50 bytes a record, and 12 bytes per
/// match of each phrase kept; loading it reads every record's tags: about a second per 300,000
/// records): beyond it searches are answered by SQL alone.
pub const MAX_INDEXED_RECORDS: usize = 5_000_000;

/// What kind of facet value an index entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    /// An effective tag (its dimension is the taxonomy's).
    Tag,
    Year,
    Type,
    Participants,
}

/// No year, or no design level.
const NONE: i32 = i32::MIN;

/// The index of one generation of the catalogue (see the module doc).
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Every record's PMID, ascending; a record is its position here.
    pmids: Vec<u64>,
    years: Vec<i32>,
    deleted: Vec<bool>,
    /// The strongest level among a record's effective design tags ([`NONE`] without one).
    levels: Vec<i32>,
    /// Record `r`'s facet values are `values[starts[r]..starts[r + 1]]`, ascending.
    starts: Vec<u32>,
    values: Vec<u32>,
    /// Each facet value: its kind, dimension (the tag's, or `year`, `type`, `participants`)
    /// and value.
    names: Vec<(Facet, String, String)>,
    /// Each facet value's id, by [`key_of`].
    ids: HashMap<String, u32>,
}

/// A facet value as one string (its kind, dimension and value: none holds a NUL).
fn key_of(facet: Facet, dimension: &str, value: &str, key: &mut String) {
    key.clear();
    key.push(char::from(b'0' + facet as u8));
    key.push('\0');
    key.push_str(dimension);
    key.push('\0');
    key.push_str(value);
}

/// The records one phrase matches, as positions in a [`SearchIndex`], ascending, each with its
/// BM25 rank for the phrase alone.
#[derive(Debug, Default)]
pub struct PhraseHits {
    records: Vec<u32>,
    ranks: Vec<f64>,
}

/// The first results of a search in its order, and how many match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The first PMIDs, in order.
    pub first: Vec<u64>,
    /// How many records match.
    pub total: u64,
}

impl SearchIndex {
    /// Loads the index of the catalogue as it is now (one read transaction). `Ok(None)` when
    /// the catalogue holds more than [`MAX_INDEXED_RECORDS`] records.
    pub fn load(store: &Store) -> Result<Option<SearchIndex>, StoreError> {
        let _snapshot = store.read_snapshot()?;
        let conn = store.conn();
        let records: i64 = conn.query_row(
            "SELECT count(*) FROM articles INDEXED BY articles_search",
            [],
            |r| r.get(0),
        )?;
        if records as usize > MAX_INDEXED_RECORDS {
            return Ok(None);
        }
        let mut index = SearchIndex {
            pmids: Vec::with_capacity(records as usize),
            years: Vec::with_capacity(records as usize),
            deleted: Vec::with_capacity(records as usize),
            ..SearchIndex::default()
        };
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut key = String::new();
        {
            let mut stmt = conn.prepare(
                "SELECT pmid, year, deleted FROM articles INDEXED BY articles_search ORDER BY pmid",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                index.pmids.push(r.get::<_, i64>(0)? as u64);
                let year: Option<i32> = r.get(1)?;
                index.years.push(year.unwrap_or(NONE));
                index.deleted.push(r.get::<_, i64>(2)? != 0);
                if let Some(year) = year {
                    let id = index.id(Facet::Year, "year", &year.to_string(), &mut key);
                    pairs.push((index.pmids.len() as u32 - 1, id));
                }
            }
        }
        index.levels = vec![NONE; index.pmids.len()];
        // Each row: PMID, dimension, value (and a design tag's level).
        let mut read =
            |sql: &str, facet: Facet, index: &mut SearchIndex| -> Result<(), StoreError> {
                let mut stmt = conn.prepare(sql)?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let Some(record) = index.position(r.get::<_, i64>(0)? as u64) else {
                        continue;
                    };
                    // (Read in place: no string is made for a value already seen.)
                    let dimension = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                    let value = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
                    let id = index.id(facet, dimension, value, &mut key);
                    if facet == Facet::Tag
                        && dimension == "design"
                        && let Some(level) = r.get::<_, Option<i64>>(3)?
                    {
                        let level = level.clamp(i32::MIN as i64 + 1, i32::MAX as i64) as i32;
                        index.levels[record] = index.levels[record].max(level);
                    }
                    pairs.push((record as u32, id));
                }
                Ok(())
            };
        read(
            "SELECT pmid, dimension, tag, level FROM effective_tags",
            Facet::Tag,
            &mut index,
        )?;
        read(
            "SELECT pmid, 'type', name FROM publication_types",
            Facet::Type,
            &mut index,
        )?;
        read(
            &format!(
                "SELECT f.pmid, 'participants', {PARTICIPANTS_BAND} FROM facts f
                  WHERE f.kind = 'participants' AND coalesce(f.value, f.max) IS NOT NULL"
            ),
            Facet::Participants,
            &mut index,
        )?;
        pairs.sort_unstable();
        pairs.dedup();
        index.starts = Vec::with_capacity(index.pmids.len() + 1);
        index.values = Vec::with_capacity(pairs.len());
        let mut pairs = pairs.into_iter().peekable();
        for record in 0..index.pmids.len() as u32 {
            index.starts.push(index.values.len() as u32);
            while let Some((_, id)) = pairs.next_if(|&(r, _)| r == record) {
                index.values.push(id);
            }
        }
        index.starts.push(index.values.len() as u32);
        Ok(Some(index))
    }

    /// How many records the index holds.
    pub fn len(&self) -> usize {
        self.pmids.len()
    }

    /// True when the catalogue held no record.
    pub fn is_empty(&self) -> bool {
        self.pmids.is_empty()
    }

    /// True when the index holds every filter of `filters` (a year range, deleted records left
    /// out, tags, a least evidence level, a publication type); otherwise SQL answers.
    pub fn answers(filters: &FindFilters) -> bool {
        filters.journal.is_none()
            && filters.author.is_none()
            && filters.mesh.is_none()
            && filters.min_participants.is_none()
            && filters.max_participants.is_none()
            && filters.min_follow_up_days.is_none()
    }

    /// The records phrase `phrase` (one of a [`QueryPlan`]'s) matches, with their ranks.
    pub fn phrase_hits(&self, store: &Store, phrase: &str) -> Result<PhraseHits, FindError> {
        let mut hits = PhraseHits::default();
        for (pmid, rank) in phrase_ranks(store, phrase)? {
            // (A record added after the index was loaded is not in it: left out, as the
            // index's generation did not hold it.)
            if let Some(record) = self.position(pmid) {
                hits.records.push(record as u32);
                hits.ranks.push(rank);
            }
        }
        Ok(hits)
    }

    /// The first `limit` records of a search in `order`, and how many match: the records of
    /// `query` (each phrase's hits in `phrases`, in the plan's order) or every record without
    /// one, kept by `filters` (which [`SearchIndex::answers`] must hold).
    pub fn rank(
        &self,
        query: Option<(&QueryPlan, &[Arc<PhraseHits>])>,
        filters: &FindFilters,
        order: SearchOrder,
        limit: usize,
    ) -> Ranked {
        debug_assert!(Self::answers(filters));
        let keep = self.filter(filters);
        let (mut records, ranks) = match query {
            Some((plan, phrases)) => {
                let all = matches(&plan.root, phrases);
                let records: Vec<u32> = all.iter().copied().filter(|&r| keep(r)).collect();
                let ranks = (order == SearchOrder::Relevance)
                    .then(|| ranks_of(&records, &plan.root, phrases));
                (records, ranks)
            }
            None => (
                (0..self.pmids.len() as u32).filter(|&r| keep(r)).collect(),
                None,
            ),
        };
        let total = records.len() as u64;
        match ranks {
            Some(ranks) => {
                // (Positions into `records`, ordered by rank then PMID.)
                let mut by_rank: Vec<u32> = (0..records.len() as u32).collect();
                let cmp = |a: &u32, b: &u32| {
                    ranks[*a as usize]
                        .total_cmp(&ranks[*b as usize])
                        .then(a.cmp(b))
                };
                first_in_order(&mut by_rank, limit, cmp);
                records = by_rank.iter().map(|&i| records[i as usize]).collect();
            }
            None => {
                let newest = |a: &u32, b: &u32| {
                    let (a, b) = (*a as usize, *b as usize);
                    self.years[b].cmp(&self.years[a]).then(b.cmp(&a))
                };
                if order == SearchOrder::Level {
                    first_in_order(&mut records, limit, |a, b| {
                        self.levels[*b as usize]
                            .cmp(&self.levels[*a as usize])
                            .then(newest(a, b))
                    });
                } else {
                    first_in_order(&mut records, limit, newest);
                }
            }
        }
        Ranked {
            first: records.iter().map(|&r| self.pmids[r as usize]).collect(),
            total,
        }
    }

    /// How many of the records `pmids` have each facet value, as
    /// [`super::search::facet_counts`] counts them and in its order.
    pub fn facet_counts(&self, pmids: &[u64]) -> Vec<(String, String, u64)> {
        let mut records: Vec<usize> = pmids.iter().filter_map(|&p| self.position(p)).collect();
        records.sort_unstable();
        records.dedup();
        let mut counts = vec![0u64; self.names.len()];
        for record in records {
            for &id in self.values_of(record) {
                counts[id as usize] += 1;
            }
        }
        let mut facets: Vec<(String, String, u64)> = counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(id, &n)| {
                let (_, dimension, value) = &self.names[id];
                (dimension.clone(), value.clone(), n)
            })
            .collect();
        facets.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
        facets
    }

    fn position(&self, pmid: u64) -> Option<usize> {
        self.pmids.binary_search(&pmid).ok()
    }

    /// The id of a facet value, made on first sight (`key`: a buffer, so that no string is
    /// made for a value already seen).
    fn id(&mut self, facet: Facet, dimension: &str, value: &str, key: &mut String) -> u32 {
        key_of(facet, dimension, value, key);
        if let Some(&id) = self.ids.get(key.as_str()) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names
            .push((facet, dimension.to_string(), value.to_string()));
        self.ids.insert(key.clone(), id);
        id
    }

    /// The id of a facet value, if any record has it.
    fn id_of(&self, facet: Facet, dimension: &str, value: &str) -> Option<u32> {
        let mut key = String::new();
        key_of(facet, dimension, value, &mut key);
        self.ids.get(key.as_str()).copied()
    }

    fn values_of(&self, record: usize) -> &[u32] {
        &self.values[self.starts[record] as usize..self.starts[record + 1] as usize]
    }

    /// Whether a record passes `filters` (the SQL conditions of [`super::search`], over the
    /// index: a record without a year passes no year bound).
    fn filter<'a>(&'a self, filters: &'a FindFilters) -> impl Fn(u32) -> bool + 'a {
        let tags: Vec<Option<u32>> = filters
            .tags
            .iter()
            .map(|(d, t)| self.id_of(Facet::Tag, d, t))
            .collect();
        let types: Option<Vec<u32>> = filters.publication_type.as_ref().map(|wanted| {
            // (SQLite's NOCASE folds ASCII letters only.)
            self.names
                .iter()
                .enumerate()
                .filter(|(_, (f, _, name))| *f == Facet::Type && name.eq_ignore_ascii_case(wanted))
                .map(|(id, _)| id as u32)
                .collect()
        });
        let years = filters.years.unwrap_or_default();
        move |record| {
            let r = record as usize;
            let year = self.years[r];
            if years.from.is_some_and(|from| year == NONE || year < from)
                || years.to.is_some_and(|to| year == NONE || year > to)
                || (filters.exclude_deleted && self.deleted[r])
                || filters
                    .min_level
                    .is_some_and(|min| self.levels[r] == NONE || (self.levels[r] as i64) < min)
            {
                return false;
            }
            let values = self.values_of(r);
            tags.iter()
                .all(|id| id.is_some_and(|id| values.binary_search(&id).is_ok()))
                && types
                    .as_ref()
                    .is_none_or(|ids| ids.iter().any(|id| values.binary_search(id).is_ok()))
        }
    }
}

/// The records `node` matches, ascending.
fn matches<'a>(node: &Match, phrases: &'a [Arc<PhraseHits>]) -> Cow<'a, [u32]> {
    let union = |nodes: &[Match]| -> Vec<u32> {
        let mut all: Vec<u32> = Vec::new();
        for n in nodes {
            all.extend_from_slice(&matches(n, phrases));
        }
        all.sort_unstable();
        all.dedup();
        all
    };
    match node {
        Match::Phrase(i) => Cow::Borrowed(&phrases[*i].records),
        Match::All(nodes) => {
            let mut lists: Vec<Cow<'a, [u32]>> =
                nodes.iter().map(|n| matches(n, phrases)).collect();
            lists.sort_by_key(|l| l.len());
            let mut lists = lists.into_iter();
            let first = lists.next().unwrap_or_default();
            lists.fold(first, |acc, l| Cow::Owned(intersect(&acc, &l)))
        }
        Match::Any(nodes) => Cow::Owned(union(nodes)),
        Match::Without(first, rest) => {
            let first = matches(first, phrases);
            let excluded = union(rest);
            let mut e = excluded.iter().peekable();
            Cow::Owned(
                first
                    .iter()
                    .copied()
                    .filter(|&r| {
                        while e.next_if(|&&x| x < r).is_some() {}
                        e.peek() != Some(&&r)
                    })
                    .collect(),
            )
        }
    }
}

/// Each of `records`' rank for the query (`records` are among the query's matches): for each
/// phrase in order, its rank added where it counts, that is where every node above it matches
/// the record (under `OR` only the branches that match; under `NOT` only the first operand).
fn ranks_of(records: &[u32], root: &Match, phrases: &[Arc<PhraseHits>]) -> Vec<f64> {
    /// Where each phrase under `node` counts, given where `node` does (`here`).
    fn walk<'a>(
        node: &Match,
        here: Cow<'a, [u32]>,
        phrases: &[Arc<PhraseHits>],
        counts_in: &mut Vec<(usize, Cow<'a, [u32]>)>,
    ) {
        match node {
            Match::Phrase(i) => counts_in.push((*i, here)),
            // (An operand of AND, and NOT's first, match wherever the node does.)
            Match::All(nodes) => {
                for n in nodes {
                    walk(n, here.clone(), phrases, counts_in);
                }
            }
            Match::Any(nodes) => {
                for n in nodes {
                    let its = intersect(&here, &matches(n, phrases));
                    walk(n, Cow::Owned(its), phrases, counts_in);
                }
            }
            Match::Without(first, _) => walk(first, here, phrases, counts_in),
        }
    }
    let mut counts_in = Vec::new();
    walk(root, Cow::Borrowed(records), phrases, &mut counts_in);
    counts_in.sort_by_key(|(i, _)| *i);
    let mut ranks = vec![0.0f64; records.len()];
    for (i, here) in counts_in {
        let hits = &phrases[i];
        let (mut h, mut r) = (0usize, 0usize);
        for &record in here.iter() {
            while hits.records[h] < record {
                h += 1;
            }
            while records[r] < record {
                r += 1;
            }
            ranks[r] += hits.ranks[h];
        }
    }
    ranks
}

/// The records of both ascending lists, ascending.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    let mut j = 0;
    for &x in small {
        while j < large.len() && large[j] < x {
            j += 1;
        }
        if j < large.len() && large[j] == x {
            out.push(x);
        }
    }
    out
}

/// Puts the first `limit` of `items` in `cmp`'s order at the front, sorted, and drops the rest.
fn first_in_order<T>(
    items: &mut Vec<T>,
    limit: usize,
    mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering,
) {
    if limit == 0 {
        items.clear();
        return;
    }
    if items.len() > limit {
        items.select_nth_unstable_by(limit - 1, &mut cmp);
        items.truncate(limit);
    }
    items.sort_unstable_by(cmp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::import::tagged_catalogue_of;
    use crate::store::search::{
        Page, YearRange, count, facet_counts, find, find_counted, find_pmids_page, query_plan,
    };
    use crate::store::tags::set_manual_tag;

    fn catalogue() -> (tempfile::TempDir, Store) {
        tagged_catalogue_of(&[
            include_str!("../../fixtures/ozone-back-pain.xml"),
            include_str!("../../fixtures/find-ranking.xml"),
            include_str!("../../fixtures/tagging-false-positives.xml"),
            include_str!("../../fixtures/retracted.xml"),
            include_str!("../../fixtures/full-elements.xml"),
            include_str!("../../fixtures/medline-date.xml"),
            include_str!("../../fixtures/delete-citation.xml"),
        ])
    }

    /// The index's answer to a search, as `search_page` asks it.
    fn by_index(
        store: &Store,
        index: &SearchIndex,
        query: &str,
        filters: &FindFilters,
        order: SearchOrder,
        limit: usize,
    ) -> Ranked {
        let plan = query_plan(query).unwrap();
        let phrases: Vec<Arc<PhraseHits>> = plan
            .iter()
            .flat_map(|p| &p.phrases)
            .map(|p| Arc::new(index.phrase_hits(store, p).unwrap()))
            .collect();
        index.rank(
            plan.as_ref().map(|p| (p, phrases.as_slice())),
            filters,
            order,
            limit,
        )
    }

    #[test]
    fn answers_every_search_as_sql_does() {
        let (_dir, mut store) = catalogue();
        // Manual decisions: a rule tag removed, a tag added, an exclusive design.
        let tagged = crate::store::tags::every_rule_tag(&store);
        let first = &tagged[0];
        set_manual_tag(
            &mut store, first.0, &first.1, &first.2, false, false, None, None, None,
        )
        .unwrap();
        let last = tagged.last().unwrap().0;
        set_manual_tag(
            &mut store,
            last,
            "condition",
            "neck-pain",
            true,
            false,
            None,
            None,
            None,
        )
        .unwrap();
        set_manual_tag(
            &mut store,
            last,
            "design",
            "case-series",
            true,
            true,
            Some(2),
            None,
            None,
        )
        .unwrap();
        let index = SearchIndex::load(&store).unwrap().unwrap();
        assert!(index.len() > 20, "{} records", index.len());

        let queries = [
            "",
            "ozone",
            "ozone pain",
            "pain ozone",
            "ozone OR steroid",
            "ozone NOT cervical",
            "pain NOT (ozone OR steroid)",
            "pain OR (disc NOT ozone)",
            "(pain OR disc) (ozone OR oxygen)",
            "title:ozone",
            "title:(ozone OR oxygen) pain",
            "abstract:pain title:ozone",
            "\"herniated disc\"",
            "\"low back pain\" OR sciatica",
            "disc*",
            "inject* -lumbar",
            "ozone ozone",
            "pain OR pain",
            "ozone AND (therapy OR injection) NOT (knee OR cervical)",
            "title:(pain abstract:ozone)",
            "nowordmatchesthis",
            "pain OR nowordmatchesthis",
        ];
        let mut filter_sets = vec![FindFilters::default()];
        let mut with = |f: &dyn Fn(&mut FindFilters)| {
            let mut filters = FindFilters::default();
            f(&mut filters);
            filter_sets.push(filters);
        };
        with(&|f| {
            f.years = Some(YearRange {
                from: Some(2005),
                to: Some(2015),
            })
        });
        with(&|f| {
            f.years = Some(YearRange {
                from: None,
                to: Some(2010),
            })
        });
        with(&|f| f.exclude_deleted = true);
        with(&|f| f.min_level = Some(3));
        with(&|f| f.publication_type = Some("randomized controlled TRIAL".into()));
        with(&|f| f.tags = vec![("condition".into(), "neck-pain".into())]);
        with(&|f| f.tags = vec![(tagged[1].1.clone(), tagged[1].2.clone())]);
        with(&|f| f.tags = vec![("design".into(), "nonexistent".into())]);
        with(&|f| {
            f.tags = vec![(tagged[2].1.clone(), tagged[2].2.clone())];
            f.min_level = Some(1);
            f.years = Some(YearRange {
                from: Some(2000),
                to: None,
            });
            f.exclude_deleted = true;
        });
        let mut compared = 0;
        for query in queries {
            for filters in &filter_sets {
                assert!(SearchIndex::answers(filters));
                for order in [
                    SearchOrder::Relevance,
                    SearchOrder::Newest,
                    SearchOrder::Level,
                ] {
                    for limit in [3, 1000] {
                        let sql = find_pmids_page(
                            &store,
                            query,
                            filters,
                            Page {
                                limit,
                                offset: 0,
                                order,
                            },
                        )
                        .unwrap();
                        let mine = by_index(&store, &index, query, filters, order, limit);
                        let what = format!("{query:?} {filters:?} {order:?} {limit}");
                        assert_eq!(mine.first, sql, "{what}");
                        assert_eq!(mine.total, count(&store, query, filters).unwrap(), "{what}");
                        if order == SearchOrder::Relevance {
                            // (A search with words is counted as it is ranked.)
                            let (hits, total) =
                                find_counted(&store, query, filters, limit).unwrap();
                            let pmids: Vec<u64> = hits.iter().map(|h| h.pmid).collect();
                            assert_eq!((pmids, total), (sql.clone(), mine.total), "{what}");
                        }
                        assert_eq!(
                            index.facet_counts(&mine.first),
                            facet_counts(&store, &sql).unwrap(),
                            "{what}"
                        );
                        compared += usize::from(!sql.is_empty());
                    }
                }
            }
        }
        assert!(compared > 300, "{compared} non-empty answers compared");
    }

    #[test]
    fn ranks_are_fts5_ranks_to_the_bit() {
        let (_dir, store) = catalogue();
        let index = SearchIndex::load(&store).unwrap().unwrap();
        for query in [
            "pain OR (disc NOT ozone)",
            "title:(ozone OR oxygen) pain",
            "ozone ozone",
        ] {
            let plan = query_plan(query).unwrap().unwrap();
            let phrases: Vec<Arc<PhraseHits>> = plan
                .phrases
                .iter()
                .map(|p| Arc::new(index.phrase_hits(&store, p).unwrap()))
                .collect();
            let records = matches(&plan.root, &phrases);
            let ranks = ranks_of(&records, &plan.root, &phrases);
            let mut mine: Vec<(u64, f64)> = records
                .iter()
                .zip(ranks)
                .map(|(&r, rank)| (index.pmids[r as usize], rank))
                .collect();
            mine.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            let sql: Vec<(u64, f64)> = find(&store, query, &FindFilters::default(), 1000)
                .unwrap()
                .into_iter()
                .map(|h| (h.pmid, h.score.unwrap()))
                .collect();
            assert!(sql.len() > 2, "{query:?} matches a few records");
            let bits =
                |v: &[(u64, f64)]| v.iter().map(|(p, s)| (*p, s.to_bits())).collect::<Vec<_>>();
            assert_eq!(bits(&mine), bits(&sql), "{query:?}");
        }
    }

    #[test]
    fn searches_with_other_filters_are_left_to_sql() {
        assert!(!SearchIndex::answers(&FindFilters {
            journal: Some("Pain Physician".into()),
            ..FindFilters::default()
        }));
    }
}
