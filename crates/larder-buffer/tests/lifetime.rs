//! Frozen views that outlive their pool: the pool stays alive for them, and once the last
//! handle and the last view are gone every byte of it is freed, whichever thread lets go
//! last. Counted with `CountingAlloc` (process-wide live bytes), so this binary holds one
//! test, and all pool work runs on spawned threads: a thread keeps its cache of a pool
//! (emptied when the pool goes) until it exits.
#![cfg(not(larder_loom))]

use std::sync::mpsc;
use std::thread;

use larder_buffer::{BufferPool, LargeRequests};
use larder_core::CountingAlloc;
use larder_view::ByteView;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

fn live() -> u64 {
    CountingAlloc::snapshot().live_bytes
}

fn frozen(pool: &BufferPool, n: usize, fill: u8) -> ByteView {
    let mut buf = pool.get(n);
    buf.resize(n, fill);
    buf.freeze()
}

/// A pool dropped with nothing frozen is freed with its last handle.
fn pool_without_views() {
    thread::spawn(|| {
        let pool = BufferPool::new();
        let other = pool.clone();
        drop(frozen(&pool, 100, 1));
        drop(pool.get(5000));
        drop(pool);
        drop(other);
    })
    .join()
    .unwrap();
}

/// Views outlive every handle on the thread that froze them; the pool is still there for
/// them (the bytes read back, and the memory is not yet all freed), and goes with the last.
fn views_outlive_the_pool_here(base: u64) {
    thread::spawn(move || {
        let pool = BufferPool::builder()
            .tiers(&[64, 4096])
            .large_requests(LargeRequests::Heap)
            .build()
            .unwrap();
        let small = frozen(&pool, 60, 7);
        let page = frozen(&pool, 4000, 8);
        let large = frozen(&pool, 10_000, 9);
        let part = page.slice(100..200);
        drop(pool);
        assert!(live() > base, "the pool went while views were out");
        assert!(small.iter().all(|&b| b == 7) && small.len() == 60);
        assert!(part.iter().all(|&b| b == 8) && part.len() == 100);
        assert!(large.iter().all(|&b| b == 9) && large.len() == 10_000);
        drop((small, page, large));
        drop(part);
    })
    .join()
    .unwrap();
}

/// Views sent to other threads come home there after the last handle's drop, in any order.
fn views_outlive_the_pool_elsewhere() {
    let (send, recv) = mpsc::channel::<Vec<ByteView>>();
    let dropper = thread::spawn(move || {
        for views in recv {
            for (i, v) in views.iter().enumerate() {
                assert!(v.iter().all(|&b| b == i as u8));
            }
            drop(views);
        }
    });
    thread::spawn(move || {
        let pool = BufferPool::new();
        let handles: Vec<BufferPool> = (0..3).map(|_| pool.clone()).collect();
        let views: Vec<ByteView> = (0..4).map(|i| frozen(&pool, 64 << i, i as u8)).collect();
        let kept = views[1].clone();
        send.send(views).unwrap();
        drop(handles);
        drop(pool);
        assert!(kept.iter().all(|&b| b == 1));
        // `kept` goes when this thread ends, perhaps before the other thread's views.
    })
    .join()
    .unwrap();
    dropper.join().unwrap();
}

/// Four threads freeze and pass views round a ring while their handles go, one by one, at
/// points that race with the releases; the last view or the last handle, whichever comes
/// last, frees the pool.
fn handles_and_views_race(rounds: usize) {
    for round in 0..rounds {
        let pool = BufferPool::new();
        let (sends, recvs): (Vec<_>, Vec<_>) = (0..4).map(|_| mpsc::channel::<ByteView>()).unzip();
        let workers: Vec<_> = recvs
            .into_iter()
            .enumerate()
            .map(|(i, recv)| {
                let pool = pool.clone();
                let next = sends[(i + 1) % 4].clone();
                thread::spawn(move || {
                    for k in 0..200 {
                        let v = frozen(&pool, 32 + (k * 97 + i * 31) % 3000, k as u8);
                        // The receiver may be gone already; its views then drop here.
                        let _ = next.send(v);
                        if let Ok(v) = recv.try_recv() {
                            assert!(v.iter().all(|&b| b == v[0]));
                        }
                        if k == 100 + 20 * ((i + round) % 4) {
                            // This thread's handle goes mid-run; views it froze live on.
                            break;
                        }
                    }
                    drop(next);
                    drop(pool);
                    // Whatever still arrives is dropped here, after some handles are gone.
                    while let Ok(v) = recv.recv() {
                        assert!(v.iter().all(|&b| b == v[0]));
                    }
                })
            })
            .collect();
        drop(sends);
        drop(pool);
        for w in workers {
            w.join().unwrap();
        }
    }
}

#[test]
fn a_pool_lives_as_long_as_its_handles_and_frozen_views_and_no_longer() {
    // Warm up what the standard library allocates once (thread bookkeeping, channels).
    pool_without_views();
    views_outlive_the_pool_elsewhere();
    handles_and_views_race(1);
    let base = live();

    pool_without_views();
    assert_eq!(live(), base, "a pool with no views out leaked");

    views_outlive_the_pool_here(base);
    assert_eq!(
        live(),
        base,
        "views that outlived the pool on its thread leaked it"
    );

    views_outlive_the_pool_elsewhere();
    assert_eq!(
        live(),
        base,
        "views dropped on another thread leaked the pool"
    );

    handles_and_views_race(20);
    assert_eq!(live(), base, "racing handles and views leaked the pool");
}
