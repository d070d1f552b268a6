//! [`CountingAlloc`]: a global allocator that counts, for proving "allocates nothing".
//!
//! Install it in a test binary, benchmark or program:
//!
//! ```
//! use larder_core::CountingAlloc;
//!
//! #[global_allocator]
//! static ALLOC: CountingAlloc = CountingAlloc::system();
//!
//! let (v, delta) = CountingAlloc::measure(|| vec![0u8; 100]);
//! assert_eq!(delta.allocations, 1);
//! assert_eq!(delta.bytes_allocated, 100);
//! drop(v);
//! ```
//!
//! Counts are kept twice: process-wide ([`CountingAlloc::snapshot`], with live and peak
//! bytes) and per thread ([`CountingAlloc::measure`], [`CountingAlloc::thread_snapshot`]).
//! Per-thread counts are what a test wants: the test harness runs other tests on other
//! threads at the same time, and their allocations must not show up in this one's count.
//!
//! The counters are plain `core` atomics, not the [`sync`](crate::sync) shim: the allocator
//! runs outside any loom model, and its statics must be `const`-initialised.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;
use core::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::alloc::System;

/// A [`GlobalAlloc`] wrapper that counts allocations, frees, live and peak bytes.
///
/// Every call costs two or three relaxed atomic read-modify-writes on process-wide counters
/// and a few thread-local additions, on top of the wrapped allocator. The counters are
/// process-wide statics, so install one `CountingAlloc` as the `#[global_allocator]`; the
/// associated functions read them.
///
/// # Examples
///
/// ```
/// use larder_core::CountingAlloc;
///
/// #[global_allocator]
/// static ALLOC: CountingAlloc = CountingAlloc::system();
///
/// let before = CountingAlloc::snapshot();
/// let b = Box::new([0u64; 4]);
/// let after = CountingAlloc::snapshot();
/// assert!(after.allocations > before.allocations);
/// assert!(after.peak_bytes >= 32);
/// drop(b);
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct CountingAlloc<A = System> {
    inner: A,
}

/// Process-wide counters at one moment.
///
/// # Examples
///
/// ```
/// let s = larder_core::CountingAlloc::snapshot();
/// assert!(s.bytes_allocated >= s.bytes_freed || !larder_core::CountingAlloc::is_installed());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AllocSnapshot {
    /// Calls to `alloc` and `alloc_zeroed`.
    pub allocations: u64,
    /// Calls to `dealloc`.
    pub deallocations: u64,
    /// Calls to `realloc`.
    pub reallocations: u64,
    /// Bytes requested by allocations and by the growth of reallocations.
    pub bytes_allocated: u64,
    /// Bytes given back by frees and by the shrinking of reallocations.
    pub bytes_freed: u64,
    /// Bytes allocated and not yet freed (process-wide only; 0 in per-thread snapshots).
    pub live_bytes: u64,
    /// The highest `live_bytes` since start or the last [`CountingAlloc::reset_peak`]
    /// (process-wide only).
    pub peak_bytes: u64,
}

/// What one thread allocated between two moments (see [`CountingAlloc::measure`]).
///
/// # Examples
///
/// ```
/// let (_, d) = larder_core::CountingAlloc::measure(|| 1 + 1);
/// assert!(d.is_zero());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AllocDelta {
    /// Calls to `alloc` and `alloc_zeroed`.
    pub allocations: u64,
    /// Calls to `dealloc`.
    pub deallocations: u64,
    /// Calls to `realloc`.
    pub reallocations: u64,
    /// Bytes requested (allocations and realloc growth).
    pub bytes_allocated: u64,
    /// Bytes given back (frees and realloc shrinking).
    pub bytes_freed: u64,
}

impl AllocDelta {
    /// Whether the allocator was not called at all.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_core::AllocDelta::default().is_zero());
    /// ```
    pub fn is_zero(&self) -> bool {
        *self == AllocDelta::default()
    }

    /// Calls into the allocator of any kind: allocations, frees and reallocations.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = larder_core::AllocDelta { allocations: 2, deallocations: 1, ..Default::default() };
    /// assert_eq!(d.calls(), 3);
    /// ```
    pub fn calls(&self) -> u64 {
        self.allocations + self.deallocations + self.reallocations
    }
}

