//! [`Stats`]: a plain snapshot of what a pool did, and [`Counter`], the cheap counter
//! pools keep it in.
//!
//! Pools count on their hot path, so the counting must cost next to nothing. The scheme:
//! every thread counts in its own [`Counter`]s (one writer each, so an increment is a
//! relaxed load and store, with no read-modify-write and no shared cache line), and
//! `stats()` adds up all threads' counters when someone asks. A reader running concurrently
//! with writers sees each counter at some recent value; the snapshot is exact once the pool
//! is quiescent.

use crate::sync::atomic::{AtomicU64, Ordering};
use core::fmt;
use core::ops::{Add, AddAssign};

/// A snapshot of a pool's counters.
///
/// The flow counters only grow; `outstanding`, `retained_objects` and `retained_bytes` are
/// levels at the time of the snapshot. In a quiescent pool the books balance:
///
/// `created + adopted == retained_objects + outstanding + dropped() + detached`
///
/// (every object that entered the pool is idle in it, in a user's hands, dropped, or
/// detached), which [`is_balanced`](Stats::is_balanced) checks.
///
/// # Examples
///
/// ```
/// use larder_core::Stats;
///
/// let s = Stats { created: 3, hits: 7, misses: 3, returned: 9, retained_objects: 2,
///                 outstanding: 1, ..Stats::default() };
/// assert!(s.is_balanced());
/// assert_eq!(s.hit_rate(), 0.7);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Stats {
    /// Objects made by the pool's factory.
    pub created: u64,
    /// Outside objects given to the pool with `put`.
    pub adopted: u64,
    /// Takes served from retained objects.
    pub hits: u64,
    /// Takes that had to create (or fall back to the heap).
    pub misses: u64,
    /// Objects handed back and kept.
    pub returned: u64,
    /// Objects handed back and dropped because keeping them would pass a limit.
    pub dropped_full: u64,
    /// Objects handed back and dropped by the recycle policy (invalid, oversize, or their
    /// reset panicked).
    pub dropped_rejected: u64,
    /// Retained objects dropped by `trim`, idle aging or a thread's exit.
    pub released: u64,
    /// Objects taken out of the pool for good (`detach`).
    pub detached: u64,
    /// Objects currently in users' hands.
    pub outstanding: u64,
    /// Objects currently idle in the pool (shared layer and thread caches).
    pub retained_objects: u64,
    /// Footprint of the retained objects, in bytes.
    pub retained_bytes: u64,
}

impl Stats {
    /// Every object dropped by the pool, for whatever reason.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_core::Stats { dropped_full: 1, dropped_rejected: 2, released: 3,
    ///                              ..Default::default() };
    /// assert_eq!(s.dropped(), 6);
    /// ```
    pub const fn dropped(&self) -> u64 {
        self.dropped_full + self.dropped_rejected + self.released
    }

    /// Whether every object that entered the pool is accounted for (see the type docs).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_core::Stats { created: 1, outstanding: 1, ..Default::default() };
    /// assert!(s.is_balanced());
    /// ```
    pub const fn is_balanced(&self) -> bool {
        self.created + self.adopted
            == self.retained_objects + self.outstanding + self.dropped() + self.detached
    }

    /// `hits / (hits + misses)`, or 0 when nothing was taken.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_core::Stats::default().hit_rate(), 0.0);
    /// ```
    pub fn hit_rate(&self) -> f64 {
        let takes = self.hits + self.misses;
        if takes == 0 {
            0.0
        } else {
            self.hits as f64 / takes as f64
        }
    }
}

impl Add for Stats {
    type Output = Stats;
    fn add(mut self, rhs: Stats) -> Stats {
        self += rhs;
        self
    }
}

/// Field-wise sum, for adding up the classes of a tiered pool.
impl AddAssign for Stats {
    fn add_assign(&mut self, rhs: Stats) {
        self.created += rhs.created;
        self.adopted += rhs.adopted;
        self.hits += rhs.hits;
        self.misses += rhs.misses;
        self.returned += rhs.returned;
        self.dropped_full += rhs.dropped_full;
        self.dropped_rejected += rhs.dropped_rejected;
        self.released += rhs.released;
        self.detached += rhs.detached;
        self.outstanding += rhs.outstanding;
        self.retained_objects += rhs.retained_objects;
        self.retained_bytes += rhs.retained_bytes;
    }
}

impl core::iter::Sum for Stats {
    fn sum<I: Iterator<Item = Stats>>(iter: I) -> Stats {
        iter.fold(Stats::default(), Add::add)
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "created {} adopted {} | hits {} misses {} ({:.1}% hit) | returned {} | \
             dropped: full {} rejected {} released {} | detached {} | outstanding {} | \
             retained {} objects, {} bytes",
            self.created,
            self.adopted,
            self.hits,
            self.misses,
            self.hit_rate() * 100.0,
            self.returned,
            self.dropped_full,
            self.dropped_rejected,
            self.released,
            self.detached,
            self.outstanding,
            self.retained_objects,
            self.retained_bytes,
        )
    }
}

