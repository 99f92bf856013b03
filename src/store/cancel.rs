//! Stopping a reader's work when whoever asked for it is gone: a front end that answers many
//! requests (`evcat serve`) runs each request's catalogue work inside
//! [`Cancellation::scope`]; every store opened on that thread meanwhile checks the cancellation
//! every few thousand SQLite steps and stops its query with [`StoreError::Cancelled`] once it is
//! set. Stores opened outside a scope (every CLI command) are not affected.
//!
//! [`StoreError::Cancelled`]: super::StoreError::Cancelled

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;

/// SQLite virtual-machine steps between two looks at the cancellation (a few microseconds).
const STEPS_BETWEEN_LOOKS: i32 = 4_000;

thread_local! {
    static CURRENT: RefCell<Option<Cancellation>> = const { RefCell::new(None) };
}

/// A request's cancellation: set it, and the queries of the stores opened in its scope stop.
#[derive(Debug, Clone, Default)]
pub struct Cancellation(Arc<AtomicBool>);

impl Cancellation {
    /// A cancellation not set yet.
    pub fn new() -> Cancellation {
        Cancellation::default()
    }

    /// Stops the work running in this cancellation's scope (from any thread).
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// True once [`Cancellation::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Runs `work` on this thread with this cancellation in force for every store it opens.
    pub fn scope<T>(&self, work: impl FnOnce() -> T) -> T {
        self.scope_as(Some(self.clone()), work)
    }

    fn scope_as<T>(&self, current: Option<Cancellation>, work: impl FnOnce() -> T) -> T {
        let outer = CURRENT.with(|c| c.replace(current));
        // (Restored even if `work` panics.)
        struct Restore(Option<Cancellation>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let outer = self.0.take();
                CURRENT.with(|c| *c.borrow_mut() = outer);
            }
        }
        let _restore = Restore(outer);
        work()
    }
}

/// Runs `work` with no cancellation in force: for a store that outlives the request that opens
/// it (one kept open for the whole process).
pub fn outside_any_scope<T>(work: impl FnOnce() -> T) -> T {
    Cancellation(Arc::new(AtomicBool::new(false))).scope_as(None, work)
}

/// Makes `conn` stop its queries when this thread's current cancellation (if any) is set.
pub(super) fn watch(conn: &Connection) -> rusqlite::Result<()> {
    if let Some(cancellation) = CURRENT.with(|c| c.borrow().clone()) {
        conn.progress_handler(
            STEPS_BETWEEN_LOOKS,
            Some(move || cancellation.is_cancelled()),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, StoreError};

    #[test]
    fn a_cancelled_scope_stops_a_running_query_and_other_stores_run_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalogue.sqlite");
        drop(Store::open(&path).unwrap());
        let cancellation = Cancellation::new();
        let stopper = cancellation.clone();
        let canceller = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            stopper.cancel();
        });
        // A query that would run for many minutes.
        let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000000) SELECT count(*) FROM n";
        let stopped = cancellation.scope(|| {
            let store = Store::open(&path).unwrap();
            store.conn().query_row(endless, [], |r| r.get::<_, i64>(0))
        });
        canceller.join().unwrap();
        let e = stopped.expect_err("the query was stopped");
        assert!(matches!(StoreError::from(e), StoreError::Cancelled));
        // Outside the scope nothing is watched.
        let store = Store::open(&path).unwrap();
        let n: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
