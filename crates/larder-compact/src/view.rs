//! [`BitSetRef`], the borrowed read-only bitset, and [`Ranked`], its rank/select index.

use crate::iter::{Ones, Zeros};
use crate::words;
use crate::{BitSet, BitSetError};
use alloc::vec::Vec;
use core::ops::{Bound, RangeBounds};

/// Words needed for `len` bits.
#[inline]
pub(crate) const fn words_for(len: usize) -> usize {
    len.div_ceil(64)
}

/// The mask of the valid bits of the last word of a `len`-bit set.
#[inline]
pub(crate) const fn tail_mask(len: usize) -> u64 {
    match len % 64 {
        0 => !0,
        r => (1u64 << r) - 1,
    }
}

/// `range` as `start..end` within `0..len`, or a panic that says what is wrong.
#[track_caller]
pub(crate) fn bounds(range: impl RangeBounds<usize>, len: usize) -> (usize, usize) {
    let start = match range.start_bound() {
        Bound::Included(&s) => s,
        Bound::Excluded(&s) => s.checked_add(1).expect("range start overflows usize"),
        Bound::Unbounded => 0,
    };
    let end = match range.end_bound() {
        Bound::Included(&e) => e.checked_add(1).expect("range end overflows usize"),
        Bound::Excluded(&e) => e,
        Bound::Unbounded => len,
    };
    assert!(
        start <= end && end <= len,
        "bit range {start}..{end} is not within the set's length {len}"
    );
    (start, end)
}

/// The mask of bits `lo..hi` of one word (`lo <= hi <= 64`).
#[inline]
pub(crate) const fn span_mask(lo: usize, hi: usize) -> u64 {
    if lo == hi {
        0
    } else {
        (!0u64 >> (64 - (hi - lo))) << lo
    }
}

/// Ones in bits `start..end` of `words`.
pub(crate) fn count_range(words: &[u64], start: usize, end: usize) -> u64 {
    if start == end {
        return 0;
    }
    let (sw, ew) = (start / 64, (end - 1) / 64);
    let (lo, hi) = (start % 64, (end - 1) % 64 + 1);
    if sw == ew {
        return u64::from((words[sw] & span_mask(lo, hi)).count_ones());
    }
    let first = u64::from((words[sw] & span_mask(lo, 64)).count_ones());
    let last = u64::from((words[ew] & span_mask(0, hi)).count_ones());
    first + words::count_ones(&words[sw + 1..ew]) + last
}

/// A read-only bitset borrowed from `&[u64]`: every query of [`BitSet`], no copy.
///
/// The format is the one [`BitSet`] documents: bit `i` is bit `i % 64` of word `i / 64`;
/// the slice has exactly `ceil(len / 64)` words and the bits past `len` in the last word
/// are zero. [`new`](Self::new) checks both, so a view over foreign data (a file, a
/// message) is always well formed. A view is two words plus the length and is `Copy`.
///
/// # Examples
///
/// ```
/// use larder_compact::BitSetRef;
///
/// let words = [0b1011u64, 1 << 63];
/// let view = BitSetRef::new(&words, 128)?;
/// assert_eq!(view.count_ones(..), 4);
/// assert_eq!(view.ones().collect::<Vec<_>>(), [0, 1, 3, 127]);
/// assert!(BitSetRef::new(&words, 100).is_err()); // bit 127 is past the length
/// # Ok::<(), larder_compact::BitSetError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BitSetRef<'a> {
    words: &'a [u64],
    len: usize,
}

impl<'a> From<&'a BitSet> for BitSetRef<'a> {
    fn from(set: &'a BitSet) -> Self {
        set.view()
    }
}

