//! What [`ByteView`](crate::ByteView) and [`LocalView`](crate::LocalView) share: range
//! checks, [`RangeError`], the byte-string `Debug`, and the macro that writes their common
//! API (they differ only in how the reference count is kept).

use core::fmt;
use core::ops::{Bound, RangeBounds};

/// An index or range that does not fit a view.
///
/// Returned by the `try_*` methods of [`ByteView`](crate::ByteView),
/// [`LocalView`](crate::LocalView), [`StrView`](crate::StrView) and
/// [`ViewChain`](crate::ViewChain); the plain methods panic with the same message.
///
/// # Examples
///
/// ```
/// use larder_view::{ByteView, RangeError};
///
/// let v = ByteView::from_static(b"abc");
/// let err = v.try_slice(1..5).unwrap_err();
/// assert_eq!(err, RangeError::OutOfBounds { index: 5, len: 3 });
/// assert_eq!(err.to_string(), "range end index 5 out of range for view of length 3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RangeError {
    /// The range starts after it ends.
    StartAfterEnd {
        /// First index of the range.
        start: usize,
        /// One past its last index.
        end: usize,
    },
    /// An index (or range end) is past the end of the view. A range end that overflows
    /// `usize` (`..=usize::MAX`) is reported as `usize::MAX`.
    OutOfBounds {
        /// The index or range end.
        index: usize,
        /// The length of the view.
        len: usize,
    },
    /// An index of a [`StrView`](crate::StrView) falls inside a UTF-8 character.
    NotCharBoundary {
        /// The index.
        index: usize,
    },
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            RangeError::StartAfterEnd { start, end } => {
                write!(f, "view index starts at {start} but ends at {end}")
            }
            RangeError::OutOfBounds { index, len } => {
                write!(
                    f,
                    "range end index {index} out of range for view of length {len}"
                )
            }
            RangeError::NotCharBoundary { index } => {
                write!(f, "index {index} is not a char boundary")
            }
        }
    }
}

impl core::error::Error for RangeError {}

/// Resolves `range` against `len`: `(start, end)` with `start <= end <= len`.
#[inline]
pub(crate) fn resolve(
    range: impl RangeBounds<usize>,
    len: usize,
) -> Result<(usize, usize), RangeError> {
    let start = match range.start_bound() {
        Bound::Included(&s) => s,
        Bound::Excluded(&s) => s.checked_add(1).ok_or(RangeError::OutOfBounds {
            index: usize::MAX,
            len,
        })?,
        Bound::Unbounded => 0,
    };
    let end = match range.end_bound() {
        Bound::Included(&e) => e.checked_add(1).ok_or(RangeError::OutOfBounds {
            index: usize::MAX,
            len,
        })?,
        Bound::Excluded(&e) => e,
        Bound::Unbounded => len,
    };
    if start > end {
        return Err(RangeError::StartAfterEnd { start, end });
    }
    if end > len {
        return Err(RangeError::OutOfBounds { index: end, len });
    }
    Ok((start, end))
}

/// Checks a split/advance position.
#[inline]
pub(crate) fn check_index(index: usize, len: usize) -> Result<(), RangeError> {
    if index > len {
        Err(RangeError::OutOfBounds { index, len })
    } else {
        Ok(())
    }
}

/// The panic of the non-`try` methods.
#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn range_panic(err: RangeError) -> ! {
    panic!("{err}")
}

/// Formats `bytes` as a byte-string literal: `b"GET /\r\n\x00"`.
pub(crate) fn debug_bytes(bytes: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    use fmt::Write;
    f.write_str("b\"")?;
    for &b in bytes {
        match b {
            b'\n' => f.write_str("\\n")?,
            b'\r' => f.write_str("\\r")?,
            b'\t' => f.write_str("\\t")?,
            b'\0' => f.write_str("\\0")?,
            b'\\' => f.write_str("\\\\")?,
            b'"' => f.write_str("\\\"")?,
            0x20..=0x7e => f.write_char(b as char)?,
            _ => write!(f, "\\x{b:02x}")?,
        }
    }
    f.write_str("\"")
}