struct Global {
    allocations: AtomicU64,
    deallocations: AtomicU64,
    reallocations: AtomicU64,
    bytes_allocated: AtomicU64,
    bytes_freed: AtomicU64,
    live: AtomicUsize,
    peak: AtomicUsize,
    installed: AtomicBool,
}

static GLOBAL: Global = Global {
    allocations: AtomicU64::new(0),
    deallocations: AtomicU64::new(0),
    reallocations: AtomicU64::new(0),
    bytes_allocated: AtomicU64::new(0),
    bytes_freed: AtomicU64::new(0),
    live: AtomicUsize::new(0),
    peak: AtomicUsize::new(0),
    installed: AtomicBool::new(false),
};

#[derive(Clone, Copy)]
struct Local {
    allocations: u64,
    deallocations: u64,
    reallocations: u64,
    bytes_allocated: u64,
    bytes_freed: u64,
}

const LOCAL_ZERO: Local = Local {
    allocations: 0,
    deallocations: 0,
    reallocations: 0,
    bytes_allocated: 0,
    bytes_freed: 0,
};

std::thread_local! {
    // `const`-initialised and without a destructor: reaching it never allocates, so it is
    // safe to touch from inside the global allocator.
    static LOCAL: Cell<Local> = const { Cell::new(LOCAL_ZERO) };
}

#[inline]
fn local(update: impl FnOnce(&mut Local)) {
    let _ = LOCAL.try_with(|cell| {
        let mut l = cell.get();
        update(&mut l);
        cell.set(l);
    });
}

#[inline]
fn grew(size: usize) {
    GLOBAL.bytes_allocated.fetch_add(size as u64, Relaxed);
    let live = GLOBAL.live.fetch_add(size, Relaxed).wrapping_add(size);
    if live > GLOBAL.peak.load(Relaxed) {
        GLOBAL.peak.fetch_max(live, Relaxed);
    }
}

#[inline]
fn shrank(size: usize) {
    GLOBAL.bytes_freed.fetch_add(size as u64, Relaxed);
    GLOBAL.live.fetch_sub(size, Relaxed);
}

impl<A> CountingAlloc<A> {
    /// Counts around `inner`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::alloc::System;
    /// #[global_allocator]
    /// static ALLOC: larder_core::CountingAlloc<System> = larder_core::CountingAlloc::new(System);
    /// ```
    pub const fn new(inner: A) -> Self {
        Self { inner }
    }
}

impl CountingAlloc<System> {
    /// Counts around the system allocator.
    ///
    /// # Examples
    ///
    /// ```
    /// #[global_allocator]
    /// static ALLOC: larder_core::CountingAlloc = larder_core::CountingAlloc::system();
    /// ```
    pub const fn system() -> Self {
        Self { inner: System }
    }

    /// Whether a `CountingAlloc` has served at least one allocation in this process, that is,
    /// whether the counts mean anything.
    ///
    /// # Examples
    ///
    /// ```
    /// #[global_allocator]
    /// static ALLOC: larder_core::CountingAlloc = larder_core::CountingAlloc::system();
    /// let _v = vec![1];
    /// assert!(larder_core::CountingAlloc::is_installed());
    /// ```
    pub fn is_installed() -> bool {
        GLOBAL.installed.load(Relaxed)
    }

    /// The process-wide counters now.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_core::CountingAlloc::snapshot();
    /// assert!(s.peak_bytes >= s.live_bytes);
    /// ```
    pub fn snapshot() -> AllocSnapshot {
        let live = GLOBAL.live.load(Relaxed) as u64;
        AllocSnapshot {
            allocations: GLOBAL.allocations.load(Relaxed),
            deallocations: GLOBAL.deallocations.load(Relaxed),
            reallocations: GLOBAL.reallocations.load(Relaxed),
            bytes_allocated: GLOBAL.bytes_allocated.load(Relaxed),
            bytes_freed: GLOBAL.bytes_freed.load(Relaxed),
            live_bytes: live,
            peak_bytes: (GLOBAL.peak.load(Relaxed) as u64).max(live),
        }
    }