impl<'a> BitSetRef<'a> {
    /// A view of `len` bits over `words`.
    ///
    /// # Errors
    ///
    /// [`BitSetError::WrongLength`] if `words` does not have exactly `ceil(len / 64)`
    /// words; [`BitSetError::StrayBits`] if a bit at or past `len` is set.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::{BitSetError, BitSetRef};
    ///
    /// assert!(BitSetRef::new(&[1, 1], 65).is_ok());
    /// assert_eq!(BitSetRef::new(&[1, 2], 65), Err(BitSetError::StrayBits));
    /// assert_eq!(BitSetRef::new(&[1], 65), Err(BitSetError::WrongLength { expected: 2, actual: 1 }));
    /// ```
    pub fn new(words: &'a [u64], len: usize) -> Result<Self, BitSetError> {
        let expected = words_for(len);
        if words.len() != expected {
            return Err(BitSetError::WrongLength {
                expected,
                actual: words.len(),
            });
        }
        if let Some(&last) = words.last() {
            if last & !tail_mask(len) != 0 {
                return Err(BitSetError::StrayBits);
            }
        }
        Ok(BitSetRef { words, len })
    }

    /// A view of all `64 * words.len()` bits of `words` (always well formed).
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[u64::MAX]);
    /// assert_eq!(view.len(), 64);
    /// assert!(view.is_full());
    /// ```
    pub fn from_words(words: &'a [u64]) -> Self {
        BitSetRef {
            words,
            len: words.len() * 64,
        }
    }

    /// Built without checks by [`BitSet`], whose invariant is the same.
    pub(crate) fn trusted(words: &'a [u64], len: usize) -> Self {
        debug_assert!(BitSetRef::new(words, len).is_ok());
        BitSetRef { words, len }
    }

    /// The number of bits (ones and zeros).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::BitSetRef::from_words(&[0, 0]).len(), 128);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the view has no bits at all (length zero).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::BitSetRef::from_words(&[]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The underlying words.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::BitSetRef::from_words(&[5]).words(), &[5]);
    /// ```
    pub fn words(&self) -> &'a [u64] {
        self.words
    }

    /// Whether bit `i` is one (`false` past the length).
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[0b10]);
    /// assert!(view.contains(1) && !view.contains(0) && !view.contains(1000));
    /// ```
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        // Bits past the length are zero, so the word bound is the only check needed.
        self.words
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// The number of ones in `range` (`..` for all): popcount over the words, picked at
    /// run time (see the crate docs).
    ///
    /// # Panics
    ///
    /// If `range` is not within `0..len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[0b1111, 1]);
    /// assert_eq!(view.count_ones(..), 5);
    /// assert_eq!(view.count_ones(2..65), 3);
    /// ```
    #[track_caller]
    pub fn count_ones(&self, range: impl RangeBounds<usize>) -> usize {
        let (start, end) = bounds(range, self.len);
        count_range(self.words, start, end) as usize
    }

    /// Whether no bit is one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::BitSetRef::from_words(&[0, 0]).is_clear());
    /// ```
    pub fn is_clear(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// Whether every bit is one (true for an empty view).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::BitSetRef::from_words(&[u64::MAX]).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.first_zero().is_none()
    }

    /// The ones, ascending; double-ended.
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[0b101]);
    /// assert_eq!(view.ones().collect::<Vec<_>>(), [0, 2]);
    /// ```
    pub fn ones(&self) -> Ones<'a> {
        Ones::new(self.words, self.len)
    }

    /// The zeros below the length, ascending; double-ended.
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[!0b101]);
    /// assert_eq!(view.zeros().collect::<Vec<_>>(), [0, 2]);
    /// ```
    pub fn zeros(&self) -> Zeros<'a> {
        Zeros::new(self.words, self.len)
    }

    /// The first one at or after `from`.
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[1, 1]);
    /// assert_eq!(view.next_one(1), Some(64));
    /// assert_eq!(view.next_one(65), None);
    /// ```
    pub fn next_one(&self, from: usize) -> Option<usize> {
        self.next_with(from, 0)
    }

    /// The first zero at or after `from`, below the length.
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::new(&[0b0111], 4)?;
    /// assert_eq!(view.next_zero(1), Some(3));
    /// # Ok::<(), larder_compact::BitSetError>(())
    /// ```
    pub fn next_zero(&self, from: usize) -> Option<usize> {
        self.next_with(from, !0)
    }

    fn next_with(&self, from: usize, invert: u64) -> Option<usize> {
        if from >= self.len {
            return None;
        }
        let mut wi = from / 64;
        let mut w = (self.words[wi] ^ invert) & (!0u64 << (from % 64));
        loop {
            if wi + 1 == self.words.len() {
                w &= tail_mask(self.len);
            }
            if w != 0 {
                return Some(wi * 64 + w.trailing_zeros() as usize);
            }
            wi += 1;
            if wi == self.words.len() {
                return None;
            }
            w = self.words[wi] ^ invert;
        }
    }

    /// The last one before `before` (`None` if there is none).
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[0b1001, 0]);
    /// assert_eq!(view.prev_one(128), Some(3));
    /// assert_eq!(view.prev_one(3), Some(0));
    /// assert_eq!(view.prev_one(0), None);
    /// ```
    pub fn prev_one(&self, before: usize) -> Option<usize> {
        let end = before.min(self.len);
        if end == 0 {
            return None;
        }
        let mut wi = (end - 1) / 64;
        let mut w = self.words[wi] & span_mask(0, (end - 1) % 64 + 1);
        loop {
            if w != 0 {
                return Some(wi * 64 + 63 - w.leading_zeros() as usize);
            }
            if wi == 0 {
                return None;
            }
            wi -= 1;
            w = self.words[wi];
        }
    }

    /// The lowest one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::BitSetRef::from_words(&[0, 4]).first_one(), Some(66));
    /// ```
    pub fn first_one(&self) -> Option<usize> {
        self.next_one(0)
    }

    /// The lowest zero below the length.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::BitSetRef::from_words(&[!0, 0]).first_zero(), Some(64));
    /// ```
    pub fn first_zero(&self) -> Option<usize> {
        self.next_zero(0)
    }

    /// The highest one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::BitSetRef::from_words(&[1, 4]).last_one(), Some(66));
    /// ```
    pub fn last_one(&self) -> Option<usize> {
        self.prev_one(self.len)
    }

    /// The number of ones below `i` (so `rank(len())` counts them all). O(i / 64); build
    /// [`ranked`](Self::ranked) for O(1).
    ///
    /// # Panics
    ///
    /// If `i > len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[0b1101]);
    /// assert_eq!(view.rank(0), 0);
    /// assert_eq!(view.rank(3), 2);
    /// assert_eq!(view.rank(64), 3);
    /// ```
    #[track_caller]
    pub fn rank(&self, i: usize) -> usize {
        self.count_ones(..i)
    }

    /// The position of the one with rank `k` (the `k + 1`-th one), or `None` if there are
    /// at most `k` ones. O(len / 64); build [`ranked`](Self::ranked) for O(log n).
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[0b1101, 1]);
    /// assert_eq!(view.select(0), Some(0));
    /// assert_eq!(view.select(3), Some(64));
    /// assert_eq!(view.select(4), None);
    /// ```
    pub fn select(&self, k: usize) -> Option<usize> {
        let mut k = k as u64;
        for (wi, &w) in self.words.iter().enumerate() {
            let c = u64::from(w.count_ones());
            if k < c {
                return Some(wi * 64 + words::select_in_word(w, k as u32) as usize);
            }
            k -= c;
        }
        None
    }

    /// Builds the rank/select index over this view: one cumulative count per 512 bits
    /// (12.5% extra memory), then `rank` is O(1) and `select` O(log n).
    ///
    /// # Examples
    ///
    /// ```
    /// let words = vec![u64::MAX; 100];
    /// let view = larder_compact::BitSetRef::from_words(&words);
    /// let r = view.ranked();
    /// assert_eq!(r.rank(1000), 1000);
    /// assert_eq!(r.select(6399), Some(6399));
    /// ```
    pub fn ranked(&self) -> Ranked<'a> {
        Ranked::new(*self)
    }

    /// Ones in the union with `other`, building nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSetRef;
    /// let (a, b) = (BitSetRef::from_words(&[0b0011]), BitSetRef::from_words(&[0b0110, 1]));
    /// assert_eq!(a.union_count(b), 4);
    /// ```
    pub fn union_count(&self, other: BitSetRef<'_>) -> usize {
        let n = self.words.len().min(other.words.len());
        (words::count2(self.words, other.words, |x, y| x | y)
            + words::count_ones(&self.words[n..])
            + words::count_ones(&other.words[n..])) as usize
    }

    /// Ones in the intersection with `other`, building nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSetRef;
    /// let (a, b) = (BitSetRef::from_words(&[0b0011]), BitSetRef::from_words(&[0b0110, 1]));
    /// assert_eq!(a.intersection_count(b), 1);
    /// ```
    pub fn intersection_count(&self, other: BitSetRef<'_>) -> usize {
        words::count2(self.words, other.words, |x, y| x & y) as usize
    }

    /// Ones of `self` that are not in `other`, building nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSetRef;
    /// let (a, b) = (BitSetRef::from_words(&[0b0011]), BitSetRef::from_words(&[0b0110, 1]));
    /// assert_eq!(a.difference_count(b), 1);
    /// ```
    pub fn difference_count(&self, other: BitSetRef<'_>) -> usize {
        let n = self.words.len().min(other.words.len());
        (words::count2(self.words, other.words, |x, y| x & !y)
            + words::count_ones(&self.words[n..])) as usize
    }

    /// Ones in exactly one of `self` and `other`, building nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSetRef;
    /// let (a, b) = (BitSetRef::from_words(&[0b0011]), BitSetRef::from_words(&[0b0110, 1]));
    /// assert_eq!(a.symmetric_difference_count(b), 3);
    /// ```
    pub fn symmetric_difference_count(&self, other: BitSetRef<'_>) -> usize {
        let n = self.words.len().min(other.words.len());
        (words::count2(self.words, other.words, |x, y| x ^ y)
            + words::count_ones(&self.words[n..])
            + words::count_ones(&other.words[n..])) as usize
    }

    /// Whether every one of `self` is a one of `other`.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSetRef;
    /// assert!(BitSetRef::from_words(&[0b01]).is_subset(BitSetRef::from_words(&[0b11])));
    /// ```
    pub fn is_subset(&self, other: BitSetRef<'_>) -> bool {
        self.difference_count(other) == 0
    }

    /// Whether `self` and `other` have no one in common.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::BitSetRef;
    /// assert!(BitSetRef::from_words(&[0b01]).is_disjoint(BitSetRef::from_words(&[0b10])));
    /// ```
    pub fn is_disjoint(&self, other: BitSetRef<'_>) -> bool {
        self.words
            .iter()
            .zip(other.words)
            .all(|(&x, &y)| x & y == 0)
    }

    /// The bits in the documented little-endian format: word `j` as its 8 little-endian
    /// bytes at offset `8 * j`.
    ///
    /// # Examples
    ///
    /// ```
    /// let view = larder_compact::BitSetRef::from_words(&[0x0102]);
    /// assert_eq!(view.to_le_bytes(), [2, 1, 0, 0, 0, 0, 0, 0]);
    /// ```
    pub fn to_le_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.words.len() * 8);
        for w in self.words {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// An owned copy.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = larder_compact::BitSetRef::from_words(&[7]).to_bitset();
    /// assert_eq!(set.count_ones(..), 3);
    /// ```
    pub fn to_bitset(&self) -> BitSet {
        BitSet::from_trusted(self.words.to_vec(), self.len)
    }
}

