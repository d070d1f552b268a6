//! [`Arena`]: the chunk list, the bump pointer, growth, reset and checkpoints.

use crate::error::ArenaError;
use crate::policy::GrowthPolicy;
use alloc::vec::Vec;
use core::alloc::Layout;
use core::cell::Cell;
use core::fmt;
use core::ptr::{self, NonNull};
use larder_core::ConfigError;

mod checkpoint;
mod reclaim;

pub use checkpoint::Checkpoint;

/// Alignment of every chunk of the schedule. Requests aligned to at most this need no
/// padding at the start of a fresh chunk.
pub(crate) const CHUNK_ALIGN: usize = 16;

/// Every allocation starts at a multiple of this, and the bump pointer always is one.
pub(crate) const MIN_ALIGN: usize = 8;

/// `n` rounded up to a multiple of [`MIN_ALIGN`]; `n` must be at most `isize::MAX`.
#[inline(always)]
const fn round_up(n: usize) -> usize {
    (n + (MIN_ALIGN - 1)) & !(MIN_ALIGN - 1)
}

/// The address the bump pointer holds while the arena has no current chunk. It carries no
/// provenance and is only ever handed out for zero-sized allocations.
const EMPTY_ADDR: usize = CHUNK_ALIGN;

fn empty() -> *mut u8 {
    ptr::without_provenance_mut(EMPTY_ADDR)
}

/// One block of memory from the global allocator.
#[derive(Clone, Copy)]
pub(crate) struct Chunk {
    base: NonNull<u8>,
    layout: Layout,
}

impl Chunk {
    fn cap(&self) -> usize {
        self.layout.size()
    }
}

/// A bump arena: allocation is a pointer increment, freeing is wholesale.
///
/// See the [crate documentation](crate) for the memory layout and the cost of each
/// operation. In brief: values live in chunks obtained from the global allocator;
/// [`alloc`](Arena::alloc) writes a value at the bump pointer and moves it forward;
/// nothing is freed one by one (except the last allocation, which may shrink or be given
/// back); [`reset`](Arena::reset), [`rewind`](Arena::rewind) and the end of a
/// [`scope`](Arena::scope) free many allocations at once.
///
/// **Destructors do not run** for values placed with `alloc`: the arena does not know
/// what it holds. Use [`alloc_box`](Arena::alloc_box) for values whose `Drop` matters.
///
/// `Arena` is `Send` (move it to another thread with everything it holds) but not `Sync`:
/// its bump pointer is a plain `Cell`, which is what makes allocation a few instructions.
///
/// ```compile_fail
/// fn shared_between_threads<T: Sync>() {}
/// shared_between_threads::<larder_arena::Arena>();
/// ```
///
/// # Examples
///
/// ```
/// use larder_arena::Arena;
///
/// let mut arena = Arena::new();
/// let n = arena.alloc(41u64);
/// *n += 1;
/// let name = arena.alloc_str("larder");
/// assert_eq!((*n, &*name), (42, "larder"));
/// arena.reset(); // frees both at once and keeps the chunk for the next round
/// assert_eq!(arena.allocated_bytes(), 0);
/// ```
pub struct Arena {
    /// Next free byte of the current chunk.
    ptr: Cell<*mut u8>,
    /// One past the last byte of the current chunk.
    end: Cell<*mut u8>,
    /// First byte of the current chunk.
    start: Cell<*mut u8>,
    /// Chunks of the schedule: `chunks[..used]` hold allocations (the last of them is the
    /// current chunk), `chunks[used..]` are retained and empty.
    ///
    /// The vectors sit in `Cell`s and are moved out and back in to be read or changed, so
    /// no reference into them is ever held while anything else (the global allocator
    /// included) runs.
    chunks: Cell<Vec<Chunk>>,
    used: Cell<usize>,
    /// Chunks of their own for oversized allocations, in allocation order.
    big: Cell<Vec<Chunk>>,
    /// Bytes allocated in chunks other than the current one (including oversized chunks).
    full_bytes: Cell<usize>,
    /// Bytes of all chunks held.
    held: Cell<usize>,
    /// Highest allocated-bytes level observed at a point where the level went down.
    peak: Cell<usize>,
    /// Size of the next chunk of the schedule.
    next_size: Cell<usize>,
    limit: Cell<Option<usize>>,
    /// Bumped by `reset`, `reset_keep_all` and `shrink`: older checkpoints are stale.
    epoch: Cell<u64>,
    policy: GrowthPolicy,
}

