//! Criterion benches of larder-core: `core/counter_add/{larder,atomic-fetch-add}`.

use criterion::{Criterion, criterion_group, criterion_main};
use larder_core::Counter;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

fn counter_add(c: &mut Criterion) {
    let mut g = c.benchmark_group("core/counter_add");
    let counter = Counter::new();
    g.bench_function("larder", |b| b.iter(|| black_box(&counter).add(1)));
    let atomic = AtomicU64::new(0);
    g.bench_function("atomic-fetch-add", |b| {
        b.iter(|| black_box(&atomic).fetch_add(1, Ordering::Relaxed))
    });
    g.finish();
}

criterion_group!(benches, counter_add);
criterion_main!(benches);
