//! larder-arena against its peers: bumpalo, bump-scope, typed-arena and `Box::new`.
//!
//! Every arena side keeps one arena and resets it after each iteration (the way a
//! request-scoped arena is used), except typed-arena, which has no reset and is made anew;
//! `Box::new` allocates and frees every value through the global allocator. The request
//! cycle takes an arena from an `ArenaPool` per request, against a fresh `bumpalo::Bump`
//! per request (`request_cycle_fresh`) and a kept `Bump` reset after each request
//! (`request_cycle_reset`).

use crate::Pair;
use larder_arena::Arena;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Values per iteration in the `u64`, `[u8; 64]` and vector workloads.
pub const N: usize = 10_000;
/// `alloc_slice_copy` calls per iteration in `slice_copy_100b`.
pub const SLICES: usize = 1_000;
/// Small allocations per request in the request cycle.
pub const REQUEST_ALLOCS: usize = 1_000;

fn time(iters: u64, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed()
}

/// `N` values of `T` (made by `make`) in a kept larder arena, then a reset.
fn larder_values<T>(make: fn(usize) -> T) -> impl FnMut(u64) -> Duration {
    let mut arena = Arena::new();
    move |iters| {
        time(iters, || {
            for i in 0..N {
                black_box(arena.alloc(make(i)));
            }
            arena.reset();
        })
    }
}

fn bumpalo_values<T>(make: fn(usize) -> T) -> impl FnMut(u64) -> Duration {
    let mut bump = bumpalo::Bump::new();
    move |iters| {
        time(iters, || {
            for i in 0..N {
                black_box(bump.alloc(make(i)));
            }
            bump.reset();
        })
    }
}

fn bump_scope_values<T: Copy>(make: fn(usize) -> T) -> impl FnMut(u64) -> Duration {
    let mut bump: bump_scope::Bump = bump_scope::Bump::new();
    move |iters| {
        time(iters, || {
            for i in 0..N {
                black_box(bump.alloc(make(i)).into_mut());
            }
            bump.reset();
        })
    }
}

fn typed_arena_values<T>(make: fn(usize) -> T) -> impl FnMut(u64) -> Duration {
    move |iters| {
        time(iters, || {
            let arena = typed_arena::Arena::new();
            for i in 0..N {
                black_box(arena.alloc(make(i)));
            }
        })
    }
}

fn box_values<T>(make: fn(usize) -> T) -> impl FnMut(u64) -> Duration {
    move |iters| {
        time(iters, || {
            for i in 0..N {
                black_box(Box::new(make(i)));
            }
        })
    }
}

fn make_u64(i: usize) -> u64 {
    i as u64
}

fn make_64b(i: usize) -> [u8; 64] {
    [i as u8; 64]
}

fn value_pairs<T: Copy + 'static>(workload: &str, make: fn(usize) -> T) -> Vec<Pair> {
    vec![
        Pair::new(
            "arena",
            workload,
            "bumpalo",
            larder_values(make),
            bumpalo_values(make),
        ),
        Pair::new(
            "arena",
            workload,
            "bump-scope",
            larder_values(make),
            bump_scope_values(make),
        ),
        Pair::new(
            "arena",
            workload,
            "typed-arena",
            larder_values(make),
            typed_arena_values(make),
        ),
        Pair::new(
            "arena",
            workload,
            "box",
            larder_values(make),
            box_values(make),
        ),
    ]
}

/// `SLICES` copies of a 100-byte slice, then a reset.
pub fn slice_copy_larder() -> impl FnMut(u64) -> Duration {
    let mut arena = Arena::new();
    let src = [7u8; 100];
    move |iters| {
        time(iters, || {
            for _ in 0..SLICES {
                black_box(arena.alloc_slice_copy(black_box(&src)));
            }
            arena.reset();
        })
    }
}

/// As [`slice_copy_larder`], with bumpalo.
pub fn slice_copy_bumpalo() -> impl FnMut(u64) -> Duration {
    let mut bump = bumpalo::Bump::new();
    let src = [7u8; 100];
    move |iters| {
        time(iters, || {
            for _ in 0..SLICES {
                black_box(bump.alloc_slice_copy(black_box(&src)));
            }
            bump.reset();
        })
    }
}

fn slice_copy_bump_scope() -> impl FnMut(u64) -> Duration {
    let mut bump: bump_scope::Bump = bump_scope::Bump::new();
    let src = [7u8; 100];
    move |iters| {
        time(iters, || {
            for _ in 0..SLICES {
                black_box(bump.alloc_slice_copy(black_box(&src)).into_mut());
            }
            bump.reset();
        })
    }
}

