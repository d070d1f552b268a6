//! [`ViewChain`]: an ordered list of views, written out with one vectored write.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::ByteView;
use crate::common::{RangeError, check_index, range_panic};

/// An ordered list of [`ByteView`]s read or written as one sequence of bytes, without
/// copying them together.
///
/// A `VecDeque` of views plus the total length: pushing a view moves it in (the deque may
/// grow), consuming bytes from the front drops finished views. With `std`,
/// [`write_to`](ViewChain::write_to) hands up to [`MAX_IO_SLICES`](ViewChain::MAX_IO_SLICES)
/// views to one `write_vectored` call, and with `bytes` the chain is a `bytes::Buf` whose
/// `chunks_vectored` fills `IoSlice`s the same way. Empty views are not kept.
///
/// # Examples
///
/// ```
/// use larder_view::{ByteView, ViewChain};
///
/// let body = ByteView::from(b"{\"ok\":true}".to_vec());
/// let mut chain = ViewChain::new();
/// chain.push(ByteView::from_static(b"HTTP/1.1 200 OK\r\n\r\n"));
/// chain.push(body.clone());
/// assert_eq!(chain.len(), 19 + body.len());
///
/// # #[cfg(feature = "std")] {
/// let mut out = Vec::new();
/// chain.write_all_to(&mut out)?;
/// assert!(out.ends_with(b"{\"ok\":true}"));
/// assert!(chain.is_empty());
/// # }
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ViewChain {
    views: VecDeque<ByteView>,
    len: usize,
}

impl ViewChain {
    /// How many `IoSlice`s one [`write_to`](Self::write_to) passes at most (they live on the
    /// stack).
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::{ByteView, ViewChain};
    /// use std::io::{IoSlice, Write};
    ///
    /// /// Takes everything it is given and records how many slices came in one call.
    /// struct Counting(usize);
    /// impl Write for Counting {
    ///     fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> { Ok(buf.len()) }
    ///     fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> std::io::Result<usize> {
    ///         self.0 = bufs.len();
    ///         Ok(bufs.iter().map(|b| b.len()).sum())
    ///     }
    ///     fn flush(&mut self) -> std::io::Result<()> { Ok(()) }
    /// }
    ///
    /// let mut chain: ViewChain = (0..100).map(|_| ByteView::from_static(b"x")).collect();
    /// let mut w = Counting(0);
    /// assert_eq!(chain.write_to(&mut w)?, ViewChain::MAX_IO_SLICES);
    /// assert_eq!(w.0, ViewChain::MAX_IO_SLICES);
    /// assert_eq!(chain.len(), 100 - ViewChain::MAX_IO_SLICES);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub const MAX_IO_SLICES: usize = 64;

    /// An empty chain (no allocation).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_view::ViewChain::new().is_empty());
    /// ```
    pub const fn new() -> Self {
        ViewChain {
            views: VecDeque::new(),
            len: 0,
        }
    }

    /// An empty chain with room for `views` views.
    ///
    /// # Examples
    ///
    /// ```
    /// let chain = larder_view::ViewChain::with_capacity(8);
    /// assert_eq!(chain.view_count(), 0);
    /// ```
    pub fn with_capacity(views: usize) -> Self {
        ViewChain {
            views: VecDeque::with_capacity(views),
            len: 0,
        }
    }

    /// Total bytes in the chain.
    ///
    /// # Examples
    ///
    /// ```
    /// let chain: larder_view::ViewChain = [b"ab".as_slice(), b"c"].into_iter().map(Into::into).collect();
    /// assert_eq!(chain.len(), 3);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the chain holds no bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain = larder_view::ViewChain::new();
    /// chain.push(larder_view::ByteView::new());
    /// assert!(chain.is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many (non-empty) views the chain holds.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain = larder_view::ViewChain::new();
    /// chain.push("a".into());
    /// chain.push("b".into());
    /// assert_eq!(chain.view_count(), 2);
    /// ```
    #[inline]
    pub fn view_count(&self) -> usize {
        self.views.len()
    }

    /// Appends a view (an empty one is dropped).
    ///
    /// # Panics
    ///
    /// If the total length would overflow `usize` (it cannot, for views of real memory).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain = larder_view::ViewChain::new();
    /// chain.push("tail".into());
    /// assert_eq!(chain.len(), 4);
    /// ```
    pub fn push(&mut self, view: ByteView) {
        if !view.is_empty() {
            self.len = self
                .len
                .checked_add(view.len())
                .expect("chain length overflow");
            self.views.push_back(view);
        }
    }

    /// Prepends a view (an empty one is dropped).
    ///
    /// # Panics
    ///
    /// If the total length would overflow `usize`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain = larder_view::ViewChain::new();
    /// chain.push("body".into());
    /// chain.push_front("head ".into());
    /// assert_eq!(chain.to_vec(), b"head body");
    /// ```
    pub fn push_front(&mut self, view: ByteView) {
        if !view.is_empty() {
            self.len = self
                .len
                .checked_add(view.len())
                .expect("chain length overflow");
            self.views.push_front(view);
        }
    }

    /// Removes and returns the first view.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain = larder_view::ViewChain::new();
    /// chain.push("a".into());
    /// assert_eq!(chain.pop_front().unwrap(), b"a"[..]);
    /// assert!(chain.pop_front().is_none());
    /// ```
    pub fn pop_front(&mut self) -> Option<ByteView> {
        let v = self.views.pop_front()?;
        self.len -= v.len();
        Some(v)
    }

