//! [`AtomicBitSet`]: a fixed-size bitset changed through `&self`.

use crate::BitSet;
use crate::view::{tail_mask, words_for};
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use larder_core::sync::atomic::{AtomicU64, Ordering};

/// A fixed-size bitset whose bits are set and cleared through `&self`, lock-free.
///
/// Layout: `ceil(len / 64)` `AtomicU64` words in one boxed slice, bit `i` in word `i / 64`
/// as in [`BitSet`]. Each operation is one atomic read-modify-write on one word
/// (`fetch_or` / `fetch_and`); [`claim_first_zero`](Self::claim_first_zero) loads words
/// until one has a zero and then claims it with one `fetch_or`, retrying only if another
/// thread took that bit first, so it is lock-free (some thread always makes progress).
///
/// Ordering: setting a bit is `Acquire` and clearing it is `Release` (both `AcqRel`, as
/// read-modify-writes), so a slot claimed with `claim_first_zero` sees everything its
/// previous owner wrote before releasing it with `clear`. It is `Send + Sync` because its
/// words are atomics; no `unsafe` is involved.
///
/// # Examples
///
/// ```
/// use larder_compact::AtomicBitSet;
/// use std::sync::Arc;
///
/// let slots = Arc::new(AtomicBitSet::new(128));
/// let handles: Vec<_> = (0..4)
///     .map(|_| {
///         let slots = Arc::clone(&slots);
///         std::thread::spawn(move || slots.claim_first_zero().unwrap())
///     })
///     .collect();
/// let mut got: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
/// got.sort();
/// assert_eq!(got, [0, 1, 2, 3]); // four different slots
/// ```
pub struct AtomicBitSet {
    words: Box<[AtomicU64]>,
    len: usize,
}

impl fmt::Debug for AtomicBitSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AtomicBitSet")
            .field("len", &self.len)
            .field("ones", &self.count_ones())
            .finish()
    }
}

impl AtomicBitSet {
    /// A set of `len` zero bits.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::AtomicBitSet::new(10);
    /// assert_eq!(s.len(), 10);
    /// assert!(!s.contains(3));
    /// ```
    pub fn new(len: usize) -> Self {
        let words: Vec<AtomicU64> = (0..words_for(len)).map(|_| AtomicU64::new(0)).collect();
        AtomicBitSet {
            words: words.into_boxed_slice(),
            len,
        }
    }

    /// The number of bits.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::AtomicBitSet::new(65).len(), 65);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set has no bits at all (length zero).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::AtomicBitSet::new(0).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[track_caller]
    #[inline]
    fn locate(&self, i: usize) -> (&AtomicU64, u64) {
        assert!(
            i < self.len,
            "bit {i} is out of range for a set of length {}",
            self.len
        );
        (&self.words[i / 64], 1u64 << (i % 64))
    }

    /// Whether bit `i` is one (`Acquire`; `false` past the length).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::AtomicBitSet::new(10);
    /// s.set(4);
    /// assert!(s.contains(4) && !s.contains(99));
    /// ```
    pub fn contains(&self, i: usize) -> bool {
        i < self.len && self.words[i / 64].load(Ordering::Acquire) >> (i % 64) & 1 == 1
    }

    /// Sets bit `i`.
    ///
    /// # Panics
    ///
    /// If `i >= len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::AtomicBitSet::new(10);
    /// s.set(9);
    /// assert!(s.contains(9));
    /// ```
    #[track_caller]
    pub fn set(&self, i: usize) {
        self.test_and_set(i);
    }

    /// Clears bit `i`.
    ///
    /// # Panics
    ///
    /// If `i >= len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::AtomicBitSet::new(10);
    /// s.set(9);
    /// s.clear(9);
    /// assert!(!s.contains(9));
    /// ```
    #[track_caller]
    pub fn clear(&self, i: usize) {
        self.test_and_clear(i);
    }

    /// Sets bit `i` and returns whether it was already one (`false` means this call set it).
    ///
    /// # Panics
    ///
    /// If `i >= len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::AtomicBitSet::new(10);
    /// assert!(!s.test_and_set(2));
    /// assert!(s.test_and_set(2));
    /// ```
    #[track_caller]
    pub fn test_and_set(&self, i: usize) -> bool {
        let (word, bit) = self.locate(i);
        word.fetch_or(bit, Ordering::AcqRel) & bit != 0
    }

    /// Clears bit `i` and returns whether it was one (`true` means this call cleared it).
    ///
    /// # Panics
    ///
    /// If `i >= len()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::AtomicBitSet::new(10);
    /// s.set(2);
    /// assert!(s.test_and_clear(2));
    /// assert!(!s.test_and_clear(2));
    /// ```
    #[track_caller]
    pub fn test_and_clear(&self, i: usize) -> bool {
        let (word, bit) = self.locate(i);
        word.fetch_and(!bit, Ordering::AcqRel) & bit != 0
    }

    /// Finds a zero bit, sets it and returns it: lock-free slot allocation. `None` when
    /// every bit was one at the time it was looked at. Give the slot back with
    /// [`clear`](Self::clear).
    ///
    /// Each returned bit was zero before this call set it, so two concurrent callers never
    /// get the same bit (unless it was cleared in between).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::AtomicBitSet::new(2);
    /// assert_eq!(s.claim_first_zero(), Some(0));
    /// assert_eq!(s.claim_first_zero(), Some(1));
    /// assert_eq!(s.claim_first_zero(), None);
    /// s.clear(0);
    /// assert_eq!(s.claim_first_zero(), Some(0));
    /// ```
    pub fn claim_first_zero(&self) -> Option<usize> {
        let last = self.words.len().wrapping_sub(1);
        for (wi, word) in self.words.iter().enumerate() {
            let valid = if wi == last { tail_mask(self.len) } else { !0 };
            let mut current = word.load(Ordering::Relaxed);
            loop {
                let free = !current & valid;
                if free == 0 {
                    break;
                }
                let bit = free & free.wrapping_neg();
                let before = word.fetch_or(bit, Ordering::AcqRel);
                if before & bit == 0 {
                    return Some(wi * 64 + bit.trailing_zeros() as usize);
                }
                // Someone took that bit first; look again at what the word is now.
                current = before | bit;
            }
        }
        None
    }

    /// The number of ones at some moment during the call (exact when no thread changes
    /// the set meanwhile).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::AtomicBitSet::new(100);
    /// s.set(1);
    /// s.set(99);
    /// assert_eq!(s.count_ones(), 2);
    /// ```
    pub fn count_ones(&self) -> usize {
        self.words
            .iter()
            .map(|w| w.load(Ordering::Acquire).count_ones() as usize)
            .sum()
    }

    /// A plain [`BitSet`] copy, word by word (exact when no thread changes the set meanwhile).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::AtomicBitSet::new(100);
    /// s.set(42);
    /// assert_eq!(s.snapshot().ones().collect::<Vec<_>>(), [42]);
    /// ```
    pub fn snapshot(&self) -> BitSet {
        let words = self
            .words
            .iter()
            .map(|w| w.load(Ordering::Acquire))
            .collect();
        BitSet::from_trusted(words, self.len)
    }
}

impl From<&BitSet> for AtomicBitSet {
    /// An atomic set with the same bits.
    fn from(set: &BitSet) -> Self {
        let words: Vec<AtomicU64> = set.as_words().iter().map(|&w| AtomicU64::new(w)).collect();
        AtomicBitSet {
            words: words.into_boxed_slice(),
            len: set.len(),
        }
    }
}
