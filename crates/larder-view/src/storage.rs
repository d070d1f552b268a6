//! The shared block behind a [`ByteView`](crate::ByteView): [`ViewOwner`], [`ViewStorage`]
//! and the reference-count header every view points to.

use alloc::boxed::Box;
use core::fmt;
use core::ops::{Deref, DerefMut};

use larder_core::sync::atomic::{AtomicUsize, Ordering, fence};

/// Something that owns bytes a [`ByteView`](crate::ByteView) can share.
///
/// An owner is moved into a [`ViewStorage`] (one heap block that also holds the reference
/// count). [`ByteView::from_storage`](crate::ByteView::from_storage) then shares the bytes
/// that [`bytes`](ViewOwner::bytes) returns *at that moment*; `bytes` is called once per
/// freeze, and the owner is never touched mutably while a view of it exists, so the slice
/// stays valid for as long as any view does.
///
/// When the last view is dropped, on whatever thread that happens,
/// [`reclaim`](ViewOwner::reclaim) is called exactly once with the storage, its reference
/// count reset so that it can be frozen again. The default drops the storage (and frees the
/// block); a pool overrides it to take the block back and reuse it, allocating nothing.
/// `reclaim` has no `self`: whatever it needs to find its pool (a `Weak` or `Arc` handle, a
/// size-class index) lives in the owner, reachable through the storage it is given.
///
/// For plain owners (`Vec<u8>`, `String`, `bytes::Bytes`, a memory map, …) there is no need to
/// implement this trait: [`ByteView::from_owner`](crate::ByteView::from_owner) accepts any
/// `AsRef<[u8]> + Send + Sync + 'static`.
///
/// # Examples
///
/// A pool that gets its blocks back:
///
/// ```
/// use std::sync::Mutex;
/// use larder_view::{ByteView, ViewOwner, ViewStorage};
///
/// static SPARE: Mutex<Vec<ViewStorage<Buf>>> = Mutex::new(Vec::new());
///
/// struct Buf(Vec<u8>);
///
/// impl ViewOwner for Buf {
///     fn bytes(&self) -> &[u8] {
///         &self.0
///     }
///     fn reclaim(storage: ViewStorage<Self>) {
///         SPARE.lock().unwrap().push(storage);
///     }
/// }
///
/// let mut storage = ViewStorage::new(Buf(Vec::with_capacity(64)));
/// storage.0.extend_from_slice(b"hello");
/// let view = ByteView::from_storage(storage); // no allocation
/// let hello = view.clone();
/// drop(view);
/// assert_eq!(hello, b"hello"[..]);
/// drop(hello); // the last view: `reclaim` puts the block back
///
/// let mut again = SPARE.lock().unwrap().pop().unwrap();
/// again.0.clear();
/// again.0.extend_from_slice(b"world");
/// assert_eq!(ByteView::from_storage(again), b"world"[..]);
/// ```
///
/// The trait requires `Send + Sync`, because views of the bytes go to other threads; an owner
/// that is not `Sync` cannot implement it:
///
/// ```compile_fail
/// use std::cell::Cell;
/// struct NotSync(Vec<u8>, Cell<u8>);
/// impl larder_view::ViewOwner for NotSync {
///     fn bytes(&self) -> &[u8] { &self.0 }
/// }
/// ```
pub trait ViewOwner: Send + Sync + 'static {
    /// The bytes to share. Called once each time the storage is frozen into a view.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::ViewOwner;
    /// struct Fixed([u8; 4]);
    /// impl ViewOwner for Fixed {
    ///     fn bytes(&self) -> &[u8] { &self.0 }
    /// }
    /// assert_eq!(Fixed(*b"abcd").bytes(), b"abcd");
    /// ```
    fn bytes(&self) -> &[u8];

    /// Called exactly once, with the storage, when the last view of it is dropped.
    ///
    /// The storage is unshared again (its reference count reset), so it may be mutated and
    /// frozen again. The default drops it. This runs inside `Drop` of a view, on the thread
    /// that dropped the last view: keep it short and do not panic.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use larder_view::{ByteView, ViewOwner, ViewStorage};
    ///
    /// static RECLAIMED: AtomicUsize = AtomicUsize::new(0);
    /// struct Counted(Vec<u8>);
    /// impl ViewOwner for Counted {
    ///     fn bytes(&self) -> &[u8] { &self.0 }
    ///     fn reclaim(storage: ViewStorage<Self>) {
    ///         RECLAIMED.fetch_add(1, Ordering::Relaxed);
    ///         drop(storage);
    ///     }
    /// }
    ///
    /// let v = ByteView::from_storage(ViewStorage::new(Counted(vec![1, 2, 3])));
    /// let parts = (v.slice(..1), v.slice(1..));
    /// drop(v);
    /// drop(parts);
    /// assert_eq!(RECLAIMED.load(Ordering::Relaxed), 1);
    /// ```
    fn reclaim(storage: ViewStorage<Self>)
    where
        Self: Sized,
    {
        drop(storage)
    }
}

