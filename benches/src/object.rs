//! larder-object against its peers: get + put of a `Vec<u8>` of capacity 1024, cleared on
//! return, on one thread (`get_put_1k`), on two threads sharing one pool
//! (`get_put_1k_2threads`, ns per operation per thread), and producer/consumer
//! (`producer_consumer_1k`: thread A takes and writes, thread B drops; ns per object).
//!
//! Peers: object-pool 0.6, lifeguard 0.6 (single-threaded only: its pool is `!Sync`),
//! sharded-slab's `Pool`, opool, a hand-made pool over crossbeam's `ArrayQueue`, a
//! hand-made `Mutex<Vec<_>>` pool, and plain allocation (`malloc`). One more row,
//! `get_put_1k_2threads` against `larder-1-thread`, puts larder's two-thread time beside
//! its own one-thread time (the scaling target: a ratio of at most 1.5), and
//! against `larder-2-pools` beside two threads that share nothing (what two threads at
//! once cost on the machine).

use crate::{Pair, timed};
use crossbeam_queue::ArrayQueue;
use larder_object::{Pool, Pooled};
use std::hint::black_box;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

/// Capacity of every pooled buffer.
pub const CAP: usize = 1024;

/// Something that hands out buffers: `take` gets one and writes a byte into it, `give`
/// returns it. Items are `Send` so that another thread may give them back. Every
/// implementation's `take` and `give` are `#[inline(always)]`, so that what is measured is
/// the crate's code, not whether the compiler chose to inline a wrapper (which changes
/// with the number of call sites in a binary).
pub trait Subject: Sync {
    /// What `take` hands out.
    type Item<'a>: Send
    where
        Self: 'a;
    /// Gets a buffer and writes one byte into it.
    fn take(&self) -> Self::Item<'_>;
    /// Returns (or frees) a buffer.
    fn give(&self, item: Self::Item<'_>);
}

/// larder-object's `Pool`.
pub struct Larder(pub Pool<Vec<u8>>);

impl Larder {
    /// A pool of 1 KiB buffers with default settings.
    pub fn new() -> Self {
        Larder(Pool::new(|| Vec::with_capacity(CAP)))
    }
}

impl Default for Larder {
    fn default() -> Self {
        Self::new()
    }
}

impl Subject for Larder {
    type Item<'a> = Pooled<'a, Vec<u8>>;
    #[inline(always)]
    fn take(&self) -> Self::Item<'_> {
        let mut v = self.0.get();
        v.push(1);
        v
    }
    #[inline(always)]
    fn give(&self, item: Self::Item<'_>) {
        drop(item);
    }
}

/// Plain allocation: `Vec::with_capacity(1024)` and drop.
pub struct Malloc;

impl Subject for Malloc {
    type Item<'a> = Vec<u8>;
    #[inline(always)]
    fn take(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(CAP);
        v.push(1);
        v
    }
    #[inline(always)]
    fn give(&self, item: Vec<u8>) {
        drop(item);
    }
}

/// object-pool 0.6 (a `Mutex<Vec<T>>` inside); the buffer is cleared before it goes back.
pub struct ObjectPool(pub object_pool::Pool<Vec<u8>>);

impl ObjectPool {
    /// An empty object-pool.
    pub fn new() -> Self {
        ObjectPool(object_pool::Pool::new(0, || Vec::with_capacity(CAP)))
    }
}

impl Default for ObjectPool {
    fn default() -> Self {
        Self::new()
    }
}

impl Subject for ObjectPool {
    type Item<'a> = object_pool::Reusable<'a, Vec<u8>>;
    #[inline(always)]
    fn take(&self) -> Self::Item<'_> {
        let mut v = self.0.pull(|| Vec::with_capacity(CAP));
        v.push(1);
        v
    }
    #[inline(always)]
    fn give(&self, mut item: Self::Item<'_>) {
        item.clear();
        drop(item);
    }
}

/// sharded-slab's `Pool` (clears through its `Clear` trait); items are keys.
pub struct ShardedSlab(pub sharded_slab::Pool<Vec<u8>>);

impl ShardedSlab {
    /// An empty sharded-slab pool.
    pub fn new() -> Self {
        ShardedSlab(sharded_slab::Pool::new())
    }
}

impl Default for ShardedSlab {
    fn default() -> Self {
        Self::new()
    }
}

impl Subject for ShardedSlab {
    type Item<'a> = usize;
    #[inline(always)]
    fn take(&self) -> usize {
        self.0
            .create_with(|v| {
                v.reserve(CAP);
                v.push(1);
            })
            .expect("slab full")
    }
    #[inline(always)]
    fn give(&self, key: usize) {
        self.0.clear(key);
    }
}

/// opool's allocator: 1 KiB buffers, cleared on return.
pub struct BufAlloc;

impl opool::PoolAllocator<Vec<u8>> for BufAlloc {
    fn allocate(&self) -> Vec<u8> {
        Vec::with_capacity(CAP)
    }
    fn reset(&self, v: &mut Vec<u8>) {
        v.clear();
    }
}

