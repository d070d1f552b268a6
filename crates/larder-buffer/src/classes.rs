//! [`SizeClasses`]: the validated list of buffer capacities a pool hands out.

use larder_core::ConfigError;

/// The most size classes one pool may have.
///
/// # Examples
///
/// ```
/// use larder_buffer::{MAX_CLASSES, SizeClasses};
/// let sizes = |n: usize| (1..=n).map(|i| i * 8).collect::<Vec<_>>();
/// assert!(SizeClasses::new(&sizes(MAX_CLASSES)).is_ok());
/// assert!(SizeClasses::new(&sizes(MAX_CLASSES + 1)).is_err());
/// ```
pub const MAX_CLASSES: usize = 64;

/// A strictly increasing list of buffer capacities, each a pool of its own.
///
/// `get(n)` serves a request from the smallest class whose capacity is at least `n`, so a
/// request wastes at most the gap to the next class: with powers of two, less than half of
/// what it gets. More classes waste less memory per buffer but split the retained memory
/// (and the hit rate) over more pools.
///
/// # Examples
///
/// ```
/// use larder_buffer::SizeClasses;
///
/// let classes = SizeClasses::powers_of_two(64, 4096)?;
/// assert_eq!(classes.sizes(), &[64, 128, 256, 512, 1024, 2048, 4096]);
/// assert_eq!(classes.class_for(3000), Some(6));
/// assert_eq!(classes.class_for(5000), None);
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeClasses {
    sizes: Box<[usize]>,
    /// The lookup when the classes are consecutive powers of two from 2 B: a shift.
    pow2: Option<Pow2>,
}

impl SizeClasses {
    /// Classes from an explicit list.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Empty`] for an empty list, [`ConfigError::Zero`] for a class of 0,
    /// [`ConfigError::NotIncreasing`] where an entry is not larger than the one before it,
    /// [`ConfigError::TooLarge`] for more than [`MAX_CLASSES`] classes or a class above
    /// `isize::MAX` bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_buffer::SizeClasses;
    /// use larder_core::ConfigError;
    ///
    /// assert!(SizeClasses::new(&[100, 1000, 10_000]).is_ok());
    /// assert_eq!(
    ///     SizeClasses::new(&[4096, 1024]).unwrap_err(),
    ///     ConfigError::NotIncreasing { what: "size classes", index: 1, previous: 4096, value: 1024 }
    /// );
    /// ```
    pub fn new(sizes: &[usize]) -> Result<Self, ConfigError> {
        if sizes.is_empty() {
            return Err(ConfigError::Empty {
                what: "size classes",
            });
        }
        if sizes.len() > MAX_CLASSES {
            return Err(ConfigError::TooLarge {
                what: "number of size classes",
                value: sizes.len(),
                max: MAX_CLASSES,
                bound: "larder-buffer",
            });
        }
        if sizes[0] == 0 {
            return Err(ConfigError::Zero { what: "size class" });
        }
        for (i, pair) in sizes.windows(2).enumerate() {
            if pair[1] <= pair[0] {
                return Err(ConfigError::NotIncreasing {
                    what: "size classes",
                    index: i + 1,
                    previous: pair[0],
                    value: pair[1],
                });
            }
        }
        let largest = sizes[sizes.len() - 1];
        if largest > isize::MAX as usize {
            return Err(ConfigError::TooLarge {
                what: "size class",
                value: largest,
                max: isize::MAX as usize,
                bound: "the largest allocation Rust allows",
            });
        }
        let consecutive_pow2 =
            sizes.iter().all(|s| s.is_power_of_two()) && sizes.windows(2).all(|p| p[1] == p[0] * 2);
        Ok(SizeClasses {
            sizes: sizes.into(),
            pow2: consecutive_pow2
                .then(|| sizes[0].trailing_zeros())
                .and_then(Pow2::new),
        })
    }

