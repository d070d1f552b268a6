//! Criterion benches of larder-compact against its peers: ids `compact/WORKLOAD/SUBJECT`
//! (subject `larder` or the peer crate's name). The workloads are the ones the `compare`
//! pairs run, from `larder_bench::compact::work`.

use criterion::{Criterion, criterion_group, criterion_main};
use larder_bench::compact::work;
use std::hint::black_box;

fn bitsets(c: &mut Criterion) {
    let (la, lb) = work::larder_pair();
    let (fa, fb) = work::fixed_pair();
    let (va, vb) = work::bitvec_pair();

    let mut g = c.benchmark_group("compact/count_ones_1m");
    g.bench_function("larder", |b| b.iter(|| black_box(&la).count_ones(..)));
    g.bench_function("fixedbitset", |b| b.iter(|| black_box(&fa).count_ones(..)));
    g.bench_function("bitvec", |b| b.iter(|| black_box(&va).count_ones()));
    g.finish();

    let mut g = c.benchmark_group("compact/union_1m");
    let mut x = la.clone();
    g.bench_function("larder", |b| b.iter(|| black_box(&mut x).union_with(&lb)));
    let mut y = fa.clone();
    g.bench_function("fixedbitset", |b| {
        b.iter(|| black_box(&mut y).union_with(&fb))
    });
    let mut z = va.clone();
    g.bench_function("bitvec", |b| b.iter(|| *black_box(&mut z) |= &vb));
    g.finish();

    let mut g = c.benchmark_group("compact/intersection_1m");
    let mut x = la.clone();
    g.bench_function("larder", |b| {
        b.iter(|| black_box(&mut x).intersect_with(&lb))
    });
    let mut y = fa.clone();
    g.bench_function("fixedbitset", |b| {
        b.iter(|| black_box(&mut y).intersect_with(&fb))
    });
    let mut z = va.clone();
    g.bench_function("bitvec", |b| b.iter(|| *black_box(&mut z) &= &vb));
    g.finish();

    let mut g = c.benchmark_group("compact/intersection_count_1m");
    g.bench_function("larder", |b| {
        b.iter(|| black_box(&la).intersection_count(&lb))
    });
    g.bench_function("fixedbitset", |b| {
        b.iter(|| black_box(&fa).intersection_count(&fb))
    });
    g.finish();

    let (ls, fs, vs) = (
        work::sparse_larder(),
        work::sparse_fixed(),
        work::sparse_bitvec(),
    );
    let mut g = c.benchmark_group("compact/iter_ones_1m");
    g.bench_function("larder", |b| b.iter(|| work::larder_ones(black_box(&ls))));
    g.bench_function("fixedbitset", |b| {
        b.iter(|| work::fixed_ones(black_box(&fs)))
    });
    g.bench_function("bitvec", |b| b.iter(|| work::bitvec_ones(black_box(&vs))));
    g.finish();

    let idx: Vec<usize> = {
        let mut rng = work::Rng(11);
        (0..4096).map(|_| rng.below(work::BITS)).collect()
    };
    let mut g = c.benchmark_group("compact/insert_contains_4k");
    let mut x = larder_compact::BitSet::new(work::BITS);
    g.bench_function("larder", |b| {
        b.iter(|| work::larder_insert_contains(&mut x, &idx))
    });
    let mut y = fixedbitset::FixedBitSet::with_capacity(work::BITS);
    g.bench_function("fixedbitset", |b| {
        b.iter(|| work::fixed_insert_contains(&mut y, &idx))
    });
    let mut z = bitvec::vec::BitVec::<u64, bitvec::order::Lsb0>::repeat(false, work::BITS);
    g.bench_function("bitvec", |b| {
        b.iter(|| work::bitvec_insert_contains(&mut z, &idx))
    });
    g.finish();
}

fn slots(c: &mut Criterion) {
    let mut g = c.benchmark_group("compact/slots_insert_remove");
    let (mut s, mut k) = work::larder_slots();
    g.bench_function("larder", |b| {
        b.iter(|| work::larder_slots_step(&mut s, &mut k))
    });
    let (mut s, mut k) = work::slotmap_slots();
    g.bench_function("slotmap", |b| b.iter(|| work::slotmap_step(&mut s, &mut k)));
    let (mut s, mut k) = work::thunderdome_slots();
    g.bench_function("thunderdome", |b| {
        b.iter(|| work::thunderdome_step(&mut s, &mut k))
    });
    let (mut s, mut k) = work::slab_slots();
    g.bench_function("slab", |b| b.iter(|| work::slab_step(&mut s, &mut k)));
    g.finish();
}

fn trees(c: &mut Criterion) {
    let mut g = c.benchmark_group("compact/tree_build_1000");
    g.bench_function("larder", |b| b.iter(work::larder_tree_build));
    g.bench_function("indextree", |b| b.iter(work::indextree_build));
    g.finish();

    let mut g = c.benchmark_group("compact/tree_build_append_1000");
    g.bench_function("larder", |b| b.iter(work::larder_tree_build_append));
    g.bench_function("indextree", |b| b.iter(work::indextree_build));
    g.finish();

    let mut g = c.benchmark_group("compact/tree_chain_1m");
    g.sample_size(10);
    g.bench_function("larder", |b| b.iter(work::larder_chain));
    g.bench_function("indextree", |b| b.iter(work::indextree_chain));
    g.finish();
}

fn packed(c: &mut Criterion) {
    let values = work::packed_values();
    let idx: Vec<usize> = {
        let mut rng = work::Rng(12);
        (0..4096).map(|_| rng.below(values.len())).collect()
    };
    let p = larder_compact::PackedInts::from_slice(&values);
    let mut g = c.benchmark_group("compact/packed_get_4k");
    g.bench_function("larder", |b| {
        b.iter(|| work::packed_get(black_box(&p), &idx))
    });
    g.bench_function("vec", |b| {
        b.iter(|| work::vec_get(black_box(&values), &idx))
    });
    g.finish();

    let sorted = work::sorted_values();
    let d = larder_compact::PackedInts::from_sorted(&sorted).expect("sorted");
    let bp = work::bitpack(&sorted);
    let mut g = c.benchmark_group("compact/packed_scan_sorted_1m");
    g.bench_function("larder", |b| b.iter(|| work::packed_scan(black_box(&d))));
    g.bench_function("bitpacking", |b| {
        b.iter(|| work::bitpacking_scan(black_box(&bp)))
    });
    g.finish();
}

fn collect(c: &mut Criterion) {
    use criterion::BatchSize;
    use larder_bench::collect::{larder_collect, larder_graph, slotmap_collect, slotmap_graph};
    let mut g = c.benchmark_group("compact/collect_100k");
    g.sample_size(20);
    let (lg, lroot) = larder_graph();
    let mut gc = larder_compact::Collector::new();
    g.bench_function("larder", |b| {
        b.iter_batched_ref(
            || lg.clone(),
            |graph| larder_collect(&mut gc, graph, lroot),
            BatchSize::LargeInput,
        )
    });
    let (sg, sroot) = slotmap_graph();
    g.bench_function("slotmap-bfs", |b| {
        b.iter_batched_ref(
            || sg.clone(),
            |graph| slotmap_collect(graph, sroot),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bitsets, slots, trees, packed, collect);
criterion_main!(benches);
