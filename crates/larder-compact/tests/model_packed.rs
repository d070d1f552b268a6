//! Property tests: `PackedInts` round trips in both modes, with exact size accounting.

#[allow(dead_code)]
mod programs {
    include!("programs/packed.rs");
}

use larder_compact::PackedInts;
use larder_compact::packed::{BLOCK_LEN, HEADER_BYTES};
use programs::run_packed;
use proptest::prelude::*;

/// Values of every width: a random base plus a random number of low bits.
fn values() -> impl Strategy<Value = Vec<u64>> {
    proptest::collection::vec((any::<u64>(), 0u32..=64, any::<u64>()), 0..400).prop_map(|v| {
        v.into_iter()
            .map(|(base, bits, noise)| {
                let low = if bits == 64 {
                    noise
                } else {
                    noise & ((1u64 << bits) - 1)
                };
                (base >> 8).wrapping_add(low)
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn packed_round_trips(v in values()) {
        run_packed(&v);
    }

    #[test]
    fn packed_round_trips_narrow(v in proptest::collection::vec(0u64..1000, 0..600)) {
        run_packed(&v);
    }
}

#[test]
fn every_width_round_trips() {
    for width in 0..=64u32 {
        let top = if width == 64 {
            u64::MAX
        } else {
            (1u64 << width).saturating_sub(1)
        };
        let v: Vec<u64> = (0..300u64)
            .map(|i| 5 + (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) & top))
            .map(|x| if width == 64 { x.wrapping_sub(5) } else { x })
            .collect();
        run_packed(&v);
    }
}

/// The size target: within 5% of the minimum bits plus block headers. Full blocks use
/// exactly the minimum; the only slack is rounding the last block to whole words and the
/// one spare word. Asserted exactly, not timed.
#[test]
fn size_is_minimum_bits_plus_headers() {
    // 10 000 values of 20 random bits above a large base: width 20 in every block.
    let mut x = 1u64;
    let v: Vec<u64> = (0..10_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            1 << 40 | (x & 0xF_FFFF)
        })
        .collect();
    let p = PackedInts::from_slice(&v);
    let blocks = v.len().div_ceil(BLOCK_LEN);
    assert_eq!(p.blocks(), 79);
    assert!((0..blocks).all(|b| p.block_width(b) == Some(20)));
    let min_bits = 10_000 * 20;
    assert_eq!(p.min_payload_bits(), min_bits);
    // 78 full blocks of 2 * 20 words, a last block of 16 values * 20 bits = 5 words, a spare.
    let words = 78 * 40 + 5 + 1;
    assert_eq!(p.heap_bytes(), blocks * HEADER_BYTES + words * 8);
    let floor = min_bits / 8 + blocks * HEADER_BYTES;
    assert!(
        p.heap_bytes() * 100 <= floor * 105,
        "{} vs {floor}",
        p.heap_bytes()
    );

    // Sorted gaps below 64: width at most 6 per block in delta mode.
    let mut acc = 0u64;
    let s: Vec<u64> = v
        .iter()
        .map(|&r| {
            acc += r % 64;
            acc
        })
        .collect();
    let d = PackedInts::from_sorted(&s).unwrap();
    let floor = d.min_payload_bits().div_ceil(8) + blocks * HEADER_BYTES;
    assert!(
        d.heap_bytes() * 100 <= floor * 105,
        "{} vs {floor}",
        d.heap_bytes()
    );
    assert!(d.heap_bytes() < s.len()); // under a byte per value
}

#[test]
fn not_sorted_is_reported_with_its_position() {
    let err = PackedInts::from_sorted(&[1, 2, 3, 2]).unwrap_err();
    assert_eq!(err.index, 3);
    assert_eq!(
        err.to_string(),
        "value at index 3 is smaller than the one before it"
    );
}
