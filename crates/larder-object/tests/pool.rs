//! Behaviour tests of `Pool` on real threads.
#![cfg(not(larder_loom))]

use larder_core::{ConfigError, Limits, RecyclePolicy};
use larder_object::{OwnedPooled, Pool};
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};

/// An object that counts how many of its kind are alive.
struct Tracked {
    live: Arc<AtomicUsize>,
    origin: u8,
}

impl Tracked {
    fn new(live: &Arc<AtomicUsize>, origin: u8) -> Self {
        live.fetch_add(1, Ordering::SeqCst);
        Tracked {
            live: live.clone(),
            origin,
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::SeqCst);
    }
}

fn tracked_pool(live: &Arc<AtomicUsize>, origin: u8, cache: usize) -> Pool<Tracked> {
    let live = live.clone();
    Pool::builder()
        .factory(move || Tracked::new(&live, origin))
        .cache_size(cache)
        .build()
        .unwrap()
}

#[test]
fn get_put_and_books() {
    let pool = Pool::new(|| Vec::<u8>::with_capacity(16));
    assert!(pool.try_get().is_none());
    let a = pool.get();
    let b = pool.get();
    drop(a);
    drop(b);
    let s = pool.stats();
    assert_eq!(
        (s.created, s.misses, s.returned, s.retained_objects),
        (2, 2, 2, 2)
    );
    assert!(pool.try_get().is_some());
    let kept = pool.get().detach();
    pool.put(kept);
    let s = pool.stats();
    assert_eq!((s.detached, s.adopted, s.hits), (1, 1, 2));
    assert!(s.is_balanced(), "{s}");
    assert!(pool.leak_report().is_clean());
}

#[test]
fn config_errors() {
    let e = |b: larder_object::PoolBuilder<u8>| b.build().unwrap_err();
    assert_eq!(
        e(Pool::builder().factory(|| 0).cache_size(0)),
        ConfigError::Zero { what: "cache_size" }
    );
    assert!(matches!(
        e(Pool::builder().factory(|| 0).cache_size(usize::MAX)),
        ConfigError::TooLarge {
            what: "cache_size",
            ..
        }
    ));
    assert_eq!(
        e(Pool::builder()
            .factory(|| 0)
            .limits(Limits::new().max_bytes(10))),
        ConfigError::Empty { what: "size_fn" }
    );
    assert_eq!(
        e(Pool::builder()
            .factory(|| 0)
            .limits(Limits::new().max_objects(0))),
        ConfigError::Zero {
            what: "max_objects"
        }
    );
}

#[test]
fn rejected_objects_are_dropped_and_counted() {
    let pool = Pool::builder()
        .factory(Vec::<u8>::new)
        .reset(Vec::clear)
        .policy(RecyclePolicy::new().validate(|v| v.len() < 4))
        .build()
        .unwrap();
    let mut v = pool.get();
    v.extend_from_slice(&[1, 2, 3, 4]);
    drop(v);
    let s = pool.stats();
    assert_eq!((s.dropped_rejected, s.retained_objects), (1, 0));
    assert!(s.is_balanced());
}

/// A pool of `Vec`s whose reset hook counts its calls in `resets`.
fn counting_resets(resets: &Arc<AtomicUsize>, policy: RecyclePolicy<Vec<u8>>) -> Pool<Vec<u8>> {
    let counted = resets.clone();
    Pool::builder()
        .factory(Vec::<u8>::new)
        .reset(move |v: &mut Vec<u8>| {
            counted.fetch_add(1, Ordering::SeqCst);
            v.clear();
        })
        .policy(policy)
        .build()
        .unwrap()
}

