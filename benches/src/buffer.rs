//! larder-buffer against its peers.
//!
//! - `get_put_{64,4k,64k,1m}`: take a buffer of that size, write one byte, drop it; against
//!   `Vec::with_capacity(n)` + drop (`vec-with-capacity`), `vec![0; n]` (`vec-zeroed`) and an
//!   object-pool 0.6 pool of `Vec<u8>` (`object-pool`).
//! - `get_write64_freeze_drop`: take 64 B, write 64 bytes, freeze into a shared view, drop;
//!   against `BytesMut::with_capacity(64)` + `put_slice` + `freeze` + drop (`bytes-mut`).
//! - `get_write64_freeze_drop_leaked`: the same from a pool made `'static` by
//!   `BufferPool::leak` (which cannot close, so its freezes are not counted); one pool for
//!   the whole run, since a leaked pool is never freed.
//! - `get_put_4k_2threads`: `get_put_4k` on two threads at once sharing one pool; ns per
//!   operation per thread (wall time / operations of one thread).
//! - `get_write64_freeze_drop_2threads`: the freeze cycle on two threads at once sharing
//!   one pool, against `BytesMut` on two threads.
//! - `producer_consumer_4k`: thread A takes and writes, thread B drops; ns per buffer.

use crate::{Pair, timed};
use bytes::{BufMut, BytesMut};
use crossbeam_queue::ArrayQueue;
use larder_buffer::BufferPool;
use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

fn pool() -> BufferPool {
    BufferPool::new()
}

fn label(n: usize) -> &'static str {
    match n {
        64 => "get_put_64",
        4096 => "get_put_4k",
        65536 => "get_put_64k",
        _ => "get_put_1m",
    }
}

/// Runs `op` `iters` times on each of two threads at once; returns the wall time.
pub fn two_threads(iters: u64, op: impl Fn() + Sync) -> Duration {
    let barrier = Barrier::new(2);
    let work = || {
        for _ in 0..iters {
            op();
        }
    };
    std::thread::scope(|s| {
        let other = s.spawn(|| {
            barrier.wait();
            work();
        });
        barrier.wait();
        let start = Instant::now();
        work();
        other.join().unwrap();
        start.elapsed()
    })
}

/// Thread A makes `iters` items with `make`, thread B consumes them with `eat`, through a
/// bounded queue; returns the wall time.
pub fn producer_consumer<T: Send>(
    iters: u64,
    make: impl Fn() -> T + Sync,
    eat: impl Fn(T) + Sync,
) -> Duration {
    let queue = ArrayQueue::<T>::new(256);
    let start = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..iters {
                let mut item = make();
                loop {
                    match queue.push(item) {
                        Ok(()) => break,
                        Err(back) => {
                            item = back;
                            std::thread::yield_now();
                        }
                    }
                }
            }
        });
        let mut left = iters;
        while left > 0 {
            match queue.pop() {
                Some(item) => {
                    eat(item);
                    left -= 1;
                }
                None => std::thread::yield_now(),
            }
        }
    });
    start.elapsed()
}

/// One larder get + write of one byte + drop of an `n`-byte buffer.
#[inline]
pub fn larder_get_put(pool: &BufferPool, n: usize) {
    let mut b = pool.get(n);
    b.push(1);
    black_box(&b);
}

/// The same with `Vec::with_capacity(n)`.
#[inline]
pub fn vec_get_put(n: usize) {
    let mut v = Vec::<u8>::with_capacity(n);
    v.push(1);
    black_box(&v);
}

/// The same with `vec![0; n]`.
#[inline]
pub fn vec_zeroed_get_put(n: usize) {
    let mut v = vec![0u8; n];
    v[0] = 1;
    black_box(&v);
}

/// An object-pool 0.6 pool of `n`-byte `Vec`s.
pub fn object_pool(n: usize) -> object_pool::Pool<Vec<u8>> {
    object_pool::Pool::new(64, move || Vec::with_capacity(n))
}

/// The same with an object-pool 0.6 pool (cleared by hand: it has no reset hook).
#[inline]
pub fn object_pool_get_put(peer: &object_pool::Pool<Vec<u8>>, n: usize) {
    let mut v = peer.pull(move || Vec::with_capacity(n));
    v.clear();
    v.push(1);
    black_box(&v);
}

/// larder: take 64 B, write 64 bytes, freeze, drop.
#[inline]
pub fn larder_freeze_64(pool: &BufferPool) {
    let mut b = pool.get(64);
    b.extend_from_slice(&[7; 64]);
    black_box(b.freeze());
}

/// `BytesMut::with_capacity(64)`, write 64 bytes, freeze, drop.
#[inline]
pub fn bytes_mut_freeze_64() {
    let mut b = BytesMut::with_capacity(64);
    b.put_slice(&[7; 64]);
    black_box(b.freeze());
}

fn get_put_pair(
    n: usize,
    peer: &'static str,
    other: impl FnMut(u64) -> Duration + 'static,
) -> Pair {
    // A fresh pool each round (see `crate::measure`).
    Pair::new(
        "buffer",
        label(n),
        peer,
        move |iters| {
            let p = pool();
            timed(iters, || larder_get_put(&p, n))
        },
        other,
    )
}

/// The `buffer/…` pairs.
pub fn pairs() -> Vec<Pair> {
    let mut pairs = Vec::new();
    for n in [64usize, 4096, 65536, 1 << 20] {
        pairs.push(get_put_pair(n, "vec-with-capacity", move |iters| {
            timed(iters, || vec_get_put(n))
        }));
        pairs.push(get_put_pair(n, "vec-zeroed", move |iters| {
            timed(iters, || vec_zeroed_get_put(n))
        }));
        pairs.push(get_put_pair(n, "object-pool", move |iters| {
            let peer = object_pool(n);
            timed(iters, || object_pool_get_put(&peer, n))
        }));
    }
    pairs.push(Pair::new(
        "buffer",
        "get_write64_freeze_drop",
        "bytes-mut",
        move |iters| {
            let p = pool();
            timed(iters, || larder_freeze_64(&p))
        },
        move |iters| timed(iters, bytes_mut_freeze_64),
    ));
    let leaked = BufferPool::new().leak();
    pairs.push(Pair::new(
        "buffer",
        "get_write64_freeze_drop_leaked",
        "bytes-mut",
        move |iters| timed(iters, || larder_freeze_64(leaked)),
        move |iters| timed(iters, bytes_mut_freeze_64),
    ));
    pairs.push(Pair::new(
        "buffer",
        "get_write64_freeze_drop_2threads",
        "bytes-mut",
        move |iters| {
            let p = pool();
            two_threads(iters, || larder_freeze_64(&p))
        },
        move |iters| two_threads(iters, bytes_mut_freeze_64),
    ));
    pairs.push(Pair::new(
        "buffer",
        "get_put_4k_2threads",
        "vec-with-capacity",
        move |iters| {
            let p = pool();
            two_threads(iters, || larder_get_put(&p, 4096))
        },
        move |iters| two_threads(iters, || vec_get_put(4096)),
    ));
    pairs.push(Pair::new(
        "buffer",
        "producer_consumer_4k",
        "vec-with-capacity",
        move |iters| {
            let p = &pool();
            producer_consumer(
                iters,
                || {
                    let mut b = p.get(4096);
                    b.push(1);
                    b
                },
                |b| drop(black_box(b)),
            )
        },
        move |iters| {
            producer_consumer(
                iters,
                || {
                    let mut v = Vec::<u8>::with_capacity(4096);
                    v.push(1);
                    v
                },
                |v| drop(black_box(v)),
            )
        },
    ));
    pairs
}
