//! Loom models of what is concurrent in larder-core: single-writer counters read from other
//! threads, the poison-free mutex, and the leak tracker.
//!
//! `RUSTFLAGS="--cfg larder_loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release -p larder-core --test loom`
#![cfg(larder_loom)]

use larder_core::sync::{Arc, Mutex, spawn};
use larder_core::{Counter, LeakTracker};

#[test]
fn loom_counter_single_writer_is_monotonic_for_readers() {
    loom::model(|| {
        let c = Arc::new(Counter::new());
        let writer = {
            let c = c.clone();
            spawn(move || {
                c.add(1);
                c.add(1);
            })
        };
        let first = c.get();
        let second = c.get();
        assert!(first <= second, "a reader never sees the count go back");
        assert!(second <= 2);
        writer.join().unwrap();
        assert_eq!(c.get(), 2);
    });
}

#[test]
fn loom_counter_shared_adds_are_not_lost() {
    loom::model(|| {
        let c = Arc::new(Counter::new());
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let c = c.clone();
                spawn(move || c.add_shared(1))
            })
            .collect();
        c.add_shared(1);
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(c.get(), 3);
    });
}

#[test]
fn loom_per_thread_counters_aggregate_exactly() {
    // The pattern pools use: each thread owns a counter, a reader sums them.
    loom::model(|| {
        let counters = Arc::new([Counter::new(), Counter::new()]);
        let threads: Vec<_> = (0..2)
            .map(|i| {
                let counters = counters.clone();
                spawn(move || {
                    counters[i].add(1);
                    counters[i].add(2);
                })
            })
            .collect();
        let partial: u64 = counters.iter().map(Counter::get).sum();
        assert!(partial <= 6);
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(counters.iter().map(Counter::get).sum::<u64>(), 6);
    });
}

#[test]
fn loom_mutex_serialises_two_lockers() {
    loom::model(|| {
        let m = Arc::new(Mutex::new(0u32));
        let t = {
            let m = m.clone();
            spawn(move || {
                *m.lock() += 1;
            })
        };
        *m.lock() += 1;
        t.join().unwrap();
        assert_eq!(*m.lock(), 2);
    });
}

#[test]
fn loom_leak_tracker_from_two_threads() {
    loom::model(|| {
        let tracker = Arc::new(LeakTracker::new());
        let t = {
            let tracker = tracker.clone();
            spawn(move || {
                let token = tracker.track();
                tracker.untrack(token);
            })
        };
        let kept = tracker.track();
        t.join().unwrap();
        let report = tracker.report(1);
        assert_eq!(report.outstanding(), 1);
        if LeakTracker::ENABLED {
            assert_eq!(report.sites().iter().map(|s| s.count).sum::<usize>(), 1);
        }
        tracker.untrack(kept);
    });
}
