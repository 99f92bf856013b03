//! Answers kept between requests of a long-running front end (`evcat serve`), valid for one
//! generation of the catalogue: the first commit by anyone (an import, a refresh, a reviewer on
//! another page, another process) after an answer was computed makes every kept answer stale,
//! and the next request computes afresh. Requests asking the same question at the same time
//! compute it once; the others wait for that answer. What is kept is bounded (least recently
//! used answers go first).
//!
//! The generation is read on one connection kept open for that purpose (SQLite's
//! `data_version` only compares values of one connection); reading it costs microseconds.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::{Context, OpsError};
use crate::store::Store;
use crate::store::cancel::outside_any_scope;

/// Which generation of the catalogue is current, read on one connection kept for it.
#[derive(Default)]
pub struct CatalogueGeneration {
    watcher: Mutex<Option<Store>>,
}

impl CatalogueGeneration {
    /// The current generation; `None` when it cannot be told (no catalogue file yet, or it
    /// could not be opened), and then nothing is kept.
    pub fn current(&self, ctx: &Context) -> Option<i64> {
        let mut watcher = lock(&self.watcher);
        if watcher.is_none() {
            // (Kept for the whole process: not stopped with the request that opens it.)
            *watcher = outside_any_scope(|| ctx.open_store_read()).ok();
        }
        let generation = watcher.as_ref().and_then(|s| s.generation().ok().flatten());
        if generation.is_none() {
            // (Opened again next time: the catalogue may be created meanwhile.)
            *watcher = None;
        }
        generation
    }
}

/// Answers of type `V` to questions `K`, kept for the current generation of the catalogue (or,
/// made with [`AnswerCache::lasting`], for as long as the cache lives).
pub struct AnswerCache<K, V> {
    /// `None`: answers that stay true while the cache lives.
    generation: Option<Arc<CatalogueGeneration>>,
    capacity: usize,
    kept: Mutex<Kept<K, V>>,
    clock: AtomicU64,
}

struct Kept<K, V> {
    generation: Option<i64>,
    slots: HashMap<K, Arc<Slot<V>>>,
}

/// One question's answer, computed by the first request that asks (the others wait on `answer`).
struct Slot<V> {
    answer: Mutex<Option<Arc<V>>>,
    used: AtomicU64,
}

impl<K: Hash + Eq + Clone, V> AnswerCache<K, V> {
    /// A cache of at most `capacity` answers, valid for `generation`'s current generation.
    pub fn new(generation: Arc<CatalogueGeneration>, capacity: usize) -> Self {
        Self::with(Some(generation), capacity)
    }

    /// A cache of at most `capacity` answers that do not change with the catalogue (answers
    /// about something that never changes, kept with it).
    pub fn lasting(capacity: usize) -> Self {
        Self::with(None, capacity)
    }

    fn with(generation: Option<Arc<CatalogueGeneration>>, capacity: usize) -> Self {
        AnswerCache {
            generation,
            capacity: capacity.max(1),
            kept: Mutex::new(Kept {
                generation: None,
                slots: HashMap::new(),
            }),
            clock: AtomicU64::new(0),
        }
    }

    /// The answer to `key` for the catalogue as it is now: kept, or computed by `compute` (and
    /// kept unless it failed; a failure is never kept).
    pub fn get_or_compute(
        &self,
        ctx: &Context,
        key: &K,
        compute: impl FnOnce() -> Result<V, OpsError>,
    ) -> Result<Arc<V>, OpsError> {
        let generation = match &self.generation {
            Some(generation) => match generation.current(ctx) {
                Some(generation) => generation,
                None => return compute().map(Arc::new),
            },
            None => 0,
        };
        let slot = {
            let mut kept = lock(&self.kept);
            if kept.generation != Some(generation) {
                kept.generation = Some(generation);
                kept.slots.clear();
            }
            if !kept.slots.contains_key(key) && kept.slots.len() >= self.capacity {
                let oldest = kept
                    .slots
                    .iter()
                    .min_by_key(|(_, s)| s.used.load(Ordering::Relaxed))
                    .map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    kept.slots.remove(&oldest);
                }
            }
            Arc::clone(kept.slots.entry(key.clone()).or_insert_with(|| {
                Arc::new(Slot {
                    answer: Mutex::new(None),
                    used: AtomicU64::new(0),
                })
            }))
        };
        slot.used.store(
            self.clock.fetch_add(1, Ordering::Relaxed),
            Ordering::Relaxed,
        );
        // (Held while computing: a second request for the same answer waits for the first.)
        let mut answer = lock(&slot.answer);
        if let Some(kept) = answer.as_ref() {
            return Ok(Arc::clone(kept));
        }
        let computed = Arc::new(compute()?);
        *answer = Some(Arc::clone(&computed));
        Ok(computed)
    }

    /// The questions whose answers are kept now, the most recently asked first.
    pub fn questions(&self) -> Vec<K> {
        let kept = lock(&self.kept);
        let mut questions: Vec<(u64, &K)> = kept
            .slots
            .iter()
            .map(|(k, s)| (s.used.load(Ordering::Relaxed), k))
            .collect();
        questions.sort_by_key(|q| std::cmp::Reverse(q.0));
        questions.into_iter().map(|(_, k)| k.clone()).collect()
    }

    /// How many answers are kept now.
    pub fn len(&self) -> usize {
        lock(&self.kept).slots.len()
    }

    /// True when no answer is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Locks `m`, taking over a lock whose holder panicked (what is kept stays consistent: a slot
/// is filled only by a finished computation).
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;
    use crate::ops::context::ContextOptions;

    fn catalogue() -> (tempfile::TempDir, Context, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalogue.sqlite");
        let store = Store::open(&path).unwrap();
        let ctx = Context::new(ContextOptions {
            db: Some(path),
            quiet: true,
            ..ContextOptions::default()
        });
        (dir, ctx, store)
    }

    #[test]
    fn answers_are_kept_until_a_commit_and_the_least_recently_used_go_first() {
        let (_dir, ctx, mut writer) = catalogue();
        let cache: AnswerCache<&str, usize> =
            AnswerCache::new(Arc::new(CatalogueGeneration::default()), 2);
        let computed = AtomicUsize::new(0);
        let ask = |key| {
            *cache
                .get_or_compute(&ctx, &key, || Ok(computed.fetch_add(1, Ordering::SeqCst)))
                .unwrap()
        };
        assert_eq!((ask("a"), ask("a"), ask("b")), (0, 0, 1));
        assert_eq!(ask("a"), 0, "kept");
        // A third answer evicts the least recently used ("b"), not "a".
        assert_eq!((ask("c"), ask("a"), ask("b")), (2, 0, 3));
        assert_eq!(cache.len(), 2);
        // A commit by another connection: everything is computed afresh.
        let ozone = include_str!("../../fixtures/ozone-back-pain.xml");
        crate::store::import::import_stream(
            &mut writer,
            ozone.as_bytes(),
            "test",
            None,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(ask("a"), 4);
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_failure_is_not_kept() {
        let (_dir, ctx, _writer) = catalogue();
        let cache: AnswerCache<&str, u8> =
            AnswerCache::new(Arc::new(CatalogueGeneration::default()), 4);
        let failed = cache.get_or_compute(&ctx, &"q", || Err(OpsError::Failed("busy".into())));
        assert!(failed.is_err());
        assert_eq!(*cache.get_or_compute(&ctx, &"q", || Ok(7)).unwrap(), 7);
    }
}