/// Words per rank block.
const BLOCK_WORDS: usize = 8;

/// A [`BitSetRef`] with a rank/select index: O(1) `rank`, O(log n) `select`.
///
/// Layout: for every block of 8 words (512 bits) the number of ones before it, as a `u64`
/// (12.5% of the bits' size). `rank(i)` reads one count and popcounts at most 7 words and
/// one masked word; `select(k)` binary-searches the counts, then popcounts at most 8 words.
/// The index borrows the bits, so they cannot change under it.
///
/// # Examples
///
/// ```
/// let mut set = larder_compact::BitSet::new(10_000);
/// for i in (0..10_000).step_by(3) {
///     set.insert(i);
/// }
/// let r = set.ranked();
/// assert_eq!(r.rank(9), 3); // 0, 3, 6
/// assert_eq!(r.select(3), Some(9));
/// assert_eq!(r.count_ones(), 3334);
/// ```
///
/// The index borrows the set, so the set cannot change while the index lives:
///
/// ```compile_fail
/// let mut set = larder_compact::BitSet::new(100);
/// let r = set.ranked();
/// set.insert(5);
/// r.rank(10);
/// ```
#[derive(Clone, Debug)]
pub struct Ranked<'a> {
    bits: BitSetRef<'a>,
    /// `blocks[j]` = ones in words `0..8 * j`; one more entry than there are blocks.
    blocks: Vec<u64>,
}

