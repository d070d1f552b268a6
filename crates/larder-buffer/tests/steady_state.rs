//! With `CountingAlloc`: get, write, freeze, clone, slice and drop allocate nothing once the
//! pool is warm. Not with `leak-backtrace`, whose every `get` captures a backtrace.
#![cfg(not(any(larder_loom, feature = "leak-backtrace")))]

use larder_buffer::BufferPool;
use larder_core::CountingAlloc;
use std::hint::black_box;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

fn cycle(pool: &BufferPool, n: usize) -> u64 {
    let mut buf = pool.get(n);
    buf.extend_from_slice(&[0x5A; 48]);
    buf.resize(n.max(48), 1);
    let view = buf.freeze();
    let clone = view.clone();
    let head = clone.slice(..16);
    let mut a = view.clone();
    let b = a.split_off(8);
    let sum = head.iter().map(|&x| x as u64).sum::<u64>() + a.len() as u64 + b.len() as u64;
    drop((view, clone, head, a, b));
    sum
}

#[test]
fn the_request_cycle_allocates_nothing_when_warm() {
    let pool = BufferPool::new();
    // Warm up: the first round creates the buffers and this thread's caches.
    for n in [64, 3000, 60_000] {
        black_box(cycle(&pool, n));
    }
    let (sum, delta) = CountingAlloc::measure(|| {
        let mut sum = 0;
        for _ in 0..1000 {
            for n in [64, 3000, 60_000] {
                sum += cycle(&pool, n);
            }
        }
        sum
    });
    black_box(sum);
    assert!(delta.is_zero(), "steady state allocated: {delta:?}");
}

#[test]
fn the_request_cycle_allocates_nothing_in_a_leaked_pool_either() {
    // Kept in a static, as a leaked pool would be: still reachable, so no leak checker
    // (the AddressSanitizer run's) reports it.
    static POOL: std::sync::LazyLock<&'static BufferPool> =
        std::sync::LazyLock::new(|| BufferPool::new().leak());
    let pool: &'static BufferPool = &POOL;
    for n in [64, 3000, 60_000] {
        black_box(cycle(pool, n));
    }
    let (sum, delta) = CountingAlloc::measure(|| {
        let mut sum = 0;
        for _ in 0..1000 {
            for n in [64, 3000, 60_000] {
                sum += cycle(pool, n);
            }
        }
        sum
    });
    black_box(sum);
    assert!(delta.is_zero(), "steady state allocated: {delta:?}");
}

#[test]
fn plain_get_and_drop_allocate_nothing_when_warm() {
    let pool = BufferPool::new();
    drop(pool.get(4096));
    let ((), delta) = CountingAlloc::measure(|| {
        for _ in 0..10_000 {
            let mut b = pool.get(4096);
            b.push(1);
            black_box(&b);
        }
    });
    assert!(delta.is_zero(), "{delta:?}");
}
