//! Operation programs on `ByteView`, `LocalView`, `StrView` and `ViewChain`, checked against
//! `Vec<u8>` (or `String`) as the model after every step.
#![cfg(all(not(larder_loom), feature = "std", feature = "bytes"))]

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use larder_view::{ByteView, LocalView, RangeError, StrView, ViewChain, ViewOwner, ViewStorage};
use proptest::prelude::*;

/// An owner that counts how often it is dropped.
struct Counted {
    bytes: Vec<u8>,
    drops: Arc<AtomicUsize>,
}

impl AsRef<[u8]> for Counted {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

impl ViewOwner for Counted {
    fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

#[derive(Debug, Clone)]
enum Op {
    Clone(usize),
    Slice(usize, usize, usize),
    SliceInclusive(usize, usize, usize),
    SplitTo(usize, usize),
    SplitOff(usize, usize),
    Truncate(usize, usize),
    Advance(usize, usize),
    Clear(usize),
    SliceRef(usize, usize, usize),
    Drop(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let i = any::<usize>();
    let n = 0usize..80;
    prop_oneof![
        i.prop_map(Op::Clone),
        (i, n.clone(), n.clone()).prop_map(|(i, a, b)| Op::Slice(i, a, b)),
        (i, n.clone(), n.clone()).prop_map(|(i, a, b)| Op::SliceInclusive(i, a, b)),
        (i, n.clone()).prop_map(|(i, a)| Op::SplitTo(i, a)),
        (i, n.clone()).prop_map(|(i, a)| Op::SplitOff(i, a)),
        (i, n.clone()).prop_map(|(i, a)| Op::Truncate(i, a)),
        (i, n.clone()).prop_map(|(i, a)| Op::Advance(i, a)),
        i.prop_map(Op::Clear),
        (i, n.clone(), n).prop_map(|(i, a, b)| Op::SliceRef(i, a, b)),
        i.prop_map(Op::Drop),
    ]
}

/// What the model says a range check gives.
fn model_range(start: usize, end: usize, len: usize) -> Result<(usize, usize), RangeError> {
    if start > end {
        Err(RangeError::StartAfterEnd { start, end })
    } else if end > len {
        Err(RangeError::OutOfBounds { index: end, len })
    } else {
        Ok((start, end))
    }
}

fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// Runs `ops` on views of `data` (both types share the API, so a macro writes the runner).
macro_rules! run_program {
    ($View:ty, $first:expr, $data:expr, $ops:expr) => {{
        let data: Vec<u8> = $data;
        let mut slots: Vec<($View, Vec<u8>)> = vec![($first, data.clone())];
        for op in $ops {
            if slots.is_empty() {
                break;
            }
            let n = slots.len();
            match op {
                Op::Clone(i) => {
                    let (v, m) = &slots[i % n];
                    let pair = (v.clone(), m.clone());
                    slots.push(pair);
                }
                Op::Slice(i, a, b) => {
                    let (v, m) = &slots[i % n];
                    match (v.try_slice(a..b), model_range(a, b, m.len())) {
                        (Ok(s), Ok((a, b))) => {
                            let pair = (s, m[a..b].to_vec());
                            slots.push(pair);
                        }
                        (Err(e), Err(me)) => assert_eq!(e, me),
                        (got, want) => panic!("slice {a}..{b}: {got:?} vs {want:?}"),
                    }
                }
                Op::SliceInclusive(i, a, b) => {
                    let (v, m) = &slots[i % n];
                    match (v.try_slice(a..=b), model_range(a, b + 1, m.len())) {
                        (Ok(s), Ok((a, b))) => {
                            let pair = (s, m[a..b].to_vec());
                            slots.push(pair);
                        }
                        (Err(e), Err(me)) => assert_eq!(e, me),
                        (got, want) => panic!("slice {a}..={b}: {got:?} vs {want:?}"),
                    }
                }
                Op::SplitTo(i, at) => {
                    let (v, m) = &mut slots[i % n];
                    if at <= m.len() {
                        let head = v.split_to(at);
                        let mhead: Vec<u8> = m.drain(..at).collect();
                        slots.push((head, mhead));
                    } else {
                        assert_eq!(
                            v.try_split_to(at).unwrap_err(),
                            RangeError::OutOfBounds {
                                index: at,
                                len: m.len()
                            }
                        );
                    }
                }
                Op::SplitOff(i, at) => {
                    let (v, m) = &mut slots[i % n];
                    if at <= m.len() {
                        let tail = v.split_off(at);
                        let mtail = m.split_off(at);
                        slots.push((tail, mtail));
                    } else {
                        assert!(v.try_split_off(at).is_err());
                    }
                }
                Op::Truncate(i, len) => {
                    let (v, m) = &mut slots[i % n];
                    v.truncate(len);
                    m.truncate(len);
                }
                Op::Advance(i, k) => {
                    let (v, m) = &mut slots[i % n];
                    if k <= m.len() {
                        v.advance(k);
                        m.drain(..k);
                    } else {
                        assert!(v.try_advance(k).is_err());
                    }
                }
                Op::Clear(i) => {
                    let (v, m) = &mut slots[i % n];
                    v.clear();
                    m.clear();
                }
                Op::SliceRef(i, a, b) => {
                    let (v, m) = &slots[i % n];
                    let outside = [1u8, 2, 3];
                    assert!(v.try_slice_ref(&outside).is_err());
                    if let Ok((a, b)) = model_range(a, b, m.len()) {
                        let s = v.try_slice_ref(&v[a..b]).unwrap();
                        let pair = (s, m[a..b].to_vec());
                        slots.push(pair);
                    }
                }
                Op::Drop(i) => {
                    slots.swap_remove(i % n);
                }
            }
            for (v, m) in &slots {
                assert_eq!(&v[..], &m[..]);
                assert_eq!(v.len(), m.len());
                assert_eq!(v.is_empty(), m.is_empty());
                assert_eq!(v.to_vec(), *m);
            }
            if slots.len() >= 2 {
                let (a, ma) = &slots[0];
                let (b, mb) = &slots[slots.len() - 1];
                assert_eq!(a == b, ma == mb);
                assert_eq!(a.cmp(b), ma.cmp(mb));
                assert_eq!(hash_of(a), hash_of(&ma[..]));
            }
        }
        drop(slots);
    }};
}

/// `'static` bytes for the `from_static` case (a leak would trip LeakSanitizer).
static STATIC_BYTES: [u8; 64] = {
    let mut a = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        a[i] = (i as u8).wrapping_mul(37);
        i += 1;
    }
    a
};

/// A view made one of seven ways; the `'static` way views `STATIC_BYTES` instead of `data`,
/// so the model's bytes are returned too.
fn byte_view_from(kind: u8, data: &[u8], drops: &Arc<AtomicUsize>) -> (ByteView, Vec<u8>) {
    if kind % 7 == 2 {
        let s = &STATIC_BYTES[..data.len().min(64)];
        return (ByteView::from_static(s), s.to_vec());
    }
    let view = match kind % 7 {
        0 => ByteView::from(data.to_vec()),
        1 => ByteView::from(data.to_vec().into_boxed_slice()),
        3 => ByteView::from_owner(Counted {
            bytes: data.to_vec(),
            drops: drops.clone(),
        }),
        4 => ByteView::from_storage(ViewStorage::new(Counted {
            bytes: data.to_vec(),
            drops: drops.clone(),
        })),
        5 => ByteView::from(bytes::Bytes::from(data.to_vec())),
        _ => {
            // Through bytes::Bytes and back: still the same bytes.
            let b = bytes::Bytes::from(ByteView::from(data.to_vec()));
            ByteView::from(b)
        }
    };
    (view, data.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 512 }))]

    #[test]
    fn byte_view_matches_vec(
        kind in any::<u8>(),
        data in proptest::collection::vec(any::<u8>(), 0..64),
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        let drops = Arc::new(AtomicUsize::new(0));
        let (first, data) = byte_view_from(kind, &data, &drops);
        run_program!(ByteView, first, data, ops);
        // The counted owners are dropped exactly once, after the last view.
        let expected = usize::from(kind % 7 == 3 || kind % 7 == 4);
        prop_assert_eq!(drops.load(Ordering::SeqCst), expected);
    }

    #[test]
    fn local_view_matches_vec(
        kind in any::<u8>(),
        mut data in proptest::collection::vec(any::<u8>(), 0..64),
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        let drops = Arc::new(AtomicUsize::new(0));
        let first = match kind % 4 {
            0 => LocalView::from(data.clone()),
            1 => LocalView::from_owner(std::rc::Rc::<[u8]>::from(&data[..])),
            2 => {
                let (view, model) = byte_view_from(kind / 4, &data, &drops);
                data = model;
                LocalView::from(view)
            }
            _ => LocalView::from_owner(Counted { bytes: data.clone(), drops: drops.clone() }),
        };
        let counted = kind % 4 == 3 || (kind % 4 == 2 && matches!((kind / 4) % 7, 3 | 4));
        run_program!(LocalView, first, data, ops);
        prop_assert_eq!(drops.load(Ordering::SeqCst), usize::from(counted));
    }

    #[test]
    fn debug_is_a_byte_string_literal(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        let s = format!("{:?}", ByteView::from(data.clone()));
        // The literal parses back to the same bytes.
        prop_assert!(s.starts_with("b\"") && s.ends_with('"'));
        let mut out = Vec::new();
        let inner = &s.as_bytes()[2..s.len() - 1];
        let mut i = 0;
        while i < inner.len() {
            if inner[i] == b'\\' {
                match inner[i + 1] {
                    b'n' => { out.push(b'\n'); i += 2 }
                    b'r' => { out.push(b'\r'); i += 2 }
                    b't' => { out.push(b'\t'); i += 2 }
                    b'0' => { out.push(0); i += 2 }
                    b'\\' => { out.push(b'\\'); i += 2 }
                    b'"' => { out.push(b'"'); i += 2 }
                    b'x' => {
                        let h = std::str::from_utf8(&inner[i + 2..i + 4]).unwrap();
                        out.push(u8::from_str_radix(h, 16).unwrap());
                        i += 4;
                    }
                    c => panic!("unexpected escape {c}"),
                }
            } else {
                prop_assert!((0x20..0x7f).contains(&inner[i]) && inner[i] != b'"');
                out.push(inner[i]);
                i += 1;
            }
        }
        prop_assert_eq!(out, data.clone());
        prop_assert_eq!(format!("{:?}", LocalView::from(data)), s);
    }

    #[test]
    fn str_view_matches_string(
        text in "[a-zé€😀 ]{0,24}",
        ops in proptest::collection::vec((0u8..4, 0usize..64, 0usize..64), 0..24),
    ) {
        let mut slots = vec![(StrView::from(text.clone()), text.clone())];
        for (kind, a, b) in ops {
            let i = a % slots.len();
            let (s, m) = &mut slots[i];
            match kind {
                0 => {
                    let want = if a > b || b > m.len() {
                        None
                    } else {
                        m.get(a..b).map(str::to_owned)
                    };
                    match (s.try_slice(a..b), want) {
                        (Ok(v), Some(w)) => {
                            prop_assert_eq!(&*v, &w[..]);
                            slots.push((v, w));
                        }
                        (Err(_), None) => {}
                        (got, want) => panic!("{got:?} vs {want:?}"),
                    }
                }
                1 => {
                    if m.is_char_boundary(b) && b <= m.len() {
                        let head = s.split_to(b);
                        let mhead: String = m.drain(..b).collect();
                        slots.push((head, mhead));
                    } else {
                        prop_assert!(s.try_split_to(b).is_err());
                    }
                }
                2 => {
                    if m.is_char_boundary(b) && b <= m.len() {
                        let tail = s.split_off(b);
                        let mtail = m.split_off(b);
                        slots.push((tail, mtail));
                    } else {
                        prop_assert!(s.try_split_off(b).is_err());
                    }
                }
                _ => {
                    let c = s.clone();
                    let mc = m.clone();
                    slots.push((c, mc));
                }
            }
            for (s, m) in &slots {
                prop_assert_eq!(s.as_str(), m.as_str());
                prop_assert_eq!(hash_of(s), hash_of(m.as_str()));
            }
        }
    }

    #[test]
    fn chain_matches_concatenation(
        parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..16), 0..12),
        steps in proptest::collection::vec(0usize..40, 0..8),
    ) {
        let mut chain: ViewChain = parts.iter().cloned().map(ByteView::from).collect();
        let mut model: Vec<u8> = parts.concat();
        prop_assert_eq!(chain.view_count(), parts.iter().filter(|p| !p.is_empty()).count());
        for n in steps {
            prop_assert_eq!(chain.len(), model.len());
            prop_assert_eq!(chain.to_vec(), model.clone());
            if n <= model.len() {
                chain.advance(n);
                model.drain(..n);
            } else {
                prop_assert!(chain.try_advance(n).is_err());
            }
        }
        let mut out = Vec::new();
        chain.write_all_to(&mut out).unwrap();
        prop_assert_eq!(out, model);
        prop_assert!(chain.is_empty());
    }

    #[test]
    fn chain_as_buf_matches_concatenation(
        parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..16), 0..12),
        take in 0usize..64,
    ) {
        use bytes::Buf;
        let mut chain: ViewChain = parts.iter().cloned().map(ByteView::from).collect();
        let model = parts.concat();
        let mut slices = [std::io::IoSlice::new(&[]); 4];
        let n = chain.chunks_vectored(&mut slices);
        let nonempty: Vec<&Vec<u8>> = parts.iter().filter(|p| !p.is_empty()).collect();
        prop_assert_eq!(n, nonempty.len().min(4));
        for (s, p) in slices[..n].iter().zip(&nonempty) {
            prop_assert_eq!(&s[..], &p[..]);
        }
        let take = take.min(model.len());
        let got = chain.copy_to_bytes(take);
        prop_assert_eq!(&got[..], &model[..take]);
        prop_assert_eq!(chain.remaining(), model.len() - take);
        if chain.has_remaining() {
            prop_assert!(!chain.chunk().is_empty());
        }
    }
}