/// A counter with one writer and any number of readers.
///
/// [`add`](Counter::add) is a relaxed load and a relaxed store: on x86-64 and AArch64 two
/// plain moves, without the locked read-modify-write (and the cache-line ownership
/// traffic) of `fetch_add`. That is only correct while a single thread writes the counter,
/// which is why `add` is for the owner (a thread's cache) and readers use
/// [`get`](Counter::get). For a counter written by several threads use
/// [`add_shared`](Counter::add_shared), which is a real `fetch_add`.
///
/// # Examples
///
/// ```
/// use larder_core::Counter;
///
/// let hits = Counter::new();
/// hits.add(1); // owner thread
/// hits.add(2);
/// assert_eq!(hits.get(), 3); // any thread
/// ```
#[derive(Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// A counter at zero.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_core::Counter::new().get(), 0);
    /// ```
    #[cfg(not(larder_loom))]
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// A counter at zero (loom's atomics are not `const`).
    #[cfg(larder_loom)]
    pub fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// Adds `n`; only the counter's single writer may call this.
    ///
    /// Calling it from two threads at once is not undefined behaviour, but increments can
    /// be lost; use [`add_shared`](Self::add_shared) there.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = larder_core::Counter::new();
    /// c.add(5);
    /// assert_eq!(c.get(), 5);
    /// ```
    #[inline]
    pub fn add(&self, n: u64) {
        self.0.store(
            self.0.load(Ordering::Relaxed).wrapping_add(n),
            Ordering::Relaxed,
        );
    }

    /// Adds `n` atomically; any number of threads may call this.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = larder_core::Counter::new();
    /// c.add_shared(2);
    /// assert_eq!(c.get(), 2);
    /// ```
    #[inline]
    pub fn add_shared(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    /// The current value.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_core::Counter::new().get(), 0);
    /// ```
    #[inline]
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.get(), f)
    }
}

#[cfg(all(test, not(larder_loom)))]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn sums_are_fieldwise() {
        let a = Stats {
            created: 1,
            adopted: 2,
            hits: 3,
            misses: 4,
            returned: 5,
            dropped_full: 6,
            dropped_rejected: 7,
            released: 8,
            detached: 9,
            outstanding: 10,
            retained_objects: 11,
            retained_bytes: 12,
        };
        let b = a + a;
        assert_eq!(b.retained_bytes, 24);
        assert_eq!(b.created, 2);
        assert_eq!([a, a, a].into_iter().sum::<Stats>().released, 24);
        assert_eq!(a.dropped(), 21);
    }

    #[test]
    fn balance() {
        let mut s = Stats {
            created: 10,
            adopted: 1,
            retained_objects: 4,
            outstanding: 3,
            dropped_full: 1,
            dropped_rejected: 1,
            released: 1,
            detached: 1,
            ..Stats::default()
        };
        assert!(s.is_balanced());
        s.outstanding -= 1;
        assert!(
            !s.is_balanced(),
            "an object missing from the books is caught"
        );
    }

    #[test]
    fn display_mentions_everything() {
        let text = Stats {
            hits: 1,
            misses: 1,
            ..Stats::default()
        }
        .to_string();
        for word in ["created", "hits", "50.0% hit", "dropped", "retained"] {
            assert!(text.contains(word), "{text}");
        }
    }

    #[test]
    fn counter_single_and_shared() {
        let c = Counter::new();
        c.add(u64::MAX);
        c.add(2);
        assert_eq!(c.get(), 1, "wraps instead of panicking");
        c.add_shared(1);
        assert_eq!(c.get(), 2);
        assert_eq!(alloc::format!("{c:?}"), "2");
    }

    #[cfg(feature = "std")]
    #[test]
    fn counter_read_from_another_thread() {
        let c = std::sync::Arc::new(Counter::new());
        let writer = {
            let c = c.clone();
            std::thread::spawn(move || {
                for _ in 0..10_000 {
                    c.add(1);
                }
            })
        };
        let mut last = 0;
        while !writer.is_finished() {
            let now = c.get();
            assert!(now >= last, "a single writer's counter never goes back");
            last = now;
        }
        writer.join().unwrap();
        assert_eq!(c.get(), 10_000);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip() {
        let s = Stats {
            hits: 42,
            ..Stats::default()
        };
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"hits\":42"));
        assert_eq!(serde_json::from_str::<Stats>(&json).unwrap(), s);
    }
}
