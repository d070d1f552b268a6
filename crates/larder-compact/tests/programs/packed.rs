// Round trips of `PackedInts` in both modes, with the exact size accounting. Shared by
// `tests/model_packed.rs` and the fuzz target `compact_packed`.

use larder_compact::PackedInts;
use larder_compact::packed::{BLOCK_LEN, HEADER_BYTES, Mode};

/// Checks `p` against `values`: every `get`, the iterator, block decoding, and the exact
/// heap size (headers, then per block `ceil(n * width / 64)` words, plus one spare word).
pub fn check_packed(p: &PackedInts, values: &[u64]) {
    assert_eq!(p.len(), values.len());
    assert_eq!(p.blocks(), values.len().div_ceil(BLOCK_LEN));
    for (i, &v) in values.iter().enumerate() {
        assert_eq!(p.get(i), Some(v), "get({i})");
    }
    assert_eq!(p.get(values.len()), None);
    assert_eq!(p.iter().len(), values.len());
    assert_eq!(p.iter().collect::<Vec<_>>(), values);
    assert_eq!(
        p.iter().fold(0u64, |a, v| a.wrapping_add(v)),
        values.iter().fold(0u64, |a, &v| a.wrapping_add(v))
    );
    // A partly consumed iterator folds the rest correctly.
    let mut it = p.iter();
    let skip = values.len().min(5);
    for _ in 0..skip {
        it.next();
    }
    assert_eq!(it.collect::<Vec<_>>(), values[skip..]);
    let mut buf = [0u64; BLOCK_LEN];
    let mut words = 0usize;
    let mut min_bits = 0usize;
    for (b, chunk) in values.chunks(BLOCK_LEN).enumerate() {
        assert_eq!(p.decode_block(b, &mut buf), Some(chunk.len()));
        assert_eq!(&buf[..chunk.len()], chunk);
        let width = match p.mode() {
            Mode::FrameOfReference => {
                let min = *chunk.iter().min().unwrap();
                let max = *chunk.iter().max().unwrap();
                64 - (max - min).leading_zeros()
            }
            Mode::Delta => {
                let d = chunk.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
                64 - d.leading_zeros()
            }
        };
        assert_eq!(
            p.block_width(b),
            Some(width),
            "block {b} is wider than it needs"
        );
        words += (chunk.len() * width as usize).div_ceil(64);
        min_bits += chunk.len() * width as usize;
    }
    assert_eq!(p.decode_block(p.blocks(), &mut buf), None);
    assert_eq!(p.min_payload_bits(), min_bits);
    assert_eq!(p.heap_bytes(), p.blocks() * HEADER_BYTES + (words + 1) * 8);
}

/// Packs `values` both ways (sorted for delta mode) and checks each.
pub fn run_packed(values: &[u64]) {
    let p = PackedInts::from_slice(values);
    assert_eq!(p.mode(), Mode::FrameOfReference);
    check_packed(&p, values);
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let d = PackedInts::from_sorted(&sorted).expect("sorted input");
    assert_eq!(d.mode(), Mode::Delta);
    check_packed(&d, &sorted);
    if let Some(i) = values.windows(2).position(|w| w[1] < w[0]) {
        assert_eq!(PackedInts::from_sorted(values).unwrap_err().index, i + 1);
    } else {
        assert!(PackedInts::from_sorted(values).is_ok());
    }
}
