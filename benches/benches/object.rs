//! Criterion benches of larder-object against its peers: ids `object/WORKLOAD/SUBJECT`.
//!
//! Workloads (see `larder_bench::object`): `get_put_1k` (one thread), `get_put_1k_2threads`
//! (two threads sharing one pool; time per operation per thread), `producer_consumer_1k`
//! (one thread takes, another gives back). Subjects: `larder`, `malloc`, `object-pool`,
//! `lifeguard` (one thread only), `sharded-slab`, `opool`, `arrayqueue-pool`,
//! `mutex-vec-pool`.

use criterion::{Criterion, criterion_group, criterion_main};
use larder_bench::object::{
    Hand, Larder, Malloc, MutexPool, ObjectPool, Opool, QueuePool, ShardedSlab, Subject, WORKLOADS,
    lifeguard_one_thread, lifeguard_pool, one_thread, producer_consumer, two_threads,
};
use std::time::Duration;

type Body<S> = fn(&S, u64) -> Duration;

fn subject<S: Subject>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    s: S,
    body: Body<S>,
) {
    g.bench_function(name, |b| b.iter_custom(|iters| body(&s, iters)));
}

fn workload(c: &mut Criterion, i: usize) {
    let mut g = c.benchmark_group(format!("object/{}", WORKLOADS[i]));
    macro_rules! bodies {
        ($s:ty) => {
            [
                one_thread::<$s> as Body<$s>,
                two_threads::<$s>,
                producer_consumer::<$s>,
            ]
        };
    }
    subject(&mut g, "larder", Larder::new(), bodies!(Larder)[i]);
    subject(&mut g, "malloc", Malloc, bodies!(Malloc)[i]);
    subject(
        &mut g,
        "object-pool",
        ObjectPool::new(),
        bodies!(ObjectPool)[i],
    );
    if i == 0 {
        let pool = lifeguard_pool();
        g.bench_function("lifeguard", |b| {
            b.iter_custom(|iters| lifeguard_one_thread(&pool, iters))
        });
    }
    subject(
        &mut g,
        "sharded-slab",
        ShardedSlab::new(),
        bodies!(ShardedSlab)[i],
    );
    subject(&mut g, "opool", Opool::new(), bodies!(Opool)[i]);
    subject(
        &mut g,
        "arrayqueue-pool",
        Hand(QueuePool::new()),
        bodies!(Hand<QueuePool>)[i],
    );
    subject(
        &mut g,
        "mutex-vec-pool",
        Hand(MutexPool::new()),
        bodies!(Hand<MutexPool>)[i],
    );
    g.finish();
}

fn get_put_1k(c: &mut Criterion) {
    workload(c, 0);
}

fn get_put_1k_2threads(c: &mut Criterion) {
    workload(c, 1);
}

fn producer_consumer_1k(c: &mut Criterion) {
    workload(c, 2);
}

criterion_group!(
    benches,
    get_put_1k,
    get_put_1k_2threads,
    producer_consumer_1k
);
criterion_main!(benches);