#[test]
fn give_back_reset_skips_the_hook_but_not_the_policy() {
    let resets = Arc::new(AtomicUsize::new(0));
    let plain = counting_resets(&resets, RecyclePolicy::new());
    let mut v = plain.take();
    v.push(1);
    plain.give_back_reset(v);
    assert_eq!(resets.load(Ordering::SeqCst), 0, "the caller reset it");
    assert_eq!(plain.take().len(), 1, "kept as given");
    let mut w = plain.take();
    w.push(2);
    plain.give_back(w);
    assert_eq!(resets.load(Ordering::SeqCst), 1, "give_back still resets");

    let checked = counting_resets(&resets, RecyclePolicy::new().validate(|v| v.len() < 4));
    let mut long = checked.take();
    long.extend_from_slice(&[1, 2, 3, 4]);
    checked.give_back_reset(long);
    checked.give_back_reset(checked.take());
    let s = checked.stats();
    assert_eq!((s.dropped_rejected, s.retained_objects), (1, 1), "{s}");
    assert_eq!(resets.load(Ordering::SeqCst), 1, "no hook on either return");
    assert!(s.is_balanced());

    // A size function makes returns not plain too: the caller's reset object is counted
    // with its bytes and kept under the byte limit.
    let sized = Pool::builder()
        .factory(|| Vec::<u8>::with_capacity(100))
        .size_fn(Vec::capacity)
        .limits(Limits::new().max_bytes(250))
        .build()
        .unwrap();
    let taken: Vec<_> = (0..3).map(|_| sized.take()).collect();
    for v in taken {
        sized.give_back_reset(v);
    }
    let s = sized.stats();
    assert_eq!((s.retained_objects, s.retained_bytes), (2, 200), "{s}");
    assert_eq!(s.dropped_full, 1, "{s}");
    assert!(s.is_balanced());
}

/// `try_keep_reset` keeps what the fast path can and hands back the rest untouched and
/// uncounted, for `give_back_reset` to finish; the books balance either way.
#[test]
fn try_keep_reset_keeps_or_hands_back_uncounted() {
    let resets = Arc::new(AtomicUsize::new(0));
    // A plain pool whose thread cache holds 2: the first returns are kept, once the
    // cache is full the fast path refuses.
    let plain = Pool::builder()
        .factory(|| Vec::<u8>::with_capacity(8))
        .cache_size(2)
        .build()
        .unwrap();
    let taken: Vec<_> = (0..4).map(|_| plain.take()).collect();
    let mut refused = Vec::new();
    for v in taken {
        if let Err(v) = plain.try_keep_reset(v) {
            refused.push(v);
        }
    }
    assert!(!refused.is_empty(), "a full cache refuses");
    assert!(refused.len() < 4, "a cache with room keeps");
    let before = plain.stats();
    assert_eq!(before.returned, 4 - refused.len() as u64, "{before}");
    assert_eq!(
        before.outstanding,
        refused.len() as u64,
        "refused ones still out"
    );
    for v in refused {
        plain.give_back_reset(v);
    }
    let after = plain.stats();
    assert_eq!((after.returned, after.outstanding), (4, 0), "{after}");
    assert!(after.is_balanced());

    // A pool with a policy returns through its general path: the fast path refuses every
    // object, which then still meets the policy.
    let checked = counting_resets(&resets, RecyclePolicy::new().validate(|v| v.len() < 4));
    let mut long = checked.take();
    long.extend_from_slice(&[1, 2, 3, 4]);
    let long = checked.try_keep_reset(long).unwrap_err();
    assert_eq!(long.len(), 4, "handed back untouched");
    checked.give_back_reset(long);
    let short = checked.try_keep_reset(checked.take()).unwrap_err();
    checked.give_back_reset(short);
    let s = checked.stats();
    assert_eq!((s.dropped_rejected, s.retained_objects), (1, 1), "{s}");
    assert!(s.is_balanced());
}

#[test]
fn panicking_factory_leaves_the_pool_consistent() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let pool = Pool::builder()
        .factory(move || {
            if c.fetch_add(1, Ordering::SeqCst) == 1 {
                panic!("factory fails once");
            }
            Vec::<u8>::new()
        })
        .reset(Vec::clear)
        .build()
        .unwrap();
    let first = pool.get();
    assert!(catch_unwind(AssertUnwindSafe(|| pool.get())).is_err());
    let s = pool.stats();
    assert_eq!((s.created, s.outstanding), (1, 1));
    assert!(s.is_balanced());
    drop(first);
    drop(pool.get());
    drop(pool.get());
    assert!(pool.stats().is_balanced());
}

