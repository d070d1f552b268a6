//! larder-core: the per-thread stats counter against the shared atomic counter it replaces.

use crate::{Pair, timed};
use larder_core::Counter;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

/// `core/counter_add/atomic-fetch-add`: one `Counter::add` against one `fetch_add`.
pub fn pairs() -> Vec<Pair> {
    let counter = Counter::new();
    let atomic = AtomicU64::new(0);
    vec![Pair::new(
        "core",
        "counter_add",
        "atomic-fetch-add",
        move |iters| timed(iters, || black_box(&counter).add(1)),
        move |iters| {
            timed(iters, || {
                black_box(&atomic).fetch_add(1, Ordering::Relaxed);
            })
        },
    )]
}
