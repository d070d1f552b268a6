//! Operation programs against a model: allocations of many sizes and alignments, in-place
//! growth of the last allocation, scopes, checkpoints, rewinds, resets, shrinks and
//! limits. After every step: every pointer is aligned, no two live allocations overlap,
//! and every live allocation still holds the bytes written into it.

use larder_arena::{Arena, ArenaError, CheckpointError, GrowthPolicy, Scope};
use proptest::prelude::*;
use std::alloc::Layout;

#[derive(Debug, Clone)]
enum Op {
    Alloc {
        size: usize,
        align_pow: u8,
    },
    /// An `ArenaVec<u8>` pushed `len` times (with `reserve_exact(1)` before each push if
    /// `exact`), optionally with another allocation in the middle so that growth must copy,
    /// then kept as a slice or dropped.
    Vec {
        len: usize,
        exact: bool,
        interleave: bool,
        keep: bool,
    },
    Enter,
    Exit,
    Checkpoint,
    Rewind(usize),
    Reset,
    ResetKeepAll,
    Shrink,
    SetLimit(Option<usize>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => (0usize..600, 0u8..8).prop_map(|(size, align_pow)| Op::Alloc { size, align_pow }),
        2 => (600usize..20_000, prop_oneof![Just(0u8), Just(3), Just(12)])
            .prop_map(|(size, align_pow)| Op::Alloc { size, align_pow }),
        3 => (0usize..300, any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(len, exact, interleave, keep)| Op::Vec { len, exact, interleave, keep }),
        3 => Just(Op::Enter),
        3 => Just(Op::Exit),
        2 => Just(Op::Checkpoint),
        2 => (0usize..8).prop_map(Op::Rewind),
        1 => Just(Op::Reset),
        1 => Just(Op::ResetKeepAll),
        1 => Just(Op::Shrink),
        1 => proptest::option::of(1usize..100_000).prop_map(Op::SetLimit),
    ]
}

struct Live {
    ptr: *const u8,
    len: usize,
    fill: u8,
}

struct Model {
    live: Vec<Live>,
    next_fill: u8,
    high: usize,
}

impl Model {
    fn fill(&mut self) -> u8 {
        self.next_fill = self.next_fill.wrapping_add(1).max(1);
        self.next_fill
    }

    fn record(&mut self, ptr: *mut u8, len: usize, align: usize) {
        assert_eq!(ptr as usize % align, 0, "misaligned allocation");
        assert!(!ptr.is_null());
        let (lo, hi) = (ptr as usize, ptr as usize + len);
        if len > 0 {
            for l in &self.live {
                let (a, b) = (l.ptr as usize, l.ptr as usize + l.len);
                assert!(l.len == 0 || hi <= a || b <= lo, "allocations overlap");
            }
        }
        let fill = self.fill();
        // SAFETY: the arena just handed out `len` writable bytes at `ptr`.
        unsafe { ptr.write_bytes(fill, len) };
        self.live.push(Live { ptr, len, fill });
    }

    fn check(&mut self, arena_bytes: usize) {
        for l in &self.live {
            // SAFETY: the model only keeps allocations whose scope, checkpoint and reset
            // have not ended them.
            let bytes = unsafe { std::slice::from_raw_parts(l.ptr, l.len) };
            assert!(bytes.iter().all(|&b| b == l.fill), "contents changed");
        }
        self.high = self.high.max(arena_bytes);
    }
}