/// The header at the start of every shared block: the reference count and how to release
/// the block. A [`ByteView`](crate::ByteView) holds a pointer to it.
#[repr(C)]
pub(crate) struct Header {
    /// Views alive (1 while the storage is unshared).
    refs: AtomicUsize,
    /// Called once the count reaches zero, with the header's address.
    release: unsafe fn(*const Header),
}

/// The contents of the single heap block of a [`ViewStorage`]: the reference-count header,
/// then the owner.
///
/// A `Box<ViewBlock<O>>` *is* an unshared storage: [`ViewStorage::from_block`] and
/// [`ViewStorage::into_block`] convert between the two without allocating or copying. This
/// lets code that keeps boxed objects (an object pool, say) keep storages among them. The
/// header is private, and every `ViewBlock` outside a view has a count of one, so a boxed
/// block is always ready to be frozen.
///
/// # Examples
///
/// ```
/// use larder_view::{ByteView, ViewBlock, ViewStorage};
///
/// # struct Owner(Vec<u8>);
/// # impl larder_view::ViewOwner for Owner { fn bytes(&self) -> &[u8] { &self.0 } }
/// let mut block = Box::new(ViewBlock::new(Owner(Vec::new())));
/// block.0.extend_from_slice(b"abc"); // derefs to the owner
/// let view = ByteView::from_storage(ViewStorage::from_block(block));
/// assert_eq!(&view[..], b"abc");
/// ```
// Header first (`repr(C)`), so a `*const ViewBlock<O>` is a valid `*const Header`.
#[repr(C)]
pub struct ViewBlock<O: ViewOwner> {
    header: Header,
    owner: O,
}

impl<O: ViewOwner> ViewBlock<O> {
    /// A block holding `owner`, unshared (put it in a `Box` to make it a storage).
    ///
    /// # Examples
    ///
    /// ```
    /// # struct Owner(Vec<u8>);
    /// # impl larder_view::ViewOwner for Owner { fn bytes(&self) -> &[u8] { &self.0 } }
    /// let block = larder_view::ViewBlock::new(Owner(vec![7]));
    /// assert_eq!(block.0, [7]);
    /// ```
    pub fn new(owner: O) -> Self {
        ViewBlock {
            header: Header {
                refs: AtomicUsize::new(1),
                release: release_storage::<O>,
            },
            owner,
        }
    }
}

impl<O: ViewOwner> Deref for ViewBlock<O> {
    type Target = O;

    fn deref(&self) -> &O {
        &self.owner
    }
}

impl<O: ViewOwner> DerefMut for ViewBlock<O> {
    fn deref_mut(&mut self) -> &mut O {
        &mut self.owner
    }
}

impl<O: ViewOwner + fmt::Debug> fmt::Debug for ViewBlock<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ViewBlock").field(&self.owner).finish()
    }
}

/// One heap block holding a [`ViewOwner`] and the reference count of the views that will
/// share it.
///
/// [`ViewStorage::new`] allocates the block once. While you hold a `ViewStorage` it is not
/// shared, so it gives `&mut O` ([`DerefMut`], [`get_mut`](ViewStorage::get_mut)) and the
/// owner's bytes can be rewritten. [`ByteView::from_storage`](crate::ByteView::from_storage)
/// moves it into a view without allocating; when the last view is dropped the storage comes
/// back through [`ViewOwner::reclaim`], ready to be frozen again. A pool can so reuse one
/// block forever.
///
/// # Examples
///
/// ```
/// use larder_view::{ByteView, ViewStorage};
///
/// # struct Owner(Vec<u8>);
/// # impl larder_view::ViewOwner for Owner { fn bytes(&self) -> &[u8] { &self.0 } }
/// let mut storage = ViewStorage::new(Owner(Vec::new()));
/// storage.0.extend_from_slice(b"abc");
/// let view = ByteView::from_storage(storage);
/// assert_eq!(&view[..], b"abc");
/// ```
pub struct ViewStorage<O: ViewOwner> {
    block: Box<ViewBlock<O>>,
}

