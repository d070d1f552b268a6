//! [`BufferPool`] and its builder.

use core::fmt;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use larder_core::sync::{Arc, Mutex};
use larder_core::{ConfigError, Counter, LeakReport, LeakTracker, Limits, Stats, ZeroStorage};
use larder_object::{Boxed, Pool};
use larder_view::{ViewBlock, ViewOwner, ViewStorage};

use crate::classes::Pow2;
use crate::lifeline::{self, Lifeline};
use crate::{PooledBuf, SizeClasses};

/// The storage of one pooled buffer: a `Vec<u8>` whose capacity is exactly its class's
/// size, inside a [`ViewStorage`] so it can be frozen into a view without allocating.
///
/// Aligned to a cache line so that its view block fills whole lines: the class pools keep
/// their objects in line-padded [`Boxed`] blocks, and a block that is line-padded already
/// passes between a `Boxed` and the view's `Box` without moving (`SAME_AS_BOX`, checked
/// below). No two buffers' headers (written by every freeze, view clone and drop) share a
/// line.
#[repr(align(64))]
pub(crate) struct Chunk {
    pub(crate) buf: Vec<u8>,
    /// The size class's index, or [`LARGE`].
    pub(crate) class: u8,
    /// The class pool the chunk goes back to on the fast path, fixed when the chunk is made;
    /// null for a chunk above the largest class and for every chunk of a pool that zeroes
    /// returned chunks, which both take the slow path. Only [`recycle`] follows it, and its
    /// callers keep the pool alive (a `PooledBuf` borrows it; a frozen chunk is counted on
    /// the pool's lifeline, or the pool cannot close).
    ///
    /// It spares each return the class lookup (a bounds check and an index into the class
    /// slice). An `AtomicPtr`, though written once before the chunk is shared, so that
    /// `Chunk` is `Send + Sync` without an `unsafe impl`; a relaxed load is a plain load.
    pub(crate) class_pool: AtomicPtr<ClassPool>,
    /// Set by each freeze: the stripe of the pool's lifeline the freeze was counted on,
    /// tagged [`lifeline::UNCOUNTED`] when it was not (the pool cannot close). The stripe
    /// knows its pool, so the last view finds its way home through it; the count keeps the
    /// pool alive until the chunk is home (see [`lifeline`]). Stale between freezes and
    /// read only by a view. An `AtomicPtr` for the reason `class_pool` is one; only the
    /// chunk's owner reads or writes it.
    pub(crate) stripe: AtomicPtr<lifeline::Stripe>,
    /// Where a taken class chunk was taken (`leak-backtrace` only; it travels with the
    /// chunk into views, so a frozen buffer that is never dropped reports where it was
    /// taken).
    #[cfg(feature = "leak-backtrace")]
    pub(crate) token: Option<larder_core::LeakToken>,
}

impl ViewOwner for Chunk {
    fn bytes(&self) -> &[u8] {
        &self.buf
    }

    #[inline]
    fn reclaim(mut storage: ViewStorage<Self>) {
        // Only `PooledBuf::freeze` makes views of a chunk (the type is private), and it
        // sets the stripe; what a chunk keeps from an earlier freeze is never read.
        let chunk = storage.get_mut();
        let stripe = *chunk.stripe.get_mut();
        let class = chunk.class_pool.load(Ordering::Relaxed);
        if class.is_null() || cfg!(feature = "leak-backtrace") {
            // SAFETY: what the freeze recorded, and the chunk's one release.
            return unsafe { reclaim_slow(stripe, storage) };
        }
        // The common path, written so that it calls nothing: every slower path is its last
        // call.
        chunk.buf.clear();
        // SAFETY: a non-null `class_pool` points to one of the class pools of the chunk's
        // pool, which the chunk's count on its lifeline keeps alive (or the pool cannot
        // close).
        let class = unsafe { &*class };
        match class.try_keep_reset(Boxed::from_box(storage.into_block())) {
            // SAFETY: `stripe` is what the freeze recorded, this is the chunk's one
            // release, and nothing uses the pool after it.
            Ok(()) => unsafe { lifeline::let_go(stripe) },
            // SAFETY: as above.
            Err(block) => unsafe { reclaim_refused(stripe, class, block) },
        }
    }
}