    /// Every power of two from `min` to `max`, both included.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NotPowerOfTwo`] if `min` or `max` is not a power of two,
    /// [`ConfigError::TooSmall`] if `max < min`, and the errors of [`new`](Self::new).
    ///
    /// # Examples
    ///
    /// ```
    /// let c = larder_buffer::SizeClasses::powers_of_two(8, 4096)?;
    /// assert_eq!(c.len(), 10);
    /// assert!(larder_buffer::SizeClasses::powers_of_two(8, 1000).is_err());
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn powers_of_two(min: usize, max: usize) -> Result<Self, ConfigError> {
        for (what, value) in [("min", min), ("max", max)] {
            if !value.is_power_of_two() {
                return Err(ConfigError::NotPowerOfTwo { what, value });
            }
        }
        if max < min {
            return Err(ConfigError::TooSmall {
                what: "max",
                value: max,
                min,
                bound: "min",
            });
        }
        let sizes: Vec<usize> = (min.trailing_zeros()..=max.trailing_zeros())
            .map(|shift| 1usize << shift)
            .collect();
        Self::new(&sizes)
    }

    /// Classes from a list of tier sizes, like [`new`](Self::new); [`TIERS_1K_64K_1M`] is the
    /// classic three-tier preset.
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_buffer::{SizeClasses, TIERS_1K_64K_1M};
    /// let c = SizeClasses::tiers(TIERS_1K_64K_1M)?;
    /// assert_eq!(c.class_for(2000).map(|i| c.size(i)), Some(64 * 1024));
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn tiers(tiers: &[usize]) -> Result<Self, ConfigError> {
        Self::new(tiers)
    }

    /// The capacities, smallest first.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = larder_buffer::SizeClasses::new(&[10, 20])?;
    /// assert_eq!(c.sizes(), &[10, 20]);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// The number of classes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_buffer::SizeClasses::new(&[1])?.len(), 1);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    #[allow(clippy::len_without_is_empty)] // never empty: validated at construction
    pub fn len(&self) -> usize {
        self.sizes.len()
    }

    /// The capacity of class `index`.
    ///
    /// # Panics
    ///
    /// If `index >= self.len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_buffer::SizeClasses::new(&[64, 128])?.size(1), 128);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn size(&self, index: usize) -> usize {
        self.sizes[index]
    }

    /// The largest capacity.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_buffer::SizeClasses::powers_of_two(1, 1024)?.largest(), 1024);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn largest(&self) -> usize {
        self.sizes[self.sizes.len() - 1]
    }

    /// The smallest class that holds `n` bytes, or `None` if `n` is above the largest.
    ///
    /// # Examples
    ///
    /// ```
    /// let c = larder_buffer::SizeClasses::new(&[100, 1000])?;
    /// assert_eq!(c.class_for(0), Some(0));
    /// assert_eq!(c.class_for(100), Some(0));
    /// assert_eq!(c.class_for(101), Some(1));
    /// assert_eq!(c.class_for(usize::MAX), None);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    #[inline]
    pub fn class_for(&self, n: usize) -> Option<usize> {
        if let Some(pow2) = self.pow2 {
            let index = pow2.index(n);
            if index < self.sizes.len() {
                return Some(index);
            }
            // 0 or above the largest class: the search tells them apart.
        }
        let index = self.sizes.partition_point(|&size| size < n);
        (index < self.sizes.len()).then_some(index)
    }
}

impl SizeClasses {
    /// The power-of-two lookup, when the classes allow it.
    pub(crate) fn pow2(&self) -> Option<Pow2> {
        self.pow2
    }
}

/// The power-of-two lookup of [`SizeClasses::class_for`] and a pool's `get`: the class of `n` among consecutive
/// power-of-two classes from `1 << base`, `base >= 1`, in five instructions and no branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pow2 {
    /// `(1 << base) - 1`: odd, since `base >= 1`.
    mask: usize,
    /// `base - 1`.
    shift: u32,
}

impl Pow2 {
    /// The lookup for classes from `1 << base`; `None` for `base == 0` (a first class of
    /// one byte), which the general lookup serves.
    pub(crate) fn new(base: u32) -> Option<Pow2> {
        (base >= 1).then(|| Pow2 {
            mask: (1 << base) - 1,
            shift: base - 1,
        })
    }

