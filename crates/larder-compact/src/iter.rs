//! Double-ended iterators over the ones and the zeros of a bitset.

use core::iter::FusedIterator;

/// Walks the one bits of the words (or, with `ZEROS`, of the inverted words masked to the
/// length), front and back. Ones need no mask: bits past the length are zero.
///
/// Invariant: every bit still held in `front` is below every bit of `rest`, which are below
/// every bit still held in `back`.
#[derive(Clone, Debug)]
struct Scan<'a, const ZEROS: bool> {
    rest: &'a [u64],
    /// Word index of `rest[0]`.
    rest_start: usize,
    front: u64,
    front_base: usize,
    back: u64,
    back_base: usize,
    /// Index of the last word and the mask of its valid bits.
    last_word: usize,
    tail_mask: u64,
}

impl<'a, const ZEROS: bool> Scan<'a, ZEROS> {
    fn new(words: &'a [u64], len: usize) -> Self {
        Scan {
            rest: words,
            rest_start: 0,
            front: 0,
            front_base: 0,
            back: 0,
            back_base: 0,
            last_word: words.len().wrapping_sub(1),
            tail_mask: crate::view::tail_mask(len),
        }
    }

    #[inline(always)]
    fn load(&self, index: usize, w: u64) -> u64 {
        if !ZEROS {
            w
        } else if index == self.last_word {
            !w & self.tail_mask
        } else {
            !w
        }
    }

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.front != 0 {
                let t = self.front.trailing_zeros() as usize;
                self.front &= self.front - 1;
                return Some(self.front_base + t);
            }
            if let Some((&w, tail)) = self.rest.split_first() {
                self.front = self.load(self.rest_start, w);
                self.front_base = self.rest_start * 64;
                self.rest_start += 1;
                self.rest = tail;
            } else if self.back != 0 {
                let t = self.back.trailing_zeros() as usize;
                self.back &= self.back - 1;
                return Some(self.back_base + t);
            } else {
                return None;
            }
        }
    }

    #[inline]
    fn next_back(&mut self) -> Option<usize> {
        loop {
            if self.back != 0 {
                let t = 63 - self.back.leading_zeros() as usize;
                self.back &= !(1u64 << t);
                return Some(self.back_base + t);
            }
            if let Some((&w, head)) = self.rest.split_last() {
                let index = self.rest_start + head.len();
                self.back = self.load(index, w);
                self.back_base = index * 64;
                self.rest = head;
            } else if self.front != 0 {
                let t = 63 - self.front.leading_zeros() as usize;
                self.front &= !(1u64 << t);
                return Some(self.front_base + t);
            } else {
                return None;
            }
        }
    }

    #[inline]
    fn fold<B>(mut self, init: B, mut f: impl FnMut(B, usize) -> B) -> B {
        let mut acc = init;
        while self.front != 0 {
            let t = self.front.trailing_zeros() as usize;
            self.front &= self.front - 1;
            acc = f(acc, self.front_base | t);
        }
        // The middle words; with `ZEROS`, the set's last word (if still here) is masked
        // separately so the loop itself carries no per-word check.
        let (mid, last) = match self.rest.split_last() {
            Some((&l, m)) if ZEROS && self.rest_start + m.len() == self.last_word => (m, Some(l)),
            _ => (self.rest, None),
        };
        let mut base = self.rest_start * 64;
        for &w in mid {
            let mut w = if ZEROS { !w } else { w };
            while w != 0 {
                let t = w.trailing_zeros() as usize;
                w &= w - 1;
                // `base` is a multiple of 64 and `t < 64`: OR keeps the position off the
                // accumulator's dependency chain.
                acc = f(acc, base | t);
            }
            base += 64;
        }
        if let Some(l) = last {
            let mut w = !l & self.tail_mask;
            while w != 0 {
                let t = w.trailing_zeros() as usize;
                w &= w - 1;
                acc = f(acc, base | t);
            }
        }
        while self.back != 0 {
            let t = self.back.trailing_zeros() as usize;
            self.back &= self.back - 1;
            acc = f(acc, self.back_base | t);
        }
        acc
    }

    fn upper_bound(&self) -> usize {
        (self.front.count_ones() + self.back.count_ones()) as usize + self.rest.len() * 64
    }
}

macro_rules! bit_iter {
    ($(#[$doc:meta])* $name:ident, $invert:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name<'a>(Scan<'a, $invert>);

        impl<'a> $name<'a> {
            pub(crate) fn new(words: &'a [u64], len: usize) -> Self {
                $name(Scan::new(words, len))
            }
        }

        impl Iterator for $name<'_> {
            type Item = usize;

            #[inline]
            fn next(&mut self) -> Option<usize> {
                self.0.next()
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                (0, Some(self.0.upper_bound()))
            }

            #[inline]
            fn fold<B, F: FnMut(B, usize) -> B>(self, init: B, f: F) -> B {
                self.0.fold(init, f)
            }
        }

        impl DoubleEndedIterator for $name<'_> {
            #[inline]
            fn next_back(&mut self) -> Option<usize> {
                self.0.next_back()
            }
        }

        impl FusedIterator for $name<'_> {}
    };
}

bit_iter!(
    /// The positions of the one bits, ascending (or descending from the back).
    ///
    /// Costs one `trailing_zeros` per one bit plus one load per word.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(200);
    /// s.insert(3);
    /// s.insert(130);
    /// assert_eq!(s.ones().collect::<Vec<_>>(), [3, 130]);
    /// assert_eq!(s.ones().rev().collect::<Vec<_>>(), [130, 3]);
    /// ```
    Ones,
    false
);

bit_iter!(
    /// The positions of the zero bits below the set's length, ascending (or descending).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::BitSet::new(4);
    /// s.insert(1);
    /// assert_eq!(s.zeros().collect::<Vec<_>>(), [0, 2, 3]);
    /// assert_eq!(s.zeros().next_back(), Some(3));
    /// ```
    Zeros,
    true
);
