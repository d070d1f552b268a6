//! [`Reader`]: a checked parsing cursor that never panics on hostile input.

use core::fmt;

use crate::{ByteView, LocalView};

/// What a [`Reader`] can read from: `&[u8]`, `&ByteView` or `&LocalView`. Sealed.
///
/// The associated [`View`](Source::View) is what sub-views come back as: `&[u8]` for a
/// slice, a [`ByteView`] / [`LocalView`] sharing the storage for views, never a copy.
///
/// # Examples
///
/// ```
/// use larder_view::{ByteView, Reader};
///
/// let v = ByteView::from(vec![2, b'h', b'i']);
/// let mut r = Reader::new(&v);
/// let name: ByteView = r.read_prefixed(larder_view::LengthPrefix::U8).unwrap();
/// assert_eq!(name, b"hi"[..]);
/// ```
pub trait Source<'a>: sealed::Sealed + Copy {
    /// A sub-view of the source.
    type View;

    /// All the bytes of the source.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::Source;
    /// let s: &[u8] = b"ab";
    /// assert_eq!(s.source_bytes(), b"ab");
    /// ```
    fn source_bytes(self) -> &'a [u8];

    /// `start..end` of the source as a view, without copying. `Reader` only calls it with
    /// `start <= end <= len`; out-of-range arguments panic.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::Source;
    /// let s: &[u8] = b"abc";
    /// assert_eq!(s.source_view(1, 3), b"bc");
    /// ```
    fn source_view(self, start: usize, end: usize) -> Self::View;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for &[u8] {}
    impl Sealed for &crate::ByteView {}
    impl Sealed for &crate::LocalView {}
}

impl<'a> Source<'a> for &'a [u8] {
    type View = &'a [u8];
    #[inline]
    fn source_bytes(self) -> &'a [u8] {
        self
    }
    #[inline]
    fn source_view(self, start: usize, end: usize) -> &'a [u8] {
        &self[start..end]
    }
}

impl<'a> Source<'a> for &'a ByteView {
    type View = ByteView;
    #[inline]
    fn source_bytes(self) -> &'a [u8] {
        self
    }
    #[inline]
    fn source_view(self, start: usize, end: usize) -> ByteView {
        self.slice(start..end)
    }
}

impl<'a> Source<'a> for &'a LocalView {
    type View = LocalView;
    #[inline]
    fn source_bytes(self) -> &'a [u8] {
        self
    }
    #[inline]
    fn source_view(self, start: usize, end: usize) -> LocalView {
        self.slice(start..end)
    }
}

/// Why a [`Reader`] read failed: what was expected, at which offset, and what was wrong.
///
/// # Examples
///
/// ```
/// use larder_view::{ReadErrorKind, Reader};
///
/// let mut r = Reader::new(&[1u8, 2, 3][..]);
/// r.read_u8().unwrap();
/// let err = r.read_u32_be().unwrap_err();
/// assert_eq!(err.offset, 1);
/// assert_eq!(err.expected, "u32 (big-endian)");
/// assert_eq!(err.kind, ReadErrorKind::Truncated { needed: 4, available: 2 });
/// assert_eq!(
///     err.to_string(),
///     "expected u32 (big-endian) at offset 1: needs 4 bytes, 2 remain"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ReadError {
    /// What was being read (`"u32 (big-endian)"`, `"ULEB128 u64"`, …).
    pub expected: &'static str,
    /// The offset (from the start of the reader's source) where it starts.
    pub offset: usize,
    /// What was wrong.
    pub kind: ReadErrorKind,
}

/// What was wrong in a [`ReadError`].
///
/// # Examples
///
/// ```
/// use larder_view::{ReadErrorKind, Reader};
///
/// // Zero written in two bytes: a non-canonical (overlong) varint.
/// let err = Reader::new(&[0x80u8, 0x00][..]).read_uleb128_u64().unwrap_err();
/// assert_eq!(err.kind, ReadErrorKind::Overlong);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The input ends before the value does.
    Truncated {
        /// Bytes the value needs (for a varint or length prefix: at least this many more).
        needed: u64,
        /// Bytes left from the offset.
        available: usize,
    },
    /// A varint written with more bytes than its value needs.
    Overlong,
    /// A varint whose value does not fit the type read.
    Overflow,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at offset {}: ", self.expected, self.offset)?;
        match self.kind {
            ReadErrorKind::Truncated { needed, available } => {
                write!(f, "needs {needed} bytes, {available} remain")
            }
            ReadErrorKind::Overlong => f.write_str("overlong encoding"),
            ReadErrorKind::Overflow => f.write_str("value overflows the type"),
        }
    }
}

