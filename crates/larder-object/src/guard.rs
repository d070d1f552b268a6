//! The guards: [`Pooled`] (borrows its pool) and [`OwnedPooled`] (holds an `Arc` of it).

use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};

use larder_core::LeakToken;
use larder_core::sync::Arc;

use crate::Boxed;
use crate::pool::Pool;

/// An object taken from a [`Pool`]; derefs to `T` and gives it back when dropped.
///
/// Made by [`Pool::get`]. It borrows the pool, so the pool outlives it. It may be sent to
/// another thread (with scoped threads) when `T: Send` and dropped there; the object then
/// goes into that thread's cache.
///
/// # Examples
///
/// ```
/// let pool = larder_object::Pool::new(Vec::<u8>::new);
/// let mut v = pool.get();
/// v.push(1);
/// assert_eq!(v.len(), 1);
/// ```
pub struct Pooled<'a, T: Send> {
    value: ManuallyDrop<Boxed<T>>,
    token: ManuallyDrop<LeakToken>,
    pool: &'a Pool<T>,
}

/// An object taken from an `Arc<Pool<T>>`; like [`Pooled`] but `'static`, so it can be
/// stored or moved to any thread (it is `Send` when `T: Send`).
///
/// Made by [`Pool::get_owned`].
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// let pool = Arc::new(larder_object::Pool::new(Vec::<u8>::new));
/// let mut v = pool.get_owned();
/// std::thread::spawn(move || v.push(1)).join().unwrap();
/// assert_eq!(pool.stats().returned, 1);
/// ```
pub struct OwnedPooled<T: Send> {
    value: ManuallyDrop<Boxed<T>>,
    token: ManuallyDrop<LeakToken>,
    pool: Arc<Pool<T>>,
}

impl<T: Send> Pool<T> {
    /// Takes an object (see [`take`](Self::take) for where it comes from) in a guard that
    /// gives it back on drop.
    ///
    /// # Panics
    ///
    /// If the factory panics (the pool stays consistent).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(|| String::with_capacity(32));
    /// let mut s = pool.get();
    /// s.push_str("hi");
    /// assert_eq!(&*s, "hi");
    /// ```
    #[inline]
    pub fn get(&self) -> Pooled<'_, T> {
        // Two exits, so that the fast one writes the object straight into the guard (the
        // slow one is a call that builds its own).
        match self.pop_fast() {
            Some(value) => self.guard(value),
            None => self.get_slow(),
        }
    }

    #[cold]
    #[inline(never)]
    fn get_slow(&self) -> Pooled<'_, T> {
        self.guard(self.take_slow_or_create())
    }

    #[inline(always)]
    fn guard(&self, value: Boxed<T>) -> Pooled<'_, T> {
        Pooled {
            value: ManuallyDrop::new(value),
            token: ManuallyDrop::new(self.leaks().track()),
            pool: self,
        }
    }

    /// Takes a retained object if the pool has one (this thread's cache or the shared
    /// layer); never calls the factory.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_object::Pool::new(Vec::<u8>::new);
    /// assert!(pool.try_get().is_none());
    /// drop(pool.get());
    /// assert!(pool.try_get().is_some());
    /// ```
    #[inline]
    pub fn try_get(&self) -> Option<Pooled<'_, T>> {
        let value = self.take_retained()?;
        Some(Pooled {
            value: ManuallyDrop::new(value),
            token: ManuallyDrop::new(self.leaks().track()),
            pool: self,
        })
    }

    /// Takes an object in a `'static` guard that holds a clone of the `Arc`.
    ///
    /// # Panics
    ///
    /// If the factory panics.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let pool = Arc::new(larder_object::Pool::new(Vec::<u8>::new));
    /// let guards: Vec<_> = (0..3).map(|_| pool.get_owned()).collect();
    /// assert_eq!(pool.stats().outstanding, 3);
    /// drop(guards);
    /// assert_eq!(pool.stats().outstanding, 0);
    /// ```
    #[cfg(not(larder_loom))]
    #[inline]
    pub fn get_owned(self: &Arc<Self>) -> OwnedPooled<T> {
        Self::owned(self)
    }

    /// Under loom, where `Arc` is loom's and cannot be a receiver: `Pool::get_owned(&arc)`.
    #[cfg(larder_loom)]
    pub fn get_owned(this: &Arc<Self>) -> OwnedPooled<T> {
        Self::owned(this)
    }

    #[inline]
    fn owned(this: &Arc<Self>) -> OwnedPooled<T> {
        let value = this.take();
        OwnedPooled {
            value: ManuallyDrop::new(value),
            token: ManuallyDrop::new(this.leaks().track()),
            pool: Arc::clone(this),
        }
    }

    /// [`try_get`](Self::try_get) with an owned guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let pool = Arc::new(larder_object::Pool::new(Vec::<u8>::new));
    /// assert!(pool.try_get_owned().is_none());
    /// ```
    #[cfg(not(larder_loom))]
    #[inline]
    pub fn try_get_owned(self: &Arc<Self>) -> Option<OwnedPooled<T>> {
        Self::try_owned(self)
    }

    /// Under loom: `Pool::try_get_owned(&arc)`.
    #[cfg(larder_loom)]
    pub fn try_get_owned(this: &Arc<Self>) -> Option<OwnedPooled<T>> {
        Self::try_owned(this)
    }

    #[inline]
    fn try_owned(this: &Arc<Self>) -> Option<OwnedPooled<T>> {
        let value = this.take_retained()?;
        Some(OwnedPooled {
            value: ManuallyDrop::new(value),
            token: ManuallyDrop::new(this.leaks().track()),
            pool: Arc::clone(this),
        })
    }
}

