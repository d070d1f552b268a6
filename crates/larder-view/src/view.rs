//! [`ByteView`]: shared, immutable, sliceable bytes with an atomic reference count.

use core::ptr;

use crate::common::view_common;
use crate::storage::{AsRefOwner, Header, ViewOwner, ViewStorage, owner_bytes};

/// Immutable bytes shared between threads: clone, slice and split without copying.
///
/// Three words: a pointer to the first byte in view, the length, and a pointer to the
/// shared block's header (reference count and release function), null for `'static` bytes.
/// Clone is one relaxed atomic increment, drop one release decrement; slicing and splitting
/// only move the pointer and length (plus the increment for the new view). Nothing but
/// construction allocates, and that at most once. See the [crate docs](crate) for the full
/// cost table.
///
/// Build one from a `Vec<u8>`, `Box<[u8]>`, `String` or `&'static [u8]`, from any owner of
/// bytes with [`from_owner`](ByteView::from_owner), or from a reusable
/// [`ViewStorage`] with [`from_storage`](ByteView::from_storage) (no allocation).
///
/// Equality, ordering and hashing are by content, as for `[u8]`; `Debug` prints a byte-string
/// literal.
///
/// # Examples
///
/// ```
/// use larder_view::ByteView;
///
/// let mut msg = ByteView::from(b"GET /index.html HTTP/1.1".to_vec());
/// let method = msg.split_to(3);
/// msg.advance(1);
/// let path = msg.slice(..11);
/// assert_eq!(method, b"GET"[..]);
/// assert_eq!(format!("{path:?}"), r#"b"/index.html""#);
///
/// // Views are Send + Sync: hand them to other threads.
/// std::thread::spawn(move || assert_eq!(&path[..], b"/index.html")).join().unwrap();
/// ```
///
/// # Thread safety
///
/// `ByteView` is `Send` and `Sync`: its bytes are never written while shared, the count is
/// atomic, and every owner is `Send + Sync`. An owner that is not cannot be put in a view:
///
/// ```compile_fail
/// // `Rc` is neither Send nor Sync.
/// let v = larder_view::ByteView::from_owner(std::rc::Rc::<[u8]>::from(&b"x"[..]));
/// ```
///
/// ```compile_fail
/// // A `Sync` view must not hold an owner with unsynchronised interior mutability.
/// struct Owner(Vec<u8>, std::cell::Cell<u32>);
/// impl AsRef<[u8]> for Owner {
///     fn as_ref(&self) -> &[u8] { &self.0 }
/// }
/// let v = larder_view::ByteView::from_owner(Owner(vec![1], std::cell::Cell::new(0)));
/// ```
///
/// ```compile_fail
/// // An owner that is Sync but not Send (it could be dropped on another thread).
/// struct Owner(Vec<u8>, std::sync::MutexGuard<'static, ()>);
/// impl AsRef<[u8]> for Owner {
///     fn as_ref(&self) -> &[u8] { &self.0 }
/// }
/// static M: std::sync::Mutex<()> = std::sync::Mutex::new(());
/// let v = larder_view::ByteView::from_owner(Owner(vec![1], M.lock().unwrap()));
/// ```
// `len` is not next to `ptr`: the pair is copied from the owner's `Vec` when a buffer is
// frozen, usually just after a write stored the `Vec`'s length, and the compiler copies two
// adjacent words with one 16-byte load, which the processor cannot serve from that 8-byte
// store (a stall of about 5 ns per freeze, measured on larder-buffer's write + freeze).
#[repr(C)]
pub struct ByteView {
    ptr: *const u8,
    /// Null for `'static` bytes; otherwise the header of the block whose owner holds the bytes.
    header: *const Header,
    len: usize,
}

// SAFETY: a `ByteView` only reads its bytes, which no one writes while any view of them
// exists; the reference count is atomic (Relaxed increment, Release decrement, Acquire fence
// before release, as `Arc`); and every owner is `Send + Sync` (`ViewOwner` requires it,
// `from_owner` demands it), so releasing it on another thread and sharing `&` to its bytes
// across threads are both allowed. The compile-fail examples on the type show the owners this
// rules out.
unsafe impl Send for ByteView {}
// SAFETY: see `Send`: `&ByteView` only reads immutable bytes and may clone (an atomic
// increment).
unsafe impl Sync for ByteView {}

