//! With core's counting allocator: get + put in steady state allocates nothing.
//!
//! (Not with `leak-backtrace`, whose guards capture a backtrace, which allocates.)
#![cfg(all(not(larder_loom), not(feature = "leak-backtrace")))]

use larder_core::{CountingAlloc, Limits};
use larder_object::Pool;
use std::sync::Arc;

#[global_allocator]
static A: CountingAlloc = CountingAlloc::system();

#[test]
fn steady_state_get_put_allocates_nothing() {
    let pool = Arc::new(Pool::new(|| Vec::<u8>::with_capacity(1024)));
    let bounded = Pool::builder()
        .factory(|| Vec::<u8>::with_capacity(1024))
        .reset(Vec::clear)
        .limits(Limits::new().max_objects(16).max_bytes(1 << 20))
        .footprint()
        .cache_size(8)
        .build()
        .unwrap();
    let work = || {
        for i in 0..10_000 {
            let mut a = pool.get();
            a.extend_from_slice(b"hello");
            let b = pool.get_owned();
            drop(a);
            drop(b);
            let v = pool.take();
            pool.give_back(v);
            // a burst larger than the cache: batches go to the shared layer and back
            if i % 100 == 0 {
                let burst = [(); 12].map(|()| bounded.take());
                for v in burst {
                    bounded.give_back(v);
                }
            }
            drop(bounded.get());
        }
    };
    work(); // warm up: the thread's caches, spare magazines, queue blocks
    let ((), delta) = CountingAlloc::measure(work);
    assert!(CountingAlloc::is_installed());
    assert!(delta.is_zero(), "steady state allocated: {delta:?}");
    assert!(pool.stats().is_balanced() && bounded.stats().is_balanced());
}
