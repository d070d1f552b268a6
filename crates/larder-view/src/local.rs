//! [`LocalView`]: the single-thread [`ByteView`](crate::ByteView), with a plain counter.

use alloc::boxed::Box;
use core::cell::Cell;
use core::ptr;

use crate::common::view_common;
use crate::storage::refcount_overflow;

/// Header of a local block: a plain counter and how to free the block.
#[repr(C)]
struct LocalHeader {
    refs: Cell<usize>,
    release: unsafe fn(*const LocalHeader),
}

#[repr(C)]
struct LocalBlock<T> {
    header: LocalHeader,
    owner: T,
}

/// `LocalHeader::release` of a `LocalBlock<T>`: frees it.
///
/// # Safety
///
/// `header` came from `Box::into_raw` of a `LocalBlock<T>` and no reference to it remains.
unsafe fn free_local<T>(header: *const LocalHeader) {
    // SAFETY: see the function's contract.
    drop(unsafe { Box::from_raw(header.cast::<LocalBlock<T>>().cast_mut()) });
}

/// Immutable, sliceable bytes for one thread: [`ByteView`](crate::ByteView)'s API with a
/// plain (non-atomic) reference count, so clone and drop are an ordinary increment and
/// decrement.
///
/// Same three-word layout as `ByteView` (pointer, length, header pointer; null header for
/// `'static` bytes). A `LocalView` is neither `Send` nor `Sync`: its counter is not atomic.
/// Owners need not be `Send` or `Sync` either, so an `Rc<[u8]>` works.
///
/// # Examples
///
/// ```
/// use larder_view::LocalView;
///
/// let mut line = LocalView::from(b"name: larder\n".to_vec());
/// let name = line.split_to(4);
/// line.advance(2);
/// line.truncate(line.len() - 1);
/// assert_eq!(name, b"name"[..]);
/// assert_eq!(line, b"larder"[..]);
/// ```
///
/// It cannot leave its thread:
///
/// ```compile_fail
/// fn assert_send<T: Send>() {}
/// assert_send::<larder_view::LocalView>();
/// ```
///
/// ```compile_fail
/// fn assert_sync<T: Sync>() {}
/// assert_sync::<larder_view::LocalView>();
/// ```
///
/// ```compile_fail
/// let v = larder_view::LocalView::from(vec![1u8]);
/// std::thread::spawn(move || v.len());
/// ```
pub struct LocalView {
    ptr: *const u8,
    len: usize,
    /// Null for `'static` bytes.
    header: *const LocalHeader,
}

impl LocalView {
    /// A view of `'static` bytes (no allocation; clone and drop touch no counter).
    ///
    /// # Examples
    ///
    /// ```
    /// let v = larder_view::LocalView::from_static(b"static");
    /// assert_eq!(v.len(), 6);
    /// ```
    #[inline]
    pub const fn from_static(bytes: &'static [u8]) -> Self {
        LocalView {
            ptr: bytes.as_ptr(),
            len: bytes.len(),
            header: ptr::null(),
        }
    }

    /// Shares the bytes of any owner (one allocation for the block holding the owner and the
    /// count; no copy). `owner.as_ref()` is called once, here.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::rc::Rc;
    /// let shared: Rc<[u8]> = Rc::from(&b"rc bytes"[..]);
    /// let v = larder_view::LocalView::from_owner(shared);
    /// assert_eq!(v.slice(3..), b"bytes"[..]);
    /// ```
    pub fn from_owner<T: AsRef<[u8]> + 'static>(owner: T) -> Self {
        let block = Box::into_raw(Box::new(LocalBlock {
            header: LocalHeader {
                refs: Cell::new(1),
                release: free_local::<T>,
            },
            owner,
        }));
        // Built first so that a panicking `as_ref()` still frees the block.
        let mut view = LocalView {
            ptr: ptr::NonNull::<u8>::dangling().as_ptr(),
            len: 0,
            header: block.cast::<LocalHeader>().cast_const(),
        };
        // SAFETY: `block` is alive (held by `view`) and nothing mutates the owner while any
        // view of it exists.
        let bytes = unsafe { (*block).owner.as_ref() };
        view.ptr = bytes.as_ptr();
        view.len = bytes.len();
        view
    }

    /// Whether this is the only view of its storage (`'static` views never are).
    ///
    /// # Examples
    ///
    /// ```
    /// let v = larder_view::LocalView::from(vec![1, 2, 3]);
    /// let w = v.clone();
    /// assert!(!v.is_unique());
    /// drop(w);
    /// assert!(v.is_unique());
    /// ```
    pub fn is_unique(&self) -> bool {
        // SAFETY: this view holds a reference, so a non-null header is alive.
        !self.header.is_null() && unsafe { (*self.header).refs.get() } == 1
    }

    /// One more view of the same storage with other bounds.
    #[inline]
    fn share(&self, ptr: *const u8, len: usize) -> Self {
        if !self.header.is_null() {
            // SAFETY: this view holds a reference, so the header is alive; the type is not
            // `Sync`, so no other thread touches the counter.
            let refs = unsafe { &(*self.header).refs };
            let n = refs.get();
            if n > isize::MAX as usize {
                refcount_overflow();
            }
            refs.set(n + 1);
        }
        LocalView {
            ptr,
            len,
            header: self.header,
        }
    }
}

view_common!(LocalView);

impl From<crate::ByteView> for LocalView {
    /// Keeps the `ByteView` as the owner (one allocation, no copy): the `LocalView`s made from
    /// it then clone without atomics.
    fn from(view: crate::ByteView) -> Self {
        if view.is_empty() {
            LocalView::new()
        } else {
            LocalView::from_owner(view)
        }
    }
}

impl Clone for LocalView {
    /// One plain increment (none for `'static` bytes).
    #[inline]
    fn clone(&self) -> Self {
        self.share(self.ptr, self.len)
    }
}

impl Drop for LocalView {
    /// One plain decrement; the last view frees the owner and the block.
    #[inline]
    fn drop(&mut self) {
        if self.header.is_null() {
            return;
        }
        // SAFETY: this view holds a reference, so the header is alive; no other thread can
        // touch it.
        let header = unsafe { &*self.header };
        let n = header.refs.get() - 1;
        header.refs.set(n);
        if n == 0 {
            let release = header.release;
            // SAFETY: that was the last reference; the block is released exactly once.
            unsafe { release(self.header) }
        }
    }
}
