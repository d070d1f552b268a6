//! Behaviour of `Arena`, `Scope`, `ArenaVec` and `ArenaBox` that the issue promises.

use larder_arena::{Arena, ArenaError, CheckpointError, GrowthPolicy};
use std::alloc::Layout;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

fn arena(first: usize, factor: usize, max: usize) -> Arena {
    Arena::builder()
        .growth(
            GrowthPolicy::new()
                .first_chunk_size(first)
                .growth_factor(factor)
                .max_chunk_size(max),
        )
        .build()
        .unwrap()
}

#[test]
fn chunks_follow_the_schedule_up_to_the_maximum() {
    let a = arena(1024, 2, 4096);
    let mut caps = Vec::new();
    for _ in 0..8 {
        let before = a.stats().chunk_capacity;
        a.alloc([0u8; 1000]);
        let after = a.stats().chunk_capacity;
        if after > before {
            caps.push(after - before);
        }
    }
    assert_eq!(caps, [1024, 2048, 4096, 4096]);
}

#[test]
fn an_oversized_allocation_gets_its_own_chunk_and_does_not_inflate_later_ones() {
    let a = arena(1024, 2, 1 << 20);
    a.alloc(1u8);
    let big = a.alloc_slice_copy(&vec![7u8; 100_000]);
    assert_eq!(big.len(), 100_000);
    let s = a.stats();
    assert_eq!(s.chunk_count, 2);
    assert_eq!(s.chunk_capacity, 1024 + 100_000);
    // The current chunk keeps serving small allocations...
    a.alloc([0u8; 500]);
    assert_eq!(a.stats().chunk_count, 2);
    // ...and the next chunk of the schedule is one growth step on (every chunk request
    // advances the schedule), not 100 KB.
    a.alloc([0u8; 1000]);
    let s2 = a.stats();
    assert_eq!(s2.chunk_capacity - s.chunk_capacity, 4096);
}

#[test]
fn a_failed_allocation_grows_nothing() {
    let a = arena(1024, 2, 1 << 20);
    a.set_allocation_limit(Some(1024 + 512));
    a.alloc([0u8; 1000]);
    let before = a.stats();
    let err = a.try_alloc([0u8; 1000]).unwrap_err();
    assert_eq!(
        err,
        ArenaError::LimitExceeded {
            requested: 1000,
            held: 1024,
            limit: 1536
        }
    );
    assert_eq!(a.stats(), before);
    // Twice, to be sure the schedule did not move either.
    assert!(a.try_alloc([0u8; 1000]).is_err());
    a.set_allocation_limit(None);
    a.alloc([0u8; 1000]);
    assert_eq!(a.stats().chunk_capacity, 1024 + 2048);
}

#[test]
fn the_limit_is_checked_on_every_chunk_request_and_may_shorten_a_chunk() {
    let a = Arena::builder()
        .growth(GrowthPolicy::new().first_chunk_size(1024))
        .allocation_limit(1024 + 700)
        .build()
        .unwrap();
    a.alloc([0u8; 1000]);
    // The schedule says 2048, only 700 bytes remain: a 700-byte chunk serves 600 bytes.
    a.alloc([0u8; 600]);
    assert_eq!(a.stats().chunk_capacity, 1724);
    assert!(matches!(
        a.try_alloc([0u8; 200]),
        Err(ArenaError::LimitExceeded { .. })
    ));
    // Oversized requests are limited too.
    assert!(a.try_alloc_slice_copy(&vec![0u8; 50_000]).is_err());
    assert!(a.stats().chunk_capacity <= 1724);
}

#[test]
#[should_panic(expected = "allocation limit exceeded")]
fn alloc_panics_with_the_limit_error() {
    let a = Arena::builder().allocation_limit(64).build().unwrap();
    a.alloc([0u8; 128]);
}

#[test]
fn reset_keeps_only_the_largest_chunk_and_reset_keep_all_keeps_every_chunk() {
    let mut a = arena(256, 2, 1 << 20);
    for i in 0..2000u64 {
        a.alloc(i);
    }
    a.alloc_slice_copy(&vec![1u8; 1 << 21]); // oversized
    let full = a.stats();
    assert!(full.chunk_count > 3);
    a.reset();
    let s = a.stats();
    assert_eq!((s.chunk_count, s.allocated_bytes), (1, 0));
    assert_eq!(
        s.chunk_capacity, 8192,
        "the largest chunk of the schedule, not the oversized one"
    );
    assert!(s.high_water_mark >= 2000 * 8 + (1 << 21));
    // The kept chunk is current: allocating asks nothing more of the system.
    a.alloc([0u8; 4000]);
    assert_eq!(a.stats().chunk_capacity, 8192);

    for i in 0..2000u64 {
        a.alloc(i);
    }
    a.alloc_slice_copy(&vec![1u8; 1 << 21]);
    let full = a.stats();
    a.reset_keep_all();
    let kept = a.stats();
    assert_eq!(
        (kept.chunk_capacity, kept.chunk_count, kept.allocated_bytes),
        (full.chunk_capacity, full.chunk_count, 0)
    );
}

