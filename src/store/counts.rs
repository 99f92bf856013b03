//! Counts of what the catalogue holds, kept as it changes, so that `stats` and `summary` read a
//! few hundred rows rather than every record.
//!
//! Each record's part in the counts (deleted or not, year, publication types, its condition,
//! outcome and design tags as `effective_tags` gives them, its number of participants) is kept
//! in `record_counts`, and their sums in `catalogue_counts` (records, tombstones, by year, by
//! publication type) and `profile_counts` (by set of tags: the evidence matrix). Triggers on
//! every table these come from note the records that changed in `counts_dirty`; before each
//! write transaction commits ([`settle`]), their parts are read again and the sums corrected.
//! A reader adds the corrections of records still noted (a write that bypassed
//! [`super::WriteTransaction`], e.g. by another program) itself, so the counts it returns are
//! always those of the catalogue as it is, however it was written.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, params};

use super::tags::{Matrix, ParticipantWeights};
use super::{Store, StoreError};

/// Dimensions a record's profile holds: the summary's rows, columns and design filter.
const PROFILE_DIMENSIONS: [&str; 3] = ["condition", "outcome", "design"];
/// Separates tags within a dimension, and dimensions, in a stored profile.
const TAG_SEPARATOR: char = '\u{1f}';
const DIMENSION_SEPARATOR: char = '\u{1e}';
/// The first character of a key of `profile_counts`: the records not deleted, or deleted.
const CURRENT: char = '+';
const DELETED: char = '-';
/// Above this many records noted as changed, a reader counts from the records themselves.
const MAX_PENDING: i64 = 20_000;

/// What one record adds to the counts.
#[derive(Debug, Clone, PartialEq, Default)]
struct Part {
    deleted: bool,
    year: Option<i64>,
    /// Distinct names, sorted.
    publication_types: Vec<String>,
    /// Condition, outcome and design tags (see [`profile_key`]).
    profile: String,
    participants: Option<f64>,
}

/// The stored form of a record's effective tags in the three profile dimensions.
fn profile_key(tags: &[BTreeSet<String>; 3]) -> String {
    tags.iter()
        .map(|set| {
            set.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(&TAG_SEPARATOR.to_string())
        })
        .collect::<Vec<_>>()
        .join(&DIMENSION_SEPARATOR.to_string())
}

fn profile_tags(key: &str) -> [Vec<&str>; 3] {
    let mut parts = key.split(DIMENSION_SEPARATOR).map(|d| {
        d.split(TAG_SEPARATOR)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
    });
    [
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    ]
}

/// Sums over records.
#[derive(Debug, Default)]
struct Sums {
    records: i64,
    tombstones: i64,
    years: BTreeMap<Option<i64>, i64>,
    publication_types: BTreeMap<String, i64>,
    /// Profile -> (records, participants, records without participants).
    profiles: BTreeMap<String, (i64, f64, i64)>,
}

impl Sums {
    fn add(&mut self, part: &Part, sign: i64) {
        // (A deleted record's tags are counted apart: a search by tags alone still finds it.)
        let marker = if part.deleted { DELETED } else { CURRENT };
        let entry = self
            .profiles
            .entry(format!("{marker}{}", part.profile))
            .or_default();
        if part.deleted {
            self.tombstones += sign;
            entry.0 += sign;
            return;
        }
        self.records += sign;
        *self.years.entry(part.year).or_default() += sign;
        for name in &part.publication_types {
            *self.publication_types.entry(name.clone()).or_default() += sign;
        }
        entry.0 += sign;
        match part.participants {
            Some(n) => entry.1 += sign as f64 * n,
            None => entry.2 += sign,
        }
    }
}