/// Writes the API both view types share. The type must have fields `ptr: *const u8` and
/// `len: usize`, and a method `share(&self, ptr, len) -> Self` that counts one more reference
/// to the same storage.
macro_rules! view_common {
    ($View:ident) => {
        impl $View {
            /// An empty view (no allocation).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = larder_view::", stringify!($View), "::new();")]
            /// assert!(v.is_empty());
            /// ```
            #[inline]
            pub const fn new() -> Self {
                Self::from_static(&[])
            }

            /// The number of bytes in view.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = larder_view::", stringify!($View), "::from_static(b\"abc\");")]
            /// assert_eq!(v.len(), 3);
            /// ```
            #[inline]
            pub const fn len(&self) -> usize {
                self.len
            }

            /// Whether the view is empty.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = larder_view::", stringify!($View), "::from_static(b\"\");")]
            /// assert!(v.is_empty());
            /// ```
            #[inline]
            pub const fn is_empty(&self) -> bool {
                self.len == 0
            }

            /// The bytes in view.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = larder_view::", stringify!($View), "::from(vec![1, 2]);")]
            /// assert_eq!(v.as_slice(), &[1, 2]);
            /// ```
            #[inline]
            pub fn as_slice(&self) -> &[u8] {
                // SAFETY: `ptr..ptr+len` lies inside bytes kept alive and unmodified by the
                // storage this view counts a reference on (or inside a `'static` slice).
                unsafe { core::slice::from_raw_parts(self.ptr, self.len) }
            }

            /// A new view of `range` of this one, sharing the storage (no allocation, no copy).
            ///
            /// # Errors
            ///
            /// [`RangeError`](crate::RangeError) if the range starts after it ends or ends
            /// past [`len`](Self::len).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = larder_view::", stringify!($View), "::from(b\"hello world\".to_vec());")]
            /// assert_eq!(v.try_slice(6..).unwrap(), b"world"[..]);
            /// assert!(v.try_slice(6..12).is_err());
            /// ```
            #[inline]
            pub fn try_slice(
                &self,
                range: impl core::ops::RangeBounds<usize>,
            ) -> Result<Self, crate::RangeError> {
                let (start, end) = crate::common::resolve(range, self.len)?;
                // SAFETY: `start <= len`, so the pointer stays inside (or one past) the view.
                Ok(self.share(unsafe { self.ptr.add(start) }, end - start))
            }

            /// A new view of `range` of this one, sharing the storage (no allocation, no copy).
            ///
            /// # Panics
            ///
            /// If the range starts after it ends or ends past [`len`](Self::len), like slice
            /// indexing; [`try_slice`](Self::try_slice) returns an error instead.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = larder_view::", stringify!($View), "::from(b\"hello world\".to_vec());")]
            /// let hello = v.slice(..5);
            /// assert_eq!(hello, b"hello"[..]);
            /// ```
            #[inline]
            #[track_caller]
            pub fn slice(&self, range: impl core::ops::RangeBounds<usize>) -> Self {
                match self.try_slice(range) {
                    Ok(v) => v,
                    Err(e) => crate::common::range_panic(e),
                }
            }

            /// Splits off and returns `[..at]`; `self` keeps `[at..]`.
            ///
            /// # Errors
            ///
            /// [`RangeError::OutOfBounds`](crate::RangeError::OutOfBounds) if `at > len`; the
            /// view is unchanged.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let mut v = larder_view::", stringify!($View), "::from_static(b\"key=value\");")]
            /// let key = v.try_split_to(3).unwrap();
            /// assert_eq!((key.as_slice(), v.as_slice()), (&b"key"[..], &b"=value"[..]));
            /// assert!(v.try_split_to(100).is_err());
            /// ```
            #[inline]
            pub fn try_split_to(&mut self, at: usize) -> Result<Self, crate::RangeError> {
                crate::common::check_index(at, self.len)?;
                let head = self.share(self.ptr, at);
                // SAFETY: `at <= len`.
                self.ptr = unsafe { self.ptr.add(at) };
                self.len -= at;
                Ok(head)
            }

            /// Splits off and returns `[..at]`; `self` keeps `[at..]`.
            ///
            /// # Panics
            ///
            /// If `at > len`; [`try_split_to`](Self::try_split_to) returns an error instead.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let mut v = larder_view::", stringify!($View), "::from_static(b\"key=value\");")]
            /// let key = v.split_to(3);
            /// assert_eq!(key, b"key"[..]);
            /// assert_eq!(v, b"=value"[..]);
            /// ```
            #[inline]
            #[track_caller]
            pub fn split_to(&mut self, at: usize) -> Self {
                match self.try_split_to(at) {
                    Ok(v) => v,
                    Err(e) => crate::common::range_panic(e),
                }
            }

            /// Splits off and returns `[at..]`; `self` keeps `[..at]`.
            ///
            /// # Errors
            ///
            /// [`RangeError::OutOfBounds`](crate::RangeError::OutOfBounds) if `at > len`; the
            /// view is unchanged.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let mut v = larder_view::", stringify!($View), "::from_static(b\"key=value\");")]
            /// let value = v.try_split_off(4).unwrap();
            /// assert_eq!((v.as_slice(), value.as_slice()), (&b"key="[..], &b"value"[..]));
            /// assert!(v.try_split_off(5).is_err());
            /// ```
            #[inline]
            pub fn try_split_off(&mut self, at: usize) -> Result<Self, crate::RangeError> {
                crate::common::check_index(at, self.len)?;
                // SAFETY: `at <= len`.
                let tail = self.share(unsafe { self.ptr.add(at) }, self.len - at);
                self.len = at;
                Ok(tail)
            }

            /// Splits off and returns `[at..]`; `self` keeps `[..at]`.
            ///
            /// # Panics
            ///
            /// If `at > len`; [`try_split_off`](Self::try_split_off) returns an error instead.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let mut v = larder_view::", stringify!($View), "::from_static(b\"key=value\");")]
            /// let value = v.split_off(4);
            /// assert_eq!(v, b"key="[..]);
            /// assert_eq!(value, b"value"[..]);
            /// ```
            #[inline]
            #[track_caller]
            pub fn split_off(&mut self, at: usize) -> Self {
                match self.try_split_off(at) {
                    Ok(v) => v,
                    Err(e) => crate::common::range_panic(e),
                }
            }

            /// Keeps the first `len` bytes; does nothing if the view is not longer (like
            /// `Vec::truncate`).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let mut v = larder_view::", stringify!($View), "::from_static(b\"abcdef\");")]
            /// v.truncate(2);
            /// assert_eq!(v, b"ab"[..]);
            /// v.truncate(10);
            /// assert_eq!(v, b"ab"[..]);
            /// ```
            #[inline]
            pub fn truncate(&mut self, len: usize) {
                if len < self.len {
                    self.len = len;
                }
            }

            /// Empties the view (the storage stays shared until the view is dropped).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let mut v = larder_view::", stringify!($View), "::from_static(b\"abc\");")]
            /// v.clear();
            /// assert!(v.is_empty());
            /// ```
            #[inline]
            pub fn clear(&mut self) {
                self.len = 0;
            }

            /// Drops the first `n` bytes from view.
            ///
            /// # Errors
            ///
            /// [`RangeError::OutOfBounds`](crate::RangeError::OutOfBounds) if `n > len`; the
            /// view is unchanged.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let mut v = larder_view::", stringify!($View), "::from_static(b\"abc\");")]
            /// v.try_advance(1).unwrap();
            /// assert_eq!(v, b"bc"[..]);
            /// assert!(v.try_advance(3).is_err());
            /// ```
            #[inline]
            pub fn try_advance(&mut self, n: usize) -> Result<(), crate::RangeError> {
                crate::common::check_index(n, self.len)?;
                // SAFETY: `n <= len`.
                self.ptr = unsafe { self.ptr.add(n) };
                self.len -= n;
                Ok(())
            }

            /// Drops the first `n` bytes from view.
            ///
            /// # Panics
            ///
            /// If `n > len`; [`try_advance`](Self::try_advance) returns an error instead.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let mut v = larder_view::", stringify!($View), "::from_static(b\"abc\");")]
            /// v.advance(2);
            /// assert_eq!(v, b"c"[..]);
            /// ```
            #[inline]
            #[track_caller]
            pub fn advance(&mut self, n: usize) {
                if let Err(e) = self.try_advance(n) {
                    crate::common::range_panic(e)
                }
            }

            /// A view of `subset`, which must lie inside this view's bytes (for example a
            /// result of parsing `&self[..]`), sharing the storage.
            ///
            /// # Errors
            ///
            /// [`RangeError::OutOfBounds`](crate::RangeError::OutOfBounds) if `subset` is not
            /// inside this view (an empty `subset` anywhere gives an empty view).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = larder_view::", stringify!($View), "::from(b\"a,bc\".to_vec());")]
            /// let field = v.split(|&b| b == b',').nth(1).unwrap();
            /// assert_eq!(v.try_slice_ref(field).unwrap(), b"bc"[..]);
            /// assert!(v.try_slice_ref(b"other").is_err());
            /// ```
            pub fn try_slice_ref(&self, subset: &[u8]) -> Result<Self, crate::RangeError> {
                if subset.is_empty() {
                    return Ok(Self::new());
                }
                let base = self.ptr as usize;
                let sub = subset.as_ptr() as usize;
                let offset = sub.wrapping_sub(base);
                if sub < base || offset > self.len || subset.len() > self.len - offset {
                    return Err(crate::RangeError::OutOfBounds {
                        index: offset.saturating_add(subset.len()),
                        len: self.len,
                    });
                }
                self.try_slice(offset..offset + subset.len())
            }

            /// Copies the bytes into a new `Vec`.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let v = larder_view::", stringify!($View), "::from_static(b\"ab\");")]
            /// assert_eq!(v.to_vec(), b"ab");
            /// ```
            pub fn to_vec(&self) -> alloc::vec::Vec<u8> {
                self.as_slice().to_vec()
            }
        }

        impl core::ops::Deref for $View {
            type Target = [u8];

            #[inline]
            fn deref(&self) -> &[u8] {
                self.as_slice()
            }
        }

        impl AsRef<[u8]> for $View {
            #[inline]
            fn as_ref(&self) -> &[u8] {
                self.as_slice()
            }
        }

        impl core::borrow::Borrow<[u8]> for $View {
            #[inline]
            fn borrow(&self) -> &[u8] {
                self.as_slice()
            }
        }

        impl Default for $View {
            #[inline]
            fn default() -> Self {
                Self::new()
            }
        }

        impl core::fmt::Debug for $View {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                crate::common::debug_bytes(self.as_slice(), f)
            }
        }

        impl PartialEq for $View {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.as_slice() == other.as_slice()
            }
        }

        impl Eq for $View {}

        impl PartialOrd for $View {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $View {
            #[inline]
            fn cmp(&self, other: &Self) -> core::cmp::Ordering {
                self.as_slice().cmp(other.as_slice())
            }
        }

        impl core::hash::Hash for $View {
            #[inline]
            fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
                self.as_slice().hash(state)
            }
        }

        impl PartialEq<[u8]> for $View {
            #[inline]
            fn eq(&self, other: &[u8]) -> bool {
                self.as_slice() == other
            }
        }

        impl PartialEq<$View> for [u8] {
            #[inline]
            fn eq(&self, other: &$View) -> bool {
                self == other.as_slice()
            }
        }

        impl PartialEq<&[u8]> for $View {
            #[inline]
            fn eq(&self, other: &&[u8]) -> bool {
                self.as_slice() == *other
            }
        }

        impl<const N: usize> PartialEq<[u8; N]> for $View {
            #[inline]
            fn eq(&self, other: &[u8; N]) -> bool {
                self.as_slice() == other
            }
        }

        impl PartialEq<alloc::vec::Vec<u8>> for $View {
            #[inline]
            fn eq(&self, other: &alloc::vec::Vec<u8>) -> bool {
                self.as_slice() == other.as_slice()
            }
        }

        impl From<&'static [u8]> for $View {
            #[inline]
            fn from(bytes: &'static [u8]) -> Self {
                Self::from_static(bytes)
            }
        }

        impl From<&'static str> for $View {
            #[inline]
            fn from(s: &'static str) -> Self {
                Self::from_static(s.as_bytes())
            }
        }

        impl From<alloc::vec::Vec<u8>> for $View {
            /// Moves the vector into a shared block (one allocation, no copy); an empty vector
            /// gives an empty view and is dropped.
            #[inline]
            fn from(v: alloc::vec::Vec<u8>) -> Self {
                if v.is_empty() { Self::new() } else { Self::from_owner(v) }
            }
        }

        impl From<alloc::boxed::Box<[u8]>> for $View {
            /// Moves the box into a shared block (one allocation, no copy).
            #[inline]
            fn from(b: alloc::boxed::Box<[u8]>) -> Self {
                if b.is_empty() { Self::new() } else { Self::from_owner(b) }
            }
        }

        impl From<alloc::string::String> for $View {
            /// Moves the string's buffer into a shared block (one allocation, no copy).
            #[inline]
            fn from(s: alloc::string::String) -> Self {
                Self::from(s.into_bytes())
            }
        }

        impl<'a> IntoIterator for &'a $View {
            type Item = &'a u8;
            type IntoIter = core::slice::Iter<'a, u8>;

            #[inline]
            fn into_iter(self) -> Self::IntoIter {
                self.as_slice().iter()
            }
        }
    };
}

pub(crate) use view_common;
