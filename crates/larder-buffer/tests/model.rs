//! Operation programs against a model: every buffer's contents match a `Vec<u8>`, every
//! capacity is a class size (or a counted heap buffer), and the books balance.
#![cfg(not(larder_loom))]

use larder_buffer::{BufferError, BufferPool, LargeRequests, PooledBuf};
use larder_view::ByteView;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Get(usize),
    Write(usize, Vec<u8>),
    Resize(usize, usize, u8),
    Truncate(usize, usize),
    Reserve(usize, usize),
    Freeze(usize),
    Slice(usize, usize, usize),
    DropBuf(usize),
    DropView(usize),
    Trim,
    Tick,
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        4 => 0usize..300,
        2 => 300usize..5000,
        1 => Just(4096usize),
        1 => 5000usize..20_000,
        1 => prop_oneof![Just(usize::MAX), Just(isize::MAX as usize), Just(usize::MAX / 2)],
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => size().prop_map(Op::Get),
        4 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 0..700))
            .prop_map(|(i, b)| Op::Write(i, b)),
        1 => (any::<usize>(), 0usize..9000, any::<u8>()).prop_map(|(i, n, v)| Op::Resize(i, n, v)),
        1 => (any::<usize>(), 0usize..500).prop_map(|(i, n)| Op::Truncate(i, n)),
        1 => (any::<usize>(), size()).prop_map(|(i, n)| Op::Reserve(i, n)),
        2 => any::<usize>().prop_map(Op::Freeze),
        2 => (any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(i, a, b)| Op::Slice(i, a, b)),
        2 => any::<usize>().prop_map(Op::DropBuf),
        2 => any::<usize>().prop_map(Op::DropView),
        1 => Just(Op::Trim),
        1 => Just(Op::Tick),
    ]
}

const CAP: usize = 64 * 1024;
const CLASSES: &[usize] = &[16, 256, 4096, 8192];

