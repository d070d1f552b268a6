//! Criterion benches of larder-buffer: ids `buffer/WORKLOAD/SUBJECT`.

use bytes::{BufMut, BytesMut};
use criterion::{Criterion, criterion_group, criterion_main};
use larder_bench::buffer::{producer_consumer, two_threads};
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
        g.bench_function("larder", |b| {
            b.iter(|| {
                let mut buf = pool.get(n);
                buf.push(1);
                black_box(&buf);
            })
        });
        g.bench_function("vec-with-capacity", |b| {
            b.iter(|| {
                let mut v = Vec::<u8>::with_capacity(n);
                v.push(1);
                black_box(&v);
            })
        });
        g.bench_function("vec-zeroed", |b| {
            b.iter(|| {
                let mut v = vec![0u8; n];
                v[0] = 1;
                black_box(&v);
            })
        });
        let peer = object_pool::Pool::<Vec<u8>>::new(64, move || Vec::with_capacity(n));
        g.bench_function("object-pool", |b| {
            b.iter(|| {
                let mut v = peer.pull(move || Vec::with_capacity(n));
                v.clear();
                v.push(1);
                black_box(&v);
            })
        });
        g.finish();
    }
}

fn freeze(c: &mut Criterion) {
    let mut g = c.benchmark_group("buffer/get_write64_freeze_drop");
    let pool = BufferPool::new();
    g.bench_function("larder", |b| {
        b.iter(|| {
            let mut buf = pool.get(64);
            buf.extend_from_slice(&[7; 64]);
            black_box(buf.freeze());
        })
    });
    g.bench_function("bytes-mut", |b| {
        b.iter(|| {
            let mut buf = BytesMut::with_capacity(64);
            buf.put_slice(&[7; 64]);
            black_box(buf.freeze());
        })
    });
    g.finish();
}

fn threads(c: &mut Criterion) {
    let mut g = c.benchmark_group("buffer/get_put_4k_2threads");
    let pool = BufferPool::new();
    g.bench_function("larder", |b| {
        b.iter_custom(|iters| {
            two_threads(iters, |n| {
                for _ in 0..n {
                    let mut buf = pool.get(4096);
                    buf.push(1);
                    black_box(&buf);
                }
            })
        })
    });
    g.bench_function("vec-with-capacity", |b| {
        b.iter_custom(|iters| {
            two_threads(iters, |n| {
                for _ in 0..n {
                    let mut v = Vec::<u8>::with_capacity(4096);
                    v.push(1);
                    black_box(&v);
                }
            })
        })
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