/// A writer that takes at most 3 bytes per call and is sometimes interrupted.
struct Trickle {
    out: Vec<u8>,
    calls: usize,
}

impl std::io::Write for Trickle {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.calls += 1;
        if self.calls % 3 == 0 {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let n = buf.len().min(3);
        self.out.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn chain_survives_short_and_interrupted_writes() {
    let mut chain: ViewChain = ["hello", ", ", "", "world", "!"]
        .into_iter()
        .map(ByteView::from)
        .collect();
    let mut w = Trickle {
        out: Vec::new(),
        calls: 0,
    };
    chain.write_all_to(&mut w).unwrap();
    assert_eq!(w.out, b"hello, world!");
}

#[test]
fn chain_write_zero_is_an_error() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Ok(0)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut chain: ViewChain = ["x"].into_iter().map(ByteView::from).collect();
    let err = chain.write_all_to(&mut Full).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::WriteZero);
    assert_eq!(chain.len(), 1);
}

#[test]
fn chain_writes_more_views_than_io_slices() {
    let parts: Vec<ByteView> = (0..200u8).map(|i| ByteView::from(vec![i])).collect();
    let mut chain: ViewChain = parts.into_iter().collect();
    let mut out = Vec::new();
    chain.write_all_to(&mut out).unwrap();
    assert_eq!(out, (0..200u8).collect::<Vec<_>>());
}

