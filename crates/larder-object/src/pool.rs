//! [`Pool`]: the fast paths (`take`, `give_back`) and the slow paths behind them.

use core::fmt;
use core::mem;

use crossbeam_utils::CachePadded;
use larder_core::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use larder_core::sync::{Arc, Mutex};
use larder_core::{Counter, LeakReport, LeakTracker, Limits, RecyclePolicy, Stats};

use crate::Boxed;
use crate::builder::PoolBuilder;
use crate::local::{Local, Magazine, Tally};
use crate::shared::{Depot, Reservoir, push_chunks};
use crate::tls::{self, LocalHead};

/// The credit (and slack) of a cache under a bound the pool does not have: large enough
/// that no cache reaches it, small enough that adding a cache's length cannot overflow.
pub(crate) const UNBOUNDED: usize = usize::MAX / 2;

/// Entries of [`Pool::published`](Pool): the first for the first thread to publish, and
/// 16 shared by thread id (a power of two, so that finding a thread's entry is a mask).
#[cfg(not(larder_loom))]
pub(crate) const PUBLISHED: usize = 17;
/// Under loom, the first entry and one more: thread ids come from a process-wide counter,
/// so which threads share an entry would differ from one explored execution to the next
/// (loom requires every execution of a model to be deterministic); with one entry after
/// the first, every other thread shares it, which also makes the models exercise the most
/// contended case.
#[cfg(larder_loom)]
pub(crate) const PUBLISHED: usize = 2;

/// A factory, as stored by a pool.
pub(crate) type Factory<T> = Box<dyn Fn() -> T + Send + Sync>;
/// A reset hook, as stored by a pool.
pub(crate) type ResetHook<T> = Box<dyn Fn(&mut T) + Send + Sync>;

/// A bounded pool of reusable objects with a cache per thread.
///
/// See the [crate documentation](crate) for the memory layout and what each operation
/// costs. Build one with [`Pool::builder`], or [`Pool::new`] for a type implementing
/// [`Reset`](larder_core::Reset).
///
/// `Pool<T>` is `Send` and `Sync` exactly when `T: Send`: objects move between threads
/// through it, but it never shares a `&T` between threads, so `T: Sync` is not needed
/// (like `Mutex<T>`).
///
/// # Examples
///
/// ```
/// use larder_object::Pool;
///
/// let pool = Pool::new(|| Vec::<u8>::with_capacity(1024));
/// let mut buf = pool.get();
/// buf.extend_from_slice(b"hello");
/// drop(buf); // cleared and kept for the next `get`
/// assert_eq!(pool.get().capacity(), 1024);
/// assert_eq!(pool.stats().hits, 1);
/// ```
pub struct Pool<T> {
    /// Unique for the life of the process; identifies this pool's caches in the slots.
    pub(crate) tag: u64,
    /// This pool's index in every thread's slot table.
    pub(crate) slot: usize,
    /// Published caches, each reachable without the slot table by the thread that owns it
    /// (its `owner` is the thread's id): entry 0 holds the first cache installed (or, after
    /// a `trim` or `tick` emptied every entry, the first republished); entry
    /// `1 + id % (PUBLISHED - 1)` the cache last installed by a thread with that remainder.
    /// The registry keeps them alive for as long as the pool. An empty entry points to
    /// `vacant`, not null, so the fast path reads an owner without testing for null first.
    pub(crate) published: [AtomicPtr<LocalHead>; PUBLISHED],
    /// What empty entries of `published` point to: a head whose owner is no thread.
    pub(crate) vacant: Box<LocalHead>,
    pub(crate) owns_slot: bool,
    pub(crate) cache_size: usize,
    pub(crate) batch: usize,
    /// Bumped (release) by `tick` and `trim`; each operation compares it with its cache's.
    pub(crate) generation: AtomicU64,
    pub(crate) ticks: AtomicU64,
    pub(crate) trims: AtomicU64,
    /// A cache gives budget back when it holds more than this beyond its objects.
    pub(crate) slack_objects: usize,
    pub(crate) slack_bytes: usize,
    pub(crate) factory: Factory<T>,
    /// The reset hook of a pool whose returns are not plain (see `plain_return`); `None`
    /// in a plain pool, whose hook is in `plain_reset`.
    pub(crate) reset: Option<ResetHook<T>>,
    /// The reset hook of a plain pool, `None` in any other: one test on the return path
    /// then says both that the pool is plain and that it has a hook.
    pub(crate) plain_reset: Option<ResetHook<T>>,
    pub(crate) policy: RecyclePolicy<T>,
    /// `policy.is_trivial()`: returns need only the reset hook.
    pub(crate) trivial_policy: bool,
    /// A trivial policy and no size function: a return is the reset hook and a push.
    pub(crate) plain_return: bool,
    pub(crate) size_fn: Option<fn(&T) -> usize>,
    pub(crate) limits: Limits,
    pub(crate) objects: Option<Reservoir>,
    pub(crate) bytes: Option<Reservoir>,
    pub(crate) depot: Depot<T>,
    pub(crate) tally: CachePadded<Tally>,
    pub(crate) registry: Mutex<Vec<Arc<Local<T>>>>,
    pub(crate) leaks: LeakTracker,
    /// Prefilled objects the limits refused (counted `dropped_full`, but never taken).
    pub(crate) prefill_refused: Counter,
}