#[test]
fn panicking_reset_drops_the_object_and_counts_it() {
    let live = Arc::new(AtomicUsize::new(0));
    let l = live.clone();
    let pool = Pool::builder()
        .factory(move || Tracked::new(&l, 0))
        .reset(|t: &mut Tracked| {
            if t.origin == 9 {
                panic!("reset fails");
            }
        })
        .build()
        .unwrap();
    let mut bad = pool.get();
    bad.origin = 9;
    assert!(catch_unwind(AssertUnwindSafe(|| drop(bad))).is_err());
    assert_eq!(
        live.load(Ordering::SeqCst),
        0,
        "the object was dropped, not leaked"
    );
    let s = pool.stats();
    assert_eq!((s.dropped_rejected, s.outstanding), (1, 0));
    assert!(s.is_balanced());
    drop(pool.get());
    assert_eq!(pool.stats().retained_objects, 1, "still usable");
}

#[test]
fn trim_and_tick() {
    let pool = Pool::builder()
        .factory(|| 0u64)
        .cache_size(8)
        .prefill(20)
        .build()
        .unwrap();
    // 20 in the shared layer; take 10 into this thread, give them back (cache of 8 flushes)
    let held: Vec<_> = (0..10).map(|_| pool.take()).collect();
    for v in held {
        pool.give_back(v);
    }
    assert_eq!(pool.stats().retained_objects, 20);
    pool.tick();
    let used: Vec<_> = (0..2).map(|_| pool.take()).collect();
    for v in used {
        pool.give_back(v);
    }
    pool.tick();
    let s = pool.stats();
    assert!(s.retained_objects >= 2, "used since the last tick: kept");
    assert!(
        s.retained_objects < 20,
        "idle for a whole interval: released"
    );
    pool.tick();
    pool.tick();
    assert_eq!(pool.stats().retained_objects, 0);
    assert!(pool.stats().is_balanced());
    drop(pool.get());
    pool.trim();
    let s = pool.stats();
    assert_eq!(s.retained_objects, 0);
    assert!(s.is_balanced());
}

#[test]
fn objects_cross_threads_and_exited_caches_are_adopted() {
    let live = Arc::new(AtomicUsize::new(0));
    let pool = Arc::new(tracked_pool(&live, 0, 8));
    // taken here, dropped on another thread
    let guards: Vec<OwnedPooled<Tracked>> = (0..6).map(|_| pool.get_owned()).collect();
    std::thread::spawn(move || drop(guards)).join().unwrap();
    let s = pool.stats();
    assert_eq!((s.returned, s.retained_objects, s.outstanding), (6, 6, 0));
    // that thread exited with 6 objects cached: a new thread adopts them
    let p = pool.clone();
    let hits = std::thread::spawn(move || {
        let held: Vec<_> = (0..6).map(|_| p.get()).collect();
        drop(held);
        p.stats().hits
    })
    .join()
    .unwrap();
    assert_eq!(
        hits, 6,
        "the exited thread's cache was adopted, no new objects"
    );
    assert_eq!(pool.stats().created, 6);
    // trim reaches exited threads' caches
    pool.trim();
    assert_eq!(pool.stats().retained_objects, 0);
    assert_eq!(live.load(Ordering::SeqCst), 0);
    assert!(pool.stats().is_balanced());
}

#[test]
fn two_threads_share_a_pool() {
    let live = Arc::new(AtomicUsize::new(0));
    let pool = tracked_pool(&live, 0, 4);
    let n = 2000;
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for i in 0..n {
                    let a = pool.get();
                    let b = pool.get();
                    if i % 3 == 0 {
                        drop(b);
                        drop(a);
                    } else {
                        drop(a);
                        drop(b);
                    }
                }
            });
        }
    });
    let s = pool.stats();
    assert!(s.is_balanced(), "{s}");
    assert_eq!(s.hits + s.misses, 2 * 2 * n);
    assert_eq!(live.load(Ordering::SeqCst) as u64, s.retained_objects);
    drop(pool);
    assert_eq!(
        live.load(Ordering::SeqCst),
        0,
        "the pool's drop reached every cache"
    );
}