impl<O: ViewOwner> ViewStorage<O> {
    /// Moves `owner` into a new block (one allocation).
    ///
    /// # Examples
    ///
    /// ```
    /// # struct Owner(Vec<u8>);
    /// # impl larder_view::ViewOwner for Owner { fn bytes(&self) -> &[u8] { &self.0 } }
    /// let storage = larder_view::ViewStorage::new(Owner(vec![7]));
    /// assert_eq!(storage.0, [7]);
    /// ```
    pub fn new(owner: O) -> Self {
        Self::from_block(Box::new(ViewBlock::new(owner)))
    }

    /// The storage that is this boxed block (no allocation, no copy).
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::{ViewBlock, ViewStorage};
    /// # struct Owner(Vec<u8>);
    /// # impl larder_view::ViewOwner for Owner { fn bytes(&self) -> &[u8] { &self.0 } }
    /// let storage = ViewStorage::from_block(Box::new(ViewBlock::new(Owner(vec![1]))));
    /// assert_eq!(storage.0, [1]);
    /// ```
    pub fn from_block(block: Box<ViewBlock<O>>) -> Self {
        // Every block outside a view is unshared (count one): `ViewBlock::new` starts it
        // there and a view's last release resets it before the storage is handed back.
        debug_assert_eq!(block.header.refs.load(Ordering::Relaxed), 1);
        ViewStorage { block }
    }

    /// The boxed block this storage is (no allocation, no copy).
    ///
    /// # Examples
    ///
    /// ```
    /// # struct Owner(Vec<u8>);
    /// # impl larder_view::ViewOwner for Owner { fn bytes(&self) -> &[u8] { &self.0 } }
    /// let block = larder_view::ViewStorage::new(Owner(vec![2])).into_block();
    /// assert_eq!(block.0, [2]);
    /// ```
    pub fn into_block(self) -> Box<ViewBlock<O>> {
        self.block
    }

    /// The owner, mutably (the storage is never shared while you hold it).
    ///
    /// # Examples
    ///
    /// ```
    /// # struct Owner(Vec<u8>);
    /// # impl larder_view::ViewOwner for Owner { fn bytes(&self) -> &[u8] { &self.0 } }
    /// let mut storage = larder_view::ViewStorage::new(Owner(vec![]));
    /// storage.get_mut().0.push(1);
    /// assert_eq!(storage.0, [1]);
    /// ```
    pub fn get_mut(&mut self) -> &mut O {
        &mut self.block.owner
    }

    /// Frees the block and returns the owner.
    ///
    /// # Examples
    ///
    /// ```
    /// # struct Owner(Vec<u8>);
    /// # impl larder_view::ViewOwner for Owner { fn bytes(&self) -> &[u8] { &self.0 } }
    /// let storage = larder_view::ViewStorage::new(Owner(vec![1, 2]));
    /// assert_eq!(storage.into_owner().0, [1, 2]);
    /// ```
    pub fn into_owner(self) -> O {
        self.block.owner
    }

    /// Gives the block away as a header pointer with a reference count of one.
    pub(crate) fn into_header(self) -> *const Header {
        Box::into_raw(self.block).cast::<Header>().cast_const()
    }
}

impl<O: ViewOwner> Deref for ViewStorage<O> {
    type Target = O;

    fn deref(&self) -> &O {
        &self.block.owner
    }
}

impl<O: ViewOwner> DerefMut for ViewStorage<O> {
    fn deref_mut(&mut self) -> &mut O {
        &mut self.block.owner
    }
}

impl<O: ViewOwner + fmt::Debug> fmt::Debug for ViewStorage<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ViewStorage")
            .field(&self.block.owner)
            .finish()
    }
}

