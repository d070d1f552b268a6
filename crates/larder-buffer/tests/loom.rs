//! Loom models of larder-buffer: buffers and frozen views crossing threads.
//!
//! `RUSTFLAGS="--cfg larder_loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release -p larder-buffer --test loom`
#![cfg(larder_loom)]

use larder_buffer::BufferPool;
use larder_core::sync::spawn;

fn small_pool() -> BufferPool {
    BufferPool::builder()
        .size_classes(&[16])
        .cache_bytes(32)
        .max_retained_bytes(64)
        .build()
        .unwrap()
}

#[test]
fn loom_buffer_taken_here_returned_there() {
    loom::model(|| {
        let pool = small_pool();
        let mut buf = pool.get(8);
        buf.extend_from_slice(b"abc");
        let view = buf.freeze();
        let other = {
            let view = view.clone();
            spawn(move || {
                assert_eq!(&view[..], b"abc");
                drop(view);
            })
        };
        drop(view);
        other.join().unwrap();
        let stats = pool.stats();
        assert_eq!(stats.total.outstanding, 0, "returned exactly once");
        assert!(stats.total.is_balanced());
        assert_eq!(stats.total.returned, 1);
    });
}

#[test]
fn loom_frozen_view_cloned_across_two_threads_returns_once() {
    loom::model(|| {
        let pool = small_pool();
        let mut buf = pool.get(4);
        buf.push(7);
        let view = buf.freeze();
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let v = view.clone();
                spawn(move || {
                    let s = v.slice(..1);
                    assert_eq!(s[0], 7);
                })
            })
            .collect();
        drop(view);
        for t in threads {
            t.join().unwrap();
        }
        let stats = pool.stats();
        assert_eq!(stats.total.outstanding, 0);
        assert_eq!(stats.total.returned + stats.total.dropped_full, 1);
        // The storage is back in the pool (in the cache of whichever thread dropped the
        // last view), not lost.
        assert_eq!(
            stats.total.retained_objects + stats.total.dropped_full,
            1,
            "{}",
            stats.total
        );
    });
}

/// The last handle goes on one thread while the last view goes on another: exactly one of
/// them lets go of the pool (loom reports the pool's `Arc` as leaked if neither does, and
/// a causality violation if the view came home to a pool being freed).
#[test]
fn loom_last_handle_and_last_view_race() {
    loom::model(|| {
        let pool = small_pool();
        let mut buf = pool.get(8);
        buf.push(1);
        let view = buf.freeze();
        let other = spawn(move || {
            assert_eq!(view[0], 1);
            drop(view);
        });
        drop(pool);
        other.join().unwrap();
    });
}

/// Two threads freeze through their own handles (on their own stripes, when the threads
/// are dealt different ones) and drop their handles and views while the first handle goes.
#[test]
fn loom_views_from_two_threads_outlive_the_handles() {
    loom::model(|| {
        let pool = small_pool();
        let threads: Vec<_> = (0..2)
            .map(|i| {
                let pool = pool.clone();
                spawn(move || {
                    let mut buf = pool.get(4);
                    buf.push(i);
                    let view = buf.freeze();
                    drop(pool);
                    assert_eq!(view[0], i);
                })
            })
            .collect();
        drop(pool);
        for t in threads {
            t.join().unwrap();
        }
    });
}
