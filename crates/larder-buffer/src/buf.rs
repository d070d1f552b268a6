//! [`PooledBuf`]: a byte buffer on loan from a [`BufferPool`].

use core::fmt;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::ops::{Deref, DerefMut};

use larder_object::Boxed;
use larder_view::{ByteView, ViewStorage};

use crate::pool::{Chunk, LARGE};
use crate::{BufferError, BufferPool};

/// A buffer's storage: a class chunk (goes back to its class on drop) or, for a request
/// above the largest class, a chunk of class [`LARGE`] from the heap (freed on drop). One
/// pointer either way, so a `PooledBuf` is two words and moves in registers.
type Storage = ViewStorage<Chunk>;

/// A byte buffer from a [`BufferPool`] that behaves like a `Vec<u8>` and goes back to its
/// size class when dropped, on whatever thread that happens.
///
/// Only the initialised bytes (`..len()`) are reachable through `Deref`; the spare capacity
/// is reachable as `MaybeUninit<u8>` through [`spare_capacity_mut`](Self::spare_capacity_mut).
/// Growing past the capacity moves the contents to a buffer of a larger class (one copy, as
/// `Vec` does when it reallocates) and returns the old buffer to its class.
///
/// # Examples
///
/// ```
/// use std::io::Write;
///
/// let pool = larder_buffer::BufferPool::new();
/// let mut buf = pool.get(16);
/// write!(buf, "{}-{}", "id", 42)?;
/// buf.extend_from_slice(b"!");
/// assert_eq!(&buf[..], b"id-42!");
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct PooledBuf<'a> {
    /// Always initialised; `ManuallyDrop` so that `Drop` and `into_parts` can move it out
    /// without leaving a placeholder behind.
    storage: ManuallyDrop<Storage>,
    pool: &'a BufferPool,
}

impl<'a> PooledBuf<'a> {
    #[inline(always)]
    pub(crate) fn new(pool: &'a BufferPool, storage: Storage) -> Self {
        PooledBuf {
            storage: ManuallyDrop::new(storage),
            pool,
        }
    }

    /// Takes the storage out without running `Drop` (which would give it back).
    #[inline(always)]
    fn into_parts(self) -> (&'a BufferPool, Storage) {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped or used again, so the storage is moved out once
        // and nothing reads the emptied field.
        let storage = unsafe { ManuallyDrop::take(&mut this.storage) };
        (this.pool, storage)
    }

    #[inline]
    fn vec(&self) -> &Vec<u8> {
        &self.storage.buf
    }

    #[inline]
    fn vec_mut(&mut self) -> &mut Vec<u8> {
        &mut self.storage.get_mut().buf
    }

