//! Per-thread, per-pool caches (`Local`) and the counters every part of a pool keeps.
//!
//! A `Local<T>` is shared by two owners through an `Arc`: the pool's registry (so the pool
//! can add up its counters, adopt it when its thread exits, and empty it on drop) and the
//! slot of the thread using it. Its `inner` (the objects and the budget credit) is touched
//! by exactly one thread at a time, decided by `state`:
//!
//! * `OWNED`: the thread whose slot holds it; only that thread touches `inner`.
//! * `ORPHANED`: no thread; its thread exited (or evicted it from its slot). The store of
//!   `ORPHANED` is a release, so everything the old owner did is visible to the next one.
//! * `CLAIMED`: a thread won the `ORPHANED -> CLAIMED` (or `ORPHANED -> OWNED`) compare-
//!   exchange (acquire) and may touch `inner` until it stores `ORPHANED` again (or keeps it
//!   as its own cache).
//!
//! The pool's `Drop` also touches `inner`: it runs when no pool operation can be running
//! (every guard borrows the pool or holds an `Arc` of it), and the thread-exit path touches
//! only `state` and the reference count, never `inner`.

use larder_core::sync::Arc;
use larder_core::sync::UnsafeCell;
use larder_core::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use larder_core::{Counter, Stats};

use crate::Boxed;
use crate::tls::{LocalHead, NO_OWNER};

pub(crate) const OWNED: u8 = 0;
pub(crate) const ORPHANED: u8 = 1;
pub(crate) const CLAIMED: u8 = 2;

/// A batch of objects moved between a thread cache and the shared layer, with the bytes
/// each was counted with (`sizes` is empty when the pool has no size function).
pub(crate) struct Magazine<T> {
    pub(crate) values: Vec<Boxed<T>>,
    pub(crate) sizes: Vec<usize>,
}

impl<T> Magazine<T> {
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    pub(crate) fn bytes(&self) -> usize {
        self.sizes.iter().sum()
    }
}

/// Counters. In a `Local` they have one writer (the thread owning or claiming it) and are
/// bumped with `Counter::add`; the pool's own `Tally` is written with `add_shared`.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) hits: Counter,
    pub(crate) misses: Counter,
    pub(crate) created: Counter,
    pub(crate) adopted: Counter,
    pub(crate) returned: Counter,
    pub(crate) dropped_full: Counter,
    pub(crate) dropped_rejected: Counter,
    pub(crate) released: Counter,
    pub(crate) detached: Counter,
    /// Objects moved into this cache from the shared layer.
    pub(crate) batch_in: Counter,
    /// Objects moved out of this cache to the shared layer.
    pub(crate) batch_out: Counter,
    /// Bytes currently held by this cache (wrapping arithmetic; a level, not a flow).
    pub(crate) bytes: Counter,
}

impl Tally {
    /// Adds the flow counters into `s`.
    pub(crate) fn add_flows(&self, s: &mut Stats) {
        s.created += self.created.get();
        s.adopted += self.adopted.get();
        s.hits += self.hits.get();
        s.misses += self.misses.get();
        s.returned += self.returned.get();
        s.dropped_full += self.dropped_full.get();
        s.dropped_rejected += self.dropped_rejected.get();
        s.released += self.released.get();
        s.detached += self.detached.get();
    }

    /// Objects held by the cache this tally belongs to: everything that went into it
    /// (returns, batches in) minus everything that left (hits, batches out, releases).
    ///
    /// Read while the cache's thread works, the counters come from slightly different
    /// moments. The outflows are read first (every counter only grows, so inflows read
    /// later cover them), and the difference is clamped at 0 besides, so a snapshot taken
    /// mid-run is never below zero, let alone wrapped around to an absurd count.
    pub(crate) fn level(&self) -> u64 {
        let out = self
            .hits
            .get()
            .wrapping_add(self.batch_out.get())
            .wrapping_add(self.released.get());
        let into = self.returned.get().wrapping_add(self.batch_in.get());
        into.saturating_sub(out)
    }
}

/// What only the cache's current user touches.
pub(crate) struct LocalInner<T> {
    /// The cached objects, a stack: the top is the most recently returned. Its capacity is
    /// the pool's cache size and it never grows past it.
    pub(crate) cache: Vec<Boxed<T>>,
    /// The bytes each cached object was counted with, in the same order; empty (and never
    /// touched) when the pool has no size function.
    pub(crate) sizes: Vec<usize>,
    /// Sum of the cached entries' bytes.
    pub(crate) bytes: usize,
    /// Objects this cache may hold under the pool's object budget (reserved from it);
    /// `UNBOUNDED` when the pool has no object bound.
    pub(crate) credit_objects: usize,
    /// `min(cache_size, credit_objects)`: the fast return path keeps an object only
    /// below it. Kept in step by [`set_credit_objects`](Self::set_credit_objects).
    pub(crate) keep_limit: usize,
    /// `keep_limit` in a pool whose returns are plain (`Pool::plain_return`), 0 in any
    /// other: the plain return path's limit, which then also sends every return of other
    /// pools to the general path, with no test of its own.
    pub(crate) plain_keep_limit: usize,
    /// Whether the pool's returns are plain.
    pub(crate) plain: bool,
    /// `credit_objects - take_slack` (0 below): a hit whose cache is left with fewer
    /// objects than this has more to do (see `Pool::after_pop`). Kept in step by
    /// [`set_credit_objects`](Self::set_credit_objects).
    pub(crate) take_mark: usize,
    /// `max(low, take_mark)`: a hit that leaves fewer objects than this has a mark to
    /// move or credit to return; one compare covers both. Kept in step by
    /// [`set_low`](Self::set_low) and [`set_credit_objects`](Self::set_credit_objects).
    pub(crate) pop_mark: usize,
    /// How far below its credit the cache's objects may fall on a hit before the hit has
    /// more to do: the pool's `slack_objects`, or 0 with a size function (always more).
    pub(crate) take_slack: usize,
    /// The pool's cache size (the cache's capacity, except for zero-sized `T`, whose
    /// `Vec` capacity is unlimited).
    pub(crate) cache_size: usize,
    /// Bytes this cache may hold under the byte budget; `UNBOUNDED` when unbounded.
    pub(crate) credit_bytes: usize,
    /// The lowest `cache.len()` since the last tick this cache saw. Set only through
    /// [`set_low`](Self::set_low).
    pub(crate) low: usize,
    pub(crate) seen_generation: u64,
    pub(crate) seen_ticks: u64,
    pub(crate) seen_trims: u64,
}