    /// The calling thread's counters now (`live_bytes` and `peak_bytes` are 0: memory freed
    /// on another thread makes them meaningless per thread).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_core::CountingAlloc::thread_snapshot();
    /// assert_eq!(s.live_bytes, 0);
    /// ```
    pub fn thread_snapshot() -> AllocSnapshot {
        let l = LOCAL.try_with(Cell::get).unwrap_or(LOCAL_ZERO);
        AllocSnapshot {
            allocations: l.allocations,
            deallocations: l.deallocations,
            reallocations: l.reallocations,
            bytes_allocated: l.bytes_allocated,
            bytes_freed: l.bytes_freed,
            live_bytes: 0,
            peak_bytes: 0,
        }
    }

    /// Runs `f` and returns what the calling thread allocated meanwhile.
    ///
    /// Only the calling thread is counted: allocations made by threads `f` spawns, or by
    /// other threads at the same time, are not. Use [`snapshot`](Self::snapshot) before and
    /// after for process-wide counts.
    ///
    /// # Examples
    ///
    /// ```
    /// #[global_allocator]
    /// static ALLOC: larder_core::CountingAlloc = larder_core::CountingAlloc::system();
    ///
    /// let mut v = Vec::with_capacity(16);
    /// let ((), delta) = larder_core::CountingAlloc::measure(|| v.extend_from_slice(&[1u8; 16]));
    /// assert!(delta.is_zero(), "the capacity was already there");
    /// ```
    pub fn measure<R>(f: impl FnOnce() -> R) -> (R, AllocDelta) {
        let before = Self::thread_snapshot();
        let result = f();
        let after = Self::thread_snapshot();
        let delta = AllocDelta {
            allocations: after.allocations - before.allocations,
            deallocations: after.deallocations - before.deallocations,
            reallocations: after.reallocations - before.reallocations,
            bytes_allocated: after.bytes_allocated - before.bytes_allocated,
            bytes_freed: after.bytes_freed - before.bytes_freed,
        };
        (result, delta)
    }

    /// Starts a new peak measurement at the current live bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// larder_core::CountingAlloc::reset_peak();
    /// let s = larder_core::CountingAlloc::snapshot();
    /// assert!(s.peak_bytes >= s.live_bytes);
    /// ```
    pub fn reset_peak() {
        GLOBAL.peak.store(GLOBAL.live.load(Relaxed), Relaxed);
    }
}

// SAFETY: every method forwards to the wrapped allocator with the caller's arguments
// unchanged and returns its result unchanged; the counting around it only touches atomics
// and a destructor-free, const-initialised thread-local, neither of which allocates.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAlloc<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees (non-zero-size layout).
        let ptr = unsafe { self.inner.alloc(layout) };
        if !ptr.is_null() {
            self.counted_alloc(layout.size());
        }
        ptr
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees (non-zero-size layout).
        let ptr = unsafe { self.inner.alloc_zeroed(layout) };
        if !ptr.is_null() {
            self.counted_alloc(layout.size());
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees (ptr came from this allocator with
        // this layout).
        unsafe { self.inner.dealloc(ptr, layout) };
        GLOBAL.deallocations.fetch_add(1, Relaxed);
        shrank(layout.size());
        local(|l| {
            l.deallocations += 1;
            l.bytes_freed += layout.size() as u64;
        });
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let new = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            GLOBAL.installed.store(true, Relaxed);
            GLOBAL.reallocations.fetch_add(1, Relaxed);
            let old = layout.size();
            if new_size >= old {
                grew(new_size - old);
            } else {
                shrank(old - new_size);
            }
            local(|l| {
                l.reallocations += 1;
                if new_size >= old {
                    l.bytes_allocated += (new_size - old) as u64;
                } else {
                    l.bytes_freed += (old - new_size) as u64;
                }
            });
        }
        new
    }
}

impl<A> CountingAlloc<A> {
    #[inline]
    fn counted_alloc(&self, size: usize) {
        if !GLOBAL.installed.load(Relaxed) {
            GLOBAL.installed.store(true, Relaxed);
        }
        GLOBAL.allocations.fetch_add(1, Relaxed);
        grew(size);
        local(|l| {
            l.allocations += 1;
            l.bytes_allocated += size as u64;
        });
    }
}
