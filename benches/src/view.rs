//! larder-view against its peers.
//!
//! - `clone_slice_drop`: clone a 4 KiB view, slice the clone, drop both (`ByteView` and
//!   `LocalView` against `bytes::Bytes`).
//! - `split_to_clone`: clone, `split_to(64)` on the clone, drop both.
//! - `parse_1k_record`: read a 1 KiB record of mixed fields (`u8`, `u16`/`u32` big-endian,
//!   `u64`/`i32` little-endian, `f32`/`f64`) with `Reader` (every read checked, returning
//!   `Result`) against `bytes::Buf::get_*` on a slice (panics on short input) and against
//!   hand-written slice indexing with `from_be_bytes`/`from_le_bytes`.

use crate::{Pair, timed};
use bytes::{Buf, Bytes};
use larder_view::{ByteView, LocalView, ReadError, Reader};
use std::hint::black_box;

/// Size of the viewed buffer in the clone/slice workloads.
pub const VIEW_LEN: usize = 4096;

/// Groups of fields in the 1 KiB record (31 bytes each).
pub const GROUPS: usize = 33;

/// The record parsed by `parse_1k_record`: `GROUPS` groups of mixed fields, padded to 1 KiB.
pub fn record() -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    for i in 0..GROUPS as u64 {
        out.push(i as u8);
        out.extend_from_slice(&(i as u16 * 3).to_be_bytes());
        out.extend_from_slice(&(i as u32 * 70_000).to_be_bytes());
        out.extend_from_slice(&(i << 40).to_le_bytes());
        out.extend_from_slice(&(-(i as i32)).to_le_bytes());
        out.extend_from_slice(&(i as f32 * 0.5).to_be_bytes());
        out.extend_from_slice(&(i as f64 * 0.25).to_le_bytes());
    }
    out.resize(1024, 0);
    out
}

/// Parses the record with larder's `Reader`; every read is checked.
#[inline(never)]
pub fn parse_reader(data: &[u8]) -> Result<u64, ReadError> {
    let mut r = Reader::new(data);
    let mut acc = 0u64;
    for _ in 0..GROUPS {
        acc = acc.wrapping_add(r.read_u8()? as u64);
        acc = acc.wrapping_add(r.read_u16_be()? as u64);
        acc = acc.wrapping_add(r.read_u32_be()? as u64);
        acc = acc.wrapping_add(r.read_u64_le()?);
        acc = acc.wrapping_add(r.read_i32_le()? as u64);
        acc = acc.wrapping_add(r.read_f32_be()?.to_bits() as u64);
        acc = acc.wrapping_add(r.read_f64_le()?.to_bits());
    }
    Ok(acc)
}

/// Parses the record with `bytes::Buf` on a slice (panics on short input).
#[inline(never)]
pub fn parse_buf(mut data: &[u8]) -> u64 {
    let mut acc = 0u64;
    for _ in 0..GROUPS {
        acc = acc.wrapping_add(data.get_u8() as u64);
        acc = acc.wrapping_add(data.get_u16() as u64);
        acc = acc.wrapping_add(data.get_u32() as u64);
        acc = acc.wrapping_add(data.get_u64_le());
        acc = acc.wrapping_add(data.get_i32_le() as u64);
        acc = acc.wrapping_add(data.get_f32().to_bits() as u64);
        acc = acc.wrapping_add(data.get_f64_le().to_bits());
    }
    acc
}

/// Parses the record with hand-written indexing (panics on short input).
#[inline(never)]
pub fn parse_index(data: &[u8]) -> u64 {
    fn arr<const N: usize>(data: &[u8], at: usize) -> [u8; N] {
        data[at..at + N].try_into().unwrap()
    }
    let mut acc = 0u64;
    let mut p = 0;
    for _ in 0..GROUPS {
        acc = acc.wrapping_add(data[p] as u64);
        acc = acc.wrapping_add(u16::from_be_bytes(arr(data, p + 1)) as u64);
        acc = acc.wrapping_add(u32::from_be_bytes(arr(data, p + 3)) as u64);
        acc = acc.wrapping_add(u64::from_le_bytes(arr(data, p + 7)));
        acc = acc.wrapping_add(i32::from_le_bytes(arr(data, p + 15)) as u64);
        acc = acc.wrapping_add(f32::from_be_bytes(arr(data, p + 19)).to_bits() as u64);
        acc = acc.wrapping_add(f64::from_le_bytes(arr(data, p + 23)).to_bits());
        p += 31;
    }
    acc
}