/// opool's concurrent `Pool` (bounded, 1024 objects).
pub struct Opool(pub opool::Pool<BufAlloc, Vec<u8>>);

impl Opool {
    /// An opool of at most 1024 buffers.
    pub fn new() -> Self {
        Opool(opool::Pool::new(1024, BufAlloc))
    }
}

impl Default for Opool {
    fn default() -> Self {
        Self::new()
    }
}

impl Subject for Opool {
    type Item<'a> = opool::RefGuard<'a, BufAlloc, Vec<u8>>;
    #[inline(always)]
    fn take(&self) -> Self::Item<'_> {
        let mut v = self.0.get();
        v.push(1);
        v
    }
    #[inline(always)]
    fn give(&self, item: Self::Item<'_>) {
        drop(item);
    }
}

/// A guard of the hand-made pools.
pub struct HandGuard<'a, P: HandPool> {
    value: ManuallyDrop<Vec<u8>>,
    pool: &'a P,
}

/// The two hand-made pools' storage.
pub trait HandPool: Sync {
    /// Pops a retained buffer.
    fn pop(&self) -> Option<Vec<u8>>;
    /// Keeps a buffer (or drops it when full).
    fn push(&self, v: Vec<u8>);
}

impl<P: HandPool> Deref for HandGuard<'_, P> {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.value
    }
}

impl<P: HandPool> DerefMut for HandGuard<'_, P> {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.value
    }
}

impl<P: HandPool> Drop for HandGuard<'_, P> {
    fn drop(&mut self) {
        // SAFETY: taken once, in drop; never used afterwards.
        let mut v = unsafe { ManuallyDrop::take(&mut self.value) };
        v.clear();
        self.pool.push(v);
    }
}

/// A pool over crossbeam's `ArrayQueue` (1024 slots).
pub struct QueuePool(pub ArrayQueue<Vec<u8>>);

/// A pool over `Mutex<Vec<Vec<u8>>>` (at most 1024 kept).
pub struct MutexPool(pub Mutex<Vec<Vec<u8>>>);

impl HandPool for QueuePool {
    fn pop(&self) -> Option<Vec<u8>> {
        self.0.pop()
    }
    fn push(&self, v: Vec<u8>) {
        let _ = self.0.push(v);
    }
}

impl HandPool for MutexPool {
    fn pop(&self) -> Option<Vec<u8>> {
        self.0.lock().unwrap().pop()
    }
    fn push(&self, v: Vec<u8>) {
        let mut kept = self.0.lock().unwrap();
        if kept.len() < 1024 {
            kept.push(v);
        }
    }
}

impl QueuePool {
    /// An empty queue pool.
    pub fn new() -> Self {
        QueuePool(ArrayQueue::new(1024))
    }
}

impl Default for QueuePool {
    fn default() -> Self {
        Self::new()
    }
}

impl MutexPool {
    /// An empty mutex pool.
    pub fn new() -> Self {
        MutexPool(Mutex::new(Vec::new()))
    }
}

impl Default for MutexPool {
    fn default() -> Self {
        Self::new()
    }
}

/// A hand-made pool as a [`Subject`].
pub struct Hand<P>(pub P);

impl<P: HandPool> Subject for Hand<P> {
    type Item<'a>
        = HandGuard<'a, P>
    where
        P: 'a;
    #[inline(always)]
    fn take(&self) -> Self::Item<'_> {
        let v = self.0.pop().unwrap_or_else(|| Vec::with_capacity(CAP));
        let mut g = HandGuard {
            value: ManuallyDrop::new(v),
            pool: &self.0,
        };
        g.push(1);
        g
    }
    #[inline(always)]
    fn give(&self, item: Self::Item<'_>) {
        drop(item);
    }
}

/// `iters` take + give on the calling thread.
pub fn one_thread<S: Subject>(s: &S, iters: u64) -> Duration {
    timed(iters, || {
        let item = s.take();
        black_box(&item);
        s.give(item);
    })
}

/// From the earliest start to the latest end of some threads' measured spans. Each thread
/// times itself (after a common barrier), so that a descheduled coordinating thread does
/// not shorten or stretch the measurement.
fn span(spans: &[(Instant, Instant)]) -> Duration {
    let start = spans.iter().map(|s| s.0).min().expect("threads ran");
    let end = spans.iter().map(|s| s.1).max().expect("threads ran");
    end - start
}

/// Two threads each doing `iters` take + give on the same subject; wall time.
pub fn two_threads<S: Subject>(s: &S, iters: u64) -> Duration {
    two_threads_on(s, s, iters)
}