#[test]
fn producer_consumer_moves_batches() {
    let pool = Pool::builder()
        .factory(|| Vec::<u8>::with_capacity(64))
        .reset(Vec::clear)
        .cache_size(8)
        .limits(Limits::new().max_objects(64))
        .build()
        .unwrap();
    let (tx, rx) = mpsc::sync_channel(16);
    let n = 5000;
    std::thread::scope(|s| {
        let pool = &pool;
        s.spawn(move || {
            for _ in 0..n {
                tx.send(pool.get()).unwrap();
            }
        });
        s.spawn(move || {
            for _ in 0..n {
                drop(rx.recv().unwrap());
            }
        });
    });
    let s = pool.stats();
    assert!(s.is_balanced(), "{s}");
    assert!(s.retained_objects <= 64);
    assert!(
        s.created < 200,
        "objects came back through the shared layer: {s}"
    );
}

#[test]
fn pool_dropped_while_another_thread_caches_its_objects() {
    let live = Arc::new(AtomicUsize::new(0));
    let pool = Arc::new(tracked_pool(&live, 0, 8));
    let (filled_tx, filled_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let p = pool.clone();
    let worker = std::thread::spawn(move || {
        let held: Vec<_> = (0..5).map(|_| p.get()).collect();
        drop(held); // five objects in this thread's cache
        drop(p);
        filled_tx.send(()).unwrap();
        done_rx.recv().unwrap(); // stay alive while the pool goes away
    });
    filled_rx.recv().unwrap();
    drop(pool); // the last reference: the pool empties the live thread's cache
    assert_eq!(live.load(Ordering::SeqCst), 0);
    done_tx.send(()).unwrap();
    worker.join().unwrap(); // thread exit releases the (empty) cache
}

#[test]
fn pools_of_one_type_never_mix_and_many_pools_share_slots() {
    let live = Arc::new(AtomicUsize::new(0));
    let pools: Vec<Pool<Tracked>> = (0..100u8).map(|i| tracked_pool(&live, i, 4)).collect();
    for round in 0..3 {
        for (i, pool) in pools.iter().enumerate() {
            let g = pool.get();
            assert_eq!(g.origin as usize, i, "round {round}");
        }
    }
    for (i, pool) in pools.iter().enumerate() {
        let s = pool.stats();
        assert!(s.is_balanced());
        assert_eq!(s.hits + s.misses, 3, "pool {i}");
    }
    drop(pools);
    assert_eq!(live.load(Ordering::SeqCst), 0);
}

thread_local! {
    static HELD: RefCell<Vec<OwnedPooled<Vec<u8>>>> = const { RefCell::new(Vec::new()) };
}

#[test]
fn guard_dropped_during_thread_exit() {
    let pool = Arc::new(Pool::new(Vec::<u8>::new));
    let p = pool.clone();
    let start = Arc::new(Barrier::new(1));
    std::thread::spawn(move || {
        start.wait();
        let g = p.get_owned();
        HELD.with(|h| h.borrow_mut().push(g));
        drop(p.get()); // also leaves one in this thread's cache
    })
    .join()
    .unwrap();
    let s = pool.stats();
    assert!(s.is_balanced(), "{s}");
    assert_eq!(s.outstanding, 0);
    assert_eq!(s.retained_objects + s.dropped(), 2);
}

/// A guard is the object's box and the pool: two words, so it travels in registers.
#[cfg(not(feature = "leak-backtrace"))]
#[test]
fn guards_are_two_words() {
    use larder_object::{OwnedPooled, Pooled};
    let word = std::mem::size_of::<usize>();
    assert_eq!(std::mem::size_of::<Pooled<'static, [u8; 4096]>>(), 2 * word);
    assert_eq!(std::mem::size_of::<OwnedPooled<Vec<u8>>>(), 2 * word);
}
