//! larder-compact against fixedbitset, bitvec, slotmap, thunderdome, slab, indextree and
//! bitpacking. One iteration is one whole workload (one count over 1 Mbit, one
//! insert + remove, one tree build, …), so ns/op compare like for like.
//!
//! The workloads live in [`work`], shared with the criterion benches.

use crate::{Pair, timed};
use std::hint::black_box;

/// The workloads, each written once per subject so the criterion benches and the
/// `compare` pairs run the same code.
pub mod work {
    use bitvec::prelude::{BitVec, Lsb0};
    use fixedbitset::FixedBitSet;
    use larder_compact::{BitSet, DefaultKey, PackedInts, Slots, Tree};
    use std::hint::black_box;

    /// Bits in the large sets.
    pub const BITS: usize = 1 << 20;
    /// Live values in the slots workload.
    pub const LIVE: usize = 1024;
    /// Children in the tree workload.
    pub const CHILDREN: usize = 1000;
    /// Nodes in the chain workload.
    pub const CHAIN: usize = 1_000_000;
    /// Values in the packed workloads.
    pub const VALUES: usize = 1 << 20;

    /// A small deterministic generator (splitmix64).
    pub struct Rng(pub u64);

    impl Rng {
        /// The next 64 random bits.
        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// A value below `n`.
        pub fn below(&mut self, n: usize) -> usize {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Random positions in `0..BITS`, one in `density`.
    pub fn positions(seed: u64, density: usize) -> Vec<usize> {
        let mut rng = Rng(seed);
        (0..BITS / density).map(|_| rng.below(BITS)).collect()
    }

    /// Two 1 Mbit sets half full, for each subject.
    pub fn larder_pair() -> (BitSet, BitSet) {
        let mk = |seed| {
            let mut s = BitSet::new(BITS);
            positions(seed, 2).into_iter().for_each(|i| {
                s.insert(i);
            });
            s
        };
        (mk(1), mk(2))
    }

    /// The same sets as fixedbitset.
    pub fn fixed_pair() -> (FixedBitSet, FixedBitSet) {
        let mk = |seed| {
            let mut s = FixedBitSet::with_capacity(BITS);
            positions(seed, 2).into_iter().for_each(|i| s.insert(i));
            s
        };
        (mk(1), mk(2))
    }

    /// The same sets as bitvec.
    pub fn bitvec_pair() -> (BitVec<u64, Lsb0>, BitVec<u64, Lsb0>) {
        let mk = |seed| {
            let mut s: BitVec<u64, Lsb0> = BitVec::repeat(false, BITS);
            positions(seed, 2).into_iter().for_each(|i| s.set(i, true));
            s
        };
        (mk(1), mk(2))
    }

    /// A sparse set (one in 16) for the ones-iteration workload.
    pub fn sparse_positions() -> Vec<usize> {
        positions(3, 16)
    }

    /// [`sparse_positions`] in a larder `BitSet` of [`BITS`] bits.
    pub fn sparse_larder() -> BitSet {
        let mut s = BitSet::new(BITS);
        sparse_positions().into_iter().for_each(|i| {
            s.insert(i);
        });
        s
    }

    /// [`sparse_positions`] in a `FixedBitSet` of [`BITS`] bits.
    pub fn sparse_fixed() -> FixedBitSet {
        let mut s = FixedBitSet::with_capacity(BITS);
        sparse_positions().into_iter().for_each(|i| s.insert(i));
        s
    }

    /// [`sparse_positions`] in a `BitVec` of [`BITS`] bits.
    pub fn sparse_bitvec() -> BitVec<u64, Lsb0> {
        let mut s = BitVec::repeat(false, BITS);
        sparse_positions().into_iter().for_each(|i| s.set(i, true));
        s
    }

    /// Sum of the ones' positions.
    pub fn larder_ones(s: &BitSet) -> usize {
        s.ones().sum()
    }

    /// Sum of the ones' positions.
    pub fn fixed_ones(s: &FixedBitSet) -> usize {
        s.ones().sum()
    }

    /// Sum of the ones' positions.
    pub fn bitvec_ones(s: &BitVec<u64, Lsb0>) -> usize {
        s.iter_ones().sum()
    }

    /// 4096 random inserts then 4096 random lookups.
    pub fn larder_insert_contains(s: &mut BitSet, idx: &[usize]) -> usize {
        for &i in idx {
            s.insert(i);
        }
        idx.iter().rev().filter(|&&i| s.contains(i ^ 1)).count()
    }

    /// 4096 random inserts then 4096 random lookups.
    pub fn fixed_insert_contains(s: &mut FixedBitSet, idx: &[usize]) -> usize {
        for &i in idx {
            s.insert(i);
        }
        idx.iter().rev().filter(|&&i| s.contains(i ^ 1)).count()
    }

    /// 4096 random inserts then 4096 random lookups.
    pub fn bitvec_insert_contains(s: &mut BitVec<u64, Lsb0>, idx: &[usize]) -> usize {
        for &i in idx {
            s.set(i, true);
        }
        idx.iter().rev().filter(|&&i| s[i ^ 1]).count()
    }

    /// `LIVE` values live; each step inserts one and removes the oldest.
    pub struct Churn<K> {
        /// Keys in insertion order (a ring).
        pub keys: Vec<K>,
        /// Next ring position.
        pub at: usize,
    }

    /// Sets up a `Slots` with `LIVE` values.
    pub fn larder_slots() -> (Slots<DefaultKey, u64>, Churn<DefaultKey>) {
        let mut s = Slots::with_capacity(LIVE + 1);
        let keys = (0..LIVE as u64).map(|v| s.insert(v)).collect();
        (s, Churn { keys, at: 0 })
    }

    /// One insert + one remove.
    #[inline(always)]
    pub fn larder_slots_step(s: &mut Slots<DefaultKey, u64>, c: &mut Churn<DefaultKey>) {
        let old = c.keys[c.at];
        black_box(s.remove(old));
        c.keys[c.at] = s.insert(c.at as u64);
        c.at = (c.at + 1) % LIVE;
    }

    /// Sets up a `SlotMap` with `LIVE` values.
    pub fn slotmap_slots() -> (
        slotmap::SlotMap<slotmap::DefaultKey, u64>,
        Churn<slotmap::DefaultKey>,
    ) {
        let mut s = slotmap::SlotMap::with_capacity(LIVE + 1);
        let keys = (0..LIVE as u64).map(|v| s.insert(v)).collect();
        (s, Churn { keys, at: 0 })
    }

    /// One insert + one remove.
    #[inline(always)]
    pub fn slotmap_step(
        s: &mut slotmap::SlotMap<slotmap::DefaultKey, u64>,
        c: &mut Churn<slotmap::DefaultKey>,
    ) {
        let old = c.keys[c.at];
        black_box(s.remove(old));
        c.keys[c.at] = s.insert(c.at as u64);
        c.at = (c.at + 1) % LIVE;
    }

    /// Sets up a thunderdome `Arena` with `LIVE` values.
    pub fn thunderdome_slots() -> (thunderdome::Arena<u64>, Churn<thunderdome::Index>) {
        let mut s = thunderdome::Arena::with_capacity(LIVE + 1);
        let keys = (0..LIVE as u64).map(|v| s.insert(v)).collect();
        (s, Churn { keys, at: 0 })
    }

    /// One insert + one remove.
    #[inline(always)]
    pub fn thunderdome_step(s: &mut thunderdome::Arena<u64>, c: &mut Churn<thunderdome::Index>) {
        let old = c.keys[c.at];
        black_box(s.remove(old));
        c.keys[c.at] = s.insert(c.at as u64);
        c.at = (c.at + 1) % LIVE;
    }

    /// Sets up a `Slab` with `LIVE` values (no generations: stale keys are not caught).
    pub fn slab_slots() -> (slab::Slab<u64>, Churn<usize>) {
        let mut s = slab::Slab::with_capacity(LIVE + 1);
        let keys = (0..LIVE as u64).map(|v| s.insert(v)).collect();
        (s, Churn { keys, at: 0 })
    }

    /// One insert + one remove.
    #[inline(always)]
    pub fn slab_step(s: &mut slab::Slab<u64>, c: &mut Churn<usize>) {
        let old = c.keys[c.at];
        black_box(s.try_remove(old));
        c.keys[c.at] = s.insert(c.at as u64);
        c.at = (c.at + 1) % LIVE;
    }

    /// Builds a root with `CHILDREN` children and sums the children's values.
    pub fn larder_tree_build() -> u64 {
        let mut t = Tree::with_capacity(CHILDREN + 1);
        let root = t.new_node(0u64);
        for i in 0..CHILDREN as u64 {
            t.append_new(root, i).expect("root is live");
        }
        let t = black_box(t);
        t.children(root).expect("root is live").map(|c| t[c]).sum()
    }

    /// The same with `new_node` + `append` (the checked move, as indextree does it).
    pub fn larder_tree_build_append() -> u64 {
        let mut t = Tree::with_capacity(CHILDREN + 1);
        let root = t.new_node(0u64);
        for i in 0..CHILDREN as u64 {
            let c = t.new_node(i);
            t.append(root, c).expect("no cycle");
        }
        let t = black_box(t);
        t.children(root).expect("root is live").map(|c| t[c]).sum()
    }

    /// Builds a root with `CHILDREN` children and sums the children's values.
    pub fn indextree_build() -> u64 {
        let mut a = indextree::Arena::with_capacity(CHILDREN + 1);
        let root = a.new_node(0u64);
        for i in 0..CHILDREN as u64 {
            let c = a.new_node(i);
            root.append(c, &mut a);
        }
        let a = black_box(a);
        root.children(&a).map(|c| *a[c].get()).sum()
    }

    /// Builds a chain of `CHAIN` nodes and walks it in pre-order.
    pub fn larder_chain() -> usize {
        let mut t = Tree::with_capacity(CHAIN);
        let root = t.new_node(0u32);
        let mut last = root;
        for i in 1..CHAIN as u32 {
            last = t.append_new(last, i).expect("live");
        }
        t.descendants(root).expect("live").count()
    }

    /// Builds a chain of `CHAIN` nodes and walks it in pre-order.
    pub fn indextree_chain() -> usize {
        let mut a = indextree::Arena::with_capacity(CHAIN);
        let root = a.new_node(0u32);
        let mut last = root;
        for i in 1..CHAIN as u32 {
            let c = a.new_node(i);
            last.append(c, &mut a);
            last = c;
        }
        root.descendants(&a).count()
    }

    /// `VALUES` values of up to 20 bits around a large base.
    pub fn packed_values() -> Vec<u64> {
        let mut rng = Rng(7);
        (0..VALUES)
            .map(|_| 1_000_000_000 + (rng.next_u64() & 0xF_FFFF))
            .collect()
    }

    /// `VALUES` sorted values (gaps below 64) that fit in a `u32`, for bitpacking too.
    pub fn sorted_values() -> Vec<u64> {
        let mut rng = Rng(8);
        let mut v = 0u64;
        (0..VALUES)
            .map(|_| {
                v += rng.next_u64() % 64;
                v
            })
            .collect()
    }

    /// `sorted_values` compressed with `BitPacker4x` (blocks of 128, sorted mode).
    pub struct Bitpacked {
        /// Compressed bytes.
        pub bytes: Vec<u8>,
        /// Per block: byte offset, bit width, initial value.
        pub blocks: Vec<(usize, u8, u32)>,
    }

    /// Compresses `values` (a multiple of 128 long, all below 2^32).
    pub fn bitpack(values: &[u64]) -> Bitpacked {
        use bitpacking::{BitPacker, BitPacker4x};
        let p = BitPacker4x::new();
        let mut bytes = Vec::new();
        let mut blocks = Vec::new();
        let mut initial = 0u32;
        for chunk in values.chunks(BitPacker4x::BLOCK_LEN) {
            let block: Vec<u32> = chunk.iter().map(|&v| v as u32).collect();
            let bits = p.num_bits_sorted(initial, &block);
            let mut out = vec![0u8; 4 * BitPacker4x::BLOCK_LEN];
            let n = p.compress_sorted(initial, &block, &mut out, bits);
            blocks.push((bytes.len(), bits, initial));
            bytes.extend_from_slice(&out[..n]);
            initial = *block.last().expect("full block");
        }
        Bitpacked { bytes, blocks }
    }

    /// Sum of all values.
    pub fn bitpacking_scan(b: &Bitpacked) -> u64 {
        use bitpacking::{BitPacker, BitPacker4x};
        let p = BitPacker4x::new();
        let mut buf = [0u32; 128];
        let mut sum = 0u64;
        for &(at, bits, initial) in &b.blocks {
            p.decompress_sorted(initial, &b.bytes[at..], &mut buf, bits);
            sum += buf.iter().map(|&v| u64::from(v)).sum::<u64>();
        }
        sum
    }

    /// Sum of all values.
    pub fn packed_scan(p: &PackedInts) -> u64 {
        p.iter().sum()
    }

    /// Sum of the values at `idx`.
    pub fn packed_get(p: &PackedInts, idx: &[usize]) -> u64 {
        idx.iter().map(|&i| p.get(i).unwrap_or(0)).sum()
    }

    /// Sum of the values at `idx`.
    pub fn vec_get(v: &[u64], idx: &[usize]) -> u64 {
        idx.iter().map(|&i| v[i]).sum()
    }
}

/// Keeps a result alive without dropping a `Copy` value.
fn sink<T>(x: T) {
    black_box(x);
}

/// The `compact/…` pairs.
pub fn pairs() -> Vec<Pair> {
    let mut out = Vec::new();

    // count_ones over 1 Mbit.
    {
        let (a, _) = work::larder_pair();
        let (f, _) = work::fixed_pair();
        out.push(Pair::new(
            "compact",
            "count_ones_1m",
            "fixedbitset",
            move |n| timed(n, || sink(black_box(&a).count_ones(..))),
            move |n| timed(n, || sink(black_box(&f).count_ones(..))),
        ));
        let (a, _) = work::larder_pair();
        let (b, _) = work::bitvec_pair();
        out.push(Pair::new(
            "compact",
            "count_ones_1m",
            "bitvec",
            move |n| timed(n, || sink(black_box(&a).count_ones(..))),
            move |n| timed(n, || sink(black_box(&b).count_ones())),
        ));
    }

    // union and intersection in place of two 1 Mbit sets.
    {
        let (mut a, b) = work::larder_pair();
        let (mut f, g) = work::fixed_pair();
        out.push(Pair::new(
            "compact",
            "union_1m",
            "fixedbitset",
            move |n| timed(n, || black_box(&mut a).union_with(black_box(&b))),
            move |n| timed(n, || black_box(&mut f).union_with(black_box(&g))),
        ));
        let (mut a, b) = work::larder_pair();
        let (mut f, g) = work::fixed_pair();
        out.push(Pair::new(
            "compact",
            "intersection_1m",
            "fixedbitset",
            move |n| timed(n, || black_box(&mut a).intersect_with(black_box(&b))),
            move |n| timed(n, || black_box(&mut f).intersect_with(black_box(&g))),
        ));
        let (mut a, b) = work::larder_pair();
        let (mut v, w) = work::bitvec_pair();
        out.push(Pair::new(
            "compact",
            "union_1m",
            "bitvec",
            move |n| timed(n, || black_box(&mut a).union_with(black_box(&b))),
            move |n| {
                timed(n, || {
                    let v = black_box(&mut v);
                    *v |= black_box(&w);
                })
            },
        ));
        let (a, b) = work::larder_pair();
        let (f, g) = work::fixed_pair();
        out.push(Pair::new(
            "compact",
            "intersection_count_1m",
            "fixedbitset",
            move |n| timed(n, || sink(black_box(&a).intersection_count(&b))),
            move |n| timed(n, || sink(black_box(&f).intersection_count(&g))),
        ));
    }

    // Iterate the ones of a 1 Mbit set, one bit in 16 set.
    {
        let a = work::sparse_larder();
        let f = work::sparse_fixed();
        let b = work::sparse_bitvec();
        let a2 = a.clone();
        out.push(Pair::new(
            "compact",
            "iter_ones_1m",
            "fixedbitset",
            move |n| timed(n, || sink(work::larder_ones(black_box(&a)))),
            move |n| timed(n, || sink(work::fixed_ones(black_box(&f)))),
        ));
        out.push(Pair::new(
            "compact",
            "iter_ones_1m",
            "bitvec",
            move |n| timed(n, || sink(work::larder_ones(black_box(&a2)))),
            move |n| timed(n, || sink(work::bitvec_ones(black_box(&b)))),
        ));
    }

    // Random insert + contains, 4096 of each per iteration.
    {
        let idx: Vec<usize> = {
            let mut rng = work::Rng(11);
            (0..4096).map(|_| rng.below(work::BITS)).collect()
        };
        let (idx2, idx3) = (idx.clone(), idx.clone());
        let mut a = larder_compact::BitSet::new(work::BITS);
        let mut f = fixedbitset::FixedBitSet::with_capacity(work::BITS);
        out.push(Pair::new(
            "compact",
            "insert_contains_4k",
            "fixedbitset",
            move |n| timed(n, || sink(work::larder_insert_contains(&mut a, &idx))),
            move |n| timed(n, || sink(work::fixed_insert_contains(&mut f, &idx2))),
        ));
        let mut a = larder_compact::BitSet::new(work::BITS);
        let mut b = bitvec::vec::BitVec::repeat(false, work::BITS);
        let idx4 = idx3.clone();
        out.push(Pair::new(
            "compact",
            "insert_contains_4k",
            "bitvec",
            move |n| timed(n, || sink(work::larder_insert_contains(&mut a, &idx3))),
            move |n| timed(n, || sink(work::bitvec_insert_contains(&mut b, &idx4))),
        ));
    }

    // Slots: one insert + one remove with 1024 live values.
    {
        let (mut s, mut c) = work::larder_slots();
        let (mut p, mut d) = work::slotmap_slots();
        out.push(Pair::new(
            "compact",
            "slots_insert_remove",
            "slotmap",
            move |n| timed(n, || work::larder_slots_step(&mut s, &mut c)),
            move |n| timed(n, || work::slotmap_step(&mut p, &mut d)),
        ));
        let (mut s, mut c) = work::larder_slots();
        let (mut p, mut d) = work::thunderdome_slots();
        out.push(Pair::new(
            "compact",
            "slots_insert_remove",
            "thunderdome",
            move |n| timed(n, || work::larder_slots_step(&mut s, &mut c)),
            move |n| timed(n, || work::thunderdome_step(&mut p, &mut d)),
        ));
        let (mut s, mut c) = work::larder_slots();
        let (mut p, mut d) = work::slab_slots();
        out.push(Pair::new(
            "compact",
            "slots_insert_remove",
            "slab",
            move |n| timed(n, || work::larder_slots_step(&mut s, &mut c)),
            move |n| timed(n, || work::slab_step(&mut p, &mut d)),
        ));
    }

    // Trees.
    out.push(Pair::new(
        "compact",
        "tree_build_1000",
        "indextree",
        |n| timed(n, || sink(work::larder_tree_build())),
        |n| timed(n, || sink(work::indextree_build())),
    ));
    out.push(Pair::new(
        "compact",
        "tree_build_append_1000",
        "indextree",
        |n| timed(n, || sink(work::larder_tree_build_append())),
        |n| timed(n, || sink(work::indextree_build())),
    ));
    out.push(Pair::new(
        "compact",
        "tree_chain_1m",
        "indextree",
        |n| timed(n, || sink(work::larder_chain())),
        |n| timed(n, || sink(work::indextree_chain())),
    ));

    // Packed integers.
    {
        let values = work::packed_values();
        let idx: Vec<usize> = {
            let mut rng = work::Rng(12);
            (0..4096).map(|_| rng.below(values.len())).collect()
        };
        let idx2 = idx.clone();
        let p = larder_compact::PackedInts::from_slice(&values);
        out.push(Pair::new(
            "compact",
            "packed_get_4k",
            "vec",
            move |n| timed(n, || sink(work::packed_get(black_box(&p), &idx))),
            move |n| timed(n, || sink(work::vec_get(black_box(&values), &idx2))),
        ));
        let sorted = work::sorted_values();
        let d = larder_compact::PackedInts::from_sorted(&sorted).expect("sorted");
        let b = work::bitpack(&sorted);
        out.push(Pair::new(
            "compact",
            "packed_scan_sorted_1m",
            "bitpacking",
            move |n| timed(n, || sink(work::packed_scan(black_box(&d)))),
            move |n| timed(n, || sink(work::bitpacking_scan(black_box(&b)))),
        ));
    }

    out
}
