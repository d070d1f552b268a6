//! The shared layer: the budget every retained object is counted in, and the depot of
//! full magazines that moves objects between threads a batch at a time.

use crossbeam_queue::{ArrayQueue, SegQueue};
use crossbeam_utils::CachePadded;
use larder_core::sync::atomic::{AtomicUsize, Ordering};

use crate::Boxed;

use crate::local::Magazine;

/// One bound of `Limits` (objects or bytes), shared by all threads.
///
/// `used` is the depot's content plus every thread cache's credit. A cache reserves credit
/// in grains (several objects at once) and keeps objects only within its credit, so the sum
/// of everything retained is at most `used`, which never passes `max`.
pub(crate) struct Reservoir {
    used: CachePadded<AtomicUsize>,
    pub(crate) max: usize,
    /// How much a cache reserves at once beyond what it needs.
    pub(crate) grain: usize,
}

impl Reservoir {
    pub(crate) fn new(max: usize, grain: usize) -> Self {
        Reservoir {
            used: CachePadded::new(AtomicUsize::new(0)),
            max,
            grain,
        }
    }

    /// Reserves at least `need` and at most `want` (`need <= want`); 0 when `need` does not
    /// fit. A `need` of 0 is granted as 0.
    pub(crate) fn reserve(&self, need: usize, want: usize) -> usize {
        let mut used = self.used.load(Ordering::Relaxed);
        loop {
            let free = self.max.saturating_sub(used);
            if free < need {
                return 0;
            }
            let take = want.min(free);
            match self.used.compare_exchange_weak(
                used,
                used + take,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return take,
                Err(now) => used = now,
            }
        }
    }

    pub(crate) fn release(&self, n: usize) {
        if n != 0 {
            self.used.fetch_sub(n, Ordering::Relaxed);
        }
    }

    #[cfg(test)]
    pub(crate) fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }
}

/// Full magazines waiting for a thread, and empty ones kept for reuse.
///
/// Full magazines go into a bounded `ArrayQueue` sized for the pool's object limit (no
/// allocation once built); only what does not fit (an unbounded pool holding more than
/// [`FULL_SLOTS_UNBOUNDED`] batches, or many part-filled magazines) goes to an unbounded
/// `SegQueue`, which allocates a block per 31 magazines.
pub(crate) struct Depot<T> {
    full: ArrayQueue<Magazine<T>>,
    overflow: SegQueue<Magazine<T>>,
    empty: ArrayQueue<Magazine<T>>,
    objects: CachePadded<AtomicUsize>,
    bytes: CachePadded<AtomicUsize>,
    /// The lowest `objects` since the last tick (for idle aging).
    low: AtomicUsize,
    batch: usize,
    sized: bool,
}

/// Empty magazines kept for reuse.
const SPARE_MAGAZINES: usize = 16;
/// Slots of the full-magazine queue of a pool without an object limit.
pub(crate) const FULL_SLOTS_UNBOUNDED: usize = 64;
/// The most slots the full-magazine queue gets.
const FULL_SLOTS_MAX: usize = 256;

impl<T> Depot<T> {
    pub(crate) fn new(batch: usize, sized: bool, max_objects: Option<usize>) -> Self {
        let slots = max_objects.map_or(FULL_SLOTS_UNBOUNDED, |m| {
            (m.div_ceil(batch) + 4).min(FULL_SLOTS_MAX)
        });
        Depot {
            full: ArrayQueue::new(slots),
            overflow: SegQueue::new(),
            empty: ArrayQueue::new(SPARE_MAGAZINES),
            objects: CachePadded::new(AtomicUsize::new(0)),
            bytes: CachePadded::new(AtomicUsize::new(0)),
            low: AtomicUsize::new(0),
            batch,
            sized,
        }
    }

    /// An empty magazine with room for a batch (reused when one is spare).
    pub(crate) fn empty_magazine(&self) -> Magazine<T> {
        self.empty.pop().unwrap_or_else(|| Magazine {
            values: Vec::with_capacity(self.batch),
            sizes: Vec::with_capacity(if self.sized { self.batch } else { 0 }),
        })
    }

    /// Keeps an emptied magazine's allocation for the next batch (or frees it).
    pub(crate) fn recycle_magazine(&self, magazine: Magazine<T>) {
        debug_assert!(magazine.values.is_empty() && magazine.sizes.is_empty());
        if magazine.values.capacity() >= self.batch {
            let _ = self.empty.push(magazine);
        }
    }

    /// Publishes a non-empty magazine (its objects are already in the budget).
    pub(crate) fn push(&self, magazine: Magazine<T>) {
        let bytes = magazine.bytes();
        self.objects.fetch_add(magazine.len(), Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        if let Err(magazine) = self.full.push(magazine) {
            self.overflow.push(magazine);
        }
    }

    /// Takes the oldest magazine, with its object count and bytes.
    pub(crate) fn pop(&self) -> Option<(Magazine<T>, usize, usize)> {
        let magazine = self.full.pop().or_else(|| self.overflow.pop())?;
        let bytes = magazine.bytes();
        let n = magazine.len();
        let left = self.objects.fetch_sub(n, Ordering::Relaxed).wrapping_sub(n);
        self.bytes.fetch_sub(bytes, Ordering::Relaxed);
        self.low.fetch_min(left, Ordering::Relaxed);
        Some((magazine, n, bytes))
    }

    /// Objects in the depot.
    pub(crate) fn objects(&self) -> usize {
        self.objects.load(Ordering::Relaxed)
    }

    /// Bytes in the depot.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Starts a new aging interval; returns the lowest object count of the one that ended.
    pub(crate) fn restart_low(&self) -> usize {
        self.low.swap(self.objects(), Ordering::Relaxed)
    }

    /// Drops the spare empty magazines.
    pub(crate) fn clear_spares(&self) {
        while self.empty.pop().is_some() {}
    }
}

/// Splits `values` (and their `sizes`, when sized) into magazines of at most `batch` and
/// publishes them.
pub(crate) fn push_chunks<T>(depot: &Depot<T>, values: &mut Vec<Boxed<T>>, sizes: &mut Vec<usize>) {
    while !values.is_empty() {
        let n = values.len().min(depot.batch);
        let mut magazine = depot.empty_magazine();
        magazine.values.extend(values.drain(..n));
        if depot.sized {
            magazine.sizes.extend(sizes.drain(..n));
        }
        depot.push(magazine);
    }
}
