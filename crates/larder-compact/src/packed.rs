//! [`PackedInts`]: `u64` sequences packed in blocks of 128 values.

use alloc::vec::Vec;
use core::fmt;
use core::iter::FusedIterator;

/// Values per block.
///
/// # Examples
///
/// ```
/// use larder_compact::{PackedInts, packed::BLOCK_LEN};
/// let p = PackedInts::from_slice(&vec![1; BLOCK_LEN + 1]);
/// assert_eq!(p.blocks(), 2);
/// ```
pub const BLOCK_LEN: usize = 128;
/// Bytes of one block header.
///
/// # Examples
///
/// ```
/// use larder_compact::{PackedInts, packed::HEADER_BYTES};
/// let p = PackedInts::from_slice(&[0; 256]); // two blocks of width 0: no payload words
/// assert_eq!(p.heap_bytes(), 2 * HEADER_BYTES + 8); // and the one spare word
/// ```
pub const HEADER_BYTES: usize = 16;

/// How the blocks of a [`PackedInts`] are encoded.
///
/// # Examples
///
/// ```
/// use larder_compact::{PackedInts, packed::Mode};
/// assert_eq!(PackedInts::from_slice(&[3, 1]).mode(), Mode::FrameOfReference);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Each value minus its block's minimum, in the fewest bits that hold the block's
    /// largest difference. `get` is O(1).
    FrameOfReference,
    /// Sorted data: each value minus the one before it (zero for a block's first value,
    /// which the header holds), packed the same way. `get` sums up to 127 differences; a
    /// sequential scan is as fast as in the other mode.
    Delta,
}

/// Why [`PackedInts::from_sorted`] refused its input.
///
/// # Examples
///
/// ```
/// use larder_compact::{PackedInts, packed::NotSorted};
/// assert_eq!(PackedInts::from_sorted(&[1, 3, 2]).unwrap_err(), NotSorted { index: 2 });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NotSorted {
    /// The first position whose value is smaller than the one before it.
    pub index: usize,
}

impl fmt::Display for NotSorted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "value at index {} is smaller than the one before it",
            self.index
        )
    }
}

impl core::error::Error for NotSorted {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Header {
    /// The block's minimum (frame of reference) or first value (delta).
    base: u64,
    /// `start_word << 8 | width`: where the block's bits start and how wide each value is.
    start_width: u64,
}

impl Header {
    #[inline]
    fn start(self) -> usize {
        (self.start_width >> 8) as usize
    }

    #[inline]
    fn width(self) -> u32 {
        (self.start_width & 0xFF) as u32
    }
}

/// Bits needed for `x` (0 for 0).
#[inline]
fn bits(x: u64) -> u32 {
    64 - x.leading_zeros()
}

/// Words that hold `n` values of `width` bits.
#[inline]
fn words_for(n: usize, width: u32) -> usize {
    (n * width as usize).div_ceil(64)
}

#[inline]
fn mask(width: u32) -> u64 {
    if width == 64 { !0 } else { (1u64 << width) - 1 }
}

/// Reads value `j` of `width` bits from `words` (which has a word after the last one used).
#[inline(always)]
fn read(words: &[u64], j: usize, width: u32) -> u64 {
    let bit = j * width as usize;
    let (wi, sh) = (bit / 64, bit % 64);
    let pair = u128::from(words[wi]) | u128::from(words[wi + 1]) << 64;
    (pair >> sh) as u64 & mask(width)
}

/// Packs `values` at `width` bits into `out` (zeroed, long enough).
fn write_all(out: &mut [u64], values: impl Iterator<Item = u64>, width: u32) {
    if width == 0 {
        return;
    }
    for (j, v) in values.enumerate() {
        let bit = j * width as usize;
        let (wi, sh) = (bit / 64, bit % 64);
        out[wi] |= v << sh;
        if sh + width as usize > 64 {
            out[wi + 1] |= v >> (64 - sh);
        }
    }
}

/// Unpacks `out.len()` values of `width` bits.
#[inline]
fn unpack(words: &[u64], width: u32, out: &mut [u64]) {
    macro_rules! widths {
        ($($w:literal)*) => {
            match width {
                0 => out.fill(0),
                $($w => unpack_const::<$w>(words, out),)*
                _ => unreachable!("widths are at most 64"),
            }
        };
    }
    widths!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30
        31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59
        60 61 62 63 64)
}

