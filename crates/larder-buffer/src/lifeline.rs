//! How frozen buffers keep their pool alive without a reference count that every thread
//! writes.
//!
//! A frozen buffer may outlive every handle of its pool, so its last view must still find
//! the pool when it comes home. Counting frozen buffers in one shared word (as cloning an
//! `Arc` of the pool would) makes every freeze on every thread write the same cache line:
//! with two threads freezing at once, that line moved between the cores on each freeze and
//! release and a freeze cycle took several times as long as on one thread. So the count is
//! split into stripes, one cache line each, and a thread counts its freezes on its own
//! stripe. The release of a frozen buffer takes the count back from the stripe it was
//! frozen on, which the buffer records (a pointer, tagged when the freeze was not
//! counted); each stripe also knows its pool, so the release needs nothing else to find
//! its way home.
//!
//! Threads are dealt stripe numbers, the same for every pool: the lowest number no live
//! thread holds, given back when the thread exits, so up to [`STRIPES`] threads at once
//! never share one; beyond that, threads share stripes in turn (which costs time, never
//! correctness: every stripe is updated with atomic read-modify-writes).
//!
//! The pool's state ([`Inner`]) then cannot be freed by its `Arc` alone. It holds an `Arc`
//! of itself (`Inner::keep`) until the pool is *closed*: the last handle is gone and every
//! frozen buffer has come home. The last handle's drop ([`Inner::close`]) marks every
//! stripe [`CLOSING`], taking each stripe's count with the same read-modify-write, and adds
//! their sum to `remaining`. From then on a release whose decrement finds its stripe marked
//! also takes one from `remaining` ([`let_go`]). Whoever brings `remaining` to zero (the
//! closer, when nothing was frozen, or the last release) drops `keep`, and with it the
//! pool when no handle is left. A release that found its stripe unmarked is done: the mark
//! came later and its count already left the stripe, so the closer does not wait for it.
//!
//! No freeze can come after the close: a freeze needs a `PooledBuf`, which borrows a
//! handle, and every handle is gone. Each stripe's count is the number of buffers frozen on
//! it and not yet released, so it is never negative, and its mark bit is never disturbed.

use core::cell::Cell;

use crossbeam_utils::CachePadded;
use larder_core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::pool::Inner;

/// The bit the closing handle sets in every stripe.
pub(crate) const CLOSING: usize = 1 << (usize::BITS - 1);

/// Stripes per pool (a power of two, at most 32: the dealer's bitmap is a `u32`). 32 lines
/// of 128 bytes: 4 KiB per pool. Fewer under loom, whose exploration grows with every
/// atomic operation of the close.
#[cfg(not(larder_loom))]
pub(crate) const STRIPES: usize = 32;
#[cfg(larder_loom)]
pub(crate) const STRIPES: usize = 4;
const _: () = assert!(STRIPES.is_power_of_two() && STRIPES <= 32);

/// The tag, in the low bit of a chunk's stripe pointer, of a chunk frozen in a pool that
/// cannot close ([`BufferPool::leak`]): its freeze was not counted, and its release takes
/// nothing back. Stripes are line-aligned, so the bit is free.
///
/// [`BufferPool::leak`]: crate::BufferPool::leak
pub(crate) const UNCOUNTED: usize = 1;
const _: () = assert!(align_of::<CachePadded<Stripe>>() > UNCOUNTED);

/// One stripe: a count of frozen buffers, and the pool it counts them for (set once, when
/// the pool's state has its address), so that a release needs nothing but the stripe.
pub(crate) struct Stripe {
    count: AtomicUsize,
    home: AtomicPtr<Inner>,
}

/// The striped count of a pool's frozen buffers, and the count of its handles.
pub(crate) struct Lifeline {
    /// Buffers frozen on each stripe and not yet home; [`CLOSING`] once the pool closes.
    stripes: Box<[CachePadded<Stripe>; STRIPES]>,
    /// `BufferPool` handles alive.
    handles: AtomicUsize,
    /// After the close: frozen buffers still out, wrapping below zero while releases that
    /// saw the mark run ahead of the closer's sum.
    remaining: AtomicUsize,
}

