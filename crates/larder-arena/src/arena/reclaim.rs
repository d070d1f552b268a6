//! Freeing many allocations at once: `reset`, `reset_keep_all`, `shrink`.

use super::Arena;

impl Arena {
    /// Frees every allocation and keeps only the largest chunk of the schedule (chunks of
    /// their own for oversized allocations are given back), so a steady workload runs in
    /// one chunk without asking the global allocator again.
    ///
    /// ```compile_fail
    /// let mut arena = larder_arena::Arena::new();
    /// let x = arena.alloc(1u64);
    /// arena.reset();
    /// assert_eq!(*x, 1); // `x` would point into freed space
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// let mut arena = larder_arena::Arena::new();
    /// for i in 0..10_000u64 {
    ///     arena.alloc(i);
    /// }
    /// assert!(arena.stats().chunk_count > 1);
    /// arena.reset();
    /// let s = arena.stats();
    /// assert_eq!((s.allocated_bytes, s.chunk_count), (0, 1));
    /// ```
    #[inline]
    pub fn reset(&mut self) {
        // The steady state of a reused arena: its one chunk is current, nothing oversized.
        // Then `full_bytes` is 0 and a reset only moves the bump pointer back.
        if *self.used.get_mut() == 1
            && self.chunks.get_mut().len() == 1
            && self.big.get_mut().is_empty()
        {
            self.note_peak();
            *self.epoch.get_mut() += 1;
            *self.ptr.get_mut() = *self.start.get_mut();
            return;
        }
        self.reset_slow();
    }

    #[cold]
    fn reset_slow(&mut self) {
        self.note_peak();
        *self.epoch.get_mut() += 1;
        let mut freed = self.free_big();
        let chunks = self.chunks.get_mut();
        let largest = chunks
            .iter()
            .enumerate()
            .max_by_key(|(_, c)| c.cap())
            .map(|(i, _)| i);
        if let Some(keep) = largest {
            let kept = chunks.swap_remove(keep);
            for c in chunks.drain(..) {
                freed += c.cap();
                // SAFETY: the chunk was allocated with this layout and is no longer listed.
                unsafe { alloc::alloc::dealloc(c.base.as_ptr(), c.layout) };
            }
            chunks.push(kept);
        }
        let current = chunks.first().copied();
        *self.held.get_mut() -= freed;
        *self.full_bytes.get_mut() = 0;
        self.set_current(usize::from(current.is_some()), current, 0);
    }

    /// Frees every allocation and keeps every chunk, including chunks of their own for
    /// oversized allocations (they join the schedule's chunks for reuse).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut arena = larder_arena::Arena::new();
    /// for i in 0..10_000u64 {
    ///     arena.alloc(i);
    /// }
    /// let before = arena.stats();
    /// arena.reset_keep_all();
    /// let after = arena.stats();
    /// assert_eq!(after.allocated_bytes, 0);
    /// assert_eq!(after.chunk_capacity, before.chunk_capacity);
    /// ```
    pub fn reset_keep_all(&mut self) {
        self.note_peak();
        *self.epoch.get_mut() += 1;
        let big = core::mem::take(self.big.get_mut());
        let chunks = self.chunks.get_mut();
        chunks.extend(big);
        let current = chunks.first().copied();
        *self.full_bytes.get_mut() = 0;
        self.set_current(usize::from(current.is_some()), current, 0);
    }

    /// Gives every retained (empty) chunk back to the global allocator; allocations stay.
    /// An arena with no allocation gives back all its chunks.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut arena = larder_arena::Arena::new();
    /// arena.alloc([0u8; 1000]);
    /// arena.reset();
    /// arena.shrink();
    /// assert_eq!(arena.stats().chunk_capacity, 0);
    /// ```
    pub fn shrink(&mut self) {
        *self.epoch.get_mut() += 1;
        let empty_now = self.allocated_bytes() == 0;
        let used = if empty_now { 0 } else { *self.used.get_mut() };
        let mut freed = if empty_now { self.free_big() } else { 0 };
        let chunks = self.chunks.get_mut();
        for c in chunks.drain(used..) {
            freed += c.cap();
            // SAFETY: the chunk was allocated with this layout and is no longer listed.
            unsafe { alloc::alloc::dealloc(c.base.as_ptr(), c.layout) };
        }
        *self.held.get_mut() -= freed;
        if empty_now {
            *self.full_bytes.get_mut() = 0;
            self.set_current(0, None, 0);
        }
    }

    /// Deallocates every oversized chunk; returns the bytes freed.
    fn free_big(&mut self) -> usize {
        let mut freed = 0;
        for c in self.big.get_mut().drain(..) {
            freed += c.cap();
            // SAFETY: the chunk was allocated with this layout and is no longer listed.
            unsafe { alloc::alloc::dealloc(c.base.as_ptr(), c.layout) };
        }
        freed
    }
}
