//! Property tests: `BitSet` operation programs against a `BTreeSet<usize>`, and every
//! rank/select boundary (empty, full, word edges).

#[allow(dead_code)]
mod programs {
    include!("programs/bitset.rs");
}

use larder_compact::{BitSet, BitSetRef};
use programs::{BitOp, check, run_bitset};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn op() -> impl Strategy<Value = BitOp> {
    let pos = any::<u16>();
    let others = (proptest::collection::vec(any::<u16>(), 0..40), any::<u16>());
    prop_oneof![
        4 => pos.prop_map(BitOp::Insert),
        2 => pos.prop_map(BitOp::Remove),
        2 => pos.prop_map(BitOp::Toggle),
        1 => (pos, pos).prop_map(|(a, b)| BitOp::SetRange(a, b)),
        1 => (pos, pos).prop_map(|(a, b)| BitOp::ClearRange(a, b)),
        1 => (pos, pos).prop_map(|(a, b)| BitOp::ToggleRange(a, b)),
        1 => pos.prop_map(BitOp::Grow),
        1 => pos.prop_map(BitOp::Truncate),
        1 => Just(BitOp::Clear),
        1 => others.clone().prop_map(|(o, l)| BitOp::Union(o, l)),
        1 => others.clone().prop_map(|(o, l)| BitOp::Intersect(o, l)),
        1 => others.clone().prop_map(|(o, l)| BitOp::Difference(o, l)),
        1 => others.prop_map(|(o, l)| BitOp::SymmetricDifference(o, l)),
        3 => pos.prop_map(BitOp::Query),
        1 => Just(BitOp::RoundTrip),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(debug_assertions) { 128 } else { 512 }))]

    #[test]
    fn bitset_programs_match_btreeset(len in any::<u16>(), ops in proptest::collection::vec(op(), 0..40)) {
        run_bitset(len, &ops);
    }
}

/// Lengths at and around every word edge.
const LENGTHS: [usize; 12] = [0, 1, 2, 63, 64, 65, 127, 128, 129, 511, 512, 513];

#[test]
fn rank_select_on_empty_sets() {
    for len in LENGTHS {
        let s = BitSet::new(len);
        check(&s, &BTreeSet::new(), len);
        assert_eq!(s.select(0), None);
        assert_eq!(s.ranked().select(0), None);
        assert_eq!(s.rank(len), 0);
        assert_eq!(s.ranked().rank(len), 0);
        assert_eq!(s.next_one(0), None);
        assert_eq!(s.first_zero(), if len == 0 { None } else { Some(0) });
    }
}

#[test]
fn rank_select_on_full_sets() {
    for len in LENGTHS {
        let s = BitSet::full(len);
        let m: BTreeSet<usize> = (0..len).collect();
        check(&s, &m, len);
        let r = s.ranked();
        for i in 0..=len {
            assert_eq!(r.rank(i), i);
            assert_eq!(s.rank(i), i);
        }
        for k in 0..len {
            assert_eq!(r.select(k), Some(k));
        }
        assert_eq!(r.select(len), None);
        assert_eq!(s.first_zero(), None);
        assert_eq!(s.zeros().next(), None);
    }
}

#[test]
fn rank_select_at_word_edges() {
    // One bit at each side of every word edge, in sets of every edge length.
    for len in LENGTHS {
        let mut s = BitSet::new(len);
        let mut m = BTreeSet::new();
        for edge in (0..=len).step_by(64) {
            for b in [edge.wrapping_sub(1), edge] {
                if b < len {
                    s.insert(b);
                    m.insert(b);
                }
            }
        }
        check(&s, &m, len);
        let r = s.ranked();
        for (k, &p) in m.iter().enumerate() {
            assert_eq!(r.rank(p), k);
            assert_eq!(r.rank(p + 1), k + 1);
            assert_eq!(r.select(k), Some(p));
            assert_eq!(s.select(k), Some(p));
        }
    }
}

#[test]
fn rank_index_block_edges() {
    // The index counts per 512 bits: check across several blocks with a sparse pattern.
    let len = 512 * 5 + 3;
    let mut s = BitSet::new(len);
    for i in (0..len).step_by(37) {
        s.insert(i);
    }
    let m: BTreeSet<usize> = s.ones().collect();
    check(&s, &m, len);
    let r = s.ranked();
    for block in 0..=5 {
        for d in [0usize, 1, 511] {
            let i = (block * 512 + d).min(len);
            assert_eq!(r.rank(i), m.range(..i).count());
        }
    }
}

#[test]
#[should_panic(expected = "past the set's length")]
fn rank_past_the_length_panics() {
    BitSet::new(10).ranked().rank(11);
}

#[test]
#[should_panic(expected = "out of range")]
fn insert_past_the_length_panics() {
    BitSet::new(10).insert(10);
}

#[test]
#[should_panic(expected = "is not within")]
fn count_past_the_length_panics() {
    BitSet::new(10).count_ones(..11);
}

#[test]
fn views_refuse_malformed_words() {
    assert!(BitSetRef::new(&[], 0).is_ok());
    assert!(BitSetRef::new(&[0], 0).is_err());
    assert!(BitSetRef::new(&[1 << 63], 63).is_err());
    assert!(BitSetRef::new(&[1 << 62], 63).is_ok());
    assert!(BitSet::from_le_bytes(&[0; 7], 8).is_err());
    assert!(BitSet::from_le_bytes(&[0xFF; 8], 64).is_ok());
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trip_and_validation() {
    let mut s = BitSet::new(100);
    s.insert(3);
    s.insert(99);
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(json, r#"{"len":100,"words":[8,34359738368]}"#);
    let back: BitSet = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    let bad = r#"{"len":99,"words":[8,34359738368]}"#;
    assert!(serde_json::from_str::<BitSet>(bad).is_err());
}
