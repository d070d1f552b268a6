//! [`ArenaError`] and [`CheckpointError`]: why an arena refused a request.

use core::fmt;

/// Why an allocation failed.
///
/// Returned by the `try_` methods; the other allocation methods panic with this error's
/// message. A failed allocation changes nothing: no chunk is allocated, the growth schedule
/// does not advance, the arena stays usable.
///
/// # Examples
///
/// ```
/// use larder_arena::{Arena, ArenaError};
///
/// let arena = Arena::builder().allocation_limit(4096).build()?;
/// let err = arena.try_alloc_slice_copy(&[0u8; 5000]).unwrap_err();
/// assert!(matches!(err, ArenaError::LimitExceeded { limit: 4096, .. }));
/// assert!(arena.try_alloc(1u64).is_ok(), "the arena is still usable");
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArenaError {
    /// A new chunk would take the bytes held by the arena past its allocation limit.
    LimitExceeded {
        /// Bytes the allocation needed in a new chunk.
        requested: usize,
        /// Bytes of chunk memory the arena holds.
        held: usize,
        /// The allocation limit.
        limit: usize,
    },
    /// The global allocator refused a chunk of this many bytes.
    OutOfMemory {
        /// Size of the chunk that was refused.
        chunk_bytes: usize,
    },
    /// The requested size (element size times length, or size plus alignment padding)
    /// overflows what a Rust allocation may hold (`isize::MAX` bytes).
    SizeOverflow,
}

impl fmt::Display for ArenaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ArenaError::LimitExceeded {
                requested,
                held,
                limit,
            } => write!(
                f,
                "arena allocation limit exceeded: {requested} bytes needed, \
                 {held} of {limit} bytes already held"
            ),
            ArenaError::OutOfMemory { chunk_bytes } => {
                write!(
                    f,
                    "the global allocator refused an arena chunk of {chunk_bytes} bytes"
                )
            }
            ArenaError::SizeOverflow => {
                f.write_str("requested arena allocation size overflows isize::MAX")
            }
        }
    }
}

impl core::error::Error for ArenaError {}

/// Why [`Arena::rewind`](crate::Arena::rewind) refused a checkpoint.
///
/// A checkpoint is valid until the arena is reset or shrunk, or rewound to a point before
/// it. A checkpoint from another arena is refused too (it names a chunk this arena does not
/// hold).
///
/// # Examples
///
/// ```
/// use larder_arena::{Arena, CheckpointError};
///
/// let mut arena = Arena::new();
/// let cp = arena.checkpoint();
/// arena.reset();
/// assert_eq!(arena.rewind(cp), Err(CheckpointError::Stale));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckpointError {
    /// The checkpoint was taken before a reset or shrink, or points past the arena's
    /// current position (it was taken after a point the arena has since rewound to), or it
    /// belongs to another arena.
    Stale,
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckpointError::Stale => f.write_str(
                "checkpoint is stale: taken before a reset, shrink or earlier rewind, \
                 or from another arena",
            ),
        }
    }
}

impl core::error::Error for CheckpointError {}