impl<T> LocalInner<T> {
    /// Sets the object credit (and the fast paths' limits that depend on it).
    #[inline]
    pub(crate) fn set_credit_objects(&mut self, credit: usize) {
        self.credit_objects = credit;
        self.keep_limit = credit.min(self.cache_size);
        self.plain_keep_limit = if self.plain { self.keep_limit } else { 0 };
        self.take_mark = credit.saturating_sub(self.take_slack);
        self.pop_mark = self.low.max(self.take_mark);
    }

    /// Sets the low-water mark (and the hit path's mark that depends on it).
    #[inline]
    pub(crate) fn set_low(&mut self, low: usize) {
        self.low = low;
        self.pop_mark = low.max(self.take_mark);
    }
}

/// One thread's cache for one pool. `head` must stay the first field (see `tls.rs`).
///
/// Aligned to 128 bytes (two cache lines, what adjacent-line prefetching pairs up) so that
/// caches of different threads, allocated next to each other, never share a line: each is
/// written on every operation by its own thread. The head (itself aligned to 128 bytes) has
/// those lines to itself for the same reason the other way round: threads sharing a
/// published entry read the `owner` of the cache in it on every operation, and must not
/// pull in the lines its owner writes on every operation.
#[repr(C, align(128))]
pub(crate) struct Local<T> {
    pub(crate) head: LocalHead,
    pub(crate) inner: UnsafeCell<LocalInner<T>>,
    pub(crate) tally: Tally,
}

// SAFETY: `inner` is reached only by the one thread the `state` protocol (module docs)
// makes its user, with acquire/release hand-over between users, or by the pool's `Drop`,
// which no other access can overlap. Objects of type `T` move between threads through it,
// hence `T: Send`; no `&T` is ever shared between threads by it, so `T: Sync` is not needed.
unsafe impl<T: Send> Send for Local<T> {}
// SAFETY: as above; every other field is an atomic.
unsafe impl<T: Send> Sync for Local<T> {}

impl<T> Local<T> {
    pub(crate) fn new(
        state: u8,
        cache_size: usize,
        sized: bool,
        plain: bool,
        credit_objects: usize,
        take_slack: usize,
        credit_bytes: usize,
    ) -> Self {
        let mut inner = LocalInner {
            cache: Vec::with_capacity(cache_size),
            sizes: Vec::with_capacity(if sized { cache_size } else { 0 }),
            bytes: 0,
            // The credit and the marks that follow from it are set just below.
            credit_objects: 0,
            keep_limit: 0,
            plain_keep_limit: 0,
            plain,
            take_mark: 0,
            pop_mark: 0,
            take_slack,
            cache_size,
            credit_bytes,
            low: 0,
            seen_generation: 0,
            seen_ticks: 0,
            seen_trims: 0,
        };
        inner.set_credit_objects(credit_objects);
        Local {
            head: LocalHead {
                state: AtomicU8::new(state),
                owner: AtomicU64::new(NO_OWNER),
                release: release_local::<T>,
            },
            inner: UnsafeCell::new(inner),
            tally: Tally::default(),
        }
    }

    /// Tries to become the user of an orphaned cache.
    pub(crate) fn claim(&self, as_state: u8) -> bool {
        self.head
            .state
            .compare_exchange(ORPHANED, as_state, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    /// Stops using a cache (thread exit, eviction, or the end of a claim).
    pub(crate) fn orphan(&self) {
        self.head.owner.store(NO_OWNER, Ordering::Relaxed);
        self.head.state.store(ORPHANED, Ordering::Release);
    }
}

/// The type-erased `release` of a `Local<T>`'s head.
///
/// # Safety
///
/// `head` is an owned reference obtained from `Arc::<Local<T>>::into_raw`.
unsafe fn release_local<T>(head: *const LocalHead) {
    // SAFETY: the caller passes a reference from `Arc::into_raw` of a `Local<T>` whose
    // first field (repr(C)) is this head, so the cast gives back that pointer.
    let local = unsafe { Arc::from_raw(head.cast::<Local<T>>()) };
    local.orphan();
    drop(local);
}
