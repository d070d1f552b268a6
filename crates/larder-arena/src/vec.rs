//! [`ArenaVec`]: a growable vector whose buffer lives in an arena and grows in place.

use crate::arena::Arena;
use crate::error::ArenaError;
use core::alloc::Layout;
use core::fmt;
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, size_of};
use core::ops::{Deref, DerefMut};
use core::ptr::{self, NonNull};

/// A vector whose buffer is an arena allocation.
///
/// While the buffer is the arena's last allocation, growing it only moves the arena's
/// bump pointer: no new allocation, no copy. A vector pushed one element at a time (even
/// with `reserve_exact(1)` before every push) copies only when its chunk is full. When
/// something else was allocated after it, growth allocates a new buffer and copies, like
/// `Vec`; the old buffer is freed with the arena.
///
/// Dropping the vector drops its elements and, if its buffer is still the last
/// allocation, gives the buffer back. It is neither `Send` nor `Sync` (it needs its arena,
/// which is not `Sync`, to grow):
///
/// ```compile_fail
/// fn send<T: Send>(_: T) {}
/// let arena = larder_arena::Arena::new();
/// send(arena.vec::<u8>());
/// ```
///
/// # Examples
///
/// ```
/// let arena = larder_arena::Arena::new();
/// let mut v = arena.vec();
/// for i in 0..1000u32 {
///     v.reserve_exact(1);
///     v.push(i);
/// }
/// assert_eq!(v.len(), 1000);
/// assert_eq!(v[999], 999);
/// // grown in place: the arena holds the 4000 bytes once, not every intermediate buffer
/// assert_eq!(arena.allocated_bytes(), 4000);
/// ```
pub struct ArenaVec<'a, T> {
    ptr: NonNull<T>,
    len: usize,
    cap: usize,
    arena: &'a Arena,
    _owns: PhantomData<T>,
}

impl<'a, T> ArenaVec<'a, T> {
    /// An empty vector in `arena`; allocates nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let v = larder_arena::ArenaVec::<u8>::new_in(&arena);
    /// assert_eq!((v.len(), v.capacity()), (0, 0));
    /// ```
    pub fn new_in(arena: &'a Arena) -> Self {
        ArenaVec {
            ptr: NonNull::dangling(),
            len: 0,
            cap: if size_of::<T>() == 0 { usize::MAX } else { 0 },
            arena,
            _owns: PhantomData,
        }
    }

    /// An empty vector with room for `capacity` elements.
    ///
    /// # Panics
    ///
    /// If the arena cannot provide the room (see [`Arena::alloc`]) or the size overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let v = larder_arena::ArenaVec::<u64>::with_capacity_in(10, &arena);
    /// assert!(v.capacity() >= 10);
    /// ```
    pub fn with_capacity_in(capacity: usize, arena: &'a Arena) -> Self {
        let mut v = Self::new_in(arena);
        v.reserve_exact(capacity);
        v
    }

    /// Number of elements.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec();
    /// v.push('a');
    /// assert_eq!(v.len(), 1);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// assert!(arena.vec::<u8>().is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of elements the buffer holds without growing.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec::<u32>();
    /// v.reserve_exact(3);
    /// assert_eq!(v.capacity(), 3);
    /// ```
    #[inline]
    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// Appends an element.
    ///
    /// # Panics
    ///
    /// If growing fails (see [`reserve`](Self::reserve)).
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec();
    /// v.push(1);
    /// v.push(2);
    /// assert_eq!(&*v, &[1, 2]);
    /// ```
    #[inline]
    pub fn push(&mut self, value: T) {
        if self.len == self.cap {
            self.reserve(1);
        }
        // SAFETY: `len < cap`, so the slot is inside the buffer and uninitialised.
        unsafe { self.ptr.as_ptr().add(self.len).write(value) };
        self.len += 1;
    }

