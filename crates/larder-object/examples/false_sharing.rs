//! Why a pool keeps each object in a line-padded [`Boxed`] block rather than a plain `Box`.
//!
//! Two threads each use an object of their own, the way two threads use the objects they
//! got from a pool: push a byte, clear (what a get, a write and a put do to a `Vec`). In
//! the first run the two objects sit in plain boxes allocated one after the other on one
//! cache line, which the threads then take from each other on every write; in the second
//! they sit in `Boxed` blocks. Prints ns per push + clear on each thread.
//!
//! ```text
//! cargo run --release -p larder-object --example false_sharing
//! ```

use std::hint::black_box;
use std::ops::DerefMut;
use std::sync::Barrier;
use std::time::Instant;

use larder_object::{Boxed, LINE};

const ITERS: u64 = 20_000_000;

/// ns per push + clear on each of two threads, each on its own object.
fn two_threads<B: DerefMut<Target = Vec<u8>> + Send>(objects: [B; 2]) -> [f64; 2] {
    let start = Barrier::new(2);
    std::thread::scope(|s| {
        let workers = objects.map(|mut object| {
            let start = &start;
            s.spawn(move || {
                start.wait();
                let t = Instant::now();
                for _ in 0..ITERS {
                    object.push(1);
                    black_box(&mut *object).clear();
                }
                t.elapsed().as_secs_f64() * 1e9 / ITERS as f64
            })
        });
        workers.map(|w| w.join().expect("worker panicked"))
    })
}

fn main() {
    // Allocate pairs of plain boxes until one pair lands on one cache line.
    let mut spare = Vec::new();
    let adjacent = loop {
        // Empty vectors, so that nothing is allocated between the two boxes.
        let a = Box::new(Vec::<u8>::new());
        let b = Box::new(Vec::<u8>::new());
        let (pa, pb) = (
            &*a as *const Vec<u8> as usize,
            &*b as *const Vec<u8> as usize,
        );
        if pa / LINE == pb / LINE {
            break [a, b];
        }
        spare.push((a, b));
        assert!(
            spare.len() < 1000,
            "the allocator never put two boxes on one line"
        );
    };
    drop(spare);
    let mut adjacent = adjacent;
    adjacent.iter_mut().for_each(|v| v.reserve(64));
    let mut padded = [
        Boxed::new(Vec::with_capacity(64)),
        Boxed::new(Vec::with_capacity(64)),
    ];
    for round in 0..3 {
        let [p, q] = &mut adjacent;
        let [a, b] = two_threads([Wrap(p), Wrap(q)]);
        let [p, q] = &mut padded;
        let [c, d] = two_threads([Wrap(p), Wrap(q)]);
        println!(
            "round {round}: plain boxes on one line {a:.2} / {b:.2} ns, Boxed {c:.2} / {d:.2} ns"
        );
    }
}

/// A `&mut Vec<u8>` that is `DerefMut` to the vector itself.
struct Wrap<'a>(&'a mut Vec<u8>);

impl std::ops::Deref for Wrap<'_> {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        self.0
    }
}

impl DerefMut for Wrap<'_> {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        self.0
    }
}