fn slice_copy_box() -> impl FnMut(u64) -> Duration {
    let src = [7u8; 100];
    move |iters| {
        time(iters, || {
            for _ in 0..SLICES {
                black_box(Box::<[u8]>::from(black_box(&src[..])));
            }
        })
    }
}

/// A vector grown to `N` elements with `reserve_exact(1)` before every push, then a reset.
pub fn vec_larder() -> impl FnMut(u64) -> Duration {
    let mut arena = Arena::new();
    move |iters| {
        time(iters, || {
            let mut v = arena.vec::<u64>();
            for i in 0..N as u64 {
                v.reserve_exact(1);
                v.push(i);
            }
            black_box(&v);
            drop(v);
            arena.reset();
        })
    }
}

/// As [`vec_larder`], with `bumpalo::collections::Vec`.
pub fn vec_bumpalo() -> impl FnMut(u64) -> Duration {
    let mut bump = bumpalo::Bump::new();
    move |iters| {
        time(iters, || {
            let mut v = bumpalo::collections::Vec::<u64>::new_in(&bump);
            for i in 0..N as u64 {
                v.reserve_exact(1);
                v.push(i);
            }
            black_box(&v);
            drop(v);
            bump.reset();
        })
    }
}

/// One allocation and a reset: the cost of `reset` on a one-chunk arena.
fn reset_larder() -> impl FnMut(u64) -> Duration {
    let mut arena = Arena::new();
    move |iters| {
        time(iters, || {
            black_box(arena.alloc(1u64));
            arena.reset();
        })
    }
}

fn reset_bumpalo() -> impl FnMut(u64) -> Duration {
    let mut bump = bumpalo::Bump::new();
    move |iters| {
        time(iters, || {
            black_box(bump.alloc(1u64));
            bump.reset();
        })
    }
}

fn reset_bump_scope() -> impl FnMut(u64) -> Duration {
    let mut bump: bump_scope::Bump = bump_scope::Bump::new();
    move |iters| {
        time(iters, || {
            black_box(bump.alloc(1u64).into_mut());
            bump.reset();
        })
    }
}

/// One request: take an arena from the pool, `REQUEST_ALLOCS` small allocations, give it
/// back (reset on the way).
pub fn request_larder() -> impl FnMut(u64) -> Duration {
    let pool = larder_arena::ArenaPool::new();
    move |iters| {
        time(iters, || {
            let arena = pool.get();
            for i in 0..REQUEST_ALLOCS as u64 {
                black_box(arena.alloc(i));
            }
        })
    }
}

/// One request with a fresh `bumpalo::Bump`.
pub fn request_bumpalo_fresh() -> impl FnMut(u64) -> Duration {
    move |iters| {
        time(iters, || {
            let bump = bumpalo::Bump::new();
            for i in 0..REQUEST_ALLOCS as u64 {
                black_box(bump.alloc(i));
            }
        })
    }
}

/// One request with a kept `bumpalo::Bump`, reset after each request.
pub fn request_bumpalo_reset() -> impl FnMut(u64) -> Duration {
    let mut bump = bumpalo::Bump::new();
    move |iters| {
        time(iters, || {
            for i in 0..REQUEST_ALLOCS as u64 {
                black_box(bump.alloc(i));
            }
            bump.reset();
        })
    }
}

/// The `arena/…` pairs.
pub fn pairs() -> Vec<Pair> {
    let mut pairs = value_pairs("alloc_u64_10k", make_u64);
    pairs.extend(value_pairs("alloc_64b_10k", make_64b));
    pairs.push(Pair::new(
        "arena",
        "slice_copy_100b",
        "bumpalo",
        slice_copy_larder(),
        slice_copy_bumpalo(),
    ));
    pairs.push(Pair::new(
        "arena",
        "slice_copy_100b",
        "bump-scope",
        slice_copy_larder(),
        slice_copy_bump_scope(),
    ));
    pairs.push(Pair::new(
        "arena",
        "slice_copy_100b",
        "box",
        slice_copy_larder(),
        slice_copy_box(),
    ));
    pairs.push(Pair::new(
        "arena",
        "vec_push_10k",
        "bumpalo",
        vec_larder(),
        vec_bumpalo(),
    ));
    pairs.push(Pair::new(
        "arena",
        "reset",
        "bumpalo",
        reset_larder(),
        reset_bumpalo(),
    ));
    pairs.push(Pair::new(
        "arena",
        "reset",
        "bump-scope",
        reset_larder(),
        reset_bump_scope(),
    ));
    pairs.push(Pair::new(
        "arena",
        "request_cycle_fresh",
        "bumpalo",
        request_larder(),
        request_bumpalo_fresh(),
    ));
    pairs.push(Pair::new(
        "arena",
        "request_cycle_reset",
        "bumpalo",
        request_larder(),
        request_bumpalo_reset(),
    ));
    pairs
}
