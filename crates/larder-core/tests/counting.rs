//! `CountingAlloc` counts exactly what the allocator is asked for.

use larder_core::{AllocDelta, CountingAlloc};
use std::hint::black_box;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

#[test]
fn one_known_allocation_and_free_are_counted_exactly() {
    let (boxed, delta) = CountingAlloc::measure(|| black_box(Box::new([7u8; 48])));
    assert_eq!(
        delta,
        AllocDelta {
            allocations: 1,
            bytes_allocated: 48,
            ..AllocDelta::default()
        }
    );
    let ((), delta) = CountingAlloc::measure(|| drop(boxed));
    assert_eq!(
        delta,
        AllocDelta {
            deallocations: 1,
            bytes_freed: 48,
            ..AllocDelta::default()
        }
    );
    assert!(CountingAlloc::is_installed());
}

#[test]
fn reallocation_growth_and_shrink() {
    let mut v: Vec<u8> = Vec::with_capacity(16);
    let ((), grow) = CountingAlloc::measure(|| v.reserve_exact(48));
    assert_eq!(grow.reallocations, 1);
    assert_eq!(grow.bytes_allocated, 32, "16 -> 48 bytes of capacity");
    let ((), shrink) = CountingAlloc::measure(|| v.shrink_to(8));
    assert_eq!(shrink.reallocations, 1);
    assert_eq!(shrink.bytes_freed, 40, "48 -> 8 bytes of capacity");
    assert_eq!(shrink.calls(), 1);
}

#[test]
fn zeroed_allocations_count() {
    let (v, delta) = CountingAlloc::measure(|| black_box(vec![0u64; 32]));
    assert_eq!(delta.allocations, 1);
    assert_eq!(delta.bytes_allocated, 256);
    drop(v);
}

#[test]
fn nothing_is_counted_for_work_without_allocation() {
    let mut v = Vec::with_capacity(1024);
    let ((), delta) = CountingAlloc::measure(|| {
        for i in 0..1024u32 {
            v.push(i);
        }
        v.clear();
    });
    assert!(delta.is_zero(), "{delta:?}");
}

#[test]
fn other_threads_do_not_leak_into_a_measurement() {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let noise = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                black_box(vec![1u8; 100]);
            }
        })
    };
    let ((), delta) = CountingAlloc::measure(|| {
        for _ in 0..1000 {
            black_box(1 + 1);
        }
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    noise.join().unwrap();
    assert!(delta.is_zero(), "{delta:?}");
}

#[test]
fn process_wide_live_and_peak_bytes() {
    // Other tests run concurrently, so only lower bounds are exact here.
    CountingAlloc::reset_peak();
    let before = CountingAlloc::snapshot();
    let big = black_box(vec![1u8; 1 << 20]);
    let during = CountingAlloc::snapshot();
    assert!(during.allocations > before.allocations);
    assert!(during.bytes_allocated - before.bytes_allocated >= 1 << 20);
    assert!(during.peak_bytes >= 1 << 20);
    assert!(during.peak_bytes >= during.live_bytes);
    drop(big);
    let after = CountingAlloc::snapshot();
    assert!(after.bytes_freed - during.bytes_freed >= 1 << 20);
    assert!(after.peak_bytes >= 1 << 20, "the peak remembers");
}