/// The parts of the records noted in `counts_dirty` with PMIDs from `first` to `last`, as the
/// catalogue holds them now (`None`: no such record), and as `record_counts` counted them.
/// (`CROSS JOIN` keeps SQLite reading from the notes, by PMID: left to itself, it read the whole
/// tag table once per chunk.)
#[allow(clippy::type_complexity)]
fn noted_parts(
    conn: &Connection,
    (first, last): (i64, i64),
) -> Result<BTreeMap<i64, (Option<Part>, Option<Part>)>, StoreError> {
    let mut now: BTreeMap<i64, Option<Part>> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT d.pmid, a.pmid IS NOT NULL, a.deleted, a.year FROM counts_dirty d
           LEFT JOIN articles a INDEXED BY articles_search ON a.pmid = d.pmid
          WHERE d.pmid BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([first, last])?;
    while let Some(r) = rows.next()? {
        let pmid: i64 = r.get(0)?;
        let part = r.get::<_, bool>(1)?.then(|| -> rusqlite::Result<Part> {
            Ok(Part {
                deleted: r.get(2)?,
                year: r.get(3)?,
                ..Part::default()
            })
        });
        now.insert(pmid, part.transpose()?);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT p.pmid, p.name FROM counts_dirty d CROSS JOIN publication_types p ON p.pmid = d.pmid
          WHERE d.pmid BETWEEN ?1 AND ?2 ORDER BY p.pmid, p.name",
    )?;
    let mut rows = stmt.query([first, last])?;
    while let Some(r) = rows.next()? {
        if let Some(Some(part)) = now.get_mut(&r.get::<_, i64>(0)?) {
            part.publication_types.push(r.get(1)?);
        }
    }
    // The effective tags (see the `effective_tags` view) of the three dimensions.
    let mut tags: BTreeMap<i64, [BTreeSet<String>; 3]> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT t.pmid, t.dimension, t.tag FROM counts_dirty d CROSS JOIN tags t ON t.pmid = d.pmid
          WHERE d.pmid BETWEEN ?1 AND ?2 AND t.dimension IN ('condition', 'outcome', 'design')
            AND NOT EXISTS (
                SELECT 1 FROM manual_tags m
                 WHERE m.pmid = t.pmid AND m.dimension = t.dimension
                   AND (m.tag = t.tag OR (m.action = 'add' AND m.exclusive = 1)))
         UNION ALL
         SELECT m.pmid, m.dimension, m.tag FROM counts_dirty d CROSS JOIN manual_tags m ON m.pmid = d.pmid
          WHERE d.pmid BETWEEN ?1 AND ?2 AND m.action = 'add'
            AND m.dimension IN ('condition', 'outcome', 'design')",
    )?;
    let mut rows = stmt.query([first, last])?;
    while let Some(r) = rows.next()? {
        let dimension: String = r.get(1)?;
        if let Some(i) = PROFILE_DIMENSIONS.iter().position(|d| *d == dimension) {
            tags.entry(r.get(0)?).or_default()[i].insert(r.get(2)?);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT f.pmid, coalesce(f.value, f.max) FROM counts_dirty d CROSS JOIN facts f ON f.pmid = d.pmid
          WHERE d.pmid BETWEEN ?1 AND ?2 AND f.kind = 'participants'
            AND coalesce(f.value, f.max) IS NOT NULL",
    )?;
    let mut rows = stmt.query([first, last])?;
    while let Some(r) = rows.next()? {
        if let Some(Some(part)) = now.get_mut(&r.get::<_, i64>(0)?) {
            part.participants = Some(r.get(1)?);
        }
    }
    for (pmid, part) in now.iter_mut() {
        if let Some(part) = part {
            part.profile = profile_key(&tags.remove(pmid).unwrap_or_default());
        }
    }
    let mut out: BTreeMap<i64, (Option<Part>, Option<Part>)> = now
        .into_iter()
        .map(|(pmid, part)| (pmid, (part, None)))
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT r.pmid, r.deleted, r.year, r.publication_types, r.profile, r.participants
           FROM counts_dirty d CROSS JOIN record_counts r ON r.pmid = d.pmid
          WHERE d.pmid BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([first, last])?;
    while let Some(r) = rows.next()? {
        let types: String = r.get(3)?;
        let counted = Part {
            deleted: r.get(1)?,
            year: r.get(2)?,
            publication_types: types
                .split('\n')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            profile: r.get(4)?,
            participants: r.get(5)?,
        };
        if let Some(entry) = out.get_mut(&r.get::<_, i64>(0)?) {
            entry.1 = Some(counted);
        }
    }
    Ok(out)
}