/// Clone, slice the clone, drop both: `ByteView`.
#[inline]
pub fn clone_slice_drop_view(base: &ByteView) {
    let c = black_box(base).clone();
    let s = c.slice(16..512);
    drop(c);
    black_box(&s);
}

/// Clone, slice the clone, drop both: `LocalView`.
#[inline]
pub fn clone_slice_drop_local(base: &LocalView) {
    let c = black_box(base).clone();
    let s = c.slice(16..512);
    drop(c);
    black_box(&s);
}

/// Clone, slice the clone, drop both: `bytes::Bytes`.
#[inline]
pub fn clone_slice_drop_bytes(base: &Bytes) {
    let c = black_box(base).clone();
    let s = c.slice(16..512);
    drop(c);
    black_box(&s);
}

/// Clone, `split_to(64)` on the clone, drop both: `ByteView`.
#[inline]
pub fn split_to_view(base: &ByteView) {
    let mut c = black_box(base).clone();
    let head = c.split_to(64);
    black_box((&head, &c));
}

/// Clone, `split_to(64)` on the clone, drop both: `bytes::Bytes`.
#[inline]
pub fn split_to_bytes(base: &Bytes) {
    let mut c = black_box(base).clone();
    let head = c.split_to(64);
    black_box((&head, &c));
}

/// A 4 KiB `ByteView` and `Bytes` (the `Bytes` already cloned once, so it is in its shared
/// representation, as any `Bytes` that is cloned in a loop soon is).
pub fn bases() -> (ByteView, LocalView, Bytes) {
    let view = ByteView::from(vec![7u8; VIEW_LEN]);
    let local = LocalView::from(vec![7u8; VIEW_LEN]);
    let bytes = Bytes::from(vec![7u8; VIEW_LEN]);
    drop(bytes.clone());
    (view, local, bytes)
}

/// The `view/…` pairs.
pub fn pairs() -> Vec<Pair> {
    let (view, local, bytes) = bases();
    let (view2, bytes2, bytes3) = (view.clone(), bytes.clone(), bytes.clone());
    let rec = record();
    assert_eq!(parse_reader(&rec).unwrap(), parse_buf(&rec));
    assert_eq!(parse_index(&rec), parse_buf(&rec));
    let (rec2, rec3, rec4) = (rec.clone(), rec.clone(), rec.clone());
    vec![
        Pair::new(
            "view",
            "clone_slice_drop",
            "bytes",
            move |iters| timed(iters, || clone_slice_drop_view(&view)),
            move |iters| timed(iters, || clone_slice_drop_bytes(&bytes)),
        ),
        Pair::new(
            "view",
            "clone_slice_drop_local",
            "bytes",
            move |iters| timed(iters, || clone_slice_drop_local(&local)),
            move |iters| timed(iters, || clone_slice_drop_bytes(&bytes2)),
        ),
        Pair::new(
            "view",
            "split_to_clone",
            "bytes",
            move |iters| timed(iters, || split_to_view(&view2)),
            move |iters| timed(iters, || split_to_bytes(&bytes3)),
        ),
        Pair::new(
            "view",
            "parse_1k_record",
            "bytes",
            move |iters| {
                timed(iters, || {
                    black_box(parse_reader(black_box(&rec)).unwrap());
                })
            },
            move |iters| {
                timed(iters, || {
                    black_box(parse_buf(black_box(&rec2)));
                })
            },
        ),
        Pair::new(
            "view",
            "parse_1k_record",
            "slice-indexing",
            move |iters| {
                timed(iters, || {
                    black_box(parse_reader(black_box(&rec3)).unwrap());
                })
            },
            move |iters| {
                timed(iters, || {
                    black_box(parse_index(black_box(&rec4)));
                })
            },
        ),
    ]
}