/// The return of a frozen chunk that its class's cache refused: through the class pool's
/// general path, then its count taken off the lifeline.
///
/// # Safety
///
/// `stripe` is what the chunk's freeze recorded, `class` is the chunk's class pool, and
/// this is the chunk's one release.
#[inline(never)]
unsafe fn reclaim_refused(
    stripe: *const lifeline::Stripe,
    class: &ClassPool,
    block: Boxed<ViewBlock<Chunk>>,
) {
    class.give_back_reset(block);
    // SAFETY: the caller's guarantee; nothing uses `class` after it.
    unsafe { lifeline::let_go(stripe) };
}

/// The return of a frozen chunk without a fast way home (above the largest class, or of a
/// zeroing pool), then its count taken off the lifeline.
///
/// # Safety
///
/// As [`reclaim_refused`].
#[cold]
#[inline(never)]
unsafe fn reclaim_slow(stripe: *const lifeline::Stripe, storage: ViewStorage<Chunk>) {
    // SAFETY: the chunk is still counted on the pool's lifeline (or the pool cannot
    // close), which keeps the pool alive; the reference ends before the count is taken
    // back.
    recycle(unsafe { &*lifeline::home_of(stripe) }, storage);
    // SAFETY: the caller's guarantee; nothing uses the pool after it.
    unsafe { lifeline::let_go(stripe) };
}

/// A class's pool keeps each chunk in its view block, so a pooled buffer, a frozen view of
/// it and the pool all share one heap block per buffer.
pub(crate) type ClassPool = Pool<ViewBlock<Chunk>>;

const _: () = assert!(Boxed::<ViewBlock<Chunk>>::SAME_AS_BOX);

/// The `class` of a chunk made for a request above the largest class: it belongs to no
/// class pool and is freed when dropped (there are at most `MAX_CLASSES` real classes).
pub(crate) const LARGE: u8 = u8::MAX;
const _: () = assert!(crate::MAX_CLASSES < LARGE as usize);

impl Chunk {
    /// The index of the chunk's size class; `None` for a chunk above the largest class.
    #[inline]
    pub(crate) fn class_index(&self) -> Option<usize> {
        (self.class != LARGE).then_some(usize::from(self.class))
    }
}

/// What `get` does with a request above the largest class.
///
/// # Examples
///
/// ```
/// use larder_buffer::{BufferPool, LargeRequests};
/// let pool = BufferPool::builder().large_requests(LargeRequests::Refuse).build()?;
/// assert!(pool.try_get(usize::MAX).is_err());
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LargeRequests {
    /// Allocate a plain buffer from the heap (counted in
    /// [`BufferStats::heap_fallbacks`]); it is freed, not kept, when dropped.
    #[default]
    Heap,
    /// Refuse: [`BufferPool::try_get`] returns [`BufferError::TooLarge`] and
    /// [`BufferPool::get`] panics.
    Refuse,
}

/// Why a buffer could not be had.
///
/// # Examples
///
/// ```
/// use larder_buffer::{BufferError, BufferPool, LargeRequests};
/// let pool = BufferPool::builder().large_requests(LargeRequests::Refuse).build()?;
/// let err = pool.try_get(1 << 40).unwrap_err();
/// assert_eq!(err, BufferError::TooLarge { requested: 1 << 40, largest: 1 << 20 });
/// assert!(err.to_string().contains("largest size class"));
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BufferError {
    /// The request is above the largest class and the pool refuses large requests.
    TooLarge {
        /// Bytes requested.
        requested: usize,
        /// The largest class.
        largest: usize,
    },
    /// The requested capacity overflows `usize` (or `isize::MAX` bytes).
    CapacityOverflow,
    /// The heap could not provide a large buffer.
    OutOfMemory {
        /// Bytes requested.
        requested: usize,
    },
}

impl fmt::Display for BufferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BufferError::TooLarge { requested, largest } => write!(
                f,
                "a buffer of {requested} bytes was requested, above the largest size class \
                 ({largest} bytes), and the pool refuses large requests"
            ),
            BufferError::CapacityOverflow => f.write_str("buffer capacity overflows isize::MAX"),
            BufferError::OutOfMemory { requested } => {
                write!(
                    f,
                    "the heap could not provide a buffer of {requested} bytes"
                )
            }
        }
    }
}

impl std::error::Error for BufferError {}

pub(crate) struct Inner {
    pub(crate) sizes: SizeClasses,
    /// Shared with every handle, which keeps its own pointer to them (see [`BufferPool`]).
    pub(crate) classes: ClassPools,
    pub(crate) large: LargeRequests,
    pub(crate) heap_fallbacks: Counter,
    pub(crate) leaks: LeakTracker,
    /// The handles alive, and the frozen chunks not yet home, striped by thread.
    pub(crate) lifeline: Lifeline,
    /// The pool's `Arc` of itself: kept until the last handle is gone and every frozen
    /// chunk is home, so that chunks frozen before the last handle's drop can come home
    /// after it (see [`lifeline`]).
    pub(crate) keep: Mutex<Option<Arc<Inner>>>,
}

