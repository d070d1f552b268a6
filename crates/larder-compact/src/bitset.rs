//! [`BitSet`]: a growable set of small integers, one bit each, over `u64` words.

use crate::iter::{Ones, Zeros};
use crate::view::{BitSetRef, Ranked, bounds, span_mask, tail_mask, words_for};
use crate::words;
use alloc::vec::Vec;
use core::fmt;
use core::ops::RangeBounds;

/// Why bits from outside were refused.
///
/// # Examples
///
/// ```
/// use larder_compact::{BitSet, BitSetError};
///
/// assert_eq!(BitSet::from_words(vec![0b100], 2), Err(BitSetError::StrayBits));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BitSetError {
    /// The number of words (or bytes / 8) is not `ceil(len / 64)`.
    WrongLength {
        /// Words the length needs.
        expected: usize,
        /// Words given.
        actual: usize,
    },
    /// A bit at or past the length is set.
    StrayBits,
    /// A byte buffer's length is not a multiple of 8.
    PartialWord {
        /// The byte length given.
        bytes: usize,
    },
}

impl fmt::Display for BitSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BitSetError::WrongLength { expected, actual } => {
                write!(
                    f,
                    "expected {expected} words for the bit length, got {actual}"
                )
            }
            BitSetError::StrayBits => f.write_str("a bit at or past the bit length is set"),
            BitSetError::PartialWord { bytes } => {
                write!(f, "{bytes} bytes is not a whole number of 8-byte words")
            }
        }
    }
}

impl core::error::Error for BitSetError {}

/// A set of integers below a length, one bit each, in `u64` words.
///
/// Layout: `ceil(len / 64)` words in a `Vec<u64>`; bit `i` is bit `i % 64` of word
/// `i / 64` (the documented little-endian format: [`to_le_bytes`](BitSetRef::to_le_bytes)
/// writes each word as 8 little-endian bytes). Bits past `len` are always zero, so two
/// sets with the same ones and length compare equal and a word loop never needs a mask.
///
/// Costs: `insert`/`remove`/`contains`/`toggle` one word access; range operations one
/// masked write per edge word plus a fill; whole-set operations and counts one pass over the
/// words with the fastest popcount/vector instructions of the CPU (see the crate docs);
/// iteration one load per word plus one `trailing_zeros` per one bit.
///
/// # Examples
///
/// ```
/// use larder_compact::BitSet;
///
/// let mut a = BitSet::new(1000);
/// a.set_range(10..20);
/// a.insert(500);
/// let mut b = BitSet::new(1000);
/// b.insert(15);
/// b.insert(999);
/// assert_eq!(a.union_count(&b), 12);
/// a.intersect_with(&b);
/// assert_eq!(a.ones().collect::<Vec<_>>(), [15]);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct BitSet {
    words: Vec<u64>,
    len: usize,
}

impl fmt::Debug for BitSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BitSet")
            .field("len", &self.len)
            .field("ones", &DebugOnes(self))
            .finish()
    }
}

struct DebugOnes<'a>(&'a BitSet);

impl fmt::Debug for DebugOnes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.ones()).finish()
    }
}

impl BitSet {
    /// A set of `len` zero bits.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::BitSet::new(100);
    /// assert_eq!(s.len(), 100);
    /// assert!(s.is_clear());
    /// ```
    pub fn new(len: usize) -> Self {
        BitSet {
            words: alloc::vec![0; words_for(len)],
            len,
        }
    }

    /// A set of `len` one bits.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::BitSet::full(70);
    /// assert_eq!(s.count_ones(..), 70);
    /// ```
    pub fn full(len: usize) -> Self {
        let mut s = BitSet {
            words: alloc::vec![!0; words_for(len)],
            len,
        };
        s.mask_tail();
        s
    }

    /// A set over `words` with `len` bits, in the documented format.
    ///
    /// # Errors
    ///
    /// As [`BitSetRef::new`]: the word count must be `ceil(len / 64)` and no bit at or past
    /// `len` may be set.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::BitSet::from_words(vec![0b11], 2)?;
    /// assert!(s.is_full());
    /// # Ok::<(), larder_compact::BitSetError>(())
    /// ```
    pub fn from_words(words: Vec<u64>, len: usize) -> Result<Self, BitSetError> {
        BitSetRef::new(&words, len)?;
        Ok(BitSet { words, len })
    }

