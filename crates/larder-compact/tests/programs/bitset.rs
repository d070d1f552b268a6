// Operation programs on `BitSet` (and its view, rank index and atomic twin) checked against
// a `BTreeSet<usize>`. Shared by the proptest in `tests/model_bitset.rs` and the fuzz target
// `compact_bitset` (which derives `Arbitrary` under `cfg(fuzzing)`).

use larder_compact::{AtomicBitSet, BitSet, BitSetRef};
use std::collections::BTreeSet;

/// One step. Positions are taken modulo the set's length (plus a little, to go past it).
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum BitOp {
    Insert(u16),
    Remove(u16),
    Toggle(u16),
    SetRange(u16, u16),
    ClearRange(u16, u16),
    ToggleRange(u16, u16),
    Grow(u16),
    Truncate(u16),
    Clear,
    Union(Vec<u16>, u16),
    Intersect(Vec<u16>, u16),
    Difference(Vec<u16>, u16),
    SymmetricDifference(Vec<u16>, u16),
    Query(u16),
    RoundTrip,
}

/// Largest length a program reaches.
const MAX_LEN: usize = 1500;

fn other(ones: &[u16], len: u16) -> (BitSet, BTreeSet<usize>) {
    let len = len as usize % MAX_LEN;
    let mut s = BitSet::new(len);
    let mut m = BTreeSet::new();
    if len > 0 {
        for &i in ones {
            let i = i as usize % len;
            s.insert(i);
            m.insert(i);
        }
    }
    (s, m)
}

fn range(a: u16, b: u16, len: usize) -> (usize, usize) {
    let (a, b) = (a as usize % (len + 1), b as usize % (len + 1));
    (a.min(b), a.max(b))
}

/// Runs `ops` from a set of `len` bits, checking every result and the whole state after
/// every step.
pub fn run_bitset(len: u16, ops: &[BitOp]) {
    let mut len = len as usize % MAX_LEN;
    let mut s = BitSet::new(len);
    let mut m: BTreeSet<usize> = BTreeSet::new();
    for op in ops {
        match op {
            BitOp::Insert(i) | BitOp::Toggle(i) if len == 0 => {
                let _ = i;
            }
            BitOp::Insert(i) => {
                let i = *i as usize % len;
                assert_eq!(s.insert(i), m.insert(i));
            }
            BitOp::Remove(i) => {
                let i = *i as usize % (len + 70);
                assert_eq!(s.remove(i), m.remove(&i));
            }
            BitOp::Toggle(i) => {
                let i = *i as usize % len;
                let now = s.toggle(i);
                if !m.remove(&i) {
                    m.insert(i);
                }
                assert_eq!(now, m.contains(&i));
            }
            BitOp::SetRange(a, b) => {
                let (a, b) = range(*a, *b, len);
                s.set_range(a..b);
                m.extend(a..b);
            }
            BitOp::ClearRange(a, b) => {
                let (a, b) = range(*a, *b, len);
                s.clear_range(a..b);
                m.retain(|&x| !(a..b).contains(&x));
            }
            BitOp::ToggleRange(a, b) => {
                let (a, b) = range(*a, *b, len);
                s.toggle_range(a..b);
                for x in a..b {
                    if !m.remove(&x) {
                        m.insert(x);
                    }
                }
            }
            BitOp::Grow(n) => {
                let n = *n as usize % MAX_LEN;
                s.grow(n);
                len = len.max(n);
            }
            BitOp::Truncate(n) => {
                let n = *n as usize % (len + 1);
                s.truncate(n);
                len = n;
                m.retain(|&x| x < n);
            }
            BitOp::Clear => {
                s.clear();
                m.clear();
            }
            BitOp::Union(ones, olen) => {
                let (o, om) = other(ones, *olen);
                assert_eq!(s.union_count(&o), m.union(&om).count());
                s.union_with(&o);
                len = len.max(o.len());
                m.extend(om);
            }
            BitOp::Intersect(ones, olen) => {
                let (o, om) = other(ones, *olen);
                assert_eq!(s.intersection_count(&o), m.intersection(&om).count());
                assert_eq!(
                    s.view().is_disjoint(o.view()),
                    m.intersection(&om).next().is_none()
                );
                s.intersect_with(&o);
                m.retain(|x| om.contains(x));
            }
            BitOp::Difference(ones, olen) => {
                let (o, om) = other(ones, *olen);
                assert_eq!(s.difference_count(&o), m.difference(&om).count());
                assert_eq!(s.view().is_subset(o.view()), m.is_subset(&om));
                s.difference_with(&o);
                m.retain(|x| !om.contains(x));
            }
            BitOp::SymmetricDifference(ones, olen) => {
                let (o, om) = other(ones, *olen);
                let sym: BTreeSet<usize> = m.symmetric_difference(&om).copied().collect();
                assert_eq!(s.symmetric_difference_count(&o), sym.len());
                s.symmetric_difference_with(&o);
                len = len.max(o.len());
                m = sym;
            }
            BitOp::Query(i) => {
                let i = *i as usize % (len + 70);
                assert_eq!(s.contains(i), m.contains(&i));
                assert_eq!(s.next_one(i), m.range(i..).next().copied());
                let next_zero = (i..len).find(|x| !m.contains(x));
                assert_eq!(s.view().next_zero(i), next_zero);
                assert_eq!(s.view().prev_one(i), m.range(..i).next_back().copied());
                let end = i.min(len);
                assert_eq!(s.count_ones(..end), m.range(..end).count());
                assert_eq!(s.count_ones(end..), m.range(end..).count());
                assert_eq!(s.rank(end), m.range(..end).count());
                assert_eq!(s.select(i), m.iter().nth(i).copied());
            }
            BitOp::RoundTrip => {
                let bytes = s.view().to_le_bytes();
                assert_eq!(BitSet::from_le_bytes(&bytes, len).as_ref(), Ok(&s));
                let view = BitSetRef::new(s.as_words(), len).expect("a BitSet is well formed");
                assert_eq!(view.to_bitset(), s);
                let atomic = AtomicBitSet::from(&s);
                assert_eq!(atomic.snapshot(), s);
                if let Some(z) = atomic.claim_first_zero() {
                    assert_eq!(Some(z), (0..len).find(|x| !m.contains(x)));
                } else {
                    assert_eq!(m.len(), len);
                }
            }
        }
        check(&s, &m, len);
    }
}

