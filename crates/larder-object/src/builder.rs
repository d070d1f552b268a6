//! [`PoolBuilder`]: the configuration of a [`Pool`], validated by `build`.

use core::fmt;

use larder_core::{ConfigError, Footprint, Limits, RecyclePolicy, Reset};

use crate::pool::{Config, Factory, Pool, ResetHook};

/// Per-thread cache size when none is set.
///
/// # Examples
///
/// ```
/// let pool = larder_object::Pool::new(String::new);
/// assert_eq!(pool.cache_size(), larder_object::DEFAULT_CACHE_SIZE);
/// ```
pub const DEFAULT_CACHE_SIZE: usize = 64;
/// The largest per-thread cache size `build` accepts.
///
/// # Examples
///
/// ```
/// use larder_object::{MAX_CACHE_SIZE, Pool};
/// let build = |n| Pool::builder().factory(|| 0u8).cache_size(n).build();
/// assert!(build(MAX_CACHE_SIZE).is_ok());
/// assert!(build(MAX_CACHE_SIZE + 1).is_err());
/// ```
pub const MAX_CACHE_SIZE: usize = 1 << 16;

/// The configuration of a [`Pool`]; made by [`Pool::builder`], finished by
/// [`build`](PoolBuilder::build).
///
/// | setting | default |
/// |---|---|
/// | [`factory`](Self::factory) | required |
/// | [`reset`](Self::reset) | none: objects come back as they were returned |
/// | [`policy`](Self::policy) | [`RecyclePolicy::new`]: no check, no footprint bound |
/// | [`limits`](Self::limits) | unbounded |
/// | [`size_fn`](Self::size_fn) | none (every object counts 0 bytes); required by `max_bytes` |
/// | [`cache_size`](Self::cache_size) | [`DEFAULT_CACHE_SIZE`] objects per thread |
/// | [`prefill`](Self::prefill) | 0 |
///
/// # Examples
///
/// ```
/// use larder_core::{Limits, Oversize, RecyclePolicy};
/// use larder_object::Pool;
///
/// let pool = Pool::builder()
///     .factory(|| Vec::<u8>::with_capacity(4096))
///     .reset(Vec::clear)
///     .policy(RecyclePolicy::new().max_footprint(64 << 10, Oversize::Shrink))
///     .limits(Limits::new().max_objects(1024).max_bytes(8 << 20))
///     .footprint()
///     .cache_size(32)
///     .prefill(16)
///     .build()?;
/// assert_eq!(pool.stats().retained_objects, 16);
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
pub struct PoolBuilder<T> {
    factory: Option<Factory<T>>,
    reset: Option<ResetHook<T>>,
    policy: RecyclePolicy<T>,
    limits: Limits,
    size_fn: Option<fn(&T) -> usize>,
    cache_size: usize,
    prefill: usize,
}

