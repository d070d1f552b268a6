//! Unit tests that need the crate's internals (the budget counters).

#![cfg(not(larder_loom))]

use crate::Pool;
use larder_core::Limits;

#[test]
fn budget_counts_caches_and_never_passes_the_limit() {
    let pool = Pool::builder()
        .factory(|| Vec::<u8>::with_capacity(8))
        .reset(Vec::clear)
        .limits(Limits::new().max_objects(5))
        .cache_size(4)
        .build()
        .unwrap();
    let held: Vec<_> = (0..10).map(|_| pool.take()).collect();
    for v in held {
        pool.give_back(v);
        let (used, _) = pool.budget_used();
        assert!(used <= 5, "reserved {used}");
        assert!(pool.stats().retained_objects <= 5);
    }
    let s = pool.stats();
    assert_eq!((s.retained_objects, s.dropped_full), (5, 5));
    assert!(s.is_balanced());
    pool.trim();
    assert_eq!(
        pool.budget_used(),
        (0, 0),
        "trim gives the whole budget back"
    );
}

#[test]
fn byte_budget() {
    let pool = Pool::builder()
        .factory(|| Vec::<u8>::with_capacity(100))
        .reset(Vec::clear)
        .limits(Limits::new().max_bytes(250))
        .footprint()
        .build()
        .unwrap();
    let held: Vec<_> = (0..4).map(|_| pool.take()).collect();
    for v in held {
        pool.give_back(v);
    }
    let s = pool.stats();
    assert_eq!(
        (s.retained_objects, s.retained_bytes, s.dropped_full),
        (2, 200, 2)
    );
    assert!(pool.budget_used().1 <= 250);
    drop(pool.get());
    assert_eq!(pool.stats().retained_bytes, 200);
}

#[test]
fn credit_shrinks_back_after_a_burst() {
    let pool = Pool::builder()
        .factory(|| 0u32)
        .limits(Limits::new().max_objects(64))
        .cache_size(64)
        .build()
        .unwrap();
    let held: Vec<_> = (0..40).map(|_| pool.take()).collect();
    for v in held {
        pool.give_back(v);
    }
    let held: Vec<_> = (0..40).map(|_| pool.take()).collect();
    let (used, _) = pool.budget_used();
    assert!(
        used <= 2 * 8,
        "a drained cache keeps at most two grains, kept {used}"
    );
    for v in held {
        pool.give_back(v);
    }
}

/// A snapshot of a cache's counters taken while its thread works can see an outflow
/// without the inflow before it (a hit of an object whose return it read too early). The
/// level is then 0, not a count wrapped around to nearly 2^64, which the buffer pool's
/// byte total multiplied into an overflow (a stress test's watcher caught it).
#[test]
fn a_snapshot_taken_mid_run_never_wraps_the_level() {
    let tally = crate::local::Tally::default();
    tally.returned.add(3);
    tally.hits.add(4);
    assert_eq!(tally.level(), 0);
    tally.returned.add(2);
    tally.batch_in.add(1);
    assert_eq!(tally.level(), 2);
}
