//! Loom models of the pool's concurrent paths: run with
//! `RUSTFLAGS="--cfg larder_loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release -p larder-object --test loom`.
#![cfg(larder_loom)]

use larder_core::sync::Arc;
use larder_core::sync::atomic::{AtomicUsize, Ordering};
use larder_core::{Limits, Stats};
use larder_object::Pool;

/// Counts live objects through a loom atomic, so drops are checked too.
struct Obj(Arc<AtomicUsize>);

impl Drop for Obj {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn pool(live: &Arc<AtomicUsize>, cache: usize, limits: Limits) -> Arc<Pool<Obj>> {
    let live = live.clone();
    Arc::new(
        Pool::builder()
            .factory(move || {
                live.fetch_add(1, Ordering::SeqCst);
                Obj(live.clone())
            })
            .cache_size(cache)
            .limits(limits)
            .build()
            .unwrap(),
    )
}

fn balanced(s: Stats, live: &AtomicUsize) {
    assert!(s.is_balanced(), "{s}");
    assert_eq!(s.outstanding, 0);
    assert_eq!(
        s.retained_objects,
        live.load(Ordering::SeqCst) as u64,
        "every live object is retained: {s}"
    );
}

#[test]
fn loom_two_threads_get_and_return() {
    loom::model(|| {
        let live = Arc::new(AtomicUsize::new(0));
        let pool = pool(&live, 2, Limits::new().max_objects(2));
        let p = pool.clone();
        let t = larder_core::sync::spawn(move || {
            drop(p.get());
            drop(p.get());
        });
        drop(pool.get());
        t.join().unwrap();
        let s = pool.stats();
        balanced(s, &live);
        assert!(s.retained_objects <= 2);
    });
}

#[test]
fn loom_batch_exchange() {
    loom::model(|| {
        let live = Arc::new(AtomicUsize::new(0));
        // cache of 2, batches of 1: the third give back pushes a batch to the shared layer
        let pool = pool(&live, 2, Limits::new());
        let taken: Vec<_> = (0..3).map(|_| pool.take()).collect();
        let p = pool.clone();
        let giver = larder_core::sync::spawn(move || {
            for v in taken {
                p.give_back(v);
            }
        });
        let p = pool.clone();
        let taker = larder_core::sync::spawn(move || {
            // takes from the shared layer if a batch arrived, else makes one
            let v = p.take();
            p.give_back(v);
        });
        giver.join().unwrap();
        taker.join().unwrap();
        balanced(pool.stats(), &live);
    });
}

#[test]
fn loom_return_from_another_thread() {
    loom::model(|| {
        let live = Arc::new(AtomicUsize::new(0));
        let pool = pool(&live, 2, Limits::new().max_objects(1));
        let a = Pool::get_owned(&pool);
        let b = Pool::get_owned(&pool);
        let t = larder_core::sync::spawn(move || drop(a));
        drop(b);
        t.join().unwrap();
        let s = pool.stats();
        balanced(s, &live);
        assert_eq!(s.returned + s.dropped_full, 2);
        assert!(s.retained_objects <= 1);
    });
}

#[test]
fn loom_thread_exit_with_full_cache_while_pool_drops() {
    loom::model(|| {
        let live = Arc::new(AtomicUsize::new(0));
        let pool = pool(&live, 2, Limits::new());
        let p = pool.clone();
        let t = larder_core::sync::spawn(move || {
            let a = p.get();
            let b = p.get();
            drop((a, b)); // the thread's cache is full
            drop(p); // then the thread exits, racing with the pool's drop below
        });
        drop(pool);
        t.join().unwrap();
        assert_eq!(
            live.load(Ordering::SeqCst),
            0,
            "nothing lost, nothing twice"
        );
    });
}

#[test]
fn loom_exited_cache_is_adopted_or_trimmed() {
    loom::model(|| {
        let live = Arc::new(AtomicUsize::new(0));
        let pool = pool(&live, 2, Limits::new().max_objects(2));
        let p = pool.clone();
        let t = larder_core::sync::spawn(move || drop(p.get()));
        pool.trim(); // races with the thread's return and its exit
        t.join().unwrap();
        // Loom's `join` orders only the thread's closure, not its thread-local destructors,
        // so the cache may or may not be orphaned yet; either way nothing is lost.
        balanced(pool.stats(), &live);
        pool.trim();
        let s = pool.stats();
        balanced(s, &live);
        assert!(s.retained_objects <= 1);
        // a second thread adopts the cache if it is orphaned by now, or makes its own
        let p = pool.clone();
        larder_core::sync::spawn(move || drop(p.get()))
            .join()
            .unwrap();
        let s = pool.stats();
        balanced(s, &live);
        assert!(s.created <= 2 && s.retained_objects <= 2);
    });
}

/// A pool whose first cache, this thread's, keeps two objects.
fn pool_with_two_cached(live: &Arc<AtomicUsize>) -> Arc<Pool<Obj>> {
    let pool = pool(live, 4, Limits::new());
    let (a, b) = (pool.get(), pool.get());
    drop((a, b));
    pool
}

/// This thread's operation after a trim (ordered by joins) has run: the trim must have
/// reached its cache, so at most `most` objects are retained.
fn trimmed(pool: &Pool<Obj>, live: &AtomicUsize, most: u64, what: &str) {
    drop(pool.get());
    let s = pool.stats();
    balanced(s, live);
    assert!(s.retained_objects <= most, "{what}: {s}");
}

/// The owner of the pool's first cache skips the slot table and the generation check; a
/// `trim` racing with its operations must still reach it: the owner's first operation after
/// the trim (ordered by `join`) releases what its cache held, whichever way the trim's
/// unpublishing and the owner's republishing interleave.
#[test]
fn loom_trim_reaches_the_first_cache_owner() {
    loom::model(|| {
        let live = Arc::new(AtomicUsize::new(0));
        let pool = pool_with_two_cached(&live);
        let p = pool.clone();
        let t = larder_core::sync::spawn(move || p.trim());
        drop(pool.get()); // races with the trim
        t.join().unwrap();
        trimmed(&pool, &live, 1, "the owner's cache outlived a trim");
    });
}

/// Another thread installs and publishes its cache (in the entry after the first: under
/// loom every later thread shares it) while a `trim` races with both: the first cache must
/// still see the trim at its owner's first operation after it. Retained afterwards: the
/// owner's one object, and at most one in the other thread's exited cache (its object,
/// unless the trim found the cache already orphaned); three would mean the owner's two
/// cached objects outlived the trim.
#[test]
fn loom_trim_reaches_the_first_cache_while_another_publishes() {
    loom::model(|| {
        let live = Arc::new(AtomicUsize::new(0));
        let pool = pool_with_two_cached(&live);
        let p = pool.clone();
        let trimmer = larder_core::sync::spawn(move || p.trim());
        let p = pool.clone();
        let other = larder_core::sync::spawn(move || drop(p.get()));
        trimmer.join().unwrap();
        other.join().unwrap();
        trimmed(
            &pool,
            &live,
            2,
            "the first cache outlived a trim while another thread published",
        );
    });
}