    /// Removes and returns the last element.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec();
    /// v.push(7);
    /// assert_eq!(v.pop(), Some(7));
    /// assert_eq!(v.pop(), None);
    /// ```
    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: the slot at the old last index is initialised and no longer counted.
        Some(unsafe { self.ptr.as_ptr().add(self.len).read() })
    }

    /// Drops the elements past `len`.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec();
    /// v.extend_from_slice(&[1, 2, 3]);
    /// v.truncate(1);
    /// assert_eq!(&*v, &[1]);
    /// ```
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let tail = self.len - len;
        self.len = len;
        // SAFETY: the `tail` elements after `len` are initialised and no longer counted,
        // so each is dropped exactly once.
        unsafe {
            ptr::drop_in_place(ptr::slice_from_raw_parts_mut(
                self.ptr.as_ptr().add(len),
                tail,
            ));
        }
    }

    /// Drops every element; the buffer is kept.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec();
    /// v.push(String::from("x"));
    /// v.clear();
    /// assert!(v.is_empty() && v.capacity() >= 1);
    /// ```
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// Makes room for at least `additional` more elements, growing geometrically.
    ///
    /// # Panics
    ///
    /// If the new capacity overflows or the arena cannot provide the room.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec::<u8>();
    /// v.reserve(10);
    /// assert!(v.capacity() >= 10);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        if let Err(e) = self.try_reserve(additional) {
            panic!("{e}");
        }
    }

    /// Makes room for `additional` more elements: exactly that many when the buffer can
    /// grow in place, at least that many (twice the capacity) when it must move.
    ///
    /// # Panics
    ///
    /// If the new capacity overflows or the arena cannot provide the room.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec::<u8>();
    /// v.reserve_exact(5);
    /// assert_eq!(v.capacity(), 5);
    /// ```
    pub fn reserve_exact(&mut self, additional: usize) {
        if let Err(e) = self.try_reserve_exact(additional) {
            panic!("{e}");
        }
    }

    /// Like [`reserve`](Self::reserve), returning an error instead of panicking.
    ///
    /// # Errors
    ///
    /// [`ArenaError::SizeOverflow`] if the capacity in bytes would exceed `isize::MAX`,
    /// or the arena's error when it cannot provide the room. The vector is unchanged then.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec::<u64>();
    /// assert!(v.try_reserve(usize::MAX).is_err());
    /// assert!(v.try_reserve(8).is_ok());
    /// ```
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), ArenaError> {
        let required = self
            .len
            .checked_add(additional)
            .ok_or(ArenaError::SizeOverflow)?;
        if required <= self.cap {
            return Ok(());
        }
        let doubled = self.cap.saturating_mul(2).max(4);
        // Prefer the geometric size; if that is too big to exist, settle for exact.
        self.grow_to(required.max(doubled))
            .or_else(|_| self.grow_to(required))
    }

    /// Like [`reserve_exact`](Self::reserve_exact), returning an error instead of
    /// panicking.
    ///
    /// # Errors
    ///
    /// As [`try_reserve`](Self::try_reserve).
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec::<u16>();
    /// v.try_reserve_exact(3)?;
    /// assert_eq!(v.capacity(), 3);
    /// # Ok::<(), larder_arena::ArenaError>(())
    /// ```
    pub fn try_reserve_exact(&mut self, additional: usize) -> Result<(), ArenaError> {
        let required = self
            .len
            .checked_add(additional)
            .ok_or(ArenaError::SizeOverflow)?;
        if required <= self.cap {
            return Ok(());
        }
        self.grow_to(required)
    }

    fn grow_to(&mut self, new_cap: usize) -> Result<(), ArenaError> {
        let elem = size_of::<T>();
        debug_assert!(elem > 0 && new_cap > self.cap);
        let layout = Layout::array::<T>(new_cap).map_err(|_| ArenaError::SizeOverflow)?;
        let old_bytes = self.cap * elem;
        if self
            .arena
            .resize_in_place(self.ptr.cast(), old_bytes, layout.size())
        {
            self.cap = new_cap;
            return Ok(());
        }
        // Moving: grow geometrically even for `reserve_exact`, since the old buffer stays
        // in the arena until it is reset. Otherwise a vector that cannot grow in place
        // (it outgrew its chunk) would use quadratic memory under a `reserve_exact(1)` loop.
        let doubled = self.cap.saturating_mul(2);
        let (new_ptr, new_cap) = match Layout::array::<T>(doubled) {
            Ok(big) if doubled > new_cap => match self.arena.raw_try_alloc(big) {
                Ok(p) => (p, doubled),
                Err(_) => (self.arena.raw_try_alloc(layout)?, new_cap),
            },
            _ => (self.arena.raw_try_alloc(layout)?, new_cap),
        };
        let new_ptr = new_ptr.cast::<T>();
        // SAFETY: the new buffer is fresh (no overlap) and has room for `new_cap > len`
        // elements; the first `len` of the old buffer are initialised and are moved, so
        // the old buffer is not read again.
        unsafe { ptr::copy_nonoverlapping(self.ptr.as_ptr(), new_ptr.as_ptr(), self.len) };
        self.ptr = new_ptr;
        self.cap = new_cap;
        Ok(())
    }

    /// Gives unused capacity back to the arena if the buffer is its last allocation.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec::<u64>();
    /// v.reserve_exact(100);
    /// v.push(1);
    /// v.shrink_to_fit();
    /// assert_eq!((v.capacity(), arena.allocated_bytes()), (1, 8));
    /// ```
    pub fn shrink_to_fit(&mut self) {
        let elem = size_of::<T>();
        if elem == 0 || self.cap == self.len {
            return;
        }
        if self
            .arena
            .resize_in_place(self.ptr.cast(), self.cap * elem, self.len * elem)
        {
            self.cap = self.len;
        }
    }

    /// Clones and appends every element of `other`.
    ///
    /// # Panics
    ///
    /// As [`reserve`](Self::reserve), and if `T::clone` panics (the elements appended so
    /// far stay).
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec();
    /// v.extend_from_slice(&["a", "b"]);
    /// assert_eq!(v.len(), 2);
    /// ```
    pub fn extend_from_slice(&mut self, other: &[T])
    where
        T: Clone,
    {
        self.reserve(other.len());
        for item in other {
            self.push(item.clone());
        }
    }

    /// The elements as a slice.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec();
    /// v.push(3);
    /// assert_eq!(v.as_slice(), &[3]);
    /// ```
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        // SAFETY: the first `len` slots are initialised; `ptr` is aligned and non-null.
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    /// The elements as a mutable slice.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec();
    /// v.push(3);
    /// v.as_mut_slice()[0] = 4;
    /// assert_eq!(&*v, &[4]);
    /// ```
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        // SAFETY: as in `as_slice`, and `&mut self` makes the access exclusive.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// Turns the vector into a slice that lives as long as the arena borrow; unused
    /// capacity goes back to the arena if possible. The elements' destructors will not run.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let mut v = arena.vec();
    /// v.extend_from_slice(&[1u8, 2]);
    /// let s: &mut [u8] = v.into_slice();
    /// assert_eq!(s, &[1, 2]);
    /// ```
    pub fn into_slice(mut self) -> &'a mut [T] {
        self.shrink_to_fit();
        let this = ManuallyDrop::new(self);
        // SAFETY: the buffer is arena memory that stays allocated for `'a` (freeing it
        // needs `&mut Arena` or the end of the scope the borrow comes from); the vector is
        // forgotten, so the slice is the only owner of its `len` initialised elements.
        unsafe { core::slice::from_raw_parts_mut(this.ptr.as_ptr(), this.len) }
    }
}

impl<T> Drop for ArenaVec<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the first `len` slots are initialised and dropped exactly once here.
        unsafe {
            ptr::drop_in_place(ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), self.len));
        }
        let elem = size_of::<T>();
        if elem != 0 {
            self.arena.free_if_last(self.ptr.cast(), self.cap * elem);
        }
    }
}

impl<T> Deref for ArenaVec<'_, T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> DerefMut for ArenaVec<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T> Extend<T> for ArenaVec<'_, T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for item in iter {
            self.push(item);
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for ArenaVec<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
