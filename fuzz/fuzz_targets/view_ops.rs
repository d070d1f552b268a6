//! Operation programs on `ByteView`, `LocalView` and `StrView`, checked against `Vec<u8>`
//! (and `String`) as the model after every step; the owner must be dropped exactly once.
#![no_main]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arbitrary::Arbitrary;
use larder_view::{ByteView, LocalView, StrView, ViewChain, ViewOwner, ViewStorage};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Op {
    Clone(u8),
    Slice(u8, u16, u16),
    SplitTo(u8, u16),
    SplitOff(u8, u16),
    Truncate(u8, u16),
    Advance(u8, u16),
    SliceRef(u8, u16, u16),
    Drop(u8),
    ToLocal(u8),
    ToBytes(u8),
    Str(u8, u16, u16),
    Chain(u8, u16),
}

#[derive(Debug, Arbitrary)]
struct Program {
    data: Vec<u8>,
    from_storage: bool,
    ops: Vec<Op>,
}

struct Counted(Vec<u8>, Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.1.fetch_add(1, Ordering::SeqCst);
    }
}

impl ViewOwner for Counted {
    fn bytes(&self) -> &[u8] {
        &self.0
    }
}

fn range_ok(a: usize, b: usize, len: usize) -> bool {
    a <= b && b <= len
}

fuzz_target!(|p: Program| {
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Counted(p.data.clone(), drops.clone());
    let first = if p.from_storage {
        ByteView::from_storage(ViewStorage::new(owner))
    } else {
        // `from_owner` wraps the owner: still dropped exactly once.
        struct Wrap(Counted);
        impl AsRef<[u8]> for Wrap {
            fn as_ref(&self) -> &[u8] {
                &self.0.0
            }
        }
        ByteView::from_owner(Wrap(owner))
    };
    let mut slots: Vec<(ByteView, Vec<u8>)> = vec![(first, p.data.clone())];
    let mut locals: Vec<(LocalView, Vec<u8>)> = Vec::new();
    for op in p.ops.into_iter().take(256) {
        if slots.is_empty() {
            break;
        }
        let n = slots.len();
        match op {
            Op::Clone(i) => {
                let (v, m) = &slots[i as usize % n];
                let pair = (v.clone(), m.clone());
                slots.push(pair);
            }
            Op::Slice(i, a, b) => {
                let (v, m) = &slots[i as usize % n];
                let (a, b) = (a as usize, b as usize);
                match v.try_slice(a..b) {
                    Ok(s) => {
                        assert!(range_ok(a, b, m.len()));
                        let pair = (s, m[a..b].to_vec());
                        slots.push(pair);
                    }
                    Err(_) => assert!(!range_ok(a, b, m.len())),
                }
            }
            Op::SplitTo(i, at) => {
                let (v, m) = &mut slots[i as usize % n];
                let at = at as usize;
                match v.try_split_to(at) {
                    Ok(h) => {
                        let mh: Vec<u8> = m.drain(..at).collect();
                        slots.push((h, mh));
                    }
                    Err(_) => assert!(at > m.len()),
                }
            }
            Op::SplitOff(i, at) => {
                let (v, m) = &mut slots[i as usize % n];
                let at = at as usize;
                match v.try_split_off(at) {
                    Ok(t) => {
                        let mt = m.split_off(at);
                        slots.push((t, mt));
                    }
                    Err(_) => assert!(at > m.len()),
                }
            }
            Op::Truncate(i, len) => {
                let (v, m) = &mut slots[i as usize % n];
                v.truncate(len as usize);
                m.truncate(len as usize);
            }
            Op::Advance(i, k) => {
                let (v, m) = &mut slots[i as usize % n];
                let k = k as usize;
                match v.try_advance(k) {
                    Ok(()) => {
                        m.drain(..k);
                    }
                    Err(_) => assert!(k > m.len()),
                }
            }
            Op::SliceRef(i, a, b) => {
                let (v, m) = &slots[i as usize % n];
                let (a, b) = (a as usize, b as usize);
                if range_ok(a, b, m.len()) {
                    let s = v.try_slice_ref(&v[a..b]).expect("a subslice is inside");
                    let pair = (s, m[a..b].to_vec());
                    slots.push(pair);
                }
            }
            Op::Drop(i) => {
                slots.swap_remove(i as usize % n);
            }
            Op::ToLocal(i) => {
                let (v, m) = &slots[i as usize % n];
                let l = LocalView::from(v.clone());
                let c = l.slice(..);
                drop(l);
                locals.push((c, m.clone()));
            }
            Op::ToBytes(i) => {
                let (v, m) = &slots[i as usize % n];
                let b = bytes::Bytes::from(v.clone());
                assert_eq!(&b[..], &m[..]);
                let back = ByteView::from(b);
                let pair = (back, m.clone());
                slots.push(pair);
            }
            Op::Str(i, a, b) => {
                let (v, m) = &slots[i as usize % n];
                match (StrView::from_utf8(v.clone()), std::str::from_utf8(m)) {
                    (Ok(s), Ok(ms)) => {
                        let (a, b) = (a as usize, b as usize);
                        let want = if a <= b { ms.get(a..b) } else { None };
                        match (s.try_slice(a..b), want) {
                            (Ok(x), Some(w)) => assert_eq!(&*x, w),
                            (Err(_), None) => {}
                            (got, want) => panic!("{got:?} vs {want:?}"),
                        }
                    }
                    (Err(e), Err(me)) => assert_eq!(e.utf8_error(), me),
                    (got, want) => panic!("{got:?} vs {want:?}"),
                }
            }
            Op::Chain(i, k) => {
                let mut chain: ViewChain = slots.iter().map(|(v, _)| v.clone()).collect();
                let model: Vec<u8> = slots.iter().flat_map(|(_, m)| m.iter().copied()).collect();
                assert_eq!(chain.len(), model.len());
                let k = (k as usize).min(model.len());
                chain.advance(k);
                assert_eq!(chain.to_vec(), model[k..]);
                let _ = i;
            }
        }
        for (v, m) in &slots {
            assert_eq!(&v[..], &m[..]);
        }
        for (v, m) in &locals {
            assert_eq!(&v[..], &m[..]);
        }
    }
    drop(slots);
    drop(locals);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
});
