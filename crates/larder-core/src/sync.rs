//! The one place larder takes its synchronisation primitives from.
//!
//! Every atomic, `Arc`, `Mutex`, `UnsafeCell`, spin hint and thread-local in the larder
//! crates is imported from here. Normally these are the standard library's types; when the
//! code is compiled with `RUSTFLAGS="--cfg larder_loom"` they are [loom]'s, so that the
//! loom models in each crate's `tests/loom.rs` explore every interleaving of the real code.
//!
//! Two differences from `std` are deliberate and hold under both backends:
//!
//! * [`UnsafeCell`] is accessed through [`UnsafeCell::with`] and [`UnsafeCell::with_mut`]
//!   (loom's API), so that loom can check each access.
//! * [`Mutex::lock`] (with `std`) never reports poisoning: a panic while the lock was held
//!   leaves the data as the panicking code left it, and larder's structures keep their data
//!   consistent at every point where user code can panic.
//!
//! [loom]: https://docs.rs/loom
//!
//! # Examples
//!
//! ```
//! use larder_core::sync::{Arc, atomic::{AtomicUsize, Ordering}};
//!
//! let hits = Arc::new(AtomicUsize::new(0));
//! hits.fetch_add(1, Ordering::Relaxed);
//! assert_eq!(hits.load(Ordering::Relaxed), 1);
//! ```

#[cfg(not(larder_loom))]
pub use alloc::sync::Arc;
#[cfg(larder_loom)]
pub use loom::sync::Arc;

/// Atomic types and memory orderings (`core::sync::atomic`, or loom's under `larder_loom`).
///
/// # Examples
///
/// ```
/// use larder_core::sync::atomic::{AtomicBool, Ordering};
///
/// let flag = AtomicBool::new(false);
/// flag.store(true, Ordering::Release);
/// assert!(flag.load(Ordering::Acquire));
/// ```
pub mod atomic {
    #[cfg(not(larder_loom))]
    pub use core::sync::atomic::{
        AtomicBool, AtomicPtr, AtomicU8, AtomicU16, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        fence,
    };
    #[cfg(larder_loom)]
    pub use loom::sync::atomic::{
        AtomicBool, AtomicPtr, AtomicU8, AtomicU16, AtomicU32, AtomicU64, AtomicUsize, Ordering,
        fence,
    };
}

/// Signals a spin-wait loop (`core::hint::spin_loop`, or a loom yield under `larder_loom`).
///
/// # Examples
///
/// ```
/// larder_core::sync::spin_loop();
/// ```
#[inline]
pub fn spin_loop() {
    #[cfg(not(larder_loom))]
    core::hint::spin_loop();
    #[cfg(larder_loom)]
    loom::thread::yield_now();
}

/// An `UnsafeCell` whose contents are reached only through closures.
///
/// This is `core::cell::UnsafeCell` with loom's access API, so the same code compiles
/// against both. Under `larder_loom` it is `loom::cell::UnsafeCell`, which checks that no
/// two threads access the cell at once without synchronisation.
///
/// # Examples
///
/// ```
/// use larder_core::sync::UnsafeCell;
///
/// let cell = UnsafeCell::new(1u32);
/// // SAFETY: no other reference to the cell's contents exists.
/// cell.with_mut(|p| unsafe { *p += 1 });
/// // SAFETY: as above.
/// assert_eq!(cell.with(|p| unsafe { *p }), 2);
/// ```
#[cfg(not(larder_loom))]
#[derive(Debug, Default)]
#[repr(transparent)]
pub struct UnsafeCell<T: ?Sized>(core::cell::UnsafeCell<T>);

#[cfg(not(larder_loom))]
impl<T> UnsafeCell<T> {
    /// Wraps `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = larder_core::sync::UnsafeCell::new(String::new());
    /// assert!(cell.into_inner().is_empty());
    /// ```
    #[inline]
    pub const fn new(value: T) -> Self {
        Self(core::cell::UnsafeCell::new(value))
    }

    /// Unwraps the value.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = larder_core::sync::UnsafeCell::new(7);
    /// assert_eq!(cell.into_inner(), 7);
    /// ```
    #[inline]
    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}

#[cfg(not(larder_loom))]
impl<T: ?Sized> UnsafeCell<T> {
    /// Calls `f` with a shared raw pointer to the contents.
    ///
    /// The pointer is valid for the duration of `f`; dereferencing it is the caller's
    /// responsibility (no `&mut` to the contents may exist meanwhile).
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = larder_core::sync::UnsafeCell::new(3);
    /// // SAFETY: nothing mutates the cell while it is read.
    /// assert_eq!(cell.with(|p| unsafe { *p }), 3);
    /// ```
    #[inline]
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    /// Calls `f` with a mutable raw pointer to the contents.
    ///
    /// The pointer is valid for the duration of `f`; dereferencing it is the caller's
    /// responsibility (no other reference to the contents may exist meanwhile).
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = larder_core::sync::UnsafeCell::new(3);
    /// // SAFETY: this is the only access to the cell.
    /// cell.with_mut(|p| unsafe { *p = 4 });
    /// assert_eq!(cell.into_inner(), 4);
    /// ```
    #[inline]
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }

    /// A mutable reference through exclusive access (no synchronisation needed).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut cell = larder_core::sync::UnsafeCell::new(3);
    /// *cell.get_mut() = 5;
    /// assert_eq!(cell.into_inner(), 5);
    /// ```
    #[inline]
    pub fn get_mut(&mut self) -> &mut T {
        self.0.get_mut()
    }
}

#[cfg(larder_loom)]
pub use loom::cell::UnsafeCell;

#[cfg(feature = "std")]
mod mutex {
    use core::ops::{Deref, DerefMut};