impl core::error::Error for ReadError {}

/// How a length-prefixed field gives its length, for [`Reader::read_prefixed`].
///
/// # Examples
///
/// ```
/// use larder_view::{LengthPrefix, Reader};
///
/// let mut r = Reader::new(&[0, 2, b'o', b'k'][..]);
/// assert_eq!(r.read_prefixed(LengthPrefix::U16Be).unwrap(), b"ok");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LengthPrefix {
    /// One byte.
    U8,
    /// Two bytes, big-endian.
    U16Be,
    /// Two bytes, little-endian.
    U16Le,
    /// Four bytes, big-endian.
    U32Be,
    /// Four bytes, little-endian.
    U32Le,
    /// Eight bytes, big-endian.
    U64Be,
    /// Eight bytes, little-endian.
    U64Le,
    /// An unsigned LEB128 varint (canonical, at most `u64`).
    Uleb128,
}

/// A checked cursor over bytes: every read returns `Result`, and no input makes it panic.
///
/// Borrows a `&[u8]`, a `&`[`ByteView`] or a `&`[`LocalView`] (see [`Source`]). Fixed-size
/// integers and floats come in big- and little-endian; [`read_uleb128_u64`](Self::read_uleb128_u64)
/// and friends decode LEB128 varints and reject overlong and overflowing encodings;
/// [`read_bytes`](Self::read_bytes) and [`read_prefixed`](Self::read_prefixed) return
/// sub-views without copying (a `ByteView` sharing the storage when reading a `ByteView`,
/// a `&[u8]` when reading a slice).
///
/// A failed read leaves the position where it was, and its [`ReadError`] names what was
/// expected at which offset.
///
/// Representation: the source, its bytes (pointer and length) and the offset of the next
/// read. Cost: each fixed-size read is one comparison of its end offset with the length, a
/// load and an update of the offset: no more than `bytes::Buf::get_*` on a slice, which
/// panics instead of returning an error. Sub-views cost what [`ByteView::slice`] costs.
///
/// # Examples
///
/// ```
/// use larder_view::{ByteView, LengthPrefix, Reader};
///
/// let packet = ByteView::from(vec![0x01, 0x00, 0x2a, 0xac, 0x02, 3, b'a', b'b', b'c']);
/// let mut r = Reader::new(&packet);
/// assert_eq!(r.read_u8()?, 1);
/// assert_eq!(r.read_u16_be()?, 42);
/// assert_eq!(r.read_uleb128_u64()?, 300);
/// let name: ByteView = r.read_prefixed(LengthPrefix::U8)?; // shares `packet`'s storage
/// assert_eq!(name, b"abc"[..]);
/// assert!(r.is_empty());
/// assert!(r.read_u8().is_err());
/// # Ok::<(), larder_view::ReadError>(())
/// ```
///
/// A reader is `Send`/`Sync` when its source is; one over a [`LocalView`] is not:
///
/// ```compile_fail
/// fn assert_send<T: Send>(_: T) {}
/// let local = larder_view::LocalView::from_static(b"x");
/// assert_send(larder_view::Reader::new(&local));
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'a, S = &'a [u8]> {
    src: S,
    /// All of `src`'s bytes.
    bytes: &'a [u8],
    /// The offset of the next read; never above `bytes.len()`.
    pos: usize,
}