    pub(crate) fn from_trusted(words: Vec<u64>, len: usize) -> Self {
        debug_assert!(BitSetRef::new(&words, len).is_ok());
        BitSet { words, len }
    }

    /// A set from bytes in the documented little-endian format (what
    /// [`to_le_bytes`](BitSetRef::to_le_bytes) writes), with `len` bits.
    ///
    /// # Errors
    ///
    /// [`BitSetError::PartialWord`] if the byte count is not a multiple of 8, otherwise as
    /// [`from_words`](Self::from_words).
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSet;
    ///
    /// let mut s = BitSet::new(77);
    /// s.insert(76);
    /// let bytes = s.view().to_le_bytes();
    /// assert_eq!(BitSet::from_le_bytes(&bytes, 77)?, s);
    /// assert!(BitSet::from_le_bytes(&bytes[..5], 77).is_err());
    /// # Ok::<(), larder_compact::BitSetError>(())
    /// ```
    pub fn from_le_bytes(bytes: &[u8], len: usize) -> Result<Self, BitSetError> {
        if bytes.len() % 8 != 0 {
            return Err(BitSetError::PartialWord { bytes: bytes.len() });
        }
        let words = bytes
            .chunks_exact(8)
            .map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                u64::from_le_bytes(b)
            })
            .collect();
        Self::from_words(words, len)
    }

    /// A read-only view of the set, with every query of [`BitSetRef`].
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(10);
    /// s.insert(4);
    /// assert_eq!(s.view().last_one(), Some(4));
    /// ```
    #[inline]
    pub fn view(&self) -> BitSetRef<'_> {
        BitSetRef::trusted(&self.words, self.len)
    }

    /// The words, in the documented format.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(10);
    /// s.insert(1);
    /// assert_eq!(s.as_words(), &[2]);
    /// ```
    pub fn as_words(&self) -> &[u64] {
        &self.words
    }

    /// The words, consuming the set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::BitSet::full(3).into_words(), vec![7]);
    /// ```
    pub fn into_words(self) -> Vec<u64> {
        self.words
    }

    /// The number of bits (ones and zeros).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::BitSet::new(5).len(), 5);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set has no bits at all (length zero); see [`is_clear`](Self::is_clear)
    /// for "no ones".
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::BitSet::new(0).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Grows to `new_len` bits (new bits are zero); a smaller `new_len` does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(1);
    /// s.grow(200);
    /// s.insert(199);
    /// assert_eq!(s.len(), 200);
    /// ```
    pub fn grow(&mut self, new_len: usize) {
        if new_len > self.len {
            self.words.resize(words_for(new_len), 0);
            self.len = new_len;
        }
    }

    /// Shortens to `new_len` bits, dropping the ones past it; a larger `new_len` does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::full(100);
    /// s.truncate(10);
    /// assert_eq!(s.count_ones(..), 10);
    /// ```
    pub fn truncate(&mut self, new_len: usize) {
        if new_len < self.len {
            self.words.truncate(words_for(new_len));
            self.len = new_len;
            self.mask_tail();
        }
    }

    fn mask_tail(&mut self) {
        let mask = tail_mask(self.len);
        if let Some(last) = self.words.last_mut() {
            *last &= mask;
        }
    }

    #[track_caller]
    #[inline]
    fn check(&self, i: usize) {
        assert!(
            i < self.len,
            "bit {i} is out of range for a set of length {}",
            self.len
        );
    }

    /// Sets bit `i`; returns whether it was zero before.
    ///
    /// # Panics
    ///
    /// If `i >= len()` (use [`insert_growing`](Self::insert_growing) to grow instead).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(8);
    /// assert!(s.insert(3));
    /// assert!(!s.insert(3));
    /// ```
    #[track_caller]
    #[inline]
    pub fn insert(&mut self, i: usize) -> bool {
        self.check(i);
        let w = &mut self.words[i / 64];
        let bit = 1u64 << (i % 64);
        let was = *w & bit;
        *w |= bit;
        was == 0
    }

    /// Sets bit `i`, first growing the set to `i + 1` bits if needed; returns whether it
    /// was zero before.
    ///
    /// # Panics
    ///
    /// If `i == usize::MAX` (the length would overflow).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(0);
    /// s.insert_growing(1000);
    /// assert_eq!(s.len(), 1001);
    /// ```
    pub fn insert_growing(&mut self, i: usize) -> bool {
        self.grow(
            i.checked_add(1)
                .expect("bit index overflows the set length"),
        );
        self.insert(i)
    }

    /// Clears bit `i`; returns whether it was one. Past the length nothing is set, so it
    /// returns `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(8);
    /// s.insert(3);
    /// assert!(s.remove(3));
    /// assert!(!s.remove(3));
    /// assert!(!s.remove(100));
    /// ```
    #[inline]
    pub fn remove(&mut self, i: usize) -> bool {
        if i >= self.len {
            return false;
        }
        let w = &mut self.words[i / 64];
        let bit = 1u64 << (i % 64);
        let was = *w & bit;
        *w &= !bit;
        was != 0
    }

    /// Flips bit `i`; returns its new value.
    ///
    /// # Panics
    ///
    /// If `i >= len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(8);
    /// assert!(s.toggle(2));
    /// assert!(!s.toggle(2));
    /// ```
    #[track_caller]
    #[inline]
    pub fn toggle(&mut self, i: usize) -> bool {
        self.check(i);
        let w = &mut self.words[i / 64];
        *w ^= 1u64 << (i % 64);
        *w >> (i % 64) & 1 == 1
    }

    /// Sets bit `i` to `value`.
    ///
    /// # Panics
    ///
    /// If `i >= len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(8);
    /// s.set(5, true);
    /// assert!(s.contains(5));
    /// s.set(5, false);
    /// assert!(!s.contains(5));
    /// ```
    #[track_caller]
    pub fn set(&mut self, i: usize, value: bool) {
        if value {
            self.insert(i);
        } else {
            self.check(i);
            self.remove(i);
        }
    }

    fn range_apply(&mut self, start: usize, end: usize, f: impl Fn(&mut u64, u64)) {
        if start == end {
            return;
        }
        let (sw, ew) = (start / 64, (end - 1) / 64);
        let (lo, hi) = (start % 64, (end - 1) % 64 + 1);
        if sw == ew {
            f(&mut self.words[sw], span_mask(lo, hi));
            return;
        }
        f(&mut self.words[sw], span_mask(lo, 64));
        for w in &mut self.words[sw + 1..ew] {
            f(w, !0);
        }
        f(&mut self.words[ew], span_mask(0, hi));
    }

    /// Sets every bit in `range`.
    ///
    /// # Panics
    ///
    /// If `range` is not within `0..len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(200);
    /// s.set_range(60..130);
    /// assert_eq!(s.count_ones(..), 70);
    /// ```
    #[track_caller]
    pub fn set_range(&mut self, range: impl RangeBounds<usize>) {
        let (start, end) = bounds(range, self.len);
        self.range_apply(start, end, |w, m| *w |= m);
    }

    /// Clears every bit in `range`.
    ///
    /// # Panics
    ///
    /// If `range` is not within `0..len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::full(200);
    /// s.clear_range(..190);
    /// assert_eq!(s.ones().collect::<Vec<_>>(), (190..200).collect::<Vec<_>>());
    /// ```
    #[track_caller]
    pub fn clear_range(&mut self, range: impl RangeBounds<usize>) {
        let (start, end) = bounds(range, self.len);
        self.range_apply(start, end, |w, m| *w &= !m);
    }

    /// Flips every bit in `range`.
    ///
    /// # Panics
    ///
    /// If `range` is not within `0..len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(10);
    /// s.toggle_range(2..5);
    /// s.toggle_range(4..6);
    /// assert_eq!(s.ones().collect::<Vec<_>>(), [2, 3, 5]);
    /// ```
    #[track_caller]
    pub fn toggle_range(&mut self, range: impl RangeBounds<usize>) {
        let (start, end) = bounds(range, self.len);
        self.range_apply(start, end, |w, m| *w ^= m);
    }

    /// Clears every bit, keeping the length and the memory.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::full(10);
    /// s.clear();
    /// assert!(s.is_clear() && s.len() == 10);
    /// ```
    pub fn clear(&mut self) {
        self.words.fill(0);
    }

    /// In place, `self = self ∪ other`; grows to `other`'s length if that is longer.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSet;
    /// let mut a = BitSet::new(10);
    /// a.insert(1);
    /// let mut b = BitSet::new(100);
    /// b.insert(90);
    /// a.union_with(&b);
    /// assert_eq!(a.ones().collect::<Vec<_>>(), [1, 90]);
    /// ```
    pub fn union_with<'b>(&mut self, other: impl Into<BitSetRef<'b>>) {
        let other = other.into();
        self.grow(other.len());
        words::apply2(&mut self.words, other.words(), |x, y| x | y);
    }

    /// In place, `self = self ∩ other` (bits past `other`'s length become zero).
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSet;
    /// let mut a = BitSet::full(100);
    /// let b = BitSet::full(10);
    /// a.intersect_with(&b);
    /// assert_eq!(a.count_ones(..), 10);
    /// ```
    pub fn intersect_with<'b>(&mut self, other: impl Into<BitSetRef<'b>>) {
        let other = other.into();
        let n = other.words().len().min(self.words.len());
        words::apply2(&mut self.words, other.words(), |x, y| x & y);
        self.words[n..].fill(0);
    }

    /// In place, `self = self \ other`.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSet;
    /// let mut a = BitSet::full(10);
    /// let mut b = BitSet::new(10);
    /// b.set_range(..8);
    /// a.difference_with(&b);
    /// assert_eq!(a.ones().collect::<Vec<_>>(), [8, 9]);
    /// ```
    pub fn difference_with<'b>(&mut self, other: impl Into<BitSetRef<'b>>) {
        words::apply2(&mut self.words, other.into().words(), |x, y| x & !y);
    }

    /// In place, `self = self △ other` (ones in exactly one); grows to `other`'s length if
    /// that is longer.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSet;
    /// let mut a = BitSet::new(10);
    /// a.set_range(0..4);
    /// let mut b = BitSet::new(10);
    /// b.set_range(2..6);
    /// a.symmetric_difference_with(&b);
    /// assert_eq!(a.ones().collect::<Vec<_>>(), [0, 1, 4, 5]);
    /// ```
    pub fn symmetric_difference_with<'b>(&mut self, other: impl Into<BitSetRef<'b>>) {
        let other = other.into();
        self.grow(other.len());
        words::apply2(&mut self.words, other.words(), |x, y| x ^ y);
    }

    /// Whether bit `i` is one (`false` past the length).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(8);
    /// s.insert(7);
    /// assert!(s.contains(7) && !s.contains(6) && !s.contains(80));
    /// ```
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        // Bits past the length are zero, so the word bound is the only check needed.
        self.words
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// The number of ones in `range` (`..` for all).
    ///
    /// # Panics
    ///
    /// If `range` is not within `0..len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::BitSet::full(100);
    /// assert_eq!(s.count_ones(..), 100);
    /// assert_eq!(s.count_ones(90..), 10);
    /// ```
    #[track_caller]
    pub fn count_ones(&self, range: impl RangeBounds<usize>) -> usize {
        self.view().count_ones(range)
    }

    /// Whether no bit is one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::BitSet::new(100).is_clear());
    /// ```
    pub fn is_clear(&self) -> bool {
        self.view().is_clear()
    }

    /// Whether every bit is one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::BitSet::full(100).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.view().is_full()
    }

    /// The ones, ascending; double-ended.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(100);
    /// s.insert(64);
    /// s.insert(2);
    /// assert_eq!(s.ones().collect::<Vec<_>>(), [2, 64]);
    /// ```
    pub fn ones(&self) -> Ones<'_> {
        self.view().ones()
    }

    /// The zeros below the length, ascending; double-ended.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::full(5);
    /// s.remove(1);
    /// assert_eq!(s.zeros().collect::<Vec<_>>(), [1]);
    /// ```
    pub fn zeros(&self) -> Zeros<'_> {
        self.view().zeros()
    }

    /// The first one at or after `from`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(100);
    /// s.insert(70);
    /// assert_eq!(s.next_one(10), Some(70));
    /// assert_eq!(s.next_one(71), None);
    /// ```
    pub fn next_one(&self, from: usize) -> Option<usize> {
        self.view().next_one(from)
    }

    /// The lowest zero below the length.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(3);
    /// s.set_range(..2);
    /// assert_eq!(s.first_zero(), Some(2));
    /// s.insert(2);
    /// assert_eq!(s.first_zero(), None);
    /// ```
    pub fn first_zero(&self) -> Option<usize> {
        self.view().first_zero()
    }

    /// The number of ones below `i`. O(i / 64); see [`ranked`](Self::ranked) for O(1).
    ///
    /// # Panics
    ///
    /// If `i > len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::BitSet::full(100);
    /// assert_eq!(s.rank(70), 70);
    /// ```
    #[track_caller]
    pub fn rank(&self, i: usize) -> usize {
        self.view().rank(i)
    }

    /// The position of the one with rank `k`, if there are more than `k` ones. O(len / 64);
    /// see [`ranked`](Self::ranked).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(100);
    /// s.set_range(50..60);
    /// assert_eq!(s.select(3), Some(53));
    /// assert_eq!(s.select(10), None);
    /// ```
    pub fn select(&self, k: usize) -> Option<usize> {
        self.view().select(k)
    }

    /// Builds the rank/select index (see [`Ranked`]); the set is borrowed while it lives.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::BitSet::full(1000);
    /// assert_eq!(s.ranked().rank(999), 999);
    /// ```
    pub fn ranked(&self) -> Ranked<'_> {
        self.view().ranked()
    }

    /// Ones in `self ∪ other`, building nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSet;
    /// assert_eq!(BitSet::full(10).union_count(&BitSet::full(20)), 20);
    /// ```
    pub fn union_count<'b>(&self, other: impl Into<BitSetRef<'b>>) -> usize {
        self.view().union_count(other.into())
    }

    /// Ones in `self ∩ other`, building nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSet;
    /// assert_eq!(BitSet::full(10).intersection_count(&BitSet::full(20)), 10);
    /// ```
    pub fn intersection_count<'b>(&self, other: impl Into<BitSetRef<'b>>) -> usize {
        self.view().intersection_count(other.into())
    }

    /// Ones in `self \ other`, building nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSet;
    /// assert_eq!(BitSet::full(20).difference_count(&BitSet::full(10)), 10);
    /// ```
    pub fn difference_count<'b>(&self, other: impl Into<BitSetRef<'b>>) -> usize {
        self.view().difference_count(other.into())
    }

    /// Ones in `self △ other`, building nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSet;
    /// assert_eq!(BitSet::full(20).symmetric_difference_count(&BitSet::full(10)), 10);
    /// ```
    pub fn symmetric_difference_count<'b>(&self, other: impl Into<BitSetRef<'b>>) -> usize {
        self.view().symmetric_difference_count(other.into())
    }
}