/// Everything a builder decided.
pub(crate) struct Config<T> {
    pub(crate) factory: Factory<T>,
    pub(crate) reset: Option<ResetHook<T>>,
    pub(crate) policy: RecyclePolicy<T>,
    pub(crate) size_fn: Option<fn(&T) -> usize>,
    pub(crate) limits: Limits,
    pub(crate) cache_size: usize,
}

impl<T: Send> Pool<T> {
    /// A builder; a factory is required, everything else has a default.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder()
    ///     .factory(|| String::with_capacity(64))
    ///     .reset(String::clear)
    ///     .build()?;
    /// assert!(pool.get().capacity() >= 64);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn builder() -> PoolBuilder<T> {
        PoolBuilder::new()
    }

    pub(crate) fn from_config(config: Config<T>, prefill: usize) -> Self {
        let cache_size = config.cache_size;
        let batch = (cache_size / 2).max(1);
        let plain_return = config.policy.is_trivial() && config.size_fn.is_none();
        let (plain_reset, reset) = if plain_return {
            (config.reset, None)
        } else {
            (None, config.reset)
        };
        let reservoir = |max: Option<usize>, grain: usize| max.map(|m| Reservoir::new(m, grain));
        let objects = reservoir(
            config.limits.objects(),
            config
                .limits
                .objects()
                .map_or(1, |m| (m / 8).clamp(1, batch)),
        );
        let bytes = reservoir(
            config.limits.bytes(),
            config.limits.bytes().map_or(1, |m| (m / 8).max(1)),
        );
        let tag = tls::new_tag();
        let (slot, owns_slot) = tls::claim_slot(tag);
        let vacant = Box::new(LocalHead::vacant());
        let vacant_ptr = core::ptr::from_ref::<LocalHead>(&vacant).cast_mut();
        let pool = Pool {
            tag,
            slot,
            published: core::array::from_fn(|_| AtomicPtr::new(vacant_ptr)),
            vacant,
            owns_slot,
            cache_size,
            batch,
            generation: AtomicU64::new(0),
            ticks: AtomicU64::new(0),
            trims: AtomicU64::new(0),
            slack_objects: objects.as_ref().map_or(UNBOUNDED, |r| 2 * r.grain),
            slack_bytes: bytes
                .as_ref()
                .map_or(UNBOUNDED, |r| r.grain.saturating_mul(2)),
            factory: config.factory,
            reset,
            plain_reset,
            trivial_policy: config.policy.is_trivial(),
            plain_return,
            policy: config.policy,
            size_fn: config.size_fn,
            limits: config.limits,
            objects,
            bytes,
            depot: Depot::new(batch, config.size_fn.is_some(), config.limits.objects()),
            tally: CachePadded::new(Tally::default()),
            registry: Mutex::new(Vec::new()),
            leaks: LeakTracker::new(),
            prefill_refused: Counter::new(),
        };
        pool.prefill(prefill);
        pool
    }

    fn prefill(&self, n: usize) {
        let mut values = Vec::with_capacity(n);
        let mut sizes = Vec::new();
        for _ in 0..n {
            let value = Boxed::new((self.factory)());
            self.tally.created.add_shared(1);
            let bytes = self.size_fn.map_or(0, |f| f(&value));
            if self.reserve_exact(bytes) {
                values.push(value);
                if self.size_fn.is_some() {
                    sizes.push(bytes);
                }
            } else {
                // the next ones would not fit either: stop making them
                self.tally.dropped_full.add_shared(1);
                self.prefill_refused.add_shared(1);
                break;
            }
        }
        push_chunks(&self.depot, &mut values, &mut sizes);
    }

    /// Takes an object, in the heap block it lives in while the pool has it: from this
    /// thread's cache, else a batch from the shared layer, else the factory (and one
    /// allocation for the block). Counted as outstanding until
    /// [`give_back`](Self::give_back) or [`detach_taken`](Self::detach_taken); prefer
    /// [`get`](Self::get), whose guard does this on drop.
    ///
    /// # Panics
    ///
    /// If the factory panics (the pool stays consistent: nothing was counted).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(Vec::<u8>::new);
    /// let v = pool.take();
    /// assert_eq!(pool.stats().outstanding, 1);
    /// pool.give_back(v);
    /// assert_eq!(pool.stats().outstanding, 0);
    /// ```
    #[inline]
    pub fn take(&self) -> Boxed<T> {
        match self.pop_fast() {
            Some(value) => value,
            None => self.take_slow_or_create(),
        }
    }

    /// Takes a retained object if there is one; never calls the factory.
    #[inline]
    pub(crate) fn take_retained(&self) -> Option<Boxed<T>> {
        self.pop_fast().or_else(|| self.take_slow(false))
    }

    /// [`give_back`](Self::give_back) for a caller that already reset the object itself:
    /// the reset hook is not run (the recycle policy and the size function still are, when
    /// the pool has them). For pools that keep their own objects' state, such as
    /// larder-buffer's class pools, whose buffers are emptied by the crate before they come
    /// back: the common return is then a push with no call in it.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(String::new);
    /// let mut s = pool.take();
    /// s.push_str("used");
    /// s.clear(); // this caller resets it
    /// pool.give_back_reset(s);
    /// assert_eq!(pool.stats().returned, 1);
    /// ```
    #[inline]
    pub fn give_back_reset(&self, value: Boxed<T>) {
        self.give_back_reset_box(value);
    }

    /// The fast path of [`give_back_reset`](Self::give_back_reset) alone: keeps `value`
    /// (reset by the caller) in this thread's cache when the pool reaches it first and it
    /// has room, counted `returned`; hands it back otherwise, untouched and uncounted, for
    /// the caller to pass to `give_back_reset`.
    ///
    /// For callers that wrap the pool's return in their own: with the refusal in their
    /// hands, the slower path can be their function's last call, and their common path
    /// makes no call at all.
    ///
    /// # Errors
    ///
    /// `Err(value)` when this thread's cache is not one the pool reaches first (the pool
    /// publishes the caches of the first threads to use it; the others find theirs in
    /// their thread-local slot, which `give_back_reset` does), when the cache is full, or
    /// when the pool returns reset objects through its general path (a policy or a size
    /// function).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(|| Vec::<u8>::with_capacity(64));
    /// let mut v = pool.take();
    /// v.clear(); // this caller resets it
    /// if let Err(v) = pool.try_keep_reset(v) {
    ///     pool.give_back_reset(v);
    /// }
    /// assert_eq!(pool.stats().returned, 1);
    /// ```
    #[inline]
    pub fn try_keep_reset(&self, value: Boxed<T>) -> Result<(), Boxed<T>> {
        self.keep_published(value)
    }

    /// The return path of an object obtained with [`take`](Self::take): validated, reset and
    /// kept (counted `returned`), or dropped (`dropped_rejected` when the policy refuses it
    /// or the reset hook panics, `dropped_full` when keeping it would pass a limit).
    ///
    /// Giving back an object that did not come from `take` unbalances the books (use
    /// [`put`](Self::put) or [`put_boxed`](Self::put_boxed) for outside objects).
    ///
    /// # Panics
    ///
    /// If the reset hook (or the validity check, size function or `T`'s `Drop`) panics; the
    /// object is then dropped and counted as rejected, and the pool stays usable.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(String::new);
    /// let mut s = pool.take();
    /// s.push_str("used");
    /// pool.give_back(s);
    /// assert!(pool.take().is_empty(), "reset on return");
    /// ```
    #[inline]
    pub fn give_back(&self, value: Boxed<T>) {
        self.give_back_box(value);
    }

    /// Gives an outside object to the pool (counted `adopted`), which then treats it like a
    /// returned one: validated, reset, kept or dropped. The pool keeps objects in heap
    /// blocks of their own, so this allocates one ([`put_boxed`](Self::put_boxed) does
    /// not).
    ///
    /// # Panics
    ///
    /// As [`give_back`](Self::give_back).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(Vec::<u8>::new);
    /// pool.put(Vec::with_capacity(4096));
    /// assert_eq!(pool.stats().adopted, 1);
    /// assert_eq!(pool.get().capacity(), 4096);
    /// ```
    pub fn put(&self, value: T) {
        self.put_boxed(Boxed::new(value));
    }

    /// [`put`](Self::put) for an object already in a [`Boxed`] block, which the pool then
    /// keeps as it is.
    ///
    /// # Panics
    ///
    /// As [`give_back`](Self::give_back).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(String::new);
    /// pool.put_boxed(larder_object::Boxed::new(String::with_capacity(64)));
    /// assert_eq!(pool.stats().adopted, 1);
    /// assert_eq!(pool.get().capacity(), 64);
    /// ```
    pub fn put_boxed(&self, value: Boxed<T>) {
        self.tally.adopted.add_shared(1);
        self.give_back(value);
    }

    /// Records that a taken object leaves the pool for good (counted `detached`), and
    /// returns it. The raw counterpart of [`Pooled::detach`](crate::Pooled::detach).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(Vec::<u8>::new);
    /// let v = pool.detach_taken(pool.take());
    /// assert_eq!(pool.stats().detached, 1);
    /// assert!(pool.stats().is_balanced());
    /// # drop(v);
    /// ```
    pub fn detach_taken(&self, value: Boxed<T>) -> Boxed<T> {
        self.tally.detached.add_shared(1);
        value
    }

    /// Releases everything retained that this thread can reach now: the shared layer, the
    /// calling thread's cache and the caches of exited threads. Other live threads release
    /// their caches at their next operation on this pool (they see the trim then), so until
    /// then each holds at most its cache size.
    ///
    /// Costs one pass over the shared layer and a lock of the cache registry.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder().factory(Vec::<u8>::new).prefill(10).build()?;
    /// pool.trim();
    /// let s = pool.stats();
    /// assert_eq!((s.retained_objects, s.released), (0, 10));
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn trim(&self) {
        self.trims.fetch_add(1, Ordering::Relaxed);
        self.generation.fetch_add(1, Ordering::Release);
        self.unpublish();
        let mut drops = Vec::new();
        while let Some((mut magazine, n, bytes)) = self.depot.pop() {
            self.release_budget(n, bytes);
            self.tally.released.add_shared(n as u64);
            drops.append(&mut magazine.values);
        }
        self.depot.clear_spares();
        self.sync_reachable(&mut drops);
        drop(drops);
    }

    /// Advances idle aging by one generation: whatever was not used since the tick before
    /// this one is released (from the shared layer, this thread's cache, exited threads'
    /// caches; other threads' caches age at their next operation). Call it periodically
    /// (say once a second) so that a burst does not pin memory.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder().factory(Vec::<u8>::new).prefill(4).build()?;
    /// pool.tick();
    /// assert_eq!(pool.stats().retained_objects, 4, "idle for less than one interval");
    /// pool.tick();
    /// assert_eq!(pool.stats().retained_objects, 0, "idle for a whole interval");
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn tick(&self) {
        self.ticks.fetch_add(1, Ordering::Relaxed);
        self.generation.fetch_add(1, Ordering::Release);
        self.unpublish();
        let idle = self.depot.restart_low();
        let mut drops = Vec::new();
        let mut released = 0;
        while released < idle {
            let Some((mut magazine, n, bytes)) = self.depot.pop() else {
                break;
            };
            if released + n > idle {
                self.depot.push(magazine);
                break;
            }
            released += n;
            self.release_budget(n, bytes);
            self.tally.released.add_shared(n as u64);
            drops.append(&mut magazine.values);
        }
        self.depot.restart_low();
        self.sync_reachable(&mut drops);
        drop(drops);
    }

    /// A snapshot of the pool's counters, added up over all threads' caches.
    ///
    /// Exact when the pool is quiescent; while other threads work, each counter is some
    /// recent value. Costs a lock of the cache registry and a read per cache.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(Vec::<u8>::new);
    /// drop(pool.get());
    /// drop(pool.get());
    /// let s = pool.stats();
    /// assert_eq!((s.misses, s.hits, s.returned, s.retained_objects), (1, 1, 2, 1));
    /// assert!(s.is_balanced());
    /// ```
    pub fn stats(&self) -> Stats {
        let mut s = Stats::default();
        self.tally.add_flows(&mut s);
        let mut level = 0u64;
        let mut bytes = 0u64;
        for local in self.registry.lock().iter() {
            local.tally.add_flows(&mut s);
            level = level.wrapping_add(local.tally.level());
            bytes = bytes.wrapping_add(local.tally.bytes.get());
        }
        s.retained_objects = (self.depot.objects() as u64).wrapping_add(level);
        s.retained_bytes = (self.depot.bytes() as u64).wrapping_add(bytes);
        let gone = s.returned + s.dropped_full + s.dropped_rejected + s.detached
            - self.prefill_refused.get();
        s.outstanding = (s.hits + s.misses + s.adopted).saturating_sub(gone);
        s
    }

    /// How many taken objects were not given back, and (with the `leak-backtrace` feature)
    /// where the guards holding them were created.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(Vec::<u8>::new);
    /// let held = pool.get();
    /// assert_eq!(pool.leak_report().outstanding(), 1);
    /// drop(held);
    /// assert!(pool.leak_report().is_clean());
    /// ```
    pub fn leak_report(&self) -> LeakReport {
        self.leaks.report(self.stats().outstanding)
    }
}