fn run(ops: Vec<Op>, refuse: bool, zero: bool) {
    let large = if refuse {
        LargeRequests::Refuse
    } else {
        LargeRequests::Heap
    };
    let pool = BufferPool::builder()
        .size_classes(CLASSES)
        .max_retained_bytes(CAP)
        .zero_on_return(zero)
        .large_requests(large)
        .build()
        .unwrap();
    let mut bufs: Vec<(PooledBuf<'_>, Vec<u8>)> = Vec::new();
    let mut views: Vec<(ByteView, Vec<u8>)> = Vec::new();
    let mut heap_expected = 0u64;
    for op in ops {
        match op {
            Op::Get(n) => match pool.try_get(n) {
                Ok(b) => {
                    assert!(b.capacity() >= n);
                    assert!(b.is_empty());
                    match CLASSES.iter().find(|&&c| c >= n) {
                        Some(&c) => assert_eq!(b.capacity(), c),
                        None => {
                            assert!(!b.is_pooled());
                            heap_expected += 1;
                        }
                    }
                    bufs.push((b, Vec::new()));
                }
                Err(BufferError::CapacityOverflow) => assert!(n > isize::MAX as usize),
                Err(BufferError::OutOfMemory { requested }) => {
                    assert_eq!(requested, n);
                    assert!(n > 1 << 40, "only absurd requests may fail");
                }
                Err(BufferError::TooLarge { requested, largest }) => {
                    assert!(refuse);
                    assert_eq!((requested, largest), (n, 8192));
                }
                Err(e) => panic!("unexpected {e}"),
            },
            Op::Write(i, bytes) if !bufs.is_empty() => {
                let (b, m) = {
                    let k = i % bufs.len();
                    &mut bufs[k]
                };
                let would_need = b.len() + bytes.len();
                if refuse && would_need > 8192 {
                    assert!(b.try_reserve(bytes.len()).is_err());
                } else {
                    let before = pool.stats().heap_fallbacks;
                    b.extend_from_slice(&bytes);
                    m.extend_from_slice(&bytes);
                    heap_expected += pool.stats().heap_fallbacks - before;
                }
            }
            Op::Resize(i, n, v) if !bufs.is_empty() => {
                let k = i % bufs.len();
                let (b, m) = &mut bufs[k];
                if refuse && n > 8192 {
                    continue;
                }
                let before = pool.stats().heap_fallbacks;
                b.resize(n, v);
                m.resize(n, v);
                heap_expected += pool.stats().heap_fallbacks - before;
            }
            Op::Truncate(i, n) if !bufs.is_empty() => {
                let k = i % bufs.len();
                bufs[k].0.truncate(n);
                bufs[k].1.truncate(n);
            }
            Op::Reserve(i, n) if !bufs.is_empty() => {
                let k = i % bufs.len();
                let (b, _) = &mut bufs[k];
                let before = pool.stats().heap_fallbacks;
                match b.try_reserve(n) {
                    Ok(()) => assert!(b.capacity() - b.len() >= n),
                    Err(BufferError::CapacityOverflow) => {
                        assert!(
                            b.len()
                                .checked_add(n)
                                .is_none_or(|t| t > isize::MAX as usize)
                        )
                    }
                    Err(BufferError::TooLarge { .. }) => assert!(refuse),
                    Err(BufferError::OutOfMemory { .. }) => assert!(n > 1 << 40),
                    Err(e) => panic!("unexpected {e}"),
                }
                heap_expected += pool.stats().heap_fallbacks - before;
            }
            Op::Freeze(i) if !bufs.is_empty() => {
                let (b, m) = bufs.swap_remove(i % bufs.len());
                let v = b.freeze();
                assert_eq!(&v[..], &m[..]);
                views.push((v, m));
            }
            Op::Slice(i, a, z) if !views.is_empty() => {
                let k = i % views.len();
                let (v, m) = &views[k];
                let len = m.len();
                let (a, z) = (a % (len + 1), z % (len + 1));
                let (a, z) = (a.min(z), a.max(z));
                let s = v.slice(a..z);
                assert_eq!(&s[..], &m[a..z]);
                let sm = m[a..z].to_vec();
                views.push((s, sm));
            }
            Op::DropBuf(i) if !bufs.is_empty() => {
                let (b, m) = bufs.swap_remove(i % bufs.len());
                assert_eq!(&b[..], &m[..]);
                drop(b);
            }
            Op::DropView(i) if !views.is_empty() => {
                let (v, m) = views.swap_remove(i % views.len());
                assert_eq!(&v[..], &m[..]);
            }
            Op::Trim => pool.trim(),
            Op::Tick => pool.tick(),
            _ => {}
        }
        for (b, m) in &bufs {
            assert_eq!(&b[..], &m[..]);
        }
        let stats = pool.stats();
        assert!(stats.total.is_balanced(), "{:?}", stats.total);
        assert!(stats.total.retained_bytes as usize <= CAP);
        assert_eq!(stats.heap_fallbacks, heap_expected);
    }
    drop(bufs);
    drop(views);
    let stats = pool.stats();
    assert_eq!(stats.total.outstanding, 0, "every buffer came back");
    assert!(stats.total.is_balanced());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn programs_match_the_model(
        ops in proptest::collection::vec(op(), 0..80),
        refuse in any::<bool>(),
        zero in any::<bool>(),
    ) {
        run(ops, refuse, zero);
    }
}

#[test]
fn growth_moves_to_larger_classes_and_returns_the_old_one() {
    let pool = BufferPool::builder()
        .size_classes(&[64, 128, 1024])
        .build()
        .unwrap();
    let mut b = pool.get(10);
    b.extend_from_slice(&[1; 64]);
    assert_eq!(b.capacity(), 64);
    b.push(2);
    assert_eq!(b.capacity(), 128, "doubling fits the next class");
    b.extend_from_slice(&[3; 500]);
    assert_eq!(b.capacity(), 1024);
    b.extend_from_slice(&[4; 1000]);
    assert!(!b.is_pooled(), "past the largest class: the heap");
    assert_eq!(b.len(), 1565);
    assert_eq!(&b[..64], &[1; 64]);
    assert_eq!(b[64], 2);
    let s = pool.stats();
    assert_eq!(
        s.total.outstanding, 0,
        "a heap buffer is not a class buffer"
    );
    assert_eq!(s.class(64).unwrap().returned, 1);
    assert_eq!(s.class(128).unwrap().returned, 1);
    assert_eq!(s.class(1024).unwrap().returned, 1);
    assert_eq!(s.heap_fallbacks, 1);
}

#[test]
fn zero_and_enormous_sizes() {
    let pool = BufferPool::new();
    assert_eq!(pool.get(0).capacity(), 64);
    assert_eq!(
        pool.try_get(usize::MAX).unwrap_err(),
        BufferError::CapacityOverflow
    );
    let mut b = pool.get(1);
    b.push(1);
    assert_eq!(
        b.try_reserve(usize::MAX).unwrap_err(),
        BufferError::CapacityOverflow
    );
    assert_eq!(&b[..], &[1], "a failed reserve changes nothing");
}

#[test]
#[should_panic(expected = "above the largest size class")]
fn get_panics_with_a_clear_message_when_refusing() {
    let pool = BufferPool::builder()
        .large_requests(LargeRequests::Refuse)
        .build()
        .unwrap();
    let _ = pool.get(2 << 20);
}

#[test]
fn config_errors_are_exact() {
    use larder_core::{ConfigError, Limits};
    let e = |b: larder_buffer::BufferPoolBuilder| b.build().unwrap_err();
    assert_eq!(
        e(BufferPool::builder().size_classes(&[])),
        ConfigError::Empty {
            what: "size classes"
        }
    );
    assert_eq!(
        e(BufferPool::builder().class_limits(Limits::new().max_objects(0))),
        ConfigError::Zero {
            what: "max_objects"
        }
    );
    assert_eq!(
        e(BufferPool::builder().cache_bytes(0)),
        ConfigError::Zero {
            what: "cache_bytes"
        }
    );
    assert!(matches!(
        e(BufferPool::builder()
            .tiers(&[1, 2, 3])
            .max_retained_bytes(2)),
        ConfigError::TooSmall { .. }
    ));
}

#[test]
fn io_write_and_into_vec() {
    use std::io::Write;
    let pool = BufferPool::new();
    let mut b = pool.get(4);
    for i in 0..100 {
        write!(b, "{i},").unwrap();
    }
    let text = String::from_utf8(b.into_vec()).unwrap();
    assert!(text.starts_with("0,1,2,") && text.ends_with("99,"));
    let s = pool.stats();
    assert_eq!(s.total.detached, 1);
    assert_eq!(s.total.outstanding, 0);
    assert!(s.total.is_balanced());
}

#[cfg(feature = "bytes")]
#[test]
fn bufmut_and_into_bytes() {
    use bytes::BufMut;
    let pool = BufferPool::new();
    let mut b = pool.get(2);
    b.put_u32(0xDEAD_BEEF);
    b.put_slice(&[1; 100]);
    b.put_u8(9);
    assert_eq!(b.len(), 105);
    let bytes = b.into_bytes();
    assert_eq!(&bytes[..4], &0xDEAD_BEEFu32.to_be_bytes());
    assert_eq!(pool.outstanding(), 1);
    drop(bytes);
    assert_eq!(pool.outstanding(), 0, "the last Bytes returned the storage");
}

#[test]
fn leak_report_counts_what_was_not_given_back() {
    let pool = BufferPool::new();
    let kept = pool.get(10);
    let mut frozen = pool.get(5000);
    frozen.extend_from_slice(b"view");
    let view = frozen.freeze();
    drop(pool.get(100)); // given back
    pool.get(100).into_vec(); // detached: leaves the books, not a leak
    drop(pool.get(8 << 20)); // above the largest class: the heap's, never tracked
    let report = pool.leak_report();
    assert_eq!(report.outstanding(), 2);
    if larder_core::LeakTracker::ENABLED {
        // one site per `get` that is still out, each naming this test
        let sites: usize = report.sites().iter().map(|s| s.count).sum();
        assert_eq!(sites, 2, "{report}");
        assert!(
            report.sites()[0].backtrace.contains("leak_report"),
            "{report}"
        );
    } else {
        assert!(report.sites().is_empty());
    }
    drop((kept, view));
    assert!(pool.leak_report().is_clean());
}
