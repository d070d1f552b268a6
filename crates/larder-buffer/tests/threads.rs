//! Two threads: retained bytes never exceed the cap and every buffer comes back exactly once.
#![cfg(not(larder_loom))]

use larder_buffer::BufferPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const CAP: usize = 256 * 1024;

#[test]
fn two_threads_respect_the_cap_and_return_everything() {
    let pool = BufferPool::builder()
        .powers_of_two(64, 16 * 1024)
        .max_retained_bytes(CAP)
        .build()
        .unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let (tx, rx) = std::sync::mpsc::sync_channel::<larder_view::ByteView>(64);
    std::thread::scope(|s| {
        // A watcher checks the cap while the others work.
        let watcher = {
            let pool = &pool;
            let done = done.clone();
            s.spawn(move || {
                let mut checks = 0u64;
                while !done.load(Ordering::Relaxed) {
                    let retained = pool.stats().total.retained_bytes as usize;
                    assert!(retained <= CAP, "retained {retained} > cap {CAP}");
                    checks += 1;
                    std::thread::yield_now();
                }
                checks
            })
        };
        let producer = s.spawn(|| {
            for i in 0..20_000usize {
                let n = 32 << (i % 10);
                let mut b = pool.get(n);
                b.resize(n, i as u8);
                if i % 3 == 0 {
                    tx.send(b.freeze()).unwrap();
                } else {
                    drop(b);
                }
            }
            drop(tx);
        });
        let consumer = s.spawn(|| {
            let mut seen = 0usize;
            for view in rx {
                let first = view[0];
                assert!(view.iter().all(|&b| b == first));
                let half = view.slice(..view.len() / 2);
                drop(view);
                drop(half);
                seen += 1;
            }
            seen
        });
        producer.join().unwrap();
        let seen = consumer.join().unwrap();
        assert_eq!(seen, 6667);
        done.store(true, Ordering::Relaxed);
        assert!(watcher.join().unwrap() > 0);
    });
    let stats = pool.stats();
    assert_eq!(stats.total.outstanding, 0, "every buffer came back");
    assert!(stats.total.is_balanced(), "{}", stats.total);
    assert!(stats.total.retained_bytes as usize <= CAP);
    assert_eq!(
        stats.total.hits + stats.total.misses,
        stats.total.returned + stats.total.dropped_full + stats.total.dropped_rejected,
        "every take came back exactly once"
    );
}

#[test]
fn zeroing_clears_the_whole_capacity_of_a_reused_buffer() {
    let pool = BufferPool::builder()
        .size_classes(&[256])
        .zero_on_return(true)
        .build()
        .unwrap();
    let mut b = pool.get(256);
    b.resize(256, 0xEE);
    b.truncate(3);
    drop(b);
    let mut again = pool.get(1);
    assert_eq!(pool.stats().total.hits, 1, "the same buffer came back");
    let spare = again.spare_capacity_mut();
    assert_eq!(spare.len(), 256);
    // SAFETY: zero_on_return wrote every byte of the capacity when the buffer came back,
    // so all 256 bytes are initialised.
    let bytes: Vec<u8> = spare.iter().map(|b| unsafe { b.assume_init() }).collect();
    assert!(bytes.iter().all(|&b| b == 0), "{bytes:?}");
}

#[test]
fn buffers_dropped_on_another_thread_return_to_their_class() {
    let pool = BufferPool::new();
    std::thread::scope(|s| {
        let bufs: Vec<_> = (0..100).map(|i| pool.get(i * 10)).collect();
        s.spawn(move || drop(bufs)).join().unwrap();
    });
    let stats = pool.stats();
    assert_eq!(stats.total.outstanding, 0);
    assert_eq!(stats.total.returned, 100);
}

#[test]
fn zeroing_pools_zero_frozen_and_outgrown_buffers_and_detach_by_class() {
    let pool = BufferPool::builder()
        .size_classes(&[64, 256])
        .zero_on_return(true)
        .build()
        .unwrap();
    let reads_zero = |b: &mut larder_buffer::PooledBuf<'_>| {
        let spare = b.spare_capacity_mut();
        // SAFETY: zero_on_return wrote every byte of the capacity when the buffer came
        // back, so all of it is initialised.
        spare.iter().all(|b| unsafe { b.assume_init() } == 0)
    };
    // A frozen buffer whose last view drops comes back zeroed.
    let mut b = pool.get(64);
    b.resize(64, 0xAB);
    let view = b.freeze();
    drop(view.clone());
    drop(view);
    let mut again = pool.get(64);
    assert_eq!(pool.stats().class(64).unwrap().hits, 1);
    assert!(reads_zero(&mut again));
    // Growing past 64 B moves to 256 B and the 64 B chunk comes back zeroed.
    again.resize(100, 0xCD);
    assert_eq!(again.capacity(), 256);
    let mut small = pool.get(1);
    assert_eq!(pool.stats().class(64).unwrap().hits, 2);
    assert!(reads_zero(&mut small));
    // Detaching takes the buffer out of its own class's books.
    let v = again.into_vec();
    assert_eq!(&v[..2], &[0xCD, 0xCD]);
    assert_eq!(pool.stats().class(256).unwrap().detached, 1);
    drop(small);
    let stats = pool.stats();
    assert_eq!(stats.total.outstanding, 0);
    assert!(stats.total.is_balanced(), "{}", stats.total);
}

/// A leaked pool (which can never close) serves frozen views like any other: clones of
/// its handle share it, views go home from any thread, and the books balance.
#[test]
fn a_leaked_pool_takes_its_frozen_views_back_from_any_thread() {
    // In a static, as a leaked pool would be: still reachable, so no leak checker (the
    // AddressSanitizer run's) reports it.
    static POOL: std::sync::LazyLock<&'static BufferPool> = std::sync::LazyLock::new(|| {
        BufferPool::builder()
            .tiers(&[64, 4096])
            .build()
            .unwrap()
            .leak()
    });
    let pool: &'static BufferPool = &POOL;
    let clone = pool.clone();
    let views: Vec<larder_view::ByteView> = (0..8)
        .map(|i| {
            let mut b = if i % 2 == 0 {
                pool.get(40)
            } else {
                clone.get(3000)
            };
            b.resize(b.capacity(), i as u8);
            b.freeze()
        })
        .collect();
    drop(clone);
    assert_eq!(pool.outstanding(), 8);
    let halves: Vec<_> = views.iter().map(|v| v.slice(..v.len() / 2)).collect();
    std::thread::spawn(move || drop(views)).join().unwrap();
    assert_eq!(pool.outstanding(), 8, "the halves still hold their buffers");
    for (i, h) in halves.iter().enumerate() {
        assert!(h.iter().all(|&b| b == i as u8));
    }
    std::thread::spawn(move || drop(halves)).join().unwrap();
    assert_eq!(pool.outstanding(), 0);
    let stats = pool.stats();
    assert!(stats.total.is_balanced(), "{}", stats.total);
    assert_eq!(stats.total.returned + stats.total.dropped_full, 8);
}
