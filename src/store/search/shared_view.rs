//! A second read-only connection to a search's catalogue that reads what the search's own
//! connection reads, for a search that does part of its work on another thread.
//!
//! The search's own connection begins a read transaction between two readings of `PRAGMA
//! data_version` on the second one, which differ when any connection committed meanwhile; then
//! the second one reads in its own transaction, begun by the second reading, the catalogue the
//! first one sees. If they differ (a write landed in between), there is no shared view and the
//! search runs on its own connection alone.

use super::FindError;
use crate::store::{OpenOptions, ReadSnapshot, Store, StoreError};

/// Catalogues of fewer records are searched on one connection: opening a second one costs
/// about a millisecond, a small catalogue's whole search less.
pub(super) const SHARED_FROM_RECORDS: u64 = 20_000;

/// A second connection sharing `store`'s view of its catalogue (see the module doc), in its
/// read transaction (ended when it closes), and the read transaction of `store`'s own (ended
/// when dropped); `None`
/// when the search runs on its own connection: a catalogue of fewer than `from_records`
/// records or not in a file, a connection already in a transaction (whose view a second one
/// cannot share), a catalogue that cannot be opened twice, or a write between the two views.
pub(super) fn shared_view(
    store: &Store,
    from_records: u64,
) -> Result<Option<(Store, ReadSnapshot<'_>)>, FindError> {
    let conn = store.conn();
    if !conn.is_autocommit()
        || conn.path().is_none_or(str::is_empty)
        || crate::store::counts::records_counted(store)? < from_records
    {
        return Ok(None);
    }
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
    let own = store.read_snapshot()?;
    // (The snapshot begins with its first read.)
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
        .map_err(StoreError::from)?;
    other
        .conn()
        .execute_batch("BEGIN")
        .map_err(StoreError::from)?;
    if data_version(&other)? != before {
        return Ok(None);
    }
    Ok(Some((other, own)))
}

/// The connection's `PRAGMA data_version`: it changes when another connection commits.
fn data_version(store: &Store) -> Result<i64, StoreError> {
    Ok(store
        .conn()
        .query_row("PRAGMA data_version", [], |r| r.get(0))?)
}