/// Two threads doing `iters` take + give each, the first on `a`, the second on `b`; wall
/// time. With `a` and `b` two separate pools it measures what running two threads at
/// once costs on the machine, with nothing shared.
pub fn two_threads_on<S: Subject>(a: &S, b: &S, iters: u64) -> Duration {
    let start = Barrier::new(2);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|scope| {
        let workers: Vec<_> = [a, b]
            .into_iter()
            .map(|s| {
                scope.spawn(|| {
                    start.wait();
                    let t = Instant::now();
                    for _ in 0..iters {
                        let item = s.take();
                        black_box(&item);
                        s.give(item);
                    }
                    (t, Instant::now())
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    span(&spans)
}

/// Thread A takes `iters` items and passes them through a bounded queue to thread B,
/// which gives them back; wall time.
pub fn producer_consumer<S: Subject>(s: &S, iters: u64) -> Duration {
    let queue: ArrayQueue<S::Item<'_>> = ArrayQueue::new(256);
    let start = Barrier::new(2);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|scope| {
        let producer = scope.spawn(|| {
            start.wait();
            let t = Instant::now();
            for _ in 0..iters {
                let mut item = s.take();
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
            (t, Instant::now())
        });
        let consumer = scope.spawn(|| {
            start.wait();
            let t = Instant::now();
            let mut left = iters;
            while left > 0 {
                match queue.pop() {
                    Some(item) => {
                        s.give(item);
                        left -= 1;
                    }
                    None => std::thread::yield_now(),
                }
            }
            (t, Instant::now())
        });
        vec![producer.join().unwrap(), consumer.join().unwrap()]
    });
    span(&spans)
}

/// lifeguard 0.6 on one thread (its pool is `!Sync`).
pub fn lifeguard_one_thread(pool: &lifeguard::Pool<Vec<u8>>, iters: u64) -> Duration {
    timed(iters, || {
        let mut v = pool.new();
        if v.capacity() < CAP {
            v.reserve(CAP);
        }
        v.push(1);
        black_box(&v);
        drop(v);
    })
}

/// A lifeguard pool of 1 KiB buffers.
pub fn lifeguard_pool() -> lifeguard::Pool<Vec<u8>> {
    lifeguard::pool()
        .with(lifeguard::StartingSize(0))
        .with(lifeguard::MaxSize(1024))
        .with(lifeguard::Supplier(|| Vec::with_capacity(CAP)))
        .build()
}

fn pair<S: Subject + 'static>(
    workload: &'static str,
    peer: &'static str,
    make: fn() -> S,
    body: Body<S>,
    larder_body: Body<Larder>,
) -> Pair {
    // A fresh pool each round on both sides (see `crate::measure`).
    Pair::new(
        "object",
        workload,
        peer,
        move |iters| larder_body(&Larder::new(), iters),
        move |iters| body(&make(), iters),
    )
}

/// A workload's body for one subject type.
type Body<S> = fn(&S, u64) -> Duration;

/// The workload bodies for one subject type, in `WORKLOADS` order.
fn bodies<S: Subject>() -> [Body<S>; 3] {
    [one_thread::<S>, two_threads::<S>, producer_consumer::<S>]
}

/// The workloads, as in benchmark ids.
pub const WORKLOADS: [&str; 3] = ["get_put_1k", "get_put_1k_2threads", "producer_consumer_1k"];

/// The `object/…` pairs: every workload against every peer that can run it.
pub fn pairs() -> Vec<Pair> {
    let mut pairs = Vec::new();
    for (i, workload) in WORKLOADS.into_iter().enumerate() {
        let larder_body = bodies::<Larder>()[i];
        pairs.push(pair(
            workload,
            "malloc",
            || Malloc,
            bodies()[i],
            larder_body,
        ));
        pairs.push(pair(
            workload,
            "object-pool",
            ObjectPool::new,
            bodies()[i],
            larder_body,
        ));
        if i == 0 {
            pairs.push(Pair::new(
                "object",
                workload,
                "lifeguard",
                move |iters| one_thread(&Larder::new(), iters),
                move |iters| lifeguard_one_thread(&lifeguard_pool(), iters),
            ));
        }
        pairs.push(pair(
            workload,
            "sharded-slab",
            ShardedSlab::new,
            bodies()[i],
            larder_body,
        ));
        pairs.push(pair(
            workload,
            "opool",
            Opool::new,
            bodies()[i],
            larder_body,
        ));
        pairs.push(pair(
            workload,
            "arrayqueue-pool",
            || Hand(QueuePool::new()),
            bodies()[i],
            larder_body,
        ));
        pairs.push(pair(
            workload,
            "mutex-vec-pool",
            || Hand(MutexPool::new()),
            bodies()[i],
            larder_body,
        ));
    }
    // The scaling target (two threads sharing one pool at most 1.5 times the one-thread
    // time per operation), measured directly: larder against itself, alternating rounds.
    pairs.push(Pair::new(
        "object",
        "get_put_1k_2threads",
        "larder-1-thread",
        move |iters| two_threads(&Larder::new(), iters),
        move |iters| one_thread(&Larder::new(), iters),
    ));
    // The control for it: the same two threads, each on a pool of its own, so nothing is
    // shared; a ratio near 1 means sharing the pool costs nothing beyond what running two
    // threads at once costs on the machine.
    pairs.push(Pair::new(
        "object",
        "get_put_1k_2threads",
        "larder-2-pools",
        move |iters| two_threads(&Larder::new(), iters),
        move |iters| two_threads_on(&Larder::new(), &Larder::new(), iters),
    ));
    pairs
}