/// The class pools, smallest class first. An `Arc` of the standard library, not the loom
/// shim's: its count only keeps the slice alive and orders nothing the models check (and
/// loom's `Arc` holds no slices).
pub(crate) type ClassPools = std::sync::Arc<[ClassPool]>;

/// What a returning chunk's slow path needs to reach its pool: the handle a `PooledBuf`
/// borrows, or the pool state a frozen chunk points to. The fast path needs neither (the
/// chunk knows its class pool), so the caller passes the pointer it already has and the
/// slow path alone loads through it.
pub(crate) trait Home {
    /// The pool's state.
    fn inner(&self) -> &Inner;
}

impl Home for Inner {
    #[inline(always)]
    fn inner(&self) -> &Inner {
        self
    }
}

impl Home for BufferPool {
    #[inline(always)]
    fn inner(&self) -> &Inner {
        &self.inner
    }
}

/// Empties a class chunk (zeroing its whole capacity with `zero_on_return`) and gives it
/// back to its class; frees a chunk above the largest class.
///
/// The buffer crate resets chunks itself rather than through a reset hook of the class
/// pools: every chunk comes back through here, and a hook would be an indirect call on
/// every return.
#[inline(always)]
pub(crate) fn recycle<H: Home>(
    home: &H,
    #[cfg_attr(not(feature = "leak-backtrace"), allow(unused_mut))] mut storage: ViewStorage<Chunk>,
) {
    #[cfg(feature = "leak-backtrace")]
    if let Some(token) = storage.get_mut().token.take() {
        home.inner().leaks.untrack(token);
    }
    // One load finds the class pool; a null one sends to the slow path both a chunk above
    // the largest class and one to zero.
    let class = storage.class_pool.load(Ordering::Relaxed);
    if class.is_null() {
        return recycle_slow(home, storage);
    }
    // SAFETY: a non-null `class_pool` points to the chunk's class pool, one of `home`'s
    // (see `Chunk::class_pool`), which the caller's borrow of `home` keeps alive.
    send_home(unsafe { &*class }, storage);
}

/// [`recycle`] for a chunk to zero or to free, out of line: the common return then makes
/// no call before its push, and needs no saved registers.
#[cold]
#[inline(never)]
fn recycle_slow<H: Home>(home: &H, mut storage: ViewStorage<Chunk>) {
    let Some(class) = storage.class_index() else {
        // Above the largest class: freed.
        return drop(storage);
    };
    // A class chunk without a fast way home belongs to a pool that zeroes returned chunks.
    storage.get_mut().buf.zero_storage();
    send_home(&home.inner().classes[class], storage);
}

/// Empties the chunk and hands it to its class pool, whose reset hook it does not need:
/// onto this thread's cache when the pool reaches it first and it has room, else through
/// the pool's general path, as the last call (so the common path calls nothing).
#[inline(always)]
fn send_home(class: &ClassPool, mut storage: ViewStorage<Chunk>) {
    storage.get_mut().buf.clear();
    if let Err(block) = class.try_keep_reset(Boxed::from_box(storage.into_block())) {
        give_back_refused(class, block);
    }
}

/// The return of a chunk that its class's cache refused, out of line (see [`send_home`]).
#[inline(never)]
fn give_back_refused(class: &ClassPool, block: Boxed<ViewBlock<Chunk>>) {
    class.give_back_reset(block);
}

/// A pool of byte buffers in size classes, each class a thread-caching
/// [`larder_object::Pool`].
///
/// `BufferPool` is a cheap handle (`Clone` is three reference-count increments); all clones
/// share the same classes. See the [crate docs](crate) for the cost model.
///
/// # Examples
///
/// ```
/// use larder_buffer::BufferPool;
///
/// let pool = BufferPool::new();
/// let mut buf = pool.get(3000);
/// assert_eq!(buf.capacity(), 4096);
/// buf.extend_from_slice(b"hello");
/// let view = buf.freeze();
/// assert_eq!(&view[..], b"hello");
/// ```
pub struct BufferPool {
    pub(crate) inner: Arc<Inner>,
    /// Copies of what every `get` and drop reads, kept in the handle (which a `PooledBuf`
    /// points to) so that reaching a class pool is one load from the handle rather than a
    /// chain of three (handle, `Inner`, its class slice): that chain sat in front of every
    /// get and put, ahead of the thread cache's own loads.
    pub(crate) classes: ClassPools,
    /// The lookup for consecutive power-of-two classes from 2 B or more.
    pub(crate) pow2: Option<Pow2>,
    /// Set in a handle made by [`leak`](Self::leak) and in its clones: the pool can never
    /// close, so freezes need not be counted on its lifeline.
    pub(crate) immortal: bool,
}

