//! Criterion benches of larder-compact against its peers: ids `compact/WORKLOAD/SUBJECT`.
//! (Benchmarks arrive with the component.)

use criterion::{Criterion, criterion_group, criterion_main};

fn none(_c: &mut Criterion) {}

criterion_group!(benches, none);
criterion_main!(benches);
