//! Criterion benches of larder-buffer: ids `buffer/WORKLOAD/SUBJECT`.

use criterion::{Criterion, criterion_group, criterion_main};
use larder_bench::buffer::{
    bytes_mut_freeze_64, larder_freeze_64, larder_get_put, object_pool, object_pool_get_put,
    producer_consumer, two_threads, vec_get_put, vec_zeroed_get_put,
};
use larder_buffer::BufferPool;
use std::hint::black_box;

fn get_put(c: &mut Criterion) {
    for (n, name) in [
        (64usize, "get_put_64"),
        (4096, "get_put_4k"),
        (65536, "get_put_64k"),
        (1 << 20, "get_put_1m"),
    ] {
        let mut g = c.benchmark_group(format!("buffer/{name}"));
        let pool = BufferPool::new();
        g.bench_function("larder", |b| b.iter(|| larder_get_put(&pool, n)));
        g.bench_function("vec-with-capacity", |b| b.iter(|| vec_get_put(n)));
        g.bench_function("vec-zeroed", |b| b.iter(|| vec_zeroed_get_put(n)));
        let peer = object_pool(n);
        g.bench_function("object-pool", |b| b.iter(|| object_pool_get_put(&peer, n)));
        g.finish();
    }
}

fn freeze(c: &mut Criterion) {
    let mut g = c.benchmark_group("buffer/get_write64_freeze_drop");
    let pool = BufferPool::new();
    g.bench_function("larder", |b| b.iter(|| larder_freeze_64(&pool)));
    g.bench_function("bytes-mut", |b| b.iter(bytes_mut_freeze_64));
    g.finish();

    let mut g = c.benchmark_group("buffer/get_write64_freeze_drop_leaked");
    let leaked = BufferPool::new().leak();
    g.bench_function("larder", |b| b.iter(|| larder_freeze_64(leaked)));
    g.bench_function("bytes-mut", |b| b.iter(bytes_mut_freeze_64));
    g.finish();

    let mut g = c.benchmark_group("buffer/get_write64_freeze_drop_2threads");
    g.bench_function("larder", |b| {
        b.iter_custom(|iters| two_threads(iters, || larder_freeze_64(&pool)))
    });
    g.bench_function("bytes-mut", |b| {
        b.iter_custom(|iters| two_threads(iters, bytes_mut_freeze_64))
    });
    g.finish();
}

fn threads(c: &mut Criterion) {
    let mut g = c.benchmark_group("buffer/get_put_4k_2threads");
    let pool = BufferPool::new();
    g.bench_function("larder", |b| {
        b.iter_custom(|iters| two_threads(iters, || larder_get_put(&pool, 4096)))
    });
    g.bench_function("vec-with-capacity", |b| {
        b.iter_custom(|iters| two_threads(iters, || vec_get_put(4096)))
    });
    g.finish();

    let mut g = c.benchmark_group("buffer/producer_consumer_4k");
    g.bench_function("larder", |b| {
        b.iter_custom(|iters| {
            producer_consumer(
                iters,
                || {
                    let mut buf = pool.get(4096);
                    buf.push(1);
                    buf
                },
                |buf| drop(black_box(buf)),
            )
        })
    });
    g.bench_function("vec-with-capacity", |b| {
        b.iter_custom(|iters| {
            producer_consumer(
                iters,
                || {
                    let mut v = Vec::<u8>::with_capacity(4096);
                    v.push(1);
                    v
                },
                |v| drop(black_box(v)),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, get_put, freeze, threads);
criterion_main!(benches);
