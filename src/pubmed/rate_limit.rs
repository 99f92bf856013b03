//! NCBI's request limit (3 requests a second without an API key, 10 with one), kept across
//! every evcat process on the machine.
//!
//! NCBI counts requests per IP address or API key, not per catalogue or process: two `refresh`
//! runs back to back, or a `fetch` started while a cron job refreshes another catalogue, must
//! share one budget. So the starts of the last requests are kept in a small file in the user's
//! cache directory ([`SHARED_FILE`]); a process takes an exclusive file lock, reads the recent
//! starts, reserves the next free slot, writes it back and releases the lock *before* waiting
//! for its slot, so processes never hold the lock while they sleep and each gets its own slot.
//!
//! A slot is at least one interval (1.15 / limit seconds, a 15% margin for clock granularity,
//! scheduling and network jitter, since NCBI counts arrivals) after the latest reserved start, and more than a second (again with the
//! margin) after the start `limit` places back: no one-second window holds more than `limit`
//! starts, whichever processes sent them, and a process with the lower limit (no key) also
//! counts the requests of processes with a key. Within a process the same spacing holds with or
//! without the file. When the file cannot be used the limiter keeps spacing this process's
//! requests on its own (the caller warns once).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The file, in the cache directory, holding the starts of the last requests.
pub const SHARED_FILE: &str = "eutils-requests";

/// Starts kept in the file: the highest limit (10 with an API key).
const KEPT: usize = 10;

/// Margin on every spacing.
const MARGIN: f64 = 1.15;

/// Spaces request starts: at most `per_second` in any one-second window, in this process and,
/// once [`RateLimiter::share_across_processes`] succeeded, across processes.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: u32,
    interval: Duration,
    state: Mutex<LimiterState>,
}

#[derive(Debug, Default)]
struct LimiterState {
    /// This process's next allowed start.
    next: Option<Instant>,
    /// The shared file, while it works.
    shared: Option<SharedStarts>,
}

/// The cross-process record of request starts could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct SharedLimitError {
    /// The file or directory.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

impl RateLimiter {
    /// At most `per_second` request starts in any one-second window.
    pub fn per_second(per_second: u32) -> RateLimiter {
        let per_second = per_second.max(1);
        RateLimiter {
            per_second,
            interval: Duration::from_secs_f64(MARGIN / f64::from(per_second)),
            state: Mutex::new(LimiterState::default()),
        }
    }

