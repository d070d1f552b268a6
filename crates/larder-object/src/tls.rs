//! The one thread-local every pool shares, and the small ids that index it.
//!
//! Each thread has a `Caches`: a fixed array of [`SLOTS`] slots, `const`-initialised and
//! without a destructor, so reaching it costs a TLS offset and nothing else (a thread-local
//! with a destructor would add a registration-state check to every access). What `Caches`
//! would do on drop is done by a second, zero-sized thread-local, [`EXIT`], whose destructor
//! is registered when the thread installs its first cache. A pool owns one slot index (claimed
//! from [`SLOT_BITS`] when it is built) and a tag that no other pool ever had. A slot holds
//! the tag of the pool whose cache it points to and an owned reference (`Arc::into_raw`)
//! to that cache. A pool finds its cache by reading `slots[index]` and comparing the tag;
//! a different tag (another pool sharing the index, a dropped pool, or nothing yet) sends
//! it to the slow path, which installs its own cache and lets go of the previous one.

use core::cell::Cell;
// The two process-wide id allocators below are plain `core` atomics, not the `sync` shim:
// they only hand out numbers, order nothing, and loom cannot keep its atomics in statics.
// Every atomic that guards shared data goes through `larder_core::sync`.
use core::sync::atomic::{AtomicU64, Ordering};

use larder_core::sync::atomic::AtomicU8;

/// Slots per thread: pools beyond this many alive at once share slot indices (correct, only
/// slower when two pools sharing an index are used alternately on one thread).
pub(crate) const SLOTS: usize = 64;

/// No thread: the `owner` of a cache that no thread holds in its slot.
pub(crate) const NO_OWNER: u64 = u64::MAX;

larder_core::larder_thread_local!(static THREAD_ID: Cell<u64> = Cell::new(0));
/// Thread ids: unique for the life of the process, from 1 (0 means "none yet").
static NEXT_THREAD_ID: AtomicU64 = AtomicU64::new(1);

/// This thread's id, or 0 when it never installed a cache (then it owns none). Without
/// loom this is one load at a fixed thread-local offset.
#[inline(always)]
pub(crate) fn thread_id() -> u64 {
    THREAD_ID.try_with(Cell::get).unwrap_or(0)
}

/// This thread's id, given one first if it has none; 0 when its thread-locals are gone.
pub(crate) fn assign_thread_id() -> u64 {
    THREAD_ID
        .try_with(|id| {
            if id.get() == 0 {
                id.set(NEXT_THREAD_ID.fetch_add(1, Ordering::Relaxed));
            }
            id.get()
        })
        .unwrap_or(0)
}

/// The part of every per-thread cache that the thread-local needs without knowing `T`.
///
/// It is the first field of a `#[repr(C)]` `Local<T>`, so a pointer to the cache is a
/// pointer to its head.
// Aligned like `Local` (see there): the head is read by other threads, the rest of the
// cache is written by its owner, so they do not share a line.
#[repr(C, align(128))]
pub(crate) struct LocalHead {
    /// `OWNED`, `ORPHANED` or `CLAIMED` (see `local.rs`).
    pub(crate) state: AtomicU8,
    /// The id ([`thread_id`]) of the thread holding this cache in its slot, else
    /// [`NO_OWNER`]. Only that thread writes it: when it installs the cache and when its
    /// slot lets go of it. So a thread that reads its own id here owns the cache.
    pub(crate) owner: larder_core::sync::atomic::AtomicU64,
    /// Marks the cache orphaned and drops the slot's reference to it.
    ///
    /// Safety: called once per reference obtained from `Arc::into_raw` of the `Local<T>`
    /// whose head this is.
    pub(crate) release: unsafe fn(*const LocalHead),
}

impl LocalHead {
    /// The head no cache has: what an empty published entry points to (see
    /// [`Pool::published`](crate::Pool)). Its owner is [`NO_OWNER`], which no thread id
    /// equals, so no thread ever takes it for its cache; nothing releases it.
    pub(crate) fn vacant() -> LocalHead {
        /// Never called: the vacant head is in no slot.
        unsafe fn keep(_: *const LocalHead) {}
        LocalHead {
            state: AtomicU8::new(crate::local::ORPHANED),
            owner: larder_core::sync::atomic::AtomicU64::new(NO_OWNER),
            release: keep,
        }
    }
}

/// One entry of the per-thread table.
pub(crate) struct Slot {
    /// Tag of the pool whose cache `local` points to; 0 when empty.
    pub(crate) tag: Cell<u64>,
    /// An owned reference (from `Arc::into_raw`) to that pool's cache for this thread.
    pub(crate) local: Cell<*const LocalHead>,
}

impl Slot {
    const fn empty() -> Slot {
        Slot {
            tag: Cell::new(0),
            local: Cell::new(core::ptr::null()),
        }
    }