#[test]
fn shrink_gives_back_retained_chunks_only() {
    let mut a = arena(1024, 1, 1024);
    for _ in 0..5 {
        a.alloc([0u8; 1000]);
    }
    a.scope(|s| {
        for _ in 0..5 {
            s.alloc([0u8; 1000]);
        }
    });
    assert_eq!(a.stats().chunk_count, 10);
    let x = a.alloc(5u32);
    assert_eq!(*x, 5);
    a.shrink();
    assert_eq!(
        a.stats().chunk_count,
        5,
        "the five chunks in use (`x` fits in the fifth)"
    );
    assert_eq!(
        a.allocated_bytes(),
        5000 + 8,
        "sizes are rounded up to 8 bytes"
    );
    a.reset();
    a.shrink();
    assert_eq!(a.stats().chunk_count, 0);
    assert_eq!(*a.alloc(9u8), 9);
}

#[test]
fn checkpoints_rewind_and_refuse_stale_or_foreign_ones() {
    let mut a = arena(256, 2, 4096);
    a.alloc(1u64);
    let cp = a.checkpoint();
    for i in 0..500u64 {
        a.alloc(i);
    }
    let inner = a.checkpoint();
    a.alloc(7u8);
    a.rewind(inner).unwrap();
    a.rewind(cp).unwrap();
    assert_eq!(a.allocated_bytes(), 8);
    // `inner` lies past the position now.
    assert_eq!(a.rewind(inner), Err(CheckpointError::Stale));
    // A checkpoint from another arena names chunks this one does not hold.
    let other = arena(256, 2, 4096);
    other.alloc(1u8);
    assert_eq!(a.rewind(other.checkpoint()), Err(CheckpointError::Stale));
    a.reset();
    assert_eq!(a.rewind(cp), Err(CheckpointError::Stale));
    let e = a.checkpoint();
    a.shrink();
    assert_eq!(a.rewind(e), Err(CheckpointError::Stale));
}

#[test]
fn a_scope_is_restored_when_its_closure_panics() {
    let mut a = Arena::new();
    a.alloc(1u32);
    let before = a.allocated_bytes();
    let r = catch_unwind(AssertUnwindSafe(|| {
        a.scope(|s| {
            s.alloc([0u8; 100]);
            panic!("boom");
        })
    }));
    assert!(r.is_err());
    assert_eq!(a.allocated_bytes(), before);
    assert_eq!(*a.alloc(3u8), 3);
}

#[test]
fn a_panicking_initialiser_leaves_the_arena_usable() {
    let a = Arena::new();
    let r = catch_unwind(AssertUnwindSafe(|| {
        a.alloc_with(|| -> u64 { panic!("init") });
    }));
    assert!(r.is_err());
    let r = catch_unwind(AssertUnwindSafe(|| {
        struct Bomb(u8);
        impl Clone for Bomb {
            fn clone(&self) -> Self {
                if self.0 == 2 {
                    panic!("clone");
                }
                Bomb(self.0)
            }
        }
        a.alloc_slice_clone(&[Bomb(1), Bomb(2)]);
    }));
    assert!(r.is_err());
    assert_eq!(*a.alloc(5u64), 5);
}

