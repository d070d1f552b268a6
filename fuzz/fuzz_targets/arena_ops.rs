//! Operation programs on a `larder_arena::Arena` (allocations of many sizes and
//! alignments, growth of the last allocation through `ArenaVec` and the `Allocator` impl,
//! nested scopes, checkpoints, rewinds, resets, shrinks and limits), checked after every
//! step: every pointer aligned, no two live allocations overlapping, every live allocation
//! still holding what was written into it.
#![no_main]

use allocator_api2::alloc::{Allocator, Layout};
use arbitrary::Arbitrary;
use larder_arena::{Arena, ArenaError, Checkpoint, CheckpointError, GrowthPolicy, Scope};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Op {
    Alloc { size: u16, align_pow: u8 },
    Vec { len: u16, exact: bool, keep: bool },
    GrowLast { size: u8, extra: u16, align_pow: u8 },
    Enter,
    Exit,
    Checkpoint,
    Rewind(u8),
    Reset,
    ResetKeepAll,
    Shrink,
    SetLimit(Option<u32>),
}

#[derive(Debug, Arbitrary)]
struct Program {
    first: u16,
    factor: u8,
    max: u32,
    ops: Vec<Op>,
}

struct Live {
    ptr: *const u8,
    len: usize,
    fill: u8,
}

#[derive(Default)]
struct Model {
    live: Vec<Live>,
    fill: u8,
}

impl Model {
    fn record(&mut self, ptr: *mut u8, len: usize, align: usize) {
        assert_eq!(ptr as usize % align, 0, "misaligned");
        let (lo, hi) = (ptr as usize, ptr as usize + len);
        if len > 0 {
            for l in &self.live {
                let (a, b) = (l.ptr as usize, l.ptr as usize + l.len);
                assert!(l.len == 0 || hi <= a || b <= lo, "overlap");
            }
        }
        self.fill = self.fill.wrapping_add(1).max(1);
        // SAFETY: the arena just handed out `len` writable bytes at `ptr`.
        unsafe { ptr.write_bytes(self.fill, len) };
        self.live.push(Live {
            ptr,
            len,
            fill: self.fill,
        });
    }

    fn check(&self) {
        for l in &self.live {
            // SAFETY: the model keeps only allocations that are still live.
            let bytes = unsafe { std::slice::from_raw_parts(l.ptr, l.len) };
            assert!(bytes.iter().all(|&b| b == l.fill), "contents changed");
        }
    }
}

fn layout(size: usize, align_pow: u8) -> Layout {
    Layout::from_size_align(size, 1 << (align_pow % 13)).unwrap()
}

fn outcome(
    model: &mut Model,
    r: Result<std::ptr::NonNull<u8>, ArenaError>,
    l: Layout,
    limited: bool,
) {
    match r {
        Ok(p) => model.record(p.as_ptr(), l.size(), l.align()),
        Err(ArenaError::LimitExceeded { .. }) => assert!(limited),
        Err(e) => panic!("unexpected {e}"),
    }
}

fn scope_ops(
    s: &mut Scope<'_>,
    ops: &mut std::slice::Iter<'_, Op>,
    model: &mut Model,
    limited: bool,
) {
    while let Some(op) = ops.next() {
        match *op {
            Op::Alloc { size, align_pow } => {
                let l = layout(size as usize, align_pow);
                outcome(model, s.try_alloc_layout(l), l, limited);
            }
            Op::Vec { len, keep, .. } if !limited => {
                let mut v = s.vec::<u8>();
                for i in 0..len {
                    v.push(i as u8);
                }
                assert!(v.iter().enumerate().all(|(i, &b)| b == i as u8));
                if keep {
                    let slice = v.into_slice();
                    model.record(slice.as_mut_ptr(), slice.len(), 1);
                }
            }
            Op::Enter => {
                let level = s.allocated_bytes();
                let n = model.live.len();
                s.scope(|inner| scope_ops(inner, ops, model, limited));
                model.live.truncate(n);
                assert_eq!(s.allocated_bytes(), level);
            }
            Op::Exit => return,
            _ => {}
        }
        model.check();
    }
}

fuzz_target!(|p: Program| {
    let policy = GrowthPolicy::new()
        .first_chunk_size(p.first as usize)
        .growth_factor(p.factor as usize)
        .max_chunk_size(p.max as usize);
    let Ok(mut arena) = Arena::builder().growth(policy).build() else {
        assert!(policy.validate().is_err());
        return;
    };
    let mut model = Model::default();
    let mut cps: Vec<(Checkpoint, usize)> = Vec::new();
    let mut stale: Vec<Checkpoint> = Vec::new();
    let mut limited = false;
    let mut ops = p.ops.iter();
    while let Some(op) = ops.next() {
        let before = arena.stats();
        match *op {
            Op::Alloc { size, align_pow } => {
                let l = layout(size as usize, align_pow);
                let r = arena.try_alloc_layout(l);
                if r.is_err() {
                    assert_eq!(arena.stats(), before, "a failed allocation changes nothing");
                }
                outcome(&mut model, r, l, limited);
            }
            Op::Vec { len, exact, keep } if !limited => {
                let a = &arena;
                let mut v = a.vec::<u16>();
                for i in 0..len {
                    if exact {
                        v.reserve_exact(1);
                    }
                    v.push(i);
                }
                assert!(v.iter().enumerate().all(|(i, &b)| b == i as u16));
                if keep {
                    let slice = v.into_slice();
                    model.record(slice.as_mut_ptr().cast(), slice.len() * 2, 2);
                }
            }
            Op::GrowLast {
                size,
                extra,
                align_pow,
            } if !limited => {
                let a = &arena;
                let old = layout(size as usize + 1, align_pow);
                let new = layout(old.size() + extra as usize, align_pow);
                let block = a.allocate(old).unwrap().cast::<u8>();
                // SAFETY: `block` is a live block of `old`; `new` is at least as large.
                unsafe {
                    block.as_ptr().write_bytes(0x5A, old.size());
                    let grown = a.grow(block, old, new).unwrap().cast::<u8>();
                    let bytes = std::slice::from_raw_parts(grown.as_ptr(), old.size());
                    assert!(bytes.iter().all(|&b| b == 0x5A));
                    model.record(grown.as_ptr(), new.size(), new.align());
                }
            }
            Op::Enter => {
                let level = arena.allocated_bytes();
                let n = model.live.len();
                arena.scope(|s| scope_ops(s, &mut ops, &mut model, limited));
                model.live.truncate(n);
                assert_eq!(arena.allocated_bytes(), level);
            }
            Op::Checkpoint => cps.push((arena.checkpoint(), model.live.len())),
            Op::Rewind(i) => {
                if let Some(&(cp, n)) = cps.get(i as usize) {
                    arena.rewind(cp).unwrap();
                    cps.truncate(i as usize + 1);
                    model.live.truncate(n);
                } else if let Some(cp) = stale.pop() {
                    assert_eq!(arena.rewind(cp), Err(CheckpointError::Stale));
                }
            }
            Op::Reset => {
                arena.reset();
                model.live.clear();
                stale.extend(cps.drain(..).map(|c| c.0));
            }
            Op::ResetKeepAll => {
                arena.reset_keep_all();
                model.live.clear();
                stale.extend(cps.drain(..).map(|c| c.0));
            }
            Op::Shrink => {
                arena.shrink();
                stale.extend(cps.drain(..).map(|c| c.0));
            }
            Op::SetLimit(l) => {
                limited = l.is_some();
                arena.set_allocation_limit(l.map(|l| l as usize));
            }
            _ => {}
        }
        model.check();
    }
});