macro_rules! read_fixed {
    ($($(#[$doc:meta])* $name:ident -> $ty:ty, $conv:ident, $what:literal;)*) => {
        $(
            $(#[$doc])*
            ///
            /// # Errors
            ///
            /// [`ReadErrorKind::Truncated`] if fewer bytes remain; the position is unchanged.
            #[inline]
            pub fn $name(&mut self) -> Result<$ty, ReadError> {
                const N: usize = core::mem::size_of::<$ty>();
                Ok(<$ty>::$conv(self.take_array::<N>($what)?))
            }
        )*
    };
}

impl<'a, S: Source<'a>> Reader<'a, S> {
    /// A reader at the start of `src`.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = larder_view::Reader::new(&b"abc"[..]);
    /// assert_eq!(r.remaining(), 3);
    /// ```
    #[inline]
    pub fn new(src: S) -> Self {
        Reader {
            src,
            bytes: src.source_bytes(),
            pos: 0,
        }
    }

    /// Bytes read so far: the offset of the next read.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut r = larder_view::Reader::new(&b"abc"[..]);
    /// r.skip(2).unwrap();
    /// assert_eq!(r.position(), 2);
    /// ```
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes left to read.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut r = larder_view::Reader::new(&b"abc"[..]);
    /// r.read_u8().unwrap();
    /// assert_eq!(r.remaining(), 2);
    /// ```
    #[inline]
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// Whether everything was read.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_view::Reader::new(&b""[..]).is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The unread bytes, without moving.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut r = larder_view::Reader::new(&b"abc"[..]);
    /// r.skip(1).unwrap();
    /// assert_eq!(r.rest(), b"bc");
    /// ```
    #[inline]
    pub fn rest(&self) -> &'a [u8] {
        // `pos <= bytes.len()`, so this is never the default.
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// The source, read or not.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = larder_view::Reader::new(&b"abc"[..]);
    /// assert_eq!(r.source(), b"abc");
    /// ```
    pub fn source(&self) -> S {
        self.src
    }

    /// The error for a read of `needed` bytes that do not all remain.
    ///
    /// Built inline, not in an outlined function: the caller then sees that the result is an
    /// error. (An outlined function returns it through memory, so a `?` in the caller tests
    /// the tag again and keeps a path on which parsing goes on after the call, which holds
    /// earlier values in registers and slows the hot loop.) Nor is there a `#[cold]` call:
    /// a caller without other calls would then save registers on every call.
    #[inline(always)]
    fn truncated(&self, expected: &'static str, needed: u64) -> ReadError {
        ReadError {
            expected,
            offset: self.pos,
            kind: ReadErrorKind::Truncated {
                needed,
                available: self.remaining(),
            },
        }
    }

    /// The error for an invalid encoding at the current position.
    #[inline(always)]
    fn invalid(&self, expected: &'static str, kind: ReadErrorKind) -> ReadError {
        ReadError {
            expected,
            offset: self.pos,
            kind,
        }
    }

    /// The next `N` bytes; moves past them only on success.
    #[inline]
    fn take_array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ReadError> {
        // Checked as `pos + N <= len` against the whole source: with the offset in a register
        // and the length fixed, consecutive reads become `pos + constant <= len`, one compare
        // each. (`pos + N` does not overflow, as `pos <= len` and `N` are both at most
        // `isize::MAX`; were it to wrap, `get` would refuse the empty-or-reversed range.)
        let end = self.pos.wrapping_add(N);
        let bytes = self.bytes.get(self.pos..end);
        match bytes.and_then(|s| <[u8; N]>::try_from(s).ok()) {
            Some(a) => {
                self.pos = end;
                Ok(a)
            }
            None => Err(self.truncated(what, N as u64)),
        }
    }

    /// The next `N` bytes as an array.
    ///
    /// # Errors
    ///
    /// [`ReadErrorKind::Truncated`] if fewer bytes remain; the position is unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut r = larder_view::Reader::new(&b"magic!"[..]);
    /// assert_eq!(r.read_array::<5>().unwrap(), *b"magic");
    /// assert!(r.read_array::<2>().is_err());
    /// ```
    #[inline]
    pub fn read_array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        self.take_array::<N>("byte array")
    }

    read_fixed! {
        /// Reads a `u8`.
        ///
        /// # Examples
        ///
        /// ```
        /// assert_eq!(larder_view::Reader::new(&[7u8][..]).read_u8().unwrap(), 7);
        /// ```
        read_u8 -> u8, from_be_bytes, "u8";
        /// Reads an `i8`.
        ///
        /// # Examples
        ///
        /// ```
        /// assert_eq!(larder_view::Reader::new(&[0xffu8][..]).read_i8().unwrap(), -1);
        /// ```
        read_i8 -> i8, from_be_bytes, "i8";
        /// Reads a big-endian `u16`.
        ///
        /// # Examples
        ///
        /// ```
        /// assert_eq!(larder_view::Reader::new(&[1u8, 2][..]).read_u16_be().unwrap(), 0x0102);
        /// ```
        read_u16_be -> u16, from_be_bytes, "u16 (big-endian)";
        /// Reads a little-endian `u16`.
        ///
        /// # Examples
        ///
        /// ```
        /// assert_eq!(larder_view::Reader::new(&[1u8, 2][..]).read_u16_le().unwrap(), 0x0201);
        /// ```
        read_u16_le -> u16, from_le_bytes, "u16 (little-endian)";
        /// Reads a big-endian `i16`.
        ///
        /// # Examples
        ///
        /// ```
        /// assert_eq!(larder_view::Reader::new(&[0xffu8, 0xfe][..]).read_i16_be().unwrap(), -2);
        /// ```
        read_i16_be -> i16, from_be_bytes, "i16 (big-endian)";
        /// Reads a little-endian `i16`.
        ///
        /// # Examples
        ///
        /// ```
        /// assert_eq!(larder_view::Reader::new(&[0xfeu8, 0xff][..]).read_i16_le().unwrap(), -2);
        /// ```
        read_i16_le -> i16, from_le_bytes, "i16 (little-endian)";
        /// Reads a big-endian `u32`.
        ///
        /// # Examples
        ///
        /// ```
        /// let mut r = larder_view::Reader::new(&[0u8, 0, 1, 0][..]);
        /// assert_eq!(r.read_u32_be().unwrap(), 256);
        /// ```
        read_u32_be -> u32, from_be_bytes, "u32 (big-endian)";
        /// Reads a little-endian `u32`.
        ///
        /// # Examples
        ///
        /// ```
        /// let mut r = larder_view::Reader::new(&[0u8, 1, 0, 0][..]);
        /// assert_eq!(r.read_u32_le().unwrap(), 256);
        /// ```
        read_u32_le -> u32, from_le_bytes, "u32 (little-endian)";
        /// Reads a big-endian `i32`.
        ///
        /// # Examples
        ///
        /// ```
        /// let mut r = larder_view::Reader::new(&[0xffu8; 4][..]);
        /// assert_eq!(r.read_i32_be().unwrap(), -1);
        /// ```
        read_i32_be -> i32, from_be_bytes, "i32 (big-endian)";
        /// Reads a little-endian `i32`.
        ///
        /// # Examples
        ///
        /// ```
        /// let mut r = larder_view::Reader::new(&[0xfeu8, 0xff, 0xff, 0xff][..]);
        /// assert_eq!(r.read_i32_le().unwrap(), -2);
        /// ```
        read_i32_le -> i32, from_le_bytes, "i32 (little-endian)";
        /// Reads a big-endian `u64`.
        ///
        /// # Examples
        ///
        /// ```
        /// let mut r = larder_view::Reader::new(&[0u8, 0, 0, 0, 0, 0, 1, 0][..]);
        /// assert_eq!(r.read_u64_be().unwrap(), 256);
        /// ```
        read_u64_be -> u64, from_be_bytes, "u64 (big-endian)";
        /// Reads a little-endian `u64`.
        ///
        /// # Examples
        ///
        /// ```
        /// let mut r = larder_view::Reader::new(&[0u8, 1, 0, 0, 0, 0, 0, 0][..]);
        /// assert_eq!(r.read_u64_le().unwrap(), 256);
        /// ```
        read_u64_le -> u64, from_le_bytes, "u64 (little-endian)";
        /// Reads a big-endian `i64`.
        ///
        /// # Examples
        ///
        /// ```
        /// let mut r = larder_view::Reader::new(&[0xffu8; 8][..]);
        /// assert_eq!(r.read_i64_be().unwrap(), -1);
        /// ```
        read_i64_be -> i64, from_be_bytes, "i64 (big-endian)";
        /// Reads a little-endian `i64`.
        ///
        /// # Examples
        ///
        /// ```
        /// let mut r = larder_view::Reader::new(&[0xffu8; 8][..]);
        /// assert_eq!(r.read_i64_le().unwrap(), -1);
        /// ```
        read_i64_le -> i64, from_le_bytes, "i64 (little-endian)";
        /// Reads a big-endian IEEE 754 `f32`.
        ///
        /// # Examples
        ///
        /// ```
        /// let bytes = 1.5f32.to_be_bytes();
        /// let mut r = larder_view::Reader::new(&bytes[..]);
        /// assert_eq!(r.read_f32_be().unwrap(), 1.5);
        /// ```
        read_f32_be -> f32, from_be_bytes, "f32 (big-endian)";
        /// Reads a little-endian IEEE 754 `f32`.
        ///
        /// # Examples
        ///
        /// ```
        /// let bytes = 1.5f32.to_le_bytes();
        /// let mut r = larder_view::Reader::new(&bytes[..]);
        /// assert_eq!(r.read_f32_le().unwrap(), 1.5);
        /// ```
        read_f32_le -> f32, from_le_bytes, "f32 (little-endian)";
        /// Reads a big-endian IEEE 754 `f64`.
        ///
        /// # Examples
        ///
        /// ```
        /// let bytes = (-0.25f64).to_be_bytes();
        /// let mut r = larder_view::Reader::new(&bytes[..]);
        /// assert_eq!(r.read_f64_be().unwrap(), -0.25);
        /// ```
        read_f64_be -> f64, from_be_bytes, "f64 (big-endian)";
        /// Reads a little-endian IEEE 754 `f64`.
        ///
        /// # Examples
        ///
        /// ```
        /// let bytes = (-0.25f64).to_le_bytes();
        /// let mut r = larder_view::Reader::new(&bytes[..]);
        /// assert_eq!(r.read_f64_le().unwrap(), -0.25);
        /// ```
        read_f64_le -> f64, from_le_bytes, "f64 (little-endian)";
    }

    /// The next byte, without moving.
    ///
    /// # Errors
    ///
    /// [`ReadErrorKind::Truncated`] at the end of the input.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = larder_view::Reader::new(&[9u8][..]);
    /// assert_eq!(r.peek_u8().unwrap(), 9);
    /// assert_eq!(r.position(), 0);
    /// ```
    #[inline]
    pub fn peek_u8(&self) -> Result<u8, ReadError> {
        match self.bytes.get(self.pos) {
            Some(&b) => Ok(b),
            None => Err(self.truncated("u8", 1)),
        }
    }

    /// The next `n` bytes, without moving.
    ///
    /// # Errors
    ///
    /// [`ReadErrorKind::Truncated`] if fewer remain.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = larder_view::Reader::new(&b"HTTP/1.1"[..]);
    /// assert_eq!(r.peek(4).unwrap(), b"HTTP");
    /// assert!(r.peek(9).is_err());
    /// ```
    #[inline]
    pub fn peek(&self, n: usize) -> Result<&'a [u8], ReadError> {
        match self.rest().get(..n) {
            Some(bytes) => Ok(bytes),
            None => Err(self.truncated("bytes", n as u64)),
        }
    }

    /// Moves past `n` bytes.
    ///
    /// # Errors
    ///
    /// [`ReadErrorKind::Truncated`] if fewer remain; the position is unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut r = larder_view::Reader::new(&b"abc"[..]);
    /// r.skip(3).unwrap();
    /// assert!(r.skip(1).is_err());
    /// ```
    #[inline]
    pub fn skip(&mut self, n: usize) -> Result<(), ReadError> {
        if n > self.remaining() {
            return Err(self.truncated("bytes to skip", n as u64));
        }
        self.pos += n;
        Ok(())
    }

    /// The next `n` bytes as a sub-view of the source (no copy).
    ///
    /// # Errors
    ///
    /// [`ReadErrorKind::Truncated`] if fewer remain; the position is unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// let v = larder_view::ByteView::from(b"headerbody".to_vec());
    /// let mut r = larder_view::Reader::new(&v);
    /// let header = r.read_bytes(6).unwrap();
    /// assert_eq!(header, b"header"[..]);
    /// ```
    #[inline]
    pub fn read_bytes(&mut self, n: usize) -> Result<S::View, ReadError> {
        self.read_bytes_as(n as u64, "bytes")
    }

    fn read_bytes_as(&mut self, n: u64, what: &'static str) -> Result<S::View, ReadError> {
        if n > self.remaining() as u64 {
            return Err(self.truncated(what, n));
        }
        let start = self.pos;
        let end = start + n as usize;
        let v = self.src.source_view(start, end);
        self.pos = end;
        Ok(v)
    }

    /// Everything left, as a sub-view (no copy); the reader is then empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut r = larder_view::Reader::new(&b"tail"[..]);
    /// r.skip(1).unwrap();
    /// assert_eq!(r.read_rest(), b"ail");
    /// assert!(r.is_empty());
    /// ```
    pub fn read_rest(&mut self) -> S::View {
        let end = self.bytes.len();
        let v = self.src.source_view(self.pos, end);
        self.pos = end;
        v
    }

    /// A length, then that many bytes as a sub-view (no copy).
    ///
    /// # Errors
    ///
    /// The length's own error, or [`ReadErrorKind::Truncated`] (at the offset of the length)
    /// if fewer bytes than it announces remain. The position is unchanged on error.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::{LengthPrefix, Reader};
    ///
    /// let mut r = Reader::new(&[3, b'a', b'b', b'c', 9, b'x'][..]);
    /// assert_eq!(r.read_prefixed(LengthPrefix::Uleb128).unwrap(), b"abc");
    /// let err = r.read_prefixed(LengthPrefix::U8).unwrap_err();
    /// assert_eq!((err.offset, err.expected), (4, "length-prefixed bytes"));
    /// assert_eq!(r.position(), 4);
    /// ```
    pub fn read_prefixed(&mut self, prefix: LengthPrefix) -> Result<S::View, ReadError> {
        let start = self.pos;
        let len = match prefix {
            LengthPrefix::U8 => self.read_u8()? as u64,
            LengthPrefix::U16Be => self.read_u16_be()? as u64,
            LengthPrefix::U16Le => self.read_u16_le()? as u64,
            LengthPrefix::U32Be => self.read_u32_be()? as u64,
            LengthPrefix::U32Le => self.read_u32_le()? as u64,
            LengthPrefix::U64Be => self.read_u64_be()?,
            LengthPrefix::U64Le => self.read_u64_le()?,
            LengthPrefix::Uleb128 => self.read_uleb128_u64()?,
        };
        let header = self.pos - start;
        match self.read_bytes_as(len, "length-prefixed bytes") {
            Ok(v) => Ok(v),
            Err(mut e) => {
                self.pos = start;
                e.offset = start;
                if let ReadErrorKind::Truncated { needed, available } = &mut e.kind {
                    *needed = needed.saturating_add(header as u64);
                    *available += header;
                }
                Err(e)
            }
        }
    }

    /// Decodes an unsigned LEB128 varint of at most `max_bits` value bits.
    #[inline]
    fn uleb128(&self, max_bits: u32, what: &'static str) -> Result<(u64, usize), ReadError> {
        let max_len = max_bits.div_ceil(7) as usize;
        let mut value = 0u64;
        // Every byte up to the last possible one returns, so the loop only ends when the
        // input does. (`pos + i` cannot overflow: `pos <= len <= isize::MAX`, `i < 10`.)
        for i in 0..max_len {
            let Some(&b) = self.bytes.get(self.pos + i) else {
                break;
            };
            let shift = 7 * i as u32;
            let low = (b & 0x7f) as u64;
            if i + 1 == max_len {
                // The last possible byte: no continuation, and no bits past `max_bits`.
                let room = max_bits - shift;
                if b & 0x80 != 0 || low >> room != 0 {
                    return Err(self.invalid(what, ReadErrorKind::Overflow));
                }
            }
            value |= low << shift;
            if b & 0x80 == 0 {
                if b == 0 && i > 0 {
                    return Err(self.invalid(what, ReadErrorKind::Overlong));
                }
                return Ok((value, i + 1));
            }
        }
        Err(self.truncated(what, self.remaining() as u64 + 1))
    }

    /// Reads an unsigned LEB128 varint into a `u64` (at most 10 bytes).
    ///
    /// # Errors
    ///
    /// [`ReadErrorKind::Overlong`] for a needlessly long encoding (a last byte of zero after
    /// the first), [`ReadErrorKind::Overflow`] for a value above `u64::MAX`,
    /// [`ReadErrorKind::Truncated`] if the input ends inside it. The position is unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::{ReadErrorKind, Reader};
    ///
    /// assert_eq!(Reader::new(&[0xe5u8, 0x8e, 0x26][..]).read_uleb128_u64().unwrap(), 624_485);
    /// let too_big = [0xffu8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
    /// let err = Reader::new(&too_big[..]).read_uleb128_u64().unwrap_err();
    /// assert_eq!(err.kind, ReadErrorKind::Overflow);
    /// ```
    #[inline]
    pub fn read_uleb128_u64(&mut self) -> Result<u64, ReadError> {
        let (v, n) = self.uleb128(64, "ULEB128 u64")?;
        self.pos += n;
        Ok(v)
    }

    /// Reads an unsigned LEB128 varint into a `u32` (at most 5 bytes).
    ///
    /// # Errors
    ///
    /// As [`read_uleb128_u64`](Self::read_uleb128_u64), with `u32::MAX` as the limit.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::Reader;
    ///
    /// assert_eq!(Reader::new(&[0xffu8, 0xff, 0xff, 0xff, 0x0f][..]).read_uleb128_u32().unwrap(), u32::MAX);
    /// assert!(Reader::new(&[0xffu8, 0xff, 0xff, 0xff, 0x1f][..]).read_uleb128_u32().is_err());
    /// ```
    #[inline]
    pub fn read_uleb128_u32(&mut self) -> Result<u32, ReadError> {
        let (v, n) = self.uleb128(32, "ULEB128 u32")?;
        self.pos += n;
        Ok(v as u32)
    }

    /// Reads a signed LEB128 varint into an `i64` (at most 10 bytes).
    ///
    /// # Errors
    ///
    /// [`ReadErrorKind::Overlong`] for a needlessly long encoding (a last byte that only
    /// repeats the sign of the byte before), [`ReadErrorKind::Overflow`] for a value outside
    /// `i64`, [`ReadErrorKind::Truncated`] if the input ends inside it. The position is
    /// unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::{ReadErrorKind, Reader};
    ///
    /// assert_eq!(Reader::new(&[0xc0u8, 0xbb, 0x78][..]).read_sleb128_i64().unwrap(), -123_456);
    /// let err = Reader::new(&[0xffu8, 0x7f][..]).read_sleb128_i64().unwrap_err(); // -1, padded
    /// assert_eq!(err.kind, ReadErrorKind::Overlong);
    /// ```
    pub fn read_sleb128_i64(&mut self) -> Result<i64, ReadError> {
        const WHAT: &str = "SLEB128 i64";
        let mut value = 0i64;
        let mut prev = 0u8;
        // As in `uleb128`: the tenth byte always returns, so the loop only ends when the input
        // does.
        for i in 0..10 {
            let Some(&b) = self.bytes.get(self.pos + i) else {
                break;
            };
            let shift = 7 * i as u32;
            let low = (b & 0x7f) as i64;
            if i == 9 {
                // Bit 63 and six copies of it; nothing may follow.
                if b != 0x00 && b != 0x7f {
                    return Err(self.invalid(WHAT, ReadErrorKind::Overflow));
                }
            }
            value |= low << shift;
            if b & 0x80 == 0 {
                if i > 0 {
                    let prev_sign = prev & 0x40 != 0;
                    if (b == 0x00 && !prev_sign) || (b == 0x7f && prev_sign) {
                        return Err(self.invalid(WHAT, ReadErrorKind::Overlong));
                    }
                }
                let bits = shift + 7;
                if bits < 64 && b & 0x40 != 0 {
                    value |= -1i64 << bits;
                }
                self.pos += i + 1;
                return Ok(value);
            }
            prev = b;
        }
        Err(self.truncated(WHAT, self.remaining() as u64 + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleb_edges() {
        let enc = |mut v: i64| {
            let mut out = alloc::vec::Vec::new();
            loop {
                let b = (v & 0x7f) as u8;
                v >>= 7;
                if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
                    out.push(b);
                    return out;
                }
                out.push(b | 0x80);
            }
        };
        for v in [
            0,
            1,
            -1,
            63,
            64,
            -64,
            -65,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
            1 << 62,
            -(1 << 62),
        ] {
            let bytes = enc(v);
            let mut r = Reader::new(&bytes[..]);
            assert_eq!(r.read_sleb128_i64(), Ok(v), "{v} {bytes:x?}");
            assert!(r.is_empty());
        }
    }
}
