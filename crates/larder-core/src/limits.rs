//! [`Limits`]: how much a pool may keep.

use crate::ConfigError;

/// Bounds on what a pool retains: a number of objects and a number of bytes.
///
/// Retained means "idle in the pool, ready to be handed out again", wherever it sits
/// (shared layer or a thread's cache). Objects handed out are not retained and do not count.
/// An object that would take a pool over either bound is dropped instead and counted
/// (`Stats::dropped_full`); nothing is ever kept silently past a limit.
///
/// A bound left unset is unbounded. A bound of zero is refused by [`validate`](Self::validate)
/// (a pool that may keep nothing is a configuration mistake, not a pool).
///
/// # Examples
///
/// ```
/// use larder_core::Limits;
///
/// let limits = Limits::new().max_objects(64).max_bytes(1 << 20);
/// limits.validate()?;
/// assert!(limits.admits(63, 1000, 4096), "the 64th object fits");
/// assert!(!limits.admits(64, 1000, 4096), "a 65th does not");
/// assert!(!limits.admits(10, (1 << 20) - 100, 4096), "nor one that passes the byte bound");
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Limits {
    max_objects: Option<usize>,
    max_bytes: Option<usize>,
}

impl Limits {
    /// No bounds.
    ///
    /// # Examples
    ///
    /// ```
    /// let l = larder_core::Limits::new();
    /// assert_eq!((l.objects(), l.bytes()), (None, None));
    /// ```
    pub const fn new() -> Self {
        Self {
            max_objects: None,
            max_bytes: None,
        }
    }

    /// Keep at most `n` objects.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_core::Limits::new().max_objects(8).objects(), Some(8));
    /// ```
    pub const fn max_objects(mut self, n: usize) -> Self {
        self.max_objects = Some(n);
        self
    }

    /// Keep objects whose sizes add up to at most `n` bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_core::Limits::new().max_bytes(4096).bytes(), Some(4096));
    /// ```
    pub const fn max_bytes(mut self, n: usize) -> Self {
        self.max_bytes = Some(n);
        self
    }

    /// The object bound, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_core::Limits::new().objects(), None);
    /// ```
    pub const fn objects(&self) -> Option<usize> {
        self.max_objects
    }

    /// The byte bound, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_core::Limits::new().max_bytes(1).bytes(), Some(1));
    /// ```
    pub const fn bytes(&self) -> Option<usize> {
        self.max_bytes
    }

    /// Checks that every bound that is set is at least 1.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Zero`] naming `"max_objects"` or `"max_bytes"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::{ConfigError, Limits};
    /// assert!(Limits::new().max_bytes(1).validate().is_ok());
    /// assert_eq!(
    ///     Limits::new().max_bytes(0).validate(),
    ///     Err(ConfigError::Zero { what: "max_bytes" })
    /// );
    /// ```
    pub const fn validate(&self) -> Result<(), ConfigError> {
        if let Some(0) = self.max_objects {
            return Err(ConfigError::Zero {
                what: "max_objects",
            });
        }
        if let Some(0) = self.max_bytes {
            return Err(ConfigError::Zero { what: "max_bytes" });
        }
        Ok(())
    }

    /// Whether one more object of `object_bytes` may join `retained_objects` objects holding
    /// `retained_bytes` bytes without passing a bound.
    ///
    /// The arithmetic is checked: a sum that would overflow `usize` is not admitted.
    ///
    /// # Examples
    ///
    /// ```
    /// let l = larder_core::Limits::new().max_bytes(100);
    /// assert!(l.admits(0, 0, 100));
    /// assert!(!l.admits(0, 1, 100));
    /// assert!(!l.admits(0, usize::MAX, 1), "overflow is refused, not wrapped");
    /// ```
    #[inline]
    pub const fn admits(
        &self,
        retained_objects: usize,
        retained_bytes: usize,
        object_bytes: usize,
    ) -> bool {
        if let Some(max) = self.max_objects {
            if retained_objects >= max {
                return false;
            }
        }
        match self.max_bytes {
            None => true,
            Some(max) => match retained_bytes.checked_add(object_bytes) {
                Some(total) => total <= max,
                None => false,
            },
        }
    }

    /// Whether `objects` objects holding `bytes` bytes are within both bounds.
    ///
    /// # Examples
    ///
    /// ```
    /// let l = larder_core::Limits::new().max_objects(2);
    /// assert!(l.contains(2, 1 << 30));
    /// assert!(!l.contains(3, 0));
    /// ```
    #[inline]
    pub const fn contains(&self, objects: usize, bytes: usize) -> bool {
        let objects_ok = match self.max_objects {
            Some(max) => objects <= max,
            None => true,
        };
        let bytes_ok = match self.max_bytes {
            Some(max) => bytes <= max,
            None => true,
        };
        objects_ok && bytes_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn zero_bounds_are_refused() {
        assert_eq!(
            Limits::new().max_objects(0).validate(),
            Err(ConfigError::Zero {
                what: "max_objects"
            })
        );
        assert_eq!(
            Limits::new().max_objects(3).max_bytes(0).validate(),
            Err(ConfigError::Zero { what: "max_bytes" })
        );
        assert_eq!(Limits::new().validate(), Ok(()));
        assert_eq!(Limits::default(), Limits::new());
    }

    #[test]
    fn unbounded_admits_everything() {
        assert!(Limits::new().admits(usize::MAX, usize::MAX, usize::MAX));
    }

    proptest! {
        #[test]
        fn admits_agrees_with_wide_arithmetic(
            max_objects in proptest::option::of(1usize..100),
            max_bytes in proptest::option::of(any::<usize>()),
            objects in 0usize..120,
            bytes in any::<usize>(),
            add in any::<usize>(),
        ) {
            let mut l = Limits::new();
            if let Some(n) = max_objects { l = l.max_objects(n); }
            if let Some(n) = max_bytes { l = l.max_bytes(n); }
            let want = max_objects.is_none_or(|m| objects < m)
                && max_bytes.is_none_or(|m| (bytes as u128) + (add as u128) <= m as u128);
            prop_assert_eq!(l.admits(objects, bytes, add), want);
            // admitting one more keeps the pool inside its bounds
            if want {
                prop_assert!(l.contains(objects + 1, bytes.saturating_add(add)));
            }
        }
    }
}