impl<T: Send> PoolBuilder<T> {
    /// The defaults (see the table in the type docs); the same as [`Pool::builder`].
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::PoolBuilder::new().factory(|| [0u8; 64]).build()?;
    /// assert_eq!(pool.get()[0], 0);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn new() -> Self {
        PoolBuilder {
            factory: None,
            reset: None,
            policy: RecyclePolicy::new(),
            limits: Limits::new(),
            size_fn: None,
            cache_size: DEFAULT_CACHE_SIZE,
            prefill: 0,
        }
    }

    /// How a new object is made, when the pool has none to give.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder().factory(|| vec![7u8; 3]).build()?;
    /// assert_eq!(*pool.get(), [7, 7, 7]);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn factory(mut self, factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        self.factory = Some(Box::new(factory));
        self
    }

    /// How a returned object is made ready for its next user; for a type implementing
    /// [`Reset`], pass `T::reset` (or use [`Pool::new`], which does).
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::Reset;
    /// let pool = larder_object::Pool::builder()
    ///     .factory(String::new)
    ///     .reset(String::reset)
    ///     .build()?;
    /// pool.get().push_str("x");
    /// assert!(pool.get().is_empty());
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn reset(mut self, reset: impl Fn(&mut T) + Send + Sync + 'static) -> Self {
        self.reset = Some(Box::new(reset));
        self
    }

    /// The recycle policy: validity check, footprint bound, zeroing (see
    /// [`RecyclePolicy`]). Objects it refuses are dropped and counted `dropped_rejected`.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::RecyclePolicy;
    /// let pool = larder_object::Pool::builder()
    ///     .factory(Vec::<u8>::new)
    ///     .policy(RecyclePolicy::new().validate(|v| v.len() < 10))
    ///     .build()?;
    /// pool.put(vec![0; 100]);
    /// assert_eq!(pool.stats().dropped_rejected, 1);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn policy(mut self, policy: RecyclePolicy<T>) -> Self {
        self.policy = policy;
        self
    }

    /// Bounds on what the pool retains, thread caches included (see the crate docs).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder()
    ///     .factory(|| 0u64)
    ///     .limits(larder_core::Limits::new().max_objects(1))
    ///     .build()?;
    /// pool.put(1);
    /// pool.put(2);
    /// assert_eq!(pool.stats().dropped_full, 1);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// How many bytes an object counts against [`Limits::max_bytes`] (measured when it is
    /// returned, after reset).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder()
    ///     .factory(|| Vec::<u8>::with_capacity(100))
    ///     .size_fn(|v| v.capacity())
    ///     .build()?;
    /// drop(pool.get());
    /// assert_eq!(pool.stats().retained_bytes, 100);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn size_fn(mut self, size: fn(&T) -> usize) -> Self {
        self.size_fn = Some(size);
        self
    }

    /// Counts objects by their [`Footprint`] (the same as `size_fn(T::footprint)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder()
    ///     .factory(|| String::with_capacity(10))
    ///     .footprint()
    ///     .build()?;
    /// drop(pool.get());
    /// assert_eq!(pool.stats().retained_bytes, 10);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn footprint(self) -> Self
    where
        T: Footprint,
    {
        self.size_fn(T::footprint)
    }

    /// Objects each thread keeps for itself (default [`DEFAULT_CACHE_SIZE`]). Batches
    /// moved to and from the shared layer are half of it.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder().factory(|| 0u8).cache_size(4).build()?;
    /// assert_eq!(pool.cache_size(), 4);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn cache_size(mut self, objects: usize) -> Self {
        self.cache_size = objects;
        self
    }

    /// Objects made by `build` and put in the shared layer. Prefilling stops at the first
    /// object the limits refuse (that one is dropped and counted `dropped_full`).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::builder().factory(|| 0u8).prefill(3).build()?;
    /// assert_eq!(pool.stats().created, 3);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn prefill(mut self, objects: usize) -> Self {
        self.prefill = objects;
        self
    }

    /// Checks the configuration and makes the pool (running the factory `prefill` times).
    ///
    /// # Errors
    ///
    /// * [`ConfigError::Empty`] when no factory was given (`what: "factory"`), or when
    ///   `max_bytes` is set without a size function (`what: "size_fn"`);
    /// * [`ConfigError::Zero`] for a cache size of 0 or a zero limit;
    /// * [`ConfigError::TooLarge`] for a cache size above [`MAX_CACHE_SIZE`], or a prefill
    ///   above `max_objects`.
    ///
    /// # Panics
    ///
    /// If the factory panics during prefill (what it made so far is dropped).
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::{ConfigError, Limits};
    /// use larder_object::Pool;
    ///
    /// let err = Pool::<u8>::builder().build().unwrap_err();
    /// assert_eq!(err, ConfigError::Empty { what: "factory" });
    /// let err = Pool::builder()
    ///     .factory(|| 0u8)
    ///     .limits(Limits::new().max_objects(2))
    ///     .prefill(3)
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, ConfigError::TooLarge { what: "prefill", .. }));
    /// ```
    pub fn build(self) -> Result<Pool<T>, ConfigError> {
        let factory = self.factory.ok_or(ConfigError::Empty { what: "factory" })?;
        if self.cache_size == 0 {
            return Err(ConfigError::Zero { what: "cache_size" });
        }
        if self.cache_size > MAX_CACHE_SIZE {
            return Err(ConfigError::TooLarge {
                what: "cache_size",
                value: self.cache_size,
                max: MAX_CACHE_SIZE,
                bound: "MAX_CACHE_SIZE",
            });
        }
        self.limits.validate()?;
        if self.limits.bytes().is_some() && self.size_fn.is_none() {
            return Err(ConfigError::Empty { what: "size_fn" });
        }
        if let Some(max) = self.limits.objects() {
            if self.prefill > max {
                return Err(ConfigError::TooLarge {
                    what: "prefill",
                    value: self.prefill,
                    max,
                    bound: "max_objects",
                });
            }
        }
        let config = Config {
            factory,
            reset: self.reset,
            policy: self.policy,
            size_fn: self.size_fn,
            limits: self.limits,
            cache_size: self.cache_size,
        };
        Ok(Pool::from_config(config, self.prefill))
    }
}

impl<T: Send> Default for PoolBuilder<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for PoolBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolBuilder")
            .field("factory", &self.factory.is_some())
            .field("reset", &self.reset.is_some())
            .field("policy", &self.policy)
            .field("limits", &self.limits)
            .field("size_fn", &self.size_fn.is_some())
            .field("cache_size", &self.cache_size)
            .field("prefill", &self.prefill)
            .finish()
    }
}

impl<T: Reset + Send + 'static> Pool<T> {
    /// A pool with default settings that resets objects with [`Reset::reset`].
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(|| Vec::<u32>::with_capacity(16));
    /// pool.get().push(1);
    /// assert!(pool.get().is_empty());
    /// ```
    pub fn new(factory: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Pool::builder()
            .factory(factory)
            .reset(T::reset)
            .build()
            .expect("the default configuration is valid")
    }
}

/// A pool of `T::default()` objects, reset with [`Reset::reset`].
///
/// # Examples
///
/// ```
/// let pool: larder_object::Pool<String> = Default::default();
/// assert!(pool.get().is_empty());
/// ```
impl<T: Default + Reset + Send + 'static> Default for Pool<T> {
    fn default() -> Self {
        Pool::new(T::default)
    }
}