impl Clone for BufferPool {
    fn clone(&self) -> Self {
        self.inner.lifeline.add_handle();
        BufferPool {
            inner: self.inner.clone(),
            classes: self.classes.clone(),
            pow2: self.pow2,
            immortal: self.immortal,
        }
    }
}

impl Drop for BufferPool {
    fn drop(&mut self) {
        if self.inner.lifeline.drop_handle() {
            // The last handle: frozen buffers may still be out (see `lifeline`).
            self.inner.close();
        }
    }
}

impl Default for BufferPool {
    fn default() -> Self {
        Self::new()
    }
}

impl BufferPool {
    /// A pool with the default configuration: power-of-two classes from 64 B to 1 MiB, each
    /// keeping at most 8 MiB, 64 MiB in all (see [`BufferPoolBuilder`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// assert_eq!(pool.classes().largest(), 1 << 20);
    /// ```
    pub fn new() -> Self {
        Self::builder()
            .build()
            .expect("the default configuration is valid")
    }

    /// A builder to configure classes, limits, zeroing and large requests.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::builder()
    ///     .tiers(larder_buffer::TIERS_1K_64K_1M)
    ///     .max_retained_bytes(16 << 20)
    ///     .build()?;
    /// assert_eq!(pool.classes().len(), 3);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn builder() -> BufferPoolBuilder {
        BufferPoolBuilder::default()
    }

    /// A buffer with capacity of at least `n` (exactly its class's size), empty.
    ///
    /// # Panics
    ///
    /// If `n` is above the largest class and the pool refuses large requests
    /// ([`LargeRequests::Refuse`]), or `n` overflows `isize::MAX`; use
    /// [`try_get`](Self::try_get) to get an error instead.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let buf = pool.get(100);
    /// assert!(buf.is_empty() && buf.capacity() == 128);
    /// ```
    #[inline(always)]
    pub fn get(&self, n: usize) -> PooledBuf<'_> {
        match self.class_pool(n) {
            Some(class) => PooledBuf::new(self, self.take_from(class)),
            None => self.get_large(n),
        }
    }

    /// `get` above the largest class (or of 0 bytes), out of line.
    #[cold]
    #[inline(never)]
    fn get_large(&self, n: usize) -> PooledBuf<'_> {
        match self.try_get_slow(n) {
            Ok(buf) => buf,
            Err(e) => panic!("{e}"),
        }
    }

    /// What the fast lookup of [`class_pool`](Self::class_pool) sends away: a request
    /// above the largest class, or of 0 bytes (which it leaves to the general lookup).
    #[cold]
    #[inline(never)]
    fn try_get_slow(&self, n: usize) -> Result<PooledBuf<'_>, BufferError> {
        if let Some(class) = self.inner.sizes.class_for(n) {
            return Ok(PooledBuf::new(self, self.take_chunk(class)));
        }
        self.large(n).map(|storage| PooledBuf::new(self, storage))
    }

    /// A buffer with capacity of at least `n`, or an error.
    ///
    /// # Errors
    ///
    /// [`BufferError::TooLarge`] when `n` is above the largest class and the pool refuses
    /// large requests; [`BufferError::CapacityOverflow`] when `n > isize::MAX`;
    /// [`BufferError::OutOfMemory`] when the heap cannot provide a large buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let big = pool.try_get(4 << 20)?; // above the largest class: a counted heap buffer
    /// assert!(big.capacity() >= 4 << 20 && !big.is_pooled());
    /// assert_eq!(pool.stats().heap_fallbacks, 1);
    /// # Ok::<(), larder_buffer::BufferError>(())
    /// ```
    #[inline]
    pub fn try_get(&self, n: usize) -> Result<PooledBuf<'_>, BufferError> {
        match self.class_pool(n) {
            Some(class) => Ok(PooledBuf::new(self, self.take_from(class))),
            None => self.try_get_slow(n),
        }
    }

    /// The pool of the smallest class that holds `n` bytes ([`SizeClasses::class_for`],
    /// from the handle's copy for power-of-two classes), with one bounds check. `None`
    /// above the largest class, and for 0 with power-of-two classes (see [`Pow2::index`]).
    #[inline(always)]
    fn class_pool(&self, n: usize) -> Option<&ClassPool> {
        match self.pow2 {
            Some(pow2) => self.classes.get(pow2.index(n)),
            None => self
                .inner
                .sizes
                .class_for(n)
                .map(|class| &self.classes[class]),
        }
    }

    /// Empties a class chunk and gives it back to its class (see [`recycle`]).
    #[inline(always)]
    pub(crate) fn recycle(&self, storage: ViewStorage<Chunk>) {
        recycle(self, storage);
    }

    /// A chunk of `class` from its pool.
    #[inline(always)]
    pub(crate) fn take_chunk(&self, class: usize) -> ViewStorage<Chunk> {
        self.take_from(&self.classes[class])
    }

    /// A chunk from `class`, one of this pool's class pools.
    #[inline(always)]
    fn take_from(&self, class: &ClassPool) -> ViewStorage<Chunk> {
        #[allow(unused_mut)]
        let mut storage = ViewStorage::from_block(class.take().into_box());
        #[cfg(feature = "leak-backtrace")]
        {
            storage.get_mut().token = Some(self.inner.leaks.track());
        }
        storage
    }

    /// A chunk of class [`LARGE`] with room for `n` bytes, from the heap (two allocations:
    /// the bytes and the view block), or the error the configuration calls for. Out of line,
    /// so that `get`'s class path keeps its registers.
    #[cold]
    #[inline(never)]
    pub(crate) fn large(&self, n: usize) -> Result<ViewStorage<Chunk>, BufferError> {
        if n > isize::MAX as usize {
            return Err(BufferError::CapacityOverflow);
        }
        match self.inner.large {
            LargeRequests::Heap => {
                let mut v = Vec::new();
                v.try_reserve_exact(n)
                    .map_err(|_| BufferError::OutOfMemory { requested: n })?;
                self.inner.heap_fallbacks.add_shared(1);
                Ok(ViewStorage::new(Chunk {
                    buf: v,
                    class: LARGE,
                    class_pool: AtomicPtr::new(ptr::null_mut()),
                    stripe: AtomicPtr::new(ptr::null_mut()),
                    #[cfg(feature = "leak-backtrace")]
                    token: None,
                }))
            }
            LargeRequests::Refuse => Err(BufferError::TooLarge {
                requested: n,
                largest: self.inner.sizes.largest(),
            }),
        }
    }

    /// The size classes.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// assert_eq!(pool.classes().sizes()[0], 64);
    /// ```
    pub fn classes(&self) -> &SizeClasses {
        &self.inner.sizes
    }

    /// Keeps the pool for the rest of the process and returns a `'static` handle to it,
    /// for a pool that lives as long as the program (a process-wide pool in a `static`,
    /// say). Nothing is freed, as with [`Box::leak`]: the pool's retained buffers stay
    /// bounded by its limits, and [`trim`](Self::trim) still releases them.
    ///
    /// Besides the `'static` lifetime, this makes freezing cheaper: a pool that may close
    /// counts each frozen buffer until its last view is dropped (an atomic increment and
    /// decrement on a cache line of the freezing thread's, so that the pool outlives the
    /// views), and a pool that cannot close skips both. Clones of the returned handle keep
    /// that property.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::LazyLock;
    /// use larder_buffer::BufferPool;
    ///
    /// static POOL: LazyLock<&'static BufferPool> = LazyLock::new(|| BufferPool::new().leak());
    ///
    /// let mut buf = POOL.get(100);
    /// buf.extend_from_slice(b"shared by every thread");
    /// let view = buf.freeze(); // no reference counting of the pool
    /// assert_eq!(&view[..6], b"shared");
    /// ```
    pub fn leak(mut self) -> &'static BufferPool {
        self.immortal = true;
        Box::leak(Box::new(self))
    }

    /// Releases every retained buffer this thread can reach (see
    /// [`larder_object::Pool::trim`] for what other threads' caches do).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// drop(pool.get(10));
    /// pool.trim();
    /// assert_eq!(pool.stats().total.retained_bytes, 0);
    /// ```
    pub fn trim(&self) {
        self.inner.classes.iter().for_each(Pool::trim);
    }

    /// One tick of idle aging in every class: buffers not used since the last two ticks are
    /// released (see [`larder_object::Pool::tick`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// drop(pool.get(10));
    /// pool.tick();
    /// pool.tick();
    /// pool.tick();
    /// assert_eq!(pool.stats().total.retained_objects, 0);
    /// ```
    pub fn tick(&self) {
        self.inner.classes.iter().for_each(Pool::tick);
    }

    /// Per-class and pool-wide counters.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// drop(pool.get(100));
    /// drop(pool.get(100));
    /// let stats = pool.stats();
    /// assert_eq!(stats.class(128).unwrap().hits, 1);
    /// assert!(stats.total.is_balanced());
    /// ```
    pub fn stats(&self) -> BufferStats {
        let classes: Vec<(usize, Stats)> = self
            .inner
            .sizes
            .sizes()
            .iter()
            .zip(self.inner.classes.iter())
            .map(|(&size, pool)| {
                let mut stats = pool.stats();
                // every retained buffer of a class has exactly the class's size
                stats.retained_bytes = stats.retained_objects.saturating_mul(size as u64);
                (size, stats)
            })
            .collect();
        BufferStats {
            total: classes.iter().map(|(_, s)| *s).sum(),
            classes,
            heap_fallbacks: self.inner.heap_fallbacks.get(),
        }
    }

    /// Buffers taken and not yet returned, over all classes (frozen views included until the
    /// last one is dropped).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let kept = pool.get(1);
    /// assert_eq!(pool.outstanding(), 1);
    /// drop(kept);
    /// assert_eq!(pool.outstanding(), 0);
    /// ```
    pub fn outstanding(&self) -> u64 {
        self.inner
            .classes
            .iter()
            .map(|p| p.stats().outstanding)
            .sum()
    }

    /// How many class buffers were taken and not given back ([`outstanding`](Self::outstanding),
    /// frozen views included until the last one is dropped), and, with the `leak-backtrace`
    /// feature, where each was taken (a backtrace per `get`, which costs microseconds: a
    /// debugging aid). Buffers above the largest class belong to the heap, not the pool, and
    /// are not tracked.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut buf = pool.get(100);
    /// buf.extend_from_slice(b"kept by a view");
    /// let view = buf.freeze();
    /// assert_eq!(pool.leak_report().outstanding(), 1);
    /// drop(view);
    /// assert!(pool.leak_report().is_clean());
    /// ```
    pub fn leak_report(&self) -> LeakReport {
        self.inner.leaks.report(self.outstanding())
    }
}

