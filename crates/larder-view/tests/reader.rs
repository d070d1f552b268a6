//! `Reader` on truncated, overlong and malicious input, and against a naive decoder (the
//! decoder and the comparison are shared with the fuzz target: `tests/programs/reader.rs`).
#![cfg(not(larder_loom))]

use larder_view::{ByteView, LengthPrefix, LocalView, ReadError, ReadErrorKind, Reader};
use proptest::prelude::*;

#[allow(dead_code)]
mod programs {
    include!("programs/reader.rs");
}

use programs::{Read, check_against_naive, sleb, uleb};

fn read_strategy() -> impl Strategy<Value = Read> {
    prop_oneof![
        Just(Read::U8),
        Just(Read::I8),
        Just(Read::U16Be),
        Just(Read::U16Le),
        Just(Read::I16Be),
        Just(Read::I16Le),
        Just(Read::U32Be),
        Just(Read::U32Le),
        Just(Read::I32Le),
        Just(Read::U64Be),
        Just(Read::U64Le),
        Just(Read::I64Be),
        Just(Read::F32Be),
        Just(Read::F32Le),
        Just(Read::F64Be),
        Just(Read::F64Le),
        Just(Read::Uleb64),
        Just(Read::Uleb32),
        Just(Read::Sleb64),
        (0u16..40).prop_map(Read::Skip),
        (0u16..40).prop_map(Read::Bytes),
        (0u8..8).prop_map(Read::Prefixed),
        (0u16..40).prop_map(Read::Peek),
        Just(Read::Array8),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn reader_agrees_with_naive_decoder(
        data in proptest::collection::vec(any::<u8>(), 0..96),
        ops in proptest::collection::vec(read_strategy(), 0..24),
    ) {
        check_against_naive(Reader::new(&data[..]), &data, &ops);
        check_against_naive(Reader::new(&ByteView::from(data.clone())), &data, &ops);
        check_against_naive(Reader::new(&LocalView::from(data.clone())), &data, &ops);
    }

    /// Varint-heavy input: many continuation bytes, so overlong and overflow paths are hit.
    #[test]
    fn varints_agree_with_naive_decoder(
        data in proptest::collection::vec(prop_oneof![Just(0x80u8), Just(0xffu8), Just(0x00u8), Just(0x7fu8), Just(0x01u8), any::<u8>()], 0..40),
        ops in proptest::collection::vec(prop_oneof![Just(Read::Uleb64), Just(Read::Uleb32), Just(Read::Sleb64), Just(Read::U8)], 0..16),
    ) {
        check_against_naive(Reader::new(&data[..]), &data, &ops);
    }

    #[test]
    fn varints_round_trip(u in any::<u64>(), i in any::<i64>(), small in any::<u32>()) {
        let mut bytes = uleb(u);
        bytes.extend(sleb(i));
        bytes.extend(uleb(small as u64));
        let mut r = Reader::new(&bytes[..]);
        prop_assert_eq!(r.read_uleb128_u64().unwrap(), u);
        prop_assert_eq!(r.read_sleb128_i64().unwrap(), i);
        prop_assert_eq!(r.read_uleb128_u32().unwrap(), small);
        prop_assert!(r.is_empty());
    }

    /// Every proper prefix of a valid record fails cleanly at the field it cuts.
    #[test]
    fn truncated_records_fail_at_the_cut(a in any::<u32>(), b in any::<u64>(), c in any::<i64>(), name in proptest::collection::vec(any::<u8>(), 0..20)) {
        let mut rec = a.to_be_bytes().to_vec();
        rec.extend(uleb(b));
        rec.extend(sleb(c));
        rec.push(name.len() as u8);
        rec.extend(&name);
        let parse = |data: &[u8]| -> Result<(u32, u64, i64, Vec<u8>), ReadError> {
            let mut r = Reader::new(data);
            Ok((r.read_u32_be()?, r.read_uleb128_u64()?, r.read_sleb128_i64()?, r.read_prefixed(LengthPrefix::U8)?.to_vec()))
        };
        prop_assert_eq!(parse(&rec).unwrap(), (a, b, c, name.clone()));
        for cut in 0..rec.len() {
            let err = parse(&rec[..cut]).unwrap_err();
            prop_assert!(matches!(err.kind, ReadErrorKind::Truncated { .. }), "{}", err);
            prop_assert!(err.offset <= cut);
        }
    }
}

#[test]
fn overlong_varints_are_rejected() {
    let cases: &[&[u8]] = &[
        &[0x80, 0x00],
        &[0xff, 0x80, 0x00],
        &[0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
    ];
    for case in cases {
        let err = Reader::new(*case).read_uleb128_u64().unwrap_err();
        assert_eq!(err.kind, ReadErrorKind::Overlong, "{case:x?}");
        assert_eq!(err.offset, 0);
    }
    let err = Reader::new(&[0x80u8, 0x80, 0x80, 0x80, 0x00][..])
        .read_uleb128_u32()
        .unwrap_err();
    assert_eq!(err.kind, ReadErrorKind::Overlong);
    for case in [
        &[0x80u8, 0x00][..],
        &[0xff, 0x7f],
        &[0x80, 0x80, 0x00],
        &[0xc0, 0x7f],
    ] {
        let err = Reader::new(case).read_sleb128_i64().unwrap_err();
        assert_eq!(err.kind, ReadErrorKind::Overlong, "{case:x?}");
    }
    // 64 is 0xc0 0x00 in SLEB128: the zero byte is needed for the sign, not overlong.
    assert_eq!(Reader::new(&[0xc0u8, 0x00][..]).read_sleb128_i64(), Ok(64));
    assert_eq!(Reader::new(&[0x40u8][..]).read_sleb128_i64(), Ok(-64));
}

#[test]
fn overflowing_varints_are_rejected() {
    let mut eleven = vec![0x80u8; 10];
    eleven.push(0x01);
    let mut too_big = vec![0xffu8; 9];
    too_big.push(0x02);
    for case in [&eleven[..], &too_big[..], &[0xff; 10]] {
        let err = Reader::new(case).read_uleb128_u64().unwrap_err();
        assert_eq!(err.kind, ReadErrorKind::Overflow, "{case:x?}");
    }
    let mut max = vec![0xffu8; 9];
    max.push(0x01);
    assert_eq!(Reader::new(&max[..]).read_uleb128_u64(), Ok(u64::MAX));
    let err = Reader::new(&[0xffu8, 0xff, 0xff, 0xff, 0x10][..])
        .read_uleb128_u32()
        .unwrap_err();
    assert_eq!(err.kind, ReadErrorKind::Overflow);
    let mut sbig = vec![0xffu8; 9];
    sbig.push(0x01); // bit 63 set, bits 64.. clear: above i64::MAX
    let err = Reader::new(&sbig[..]).read_sleb128_i64().unwrap_err();
    assert_eq!(err.kind, ReadErrorKind::Overflow);
    // An endless run of continuation bytes stops at 10 bytes.
    let endless = vec![0x80u8; 1 << 16];
    let err = Reader::new(&endless[..]).read_uleb128_u64().unwrap_err();
    assert_eq!(err.kind, ReadErrorKind::Overflow);
}

#[test]
fn malicious_length_prefixes_fail_without_allocating_or_panicking() {
    let mut r = Reader::new(&[0xffu8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2][..]);
    let err = r.read_prefixed(LengthPrefix::U64Be).unwrap_err();
    assert_eq!(err.offset, 0);
    assert_eq!(
        err.kind,
        ReadErrorKind::Truncated {
            needed: u64::MAX,
            available: 10
        }
    );
    assert_eq!(r.position(), 0);
    let big = uleb(u64::MAX);
    let mut r = Reader::new(&big[..]);
    assert!(r.read_prefixed(LengthPrefix::Uleb128).is_err());
    assert!(r.skip(usize::MAX).is_err());
    assert!(r.peek(usize::MAX).is_err());
    assert!(r.read_bytes(usize::MAX).is_err());
    assert_eq!(r.position(), 0);
}

#[test]
fn sub_views_share_the_source() {
    let v = ByteView::from(vec![3, b'a', b'b', b'c', b'd']);
    let mut r = Reader::new(&v);
    let s = r.read_prefixed(LengthPrefix::U8).unwrap();
    assert_eq!(s.as_ptr(), v[1..].as_ptr());
    assert_eq!(r.read_rest(), b"d"[..]);
    assert_eq!(r.read_rest(), b""[..]);
}

#[cfg(feature = "bytes")]
#[test]
fn reader_is_a_buf() {
    use bytes::Buf;
    let data = [0u8, 1, 0, 0, 0, 2, 9];
    let mut r = Reader::new(&data[..]);
    assert_eq!(r.get_u16(), 1);
    assert_eq!(r.get_u32_le(), 0x0200_0000);
    assert_eq!(r.chunk(), &[9]);
    r.advance(1);
    assert!(!r.has_remaining());
    assert!(std::panic::catch_unwind(move || r.advance(1)).is_err());
}