// SAFETY: an `Arena` owns its chunks outright (no other value points into them once every
// borrow of the arena has ended, which moving the arena requires). Moving it to another
// thread moves that ownership; no thread-affine state (no thread-locals, no reference
// counts) is involved. It is not `Sync`: its `Cell`s are updated without synchronisation.
unsafe impl Send for Arena {}

impl Default for Arena {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Arena {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Arena")
            .field("stats", &self.stats())
            .field("policy", &self.policy)
            .field("allocation_limit", &self.limit.get())
            .finish()
    }
}

/// Configures an [`Arena`]: growth policy and allocation limit.
///
/// # Examples
///
/// ```
/// use larder_arena::{Arena, GrowthPolicy};
///
/// let arena = Arena::builder()
///     .growth(GrowthPolicy::new().first_chunk_size(1024))
///     .allocation_limit(1 << 20)
///     .build()?;
/// assert_eq!(arena.allocation_limit(), Some(1 << 20));
/// # Ok::<(), larder_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct ArenaBuilder {
    policy: GrowthPolicy,
    limit: Option<usize>,
}

impl ArenaBuilder {
    /// Sets the growth policy.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_arena::{Arena, GrowthPolicy};
    /// let arena = Arena::builder().growth(GrowthPolicy::new().first_chunk_size(64)).build()?;
    /// assert_eq!(arena.policy().first(), 64);
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn growth(mut self, policy: GrowthPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Caps the bytes of chunk memory the arena may hold; checked whenever it needs a
    /// new chunk.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::builder().allocation_limit(8192).build()?;
    /// assert!(arena.try_alloc_slice_copy(&[0u8; 10_000]).is_err());
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn allocation_limit(mut self, bytes: usize) -> Self {
        self.limit = Some(bytes);
        self
    }

    /// Validates the configuration and makes the arena (no chunk is allocated yet).
    ///
    /// # Errors
    ///
    /// Whatever [`GrowthPolicy::validate`] reports, and [`ConfigError::Zero`] naming
    /// `"allocation_limit"` for a limit of zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::ConfigError;
    /// let err = larder_arena::Arena::builder().allocation_limit(0).build().unwrap_err();
    /// assert_eq!(err, ConfigError::Zero { what: "allocation_limit" });
    /// ```
    pub fn build(self) -> Result<Arena, ConfigError> {
        self.policy.validate()?;
        if self.limit == Some(0) {
            return Err(ConfigError::Zero {
                what: "allocation_limit",
            });
        }
        Ok(Arena::from_parts(self.policy, self.limit))
    }
}

/// A snapshot of an arena's memory use.
///
/// # Examples
///
/// ```
/// let arena = larder_arena::Arena::new();
/// arena.alloc([0u8; 100]);
/// let s = arena.stats();
/// assert_eq!(s.allocated_bytes, 104); // sizes are rounded up to a multiple of 8
/// assert_eq!(s.chunk_count, 1);
/// assert!(s.chunk_capacity >= 100 && s.high_water_mark >= 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ArenaStats {
    /// Bytes handed out and not yet freed, including alignment padding (every size is
    /// rounded up to a multiple of 8).
    pub allocated_bytes: usize,
    /// Bytes of all chunks the arena holds (in use and retained).
    pub chunk_capacity: usize,
    /// Number of chunks held.
    pub chunk_count: usize,
    /// The largest `allocated_bytes` has been since the arena was made.
    pub high_water_mark: usize,
}

// Every call hands out fresh memory that no other reference can reach, so a `&mut` from
// `&self` is sound here (as in every bump arena).
#[allow(clippy::mut_from_ref)]
impl Arena {
    crate::methods::alloc_methods!(
        '_,
        |this| this,
        "let a = larder_arena::Arena::new();\n",
        "# Ok::<(), larder_arena::ArenaError>(())\n"
    );
}

impl Arena {
    /// An arena with the default [`GrowthPolicy`] and no allocation limit. Allocates
    /// nothing until the first allocation.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// assert_eq!(arena.stats().chunk_count, 0);
    /// ```
    pub fn new() -> Self {
        Self::from_parts(GrowthPolicy::new(), None)
    }