#[test]
fn alignments_up_to_a_page_are_honoured() {
    let a = arena(64, 2, 1 << 16);
    for pow in 0..13 {
        let align = 1usize << pow;
        for size in [0, 1, 7, 64, 5000] {
            let p = a.alloc_layout(Layout::from_size_align(size, align).unwrap());
            assert_eq!(p.as_ptr() as usize % align, 0, "size {size} align {align}");
        }
    }
    #[repr(align(64))]
    struct Line(#[allow(dead_code)] [u8; 64]);
    assert_eq!(a.alloc(Line([0; 64])) as *mut Line as usize % 64, 0);
}

#[test]
fn zero_sized_allocations_work_before_and_after_chunks_exist() {
    let a = Arena::new();
    let unit = a.alloc(());
    *unit = ();
    let empty: &mut [u64] = a.alloc_slice_copy(&[]);
    assert!(empty.is_empty());
    assert_eq!(a.stats().chunk_count, 0, "no chunk for zero-sized values");
    a.alloc(1u8);
    let zs = a.alloc_slice_copy::<()>(&[(), ()]);
    assert_eq!(zs.len(), 2);
}

#[test]
fn a_vector_pushed_one_at_a_time_grows_in_place() {
    let a = arena(1 << 16, 2, 1 << 20);
    let mut v = a.vec::<u64>();
    v.push(0);
    let first = v.as_ptr();
    for i in 1..5000u64 {
        v.reserve_exact(1);
        v.push(i);
        assert_eq!(v.as_ptr(), first, "never moved");
    }
    assert_eq!(v.capacity(), 5000);
    assert_eq!(a.allocated_bytes(), 40_000);
    assert!(v.iter().copied().eq(0..5000));
    drop(v);
    assert_eq!(a.allocated_bytes(), 0, "the last allocation is given back");
}

#[test]
fn a_vector_that_is_not_last_copies_and_keeps_its_contents() {
    let a = Arena::new();
    let mut v = a.vec::<String>();
    v.push("a".into());
    let other = a.alloc(9u32);
    let first = v.as_ptr();
    for i in 0..100 {
        v.push(i.to_string());
    }
    assert_ne!(v.as_ptr(), first);
    assert_eq!(*other, 9);
    assert_eq!(v[0], "a");
    assert_eq!(v[100], "99");
    v.truncate(50);
    assert_eq!(v.pop().as_deref(), Some("48"));
    v.shrink_to_fit();
    assert_eq!(v.capacity(), 49);
    drop(v);
    let mut n = a.vec::<u32>();
    n.extend([1, 2, 3]);
    let s = n.into_slice(); // `u32` has no destructor to skip
    assert_eq!(s, &[1, 2, 3]);
}

#[test]
fn vectors_drop_their_elements_and_boxes_their_value() {
    let drops = Cell::new(0);
    struct D<'d>(&'d Cell<u32>);
    impl Drop for D<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let a = Arena::new();
    {
        let mut v = a.vec();
        v.extend((0..10).map(|_| D(&drops)));
        v.truncate(4);
        assert_eq!(drops.get(), 6);
    }
    assert_eq!(drops.get(), 10);
    let b = a.alloc_box(D(&drops));
    drop(b);
    assert_eq!(drops.get(), 11);
    let b = a.alloc_box(D(&drops));
    let d = larder_arena::ArenaBox::into_inner(b);
    assert_eq!(drops.get(), 11);
    drop(d);
    assert_eq!(drops.get(), 12);
    a.alloc(D(&drops)); // plain alloc: never dropped
    assert_eq!(drops.get(), 12);
}

#[test]
fn zero_sized_elements_in_a_vector() {
    let a = Arena::new();
    let mut v = a.vec::<()>();
    for _ in 0..1000 {
        v.push(());
    }
    assert_eq!(v.len(), 1000);
    assert_eq!(a.stats().chunk_count, 0);
}

#[test]
fn capacity_overflow_is_an_error_not_ub() {
    let a = Arena::new();
    let mut v = a.vec::<u64>();
    v.push(1);
    assert_eq!(v.try_reserve(usize::MAX), Err(ArenaError::SizeOverflow));
    assert!(v.try_reserve_exact(usize::MAX / 4).is_err());
    assert_eq!(&*v, &[1]);
    // A request the limit refuses never reaches the global allocator.
    let limited = Arena::builder().allocation_limit(1 << 20).build().unwrap();
    let huge = Layout::from_size_align(isize::MAX as usize - 64, 1).unwrap();
    assert!(matches!(
        limited.try_alloc_layout(huge),
        Err(ArenaError::LimitExceeded { .. })
    ));
}

#[test]
fn the_high_water_mark_remembers_the_peak() {
    let mut a = Arena::new();
    a.scope(|s| {
        s.alloc([0u8; 3000]);
    });
    let mut v = a.vec::<u8>();
    v.extend_from_slice(&[1; 100]);
    drop(v);
    let s = a.stats();
    assert_eq!(s.allocated_bytes, 0);
    assert_eq!(s.high_water_mark, 3000);
}

#[test]
fn bad_configurations_are_refused() {
    use larder_core::ConfigError;
    let build = |p: GrowthPolicy| Arena::builder().growth(p).build().map(|_| ());
    assert_eq!(
        build(GrowthPolicy::new().first_chunk_size(0)),
        Err(ConfigError::Zero {
            what: "first_chunk_size"
        })
    );
    assert_eq!(
        build(GrowthPolicy::new().max_chunk_size(0)),
        Err(ConfigError::Zero {
            what: "max_chunk_size"
        })
    );
    assert!(matches!(
        build(GrowthPolicy::new().max_chunk_size(usize::MAX)),
        Err(ConfigError::TooLarge {
            what: "max_chunk_size",
            ..
        })
    ));
}

#[cfg(not(larder_loom))]
#[test]
fn an_arena_moves_to_another_thread() {
    let mut a = Arena::new();
    a.alloc_str("hello");
    let a = std::thread::spawn(move || {
        assert_eq!(a.allocated_bytes(), 8, "5 bytes rounded up to 8");
        a.reset();
        a
    })
    .join()
    .unwrap();
    assert_eq!(a.allocated_bytes(), 0);
}