/// Corrects the counts for the records noted as changed, and clears the notes: run in each
/// write transaction before it commits (and by the migration that creates the counts, for
/// every record).
pub(super) fn settle(conn: &Connection) -> Result<usize, StoreError> {
    let mut sums = Sums::default();
    let mut settled = 0;
    // (In chunks of PMIDs, so memory stays small when every record is noted.)
    let mut after = i64::MIN;
    loop {
        let chunk: Vec<i64> = conn
            .prepare_cached("SELECT pmid FROM counts_dirty WHERE pmid > ?1 ORDER BY pmid LIMIT ?2")?
            .query_map(params![after, SETTLE_CHUNK], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let (Some(&first), Some(&last)) = (chunk.first(), chunk.last()) else {
            break;
        };
        settled += chunk.len();
        after = last;
        settle_parts(conn, noted_parts(conn, (first, last))?, &mut sums)?;
    }
    if settled == 0 {
        return Ok(0);
    }
    write_sums(conn, &sums)?;
    Ok(settled)
}

/// Records settled at a time.
const SETTLE_CHUNK: i64 = 10_000;

/// Writes each noted record's part where it changed, and adds the change to `sums`.
fn settle_parts(
    conn: &Connection,
    noted: BTreeMap<i64, (Option<Part>, Option<Part>)>,
    sums: &mut Sums,
) -> Result<(), StoreError> {
    for (pmid, (now, counted)) in &noted {
        if now == counted {
            continue;
        }
        if let Some(counted) = counted {
            sums.add(counted, -1);
        }
        match now {
            Some(part) => {
                sums.add(part, 1);
                conn.prepare_cached(
                    "INSERT OR REPLACE INTO record_counts
                        (pmid, deleted, year, publication_types, profile, participants)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    pmid,
                    part.deleted,
                    part.year,
                    part.publication_types.join("\n"),
                    part.profile,
                    part.participants
                ])?;
            }
            None => {
                conn.prepare_cached("DELETE FROM record_counts WHERE pmid = ?1")?
                    .execute([pmid])?;
            }
        }
    }
    Ok(())
}

/// Adds `sums` to the stored sums and clears the notes.
fn write_sums(conn: &Connection, sums: &Sums) -> Result<(), StoreError> {
    let mut add = conn.prepare_cached(
        "INSERT INTO catalogue_counts (kind, key, records) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind, key) DO UPDATE SET records = records + excluded.records",
    )?;
    let mut changes: Vec<(&str, String, i64)> = vec![
        ("records", String::new(), sums.records),
        ("tombstones", String::new(), sums.tombstones),
    ];
    changes.extend(
        sums.years
            .iter()
            .map(|(y, n)| ("year", y.map(|y| y.to_string()).unwrap_or_default(), *n)),
    );
    changes.extend(
        sums.publication_types
            .iter()
            .map(|(t, n)| ("publication_type", t.clone(), *n)),
    );
    for (kind, key, n) in changes {
        if n != 0 {
            add.execute(params![kind, key, n])?;
        }
    }
    let mut add = conn.prepare_cached(
        "INSERT INTO profile_counts (profile, records, participants, without_participants)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (profile) DO UPDATE SET records = records + excluded.records,
             participants = participants + excluded.participants,
             without_participants = without_participants + excluded.without_participants",
    )?;
    for (profile, (records, participants, without)) in &sums.profiles {
        if (*records, *without) != (0, 0) || *participants != 0.0 {
            add.execute(params![profile, records, participants, without])?;
        }
    }
    conn.execute_batch(
        "DELETE FROM catalogue_counts WHERE records = 0 AND kind NOT IN ('records', 'tombstones');
         DELETE FROM profile_counts WHERE records = 0;
         DELETE FROM counts_dirty;",
    )?;
    Ok(())
}

/// The counts of the catalogue as it is.
#[derive(Debug, Clone)]
pub struct CatalogueCounts {
    /// Records with data that are not deleted.
    pub records: u64,
    /// Tombstones.
    pub tombstones: u64,
    /// Records by publication year (`None`: no year), by year.
    pub by_year: Vec<(Option<i64>, u64)>,
    /// Records by publication type, most frequent first, then by name.
    pub by_publication_type: Vec<(String, u64)>,
    /// (profile, records, participants, records without participants).
    profiles: Vec<(String, u64, f64, u64)>,
}

/// Reads the counts, corrected for the records noted as changed since they were last settled;
/// `None` when so many are noted that counting the records themselves is as quick (the caller
/// does).
pub fn catalogue_counts(store: &Store) -> Result<Option<CatalogueCounts>, StoreError> {
    let conn = store.conn();
    // (One state for every read below, unless the caller reads in a transaction already.)
    let _snapshot = if conn.is_autocommit() {
        Some(store.read_snapshot()?)
    } else {
        None
    };
    let pending: i64 = conn.query_row("SELECT count(*) FROM counts_dirty", [], |r| r.get(0))?;
    if pending > MAX_PENDING {
        return Ok(None);
    }
    let mut sums = Sums::default();
    let mut stmt = conn.prepare_cached("SELECT kind, key, records FROM catalogue_counts")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (kind, key, n): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        match kind.as_str() {
            "records" => sums.records += n,
            "tombstones" => sums.tombstones += n,
            "year" => *sums.years.entry(key.parse().ok()).or_default() += n,
            _ => *sums.publication_types.entry(key).or_default() += n,
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT profile, records, participants, without_participants FROM profile_counts",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        sums.profiles
            .insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?));
    }
    if pending > 0 {
        for (now, counted) in noted_parts(conn, (i64::MIN, i64::MAX))?.values() {
            if let Some(counted) = counted {
                sums.add(counted, -1);
            }
            if let Some(now) = now {
                sums.add(now, 1);
            }
        }
    }
    let count = |n: i64| n.max(0) as u64;
    let mut by_publication_type: Vec<(String, u64)> = sums
        .publication_types
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| (t, count(n)))
        .collect();
    by_publication_type.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Some(CatalogueCounts {
        records: count(sums.records),
        tombstones: count(sums.tombstones),
        by_year: sums
            .years
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(y, n)| (y, count(n)))
            .collect(),
        by_publication_type,
        profiles: sums
            .profiles
            .into_iter()
            .filter(|(_, (n, _, _))| *n > 0)
            .map(|(p, (n, participants, without))| (p, count(n), participants, count(without)))
            .collect(),
    }))
}

