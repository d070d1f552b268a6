//! The floor: how fast the three timed paths of the performance targets could be with
//! nothing but a thread-local stack, beside the peers and larder in one run.
//!
//! ```text
//! cargo run --release -p larder-bench --example floor
//! ```
//!
//! A "floor pool" here is the least any thread-caching pool can do: one `thread_local!`
//! stack per kind of object, popped on take and pushed on return. It has none of what
//! larder's pools promise: no pool identity (every pool of a type would share the stack),
//! no limits, no statistics, no leak tracking, no idle aging, no hooks, no size classes,
//! and its frozen views keep no way home once the thread is gone (they free their block
//! instead). It is not a design to use; it answers "how much of the gap to a target is the
//! price of those promises, and how much is left to win". The `_counted` freeze rows add
//! to the floor the one promise a frozen view cannot do without when it may outlive its
//! pool: an atomic count of the frozen blocks, up on each freeze and down on each last
//! view (a pool made `'static` by `BufferPool::leak` needs none, hence the leaked row).
//!
//! Each row times two sides in alternating rounds (the harness of `compare`), so each
//! ratio comes from one run; the machine check before the rows says which of the machine's
//! states the run met (see the benches README).

// The stacks hold boxes on purpose: one pointer moves each way, as in larder's pools.
#![allow(clippy::vec_box)]

use std::cell::RefCell;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering, fence};
use std::time::Duration;

use larder_bench::object::{self, Subject};
use larder_bench::{Pair, Settings, buffer, machine, measure, timed};

thread_local! {
    /// The floor's object stack (1 KiB `Vec`s).
    static OBJECTS: RefCell<Vec<Box<Vec<u8>>>> = const { RefCell::new(Vec::new()) };
    /// The floor's 4 KiB buffer stack.
    static BUFFERS: RefCell<Vec<Box<Vec<u8>>>> = const { RefCell::new(Vec::new()) };
    /// The floor's stack of view blocks (64-byte buffers that can be frozen).
    static BLOCKS: RefCell<Vec<Box<Block>>> = const { RefCell::new(Vec::new()) };
}

/// The floor object pool: take pops the thread's stack (or allocates), give clears and
/// pushes.
struct FloorObjects;

impl Subject for FloorObjects {
    type Item<'a> = Box<Vec<u8>>;

    #[inline(always)]
    fn take(&self) -> Box<Vec<u8>> {
        let mut v = OBJECTS
            .with_borrow_mut(Vec::pop)
            .unwrap_or_else(|| Box::new(Vec::with_capacity(object::CAP)));
        v.push(1);
        v
    }

    #[inline(always)]
    fn give(&self, mut item: Box<Vec<u8>>) {
        item.clear();
        OBJECTS.with_borrow_mut(|s| s.push(item));
    }
}

/// The floor of `buffer/get_put_4k`: a 4 KiB buffer from the thread's stack, one byte
/// written, back on the stack. Boxed, as larder's buffers are: a stack of bare `Vec`s
/// moves three words each way and measured about twice as slow here.
#[inline(always)]
fn floor_get_put_4k() {
    let mut b = BUFFERS
        .with_borrow_mut(Vec::pop)
        .unwrap_or_else(|| Box::new(Vec::with_capacity(4096)));
    b.push(1);
    black_box(&b);
    b.clear();
    BUFFERS.with_borrow_mut(|s| s.push(b));
}

/// A buffer that can be frozen: a reference count and the bytes, in one heap block.
struct Block {
    refs: AtomicUsize,
    bytes: Vec<u8>,
}

/// A frozen floor buffer: shares its block, and puts it back on the dropping thread's
/// stack when it is the last view. With `COUNTED`, each freeze also adds one to
/// [`FROZEN`] and each last view takes it back: the least a pool must do per freeze to
/// outlive its handles for as long as views of its buffers are alive (one atomic
/// read-modify-write each way, as larder's striped count does on an uncontended stripe).
struct FloorView<const COUNTED: bool> {
    block: *mut Block,
}

/// The counted floor's count of frozen blocks (written by one thread here, like an
/// uncontended stripe of larder's count).
static FROZEN: AtomicUsize = AtomicUsize::new(0);

// SAFETY: the block is reached only through the count's protocol below (clones increment
// it, the last drop, after an acquire, owns the block again), as in `Arc`; its bytes are
// never written while views exist.
unsafe impl<const COUNTED: bool> Send for FloorView<COUNTED> {}

impl<const COUNTED: bool> FloorView<COUNTED> {
    /// Freezes a block.
    #[inline(always)]
    fn freeze(block: Box<Block>) -> Self {
        if COUNTED {
            FROZEN.fetch_add(1, Ordering::Relaxed);
        }
        FloorView {
            block: Box::into_raw(block),
        }
    }

    /// The frozen bytes.
    #[inline(always)]
    fn bytes(&self) -> &[u8] {
        // SAFETY: the view holds a counted reference, so the block is alive and its bytes
        // unchanged.
        unsafe { &(*self.block).bytes }
    }
}

