//! [`Scope`]: a region of an arena that is freed when a closure returns.

use crate::arena::{Arena, Checkpoint};

/// A handle for allocating in a scope of an [`Arena`]; everything allocated through it is
/// freed when the scope's closure returns.
///
/// Made by [`Arena::scope`] or [`Scope::scope`]. References it returns live for the whole
/// scope (`'a`), not just for the borrow of the handle, so values allocated in an outer
/// scope stay usable inside an inner one:
///
/// ```
/// let mut arena = larder_arena::Arena::new();
/// arena.scope(|outer| {
///     let total = outer.alloc(0u64);
///     for round in 0..3u64 {
///         outer.scope(|inner| {
///             let tmp = inner.alloc_slice_copy(&[round; 100]);
///             *total += tmp.iter().sum::<u64>();
///         }); // `tmp` is freed here; `total` stays
///     }
///     assert_eq!(*total, 300);
/// });
/// ```
///
/// How it stays safe: the closure receives `&mut Scope<'s>` for a lifetime `'s` it knows
/// nothing about, so nothing it returns or stores outside can mention `'s`. While an inner
/// scope runs, the outer handle is mutably borrowed and cannot allocate, so everything
/// allocated during the inner scope belongs to it. A reference cannot leave its scope:
///
/// ```compile_fail
/// let mut arena = larder_arena::Arena::new();
/// let leaked = arena.scope(|s| s.alloc(1u64));
/// ```
///
/// nor be stored in a value of an outer scope:
///
/// ```compile_fail
/// let mut arena = larder_arena::Arena::new();
/// arena.scope(|outer| {
///     let slot: &mut Option<&u64> = outer.alloc(None);
///     outer.scope(|inner| {
///         *slot = Some(inner.alloc(1u64));
///     });
/// });
/// ```
///
/// and the outer handle cannot be used while an inner scope is open:
///
/// ```compile_fail
/// let mut arena = larder_arena::Arena::new();
/// arena.scope(|outer| {
///     outer.scope(|_inner| {
///         outer.alloc(1u64);
///     });
/// });
/// ```
///
/// A scope handle stays on its thread (the arena is not `Sync`):
///
/// ```compile_fail
/// fn send<T: Send>(_: T) {}
/// let mut arena = larder_arena::Arena::new();
/// arena.scope(|s| send(&*s));
/// ```
pub struct Scope<'a> {
    arena: &'a Arena,
}

// Every call hands out fresh memory that no other reference can reach, so a `&mut` from
// `&self` is sound here (as in every bump arena).
#[allow(clippy::mut_from_ref)]
impl<'a> Scope<'a> {
    crate::methods::alloc_methods!(
        'a,
        |this| this.arena,
        "let mut arena = larder_arena::Arena::new();\narena.scope(|a| {\n",
        "# Ok::<(), larder_arena::ArenaError>(())\n})?;\n# Ok::<(), larder_arena::ArenaError>(())\n"
    );

    /// Runs `f` in a nested scope: what `f` allocates is freed when it returns, what this
    /// scope allocated before stays.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut arena = larder_arena::Arena::new();
    /// arena.scope(|s| {
    ///     s.alloc(1u32);
    ///     let before = s.allocated_bytes();
    ///     s.scope(|inner| {
    ///         inner.alloc_slice_copy(&[0u8; 1000]);
    ///     });
    ///     assert_eq!(s.allocated_bytes(), before);
    /// });
    /// ```
    pub fn scope<R, F>(&mut self, f: F) -> R
    where
        F: for<'s> FnOnce(&mut Scope<'s>) -> R,
    {
        run(self.arena, f)
    }

    /// The arena, for this crate's allocator impl only: it must not escape to code that
    /// could allocate after a nested scope began.
    #[cfg(feature = "allocator-api2")]
    pub(crate) fn arena(&self) -> &Arena {
        self.arena
    }

    /// Bytes allocated in the arena (this scope and the scopes around it).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut arena = larder_arena::Arena::new();
    /// arena.scope(|s| {
    ///     s.alloc(0u64);
    ///     assert_eq!(s.allocated_bytes(), 8);
    /// });
    /// ```
    pub fn allocated_bytes(&self) -> usize {
        self.arena.allocated_bytes()
    }
}

/// Restores the arena to where the scope began, also when the closure panics.
struct ScopeEnd<'g> {
    arena: &'g Arena,
    start: Checkpoint,
}

impl Drop for ScopeEnd<'_> {
    fn drop(&mut self) {
        // The checkpoint is valid by construction (nothing can reset, shrink or rewind the
        // arena while the scope holds it). Should it ever not be, `restore` leaves the
        // arena as it is, which only keeps memory allocated longer.
        let _ = self.arena.restore(&self.start);
    }
}

pub(crate) fn run<R, F>(arena: &Arena, f: F) -> R
where
    F: for<'s> FnOnce(&mut Scope<'s>) -> R,
{
    let _end = ScopeEnd {
        arena,
        start: arena.checkpoint(),
    };
    let mut scope = Scope { arena };
    f(&mut scope)
}

impl Arena {
    /// Runs `f` with a [`Scope`] of this arena; everything allocated through the scope is
    /// freed when `f` returns (or panics). Chunks obtained during the scope are kept for
    /// reuse.
    ///
    /// Takes `&mut self`, so no reference from [`Arena::alloc`] can be alive across it:
    ///
    /// ```compile_fail
    /// let mut arena = larder_arena::Arena::new();
    /// let x = arena.alloc(1u8);
    /// arena.scope(|s| { s.alloc(2u8); });
    /// assert_eq!(*x, 1);
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// let mut arena = larder_arena::Arena::new();
    /// let sum = arena.scope(|s| {
    ///     let v = s.alloc_slice_copy(&[1u32, 2, 3]);
    ///     v.iter().sum::<u32>()
    /// });
    /// assert_eq!((sum, arena.allocated_bytes()), (6, 0));
    /// ```
    pub fn scope<R, F>(&mut self, f: F) -> R
    where
        F: for<'s> FnOnce(&mut Scope<'s>) -> R,
    {
        run(self, f)
    }
}