    /// Bytes written.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(8);
    /// b.push(1);
    /// assert_eq!(b.len(), 1);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.vec().len()
    }

    /// Whether nothing is written.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_buffer::BufferPool::new().get(8).is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.vec().is_empty()
    }

    /// Bytes that fit without moving to a larger class.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_buffer::BufferPool::new().get(1000).capacity(), 1024);
    /// ```
    #[inline]
    pub fn capacity(&self) -> usize {
        self.vec().capacity()
    }

    /// Whether the buffer belongs to a size class (`false` for a large request served from
    /// the heap).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_buffer::BufferPool::new().get(1).is_pooled());
    /// ```
    pub fn is_pooled(&self) -> bool {
        self.storage.class != LARGE
    }

    /// Makes room for at least `additional` more bytes, moving to a larger class if needed.
    ///
    /// # Panics
    ///
    /// As [`try_reserve`](Self::try_reserve) errors.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(64);
    /// b.extend_from_slice(b"abc");
    /// b.reserve(1000);
    /// assert_eq!(b.capacity(), 1024);
    /// assert_eq!(&b[..], b"abc");
    /// ```
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        if let Err(e) = self.try_reserve(additional) {
            panic!("{e}");
        }
    }

    /// Makes room for at least `additional` more bytes, or says why it cannot.
    ///
    /// Growth takes a buffer of the class that holds `max(len + additional, 2 × capacity)`
    /// (or the largest class that holds `len + additional`), copies the contents, and gives
    /// the old buffer back.
    ///
    /// # Errors
    ///
    /// [`BufferError::CapacityOverflow`] if `len + additional` overflows, and
    /// [`BufferError::TooLarge`] if it is above the largest class and the pool refuses large
    /// requests. The buffer is unchanged then.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_buffer::{BufferError, BufferPool, LargeRequests};
    /// let pool = BufferPool::builder().large_requests(LargeRequests::Refuse).build()?;
    /// let mut b = pool.get(10);
    /// assert!(matches!(b.try_reserve(usize::MAX), Err(BufferError::CapacityOverflow)));
    /// assert!(matches!(b.try_reserve(1 << 30), Err(BufferError::TooLarge { .. })));
    /// assert!(b.try_reserve(100).is_ok());
    /// # Ok::<(), larder_core::ConfigError>(())
    /// ```
    #[inline]
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), BufferError> {
        let len = self.len();
        if self.capacity() - len >= additional {
            return Ok(());
        }
        let needed = len
            .checked_add(additional)
            .filter(|&n| n <= isize::MAX as usize)
            .ok_or(BufferError::CapacityOverflow)?;
        self.grow(needed)
    }

    #[cold]
    fn grow(&mut self, needed: usize) -> Result<(), BufferError> {
        let doubled = self.capacity().saturating_mul(2).max(needed);
        let pool = self.pool;
        let sizes = &pool.inner.sizes;
        let target = sizes.class_for(doubled).or_else(|| sizes.class_for(needed));
        let mut next = match target {
            Some(class) => pool.take_chunk(class),
            None => pool
                .large(doubled.max(needed))
                .or_else(|_| pool.large(needed))?,
        };
        next.get_mut().buf.extend_from_slice(self.vec());
        let old = core::mem::replace(&mut *self.storage, next);
        pool.recycle(old);
        Ok(())
    }

    /// Appends `bytes`, growing if needed.
    ///
    /// # Panics
    ///
    /// As [`reserve`](Self::reserve).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(0);
    /// b.extend_from_slice(&[7; 100]);
    /// assert_eq!(b.len(), 100);
    /// assert_eq!(b.capacity(), 128);
    /// ```
    #[inline]
    pub fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        self.vec_mut().extend_from_slice(bytes);
    }

    /// Appends one byte.
    ///
    /// # Panics
    ///
    /// As [`reserve`](Self::reserve).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(1);
    /// b.push(b'x');
    /// assert_eq!(&b[..], b"x");
    /// ```
    #[inline]
    pub fn push(&mut self, byte: u8) {
        self.reserve(1);
        self.vec_mut().push(byte);
    }

    /// Sets the length to `new_len`, filling new bytes with `value`.
    ///
    /// # Panics
    ///
    /// As [`reserve`](Self::reserve).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(4);
    /// b.resize(3, 9);
    /// assert_eq!(&b[..], &[9, 9, 9]);
    /// b.resize(1, 0);
    /// assert_eq!(&b[..], &[9]);
    /// ```
    pub fn resize(&mut self, new_len: usize, value: u8) {
        if let Some(more) = new_len.checked_sub(self.len()) {
            self.reserve(more);
        }
        self.vec_mut().resize(new_len, value);
    }

    /// Shortens to `len` bytes (no effect if already shorter).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(4);
    /// b.extend_from_slice(b"abcd");
    /// b.truncate(2);
    /// assert_eq!(&b[..], b"ab");
    /// ```
    pub fn truncate(&mut self, len: usize) {
        self.vec_mut().truncate(len);
    }

    /// Removes every byte; the capacity stays.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(4);
    /// b.push(1);
    /// b.clear();
    /// assert!(b.is_empty() && b.capacity() == 64);
    /// ```
    pub fn clear(&mut self) {
        self.vec_mut().clear();
    }

    /// The unwritten capacity, to read into; follow with [`set_len`](Self::set_len).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(8);
    /// let spare = b.spare_capacity_mut();
    /// spare[0].write(1);
    /// spare[1].write(2);
    /// // SAFETY: the first two bytes were just written.
    /// unsafe { b.set_len(2) };
    /// assert_eq!(&b[..], &[1, 2]);
    /// ```
    pub fn spare_capacity_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        self.vec_mut().spare_capacity_mut()
    }

    /// Sets the length without writing anything; the safe alternatives are
    /// [`resize`](Self::resize), [`truncate`](Self::truncate) and
    /// [`extend_from_slice`](Self::extend_from_slice).
    ///
    /// # Safety
    ///
    /// `new_len <= capacity()`, and the bytes `len()..new_len` have been initialised (for
    /// example through [`spare_capacity_mut`](Self::spare_capacity_mut)).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(8);
    /// b.spare_capacity_mut()[0].write(5);
    /// // SAFETY: byte 0 is initialised and 1 <= capacity.
    /// unsafe { b.set_len(1) };
    /// assert_eq!(b[0], 5);
    /// ```
    pub unsafe fn set_len(&mut self, new_len: usize) {
        // SAFETY: the caller upholds Vec::set_len's contract, which is this method's.
        unsafe { self.vec_mut().set_len(new_len) }
    }

    /// Turns the buffer into an immutable, shareable [`ByteView`] without copying. For a
    /// class buffer this allocates nothing: the view refers to the pooled storage, and when
    /// its last clone is dropped, on any thread, the storage goes back to its class. A heap
    /// buffer (a large request) has its block from the start too: freezing it allocates
    /// nothing, and its last view frees it.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(64);
    /// b.extend_from_slice(b"GET /index.html");
    /// let view = b.freeze();
    /// let path = view.slice(4..);
    /// drop(view);
    /// assert_eq!(&path[..], b"/index.html");
    /// assert_eq!(pool.outstanding(), 1, "the slice still holds the storage");
    /// drop(path);
    /// assert_eq!(pool.outstanding(), 0);
    /// ```
    #[inline]
    pub fn freeze(self) -> ByteView {
        let (pool, mut storage) = self.into_parts();
        // Counted on this thread's stripe of the pool's lifeline until the last view is
        // dropped, unless the pool cannot close. A chunk above the largest class is
        // counted too, which spares the common path a test: the pool frees it when it
        // comes back.
        *storage.get_mut().stripe.get_mut() = pool.inner.lifeline.freeze(!pool.immortal);
        ByteView::from_storage(storage)
    }

    /// Converts into a `bytes::Bytes` without copying the data: [`freeze`](Self::freeze)
    /// followed by larder-view's conversion (which costs one allocation for the `Bytes`
    /// owner header). The storage still returns to its class when the last `Bytes` is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(8);
    /// b.extend_from_slice(b"abc");
    /// let bytes: bytes::Bytes = b.into_bytes();
    /// assert_eq!(&bytes[..], b"abc");
    /// ```
    #[cfg(feature = "bytes")]
    pub fn into_bytes(self) -> bytes::Bytes {
        self.freeze().into()
    }

    /// Takes the buffer out of the pool for good as a plain `Vec<u8>` (counted as detached).
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = larder_buffer::BufferPool::new();
    /// let mut b = pool.get(8);
    /// b.push(1);
    /// let v: Vec<u8> = b.into_vec();
    /// assert_eq!(v, [1]);
    /// assert_eq!(pool.stats().total.detached, 1);
    /// ```
    pub fn into_vec(self) -> Vec<u8> {
        #[allow(unused_mut)]
        let (pool, mut storage) = self.into_parts();
        // Detached, not leaked: it leaves the pool's books.
        #[cfg(feature = "leak-backtrace")]
        if let Some(token) = storage.get_mut().token.take() {
            pool.inner.leaks.untrack(token);
        }
        let storage = match storage.class_index() {
            None => storage,
            Some(class) => ViewStorage::from_block(
                pool.classes[class]
                    .detach_taken(Boxed::from_box(storage.into_block()))
                    .into_box(),
            ),
        };
        storage.into_owner().buf
    }
}

