//! `allocator_api2::alloc::Allocator` for `&Arena`: std-style collections in an arena.

use crate::arena::Arena;
use crate::scope::Scope;
use allocator_api2::alloc::{AllocError, Allocator};
use core::alloc::Layout;
use core::ptr::{self, NonNull};

fn allocate(arena: &Arena, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
    let p = arena.raw_try_alloc(layout).map_err(|_| AllocError)?;
    Ok(NonNull::slice_from_raw_parts(p, layout.size()))
}

/// # Safety
///
/// As `Allocator::grow`: `ptr` is a block of `old` allocated by `arena`, `new.size() >=
/// old.size()`.
unsafe fn grow(
    arena: &Arena,
    ptr: NonNull<u8>,
    old: Layout,
    new: Layout,
) -> Result<NonNull<[u8]>, AllocError> {
    if ptr.as_ptr().addr() % new.align() == 0 && arena.resize_in_place(ptr, old.size(), new.size())
    {
        return Ok(NonNull::slice_from_raw_parts(ptr, new.size()));
    }
    let fresh = allocate(arena, new)?;
    // SAFETY: the old block is valid for `old.size() <= new.size()` bytes and the fresh
    // block cannot overlap it (both are live allocations).
    unsafe { ptr::copy_nonoverlapping(ptr.as_ptr(), fresh.as_ptr().cast::<u8>(), old.size()) };
    Ok(fresh)
}

/// # Safety
///
/// As `Allocator::shrink`: `ptr` is a block of `old` allocated by `arena`, `new.size() <=
/// old.size()`.
unsafe fn shrink(
    arena: &Arena,
    ptr: NonNull<u8>,
    old: Layout,
    new: Layout,
) -> Result<NonNull<[u8]>, AllocError> {
    if ptr.as_ptr().addr() % new.align() == 0 {
        // Shrinks the arena's use if this is the last block; otherwise the tail is simply
        // not handed out again until the arena is reset.
        arena.resize_in_place(ptr, old.size(), new.size());
        return Ok(NonNull::slice_from_raw_parts(ptr, new.size()));
    }
    let fresh = allocate(arena, new)?;
    // SAFETY: the old block holds at least `new.size()` bytes; the blocks do not overlap.
    unsafe { ptr::copy_nonoverlapping(ptr.as_ptr(), fresh.as_ptr().cast::<u8>(), new.size()) };
    Ok(fresh)
}

// SAFETY: blocks are arena memory that stays allocated while any copy of the `&Arena` is
// alive (reset, rewind, shrink and scopes need `&mut Arena`). Blocks never overlap: each
// comes from the bump pointer, and `resize_in_place` only moves the bump pointer for the
// block that ends at it. `deallocate` gives space back only for the last block, which the
// caller no longer uses. Growth and shrinking keep the contents (in place, or copied).
unsafe impl Allocator for &Arena {
    #[inline]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        allocate(self, layout)
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        self.free_if_last(ptr, layout.size());
    }

    #[inline]
    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: forwarded from the caller.
        unsafe { grow(self, ptr, old_layout, new_layout) }
    }

    unsafe fn grow_zeroed(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: forwarded from the caller.
        let block = unsafe { grow(self, ptr, old_layout, new_layout) }?;
        // SAFETY: the block holds `new_layout.size()` bytes; the tail after the old size
        // is ours to initialise.
        unsafe {
            block
                .as_ptr()
                .cast::<u8>()
                .add(old_layout.size())
                .write_bytes(0, new_layout.size() - old_layout.size());
        }
        Ok(block)
    }

    #[inline]
    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: forwarded from the caller.
        unsafe { shrink(self, ptr, old_layout, new_layout) }
    }
}

// SAFETY: as for `&Arena`: a `&Scope` cannot be held across the end of its scope or across
// a nested scope (which needs `&mut Scope`), so its blocks stay valid while it is alive.
unsafe impl Allocator for &Scope<'_> {
    #[inline]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        <&Arena as Allocator>::allocate(&self.arena(), layout)
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: forwarded from the caller; the scope's blocks are its arena's.
        unsafe { <&Arena as Allocator>::deallocate(&self.arena(), ptr, layout) }
    }

    #[inline]
    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: forwarded from the caller; the scope's blocks are its arena's.
        unsafe { <&Arena as Allocator>::grow(&self.arena(), ptr, old_layout, new_layout) }
    }

    #[inline]
    unsafe fn grow_zeroed(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: forwarded from the caller; the scope's blocks are its arena's.
        unsafe { <&Arena as Allocator>::grow_zeroed(&self.arena(), ptr, old_layout, new_layout) }
    }

    #[inline]
    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old_layout: Layout,
        new_layout: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: forwarded from the caller; the scope's blocks are its arena's.
        unsafe { <&Arena as Allocator>::shrink(&self.arena(), ptr, old_layout, new_layout) }
    }
}
