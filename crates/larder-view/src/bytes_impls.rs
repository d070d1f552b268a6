//! `bytes` interop (feature `bytes`): `ByteView` ⇄ `bytes::Bytes` without copying, and
//! `bytes::Buf` for `ByteView`, `Reader` and `ViewChain`.

use bytes::{Buf, Bytes};

use crate::{ByteView, Reader, Source, ViewChain};

impl From<ByteView> for Bytes {
    /// Wraps the view with `Bytes::from_owner` (no copy of the data; one allocation for the
    /// `Bytes` header, none for an empty view).
    ///
    /// ```
    /// let view = larder_view::ByteView::from(vec![1, 2, 3]);
    /// let bytes = bytes::Bytes::from(view.slice(1..));
    /// assert_eq!(&bytes[..], &[2, 3]);
    /// ```
    fn from(view: ByteView) -> Bytes {
        if view.is_empty() {
            Bytes::new()
        } else {
            Bytes::from_owner(view)
        }
    }
}

impl From<Bytes> for ByteView {
    /// Keeps the `Bytes` as the view's owner (no copy of the data; one allocation, none for
    /// empty bytes).
    ///
    /// ```
    /// let bytes = bytes::Bytes::from_static(b"shared");
    /// let view = larder_view::ByteView::from(bytes.clone());
    /// assert_eq!(view.as_ptr(), bytes.as_ptr());
    /// ```
    fn from(bytes: Bytes) -> ByteView {
        if bytes.is_empty() {
            ByteView::new()
        } else {
            ByteView::from_owner(bytes)
        }
    }
}

impl Buf for ByteView {
    #[inline]
    fn remaining(&self) -> usize {
        self.len()
    }

    #[inline]
    fn chunk(&self) -> &[u8] {
        self
    }

    /// # Panics
    ///
    /// If `cnt > remaining()`, as the `Buf` contract allows.
    #[inline]
    #[track_caller]
    fn advance(&mut self, cnt: usize) {
        ByteView::advance(self, cnt)
    }

    /// Shares the storage instead of copying (`Bytes::from_owner` over the split-off view).
    #[track_caller]
    fn copy_to_bytes(&mut self, len: usize) -> Bytes {
        Bytes::from(self.split_to(len))
    }
}

impl<'a, S: Source<'a>> Buf for Reader<'a, S> {
    #[inline]
    fn remaining(&self) -> usize {
        Reader::remaining(self)
    }

    #[inline]
    fn chunk(&self) -> &[u8] {
        self.rest()
    }

    /// # Panics
    ///
    /// If `cnt > remaining()`, as the `Buf` contract allows (the `Reader` methods themselves
    /// never panic).
    #[inline]
    #[track_caller]
    fn advance(&mut self, cnt: usize) {
        if let Err(e) = self.skip(cnt) {
            panic!("{e}");
        }
    }
}

impl Buf for ViewChain {
    #[inline]
    fn remaining(&self) -> usize {
        self.len()
    }

    #[inline]
    fn chunk(&self) -> &[u8] {
        match self.views().next() {
            Some(v) => v,
            None => &[],
        }
    }

    #[cfg(feature = "std")]
    fn chunks_vectored<'a>(&'a self, dst: &mut [std::io::IoSlice<'a>]) -> usize {
        self.io_slices(dst)
    }

    /// # Panics
    ///
    /// If `cnt > remaining()`, as the `Buf` contract allows.
    #[inline]
    #[track_caller]
    fn advance(&mut self, cnt: usize) {
        ViewChain::advance(self, cnt)
    }
}
