//! Proof that clone, slice, split, advance, drop and freezing a `ViewStorage` allocate
//! nothing, counted by `CountingAlloc` for this thread only.
#![cfg(not(larder_loom))]

use std::cell::RefCell;

use larder_core::CountingAlloc;
use larder_view::{ByteView, LocalView, Reader, StrView, ViewOwner, ViewStorage};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

#[test]
fn byte_view_operations_allocate_nothing() {
    let base = ByteView::from(vec![7u8; 4096]);
    let ((), delta) = CountingAlloc::measure(|| {
        for i in 0..1000usize {
            let c = base.clone();
            let s = c.slice(i % 100..i % 100 + 200);
            let mut t = s.clone();
            let head = t.split_to(10);
            let tail = t.split_off(50);
            t.advance(5);
            t.truncate(20);
            assert_eq!(head.len() + tail.len() + t.len(), 10 + 140 + 20);
            let r = c.try_slice_ref(&s[3..9]).unwrap();
            assert_eq!(r.len(), 6);
            assert!(c.try_slice(..5000).is_err());
        }
    });
    assert!(delta.is_zero(), "{delta:?}");
}

#[test]
fn local_view_and_str_view_operations_allocate_nothing() {
    let local = LocalView::from(vec![1u8; 256]);
    let text = StrView::from(String::from("héllo wörld"));
    let ((), delta) = CountingAlloc::measure(|| {
        for _ in 0..1000 {
            let mut l = local.clone();
            let h = l.split_to(16);
            drop(l.slice(3..));
            drop(h);
            let mut t = text.clone();
            let w = t.split_to(6);
            assert_eq!(&*w, "héllo");
            assert!(t.try_slice(2..3).is_err());
        }
    });
    assert!(delta.is_zero(), "{delta:?}");
}

#[test]
fn reader_allocates_nothing() {
    let data = ByteView::from(vec![3u8, b'a', b'b', b'c', 0xac, 0x02, 0, 0, 0, 1]);
    let ((), delta) = CountingAlloc::measure(|| {
        for _ in 0..1000 {
            let mut r = Reader::new(&data);
            let name = r.read_prefixed(larder_view::LengthPrefix::U8).unwrap();
            assert_eq!(name.len(), 3);
            assert_eq!(r.read_uleb128_u64().unwrap(), 300);
            assert_eq!(r.read_u32_be().unwrap(), 1);
            assert!(r.read_u8().is_err());
        }
    });
    assert!(delta.is_zero(), "{delta:?}");
}

thread_local! {
    static SPARE: RefCell<Vec<ViewStorage<Pooled>>> = const { RefCell::new(Vec::new()) };
}

struct Pooled(Vec<u8>);

impl ViewOwner for Pooled {
    fn bytes(&self) -> &[u8] {
        &self.0
    }
    fn reclaim(storage: ViewStorage<Self>) {
        SPARE.with(|s| s.borrow_mut().push(storage));
    }
}

#[test]
fn freezing_pooled_storage_allocates_nothing() {
    SPARE.with(|s| s.borrow_mut().reserve(4));
    let mut storage = ViewStorage::new(Pooled(Vec::with_capacity(1024)));
    storage.0.extend_from_slice(b"warm");
    drop(ByteView::from_storage(storage));
    let ((), delta) = CountingAlloc::measure(|| {
        for round in 0..1000u32 {
            let mut storage = SPARE.with(|s| s.borrow_mut().pop()).expect("reclaimed");
            storage.0.clear();
            storage.0.extend_from_slice(&round.to_le_bytes());
            let view = ByteView::from_storage(storage);
            let copy = view.clone();
            let part = copy.slice(1..);
            drop(view);
            drop(copy);
            assert_eq!(part, round.to_le_bytes()[1..]);
            drop(part); // the last view: back to SPARE
        }
    });
    assert!(delta.is_zero(), "{delta:?}");
    assert_eq!(SPARE.with(|s| s.borrow().len()), 1);
}

#[test]
fn construction_allocates_at_most_once() {
    let v = vec![1u8; 100];
    let (view, delta) = CountingAlloc::measure(|| ByteView::from(v));
    assert_eq!(delta.allocations, 1, "{delta:?}");
    let (s, delta) = CountingAlloc::measure(|| ByteView::from_static(b"static"));
    assert!(delta.is_zero());
    let (o, delta) = CountingAlloc::measure(|| ByteView::from_owner([0u8; 16]));
    assert_eq!(delta.allocations, 1);
    drop((view, s, o));
}
