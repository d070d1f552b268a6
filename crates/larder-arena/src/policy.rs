//! [`GrowthPolicy`]: how big an arena's chunks are.

use larder_core::ConfigError;

/// The largest chunk size a policy accepts: far below `isize::MAX`, so that size
/// arithmetic on chunk sizes never overflows.
pub(crate) const MAX_CHUNK_LIMIT: usize = isize::MAX as usize / 4;

/// How an arena sizes its chunks.
///
/// The first chunk holds `first_chunk_size` bytes. Each later chunk request is
/// `growth_factor` times the previous one, up to `max_chunk_size`. A single allocation
/// that does not fit in the next chunk of that schedule gets a chunk of its own, sized for
/// it alone, and does not change the schedule: one 10 MiB request does not make every
/// later chunk 10 MiB.
///
/// # Examples
///
/// ```
/// use larder_arena::{Arena, GrowthPolicy};
///
/// let policy = GrowthPolicy::new()
///     .first_chunk_size(256)
///     .growth_factor(4)
///     .max_chunk_size(64 * 1024);
/// policy.validate()?;
/// let arena = Arena::builder().growth(policy).build()?;
/// arena.alloc(1u8);
/// assert_eq!(arena.stats().chunk_capacity, 256);
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GrowthPolicy {
    pub(crate) first: usize,
    pub(crate) factor: usize,
    pub(crate) max: usize,
}

impl Default for GrowthPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl GrowthPolicy {
    /// The default policy: a 4 KiB first chunk, doubling, at most 64 MiB per chunk.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_arena::GrowthPolicy::new();
    /// assert_eq!((p.first(), p.factor(), p.max()), (4096, 2, 64 << 20));
    /// ```
    pub const fn new() -> Self {
        Self {
            first: 4096,
            factor: 2,
            max: 64 << 20,
        }
    }

    /// Size in bytes of the first chunk.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_arena::GrowthPolicy::new().first_chunk_size(512).first(), 512);
    /// ```
    pub const fn first_chunk_size(mut self, bytes: usize) -> Self {
        self.first = bytes;
        self
    }

    /// Each new chunk is this many times the size of the previous one (1 = all chunks equal).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_arena::GrowthPolicy::new().growth_factor(3).factor(), 3);
    /// ```
    pub const fn growth_factor(mut self, factor: usize) -> Self {
        self.factor = factor;
        self
    }

    /// No chunk of the schedule is larger than this (allocations larger than it get a chunk
    /// of their own).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_arena::GrowthPolicy::new().max_chunk_size(1 << 16).max(), 1 << 16);
    /// ```
    pub const fn max_chunk_size(mut self, bytes: usize) -> Self {
        self.max = bytes;
        self
    }

    /// The first chunk size.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_arena::GrowthPolicy::new().first(), 4096);
    /// ```
    pub const fn first(&self) -> usize {
        self.first
    }

    /// The growth factor.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_arena::GrowthPolicy::new().factor(), 2);
    /// ```
    pub const fn factor(&self) -> usize {
        self.factor
    }

    /// The maximum chunk size of the schedule.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_arena::GrowthPolicy::new().max(), 64 << 20);
    /// ```
    pub const fn max(&self) -> usize {
        self.max
    }

    /// Checks the policy: sizes and factor at least 1, the first chunk no larger than the
    /// maximum, the maximum at most `isize::MAX / 4`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Zero`] for a zero size or factor, [`ConfigError::TooLarge`] when
    /// `first_chunk_size` exceeds `max_chunk_size` or `max_chunk_size` is absurdly large.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_arena::GrowthPolicy;
    /// use larder_core::ConfigError;
    ///
    /// assert_eq!(
    ///     GrowthPolicy::new().growth_factor(0).validate(),
    ///     Err(ConfigError::Zero { what: "growth_factor" })
    /// );
    /// assert!(matches!(
    ///     GrowthPolicy::new().first_chunk_size(1 << 20).max_chunk_size(1 << 10).validate(),
    ///     Err(ConfigError::TooLarge { what: "first_chunk_size", .. })
    /// ));
    /// ```
    pub const fn validate(&self) -> Result<(), ConfigError> {
        if self.first == 0 {
            return Err(ConfigError::Zero {
                what: "first_chunk_size",
            });
        }
        if self.factor == 0 {
            return Err(ConfigError::Zero {
                what: "growth_factor",
            });
        }
        if self.max == 0 {
            return Err(ConfigError::Zero {
                what: "max_chunk_size",
            });
        }
        if self.max > MAX_CHUNK_LIMIT {
            return Err(ConfigError::TooLarge {
                what: "max_chunk_size",
                value: self.max,
                max: MAX_CHUNK_LIMIT,
                bound: "isize::MAX / 4",
            });
        }
        if self.first > self.max {
            return Err(ConfigError::TooLarge {
                what: "first_chunk_size",
                value: self.first,
                max: self.max,
                bound: "max_chunk_size",
            });
        }
        Ok(())
    }

    /// The chunk size after `current` in the schedule.
    pub(crate) fn next_after(&self, current: usize) -> usize {
        current.saturating_mul(self.factor).min(self.max)
    }
}
