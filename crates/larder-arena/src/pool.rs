//! [`ArenaPool`]: a pool of arenas, reset when they come back.

use crate::arena::Arena;
use crate::policy::GrowthPolicy;
use core::fmt;
use core::ops::{Deref, DerefMut};
use larder_core::sync::Arc;
use larder_core::{ConfigError, Limits, Stats};
use larder_object::{OwnedPooled, Pool, Pooled};

/// A pool of [`Arena`]s for the per-request pattern: take an arena, build the request's
/// data in it, drop the guard. The arena is reset on its way back (keeping its largest
/// chunk) and handed to the next request, so in steady state a request allocates nothing
/// from the global allocator, also when the arena is dropped on another thread.
///
/// It is a [`larder_object::Pool<Arena>`]: taking and returning go through the calling
/// thread's cache; the retained arenas are bounded in number and in bytes (the chunk
/// capacity each keeps after its reset). An arena that would pass a bound is dropped,
/// giving its memory back.
///
/// Cloning an `ArenaPool` is cheap (it is an `Arc`); clones share the arenas.
///
/// # Examples
///
/// ```
/// use larder_arena::ArenaPool;
///
/// let pool = ArenaPool::builder().max_retained_bytes(1 << 20).build()?;
/// for request in 0..3u64 {
///     let arena = pool.get();
///     let ids = arena.alloc_slice_copy(&[request; 16]);
///     assert_eq!(ids.len(), 16);
/// } // each guard resets its arena and returns it
/// let s = pool.stats();
/// assert_eq!((s.misses, s.hits), (1, 2));
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct ArenaPool {
    pool: Arc<Pool<Arena>>,
}

impl fmt::Debug for ArenaPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArenaPool")
            .field("stats", &self.pool.stats())
            .finish()
    }
}

/// Configures an [`ArenaPool`].
///
/// # Examples
///
/// ```
/// use larder_arena::{ArenaPool, GrowthPolicy};
///
/// let pool = ArenaPool::builder()
///     .growth(GrowthPolicy::new().first_chunk_size(16 * 1024))
///     .allocation_limit(1 << 20)
///     .max_arenas(64)
///     .max_retained_bytes(8 << 20)
///     .build()?;
/// assert_eq!(pool.get().allocation_limit(), Some(1 << 20));
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct ArenaPoolBuilder {
    policy: GrowthPolicy,
    limit: Option<usize>,
    max_arenas: Option<usize>,
    max_bytes: Option<usize>,
    cache_size: Option<usize>,
}

impl ArenaPoolBuilder {
    /// The growth policy of every arena.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_arena::{ArenaPool, GrowthPolicy};
    /// let pool = ArenaPool::builder().growth(GrowthPolicy::new().first_chunk_size(512)).build()?;
    /// assert_eq!(pool.get().policy().first(), 512);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn growth(mut self, policy: GrowthPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The allocation limit of every arena (restored on return if a user changed it).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::builder().allocation_limit(4096).build()?;
    /// assert!(pool.get().try_alloc([0u8; 8192]).is_err());
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn allocation_limit(mut self, bytes: usize) -> Self {
        self.limit = Some(bytes);
        self
    }

    /// Keep at most this many idle arenas.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::builder().max_arenas(1).build()?;
    /// let (a, b) = (pool.get(), pool.get());
    /// drop((a, b));
    /// assert_eq!(pool.stats().retained_objects, 1);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn max_arenas(mut self, n: usize) -> Self {
        self.max_arenas = Some(n);
        self
    }

    /// Keep idle arenas whose chunks add up to at most this many bytes; an arena that
    /// would pass it is dropped when it comes back.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::builder().max_retained_bytes(64 * 1024).build()?;
    /// let big = pool.get();
    /// for i in 0..100_000u64 {
    ///     big.alloc(i); // chunks grow past 64 KiB
    /// }
    /// drop(big); // after its reset it still holds more than 64 KiB: freed, not kept
    /// assert_eq!(pool.stats().dropped_full, 1);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn max_retained_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = Some(bytes);
        self
    }

    /// Arenas each thread caches for itself (see `larder_object::PoolBuilder::cache_size`).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::builder().cache_size(4).build()?;
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn cache_size(mut self, arenas: usize) -> Self {
        self.cache_size = Some(arenas);
        self
    }

    /// Validates the configuration and makes the pool (no arena is made yet).
    ///
    /// # Errors
    ///
    /// What [`GrowthPolicy::validate`] reports; [`ConfigError::Zero`] for a zero
    /// `allocation_limit`, `max_arenas`, `max_retained_bytes` or `cache_size`; what
    /// `larder_object::PoolBuilder::build` reports for the cache size.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::ConfigError;
    /// let err = larder_arena::ArenaPool::builder().max_arenas(0).build().unwrap_err();
    /// assert_eq!(err, ConfigError::Zero { what: "max_objects" });
    /// ```
    pub fn build(self) -> Result<ArenaPool, ConfigError> {
        // Validates the policy and the limit once; the factory then cannot fail.
        Arena::builder()
            .growth(self.policy)
            .allocation_limit(self.limit.unwrap_or(usize::MAX))
            .build()?;
        if self.limit == Some(0) {
            return Err(ConfigError::Zero {
                what: "allocation_limit",
            });
        }
        let mut limits = Limits::new();
        if let Some(n) = self.max_arenas {
            limits = limits.max_objects(n);
        }
        if let Some(n) = self.max_bytes {
            limits = limits.max_bytes(n);
        }
        limits.validate()?;
        let (policy, limit) = (self.policy, self.limit);
        let mut builder = Pool::builder()
            .factory(move || Arena::from_parts(policy, limit))
            .reset(move |arena: &mut Arena| {
                arena.reset();
                arena.set_allocation_limit(limit);
            })
            .size_fn(|arena: &Arena| arena.stats().chunk_capacity)
            .limits(limits);
        if let Some(n) = self.cache_size {
            builder = builder.cache_size(n);
        }
        Ok(ArenaPool {
            pool: Arc::new(builder.build()?),
        })
    }
}

