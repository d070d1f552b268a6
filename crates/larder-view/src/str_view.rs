//! [`StrView`]: a [`ByteView`] known to hold UTF-8.

use alloc::string::String;
use core::fmt;
use core::ops::{Deref, RangeBounds};
use core::str::Utf8Error;

use crate::ByteView;
use crate::common::{RangeError, range_panic, resolve};

/// A shared, immutable string: a [`ByteView`] whose bytes were checked to be UTF-8 once, at
/// construction.
///
/// Same layout and costs as `ByteView` (three words; clone is one atomic increment). Slicing
/// and splitting share the storage and only check that the indices fall on char boundaries
/// (an error elsewhere, never a re-validation of the bytes). `Deref<Target = str>`; equality,
/// ordering and hashing as `str`.
///
/// # Examples
///
/// ```
/// use larder_view::{ByteView, StrView};
///
/// let s = StrView::from_utf8(ByteView::from("grüße, world".to_string().into_bytes()))?;
/// let greeting = s.slice(..7);
/// assert_eq!(&*greeting, "grüße");
/// assert!(s.try_slice(..3).is_err()); // inside 'ü'
/// assert_eq!(greeting.to_uppercase(), "GRÜSSE");
/// # Ok::<(), larder_view::Utf8ViewError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct StrView {
    view: ByteView,
}

/// The error of [`StrView::from_utf8`]: the bytes, given back, and where they stop being
/// UTF-8.
///
/// # Examples
///
/// ```
/// use larder_view::{ByteView, StrView};
///
/// let err = StrView::from_utf8(ByteView::from(vec![b'o', b'k', 0xff])).unwrap_err();
/// assert_eq!(err.utf8_error().valid_up_to(), 2);
/// assert_eq!(err.into_view(), [b'o', b'k', 0xff]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utf8ViewError {
    view: ByteView,
    error: Utf8Error,
}

impl Utf8ViewError {
    /// Where and how the bytes stop being UTF-8.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = larder_view::StrView::from_utf8(vec![0xc3].into()).unwrap_err();
    /// assert_eq!(err.utf8_error().error_len(), None); // truncated character
    /// ```
    pub fn utf8_error(&self) -> Utf8Error {
        self.error
    }

    /// The bytes that were refused.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = larder_view::StrView::from_utf8(vec![0xff].into()).unwrap_err();
    /// assert_eq!(err.into_view().len(), 1);
    /// ```
    pub fn into_view(self) -> ByteView {
        self.view
    }
}

impl fmt::Display for Utf8ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl core::error::Error for Utf8ViewError {}

impl StrView {
    /// An empty string (no allocation).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_view::StrView::new().is_empty());
    /// ```
    pub const fn new() -> Self {
        StrView {
            view: ByteView::new(),
        }
    }

    /// A view of a `'static` string (no allocation).
    ///
    /// # Examples
    ///
    /// ```
    /// const GREETING: larder_view::StrView = larder_view::StrView::from_static("hi");
    /// assert_eq!(&*GREETING, "hi");
    /// ```
    pub const fn from_static(s: &'static str) -> Self {
        StrView {
            view: ByteView::from_static(s.as_bytes()),
        }
    }

    /// Checks that `view` is UTF-8 (once; later slicing never re-checks).
    ///
    /// # Errors
    ///
    /// [`Utf8ViewError`], holding the view and the position of the first invalid byte.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_view::{ByteView, StrView};
    /// let s = StrView::from_utf8(ByteView::from_static(b"text")).unwrap();
    /// assert_eq!(s.len(), 4);
    /// ```
    pub fn from_utf8(view: ByteView) -> Result<Self, Utf8ViewError> {
        match core::str::from_utf8(&view) {
            Ok(_) => Ok(StrView { view }),
            Err(error) => Err(Utf8ViewError { view, error }),
        }
    }