impl Lifeline {
    /// A lifeline for one handle, with nothing frozen.
    pub(crate) fn new() -> Self {
        Lifeline {
            stripes: Box::new(core::array::from_fn(|_| {
                CachePadded::new(Stripe {
                    count: AtomicUsize::new(0),
                    home: AtomicPtr::new(core::ptr::null_mut()),
                })
            })),
            handles: AtomicUsize::new(1),
            remaining: AtomicUsize::new(0),
        }
    }

    /// Counts one more handle (a clone of one alive).
    pub(crate) fn add_handle(&self) {
        // Relaxed, as `Arc::clone`: the new handle comes from one alive.
        let old = self.handles.fetch_add(1, Ordering::Relaxed);
        // Only handles leaked by the billion could get here; stop before the count wraps.
        if old > isize::MAX as usize {
            std::process::abort();
        }
    }

    /// Counts one handle fewer; `true` for the last one, which must close the pool.
    pub(crate) fn drop_handle(&self) -> bool {
        // AcqRel: the last drop sees everything every handle did, its freezes included.
        self.handles.fetch_sub(1, Ordering::AcqRel) == 1
    }

    /// Points every stripe at the pool's state, once it has its address (before any
    /// freeze: the pool is not shared yet).
    pub(crate) fn set_home(&self, home: *const Inner) {
        for stripe in self.stripes.iter() {
            stripe.home.store(home.cast_mut(), Ordering::Relaxed);
        }
    }

    /// Counts a buffer frozen on this thread, unless `counted` is false (a pool that
    /// cannot close); returns what the buffer's release takes: its stripe, tagged
    /// [`UNCOUNTED`] when not counted.
    #[inline]
    pub(crate) fn freeze(&self, counted: bool) -> *mut Stripe {
        if !counted {
            let stripe = core::ptr::from_ref::<Stripe>(&self.stripes[0]).cast_mut();
            return stripe.map_addr(|a| a | UNCOUNTED);
        }
        let stripe = self.stripe(thread_stripe());
        // Relaxed: the release that takes it back, and the close, are ordered by the
        // release/acquire pairs of `let_go` and `close`; the freeze itself happens before
        // the last handle's drop, which the close follows.
        stripe.count.fetch_add(1, Ordering::Relaxed);
        core::ptr::from_ref(stripe).cast_mut()
    }

    /// Stripe `n` (masked, so the index needs no bounds check: every `n` given is a dealt
    /// stripe number, below [`STRIPES`]).
    #[inline(always)]
    fn stripe(&self, n: u8) -> &Stripe {
        &self.stripes[usize::from(n) & (STRIPES - 1)]
    }
}

/// The pool a chunk frozen with `stripe` (what [`Lifeline::freeze`] returned) belongs to.
///
/// # Safety
///
/// The chunk's count is still on the stripe (or it was not counted), so the pool is alive.
#[inline(always)]
pub(crate) unsafe fn home_of(stripe: *const Stripe) -> *const Inner {
    let stripe = stripe.map_addr(|a| a & !UNCOUNTED);
    // SAFETY: the stripes live as long as the pool, which the caller's guarantee keeps.
    unsafe { (*stripe).home.load(Ordering::Relaxed) }
}

impl Inner {
    /// The last handle's part: marks every stripe, adds up what is still frozen, and drops
    /// the pool's hold on itself if nothing is.
    ///
    /// Called once, by the drop of the last handle (which keeps `self` alive meanwhile).
    pub(crate) fn close(&self) {
        let mut frozen = 0usize;
        for stripe in self.lifeline.stripes.iter() {
            // Acquire: every release that took its count off this stripe before the mark
            // (and all it did to the pool) happens before what follows.
            frozen += stripe.count.fetch_or(CLOSING, Ordering::AcqRel) & !CLOSING;
        }
        // AcqRel: the releases that saw the mark and ran ahead of this sum are acquired,
        // and whoever takes `remaining` to zero later acquires this.
        let before = self.lifeline.remaining.fetch_add(frozen, Ordering::AcqRel);
        if before.wrapping_add(frozen) == 0 {
            // SAFETY: the closer's handle keeps `self` alive through the call.
            unsafe { Inner::let_go_of_self(self) };
        }
    }