impl<T> Pool<T> {
    /// The per-thread cache size this pool was built with.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder().factory(|| 0u8).cache_size(8).build()?;
    /// assert_eq!(pool.cache_size(), 8);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn cache_size(&self) -> usize {
        self.cache_size
    }

    /// The limits this pool was built with.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::Limits;
    /// let pool = larder_object::Pool::builder()
    ///     .factory(|| 0u8)
    ///     .limits(Limits::new().max_objects(5))
    ///     .build()?;
    /// assert_eq!(pool.limits().objects(), Some(5));
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub(crate) fn leaks(&self) -> &LeakTracker {
        &self.leaks
    }
}

/// Everything retained is dropped here. No pool operation can run concurrently (guards
/// borrow the pool or hold an `Arc` of it), and exiting threads touch only a cache's state
/// and reference count, so the caches of all threads can be emptied from this one.
impl<T> Drop for Pool<T> {
    fn drop(&mut self) {
        if self.owns_slot {
            tls::release_slot(self.slot);
        }
        self.depot.clear_spares();
        let mut drops = Vec::new();
        while let Some((magazine, ..)) = self.depot.pop() {
            drops.push(magazine);
        }
        for local in self.registry.get_mut().iter() {
            local.inner.with_mut(|inner| {
                // SAFETY: see the impl's docs: no other access to any cache can overlap.
                let inner = unsafe { &mut *inner };
                drops.push(Magazine {
                    values: mem::take(&mut inner.cache),
                    sizes: mem::take(&mut inner.sizes),
                });
            });
        }
    }
}

impl<T> fmt::Debug for Pool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("type", &core::any::type_name::<T>())
            .field("cache_size", &self.cache_size)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
impl<T> Pool<T> {
    pub(crate) fn budget_used(&self) -> (usize, usize) {
        (
            self.objects.as_ref().map_or(0, Reservoir::used),
            self.bytes.as_ref().map_or(0, Reservoir::used),
        )
    }
}