/// Records and tombstones as last settled (records noted since are not counted: an estimate of
/// the catalogue's size for choosing how to search, read in two rows).
pub fn records_counted(store: &Store) -> Result<u64, StoreError> {
    let n: i64 = store.conn().query_row(
        "SELECT coalesce(sum(records), 0) FROM catalogue_counts WHERE kind IN ('records', 'tombstones')",
        [],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

impl CatalogueCounts {
    /// How many records have every one of `tags` (dimension, tag) as effective tags, deleted
    /// ones too unless `exclude_deleted`; `None` when a dimension is not one the counts keep
    /// (condition, outcome, design).
    pub fn records_with_tags(
        &self,
        tags: &[(String, String)],
        exclude_deleted: bool,
    ) -> Option<u64> {
        let wanted: Vec<(usize, &str)> = tags
            .iter()
            .map(|(d, t)| Some((PROFILE_DIMENSIONS.iter().position(|x| x == d)?, t.as_str())))
            .collect::<Option<_>>()?;
        let mut n = 0;
        for (key, records, _, _) in &self.profiles {
            let (deleted, profile) = match key.strip_prefix(CURRENT) {
                Some(profile) => (false, profile),
                None => (true, key.strip_prefix(DELETED).unwrap_or(key)),
            };
            if deleted && exclude_deleted {
                continue;
            }
            let dims = profile_tags(profile);
            if wanted.iter().all(|(d, t)| dims[*d].contains(t)) {
                n += records;
            }
        }
        Some(n)
    }

    /// The condition-by-outcome matrix of the records (of one design), as
    /// [`super::tags::tag_matrix`] counts it, weighed by participants as
    /// [`super::tags::weigh_by_participants`] does when `weigh`.
    pub fn matrix(
        &self,
        rows: &[String],
        columns: &[String],
        design: Option<&str>,
        weigh: bool,
    ) -> Matrix {
        let as_count = |x: f64| x.max(0.0).round() as u64;
        let position = |tags: &[String], tag: &str| tags.iter().position(|t| t == tag);
        let mut cells = vec![vec![0u64; columns.len()]; rows.len()];
        let mut row_totals = vec![0u64; rows.len()];
        let mut column_totals = vec![0u64; columns.len()];
        let mut weighed_cells = vec![vec![0f64; columns.len()]; rows.len()];
        let mut weighed_rows = vec![0f64; rows.len()];
        let mut weighed_columns = vec![0f64; columns.len()];
        let (mut records, mut total, mut without) = (0u64, 0f64, 0u64);
        for (profile, n, participants, missing) in &self.profiles {
            let Some(profile) = profile.strip_prefix(CURRENT) else {
                continue;
            };
            let [conditions, outcomes, designs] = profile_tags(profile);
            if design.is_some_and(|d| !designs.contains(&d)) {
                continue;
            }
            records += n;
            total += participants;
            without += missing;
            let conditions: Vec<usize> = conditions
                .iter()
                .filter_map(|t| position(rows, t))
                .collect();
            let outcomes: Vec<usize> = outcomes
                .iter()
                .filter_map(|t| position(columns, t))
                .collect();
            for &r in &conditions {
                row_totals[r] += n;
                weighed_rows[r] += participants;
                for &c in &outcomes {
                    cells[r][c] += n;
                    weighed_cells[r][c] += participants;
                }
            }
            for &c in &outcomes {
                column_totals[c] += n;
                weighed_columns[c] += participants;
            }
        }
        Matrix {
            design: design.map(str::to_string),
            rows: rows.to_vec(),
            columns: columns.to_vec(),
            cells,
            row_totals,
            column_totals,
            records,
            participants: weigh.then(|| ParticipantWeights {
                cells: weighed_cells
                    .iter()
                    .map(|row| row.iter().map(|x| as_count(*x)).collect())
                    .collect(),
                row_totals: weighed_rows.iter().map(|x| as_count(*x)).collect(),
                column_totals: weighed_columns.iter().map(|x| as_count(*x)).collect(),
                total: as_count(total),
                records_without_participants: without,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::import::import_stream;
    use crate::store::stats::count_records;
    use crate::store::tags::{set_manual_tag, tag_matrix, weigh_by_participants};
    use crate::tagging::{Matcher, Taxonomy};

    /// The kept counts, and the same counted from the records: they must be equal.
    fn both(store: &Store) -> (String, String) {
        let taxonomy = Taxonomy::builtin();
        let ids = |dimension: &str| -> Vec<String> {
            taxonomy.tags_of(dimension).map(|t| t.id.clone()).collect()
        };
        let (rows, columns, designs) = (ids("condition"), ids("outcome"), ids("design"));
        let kept = catalogue_counts(store)
            .unwrap()
            .expect("few records pending");
        let mut got = format!(
            "{:?}\n",
            (
                kept.records,
                kept.tombstones,
                &kept.by_year,
                &kept.by_publication_type
            )
        );
        let mut want = format!("{:?}\n", count_records(store).unwrap());
        for design in std::iter::once(None).chain(designs.iter().map(|d| Some(d.as_str()))) {
            got.push_str(&format!(
                "{:?}\n",
                kept.matrix(&rows, &columns, design, true)
            ));
            let mut m = tag_matrix(store, "condition", &rows, "outcome", &columns, design).unwrap();
            weigh_by_participants(store, "condition", "outcome", &mut m).unwrap();
            want.push_str(&format!("{m:?}\n"));
        }
        (got, want)
    }

    fn pending(store: &Store) -> i64 {
        store
            .conn()
            .query_row("SELECT count(*) FROM counts_dirty", [], |r| r.get(0))
            .unwrap()
    }

    /// The kept counts equal counts of the records after imports, revisions, deletions, manual
    /// decisions (settled or still pending) and a write by another program.
    #[test]
    fn kept_counts_are_those_of_the_records_after_every_kind_of_change() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("c.sqlite")).unwrap();
        let matcher = Matcher::new(Taxonomy::builtin());
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let import = |store: &mut Store, name: &str| {
            let xml = std::fs::read(fixtures.join(name)).unwrap();
            import_stream(store, &xml[..], name, Some(&matcher), &mut |_| {}).unwrap();
        };
        let check = |store: &Store, step: &str| {
            let (got, want) = both(store);
            assert_eq!(got, want, "{step}");
        };
        check(&store, "empty");
        for name in [
            "ozone-back-pain.xml",
            "find-ranking.xml",
            "book-article.xml",
            "medline-date.xml",
            "versions.xml",
            "full-elements.xml",
        ] {
            import(&mut store, name);
        }
        assert_eq!(pending(&store), 0, "settled when each import committed");
        assert!(
            count_records(&store).unwrap().0 >= 15,
            "the fixtures are counted"
        );
        check(&store, "imports");
        import(&mut store, "revised-later.xml");
        import(&mut store, "delete-citation.xml");
        check(&store, "a revision and deletions");
        // Manual decisions (written outside a write transaction: noted, not settled yet).
        let pmid = 22430658;
        set_manual_tag(
            &mut store,
            pmid,
            "design",
            "case-report",
            true,
            true,
            Some(5),
            None,
            None,
        )
        .unwrap();
        set_manual_tag(
            &mut store,
            pmid,
            "condition",
            "sciatica",
            true,
            false,
            None,
            None,
            None,
        )
        .unwrap();
        set_manual_tag(
            &mut store, pmid, "outcome", "pain", false, false, None, None, None,
        )
        .unwrap();
        // (A decision changed: the upsert updates the row.)
        set_manual_tag(
            &mut store,
            pmid,
            "condition",
            "sciatica",
            false,
            false,
            None,
            None,
            None,
        )
        .unwrap();
        assert!(pending(&store) > 0, "the decisions are noted");
        check(&store, "manual decisions, pending");
        // Another program's write.
        store
            .conn()
            .execute("UPDATE articles SET deleted = 1 WHERE pmid = 22430658", [])
            .unwrap();
        store
            .conn()
            .execute("DELETE FROM facts WHERE kind = 'participants' AND pmid IN (SELECT pmid FROM facts LIMIT 2)", [])
            .unwrap();
        check(&store, "another program's writes, pending");
        // The next write transaction settles them.
        store.write_transaction().unwrap().commit().unwrap();
        assert_eq!(pending(&store), 0);
        check(&store, "settled");
    }
}