    /// The class of `n`, whether or not there is a class that large: the caller checks the
    /// index against the number of classes.
    ///
    /// The class is `log2` of `n - 1` (rounded down) less `base - 1`; or-ing in
    /// `first - 1` raises every `n <= first` to class 0. A request of 0 wraps to
    /// `usize::MAX`, whose index (`64 - base`) is above every class (the largest is at most
    /// `isize::MAX` bytes, so there are at most `63 - base` classes): it takes the caller's
    /// slow path, which looks it up again with [`SizeClasses::class_for`].
    #[inline(always)]
    pub(crate) fn index(self, n: usize) -> usize {
        // `| 1` changes nothing (`mask` is odd) but lets the compiler see that the
        // argument of `ilog2` is not zero, so it needs no check.
        ((n.wrapping_sub(1) | self.mask | 1).ilog2() - self.shift) as usize
    }
}

/// The three-tier preset: 1 KiB, 64 KiB and 1 MiB buffers.
///
/// # Examples
///
/// ```
/// assert_eq!(larder_buffer::TIERS_1K_64K_1M, &[1024, 65536, 1048576]);
/// ```
pub const TIERS_1K_64K_1M: &[usize] = &[1024, 64 * 1024, 1024 * 1024];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn config_errors() {
        assert_eq!(
            SizeClasses::new(&[]),
            Err(ConfigError::Empty {
                what: "size classes"
            })
        );
        assert_eq!(
            SizeClasses::new(&[0, 8]),
            Err(ConfigError::Zero { what: "size class" })
        );
        assert_eq!(
            SizeClasses::new(&[8, 8]),
            Err(ConfigError::NotIncreasing {
                what: "size classes",
                index: 1,
                previous: 8,
                value: 8
            })
        );
        assert!(matches!(
            SizeClasses::new(&(1..=65).collect::<Vec<_>>()),
            Err(ConfigError::TooLarge { value: 65, .. })
        ));
        assert!(matches!(
            SizeClasses::new(&[usize::MAX]),
            Err(ConfigError::TooLarge { .. })
        ));
        assert_eq!(
            SizeClasses::powers_of_two(3, 8),
            Err(ConfigError::NotPowerOfTwo {
                what: "min",
                value: 3
            })
        );
        assert!(matches!(
            SizeClasses::powers_of_two(64, 8),
            Err(ConfigError::TooSmall { .. })
        ));
    }

    #[test]
    fn pow2_fast_path_matches_search() {
        let c = SizeClasses::powers_of_two(8, 1 << 20).unwrap();
        assert!(c.pow2.is_some());
        for n in (0..5000).chain([(1 << 20) - 1, 1 << 20, (1 << 20) + 1, usize::MAX]) {
            let want = c.sizes.iter().position(|&s| s >= n);
            assert_eq!(c.class_for(n), want, "n = {n}");
        }
        assert!(SizeClasses::tiers(TIERS_1K_64K_1M).unwrap().pow2.is_none());
    }

    /// The pool's lookup agrees with the search wherever it finds a class, and sends
    /// everything else (0 included) past the last class, for every first class from 2 B
    /// and every number of classes up to the largest allowed.
    #[test]
    fn pool_pow2_lookup_matches_search_or_defers() {
        assert!(Pow2::new(0).is_none());
        for base in 1..63 {
            for top in base..63 {
                let c = SizeClasses::powers_of_two(1 << base, 1 << top).unwrap();
                let p = c.pow2.unwrap();
                let edges = (base..=top).flat_map(|b| [(1usize << b) - 1, 1 << b, (1 << b) + 1]);
                for n in (0..70)
                    .chain(edges)
                    .chain([isize::MAX as usize, usize::MAX])
                {
                    let want = c.sizes.iter().position(|&s| s >= n);
                    match c.sizes.get(p.index(n)) {
                        Some(_) => assert_eq!(Some(p.index(n)), want, "n = {n}, base {base}"),
                        None => assert!(n == 0 || want.is_none(), "n = {n}, base {base}"),
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn class_for_is_the_smallest_that_fits(
            mut sizes in proptest::collection::btree_set(1usize..1_000_000, 1..20),
            n in 0usize..1_100_000,
        ) {
            let sizes: Vec<usize> = std::mem::take(&mut sizes).into_iter().collect();
            let c = SizeClasses::new(&sizes).unwrap();
            let want = sizes.iter().position(|&s| s >= n);
            prop_assert_eq!(c.class_for(n), want);
        }
    }
}