#[test]
fn panics_carry_std_like_messages() {
    let v = ByteView::from_static(b"abc");
    let msg = std::panic::catch_unwind(|| v.slice(2..9))
        .unwrap_err()
        .downcast::<String>()
        .unwrap();
    assert_eq!(*msg, "range end index 9 out of range for view of length 3");
    #[allow(clippy::reversed_empty_ranges)]
    let msg = std::panic::catch_unwind(|| v.slice(2..1))
        .unwrap_err()
        .downcast::<String>()
        .unwrap();
    assert_eq!(*msg, "view index starts at 2 but ends at 1");
    let err = v.try_slice(..=usize::MAX).unwrap_err();
    assert_eq!(
        err,
        RangeError::OutOfBounds {
            index: usize::MAX,
            len: 3
        }
    );
    let err = v
        .try_slice((
            std::ops::Bound::Excluded(usize::MAX),
            std::ops::Bound::Unbounded,
        ))
        .unwrap_err();
    assert_eq!(
        err,
        RangeError::OutOfBounds {
            index: usize::MAX,
            len: 3
        }
    );
}

/// A panicking `bytes()` must not leak or double-free the block.
#[test]
fn panicking_owner_releases_its_block() {
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Bad;
    impl Drop for Bad {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }
    impl ViewOwner for Bad {
        fn bytes(&self) -> &[u8] {
            panic!("no bytes today")
        }
    }
    let r = std::panic::catch_unwind(|| ByteView::from_storage(ViewStorage::new(Bad)));
    assert!(r.is_err());
    assert_eq!(DROPS.load(Ordering::SeqCst), 1);

    struct BadRef;
    impl AsRef<[u8]> for BadRef {
        fn as_ref(&self) -> &[u8] {
            panic!("no bytes")
        }
    }
    assert!(std::panic::catch_unwind(|| LocalView::from_owner(BadRef)).is_err());
}