impl ByteView {
    /// A view of `'static` bytes (no allocation; clone and drop touch no counter).
    ///
    /// # Examples
    ///
    /// ```
    /// const HELLO: larder_view::ByteView = larder_view::ByteView::from_static(b"hello");
    /// assert_eq!(HELLO.len(), 5);
    /// ```
    #[inline]
    pub const fn from_static(bytes: &'static [u8]) -> Self {
        ByteView {
            ptr: bytes.as_ptr(),
            len: bytes.len(),
            header: ptr::null(),
        }
    }

    /// Shares the bytes of any owner (one allocation for the block holding the owner and the
    /// count; the bytes are not copied).
    ///
    /// `owner.as_ref()` is called once, here; the view covers that slice. The owner is
    /// dropped when the last view is.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::ByteView;
    ///
    /// struct Page { data: Box<[u8; 8]> }
    /// impl AsRef<[u8]> for Page {
    ///     fn as_ref(&self) -> &[u8] { &self.data[..] }
    /// }
    ///
    /// let v = ByteView::from_owner(Page { data: Box::new(*b"contents") });
    /// assert_eq!(v.slice(..4), b"cont"[..]);
    /// ```
    pub fn from_owner<T>(owner: T) -> Self
    where
        T: AsRef<[u8]> + Send + Sync + 'static,
    {
        Self::from_storage(ViewStorage::new(AsRefOwner(owner)))
    }

    /// Freezes a [`ViewStorage`] into a view of `owner.bytes()`, allocating nothing.
    ///
    /// When the last view of it is dropped, [`ViewOwner::reclaim`] gets the storage back
    /// (its count reset, so it can be frozen again).
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::{ByteView, ViewOwner, ViewStorage};
    ///
    /// struct Owner(Vec<u8>);
    /// impl ViewOwner for Owner {
    ///     fn bytes(&self) -> &[u8] { &self.0 }
    /// }
    ///
    /// let storage = ViewStorage::new(Owner(b"frozen".to_vec()));
    /// let v = ByteView::from_storage(storage);
    /// assert_eq!(v, b"frozen"[..]);
    /// ```
    pub fn from_storage<O: ViewOwner>(storage: ViewStorage<O>) -> Self {
        let header = storage.into_header();
        // Built first so that a panicking `bytes()` still releases the block.
        let mut view = ByteView {
            ptr: ptr::NonNull::<u8>::dangling().as_ptr(),
            len: 0,
            header,
        };
        // SAFETY: `header` was just made from a `ViewStorage<O>`, and `view` keeps it alive.
        let (p, len) = unsafe { owner_bytes::<O>(header) };
        view.ptr = p;
        view.len = len;
        view
    }

    /// Whether this is the only view of its storage (`'static` views never are).
    ///
    /// # Examples
    ///
    /// ```
    /// let v = larder_view::ByteView::from(vec![1, 2, 3]);
    /// assert!(v.is_unique());
    /// let w = v.slice(1..);
    /// assert!(!v.is_unique());
    /// drop(w);
    /// assert!(v.is_unique());
    /// ```
    pub fn is_unique(&self) -> bool {
        if self.header.is_null() {
            return false;
        }
        // SAFETY: this view holds a reference, so the header is alive.
        unsafe { Header::is_unique(self.header) }
    }

    /// One more view of the same storage with other bounds.
    #[inline]
    fn share(&self, ptr: *const u8, len: usize) -> Self {
        if !self.header.is_null() {
            // SAFETY: this view holds a reference, so the header is alive.
            unsafe { Header::retain(self.header) };
        }
        ByteView {
            ptr,
            len,
            header: self.header,
        }
    }
}

view_common!(ByteView);

impl Clone for ByteView {
    /// One relaxed atomic increment (none for `'static` bytes).
    #[inline]
    fn clone(&self) -> Self {
        self.share(self.ptr, self.len)
    }
}

impl Drop for ByteView {
    /// One release decrement; the last view also releases (frees or reclaims) the storage.
    #[inline]
    fn drop(&mut self) {
        if !self.header.is_null() {
            // SAFETY: this view gives up the reference it holds.
            unsafe { Header::release(self.header) }
        }
    }
}