    /// A builder for an arena with a custom policy or limit.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::builder().build()?;
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    pub fn builder() -> ArenaBuilder {
        ArenaBuilder::default()
    }

    pub(crate) fn from_parts(policy: GrowthPolicy, limit: Option<usize>) -> Self {
        Arena {
            ptr: Cell::new(empty()),
            end: Cell::new(empty()),
            start: Cell::new(empty()),
            chunks: Cell::new(Vec::new()),
            used: Cell::new(0),
            big: Cell::new(Vec::new()),
            full_bytes: Cell::new(0),
            held: Cell::new(0),
            peak: Cell::new(0),
            next_size: Cell::new(policy.first),
            limit: Cell::new(limit),
            epoch: Cell::new(0),
            policy,
        }
    }

    /// The growth policy.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_arena::Arena::new().policy().factor(), 2);
    /// ```
    pub fn policy(&self) -> GrowthPolicy {
        self.policy
    }

    /// The allocation limit in bytes of chunk memory, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_arena::Arena::new().allocation_limit(), None);
    /// ```
    pub fn allocation_limit(&self) -> Option<usize> {
        self.limit.get()
    }

    /// Sets or removes the allocation limit. Chunks already held stay; the limit applies
    /// to the next chunk request.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// arena.set_allocation_limit(Some(100));
    /// assert!(arena.try_alloc([0u8; 200]).is_err());
    /// arena.set_allocation_limit(None);
    /// assert!(arena.try_alloc([0u8; 200]).is_ok());
    /// ```
    pub fn set_allocation_limit(&self, limit: Option<usize>) {
        self.limit.set(limit);
    }

    /// Bytes handed out and not yet freed, alignment padding included (every size is
    /// rounded up to a multiple of 8).
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// arena.alloc(0u64);
    /// assert_eq!(arena.allocated_bytes(), 8);
    /// ```
    #[inline]
    pub fn allocated_bytes(&self) -> usize {
        self.full_bytes.get() + (self.ptr.get().addr() - self.start.get().addr())
    }

    /// Counters of the arena's memory use (walks nothing; O(1)).
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// assert_eq!(arena.stats(), larder_arena::ArenaStats::default());
    /// ```
    pub fn stats(&self) -> ArenaStats {
        let chunks = self.chunks.take();
        let big = self.big.take();
        let chunk_count = chunks.len() + big.len();
        self.chunks.set(chunks);
        self.big.set(big);
        let allocated_bytes = self.allocated_bytes();
        ArenaStats {
            allocated_bytes,
            chunk_capacity: self.held.get(),
            chunk_count,
            high_water_mark: self.peak.get().max(allocated_bytes),
        }
    }

    #[inline]
    fn note_peak(&self) {
        let now = self.allocated_bytes();
        if now > self.peak.get() {
            self.peak.set(now);
        }
    }

    /// The fast path: room in the current chunk for `size` bytes aligned to `align`.
    ///
    /// The bump pointer is always a multiple of [`MIN_ALIGN`]: sizes are rounded up to it.
    /// For the alignment of most types (`align <= MIN_ALIGN`, known at compile time) there
    /// is then no padding to compute at all.
    #[inline(always)]
    fn bump(&self, size: usize, align: usize) -> Option<NonNull<u8>> {
        let ptr = self.ptr.get();
        let avail = self.end.get().addr() - ptr.addr();
        // `size <= isize::MAX`, so rounding up cannot overflow.
        let rounded = round_up(size);
        let pad = if align <= MIN_ALIGN {
            0
        } else {
            ptr.addr().wrapping_neg() & (align - 1)
        };
        // `pad < align <= isize::MAX + 1` and `rounded <= isize::MAX + MIN_ALIGN`, so the
        // sum cannot overflow `usize`.
        if pad + rounded <= avail {
            // SAFETY: `pad + rounded <= end - ptr`, so both offsets stay inside the current
            // chunk (or are zero when there is no chunk, `ptr == end`).
            let (start, new_ptr) = unsafe {
                let start = ptr.add(pad);
                (start, start.add(rounded))
            };
            self.ptr.set(new_ptr);
            // SAFETY: `start` lies in a chunk (non-null) or is the non-null empty address.
            Some(unsafe { NonNull::new_unchecked(start) })
        } else {
            None
        }
    }