/// The bytes of the owner in a block given away by [`ViewStorage::into_header`].
///
/// # Safety
///
/// `header` came from `ViewStorage::<O>::into_header` with this `O` and the block is alive.
pub(crate) unsafe fn owner_bytes<O: ViewOwner>(header: *const Header) -> (*const u8, usize) {
    let block = header.cast::<ViewBlock<O>>();
    // SAFETY: the caller guarantees `header` is the start of a live `ViewBlock<O>` (the header is
    // its first field, `repr(C)`); nothing holds `&mut` to the owner while the block is
    // shared, so a shared reference is fine.
    let owner = unsafe { &(*block).owner };
    let bytes = owner.bytes();
    (bytes.as_ptr(), bytes.len())
}

/// `Header::release` of a `ViewBlock<O>`: hands the storage to `O::reclaim`.
///
/// # Safety
///
/// `header` came from `ViewStorage::<O>::into_header`, every reference counted in it is
/// gone (the caller was the last holder and synchronised with all previous ones), and its
/// count reads 1 again, as a storage outside views does.
unsafe fn release_storage<O: ViewOwner>(header: *const Header) {
    let block = header.cast::<ViewBlock<O>>().cast_mut();
    // SAFETY: the block was leaked by `Box::into_raw` in `into_header` and no other reference
    // to it exists any more, so rebuilding the box gives back sole ownership.
    let block = unsafe { Box::from_raw(block) };
    O::reclaim(ViewStorage { block });
}

impl Header {
    /// Counts one more reference.
    ///
    /// # Safety
    ///
    /// `header` points to a live header on which the caller holds a reference.
    #[inline]
    pub(crate) unsafe fn retain(header: *const Header) {
        // SAFETY: the caller holds a reference, so the header is alive.
        let old = unsafe { (*header).refs.fetch_add(1, Ordering::Relaxed) };
        // A count this high can only come from leaked views; stop before it can wrap.
        if old > isize::MAX as usize {
            refcount_overflow();
        }
    }

    /// Drops one reference; the last one releases the block.
    ///
    /// # Safety
    ///
    /// `header` points to a live header and the caller gives up one counted reference.
    #[inline]
    pub(crate) unsafe fn release(header: *const Header) {
        // The sole holder skips the decrement: no other view exists to clone the storage
        // (a clone needs a view, and the caller gives up the only one), so nothing can
        // change the count any more. The acquire load pairs with the release decrements of
        // the views dropped before, as the fence below does.
        // SAFETY: the caller still holds its reference, so the header is alive here.
        if unsafe { (*header).refs.load(Ordering::Acquire) } != 1 {
            // SAFETY: as above.
            if unsafe { (*header).refs.fetch_sub(1, Ordering::Release) } != 1 {
                return;
            }
            // Pairs with the Release decrements of every other holder: their reads of the
            // bytes happen before the block is released or reused.
            fence(Ordering::Acquire);
            // Back to the count of a storage outside views (the sole holder's path above
            // never left it), ready to be frozen again.
            // SAFETY: as above.
            unsafe { (*header).refs.store(1, Ordering::Relaxed) };
        }
        // SAFETY: the count reached zero, or was 1 with the caller the only holder, so this
        // was the last reference; the header is still alive (only `release` frees it) and
        // the acquire load or fence made every other holder's use visible.
        unsafe { ((*header).release)(header) }
    }

    /// Whether `header` is the only reference (for `is_unique`).
    ///
    /// # Safety
    ///
    /// `header` points to a live header on which the caller holds a reference.
    #[inline]
    pub(crate) unsafe fn is_unique(header: *const Header) -> bool {
        // SAFETY: the caller holds a reference, so the header is alive.
        unsafe { (*header).refs.load(Ordering::Acquire) == 1 }
    }
}

#[cold]
#[inline(never)]
pub(crate) fn refcount_overflow() -> ! {
    #[cfg(feature = "std")]
    std::process::abort();
    #[cfg(not(feature = "std"))]
    panic!("larder-view: reference count overflow (views leaked with mem::forget?)");
}

/// The owner `ByteView::from_owner` wraps: any `AsRef<[u8]>`.
pub(crate) struct AsRefOwner<T>(pub(crate) T);

impl<T: AsRef<[u8]> + Send + Sync + 'static> ViewOwner for AsRefOwner<T> {
    #[inline]
    fn bytes(&self) -> &[u8] {
        self.0.as_ref()
    }
}