#[test]
fn bytes_round_trip_shares_memory() {
    let view = ByteView::from(vec![1u8, 2, 3, 4]);
    let b = bytes::Bytes::from(view.slice(1..));
    assert_eq!(b.as_ptr(), view[1..].as_ptr());
    let back = ByteView::from(b.clone());
    assert_eq!(back.as_ptr(), b.as_ptr());
    assert_eq!(bytes::Bytes::from(ByteView::new()), bytes::Bytes::new());
}

#[test]
fn byte_view_is_a_buf() {
    use bytes::Buf;
    let mut v = ByteView::from(vec![0, 1, 0, 0, 0, 2, b'x', b'y']);
    assert_eq!(v.get_u16(), 1);
    assert_eq!(v.get_u32(), 2);
    let rest = v.copy_to_bytes(2);
    assert_eq!(&rest[..], b"xy");
    assert!(!v.has_remaining());
}

#[test]
fn reclaimed_storage_can_be_frozen_again() {
    use std::sync::Mutex;
    static SPARE: Mutex<Vec<ViewStorage<Pooled>>> = Mutex::new(Vec::new());
    struct Pooled(Vec<u8>);
    impl ViewOwner for Pooled {
        fn bytes(&self) -> &[u8] {
            &self.0
        }
        fn reclaim(storage: ViewStorage<Self>) {
            SPARE.lock().unwrap().push(storage);
        }
    }
    let mut storage = ViewStorage::new(Pooled(Vec::new()));
    for round in 0..100u8 {
        storage.0.clear();
        storage.0.extend_from_slice(&[round; 10]);
        let v = ByteView::from_storage(storage);
        let parts: Vec<ByteView> = (0..4).map(|i| v.slice(i..i + 3)).collect();
        assert!(parts.iter().all(|p| *p == [round; 3]));
        let handle = std::thread::spawn(move || drop(parts));
        drop(v);
        handle.join().unwrap();
        storage = SPARE.lock().unwrap().pop().expect("reclaimed once");
        assert!(SPARE.lock().unwrap().is_empty());
    }
    assert_eq!(storage.into_owner().0, [99; 10]);
}

#[test]
fn views_cross_threads() {
    let v = ByteView::from((0..=255u8).collect::<Vec<_>>());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let v = v.clone();
            std::thread::spawn(move || {
                for i in 0..1000usize {
                    let s = v.slice((i + t) % 200..);
                    assert_eq!(s[0] as usize, (i + t) % 200);
                }
            })
        })
        .collect();
    drop(v);
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn thread_safety_of_the_public_types() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<ByteView>();
    send_sync::<StrView>();
    send_sync::<ViewChain>();
    send_sync::<ViewStorage<Counted>>();
    send_sync::<larder_view::Reader<'static, &'static ByteView>>();
    send_sync::<larder_view::Reader<'static, &'static [u8]>>();
    send_sync::<RangeError>();
    send_sync::<larder_view::ReadError>();
}