    /// Allocates room for `layout`, returning an error instead of panicking.
    #[inline(always)]
    pub(crate) fn raw_try_alloc(&self, layout: Layout) -> Result<NonNull<u8>, ArenaError> {
        match self.bump(layout.size(), layout.align()) {
            Some(p) => Ok(p),
            None => self.alloc_slow(layout),
        }
    }

    /// Allocates room for `layout`, panicking on failure.
    #[inline(always)]
    pub(crate) fn raw_alloc(&self, layout: Layout) -> NonNull<u8> {
        match self.bump(layout.size(), layout.align()) {
            Some(p) => p,
            None => self.alloc_slow_or_panic(layout),
        }
    }

    #[cold]
    #[inline(never)]
    fn alloc_slow_or_panic(&self, layout: Layout) -> NonNull<u8> {
        match self.alloc_slow(layout) {
            Ok(p) => p,
            Err(ArenaError::OutOfMemory { chunk_bytes }) => alloc::alloc::handle_alloc_error(
                Layout::from_size_align(chunk_bytes, CHUNK_ALIGN).unwrap_or(layout),
            ),
            Err(e) => panic!("{e}"),
        }
    }

    /// Gets a chunk with room for `layout` and allocates from it. Changes nothing unless
    /// it succeeds.
    #[cold]
    #[inline(never)]
    fn alloc_slow(&self, layout: Layout) -> Result<NonNull<u8>, ArenaError> {
        let (size, align) = (layout.size(), layout.align());
        if size == 0 {
            // SAFETY: `align` is a power of two, hence non-zero.
            return Ok(unsafe { NonNull::new_unchecked(ptr::without_provenance_mut(align)) });
        }
        // Bytes needed at the start of a fresh chunk aligned to CHUNK_ALIGN: the rounded
        // size, plus padding for a stricter alignment.
        let needed = if align <= CHUNK_ALIGN {
            round_up(size)
        } else {
            round_up(size)
                .checked_add(align - CHUNK_ALIGN)
                .ok_or(ArenaError::SizeOverflow)?
        };
        let used = self.used.get();

        // A retained chunk right after the current one.
        let mut chunks = self.chunks.take();
        let retained = chunks.get(used).copied().filter(|c| c.cap() >= needed);
        if let Some(chunk) = retained {
            self.chunks.set(chunks);
            self.switch_to(used + 1, chunk);
            return Ok(self.bump(size, align).expect("a fresh chunk has room"));
        }

        let next = self.next_size.get();
        if needed > next {
            self.chunks.set(chunks);
            return self.alloc_dedicated(layout);
        }
        let size_c = match self.limit.get() {
            Some(limit) => {
                let room = limit.saturating_sub(self.held.get());
                if room < needed {
                    self.chunks.set(chunks);
                    return Err(self.limit_error(needed));
                }
                room.min(next)
            }
            None => next,
        };
        if chunks.try_reserve(1).is_err() {
            self.chunks.set(chunks);
            return Err(ArenaError::OutOfMemory {
                chunk_bytes: size_c,
            });
        }
        let chunk = match self.new_chunk(size_c, CHUNK_ALIGN) {
            Ok(c) => c,
            Err(e) => {
                self.chunks.set(chunks);
                return Err(e);
            }
        };
        chunks.insert(used, chunk);
        self.chunks.set(chunks);
        self.next_size.set(self.policy.next_after(next));
        self.switch_to(used + 1, chunk);
        Ok(self.bump(size, align).expect("a fresh chunk has room"))
    }

    fn limit_error(&self, requested: usize) -> ArenaError {
        ArenaError::LimitExceeded {
            requested,
            held: self.held.get(),
            limit: self.limit.get().unwrap_or(usize::MAX),
        }
    }