    #[cfg(not(larder_loom))]
    use std::sync as backend;

    #[cfg(larder_loom)]
    use loom::sync as backend;

    /// A mutual-exclusion lock that ignores poisoning.
    ///
    /// `std::sync::Mutex` (or loom's under `larder_loom`) whose [`lock`](Mutex::lock) always
    /// returns the guard. larder never leaves shared data half-updated across a call into
    /// user code, so a panic elsewhere while the lock was held is no reason to refuse it.
    ///
    /// # Examples
    ///
    /// ```
    /// let m = larder_core::sync::Mutex::new(vec![1]);
    /// m.lock().push(2);
    /// assert_eq!(*m.lock(), [1, 2]);
    /// ```
    #[derive(Debug, Default)]
    pub struct Mutex<T>(backend::Mutex<T>);

    /// The guard of a locked [`Mutex`]; unlocks on drop.
    ///
    /// # Examples
    ///
    /// ```
    /// let m = larder_core::sync::Mutex::new(0);
    /// let mut guard: larder_core::sync::MutexGuard<'_, i32> = m.lock();
    /// *guard += 1;
    /// ```
    #[derive(Debug)]
    pub struct MutexGuard<'a, T>(backend::MutexGuard<'a, T>);

    impl<T> Mutex<T> {
        /// A new unlocked mutex holding `value`.
        ///
        /// # Examples
        ///
        /// ```
        /// let m = larder_core::sync::Mutex::new("x");
        /// assert_eq!(*m.lock(), "x");
        /// ```
        pub fn new(value: T) -> Self {
            Self(backend::Mutex::new(value))
        }

        /// Blocks until the lock is held; poisoning is ignored.
        ///
        /// # Examples
        ///
        /// ```
        /// let m = larder_core::sync::Mutex::new(1);
        /// assert_eq!(*m.lock(), 1);
        /// ```
        pub fn lock(&self) -> MutexGuard<'_, T> {
            MutexGuard(
                self.0
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            )
        }

        /// Takes the lock only if it is free right now.
        ///
        /// # Examples
        ///
        /// ```
        /// let m = larder_core::sync::Mutex::new(1);
        /// let held = m.lock();
        /// assert!(m.try_lock().is_none());
        /// drop(held);
        /// assert!(m.try_lock().is_some());
        /// ```
        pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            match self.0.try_lock() {
                Ok(guard) => Some(MutexGuard(guard)),
                Err(std::sync::TryLockError::Poisoned(p)) => Some(MutexGuard(p.into_inner())),
                Err(std::sync::TryLockError::WouldBlock) => None,
            }
        }

        /// The data, through exclusive access.
        ///
        /// # Examples
        ///
        /// ```
        /// let mut m = larder_core::sync::Mutex::new(1);
        /// *m.get_mut() = 2;
        /// assert_eq!(*m.lock(), 2);
        /// ```
        pub fn get_mut(&mut self) -> &mut T {
            self.0
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        }
    }

    impl<T> Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            &self.0
        }
    }

    impl<T> DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            &mut self.0
        }
    }
}

#[cfg(feature = "std")]
pub use mutex::{Mutex, MutexGuard};

/// `thread::LocalKey` of std, or loom's under `larder_loom`: the type of a
/// [`larder_thread_local!`](crate::larder_thread_local) static.
///
/// # Examples
///
/// ```
/// use std::cell::Cell;
/// larder_core::larder_thread_local!(static DEPTH: Cell<u32> = Cell::new(0));
/// let key: &'static larder_core::sync::LocalKey<Cell<u32>> = &DEPTH;
/// key.with(|d| d.set(1));
/// ```
#[cfg(all(feature = "std", not(larder_loom)))]
pub use std::thread::LocalKey;

/// See the std variant.
#[cfg(all(feature = "std", larder_loom))]
pub use loom::thread::LocalKey;

/// Spawns a thread (std's, or loom's under `larder_loom`), for code and tests that must run
/// under both.
///
/// # Examples
///
/// ```
/// let h = larder_core::sync::spawn(|| 1 + 1);
/// assert_eq!(h.join().unwrap(), 2);
/// ```
#[cfg(all(feature = "std", not(larder_loom)))]
pub use std::thread::spawn;

/// See the std variant.
#[cfg(all(feature = "std", larder_loom))]
pub use loom::thread::spawn;

/// Declares a thread-local static through the shim.
///
/// Without `larder_loom` this is `std::thread_local!` with a `const` initialiser (the
/// cheapest kind: no lazy-initialisation check on access, so the initialiser must be a
/// constant expression); under `larder_loom` it is `loom::thread_local!`, whose values loom
/// drops at the end of each modelled thread.
///
/// # Examples
///
/// ```
/// use std::cell::Cell;
///
/// larder_core::larder_thread_local!(static COUNT: Cell<u64> = Cell::new(0));
///
/// COUNT.with(|c| c.set(c.get() + 1));
/// assert_eq!(COUNT.with(Cell::get), 1);
/// ```
#[cfg(all(feature = "std", not(larder_loom)))]
#[macro_export]
macro_rules! larder_thread_local {
    ($(#[$attr:meta])* $vis:vis static $name:ident : $ty:ty = $init:expr $(;)?) => {
        ::std::thread_local! {
            $(#[$attr])* $vis static $name: $ty = const { $init };
        }
    };
}

/// Declares a thread-local static through the shim (loom variant).
#[cfg(all(feature = "std", larder_loom))]
#[macro_export]
macro_rules! larder_thread_local {
    ($(#[$attr:meta])* $vis:vis static $name:ident : $ty:ty = $init:expr $(;)?) => {
        $crate::__private::loom::thread_local! {
            $(#[$attr])* $vis static $name: $ty = $init;
        }
    };
}
