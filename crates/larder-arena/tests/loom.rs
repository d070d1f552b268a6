//! Loom models of `ArenaPool`: arenas taken on one thread and returned (reset) on another.
//! Run with `RUSTFLAGS="--cfg larder_loom" cargo test --release -p larder-arena --test loom`.
#![cfg(larder_loom)]

use larder_arena::ArenaPool;

fn small_pool() -> ArenaPool {
    ArenaPool::builder()
        .cache_size(2)
        .max_arenas(2)
        .build()
        .unwrap()
}

#[test]
fn loom_arena_returned_on_another_thread_comes_back_reset() {
    loom::model(|| {
        let pool = small_pool();
        let arena = pool.get_owned();
        arena.alloc(1u64);
        let other = pool.clone();
        let t = loom::thread::spawn(move || {
            assert_eq!(*arena.alloc(2u64), 2);
            drop(arena); // returned from this thread
            let again = other.get();
            assert_eq!(
                again.allocated_bytes(),
                0,
                "every arena handed out is reset"
            );
        });
        let mine = pool.get();
        assert_eq!(mine.allocated_bytes(), 0);
        mine.alloc_str("main");
        drop(mine);
        t.join().unwrap();
        let s = pool.stats();
        assert_eq!(s.outstanding, 0);
        assert!(s.is_balanced(), "{s}");
    });
}

#[test]
fn loom_two_threads_return_arenas_concurrently() {
    loom::model(|| {
        let pool = small_pool();
        let (a, b) = (pool.get_owned(), pool.get_owned());
        let t1 = loom::thread::spawn(move || {
            a.alloc([1u8; 32]);
        });
        let t2 = loom::thread::spawn(move || {
            b.alloc([2u8; 32]);
        });
        t1.join().unwrap();
        t2.join().unwrap();
        let s = pool.stats();
        // Each arena was either kept or (within the pool's bounds and per-thread credit)
        // dropped; none is lost or counted twice.
        assert_eq!((s.created, s.outstanding), (2, 0), "{s}");
        assert_eq!(s.returned + s.dropped(), 2, "{s}");
        assert!(s.is_balanced(), "{s}");
        let c = pool.get();
        assert_eq!(c.allocated_bytes(), 0, "every arena handed out is reset");
    });
}