impl ArenaPool {
    /// A builder.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::builder().build()?;
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn builder() -> ArenaPoolBuilder {
        ArenaPoolBuilder::default()
    }

    /// A pool with default arenas and no bounds on what it retains.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::new();
    /// assert_eq!(*pool.get().alloc(3u8), 3);
    /// ```
    pub fn new() -> Self {
        ArenaPoolBuilder::default()
            .build()
            .expect("the default configuration is valid")
    }

    /// Takes an arena in a guard that borrows the pool; dropping the guard resets the
    /// arena and returns it.
    ///
    /// References into the arena borrow the guard, so none outlives the return:
    ///
    /// ```compile_fail
    /// let pool = larder_arena::ArenaPool::new();
    /// let arena = pool.get();
    /// let x = arena.alloc(1u64);
    /// drop(arena);
    /// assert_eq!(*x, 1);
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::new();
    /// let arena = pool.get();
    /// assert_eq!(arena.alloc_str("hi"), "hi");
    /// ```
    #[inline]
    pub fn get(&self) -> PooledArena<'_> {
        PooledArena {
            inner: self.pool.get(),
        }
    }

    /// Takes an arena in a `'static` guard, which can be stored or sent to another
    /// thread and dropped there (it is `Send`, not `Sync`, like the arena):
    ///
    /// ```compile_fail
    /// fn shared<T: Sync>(_: &T) {}
    /// let pool = larder_arena::ArenaPool::new();
    /// shared(&pool.get_owned());
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::new();
    /// let arena = pool.get_owned();
    /// std::thread::spawn(move || {
    ///     arena.alloc(1u64);
    /// }) // the arena goes back to the pool from this thread
    /// .join()
    /// .unwrap();
    /// assert_eq!(pool.stats().returned, 1);
    /// ```
    #[inline]
    pub fn get_owned(&self) -> OwnedArena {
        OwnedArena {
            inner: Pool::get_owned(&self.pool),
        }
    }

    /// The pool's counters (`retained_bytes` is the chunk capacity of idle arenas).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::new();
    /// drop(pool.get());
    /// assert_eq!(pool.stats().returned, 1);
    /// ```
    pub fn stats(&self) -> Stats {
        self.pool.stats()
    }

    /// Drops the idle arenas this thread can reach, giving their memory back.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_arena::ArenaPool::new();
    /// drop(pool.get());
    /// pool.trim();
    /// assert_eq!(pool.stats().retained_objects, 0);
    /// ```
    pub fn trim(&self) {
        self.pool.trim();
    }
}

impl Default for ArenaPool {
    fn default() -> Self {
        Self::new()
    }
}

/// An arena taken from an [`ArenaPool`] with [`get`](ArenaPool::get); derefs to
/// [`Arena`] and goes back (reset) when dropped.
///
/// # Examples
///
/// ```
/// let pool = larder_arena::ArenaPool::new();
/// let mut arena = pool.get();
/// arena.alloc(1u8);
/// arena.reset(); // `&mut Arena` methods work too
/// ```
pub struct PooledArena<'p> {
    inner: Pooled<'p, Arena>,
}

/// An arena taken from an [`ArenaPool`] with [`get_owned`](ArenaPool::get_owned); like
/// [`PooledArena`] but `'static` and `Send`.
///
/// # Examples
///
/// ```
/// let pool = larder_arena::ArenaPool::new();
/// let arena: larder_arena::OwnedArena = pool.get_owned();
/// assert_eq!(*arena.alloc(2u16), 2);
/// ```
pub struct OwnedArena {
    inner: OwnedPooled<Arena>,
}

macro_rules! guard {
    ($name:ident $(<$lt:lifetime>)?) => {
        impl$(<$lt>)? Deref for $name$(<$lt>)? {
            type Target = Arena;
            #[inline]
            fn deref(&self) -> &Arena {
                &self.inner
            }
        }

        impl$(<$lt>)? DerefMut for $name$(<$lt>)? {
            #[inline]
            fn deref_mut(&mut self) -> &mut Arena {
                &mut self.inner
            }
        }

        impl$(<$lt>)? fmt::Debug for $name$(<$lt>)? {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&**self, f)
            }
        }
    };
}

guard!(PooledArena<'p>);
guard!(OwnedArena);