impl<'a> Ranked<'a> {
    fn new(bits: BitSetRef<'a>) -> Self {
        let mut blocks = Vec::with_capacity(bits.words.len() / BLOCK_WORDS + 2);
        let mut total = 0u64;
        blocks.push(0);
        for chunk in bits.words.chunks(BLOCK_WORDS) {
            total += words::count_ones(chunk);
            blocks.push(total);
        }
        Ranked { bits, blocks }
    }

    /// The indexed bits.
    ///
    /// # Examples
    ///
    /// ```
    /// let set = larder_compact::BitSet::new(70);
    /// assert_eq!(set.ranked().bits().len(), 70);
    /// ```
    pub fn bits(&self) -> BitSetRef<'a> {
        self.bits
    }

    /// All ones, O(1).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::BitSetRef::from_words(&[3, 3]).ranked().count_ones(), 4);
    /// ```
    pub fn count_ones(&self) -> usize {
        *self.blocks.last().unwrap_or(&0) as usize
    }

    /// The number of ones below `i`, O(1).
    ///
    /// # Panics
    ///
    /// If `i > len()` of the bits.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = larder_compact::BitSetRef::from_words(&[u64::MAX; 20]).ranked();
    /// assert_eq!(r.rank(1279), 1279);
    /// ```
    #[track_caller]
    pub fn rank(&self, i: usize) -> usize {
        assert!(
            i <= self.bits.len,
            "rank position {i} is past the set's length {}",
            self.bits.len
        );
        let wi = i / 64;
        let block = wi / BLOCK_WORDS;
        let mut r = self.blocks[block];
        for &w in &self.bits.words[block * BLOCK_WORDS..wi] {
            r += u64::from(w.count_ones());
        }
        if i % 64 != 0 {
            r += u64::from((self.bits.words[wi] & span_mask(0, i % 64)).count_ones());
        }
        r as usize
    }

    /// The position of the one with rank `k`, or `None` if there are at most `k` ones.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = larder_compact::BitSetRef::from_words(&[0, 0, 0b100]).ranked();
    /// assert_eq!(r.select(0), Some(130));
    /// assert_eq!(r.select(1), None);
    /// ```
    pub fn select(&self, k: usize) -> Option<usize> {
        let k = k as u64;
        if k >= *self.blocks.last().unwrap_or(&0) {
            return None;
        }
        // The last block whose count-before is <= k.
        let block = self.blocks.partition_point(|&c| c <= k) - 1;
        let mut rem = k - self.blocks[block];
        let start = block * BLOCK_WORDS;
        for (j, &w) in self.bits.words[start..].iter().enumerate() {
            let c = u64::from(w.count_ones());
            if rem < c {
                return Some((start + j) * 64 + words::select_in_word(w, rem as u32) as usize);
            }
            rem -= c;
        }
        None
    }
}