impl fmt::Debug for BufferPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufferPool")
            .field("classes", &self.inner.sizes.sizes())
            .field("large_requests", &self.inner.large)
            .finish_non_exhaustive()
    }
}

/// A snapshot of a [`BufferPool`]'s counters.
///
/// # Examples
///
/// ```
/// let pool = larder_buffer::BufferPool::new();
/// let s = pool.stats();
/// assert_eq!(s.classes.len(), pool.classes().len());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BufferStats {
    /// `(class size, that class's stats)`, smallest class first.
    pub classes: Vec<(usize, Stats)>,
    /// The sum over all classes.
    pub total: Stats,
    /// Requests above the largest class served from the heap.
    pub heap_fallbacks: u64,
}

impl BufferStats {
    /// The stats of the class of exactly `size` bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_buffer::BufferPool::new().stats();
    /// assert!(s.class(64).is_some() && s.class(65).is_none());
    /// ```
    pub fn class(&self, size: usize) -> Option<&Stats> {
        self.classes
            .iter()
            .find(|(s, _)| *s == size)
            .map(|(_, s)| s)
    }
}

/// The configuration of a [`BufferPool`], validated by [`build`](Self::build).
///
/// | setting | default |
/// |---|---|
/// | classes | [`powers_of_two`](Self::powers_of_two)`(64, 1 MiB)` |
/// | [`class_limits`](Self::class_limits) | at most 8 MiB retained per class |
/// | [`max_retained_bytes`](Self::max_retained_bytes) | 64 MiB in all, split evenly between the classes |
/// | [`cache_bytes`](Self::cache_bytes) | 256 KiB per thread per class (at least 2 buffers, at most 64) |
/// | [`zero_on_return`](Self::zero_on_return) | off |
/// | [`large_requests`](Self::large_requests) | [`LargeRequests::Heap`] |
///
/// # Examples
///
/// ```
/// use larder_buffer::BufferPool;
/// use larder_core::Limits;
///
/// let pool = BufferPool::builder()
///     .size_classes(&[512, 4096, 65536])
///     .class_limits(Limits::new().max_objects(100))
///     .max_retained_bytes(4 << 20)
///     .zero_on_return(true)
///     .build()?;
/// assert_eq!(pool.classes().sizes(), &[512, 4096, 65536]);
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub struct BufferPoolBuilder {
    classes: Result<SizeClasses, ConfigError>,
    class_limits: Limits,
    max_retained_bytes: Option<usize>,
    cache_bytes: usize,
    zero: bool,
    large: LargeRequests,
}

