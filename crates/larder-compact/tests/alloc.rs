//! Steady state allocates nothing: `Slots` insert/remove churn, `Tree` node churn and
//! in-place `BitSet` algebra and queries, counted by `CountingAlloc`.

use larder_compact::{BitSet, DefaultKey, PackedInts, Slots, Tree};
use larder_core::CountingAlloc;

#[global_allocator]
static A: CountingAlloc = CountingAlloc::system();

#[test]
fn slots_churn_allocates_nothing_once_grown() {
    let mut s: Slots<DefaultKey, String> = Slots::with_capacity(64);
    let mut keys: Vec<DefaultKey> = (0..64).map(|i| s.insert(i.to_string())).collect();
    let mut spare: Vec<String> = (0..1000).map(|_| String::with_capacity(8)).collect();
    let ((), delta) = CountingAlloc::measure(|| {
        for round in 0..1000 {
            let i = round % keys.len();
            let old = s.remove(keys[i]).expect("live");
            keys[i] = s.insert(spare.pop().expect("enough spares"));
            spare.insert(0, old); // reuses the Vec's memory: capacity stays 1000
        }
    });
    assert!(
        delta.allocations == 0 && delta.reallocations == 0,
        "{delta:?}"
    );
    assert_eq!(s.len(), 64);
}

#[test]
fn tree_churn_allocates_nothing_once_grown() {
    let mut t = Tree::with_capacity(128);
    let root = t.new_node(0u64);
    let kids: Vec<_> = (0..100).map(|i| t.append_new(root, i).unwrap()).collect();
    let ((), delta) = CountingAlloc::measure(|| {
        for &k in &kids {
            t.remove(k).unwrap();
            let n = t.prepend_new(root, 7).unwrap();
            t.detach(n).unwrap();
            t.append(root, n).unwrap();
            let _ = t.children(root).unwrap().count() + t.descendants(root).unwrap().count();
            let _ = t.post_order(root).unwrap().count();
        }
    });
    assert!(delta.is_zero(), "{delta:?}");
    assert_eq!(t.len(), 101);
}

#[test]
fn bitset_algebra_and_queries_allocate_nothing() {
    let mut a = BitSet::new(100_000);
    let mut b = BitSet::new(100_000);
    a.set_range(10..5000);
    b.set_range(2500..90_000);
    let ranked_words = b.as_words().len();
    let ((), delta) = CountingAlloc::measure(|| {
        a.union_with(&b);
        a.intersect_with(&b);
        a.difference_with(&b);
        a.symmetric_difference_with(&b);
        assert!(a.union_count(&b) > 0);
        assert!(a.count_ones(..) > 0);
        assert!(a.ones().rev().take(10).count() == 10);
        assert!(a.rank(50_000) > 0 && a.select(10).is_some());
        assert!(a.zeros().next().is_some());
    });
    assert!(delta.is_zero(), "{delta:?}");
    assert!(ranked_words > 0);
}

#[test]
fn packed_reads_allocate_nothing() {
    let v: Vec<u64> = (0..10_000).map(|i| i * 3).collect();
    let p = PackedInts::from_sorted(&v).unwrap();
    let (sum, delta) = CountingAlloc::measure(|| p.iter().sum::<u64>() + p.get(5000).unwrap());
    assert!(delta.is_zero(), "{delta:?}");
    assert_eq!(sum, v.iter().sum::<u64>() + 15_000);
}