impl Extend<usize> for BitSet {
    /// Inserts every index, growing as needed.
    fn extend<I: IntoIterator<Item = usize>>(&mut self, iter: I) {
        for i in iter {
            self.insert_growing(i);
        }
    }
}

impl FromIterator<usize> for BitSet {
    /// The smallest set holding every index.
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut s = BitSet::new(0);
        s.extend(iter);
        s
    }
}

impl<'a> IntoIterator for &'a BitSet {
    type Item = usize;
    type IntoIter = Ones<'a>;

    fn into_iter(self) -> Ones<'a> {
        self.ones()
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    //! `{ "len": bits, "words": [u64, ...] }`, validated on the way in.

    use super::BitSet;
    use alloc::vec::Vec;

    #[derive(serde::Serialize)]
    struct RawRef<'a> {
        len: usize,
        words: &'a [u64],
    }

    #[derive(serde::Deserialize)]
    struct Raw {
        len: usize,
        words: Vec<u64>,
    }

    impl serde::Serialize for BitSet {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            RawRef {
                len: self.len,
                words: &self.words,
            }
            .serialize(s)
        }
    }

    impl<'de> serde::Deserialize<'de> for BitSet {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let raw = Raw::deserialize(d)?;
            BitSet::from_words(raw.words, raw.len).map_err(serde::de::Error::custom)
        }
    }
}
