//! Criterion benches of larder-arena against its peers: ids `arena/WORKLOAD/SUBJECT`,
//! SUBJECT being `larder` or the peer (`bumpalo`, `bump-scope`, `typed-arena`, `box`).
//!
//! The workloads are the ones of the `compare` table (`larder_bench::arena::pairs`), so
//! both report the same thing: run `cargo bench -p larder-bench --bench arena`.

use criterion::{Criterion, criterion_group, criterion_main};

fn arena(c: &mut Criterion) {
    let mut pairs = larder_bench::arena::pairs();
    let mut workloads: Vec<String> = Vec::new();
    for p in &pairs {
        if !workloads.contains(&p.workload) {
            workloads.push(p.workload.clone());
        }
    }
    for workload in workloads {
        let mut g = c.benchmark_group(format!("arena/{workload}"));
        let mut larder_done = false;
        for pair in pairs.iter_mut().filter(|p| p.workload == workload) {
            if !larder_done {
                g.bench_function("larder", |b| b.iter_custom(|iters| (pair.larder)(iters)));
                larder_done = true;
            }
            g.bench_function(pair.peer, |b| b.iter_custom(|iters| (pair.other)(iters)));
        }
        g.finish();
    }
}

criterion_group!(benches, arena);
criterion_main!(benches);