/// One loop per width, so that shifts and masks are constants: 64 values of `W` bits
/// take exactly `W` words, and each group of 64 is written out value by value with
/// every shift known at compile time.
#[inline(never)]
fn unpack_const<const W: u32>(words: &[u64], out: &mut [u64]) {
    let w = W as usize;
    let mut groups = out.chunks_exact_mut(64);
    let mut at = 0;
    for group in &mut groups {
        let src = &words[at..at + w];
        macro_rules! values {
            ($($j:literal)*) => {$({
                let bit = $j * w;
                let (wi, sh) = (bit / 64, bit % 64);
                let mut v = src[wi] >> sh;
                if sh + w > 64 {
                    v |= src[wi + 1] << (64 - sh);
                }
                group[$j] = v & mask(W);
            })*};
        }
        values!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63);
        at += w;
    }
    let rest = groups.into_remainder();
    for (j, slot) in rest.iter_mut().enumerate() {
        *slot = read(&words[at..], j, W);
    }
}

/// A read-only sequence of `u64`s packed in blocks of 128: frame of reference plus bit
/// packing, with an optional delta mode for sorted data. Round trips are exact.
///
/// Layout: one 16-byte header per block (the base value, and the block's word offset and
/// bit width packed in one `u64`), then all blocks' bits in one `Vec<u64>`: block `b`'s
/// `n` values take exactly `ceil(n * width / 64)` words, so a full block takes `2 * width`
/// words, plus one spare word at the very end so that every read is two loads and a
/// shift. [`heap_bytes`](Self::heap_bytes) is therefore exactly
/// `16 * blocks + 8 * (sum of words + 1)`, which [`min_payload_bits`](Self::min_payload_bits)
/// lets you check against the minimum (the sum of `n * width` over the blocks).
///
/// Costs: [`get`](Self::get) in [`Mode::FrameOfReference`] reads one header and two words
/// (O(1)); in [`Mode::Delta`] it unpacks and sums up to 127 differences. The iterator
/// decodes a whole block at a time with a loop specialised for the width, then yields
/// from a buffer.
///
/// # Examples
///
/// ```
/// use larder_compact::PackedInts;
///
/// let values: Vec<u64> = (0..1000).map(|i| 1_000_000 + i % 7).collect();
/// let p = PackedInts::from_slice(&values);
/// assert_eq!(p.get(500), Some(values[500]));
/// assert_eq!(p.iter().collect::<Vec<_>>(), values);
/// assert!(p.heap_bytes() < 1000); // 3 bits a value plus headers, against 8000 bytes
///
/// let sorted: Vec<u64> = (0..1000).map(|i| i * 10).collect();
/// let d = PackedInts::from_sorted(&sorted)?;
/// assert_eq!(d.iter().sum::<u64>(), sorted.iter().sum::<u64>());
/// # Ok::<(), larder_compact::packed::NotSorted>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PackedInts {
    len: usize,
    mode: Mode,
    headers: Vec<Header>,
    /// All blocks' bits, then one spare zero word.
    words: Vec<u64>,
}

impl fmt::Debug for PackedInts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PackedInts")
            .field("len", &self.len)
            .field("mode", &self.mode)
            .field("heap_bytes", &self.heap_bytes())
            .finish()
    }
}

impl Default for PackedInts {
    fn default() -> Self {
        PackedInts::from_slice(&[])
    }
}

impl PackedInts {
    /// Packs `values` in [`Mode::FrameOfReference`].
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_compact::PackedInts::from_slice(&[5, 6, 7]);
    /// assert_eq!(p.to_vec(), [5, 6, 7]);
    /// ```
    pub fn from_slice(values: &[u64]) -> Self {
        Self::build(values, Mode::FrameOfReference)
    }

    /// Packs sorted (non-decreasing) `values` in [`Mode::Delta`].
    ///
    /// # Errors
    ///
    /// [`NotSorted`] with the first position that is smaller than its predecessor.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_compact::PackedInts::from_sorted(&[1, 1, 4, 9])?;
    /// assert_eq!(p.get(3), Some(9));
    /// # Ok::<(), larder_compact::packed::NotSorted>(())
    /// ```
    pub fn from_sorted(values: &[u64]) -> Result<Self, NotSorted> {
        if let Some(i) = values.windows(2).position(|w| w[1] < w[0]) {
            return Err(NotSorted { index: i + 1 });
        }
        Ok(Self::build(values, Mode::Delta))
    }

    /// The per-block base and width.
    fn block_frame(chunk: &[u64], mode: Mode) -> (u64, u32) {
        match mode {
            Mode::FrameOfReference => {
                let min = chunk.iter().copied().min().unwrap_or(0);
                let max = chunk.iter().copied().max().unwrap_or(0);
                (min, bits(max - min))
            }
            Mode::Delta => {
                let widest = chunk.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
                (chunk.first().copied().unwrap_or(0), bits(widest))
            }
        }
    }