    /// Drops the pool's `Arc` of itself (once, by whoever takes the last count).
    ///
    /// # Safety
    ///
    /// `inner` is alive at the call. It may be freed by this call, so it takes a pointer,
    /// not a reference that would outlive the pool: the borrow of `keep` ends before the
    /// `Arc` drops.
    unsafe fn let_go_of_self(inner: *const Inner) {
        // SAFETY: alive at the call (the caller's guarantee).
        let keep = unsafe { (*inner).keep.lock().take() };
        debug_assert!(keep.is_some(), "the pool let go of itself twice");
        drop(keep);
    }
}

/// Takes back the count of a buffer frozen on `stripe` (nothing, when the tag says it was
/// not counted), after the buffer went home; the last count of a closed pool lets go of
/// the pool.
///
/// # Safety
///
/// `stripe` is what [`Lifeline::freeze`] returned for the buffer, and this is the
/// buffer's only release. The caller does not use the pool after this call: it may be
/// freed here or by another thread at any moment after.
#[inline]
pub(crate) unsafe fn let_go(stripe: *const Stripe) {
    if stripe.addr() & UNCOUNTED != 0 {
        return;
    }
    // SAFETY: the buffer's count is still on the stripe, so the pool is not closed-and-
    // done and its stripes are alive.
    let stripe = unsafe { &*stripe };
    // Release: what this thread did with the buffer and the pool happens before the close
    // that acquires this stripe.
    let old = stripe.count.fetch_sub(1, Ordering::Release);
    if old & CLOSING != 0 {
        // SAFETY: the stripe was marked before this release, so the closer counted this
        // buffer in `remaining`, which cannot reach zero (and free the pool) without us.
        unsafe { let_go_closed(stripe.home.load(Ordering::Relaxed)) }
    }
}

/// [`let_go`] once the pool is closing: one off `remaining`, and the last lets go of the pool.
///
/// # Safety
///
/// As [`let_go`], with the buffer counted in `remaining` and not yet taken off it.
#[cold]
#[inline(never)]
unsafe fn let_go_closed(inner: *const Inner) {
    // SAFETY: our count in `remaining` keeps the pool alive until this decrement.
    let before = unsafe { (*inner).lifeline.remaining.fetch_sub(1, Ordering::AcqRel) };
    if before == 1 {
        // SAFETY: we took the last count, so nobody else lets go of the pool, which is
        // alive until the `keep` dropped there (the handles are all gone).
        unsafe { Inner::let_go_of_self(inner) };
    }
}

/// A thread's stripe number before one is dealt.
const UNDEALT: u8 = u8::MAX;

larder_core::larder_thread_local!(static STRIPE: Cell<u8> = Cell::new(UNDEALT));

/// Gives the thread's stripe number back to the dealer when the thread exits (only for a
/// number taken from the bitmap).
#[cfg(not(larder_loom))]
struct Held(Cell<Option<u8>>);

#[cfg(not(larder_loom))]
impl Drop for Held {
    fn drop(&mut self) {
        if let Some(n) = self.0.get() {
            TAKEN.fetch_and(!(1 << n), Ordering::Relaxed);
        }
    }
}

#[cfg(not(larder_loom))]
std::thread_local!(static HELD: Held = const { Held(Cell::new(None)) });

// The dealer: a bit per stripe number held by a live thread, and a counter for the numbers
// dealt in turn once all are held. Plain counters, outside the loom shim: they only hand
// out numbers, and any number is correct. Under loom every thread is dealt in turn, from
// a counter that starts afresh in every execution, so that each explores the same stripes
// (loom requires a deterministic model).
#[cfg(not(larder_loom))]
static TAKEN: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);
#[cfg(not(larder_loom))]
static SHARED_TURN: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);
#[cfg(larder_loom)]
loom::lazy_static! {
    static ref SHARED_TURN: larder_core::sync::atomic::AtomicU32 =
        larder_core::sync::atomic::AtomicU32::new(0);
}