    /// The spacing between request starts.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Shares the limit with every process using the same `cache_dir` (created if missing):
    /// request starts are recorded in `cache_dir/`[`SHARED_FILE`]. On error the limiter stays
    /// in-process only.
    pub fn share_across_processes(&self, cache_dir: &Path) -> Result<PathBuf, SharedLimitError> {
        let fail = |path: &Path| {
            let path = path.to_path_buf();
            move |source: std::io::Error| SharedLimitError { path, source }
        };
        std::fs::create_dir_all(cache_dir).map_err(fail(cache_dir))?;
        let path = cache_dir.join(SHARED_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(fail(path.as_path()))?;
        let shared = SharedStarts { file };
        // Read it once under the lock, so that a file that cannot be locked or read fails here,
        // where the caller can say so, rather than on the first request.
        shared
            .with_lock(|_| Ok(None))
            .map_err(fail(path.as_path()))?;
        self.lock_state().shared = Some(shared);
        Ok(path)
    }

    /// Whether starts are shared with other processes.
    pub fn is_shared(&self) -> bool {
        self.lock_state().shared.is_some()
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, LimiterState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Blocks until a request may start.
    pub fn wait(&self) {
        let mut state = self.lock_state();
        let now = Instant::now();
        let mut start = state.next.filter(|&at| at > now).unwrap_or(now);
        if let Some(shared) = &state.shared {
            let wanted = SystemTime::now() + (start - now);
            match shared.reserve(wanted, self.per_second, self.interval) {
                Ok(slot) => {
                    let ahead = slot
                        .duration_since(SystemTime::now())
                        .unwrap_or(Duration::ZERO);
                    start = start.max(Instant::now() + ahead);
                }
                // The file stopped working (removed, disk full): keep spacing in-process.
                Err(_) => state.shared = None,
            }
        }
        let now = Instant::now();
        if start > now {
            std::thread::sleep(start - now);
        }
        state.next = Some(start.max(Instant::now()) + self.interval);
    }
}

/// The shared file of request starts (nanoseconds since the Unix epoch, one a line).
#[derive(Debug)]
struct SharedStarts {
    file: File,
}

impl SharedStarts {
    /// Runs `f` on the recorded starts under the file lock; writes back what it returns.
    fn with_lock(
        &self,
        f: impl FnOnce(&mut Vec<u128>) -> std::io::Result<Option<()>>,
    ) -> std::io::Result<()> {
        self.file.lock()?;
        let result = (|| {
            let mut file = &self.file;
            file.rewind()?;
            let mut text = String::new();
            file.read_to_string(&mut text)?;
            let mut starts: Vec<u128> =
                text.lines().filter_map(|l| l.trim().parse().ok()).collect();
            if f(&mut starts)?.is_some() {
                let mut out = String::with_capacity(starts.len() * 21);
                for s in &starts {
                    out.push_str(&s.to_string());
                    out.push('\n');
                }
                file.set_len(0)?;
                file.rewind()?;
                file.write_all(out.as_bytes())?;
            }
            Ok(())
        })();
        let unlocked = self.file.unlock();
        result.and(unlocked)
    }

    /// Reserves the first start at or after `wanted` that keeps the limit, and returns it.
    fn reserve(
        &self,
        wanted: SystemTime,
        per_second: u32,
        interval: Duration,
    ) -> std::io::Result<SystemTime> {
        let mut slot = 0u128;
        self.with_lock(|starts| {
            let now = nanos(SystemTime::now());
            // Starts older than two seconds no longer matter; starts a minute or more ahead
            // can only come from a clock set back, and would block every process.
            starts.retain(|&s| s + 2_000_000_000 > now && s < now + 60_000_000_000);
            starts.sort_unstable();
            slot = earliest_slot(starts, nanos(wanted), per_second, interval);
            starts.push(slot);
            let excess = starts.len().saturating_sub(KEPT);
            starts.drain(..excess);
            Ok(Some(()))
        })?;
        Ok(UNIX_EPOCH + Duration::from_nanos(u64::try_from(slot).unwrap_or(u64::MAX)))
    }
}

fn nanos(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

/// The first start at or after `wanted` given the recorded `starts` (sorted): one `interval`
/// after the latest, and more than a second (with the margin) after the `per_second`-th latest.
fn earliest_slot(starts: &[u128], wanted: u128, per_second: u32, interval: Duration) -> u128 {
    let mut slot = wanted;
    if let Some(&last) = starts.last() {
        slot = slot.max(last + interval.as_nanos());
    }
    let limit = per_second as usize;
    if starts.len() >= limit {
        let window = Duration::from_secs_f64(MARGIN).as_nanos();
        slot = slot.max(starts[starts.len() - limit] + window);
    }
    slot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_requests_in_process() {
        let limiter = RateLimiter::per_second(10);
        let start = Instant::now();
        for _ in 0..4 {
            limiter.wait();
        }
        // Three intervals must have passed between the first and the fourth start.
        assert!(start.elapsed() >= limiter.interval() * 3);
    }

    #[test]
    fn slots_keep_every_window_within_the_limit() {
        let second = 1_000_000_000u128;
        let three = Duration::from_secs_f64(MARGIN / 3.0);
        // Nothing recorded: now.
        assert_eq!(earliest_slot(&[], 5 * second, 3, three), 5 * second);
        // One interval after the latest start.
        assert_eq!(
            earliest_slot(&[5 * second], 5 * second, 3, three),
            5 * second + three.as_nanos()
        );
        // A keyed process's burst of ten (0.105 s apart) holds back a keyless one for more
        // than a second after the third latest.
        let burst: Vec<u128> = (0..10).map(|i| 5 * second + i * second / 10).collect();
        let slot = earliest_slot(&burst, burst[9], 3, three);
        assert!(slot > burst[7] + second, "{slot}");
    }

    #[test]
    fn two_limiters_sharing_a_directory_take_turns() {
        let dir = tempfile::tempdir().unwrap();
        let a = RateLimiter::per_second(3);
        let b = RateLimiter::per_second(3);
        a.share_across_processes(dir.path()).unwrap();
        b.share_across_processes(dir.path()).unwrap();
        assert!(a.is_shared() && b.is_shared());
        let started = Instant::now();
        a.wait();
        b.wait();
        // b's first request waits for a's: one interval, though b itself sent nothing yet.
        assert!(started.elapsed() >= a.interval(), "{:?}", started.elapsed());
        let text = std::fs::read_to_string(dir.path().join(SHARED_FILE)).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
    }

    #[test]
    fn an_unusable_directory_is_reported_and_leaves_the_limiter_in_process() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        let limiter = RateLimiter::per_second(3);
        let err = limiter
            .share_across_processes(&file.join("evcat"))
            .unwrap_err();
        assert!(err.path.starts_with(&file), "{err}");
        assert!(!limiter.is_shared());
        limiter.wait();
    }
}
