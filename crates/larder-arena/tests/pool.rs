//! `ArenaPool` behaviour: reset on return, bounds on what it keeps, panics in user code.
#![cfg(all(feature = "std", not(larder_loom)))]

use larder_arena::{ArenaPool, GrowthPolicy};
use std::panic::{AssertUnwindSafe, catch_unwind};

#[test]
fn arenas_come_back_reset_with_their_largest_chunk() {
    let pool = ArenaPool::builder()
        .growth(GrowthPolicy::new().first_chunk_size(1024))
        .build()
        .unwrap();
    {
        let a = pool.get();
        for i in 0..1000u64 {
            a.alloc(i);
        }
    }
    let a = pool.get();
    let s = a.stats();
    assert_eq!(s.allocated_bytes, 0);
    assert_eq!(s.chunk_count, 1);
    assert_eq!(s.chunk_capacity, 8192);
    drop(a);
    let st = pool.stats();
    assert_eq!((st.misses, st.hits, st.returned), (1, 1, 2));
    assert_eq!(st.retained_bytes, 8192);
    assert!(st.is_balanced());
}

#[test]
fn retained_arenas_are_capped_in_number_and_bytes() {
    let pool = ArenaPool::builder()
        .growth(GrowthPolicy::new().first_chunk_size(4096))
        .max_arenas(2)
        .max_retained_bytes(3 * 4096)
        .build()
        .unwrap();
    let guards: Vec<_> = (0..4)
        .map(|_| {
            let g = pool.get();
            g.alloc(1u8);
            g
        })
        .collect();
    drop(guards);
    let s = pool.stats();
    assert_eq!(s.retained_objects, 2);
    assert!(s.retained_bytes <= 3 * 4096);
    assert_eq!(s.dropped_full, 2);
}

#[test]
fn a_changed_limit_is_restored_on_return() {
    let pool = ArenaPool::builder()
        .allocation_limit(1 << 16)
        .build()
        .unwrap();
    {
        let a = pool.get();
        a.set_allocation_limit(None);
    }
    assert_eq!(pool.get().allocation_limit(), Some(1 << 16));
}

#[test]
fn a_panic_while_building_leaves_the_pool_usable() {
    let pool = ArenaPool::new();
    let r = catch_unwind(AssertUnwindSafe(|| {
        let a = pool.get();
        a.alloc_str("half a request");
        panic!("handler failed");
    }));
    assert!(r.is_err());
    let a = pool.get();
    assert_eq!(
        a.allocated_bytes(),
        0,
        "reset on the way back during unwinding"
    );
    drop(a);
    assert!(pool.stats().is_balanced());
}

#[test]
fn bad_configurations_are_refused() {
    use larder_core::ConfigError;
    assert_eq!(
        ArenaPool::builder()
            .allocation_limit(0)
            .build()
            .unwrap_err(),
        ConfigError::Zero {
            what: "allocation_limit"
        }
    );
    assert!(
        ArenaPool::builder()
            .growth(GrowthPolicy::new().growth_factor(0))
            .build()
            .is_err()
    );
    assert!(ArenaPool::builder().cache_size(0).build().is_err());
    assert!(ArenaPool::builder().max_retained_bytes(0).build().is_err());
}

#[test]
fn owned_arenas_return_from_other_threads() {
    let pool = ArenaPool::new();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let a = pool.get_owned();
            std::thread::spawn(move || {
                a.alloc(i as u64);
                drop(a);
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let s = pool.stats();
    assert_eq!(s.returned, 4);
    assert!(s.is_balanced());
}