impl Default for BufferPoolBuilder {
    fn default() -> Self {
        BufferPoolBuilder {
            classes: SizeClasses::powers_of_two(64, 1 << 20),
            class_limits: Limits::new().max_bytes(8 << 20),
            max_retained_bytes: Some(64 << 20),
            cache_bytes: 256 << 10,
            zero: false,
            large: LargeRequests::Heap,
        }
    }
}

impl BufferPoolBuilder {
    /// Power-of-two classes from `min` to `max` (see [`SizeClasses::powers_of_two`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::builder().powers_of_two(8, 4096).build()?;
    /// assert_eq!(pool.classes().len(), 10);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn powers_of_two(mut self, min: usize, max: usize) -> Self {
        self.classes = SizeClasses::powers_of_two(min, max);
        self
    }

    /// Tier classes, e.g. [`TIERS_1K_64K_1M`](crate::TIERS_1K_64K_1M).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::builder().tiers(&[1024, 65536]).build()?;
    /// assert_eq!(pool.get(2000).capacity(), 65536);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn tiers(mut self, tiers: &[usize]) -> Self {
        self.classes = SizeClasses::tiers(tiers);
        self
    }

    /// An explicit, strictly increasing list of classes.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = larder_buffer::BufferPool::builder().size_classes(&[64, 32]).build();
    /// assert!(err.is_err());
    /// ```
    pub fn size_classes(mut self, sizes: &[usize]) -> Self {
        self.classes = SizeClasses::new(sizes);
        self
    }

    /// Bounds for every class on its own (objects and bytes retained).
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::Limits;
    /// let pool = larder_buffer::BufferPool::builder()
    ///     .class_limits(Limits::new().max_objects(4))
    ///     .build()?;
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn class_limits(mut self, limits: Limits) -> Self {
        self.class_limits = limits;
        self
    }

    /// The memory limit: bytes retained by the whole pool. It is split evenly between the
    /// classes (each class keeps at most `n / classes` bytes, and at most its own
    /// `class_limits`), so the pool as a whole never retains more than `n`.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::builder()
    ///     .tiers(&[1024, 4096])
    ///     .max_retained_bytes(8192)
    ///     .build()?;
    /// // each class may keep 4096 bytes: four 1 KiB buffers, or one 4 KiB buffer
    /// let bufs: Vec<_> = (0..6).map(|_| pool.get(1000)).collect();
    /// drop(bufs);
    /// assert_eq!(pool.stats().total.retained_bytes, 4096);
    /// assert_eq!(pool.stats().total.dropped_full, 2);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn max_retained_bytes(mut self, n: usize) -> Self {
        self.max_retained_bytes = Some(n);
        self
    }

    /// No pool-wide byte limit (the class limits still apply).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::builder().unbounded_total().build()?;
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn unbounded_total(mut self) -> Self {
        self.max_retained_bytes = None;
        self
    }

    /// Bytes each thread may cache per class, converted to a per-thread cache of
    /// `cache_bytes / class size` buffers, clamped to 2..=64.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::builder().cache_bytes(64 << 10).build()?;
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn cache_bytes(mut self, n: usize) -> Self {
        self.cache_bytes = n;
        self
    }

    /// Zero every returned buffer's whole capacity before it can be reused, so one
    /// request's bytes never reach another's. Costs a `memset` of the class size per return.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::builder().zero_on_return(true).build()?;
    /// let mut b = pool.get(64);
    /// b.extend_from_slice(b"secret");
    /// drop(b);
    /// let mut again = pool.get(64);
    /// again.resize(6, 1);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn zero_on_return(mut self, on: bool) -> Self {
        self.zero = on;
        self
    }

    /// What to do with requests above the largest class.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_buffer::{BufferPool, LargeRequests};
    /// let pool = BufferPool::builder().large_requests(LargeRequests::Refuse).build()?;
    /// assert!(pool.try_get(2 << 20).is_err());
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn large_requests(mut self, large: LargeRequests) -> Self {
        self.large = large;
        self
    }

    /// Validates the configuration and builds the pool.
    ///
    /// # Errors
    ///
    /// The size-class errors of [`SizeClasses::new`], [`ConfigError::Zero`] for a zero
    /// limit, cache size or pool-wide byte limit, and [`ConfigError::TooSmall`] when the
    /// pool-wide limit cannot hold even one buffer of the smallest class per class.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::ConfigError;
    /// let err = larder_buffer::BufferPool::builder().max_retained_bytes(0).build().unwrap_err();
    /// assert_eq!(err, ConfigError::Zero { what: "max_retained_bytes" });
    /// ```
    pub fn build(self) -> Result<BufferPool, ConfigError> {
        let sizes = self.classes?;
        self.class_limits.validate()?;
        if self.cache_bytes == 0 {
            return Err(ConfigError::Zero {
                what: "cache_bytes",
            });
        }
        let share = match self.max_retained_bytes {
            Some(0) => {
                return Err(ConfigError::Zero {
                    what: "max_retained_bytes",
                });
            }
            Some(total) => {
                let share = total / sizes.len();
                if share == 0 {
                    return Err(ConfigError::TooSmall {
                        what: "max_retained_bytes",
                        value: total,
                        min: sizes.len(),
                        bound: "the number of size classes",
                    });
                }
                Some(share)
            }
            None => None,
        };
        // Each class's factory stamps its chunks with the address of their class pool, known
        // only once the pools are in their slice: it reads it from a cell set below.
        let mut cells = Vec::with_capacity(sizes.len());
        let classes = sizes
            .sizes()
            .iter()
            .enumerate()
            .map(|(index, &size)| {
                let mut max_bytes = self.class_limits.bytes();
                if let Some(share) = share {
                    max_bytes = Some(max_bytes.map_or(share, |b| b.min(share)));
                }
                // Every buffer of a class has the class's size, so a byte bound is an object
                // bound, and the pool need not weigh each buffer on its hot path.
                let by_bytes = max_bytes.map(|b| b / size);
                let max_objects = match (self.class_limits.objects(), by_bytes) {
                    (Some(o), Some(b)) => Some(o.min(b)),
                    (o, b) => o.or(b),
                };
                let cache = (self.cache_bytes / size).clamp(2, 64);
                let class = index as u8;
                let cell = std::sync::Arc::new(AtomicPtr::<ClassPool>::new(ptr::null_mut()));
                cells.push(cell.clone());
                // No reset hook: `Inner::recycle` empties every chunk before it comes back.
                let builder = Pool::builder()
                    .factory(move || {
                        ViewBlock::new(Chunk {
                            buf: Vec::with_capacity(size),
                            class,
                            class_pool: AtomicPtr::new(cell.load(Ordering::Relaxed)),
                            stripe: AtomicPtr::new(ptr::null_mut()),
                            #[cfg(feature = "leak-backtrace")]
                            token: None,
                        })
                    })
                    .cache_size(cache);
                match (max_objects, max_bytes) {
                    // the byte bound is below one buffer: weigh them, so every one is dropped
                    (Some(0), Some(bytes)) => builder
                        .limits(Limits::new().max_bytes(bytes))
                        .size_fn(|block: &ViewBlock<Chunk>| block.buf.capacity())
                        .build(),
                    (Some(0), None) => Err(ConfigError::Zero {
                        what: "max_objects",
                    }),
                    (Some(n), _) => builder.limits(Limits::new().max_objects(n)).build(),
                    (None, _) => builder.build(),
                }
            })
            .collect::<Result<ClassPools, _>>()?;
        // The chunks of a pool that zeroes keep a null class pool: their returns take the
        // slow path, which zeroes them. No chunk is made before this (no class prefills).
        if !self.zero {
            for (cell, class) in cells.iter().zip(classes.iter()) {
                cell.store(ptr::from_ref(class).cast_mut(), Ordering::Relaxed);
            }
        }
        let pow2 = sizes.pow2();
        let inner = Arc::new(Inner {
            sizes,
            classes: classes.clone(),
            large: self.large,
            heap_fallbacks: Counter::new(),
            leaks: LeakTracker::new(),
            lifeline: Lifeline::new(),
            keep: Mutex::new(None),
        });
        inner.lifeline.set_home(Arc::as_ptr(&inner));
        *inner.keep.lock() = Some(inner.clone());
        Ok(BufferPool {
            inner,
            classes,
            pow2,
            immortal: false,
        })
    }
}