/// The whole state against the model: length, ones and zeros both ways, counts, and the
/// rank index at every word edge.
pub fn check(s: &BitSet, m: &BTreeSet<usize>, len: usize) {
    assert_eq!(s.len(), len);
    assert_eq!(s.as_words().len(), len.div_ceil(64));
    assert!(
        BitSetRef::new(s.as_words(), len).is_ok(),
        "stray bits past the length"
    );
    let ones: Vec<usize> = m.iter().copied().collect();
    assert_eq!(s.ones().collect::<Vec<_>>(), ones);
    assert_eq!(
        s.ones().rev().collect::<Vec<_>>(),
        ones.iter().rev().copied().collect::<Vec<_>>()
    );
    // Alternating ends meet in the middle without loss.
    let mut it = s.ones();
    let mut both = Vec::new();
    let mut front = true;
    loop {
        let x = if front { it.next() } else { it.next_back() };
        match x {
            Some(x) => both.push(x),
            None => break,
        }
        front = !front;
    }
    both.sort_unstable();
    assert_eq!(both, ones);
    let zeros: Vec<usize> = (0..len).filter(|x| !m.contains(x)).collect();
    assert_eq!(s.zeros().collect::<Vec<_>>(), zeros);
    assert_eq!(
        s.zeros().rev().collect::<Vec<_>>(),
        zeros.iter().rev().copied().collect::<Vec<_>>()
    );
    // Internal iteration (fold), whole and after taking one from each end.
    let weigh = |a: usize, x: usize| a.wrapping_mul(31).wrapping_add(x + 1);
    assert_eq!(s.ones().fold(0, weigh), ones.iter().copied().fold(0, weigh));
    assert_eq!(
        s.zeros().fold(0, weigh),
        zeros.iter().copied().fold(0, weigh)
    );
    let mut it = s.ones();
    let (f, b) = (it.next(), it.next_back());
    let inner: Vec<usize> = it.fold(Vec::new(), |mut v, x| {
        v.push(x);
        v
    });
    let want: Vec<usize> = ones
        .iter()
        .copied()
        .filter(|&x| Some(x) != f && Some(x) != b)
        .collect();
    assert_eq!(inner, want);
    let mut it = s.zeros();
    let (f, b) = (it.next(), it.next_back());
    let inner: Vec<usize> = it.fold(Vec::new(), |mut v, x| {
        v.push(x);
        v
    });
    let want: Vec<usize> = zeros
        .iter()
        .copied()
        .filter(|&x| Some(x) != f && Some(x) != b)
        .collect();
    assert_eq!(inner, want);
    assert_eq!(s.count_ones(..), m.len());
    assert_eq!(s.first_zero(), zeros.first().copied());
    assert_eq!(s.is_clear(), m.is_empty());
    assert_eq!(s.is_full(), m.len() == len);
    let r = s.ranked();
    assert_eq!(r.count_ones(), m.len());
    let mut edges: Vec<usize> = (0..=len).step_by(64).collect();
    edges.extend([
        len,
        len.saturating_sub(1),
        1.min(len),
        63.min(len),
        65.min(len),
    ]);
    for &e in &edges {
        assert_eq!(r.rank(e), m.range(..e).count(), "rank({e})");
        assert_eq!(s.rank(e), m.range(..e).count(), "rank({e})");
    }
    for (k, &p) in ones.iter().enumerate() {
        assert_eq!(r.select(k), Some(p), "select({k})");
    }
    assert_eq!(r.select(ones.len()), None);
    assert_eq!(s.select(ones.len()), None);
}