    fn build(values: &[u64], mode: Mode) -> Self {
        // First pass: sizes, so both vectors are allocated exactly once and exactly.
        let blocks = values.len().div_ceil(BLOCK_LEN);
        let mut total = 0usize;
        for chunk in values.chunks(BLOCK_LEN) {
            let (_, w) = Self::block_frame(chunk, mode);
            total += words_for(chunk.len(), w);
        }
        let mut headers = Vec::with_capacity(blocks);
        let mut words = alloc::vec![0u64; total + 1];
        let mut start = 0usize;
        for chunk in values.chunks(BLOCK_LEN) {
            let (base, w) = Self::block_frame(chunk, mode);
            let used = words_for(chunk.len(), w);
            let out = &mut words[start..start + used + 1];
            match mode {
                Mode::FrameOfReference => write_all(out, chunk.iter().map(|&v| v - base), w),
                Mode::Delta => write_all(
                    out,
                    core::iter::once(0).chain(chunk.windows(2).map(|p| p[1] - p[0])),
                    w,
                ),
            }
            headers.push(Header {
                base,
                start_width: (start as u64) << 8 | u64::from(w),
            });
            start += used;
        }
        PackedInts {
            len: values.len(),
            mode,
            headers,
            words,
        }
    }

    /// The number of values.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::PackedInts::from_slice(&[1, 2]).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no values.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::PackedInts::from_slice(&[]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The encoding.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::{PackedInts, packed::Mode};
    /// assert_eq!(PackedInts::from_sorted(&[1]).unwrap().mode(), Mode::Delta);
    /// ```
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The number of blocks (`ceil(len / 128)`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::PackedInts::from_slice(&[0; 129]).blocks(), 2);
    /// ```
    pub fn blocks(&self) -> usize {
        self.headers.len()
    }

    /// The bit width of block `b` (`None` past the last block).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::PackedInts::from_slice(&[8, 15]).block_width(0), Some(3));
    /// ```
    pub fn block_width(&self, b: usize) -> Option<u32> {
        self.headers.get(b).map(|h| h.width())
    }

    /// Bytes on the heap: `16 * blocks() + 8 * words`, exactly (both vectors are allocated
    /// at their final size).
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_compact::PackedInts::from_slice(&[7; 128]);
    /// assert_eq!(p.heap_bytes(), 16 + 8); // width 0: a header and the spare word
    /// ```
    pub fn heap_bytes(&self) -> usize {
        self.headers.capacity() * HEADER_BYTES + self.words.capacity() * 8
    }

    /// The least number of payload bits this encoding can use: the sum over blocks of
    /// the block's value count times its width. The payload actually used is this rounded up to whole
    /// words per block, which is exact for full blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_compact::PackedInts::from_slice(&(0..128).collect::<Vec<u64>>());
    /// assert_eq!(p.min_payload_bits(), 128 * 7);
    /// ```
    pub fn min_payload_bits(&self) -> usize {
        let mut total = 0;
        for (b, h) in self.headers.iter().enumerate() {
            let n = self.block_len(b);
            total += n * h.width() as usize;
        }
        total
    }

    fn block_len(&self, b: usize) -> usize {
        if b + 1 == self.headers.len() {
            self.len - b * BLOCK_LEN
        } else {
            BLOCK_LEN
        }
    }

    /// Value `i`, or `None` past the end. O(1) in frame-of-reference mode; in delta mode
    /// a sum of up to 127 unpacked differences.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_compact::PackedInts::from_slice(&[10, 20, 30]);
    /// assert_eq!(p.get(1), Some(20));
    /// assert_eq!(p.get(3), None);
    /// ```
    #[inline]
    pub fn get(&self, i: usize) -> Option<u64> {
        if i >= self.len {
            return None;
        }
        let h = self.headers[i / BLOCK_LEN];
        let j = i % BLOCK_LEN;
        let words = &self.words[h.start()..];
        let w = h.width();
        Some(match self.mode {
            Mode::FrameOfReference => {
                if w == 0 {
                    h.base
                } else {
                    h.base + read(words, j, w)
                }
            }
            Mode::Delta => {
                let mut v = h.base;
                if w != 0 {
                    for k in 1..=j {
                        v += read(words, k, w);
                    }
                }
                v
            }
        })
    }