impl<const COUNTED: bool> Clone for FloorView<COUNTED> {
    fn clone(&self) -> Self {
        // SAFETY: as in `bytes`.
        unsafe { (*self.block).refs.fetch_add(1, Ordering::Relaxed) };
        FloorView { block: self.block }
    }
}

impl<const COUNTED: bool> Drop for FloorView<COUNTED> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: the view holds a counted reference until the end of this function; the
        // last one (count 1 with no other view to raise it, or brought to 0) owns the block,
        // after an acquire that orders the other views' reads before its reuse.
        let mut block = unsafe {
            let refs = &(*self.block).refs;
            if refs.load(Ordering::Acquire) != 1 {
                if refs.fetch_sub(1, Ordering::Release) != 1 {
                    return;
                }
                fence(Ordering::Acquire);
                refs.store(1, Ordering::Relaxed);
            }
            Box::from_raw(self.block)
        };
        if COUNTED {
            FROZEN.fetch_sub(1, Ordering::Release);
        }
        block.bytes.clear();
        // During thread exit the stack may be gone: the block is then freed.
        let _ = BLOCKS.try_with(|s| s.borrow_mut().push(block));
    }
}

/// The floor of `buffer/get_write64_freeze_drop`; with `COUNTED`, the floor of a pool
/// whose frozen views may outlive it (see [`FloorView`]).
#[inline(always)]
fn floor_freeze_64<const COUNTED: bool>() {
    let mut block = BLOCKS.with_borrow_mut(Vec::pop).unwrap_or_else(|| {
        Box::new(Block {
            refs: AtomicUsize::new(1),
            bytes: Vec::with_capacity(64),
        })
    });
    block.bytes.extend_from_slice(&[7; 64]);
    let view = FloorView::<COUNTED>::freeze(block);
    black_box(view.bytes());
}

/// A pair whose "larder" side is the floor.
fn floor_pair(
    workload: &'static str,
    peer: &'static str,
    floor: impl FnMut(u64) -> Duration + 'static,
    other: impl FnMut(u64) -> Duration + 'static,
) -> Pair {
    Pair::new("floor", workload, peer, floor, other)
}

fn main() {
    let check = machine::check();
    println!("Machine check: {check}.\n");
    let pool = larder_buffer::BufferPool::new();
    let pool2 = pool.clone();
    let pool3 = pool.clone();
    let leaked = larder_buffer::BufferPool::new().leak();
    let pairs = vec![
        floor_pair(
            "object/get_put_1k",
            "object-pool",
            |n| object::one_thread(&FloorObjects, n),
            |n| object::one_thread(&object::ObjectPool::new(), n),
        ),
        floor_pair(
            "object/get_put_1k",
            "malloc",
            |n| object::one_thread(&FloorObjects, n),
            |n| object::one_thread(&object::Malloc, n),
        ),
        floor_pair(
            "object/get_put_1k",
            "larder",
            |n| object::one_thread(&FloorObjects, n),
            |n| object::one_thread(&object::Larder::new(), n),
        ),
        floor_pair(
            "buffer/get_put_4k",
            "vec-with-capacity",
            |n| timed(n, floor_get_put_4k),
            |n| timed(n, || buffer::vec_get_put(4096)),
        ),
        floor_pair(
            "buffer/get_put_4k",
            "larder",
            |n| timed(n, floor_get_put_4k),
            move |n| timed(n, || buffer::larder_get_put(&pool, 4096)),
        ),
        floor_pair(
            "buffer/get_write64_freeze_drop",
            "bytes-mut",
            |n| timed(n, floor_freeze_64::<false>),
            |n| timed(n, buffer::bytes_mut_freeze_64),
        ),
        floor_pair(
            "buffer/get_write64_freeze_drop",
            "larder",
            |n| timed(n, floor_freeze_64::<false>),
            move |n| timed(n, || buffer::larder_freeze_64(&pool2)),
        ),
        floor_pair(
            "buffer/get_write64_freeze_drop_counted",
            "bytes-mut",
            |n| timed(n, floor_freeze_64::<true>),
            |n| timed(n, buffer::bytes_mut_freeze_64),
        ),
        floor_pair(
            "buffer/get_write64_freeze_drop_counted",
            "larder",
            |n| timed(n, floor_freeze_64::<true>),
            move |n| timed(n, || buffer::larder_freeze_64(&pool3)),
        ),
        floor_pair(
            "buffer/get_write64_freeze_drop_counted",
            "larder-leaked",
            |n| timed(n, floor_freeze_64::<true>),
            move |n| timed(n, || buffer::larder_freeze_64(leaked)),
        ),
    ];
    println!("| workload | other | floor ns/op | other ns/op | floor/other |");
    println!("|---|---|---:|---:|---:|");
    for mut pair in pairs {
        let row = measure(&mut pair, Settings::default());
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.3} |",
            pair.workload, pair.peer, row.larder_ns, row.peer_ns, row.ratio
        );
    }
}