/// This thread's stripe number, below [`STRIPES`]; 0 while its thread-locals are gone.
#[inline(always)]
fn thread_stripe() -> u8 {
    STRIPE
        .try_with(|s| {
            let n = s.get();
            if n != UNDEALT { n } else { deal_stripe(s) }
        })
        .unwrap_or(0)
}

/// Deals this thread a stripe number: the lowest one free, held until the thread exits;
/// else one in turn, shared.
#[cold]
#[inline(never)]
fn deal_stripe(s: &Cell<u8>) -> u8 {
    let n = take_free()
        .unwrap_or_else(|| (SHARED_TURN.fetch_add(1, Ordering::Relaxed) % STRIPES as u32) as u8);
    s.set(n);
    n
}

/// Under loom: none (see the dealer).
#[cfg(larder_loom)]
fn take_free() -> Option<u8> {
    None
}

/// The lowest free stripe number, now held by this thread (given back by [`Held`] when
/// it exits); `None` when all are held, or when the thread is exiting and could not give
/// it back.
#[cfg(not(larder_loom))]
fn take_free() -> Option<u8> {
    let all = u32::MAX >> (32 - STRIPES);
    let mut taken = TAKEN.load(Ordering::Relaxed);
    let n = loop {
        let free = !taken & all;
        if free == 0 {
            return None;
        }
        let n = free.trailing_zeros();
        match TAKEN.compare_exchange_weak(
            taken,
            taken | 1 << n,
            Ordering::Relaxed,
            Ordering::Relaxed,
        ) {
            Ok(_) => break n as u8,
            Err(now) => taken = now,
        }
    };
    if HELD.try_with(|h| h.0.set(Some(n))).is_ok() {
        Some(n)
    } else {
        // The thread-locals are going: nothing would give the number back.
        TAKEN.fetch_and(!(1 << n), Ordering::Relaxed);
        None
    }
}

#[cfg(all(test, not(larder_loom)))]
mod tests {
    use super::*;
    use std::sync::Barrier;

    /// A freeze not counted (a pool that cannot close) is tagged, leaves every stripe as it
    /// was when released, and still finds its pool. (Without the dealer: no stripe taken.)
    #[test]
    fn an_uncounted_freeze_counts_nothing_and_finds_home() {
        let lifeline = Lifeline::new();
        let home = core::ptr::without_provenance::<Inner>(4096);
        lifeline.set_home(home);
        let tagged = lifeline.freeze(false);
        assert_eq!(tagged.addr() & UNCOUNTED, UNCOUNTED);
        // SAFETY: the lifeline is alive, and this is the freeze's one release.
        unsafe {
            assert_eq!(home_of(tagged), home);
            let_go(tagged);
        }
        for stripe in lifeline.stripes.iter() {
            assert_eq!(stripe.count.load(Ordering::Relaxed), 0);
        }
    }

    /// Threads alive at once are dealt different stripes, and give them back when they
    /// exit. (This crate's unit tests freeze nothing, so no other test takes stripes.)
    #[test]
    fn live_threads_hold_distinct_stripes_and_give_them_back() {
        let barrier = Barrier::new(4);
        let dealt: Vec<u8> = std::thread::scope(|s| {
            let threads: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        let n = thread_stripe();
                        assert_eq!(thread_stripe(), n, "a thread keeps its stripe");
                        barrier.wait();
                        n
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let mut distinct = dealt.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{dealt:?}");
        for n in dealt {
            assert!(usize::from(n) < STRIPES);
            assert_eq!(
                TAKEN.load(Ordering::Relaxed) & 1 << n,
                0,
                "stripe {n} not given back"
            );
        }
    }
}