    /// Decodes block `b` into `out`, returning how many values it has (128 but for the
    /// last block), or `None` past the last block.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_compact::PackedInts::from_slice(&[4, 5, 6]);
    /// let mut buf = [0u64; 128];
    /// assert_eq!(p.decode_block(0, &mut buf), Some(3));
    /// assert_eq!(&buf[..3], &[4, 5, 6]);
    /// ```
    pub fn decode_block(&self, b: usize, out: &mut [u64; BLOCK_LEN]) -> Option<usize> {
        let h = *self.headers.get(b)?;
        let n = self.block_len(b);
        let words = &self.words[h.start()..];
        match self.mode {
            Mode::FrameOfReference => {
                let out = &mut out[..n];
                unpack(words, h.width(), out);
                for v in out.iter_mut() {
                    *v += h.base;
                }
            }
            Mode::Delta => {
                // Differences, the first one zero, summed onto the block's first value.
                unpack(words, h.width(), &mut out[..n]);
                let mut acc = h.base;
                for v in &mut out[..n] {
                    acc += *v;
                    *v = acc;
                }
            }
        }
        Some(n)
    }

    /// The values in order, decoded a block at a time.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_compact::PackedInts::from_slice(&[3, 1, 2]);
    /// assert_eq!(p.iter().collect::<Vec<_>>(), [3, 1, 2]);
    /// ```
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            packed: self,
            next_block: 0,
            pos: 0,
            end: 0,
            buf: [0; BLOCK_LEN],
        }
    }

    /// All values in a `Vec`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_compact::PackedInts::from_slice(&[9]).to_vec(), [9]);
    /// ```
    pub fn to_vec(&self) -> Vec<u64> {
        let mut v = Vec::with_capacity(self.len);
        v.extend(self.iter());
        v
    }
}

impl FromIterator<u64> for PackedInts {
    /// Packs the values in [`Mode::FrameOfReference`].
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> Self {
        let v: Vec<u64> = iter.into_iter().collect();
        PackedInts::from_slice(&v)
    }
}

impl<'a> IntoIterator for &'a PackedInts {
    type Item = u64;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The iterator of [`PackedInts::iter`]: a 1 KiB block buffer, refilled every 128 values.
///
/// # Examples
///
/// ```
/// let p = larder_compact::PackedInts::from_slice(&[1, 2]);
/// let it: larder_compact::packed::Iter<'_> = p.iter();
/// assert_eq!(it.len(), 2);
/// ```
#[derive(Clone)]
pub struct Iter<'a> {
    packed: &'a PackedInts,
    next_block: usize,
    pos: usize,
    end: usize,
    buf: [u64; BLOCK_LEN],
}

impl fmt::Debug for Iter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter").field("left", &self.len()).finish()
    }
}

impl Iterator for Iter<'_> {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        if self.pos == self.end {
            let n = self.packed.decode_block(self.next_block, &mut self.buf)?;
            self.next_block += 1;
            self.pos = 0;
            self.end = n;
        }
        let v = self.buf[self.pos];
        self.pos += 1;
        Some(v)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let done = self.next_block.saturating_sub(1) * BLOCK_LEN + self.pos;
        let left = if self.next_block == 0 {
            self.packed.len
        } else {
            self.packed.len - done
        };
        (left, Some(left))
    }

    fn fold<B, F: FnMut(B, u64) -> B>(mut self, init: B, mut f: F) -> B {
        let mut acc = init;
        for &v in &self.buf[self.pos..self.end] {
            acc = f(acc, v);
        }
        while let Some(n) = self.packed.decode_block(self.next_block, &mut self.buf) {
            self.next_block += 1;
            for &v in &self.buf[..n] {
                acc = f(acc, v);
            }
        }
        acc
    }
}

impl ExactSizeIterator for Iter<'_> {}
impl FusedIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_sixteen_bytes() {
        assert_eq!(size_of::<Header>(), HEADER_BYTES);
    }

    #[test]
    fn extreme_values_round_trip() {
        let v = [0, u64::MAX, 1, u64::MAX - 1];
        let p = PackedInts::from_slice(&v);
        assert_eq!(p.block_width(0), Some(64));
        assert_eq!(p.to_vec(), v);
        for (i, &x) in v.iter().enumerate() {
            assert_eq!(p.get(i), Some(x));
        }
        let s = [0, 0, u64::MAX, u64::MAX];
        let d = PackedInts::from_sorted(&s).unwrap();
        assert_eq!(d.to_vec(), s);
        assert_eq!(d.get(2), Some(u64::MAX));
    }
}
