//! Operation programs on a `BufferPool` (sizes including 0 and enormous, writes, growth,
//! freeze, slices, drops, trims) against a model: contents match `Vec<u8>`s, capacities are
//! class sizes, retained bytes stay under the cap, the books balance. At the end the pool's
//! last handle goes before or after the frozen views, which must read back intact.
#![no_main]

use arbitrary::Arbitrary;
use larder_buffer::{BufferError, BufferPool, LargeRequests};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Size {
    Small(u8),
    Medium(u16),
    Huge(usize),
}

impl Size {
    fn get(&self) -> usize {
        match *self {
            Size::Small(n) => n as usize,
            Size::Medium(n) => n as usize,
            Size::Huge(n) => n,
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Op {
    Get(Size),
    Write(u8, Vec<u8>),
    Resize(u8, u16, u8),
    Reserve(u8, Size),
    Freeze(u8),
    Slice(u8, u16, u16),
    DropBuf(u8),
    DropView(u8),
    Trim,
    Tick,
}

const CLASSES: &[usize] = &[8, 64, 512, 4096];
const CAP: usize = 16 * 1024;

fuzz_target!(|input: (bool, bool, bool, Vec<Op>)| {
    let (refuse, zero, pool_first, ops) = input;
    let pool = BufferPool::builder()
        .size_classes(CLASSES)
        .max_retained_bytes(CAP)
        .zero_on_return(zero)
        .large_requests(if refuse {
            LargeRequests::Refuse
        } else {
            LargeRequests::Heap
        })
        .build()
        .unwrap();
    let mut bufs = Vec::new();
    let mut views = Vec::new();
    for op in ops {
        match op {
            Op::Get(size) => {
                let n = size.get();
                if n > (1 << 24) && !refuse && n <= isize::MAX as usize {
                    continue; // a real heap allocation that large would only slow fuzzing
                }
                match pool.try_get(n) {
                    Ok(b) => {
                        if let Some(&c) = CLASSES.iter().find(|&&c| c >= n) {
                            assert_eq!(b.capacity(), c);
                        } else {
                            assert!(!b.is_pooled() && b.capacity() >= n);
                        }
                        bufs.push((b, Vec::new()));
                    }
                    Err(BufferError::CapacityOverflow) => assert!(n > isize::MAX as usize),
                    Err(BufferError::TooLarge { .. }) => assert!(refuse && n > 4096),
                    Err(e) => panic!("{e}"),
                }
            }
            Op::Write(i, data) if !bufs.is_empty() => {
                let k = i as usize % bufs.len();
                let (b, m): &mut (larder_buffer::PooledBuf<'_>, Vec<u8>) = &mut bufs[k];
                match b.try_reserve(data.len()) {
                    Ok(()) => {
                        b.extend_from_slice(&data);
                        m.extend_from_slice(&data);
                    }
                    Err(e) => {
                        assert!(refuse, "{e}");
                        assert!(m.len() + data.len() > 4096);
                    }
                }
            }
            Op::Resize(i, n, v) if !bufs.is_empty() => {
                let k = i as usize % bufs.len();
                let (b, m) = &mut bufs[k];
                let n = n as usize;
                if refuse && n > 4096 {
                    continue;
                }
                b.resize(n, v);
                m.resize(n, v);
            }
            Op::Reserve(i, size) if !bufs.is_empty() => {
                let k = i as usize % bufs.len();
                let (b, _) = &mut bufs[k];
                let n = size.get();
                if n > (1 << 24)
                    && !refuse
                    && b.len()
                        .checked_add(n)
                        .is_some_and(|t| t <= isize::MAX as usize)
                {
                    continue;
                }
                match b.try_reserve(n) {
                    Ok(()) => assert!(b.capacity() - b.len() >= n),
                    Err(BufferError::CapacityOverflow) => {}
                    Err(BufferError::TooLarge { .. }) => assert!(refuse),
                    Err(e) => panic!("{e}"),
                }
            }
            Op::Freeze(i) if !bufs.is_empty() => {
                let (b, m) = bufs.swap_remove(i as usize % bufs.len());
                let v = b.freeze();
                assert_eq!(&v[..], &m[..]);
                views.push((v, m));
            }
            Op::Slice(i, a, z) if !views.is_empty() => {
                let k = i as usize % views.len();
                let (v, m) = &views[k];
                let len = m.len();
                let (a, z) = (a as usize % (len + 1), z as usize % (len + 1));
                let (a, z) = (a.min(z), a.max(z));
                let s = v.slice(a..z);
                assert_eq!(&s[..], &m[a..z]);
                let sm = m[a..z].to_vec();
                views.push((s, sm));
            }
            Op::DropBuf(i) if !bufs.is_empty() => {
                let (b, m) = bufs.swap_remove(i as usize % bufs.len());
                assert_eq!(&b[..], &m[..]);
            }
            Op::DropView(i) if !views.is_empty() => {
                let (v, m) = views.swap_remove(i as usize % views.len());
                assert_eq!(&v[..], &m[..]);
            }
            Op::Trim => pool.trim(),
            Op::Tick => pool.tick(),
            _ => {}
        }
        let s = pool.stats();
        assert!(s.total.is_balanced(), "{}", s.total);
        assert!(s.total.retained_bytes as usize <= CAP);
    }
    drop(bufs);
    if pool_first {
        // The views outlive the pool's last handle: their bytes stay intact, and each goes
        // home (or the pool is freed with the last) when dropped.
        drop(pool);
        for (v, m) in views {
            assert_eq!(&v[..], &m[..]);
        }
    } else {
        drop(views);
        assert_eq!(pool.stats().total.outstanding, 0);
    }
});