/// One allocation step, shared by the root and the scopes.
fn alloc_step(
    model: &mut Model,
    size: usize,
    align_pow: u8,
    alloc: impl FnOnce(Layout) -> Result<std::ptr::NonNull<u8>, ArenaError>,
    limited: bool,
) {
    let align = 1usize << align_pow;
    let layout = Layout::from_size_align(size, align).unwrap();
    match alloc(layout) {
        Ok(p) => model.record(p.as_ptr(), size, align),
        Err(ArenaError::LimitExceeded { .. }) => assert!(limited, "limit error without a limit"),
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn run_scope(
    s: &mut Scope<'_>,
    ops: &mut std::slice::Iter<'_, Op>,
    model: &mut Model,
    limited: bool,
) {
    while let Some(op) = ops.next() {
        match *op {
            Op::Alloc { size, align_pow } => {
                alloc_step(model, size, align_pow, |l| s.try_alloc_layout(l), limited)
            }
            Op::Vec { len, keep, .. } => {
                if limited {
                    continue;
                }
                let mut v = s.vec::<u8>();
                for i in 0..len {
                    v.push(i as u8);
                }
                assert!(v.iter().enumerate().all(|(i, &b)| b == i as u8));
                if keep {
                    let slice = v.into_slice();
                    let (p, n) = (slice.as_mut_ptr(), slice.len());
                    // The slice's memory stays allocated until this scope ends.
                    model.record(p, n, 1);
                }
            }
            Op::Enter => {
                let before = s.allocated_bytes();
                let n = model.live.len();
                s.scope(|inner| run_scope(inner, ops, model, limited));
                model.live.truncate(n);
                assert_eq!(s.allocated_bytes(), before, "scope end restores the level");
            }
            Op::Exit => return,
            _ => {}
        }
        model.check(s.allocated_bytes());
    }
}

fn run(policy: GrowthPolicy, ops: &[Op]) {
    let mut arena = Arena::builder().growth(policy).build().unwrap();
    let mut model = Model {
        live: Vec::new(),
        next_fill: 0,
        high: 0,
    };
    let mut cps: Vec<(larder_arena::Checkpoint, usize, usize)> = Vec::new();
    let mut stale: Vec<larder_arena::Checkpoint> = Vec::new();
    let mut limit: Option<usize> = None;
    let mut iter = ops.iter();
    while let Some(op) = iter.next() {
        let before = arena.stats();
        match *op {
            Op::Alloc { size, align_pow } => {
                let r = {
                    let a = &arena;
                    let align = 1usize << align_pow;
                    let layout = Layout::from_size_align(size, align).unwrap();
                    a.try_alloc_layout(layout)
                };
                match r {
                    Ok(p) => model.record(p.as_ptr(), size, 1 << align_pow),
                    Err(ArenaError::LimitExceeded { .. }) => {
                        assert!(limit.is_some());
                        assert_eq!(arena.stats(), before, "a failed allocation changes nothing");
                    }
                    Err(e) => panic!("unexpected {e}"),
                }
                let after = arena.stats();
                if let (Some(l), true) = (limit, after.chunk_capacity > before.chunk_capacity) {
                    assert!(after.chunk_capacity <= l, "a new chunk passed the limit");
                }
            }
            Op::Vec {
                len,
                exact,
                interleave,
                keep,
            } => {
                if limit.is_some() {
                    continue;
                }
                let a = &arena;
                let mut v = a.vec::<u8>();
                let mut side = None;
                for i in 0..len {
                    if exact {
                        v.reserve_exact(1);
                    }
                    v.push(i as u8);
                    if interleave && i == len / 2 {
                        side = Some(a.alloc(0xEEu32) as *mut u32);
                    }
                }
                assert!(v.iter().enumerate().all(|(i, &b)| b == i as u8));
                if let Some(p) = side {
                    // SAFETY: `p` is a live arena allocation of a `u32`.
                    assert_eq!(unsafe { *p }, 0xEE);
                    model.record(p.cast(), 0, 4);
                }
                if keep {
                    let s = v.into_slice();
                    let (p, n) = (s.as_mut_ptr(), s.len());
                    // re-fill with a model byte so the contents check covers it
                    model.record(p, n, 1);
                } else {
                    let with_vec = a.allocated_bytes();
                    drop(v);
                    assert!(a.allocated_bytes() <= with_vec);
                }
            }
            Op::Enter => {
                let level = arena.allocated_bytes();
                let n = model.live.len();
                let limited = limit.is_some();
                arena.scope(|s| run_scope(s, &mut iter, &mut model, limited));
                model.live.truncate(n);
                assert_eq!(
                    arena.allocated_bytes(),
                    level,
                    "scope end restores the level"
                );
            }
            Op::Exit => {}
            Op::Checkpoint => cps.push((
                arena.checkpoint(),
                model.live.len(),
                arena.allocated_bytes(),
            )),
            Op::Rewind(i) => {
                if let Some(&(cp, n, level)) = cps.get(i) {
                    arena
                        .rewind(cp)
                        .expect("a checkpoint at or before the position is valid");
                    cps.truncate(i + 1);
                    model.live.truncate(n);
                    assert_eq!(arena.allocated_bytes(), level);
                } else if let Some(cp) = stale.pop() {
                    assert_eq!(arena.rewind(cp), Err(CheckpointError::Stale));
                    assert_eq!(arena.stats(), before, "a refused rewind changes nothing");
                }
            }
            Op::Reset | Op::ResetKeepAll | Op::Shrink => {
                match *op {
                    Op::Reset => {
                        arena.reset();
                        model.live.clear();
                        let s = arena.stats();
                        assert_eq!(s.allocated_bytes, 0);
                        assert!(s.chunk_count <= 1);
                    }
                    Op::ResetKeepAll => {
                        arena.reset_keep_all();
                        model.live.clear();
                        let s = arena.stats();
                        assert_eq!(s.allocated_bytes, 0);
                        assert_eq!(s.chunk_capacity, before.chunk_capacity);
                    }
                    _ => {
                        arena.shrink();
                        assert!(arena.stats().chunk_capacity <= before.chunk_capacity);
                        assert_eq!(arena.allocated_bytes(), before.allocated_bytes);
                    }
                }
                stale.extend(cps.drain(..).map(|(cp, _, _)| cp));
            }
            Op::SetLimit(l) => {
                limit = l;
                arena.set_allocation_limit(l);
            }
        }
        model.check(arena.allocated_bytes());
        assert!(arena.stats().high_water_mark >= model.high);
    }
}

fn policy() -> impl Strategy<Value = GrowthPolicy> {
    (
        prop_oneof![Just(64usize), Just(256), Just(4096)],
        1usize..4,
        prop_oneof![Just(4096usize), Just(65536)],
    )
        .prop_map(|(first, factor, max)| {
            GrowthPolicy::new()
                .first_chunk_size(first)
                .growth_factor(factor)
                .max_chunk_size(max)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: if cfg!(miri) { 8 } else { 256 }, ..ProptestConfig::default() })]
    #[test]
    fn programs_match_the_model(policy in policy(), ops in proptest::collection::vec(op(), 0..120)) {
        run(policy, &ops);
    }
}
