//! The allocation methods shared by [`Arena`](crate::Arena) and [`Scope`](crate::Scope).
//!
//! Both types get the same methods; they differ in the lifetime of what they return: an
//! `Arena` lends memory for as long as it is borrowed (`'_`), a `Scope<'a>` for its whole
//! scope (`'a`), which is what lets a value from an outer scope stay usable inside an inner
//! one.

/// Generates the allocation methods. `$l` is the lifetime of returned references,
/// `$arena` an expression of type `&Arena` (using `self`), and `$pre`/`$post` wrap each
/// doctest so that it has a handle named `a`.
macro_rules! alloc_methods {
    ($l:lifetime, |$this:ident| $arena:expr, $pre:literal, $post:literal) => {
        /// Moves `val` into the arena and returns a mutable reference to it. Its destructor
        /// will not run (see [`alloc_box`](Self::alloc_box) for one that does).
        ///
        /// # Panics
        ///
        /// If a new chunk is needed and the allocation limit forbids it (the global
        /// allocator's failure goes to `handle_alloc_error`).
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "let x = a.alloc([1u16, 2, 3]);\nx[0] = 7;\nassert_eq!(*x, [7, 2, 3]);\n", $post, "```")]
        #[inline(always)]
        pub fn alloc<T>(&self, val: T) -> &$l mut T {
            self.alloc_with(|| val)
        }

        /// Like [`alloc`](Self::alloc), but returns an error (dropping `val`) instead of
        /// panicking.
        ///
        /// # Errors
        ///
        /// [`ArenaError`](crate::ArenaError) when no chunk with room can be had.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "assert_eq!(*a.try_alloc(5u8)?, 5);\n", $post, "```")]
        #[inline(always)]
        pub fn try_alloc<T>(&self, val: T) -> Result<&$l mut T, crate::ArenaError> {
            self.try_alloc_with(|| val)
        }

        /// Makes room for a `T`, then writes `f()` straight into it (no copy of a large
        /// value through the stack). If `f` panics, the room is wasted and the arena stays
        /// usable.
        ///
        /// # Panics
        ///
        /// As [`alloc`](Self::alloc), and if `f` panics.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "let big = a.alloc_with(|| [0u64; 512]);\nassert_eq!(big.len(), 512);\n", $post, "```")]
        #[inline(always)]
        pub fn alloc_with<T, F: FnOnce() -> T>(&self, f: F) -> &$l mut T {
            let $this = self;
            let p = $arena.raw_alloc(core::alloc::Layout::new::<T>()).cast::<T>();
            // SAFETY: `p` is fresh, aligned room for a `T` that nothing else refers to,
            // and stays allocated for `$l` (freeing it needs `&mut` or the end of the scope).
            unsafe {
                p.as_ptr().write(f());
                &mut *p.as_ptr()
            }
        }

        /// Like [`alloc_with`](Self::alloc_with), but returns an error instead of
        /// panicking (`f` is not called then).
        ///
        /// # Errors
        ///
        /// [`ArenaError`](crate::ArenaError) when no chunk with room can be had.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "let v = a.try_alloc_with(|| 3u32)?;\nassert_eq!(*v, 3);\n", $post, "```")]
        #[inline(always)]
        pub fn try_alloc_with<T, F: FnOnce() -> T>(
            &self,
            f: F,
        ) -> Result<&$l mut T, crate::ArenaError> {
            let $this = self;
            let p = $arena.raw_try_alloc(core::alloc::Layout::new::<T>())?.cast::<T>();
            // SAFETY: as in `alloc_with`.
            unsafe {
                p.as_ptr().write(f());
                Ok(&mut *p.as_ptr())
            }
        }

        /// Copies a slice into the arena.
        ///
        /// # Panics
        ///
        /// As [`alloc`](Self::alloc).
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "let s = a.alloc_slice_copy(&[1, 2, 3]);\ns[1] = 20;\nassert_eq!(s, &[1, 20, 3]);\n", $post, "```")]
        #[inline]
        pub fn alloc_slice_copy<T: Copy>(&self, src: &[T]) -> &$l mut [T] {
            let $this = self;
            let p = $arena.raw_alloc(core::alloc::Layout::for_value(src)).cast::<T>();
            // SAFETY: `p` is fresh room for `src.len()` values of `T`, distinct from `src`;
            // `T: Copy`, so a bitwise copy is a valid value.
            unsafe {
                core::ptr::copy_nonoverlapping(src.as_ptr(), p.as_ptr(), src.len());
                core::slice::from_raw_parts_mut(p.as_ptr(), src.len())
            }
        }

        /// Like [`alloc_slice_copy`](Self::alloc_slice_copy), but returns an error instead
        /// of panicking.
        ///
        /// # Errors
        ///
        /// [`ArenaError`](crate::ArenaError) when no chunk with room can be had.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "assert_eq!(a.try_alloc_slice_copy(b\"hi\")?, b\"hi\");\n", $post, "```")]
        #[inline]
        pub fn try_alloc_slice_copy<T: Copy>(
            &self,
            src: &[T],
        ) -> Result<&$l mut [T], crate::ArenaError> {
            let $this = self;
            let p = $arena
                .raw_try_alloc(core::alloc::Layout::for_value(src))?
                .cast::<T>();
            // SAFETY: as in `alloc_slice_copy`.
            unsafe {
                core::ptr::copy_nonoverlapping(src.as_ptr(), p.as_ptr(), src.len());
                Ok(core::slice::from_raw_parts_mut(p.as_ptr(), src.len()))
            }
        }

        /// Clones every element of a slice into the arena. If a `clone` panics, the
        /// clones made so far are leaked (never dropped) and the arena stays usable.
        ///
        /// # Panics
        ///
        /// As [`alloc`](Self::alloc), and if `T::clone` panics.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "use std::borrow::Cow;\nlet words = [Cow::Borrowed(\"a\"), Cow::Owned(String::new())];\nlet s = a.alloc_slice_clone(&words);\nassert_eq!(s, &words);\n", $post, "```")]
        pub fn alloc_slice_clone<T: Clone>(&self, src: &[T]) -> &$l mut [T] {
            let $this = self;
            let p = $arena.raw_alloc(core::alloc::Layout::for_value(src)).cast::<T>();
            // SAFETY: `p` is fresh room for `src.len()` values; each slot is written
            // exactly once before the slice is formed.
            unsafe { crate::methods::clone_into(p, src) }
        }

        /// Like [`alloc_slice_clone`](Self::alloc_slice_clone), but returns an error
        /// instead of panicking when no room can be had.
        ///
        /// # Errors
        ///
        /// [`ArenaError`](crate::ArenaError) when no chunk with room can be had.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "assert_eq!(a.try_alloc_slice_clone(&[1u8])?, &[1]);\n", $post, "```")]
        pub fn try_alloc_slice_clone<T: Clone>(
            &self,
            src: &[T],
        ) -> Result<&$l mut [T], crate::ArenaError> {
            let $this = self;
            let p = $arena
                .raw_try_alloc(core::alloc::Layout::for_value(src))?
                .cast::<T>();
            // SAFETY: as in `alloc_slice_clone`.
            Ok(unsafe { crate::methods::clone_into(p, src) })
        }

        /// Copies a string into the arena.
        ///
        /// # Panics
        ///
        /// As [`alloc`](Self::alloc).
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "let s = a.alloc_str(\"héllo\");\ns.make_ascii_uppercase();\nassert_eq!(s, \"HéLLO\");\n", $post, "```")]
        #[inline]
        pub fn alloc_str(&self, s: &str) -> &$l mut str {
            let bytes = self.alloc_slice_copy(s.as_bytes());
            // SAFETY: the bytes are a copy of a `str`, so they are UTF-8.
            unsafe { core::str::from_utf8_unchecked_mut(bytes) }
        }

        /// Like [`alloc_str`](Self::alloc_str), but returns an error instead of panicking.
        ///
        /// # Errors
        ///
        /// [`ArenaError`](crate::ArenaError) when no chunk with room can be had.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "assert_eq!(a.try_alloc_str(\"ok\")?, \"ok\");\n", $post, "```")]
        #[inline]
        pub fn try_alloc_str(&self, s: &str) -> Result<&$l mut str, crate::ArenaError> {
            let bytes = self.try_alloc_slice_copy(s.as_bytes())?;
            // SAFETY: the bytes are a copy of a `str`, so they are UTF-8.
            Ok(unsafe { core::str::from_utf8_unchecked_mut(bytes) })
        }

        /// Allocates uninitialised room for `layout` and returns a pointer to it, valid
        /// for reads and writes of `layout.size()` bytes for as long as the references
        /// this handle returns.
        ///
        /// # Panics
        ///
        /// As [`alloc`](Self::alloc).
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "let p = a.alloc_layout(std::alloc::Layout::from_size_align(24, 8).unwrap());\nassert_eq!(p.as_ptr() as usize % 8, 0);\n", $post, "```")]
        #[inline]
        pub fn alloc_layout(&self, layout: core::alloc::Layout) -> core::ptr::NonNull<u8> {
            let $this = self;
            $arena.raw_alloc(layout)
        }

        /// Like [`alloc_layout`](Self::alloc_layout), but returns an error instead of
        /// panicking.
        ///
        /// # Errors
        ///
        /// [`ArenaError`](crate::ArenaError) when no chunk with room can be had.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "let l = std::alloc::Layout::from_size_align(8, 4096).unwrap();\nassert_eq!(a.try_alloc_layout(l)?.as_ptr() as usize % 4096, 0);\n", $post, "```")]
        #[inline]
        pub fn try_alloc_layout(
            &self,
            layout: core::alloc::Layout,
        ) -> Result<core::ptr::NonNull<u8>, crate::ArenaError> {
            let $this = self;
            $arena.raw_try_alloc(layout)
        }

        /// Moves `val` into the arena inside an [`ArenaBox`](crate::ArenaBox), which runs
        /// `val`'s destructor when the box is dropped.
        ///
        /// # Panics
        ///
        /// As [`alloc`](Self::alloc).
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "let b = a.alloc_box(vec![1, 2, 3]);\nassert_eq!(b.len(), 3);\ndrop(b); // the Vec's heap buffer is freed here\n", $post, "```")]
        #[inline]
        pub fn alloc_box<T>(&self, val: T) -> crate::ArenaBox<$l, T> {
            crate::ArenaBox::from_mut(self.alloc(core::mem::ManuallyDrop::new(val)))
        }

        /// An empty [`ArenaVec`](crate::ArenaVec) whose buffer lives in this arena.
        ///
        /// # Examples
        ///
        #[doc = concat!("```\n", $pre, "let mut v = a.vec();\nv.extend_from_slice(&[1, 2, 3]);\nv.push(4);\nassert_eq!(&*v, &[1, 2, 3, 4]);\n", $post, "```")]
        #[inline]
        pub fn vec<T>(&self) -> crate::ArenaVec<'_, T> {
            let $this = self;
            crate::ArenaVec::new_in($arena)
        }
    };
}

pub(crate) use alloc_methods;

/// Clones `src` into the room at `p` and returns the slice.
///
/// # Safety
///
/// `p` must be valid for writes of `src.len()` values of `T`, aligned, not overlap `src`,
/// and stay allocated (and otherwise unused) for `'r`.
pub(crate) unsafe fn clone_into<'r, T: Clone>(p: core::ptr::NonNull<T>, src: &[T]) -> &'r mut [T] {
    for (i, item) in src.iter().enumerate() {
        // SAFETY: `i < src.len()`, so the slot is inside the room the caller vouches for.
        unsafe { p.as_ptr().add(i).write(item.clone()) };
    }
    // SAFETY: all `src.len()` slots were written above.
    unsafe { core::slice::from_raw_parts_mut(p.as_ptr(), src.len()) }
}