    /// The string.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_view::StrView::from_static("s").as_str(), "s");
    /// ```
    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes were checked to be UTF-8 at construction, and every operation
        // since cut them at char boundaries only; they are immutable.
        unsafe { core::str::from_utf8_unchecked(&self.view) }
    }

    /// The bytes, as a view sharing the storage.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_view::StrView::from_static("ab");
    /// assert_eq!(*s.as_view(), b"ab"[..]);
    /// ```
    #[inline]
    pub fn as_view(&self) -> &ByteView {
        &self.view
    }

    /// The bytes, as a view (no copy).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_view::StrView::from(String::from("ab"));
    /// assert_eq!(s.into_view().len(), 2);
    /// ```
    #[inline]
    pub fn into_view(self) -> ByteView {
        self.view
    }

    fn check_boundary(&self, index: usize) -> Result<(), RangeError> {
        if index > self.view.len() {
            return Err(RangeError::OutOfBounds {
                index,
                len: self.view.len(),
            });
        }
        if !self.as_str().is_char_boundary(index) {
            return Err(RangeError::NotCharBoundary { index });
        }
        Ok(())
    }

    /// A new string of `range` of this one, sharing the storage.
    ///
    /// # Errors
    ///
    /// [`RangeError`] if the range is out of bounds, inverted, or does not start and end on
    /// char boundaries.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_view::StrView::from_static("añb");
    /// assert_eq!(s.try_slice(1..3).unwrap(), "ñ");
    /// assert!(s.try_slice(2..).is_err());
    /// ```
    pub fn try_slice(&self, range: impl RangeBounds<usize>) -> Result<Self, RangeError> {
        let (start, end) = resolve(range, self.view.len())?;
        self.check_boundary(start)?;
        self.check_boundary(end)?;
        Ok(StrView {
            view: self.view.slice(start..end),
        })
    }

    /// A new string of `range` of this one, sharing the storage.
    ///
    /// # Panics
    ///
    /// Where [`try_slice`](Self::try_slice) returns an error.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_view::StrView::from_static("hello world");
    /// assert_eq!(s.slice(6..), "world");
    /// ```
    #[track_caller]
    pub fn slice(&self, range: impl RangeBounds<usize>) -> Self {
        self.try_slice(range).unwrap_or_else(|e| range_panic(e))
    }

    /// Splits off and returns `[..at]`; `self` keeps `[at..]`.
    ///
    /// # Errors
    ///
    /// [`RangeError`] if `at` is past the end or not a char boundary; nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_view::StrView::from_static("é=1");
    /// assert!(s.try_split_to(1).is_err());
    /// assert_eq!(s.try_split_to(2).unwrap(), "é");
    /// assert_eq!(s, "=1");
    /// ```
    pub fn try_split_to(&mut self, at: usize) -> Result<Self, RangeError> {
        self.check_boundary(at)?;
        Ok(StrView {
            view: self.view.split_to(at),
        })
    }

    /// Splits off and returns `[..at]`; `self` keeps `[at..]`.
    ///
    /// # Panics
    ///
    /// Where [`try_split_to`](Self::try_split_to) returns an error.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_view::StrView::from_static("key=value");
    /// assert_eq!(s.split_to(3), "key");
    /// ```
    #[track_caller]
    pub fn split_to(&mut self, at: usize) -> Self {
        self.try_split_to(at).unwrap_or_else(|e| range_panic(e))
    }

    /// Splits off and returns `[at..]`; `self` keeps `[..at]`.
    ///
    /// # Errors
    ///
    /// [`RangeError`] if `at` is past the end or not a char boundary; nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_view::StrView::from_static("key=value");
    /// assert_eq!(s.try_split_off(4).unwrap(), "value");
    /// assert_eq!(s, "key=");
    /// ```
    pub fn try_split_off(&mut self, at: usize) -> Result<Self, RangeError> {
        self.check_boundary(at)?;
        Ok(StrView {
            view: self.view.split_off(at),
        })
    }

    /// Splits off and returns `[at..]`; `self` keeps `[..at]`.
    ///
    /// # Panics
    ///
    /// Where [`try_split_off`](Self::try_split_off) returns an error.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_view::StrView::from_static("key=value");
    /// assert_eq!(s.split_off(3), "=value");
    /// ```
    #[track_caller]
    pub fn split_off(&mut self, at: usize) -> Self {
        self.try_split_off(at).unwrap_or_else(|e| range_panic(e))
    }

    /// A view of `subset`, a `&str` that lies inside this string (for example from
    /// `split`), sharing the storage.
    ///
    /// # Errors
    ///
    /// [`RangeError::OutOfBounds`] if `subset` is not inside this string.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_view::StrView::from(String::from("a b c"));
    /// let words: Vec<_> = s.split(' ').map(|w| s.try_slice_ref(w).unwrap()).collect();
    /// assert_eq!(words, ["a", "b", "c"]);
    /// ```
    pub fn try_slice_ref(&self, subset: &str) -> Result<Self, RangeError> {
        // A `&str` inside a `str` starts and ends on char boundaries.
        Ok(StrView {
            view: self.view.try_slice_ref(subset.as_bytes())?,
        })
    }
}

impl Deref for StrView {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for StrView {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for StrView {
    fn as_ref(&self) -> &[u8] {
        &self.view
    }
}

impl core::borrow::Borrow<str> for StrView {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl core::hash::Hash for StrView {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialEq<str> for StrView {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for StrView {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for StrView {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for StrView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for StrView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<&'static str> for StrView {
    fn from(s: &'static str) -> Self {
        Self::from_static(s)
    }
}

impl From<String> for StrView {
    /// Moves the string's buffer into a shared block (one allocation, no copy, no check).
    fn from(s: String) -> Self {
        StrView {
            view: ByteView::from(s),
        }
    }
}

impl From<StrView> for ByteView {
    fn from(s: StrView) -> Self {
        s.view
    }
}

impl TryFrom<ByteView> for StrView {
    type Error = Utf8ViewError;

    fn try_from(view: ByteView) -> Result<Self, Utf8ViewError> {
        Self::from_utf8(view)
    }
}
