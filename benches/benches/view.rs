//! Criterion benches of larder-view against its peers: ids `view/WORKLOAD/SUBJECT`.
//! (Benchmarks arrive with the component.)

use criterion::{Criterion, criterion_group, criterion_main};

fn none(_c: &mut Criterion) {}

criterion_group!(benches, none);
criterion_main!(benches);
