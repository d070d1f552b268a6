//! Runs one workload body a fixed number of times, for instruction counting, where timings
//! on a shared machine wobble too much to compare close calls.
//!
//! ```text
//! cargo build --release -p larder-bench --bin instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*measured*' \
//!     target/release/instructions object/get_put_1k/larder 100000
//! ```
//!
//! Only `measured` (the loop) is counted, so the `Collected` total divided by the count is
//! the instructions per operation. `instructions --list` prints the workload names.

use larder_bench::{buffer, compact, object, view};
use std::hint::black_box;

type Body = Box<dyn FnMut()>;
/// A workload's name and the function making its body.
type Workload = (&'static str, fn() -> Body);

/// Each workload: its name and a function making its body (set-up happens there, outside
/// the measured loop).
fn workloads() -> Vec<Workload> {
    vec![
        (
            "object/get_put_1k/larder",
            || subject(object::Larder::new()),
        ),
        ("object/get_put_1k_second_thread/larder", || {
            // Another thread installs the pool's first cache and stays alive (parked until
            // the process exits), so the measured thread is not the first one.
            let pool = std::sync::Arc::new(object::Larder::new());
            let (ready, wait) = std::sync::mpsc::channel();
            let first = pool.clone();
            std::thread::spawn(move || {
                let item = object::Subject::take(&*first);
                object::Subject::give(&*first, item);
                ready.send(()).expect("the measuring thread waits");
                loop {
                    std::thread::park();
                }
            });
            wait.recv().expect("the first thread installed its cache");
            Box::new(move || {
                let item = object::Subject::take(&*pool);
                black_box(&item);
                object::Subject::give(&*pool, item);
            })
        }),
        ("object/get_put_1k/malloc", || subject(object::Malloc)),
        ("object/get_put_1k/object-pool", || {
            subject(object::ObjectPool::new())
        }),
        ("buffer/get_put_64/larder", || buffer_larder(64)),
        ("buffer/get_put_4k/larder", || buffer_larder(4096)),
        ("buffer/get_put_4k/vec-with-capacity", || {
            Box::new(|| buffer::vec_get_put(4096))
        }),
        ("buffer/get_write64_freeze_drop/larder", || {
            let pool = larder_buffer::BufferPool::new();
            Box::new(move || buffer::larder_freeze_64(&pool))
        }),
        ("buffer/get_write64_freeze_drop_leaked/larder", || {
            let pool = larder_buffer::BufferPool::new().leak();
            Box::new(move || buffer::larder_freeze_64(pool))
        }),
        ("buffer/get_write64_freeze_drop/bytes-mut", || {
            Box::new(buffer::bytes_mut_freeze_64)
        }),
        ("compact/iter_ones_1m/larder", || {
            let s = compact::work::sparse_larder();
            Box::new(move || {
                black_box(compact::work::larder_ones(black_box(&s)));
            })
        }),
        ("compact/iter_ones_1m/fixedbitset", || {
            let s = compact::work::sparse_fixed();
            Box::new(move || {
                black_box(compact::work::fixed_ones(black_box(&s)));
            })
        }),
        ("view/parse_1k_record/larder", || {
            let rec = view::record();
            Box::new(move || {
                black_box(view::parse_reader(black_box(&rec)).expect("a valid record"));
            })
        }),
        ("view/parse_1k_record/bytes", || {
            let rec = view::record();
            Box::new(move || {
                black_box(view::parse_buf(black_box(&rec)));
            })
        }),
        ("view/parse_1k_record/slice-indexing", || {
            let rec = view::record();
            Box::new(move || {
                black_box(view::parse_index(black_box(&rec)));
            })
        }),
    ]
}

/// One take + give of an object-pool subject, as `compare` measures it.
fn subject<S: object::Subject + 'static>(s: S) -> Body {
    Box::new(move || {
        let item = s.take();
        black_box(&item);
        s.give(item);
    })
}

fn buffer_larder(n: usize) -> Body {
    let pool = larder_buffer::BufferPool::new();
    Box::new(move || buffer::larder_get_put(&pool, n))
}

/// The loop callgrind counts (`--toggle-collect='*measured*'`).
#[inline(never)]
fn measured(body: &mut dyn FnMut(), n: u64) {
    for _ in 0..n {
        body();
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_default();
    let all = workloads();
    if name.is_empty() || name == "--list" {
        for (name, _) in &all {
            println!("{name}");
        }
        return;
    }
    let n: u64 = match args.next().map(|s| s.parse()) {
        None => 100_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("the count must be a number: {e}");
            std::process::exit(2);
        }
    };
    let Some((_, make)) = all.iter().find(|(w, _)| *w == name) else {
        eprintln!("no workload named {name:?}; `instructions --list` prints them");
        std::process::exit(2);
    };
    let mut body = make();
    // Warm up outside the counted loop: caches filled, thread-locals installed.
    for _ in 0..1000 {
        body();
    }
    measured(&mut body, n);
    println!("{name}: {n} operations");
}
