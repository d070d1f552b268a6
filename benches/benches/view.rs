//! Criterion benches of larder-view against its peers: ids `view/WORKLOAD/SUBJECT`
//! (workloads and peers described in `src/view.rs`).

use criterion::{Criterion, criterion_group, criterion_main};
use larder_bench::view::{
    bases, clone_slice_drop_bytes, clone_slice_drop_local, clone_slice_drop_view, parse_buf,
    parse_index, parse_reader, record, split_to_bytes, split_to_view,
};
use std::hint::black_box;

fn clone_slice_drop(c: &mut Criterion) {
    let (view, local, bytes) = bases();
    let mut g = c.benchmark_group("view/clone_slice_drop");
    g.bench_function("larder", |b| b.iter(|| clone_slice_drop_view(&view)));
    g.bench_function("bytes", |b| b.iter(|| clone_slice_drop_bytes(&bytes)));
    g.finish();
    // The same workload with `LocalView` (single-thread, no atomics).
    let mut g = c.benchmark_group("view/clone_slice_drop_local");
    g.bench_function("larder", |b| b.iter(|| clone_slice_drop_local(&local)));
    g.bench_function("bytes", |b| b.iter(|| clone_slice_drop_bytes(&bytes)));
    g.finish();
}

fn split_to_clone(c: &mut Criterion) {
    let (view, _, bytes) = bases();
    let mut g = c.benchmark_group("view/split_to_clone");
    g.bench_function("larder", |b| b.iter(|| split_to_view(&view)));
    g.bench_function("bytes", |b| b.iter(|| split_to_bytes(&bytes)));
    g.finish();
}

fn parse_1k_record(c: &mut Criterion) {
    let rec = record();
    let mut g = c.benchmark_group("view/parse_1k_record");
    g.bench_function("larder", |b| {
        b.iter(|| parse_reader(black_box(&rec)).unwrap())
    });
    g.bench_function("bytes", |b| b.iter(|| parse_buf(black_box(&rec))));
    g.bench_function("slice-indexing", |b| {
        b.iter(|| parse_index(black_box(&rec)))
    });
    g.finish();
}

criterion_group!(benches, clone_slice_drop, split_to_clone, parse_1k_record);
criterion_main!(benches);