impl Drop for PooledBuf<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: this is the last use of `self.storage`: the field is not read after the
        // move, and `ManuallyDrop` keeps it from being dropped a second time.
        let storage = unsafe { ManuallyDrop::take(&mut self.storage) };
        self.pool.recycle(storage);
    }
}

impl Deref for PooledBuf<'_> {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.vec()
    }
}

impl DerefMut for PooledBuf<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [u8] {
        self.vec_mut()
    }
}

impl AsRef<[u8]> for PooledBuf<'_> {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl AsMut<[u8]> for PooledBuf<'_> {
    fn as_mut(&mut self) -> &mut [u8] {
        self
    }
}

impl fmt::Debug for PooledBuf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PooledBuf")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .field("pooled", &self.is_pooled())
            .finish()
    }
}

impl Extend<u8> for PooledBuf<'_> {
    fn extend<I: IntoIterator<Item = u8>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for b in iter {
            self.push(b);
        }
    }
}

impl<'b> Extend<&'b u8> for PooledBuf<'_> {
    fn extend<I: IntoIterator<Item = &'b u8>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}

impl std::io::Write for PooledBuf<'_> {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.try_reserve(buf.len())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::OutOfMemory, e))?;
        self.vec_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// SAFETY: `chunk_mut` hands out the spare capacity, which is exactly `remaining_mut()`
// bytes long (after reserving), and `advance_mut` only moves the length over bytes the
// caller promises to have initialised, never past the capacity (checked).
#[cfg(feature = "bytes")]
unsafe impl bytes::BufMut for PooledBuf<'_> {
    fn remaining_mut(&self) -> usize {
        isize::MAX as usize - self.len()
    }

    unsafe fn advance_mut(&mut self, cnt: usize) {
        let len = self.len();
        assert!(
            cnt <= self.capacity() - len,
            "advance_mut({cnt}) past the capacity ({} spare)",
            self.capacity() - len
        );
        // SAFETY: the caller initialised `cnt` bytes of the spare capacity (BufMut's
        // contract) and the assert above keeps the new length within the capacity.
        unsafe { self.set_len(len + cnt) };
    }

    fn chunk_mut(&mut self) -> &mut bytes::buf::UninitSlice {
        if self.capacity() == self.len() {
            self.reserve(64);
        }
        bytes::buf::UninitSlice::uninit(self.spare_capacity_mut())
    }

    fn put_slice(&mut self, src: &[u8]) {
        self.extend_from_slice(src);
    }
}
