//! [`ConfigError`]: why a builder refused its configuration.

use core::fmt;

/// A configuration a larder builder refuses, naming exactly what is wrong.
///
/// Every builder in larder validates in `build()` and returns this error instead of
/// producing a structure that would misbehave later. The `what` fields name the setting as
/// the builder method spells it (`"max_objects"`, `"size class"`, …).
///
/// # Examples
///
/// ```
/// use larder_core::{ConfigError, Limits};
///
/// let err = Limits::new().max_objects(0).validate().unwrap_err();
/// assert_eq!(err, ConfigError::Zero { what: "max_objects" });
/// assert_eq!(err.to_string(), "max_objects must be at least 1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigError {
    /// A count or size that must be positive is zero.
    Zero {
        /// The setting.
        what: &'static str,
    },
    /// A value is larger than another setting allows.
    TooLarge {
        /// The setting.
        what: &'static str,
        /// Its value.
        value: usize,
        /// The largest value allowed.
        max: usize,
        /// What sets that maximum.
        bound: &'static str,
    },
    /// A value is smaller than another setting requires.
    TooSmall {
        /// The setting.
        what: &'static str,
        /// Its value.
        value: usize,
        /// The smallest value allowed.
        min: usize,
        /// What sets that minimum.
        bound: &'static str,
    },
    /// A list that must be strictly increasing is not.
    NotIncreasing {
        /// The list.
        what: &'static str,
        /// Position of the offending entry.
        index: usize,
        /// The entry before it.
        previous: usize,
        /// The offending entry.
        value: usize,
    },
    /// A list that needs at least one entry is empty.
    Empty {
        /// The list.
        what: &'static str,
    },
    /// Computing a size from the settings overflows `usize`.
    Overflow {
        /// The size being computed.
        what: &'static str,
    },
    /// A value that must be a power of two is not.
    NotPowerOfTwo {
        /// The setting.
        what: &'static str,
        /// Its value.
        value: usize,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ConfigError::Zero { what } => write!(f, "{what} must be at least 1"),
            ConfigError::TooLarge {
                what,
                value,
                max,
                bound,
            } => write!(f, "{what} is {value}, more than {bound} allows ({max})"),
            ConfigError::TooSmall {
                what,
                value,
                min,
                bound,
            } => write!(f, "{what} is {value}, less than {bound} requires ({min})"),
            ConfigError::NotIncreasing {
                what,
                index,
                previous,
                value,
            } => write!(
                f,
                "{what} must be strictly increasing, but entry {index} ({value}) \
                 is not larger than entry {} ({previous})",
                index.saturating_sub(1)
            ),
            ConfigError::Empty { what } => write!(f, "{what} must not be empty"),
            ConfigError::Overflow { what } => write!(f, "{what} overflows usize"),
            ConfigError::NotPowerOfTwo { what, value } => {
                write!(f, "{what} must be a power of two, not {value}")
            }
        }
    }
}

impl core::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn every_variant_says_what_is_wrong() {
        let cases = [
            (
                ConfigError::Zero { what: "cache_size" },
                "cache_size must be at least 1",
            ),
            (
                ConfigError::TooLarge {
                    what: "prefill",
                    value: 20,
                    max: 10,
                    bound: "max_objects",
                },
                "prefill is 20, more than max_objects allows (10)",
            ),
            (
                ConfigError::TooSmall {
                    what: "max_chunk_size",
                    value: 8,
                    min: 64,
                    bound: "first_chunk_size",
                },
                "max_chunk_size is 8, less than first_chunk_size requires (64)",
            ),
            (
                ConfigError::NotIncreasing {
                    what: "size classes",
                    index: 2,
                    previous: 4096,
                    value: 1024,
                },
                "size classes must be strictly increasing, but entry 2 (1024) is not larger than entry 1 (4096)",
            ),
            (
                ConfigError::Empty {
                    what: "size classes",
                },
                "size classes must not be empty",
            ),
            (
                ConfigError::Overflow {
                    what: "retained bytes",
                },
                "retained bytes overflows usize",
            ),
            (
                ConfigError::NotPowerOfTwo {
                    what: "alignment",
                    value: 12,
                },
                "alignment must be a power of two, not 12",
            ),
        ];
        for (err, msg) in cases {
            assert_eq!(err.to_string(), msg);
        }
    }
}
