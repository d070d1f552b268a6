//! [`Checkpoint`]s: positions to rewind an arena to.

use super::{Arena, EMPTY_ADDR};
use crate::error::CheckpointError;

/// A position in an arena to [`rewind`](Arena::rewind) to.
///
/// Taking one is `&self` and costs a few loads; rewinding needs `&mut Arena`, so the
/// borrow checker guarantees that no reference to anything allocated after the checkpoint
/// is still alive.
///
/// # Examples
///
/// ```
/// let mut arena = larder_arena::Arena::new();
/// arena.alloc(1u64);
/// let cp = arena.checkpoint();
/// arena.alloc_slice_copy(&[0u8; 500]);
/// arena.rewind(cp)?;
/// assert_eq!(arena.allocated_bytes(), 8);
/// # Ok::<(), larder_arena::CheckpointError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Checkpoint {
    used: usize,
    base_addr: usize,
    offset: usize,
    big_len: usize,
    full_bytes: usize,
    epoch: u64,
}

impl Arena {
    /// The current position, to come back to with [`rewind`](Arena::rewind).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut arena = larder_arena::Arena::new();
    /// let cp = arena.checkpoint();
    /// arena.alloc(1u8);
    /// arena.rewind(cp)?;
    /// assert_eq!(arena.allocated_bytes(), 0);
    /// # Ok::<(), larder_arena::CheckpointError>(())
    /// ```
    pub fn checkpoint(&self) -> Checkpoint {
        let big = self.big.take();
        let big_len = big.len();
        self.big.set(big);
        let start = self.start.get().addr();
        Checkpoint {
            used: self.used.get(),
            base_addr: start,
            offset: self.ptr.get().addr() - start,
            big_len,
            full_bytes: self.full_bytes.get(),
            epoch: self.epoch.get(),
        }
    }

    /// Frees everything allocated after `checkpoint` was taken. Chunks obtained since
    /// are kept for reuse, except chunks of their own for oversized allocations, which
    /// go back to the global allocator.
    ///
    /// `&mut self` proves that no reference into the arena is alive, so the freed memory
    /// cannot be reached:
    ///
    /// ```compile_fail
    /// let mut arena = larder_arena::Arena::new();
    /// let cp = arena.checkpoint();
    /// let x = arena.alloc(1u64);
    /// arena.rewind(cp).unwrap();
    /// *x += 1; // `x` would point into freed space
    /// ```
    ///
    /// # Errors
    ///
    /// [`CheckpointError::Stale`] if the checkpoint was taken before a `reset`,
    /// `reset_keep_all` or `shrink`, lies after the current position (the arena was
    /// rewound past it), or comes from another arena. The arena is unchanged then.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut arena = larder_arena::Arena::new();
    /// arena.alloc(1u64);
    /// let cp = arena.checkpoint();
    /// for i in 0..1000u64 {
    ///     arena.alloc(i);
    /// }
    /// arena.rewind(cp)?;
    /// assert_eq!(arena.allocated_bytes(), 8);
    /// assert!(arena.stats().high_water_mark >= 8008);
    /// # Ok::<(), larder_arena::CheckpointError>(())
    /// ```
    pub fn rewind(&mut self, checkpoint: Checkpoint) -> Result<(), CheckpointError> {
        self.restore(&checkpoint)
    }

    /// Rewinds to `cp` after validating it against the chunk list.
    pub(crate) fn restore(&self, cp: &Checkpoint) -> Result<(), CheckpointError> {
        let used = self.used.get();
        if cp.epoch != self.epoch.get() || cp.used > used {
            return Err(CheckpointError::Stale);
        }
        let chunk = if cp.used == 0 {
            if cp.base_addr != EMPTY_ADDR || cp.offset != 0 {
                return Err(CheckpointError::Stale);
            }
            None
        } else {
            let chunks = self.chunks.take();
            let found = chunks.get(cp.used - 1).copied();
            self.chunks.set(chunks);
            match found {
                Some(c) if c.base.as_ptr().addr() == cp.base_addr && cp.offset <= c.cap() => {
                    Some(c)
                }
                _ => return Err(CheckpointError::Stale),
            }
        };
        if cp.used == used && cp.offset > self.ptr.get().addr() - self.start.get().addr() {
            return Err(CheckpointError::Stale);
        }
        let mut big = self.big.take();
        if cp.big_len > big.len() {
            self.big.set(big);
            return Err(CheckpointError::Stale);
        }
        self.note_peak();
        let mut freed = 0;
        for c in big.drain(cp.big_len..) {
            freed += c.cap();
            // SAFETY: the chunk was allocated with this layout and is no longer listed.
            unsafe { alloc::alloc::dealloc(c.base.as_ptr(), c.layout) };
        }
        self.big.set(big);
        self.held.set(self.held.get() - freed);
        self.set_current(cp.used, chunk, cp.offset);
        self.full_bytes.set(cp.full_bytes);
        Ok(())
    }
}