macro_rules! guard_impls {
    ($guard:ident $(<$lt:lifetime>)?) => {
        impl<$($lt,)? T: Send> $guard<$($lt,)? T> {
            /// Takes the object out of the pool for good (counted `detached`).
            ///
            /// # Examples
            ///
            /// ```
            /// let pool = std::sync::Arc::new(larder_object::Pool::new(Vec::<u8>::new));
            /// let kept: Vec<u8> = pool.get().detach();
            /// let kept_too: Vec<u8> = pool.get_owned().detach();
            /// assert_eq!(pool.stats().detached, 2);
            /// # drop((kept, kept_too));
            /// ```
            pub fn detach(self) -> T {
                let mut this = ManuallyDrop::new(self);
                // SAFETY: `this` is never dropped, so each field is moved out exactly once
                // here and never used again.
                let (value, token, pool) = unsafe {
                    (
                        ManuallyDrop::take(&mut this.value),
                        ManuallyDrop::take(&mut this.token),
                        core::ptr::read(&this.pool),
                    )
                };
                pool.leaks().untrack(token);
                pool.detach_taken(value).into_inner()
            }

            /// The pool this object came from.
            ///
            /// # Examples
            ///
            /// ```
            /// let pool = larder_object::Pool::new(Vec::<u8>::new);
            /// let v = pool.get();
            /// assert!(std::ptr::eq(v.pool(), &pool));
            /// ```
            pub fn pool(&self) -> &Pool<T> {
                &self.pool
            }
        }

        impl<$($lt,)? T: Send> Deref for $guard<$($lt,)? T> {
            type Target = T;
            #[inline]
            fn deref(&self) -> &T {
                &self.value
            }
        }

        impl<$($lt,)? T: Send> DerefMut for $guard<$($lt,)? T> {
            #[inline]
            fn deref_mut(&mut self) -> &mut T {
                &mut self.value
            }
        }

        impl<$($lt,)? T: Send> AsRef<T> for $guard<$($lt,)? T> {
            fn as_ref(&self) -> &T {
                &self.value
            }
        }

        impl<$($lt,)? T: Send> AsMut<T> for $guard<$($lt,)? T> {
            fn as_mut(&mut self) -> &mut T {
                &mut self.value
            }
        }

        /// Gives the object back to the pool (reset, then kept or dropped).
        impl<$($lt,)? T: Send> Drop for $guard<$($lt,)? T> {
            #[inline]
            fn drop(&mut self) {
                // SAFETY: `drop` runs once and the token is not used afterwards.
                let token = unsafe { ManuallyDrop::take(&mut self.token) };
                self.pool.leaks().untrack(token);
                // SAFETY: `drop` runs once, so the value is moved out exactly once.
                let value = unsafe { ManuallyDrop::take(&mut self.value) };
                self.pool.give_back_box(value);
            }
        }

        impl<$($lt,)? T: Send + fmt::Debug> fmt::Debug for $guard<$($lt,)? T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&*self.value, f)
            }
        }
    };
}

guard_impls!(Pooled<'a>);
guard_impls!(OwnedPooled);
