//! Operation programs on a `Vec<u8>` driven through `RecyclePolicy`, `Reset` and `Limits`,
//! checked against a plain model of what each step must do.
#![no_main]

use arbitrary::Arbitrary;
use larder_core::{Footprint, Limits, Oversize, RecyclePolicy, Rejected, Reset};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Op {
    Push(u8, u16),
    Reserve(u16),
    Recycle,
    Admit {
        objects: u8,
        bytes: usize,
        add: usize,
    },
}

#[derive(Debug, Arbitrary)]
struct Program {
    max_footprint: Option<u16>,
    shrink: bool,
    zero: bool,
    reject_first_byte: Option<u8>,
    max_objects: Option<u8>,
    max_bytes: Option<usize>,
    ops: Vec<Op>,
}

fuzz_target!(|p: Program| {
    let mut policy = RecyclePolicy::<Vec<u8>>::new();
    if let Some(max) = p.max_footprint {
        let mode = if p.shrink {
            Oversize::Shrink
        } else {
            Oversize::Drop
        };
        policy = policy.max_footprint(max as usize, mode);
    }
    if p.zero {
        policy = policy.zero_on_return();
    }
    // fn pointers cannot capture, so the rejected byte is fixed; the flag turns it on.
    if p.reject_first_byte.is_some() {
        policy = policy.validate(|v| v.first() != Some(&0xAB));
    }
    let mut limits = Limits::new();
    if let Some(n) = p.max_objects {
        limits = limits.max_objects(n as usize);
    }
    if let Some(n) = p.max_bytes {
        limits = limits.max_bytes(n);
    }
    let valid = limits.validate().is_ok();
    assert_eq!(valid, p.max_objects != Some(0) && p.max_bytes != Some(0));

    let mut v: Vec<u8> = Vec::new();
    for op in p.ops {
        match op {
            Op::Push(b, n) => v.extend(std::iter::repeat_n(b, n as usize % 4096)),
            Op::Reserve(n) => v.reserve(n as usize),
            Op::Recycle => {
                let invalid = p.reject_first_byte.is_some() && v.first() == Some(&0xAB);
                let before_cap = v.capacity();
                let result = policy.recycle(&mut v, Reset::reset);
                if invalid {
                    assert_eq!(result, Err(Rejected::Invalid));
                    v = Vec::new();
                    continue;
                }
                match p.max_footprint {
                    Some(max) if before_cap > max as usize => {
                        if p.shrink && result.is_ok() {
                            assert!(v.footprint() <= max as usize);
                        } else {
                            assert_eq!(result, Err(Rejected::Oversize));
                            v = Vec::new();
                            continue;
                        }
                    }
                    _ => {
                        assert_eq!(result, Ok(()));
                        assert_eq!(v.capacity(), before_cap, "reset keeps the capacity");
                    }
                }
                assert!(v.is_empty());
                if p.zero {
                    // SAFETY: the policy's zeroing initialised every byte of the capacity,
                    // and `v` is not touched while the slice lives.
                    let all = unsafe { std::slice::from_raw_parts(v.as_ptr(), v.capacity()) };
                    assert!(
                        all.iter().all(|&b| b == 0),
                        "zeroing covers the whole capacity"
                    );
                }
            }
            Op::Admit {
                objects,
                bytes,
                add,
            } if valid => {
                let want = p.max_objects.is_none_or(|m| objects < m)
                    && p.max_bytes
                        .is_none_or(|m| (bytes as u128 + add as u128) <= m as u128);
                assert_eq!(limits.admits(objects as usize, bytes, add), want);
            }
            Op::Admit { .. } => {}
        }
    }
});