    /// A chunk of its own for an allocation larger than the next chunk of the schedule.
    fn alloc_dedicated(&self, layout: Layout) -> Result<NonNull<u8>, ArenaError> {
        let mut big = self.big.take();
        if big.try_reserve(1).is_err() {
            self.big.set(big);
            return Err(ArenaError::OutOfMemory {
                chunk_bytes: layout.size(),
            });
        }
        let chunk = match self.new_chunk(layout.size(), layout.align().max(CHUNK_ALIGN)) {
            Ok(c) => c,
            Err(e) => {
                self.big.set(big);
                return Err(e);
            }
        };
        big.push(chunk);
        self.big.set(big);
        self.full_bytes.set(self.full_bytes.get() + chunk.cap());
        // A chunk request advances the schedule; the size of one request does not.
        self.next_size
            .set(self.policy.next_after(self.next_size.get()));
        Ok(chunk.base)
    }

    /// Allocates a chunk from the global allocator, within the allocation limit.
    fn new_chunk(&self, size: usize, align: usize) -> Result<Chunk, ArenaError> {
        let layout = Layout::from_size_align(size, align).map_err(|_| ArenaError::SizeOverflow)?;
        let held = self.held.get();
        if let Some(limit) = self.limit.get() {
            if held.checked_add(size).is_none_or(|total| total > limit) {
                return Err(self.limit_error(size));
            }
        }
        // SAFETY: `size > 0`: callers pass a request size that is non-zero or a chunk
        // size from a validated policy (at least 1).
        let p = unsafe { alloc::alloc::alloc(layout) };
        let base = NonNull::new(p).ok_or(ArenaError::OutOfMemory { chunk_bytes: size })?;
        self.held.set(held + size);
        Ok(Chunk { base, layout })
    }

    /// Makes `chunk` (which is `chunks[used - 1]`) the current chunk.
    fn switch_to(&self, used: usize, chunk: Chunk) {
        self.full_bytes
            .set(self.full_bytes.get() + (self.ptr.get().addr() - self.start.get().addr()));
        self.set_current(used, Some(chunk), 0);
    }

    fn set_current(&self, used: usize, chunk: Option<Chunk>, offset: usize) {
        self.used.set(used);
        match chunk {
            Some(c) => {
                let base = c.base.as_ptr();
                // SAFETY: `offset <= cap` (callers pass 0 or a validated offset) and `cap`
                // is the chunk's size, so both pointers stay within or one past the chunk.
                let (ptr, end) = unsafe { (base.add(offset), base.add(c.cap())) };
                self.start.set(base);
                self.ptr.set(ptr);
                self.end.set(end);
            }
            None => {
                self.start.set(empty());
                self.ptr.set(empty());
                self.end.set(empty());
            }
        }
    }

    /// Resizes the allocation of `old` bytes at `ptr` to `new` bytes without moving it,
    /// if it is the last allocation of the current chunk and the chunk has room.
    ///
    /// Returns whether it did. `ptr` must come from this arena with a size of `old`.
    pub(crate) fn resize_in_place(&self, ptr: NonNull<u8>, old: usize, new: usize) -> bool {
        if old == 0 || old > isize::MAX as usize || new > isize::MAX as usize {
            return false;
        }
        let (old, new) = (round_up(old), round_up(new));
        let cur = self.ptr.get();
        let addr = ptr.as_ptr().addr();
        if addr.wrapping_add(old) != cur.addr() || addr < self.start.get().addr() {
            return false;
        }
        let avail = self.end.get().addr() - addr;
        if new > avail {
            return false;
        }
        if new < old {
            self.note_peak();
            // SAFETY: `addr >= start` and `addr + old == cur`, so moving back by
            // `old - new` stays within the current chunk.
            self.ptr.set(unsafe { cur.sub(old - new) });
        } else {
            // SAFETY: `addr + new <= end`, so the new pointer stays within the chunk or
            // one past it.
            self.ptr.set(unsafe { cur.add(new - old) });
        }
        true
    }

    /// Gives back the allocation of `size` bytes at `ptr` if it is the last one.
    #[inline]
    pub(crate) fn free_if_last(&self, ptr: NonNull<u8>, size: usize) {
        self.resize_in_place(ptr, size, 0);
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        for c in self
            .chunks
            .get_mut()
            .drain(..)
            .chain(self.big.get_mut().drain(..))
        {
            // SAFETY: every listed chunk was allocated with its layout and is freed once.
            unsafe { alloc::alloc::dealloc(c.base.as_ptr(), c.layout) };
        }
    }
}
