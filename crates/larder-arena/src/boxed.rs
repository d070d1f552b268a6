//! [`ArenaBox`]: a value in an arena whose destructor runs.

use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};

/// An owned value stored in an arena; dropping the box runs the value's destructor (the
/// memory itself is freed with the arena, like everything else in it).
///
/// Made by [`Arena::alloc_box`](crate::Arena::alloc_box) or
/// [`Scope::alloc_box`](crate::Scope::alloc_box). The box borrows the arena, so it is
/// always dropped before the arena is reset or dropped. It is `Send`/`Sync` exactly when
/// `T` is (it holds a `&mut T`, nothing of the arena):
///
/// ```compile_fail
/// fn send<T: Send>(_: T) {}
/// let arena = larder_arena::Arena::new();
/// send(arena.alloc_box(std::rc::Rc::new(1)));
/// ```
///
/// Forgetting a box (`mem::forget`) skips the destructor, as with `Box`; it is not unsafe.
///
/// # Examples
///
/// ```
/// use std::rc::Rc;
///
/// let arena = larder_arena::Arena::new();
/// let shared = Rc::new(5);
/// let b = arena.alloc_box(Rc::clone(&shared));
/// assert_eq!(Rc::strong_count(&shared), 2);
/// drop(b);
/// assert_eq!(Rc::strong_count(&shared), 1, "the destructor ran");
/// ```
pub struct ArenaBox<'a, T> {
    value: &'a mut ManuallyDrop<T>,
}

impl<'a, T> ArenaBox<'a, T> {
    pub(crate) fn from_mut(value: &'a mut ManuallyDrop<T>) -> Self {
        ArenaBox { value }
    }

    /// Moves the value out of the box.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let b = arena.alloc_box(String::from("x"));
    /// assert_eq!(larder_arena::ArenaBox::into_inner(b), "x");
    /// ```
    pub fn into_inner(b: Self) -> T {
        let mut b = ManuallyDrop::new(b);
        // SAFETY: the box is never used or dropped again, so the value is taken once.
        unsafe { ManuallyDrop::take(b.value) }
    }

    /// Turns the box into a plain reference; the destructor will then never run.
    ///
    /// # Examples
    ///
    /// ```
    /// let arena = larder_arena::Arena::new();
    /// let r: &mut [u8; 2] = larder_arena::ArenaBox::leak(arena.alloc_box([1, 0]));
    /// r[1] = 2;
    /// assert_eq!(r, &[1, 2]);
    /// ```
    pub fn leak(b: Self) -> &'a mut T {
        let b = ManuallyDrop::new(b);
        // SAFETY: `b` is never dropped, so the reference it held is moved out exactly once
        // and no other copy of it is used.
        let value: &'a mut ManuallyDrop<T> = unsafe { core::ptr::read(&b.value) };
        value
    }
}

impl<T> Drop for ArenaBox<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the value was initialised by `alloc_box` and is dropped only here.
        unsafe { ManuallyDrop::drop(self.value) }
    }
}

impl<T> Deref for ArenaBox<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T> DerefMut for ArenaBox<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for ArenaBox<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: PartialEq> PartialEq for ArenaBox<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}