    /// The views, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// let chain: larder_view::ViewChain = ["a", "bc"].into_iter().map(Into::into).collect();
    /// let lens: Vec<usize> = chain.views().map(|v| v.len()).collect();
    /// assert_eq!(lens, [1, 2]);
    /// ```
    pub fn views(&self) -> impl ExactSizeIterator<Item = &ByteView> + '_ {
        self.views.iter()
    }

    /// Drops every view.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain: larder_view::ViewChain = ["a"].into_iter().map(Into::into).collect();
    /// chain.clear();
    /// assert!(chain.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.views.clear();
        self.len = 0;
    }

    /// Consumes `n` bytes from the front, dropping the views that are used up.
    ///
    /// # Errors
    ///
    /// [`RangeError::OutOfBounds`] if `n > len`; nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain: larder_view::ViewChain = ["ab", "cd"].into_iter().map(Into::into).collect();
    /// chain.try_advance(3).unwrap();
    /// assert_eq!(chain.to_vec(), b"d");
    /// assert!(chain.try_advance(2).is_err());
    /// ```
    pub fn try_advance(&mut self, mut n: usize) -> Result<(), RangeError> {
        check_index(n, self.len)?;
        self.len -= n;
        while n > 0 {
            let front = self.views.front_mut().expect("len counts the views' bytes");
            if n < front.len() {
                front.advance(n);
                return Ok(());
            }
            n -= front.len();
            self.views.pop_front();
        }
        Ok(())
    }

    /// Consumes `n` bytes from the front.
    ///
    /// # Panics
    ///
    /// If `n > len`; [`try_advance`](Self::try_advance) returns an error instead.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain: larder_view::ViewChain = ["ab", "cd"].into_iter().map(Into::into).collect();
    /// chain.advance(1);
    /// assert_eq!(chain.len(), 3);
    /// ```
    #[track_caller]
    pub fn advance(&mut self, n: usize) {
        if let Err(e) = self.try_advance(n) {
            range_panic(e)
        }
    }

    /// Copies all bytes into one `Vec`.
    ///
    /// # Examples
    ///
    /// ```
    /// let chain: larder_view::ViewChain = ["a", "b"].into_iter().map(Into::into).collect();
    /// assert_eq!(chain.to_vec(), b"ab");
    /// ```
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        for v in &self.views {
            out.extend_from_slice(v);
        }
        out
    }

    /// Fills `dst` with the views' bytes as `IoSlice`s, in order; returns how many were
    /// filled (fewer than the views if `dst` is shorter).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::IoSlice;
    /// let chain: larder_view::ViewChain = ["a", "b", "c"].into_iter().map(Into::into).collect();
    /// let mut slices = [IoSlice::new(&[]); 2];
    /// assert_eq!(chain.io_slices(&mut slices), 2);
    /// assert_eq!(&*slices[1], b"b");
    /// ```
    #[cfg(feature = "std")]
    pub fn io_slices<'a>(&'a self, dst: &mut [std::io::IoSlice<'a>]) -> usize {
        let mut n = 0;
        for (slot, view) in dst.iter_mut().zip(&self.views) {
            *slot = std::io::IoSlice::new(view);
            n += 1;
        }
        n
    }

    /// One `write_vectored` call with the first views (up to
    /// [`MAX_IO_SLICES`](Self::MAX_IO_SLICES)); the bytes written are consumed. Returns how
    /// many were written (0 only if the chain is empty or the writer wrote nothing).
    ///
    /// # Errors
    ///
    /// The writer's error; nothing is consumed then.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain: larder_view::ViewChain = ["ab", "cd"].into_iter().map(Into::into).collect();
    /// let mut out = Vec::new();
    /// let n = chain.write_to(&mut out)?;
    /// assert_eq!(out[..n], b"abcd"[..n]);
    /// assert_eq!(chain.len(), 4 - n);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn write_to<W: std::io::Write + ?Sized>(&mut self, w: &mut W) -> std::io::Result<usize> {
        if self.is_empty() {
            return Ok(0);
        }
        let mut slices = [std::io::IoSlice::new(&[]); Self::MAX_IO_SLICES];
        let filled = self.io_slices(&mut slices);
        let n = w.write_vectored(&slices[..filled])?;
        // A writer that reports more than it was given is broken; do not trust it.
        let n = n.min(self.len);
        self.advance(n);
        Ok(n)
    }

    /// Writes the whole chain with repeated [`write_to`](Self::write_to) calls, consuming it.
    ///
    /// # Errors
    ///
    /// The writer's error (`Interrupted` is retried), or `WriteZero` if it stops accepting
    /// bytes; what was written before is consumed.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut chain: larder_view::ViewChain = ["ab", "cd"].into_iter().map(Into::into).collect();
    /// let mut out = Vec::new();
    /// chain.write_all_to(&mut out)?;
    /// assert_eq!(out, b"abcd");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn write_all_to<W: std::io::Write + ?Sized>(&mut self, w: &mut W) -> std::io::Result<()> {
        while !self.is_empty() {
            match self.write_to(w) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl core::fmt::Debug for ViewChain {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(&self.views).finish()
    }
}

impl Extend<ByteView> for ViewChain {
    fn extend<I: IntoIterator<Item = ByteView>>(&mut self, iter: I) {
        for v in iter {
            self.push(v);
        }
    }
}

impl FromIterator<ByteView> for ViewChain {
    fn from_iter<I: IntoIterator<Item = ByteView>>(iter: I) -> Self {
        let mut chain = ViewChain::new();
        chain.extend(iter);
        chain
    }
}