    /// Points the slot at a new cache and lets go of the previous one.
    ///
    /// # Safety
    ///
    /// `local` is an owned reference from `Arc::into_raw` of a `Local` whose head `release`
    /// matches its type; the slot takes it over.
    pub(crate) unsafe fn replace(&self, tag: u64, local: *const LocalHead) {
        let old_tag = self.tag.replace(tag);
        let old = self.local.replace(local);
        if old_tag != 0 {
            // SAFETY: a non-zero tag means `old` is the owned reference the slot was given
            // by an earlier `replace`; it is released exactly once, here.
            unsafe { ((*old).release)(old) };
        }
    }
}

/// A thread's table of per-pool caches.
pub(crate) struct Caches {
    pub(crate) slots: [Slot; SLOTS],
}

impl Caches {
    const fn new() -> Self {
        Caches {
            slots: [const { Slot::empty() }; SLOTS],
        }
    }
}

impl Caches {
    /// Thread exit: every cache this thread held is marked orphaned, so that its pool can
    /// hand it (objects, counters and budget) to the next thread or release it. No pool is
    /// touched here, so this is correct whether or not the pools are still alive.
    fn release_all(&self) {
        for slot in &self.slots {
            let tag = slot.tag.replace(0);
            let local = slot.local.replace(core::ptr::null());
            if tag != 0 {
                // SAFETY: a non-zero tag means `local` is the slot's owned reference.
                unsafe { ((*local).release)(local) };
            }
        }
    }
}

larder_core::larder_thread_local!(static CACHES: Caches = Caches::new());

/// Runs [`Caches::release_all`] when the thread exits. Its destructor is registered by the
/// first [`ExitGuard::arm`] on the thread (every cache install arms it first).
pub(crate) struct ExitGuard;

impl ExitGuard {
    /// Makes sure the thread's caches are released when it exits; false when the thread's
    /// thread-locals are already being destroyed (nothing may be installed then).
    pub(crate) fn arm() -> bool {
        EXIT.try_with(|_| ()).is_ok()
    }
}

impl Drop for ExitGuard {
    fn drop(&mut self) {
        // `CACHES` has no destructor, so it stays reachable while other thread-locals are
        // destroyed; under loom every thread-local is torn down, so it may be gone already
        // (its own slots were then released by `Caches::drop` below).
        let _ = CACHES.try_with(Caches::release_all);
    }
}

// Loom tracks every `Arc` and fails a model that leaks one; its thread-locals are all
// destroyed at thread end, in an unspecified order, so there `Caches` releases its own
// slots as well (a second `release_all` finds them empty).
#[cfg(larder_loom)]
impl Drop for Caches {
    fn drop(&mut self) {
        self.release_all();
    }
}

larder_core::larder_thread_local!(static EXIT: ExitGuard = ExitGuard);

/// The slot at `index` of this thread's table, or `None` while (under loom) the table is
/// being destroyed. Without loom this never fails: the table has no destructor.
#[inline(always)]
pub(crate) fn with_slot<R>(index: usize, f: impl FnOnce(&Slot) -> R) -> Option<R> {
    #[cfg(not(larder_loom))]
    {
        Some(CACHES.with(|caches| f(&caches.slots[index % SLOTS])))
    }
    #[cfg(larder_loom)]
    {
        CACHES
            .try_with(|caches| f(&caches.slots[index % SLOTS]))
            .ok()
    }
}

/// Bit i set: slot index i is owned by a live pool.
static SLOT_BITS: AtomicU64 = AtomicU64::new(0);
/// Pool tags: unique for the life of the process (0 means "empty slot").
static NEXT_TAG: AtomicU64 = AtomicU64::new(1);

/// A fresh pool tag, never handed out before.
pub(crate) fn new_tag() -> u64 {
    NEXT_TAG.fetch_add(1, Ordering::Relaxed)
}

/// Claims a free slot index; when all are taken, shares one (the `bool` is false).
pub(crate) fn claim_slot(tag: u64) -> (usize, bool) {
    let mut bits = SLOT_BITS.load(Ordering::Relaxed);
    loop {
        if bits == u64::MAX {
            return ((tag % SLOTS as u64) as usize, false);
        }
        let index = (!bits).trailing_zeros();
        match SLOT_BITS.compare_exchange_weak(
            bits,
            bits | (1 << index),
            Ordering::Relaxed,
            Ordering::Relaxed,
        ) {
            Ok(_) => return (index as usize, true),
            Err(now) => bits = now,
        }
    }
}

/// Gives back a slot index claimed with `claim_slot`.
pub(crate) fn release_slot(index: usize) {
    SLOT_BITS.fetch_and(!(1u64 << index), Ordering::Relaxed);
}
