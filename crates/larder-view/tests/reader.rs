//! `Reader` on truncated, overlong and malicious input, and against a naive decoder.
#![cfg(not(larder_loom))]

use larder_view::{ByteView, LengthPrefix, LocalView, ReadError, ReadErrorKind, Reader};
use proptest::prelude::*;

fn uleb(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

fn sleb(mut v: i64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    U(u64),
    I(i64),
    F(u64), // float bits
    Len(usize),
}

#[derive(Debug, Clone, Copy)]
enum Read {
    U8,
    I8,
    U16Be,
    U16Le,
    I16Be,
    U32Be,
    U32Le,
    I32Le,
    U64Be,
    U64Le,
    I64Be,
    F32Be,
    F64Le,
    Uleb64,
    Uleb32,
    Sleb64,
    Skip(usize),
    Bytes(usize),
    Prefixed(u8),
    Peek(usize),
}

fn read_strategy() -> impl Strategy<Value = Read> {
    prop_oneof![
        Just(Read::U8),
        Just(Read::I8),
        Just(Read::U16Be),
        Just(Read::U16Le),
        Just(Read::I16Be),
        Just(Read::U32Be),
        Just(Read::U32Le),
        Just(Read::I32Le),
        Just(Read::U64Be),
        Just(Read::U64Le),
        Just(Read::I64Be),
        Just(Read::F32Be),
        Just(Read::F64Le),
        Just(Read::Uleb64),
        Just(Read::Uleb32),
        Just(Read::Sleb64),
        (0usize..40).prop_map(Read::Skip),
        (0usize..40).prop_map(Read::Bytes),
        (0u8..8).prop_map(Read::Prefixed),
        (0usize..40).prop_map(Read::Peek),
    ]
}

/// The error classes the naive decoder distinguishes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fail {
    Truncated,
    Overlong,
    Overflow,
}

/// A deliberately simple decoder: wide accumulators, canonical length by re-encoding.
struct Naive<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Naive<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], (usize, Fail)> {
        if self.data.len() - self.pos < n {
            return Err((self.pos, Fail::Truncated));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn be(&mut self, n: usize) -> Result<u64, (usize, Fail)> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | b as u64))
    }

    fn le(&mut self, n: usize) -> Result<u64, (usize, Fail)> {
        Ok(self
            .take(n)?
            .iter()
            .rev()
            .fold(0u64, |acc, &b| (acc << 8) | b as u64))
    }

    fn uleb(&mut self, max: u128, max_len: usize) -> Result<u64, (usize, Fail)> {
        let mut acc = 0u128;
        for i in 0..max_len {
            let Some(&b) = self.data.get(self.pos + i) else {
                return Err((self.pos, Fail::Truncated));
            };
            acc |= ((b & 0x7f) as u128) << (7 * i);
            if b & 0x80 == 0 {
                if acc > max {
                    return Err((self.pos, Fail::Overflow));
                }
                if uleb(acc as u64).len() != i + 1 {
                    return Err((self.pos, Fail::Overlong));
                }
                self.pos += i + 1;
                return Ok(acc as u64);
            }
        }
        Err((self.pos, Fail::Overflow))
    }

    fn sleb(&mut self) -> Result<i64, (usize, Fail)> {
        let mut acc = 0i128;
        for i in 0..10 {
            let Some(&b) = self.data.get(self.pos + i) else {
                return Err((self.pos, Fail::Truncated));
            };
            acc |= ((b & 0x7f) as i128) << (7 * i);
            if b & 0x80 == 0 {
                if b & 0x40 != 0 {
                    acc |= -1i128 << (7 * (i + 1));
                }
                if acc < i64::MIN as i128 || acc > i64::MAX as i128 {
                    return Err((self.pos, Fail::Overflow));
                }
                if sleb(acc as i64).len() != i + 1 {
                    return Err((self.pos, Fail::Overlong));
                }
                self.pos += i + 1;
                return Ok(acc as i64);
            }
        }
        Err((self.pos, Fail::Overflow))
    }

    fn read(&mut self, r: Read) -> Result<Value, (usize, Fail)> {
        let start = self.pos;
        let v = match r {
            Read::U8 => Value::U(self.be(1)?),
            Read::I8 => Value::I(self.be(1)? as u8 as i8 as i64),
            Read::U16Be => Value::U(self.be(2)?),
            Read::U16Le => Value::U(self.le(2)?),
            Read::I16Be => Value::I(self.be(2)? as u16 as i16 as i64),
            Read::U32Be => Value::U(self.be(4)?),
            Read::U32Le => Value::U(self.le(4)?),
            Read::I32Le => Value::I(self.le(4)? as u32 as i32 as i64),
            Read::U64Be => Value::U(self.be(8)?),
            Read::U64Le => Value::U(self.le(8)?),
            Read::I64Be => Value::I(self.be(8)? as i64),
            Read::F32Be => Value::F(f64::from(f32::from_bits(self.be(4)? as u32)).to_bits()),
            Read::F64Le => Value::F(self.le(8)?),
            Read::Uleb64 => Value::U(self.uleb(u64::MAX as u128, 10)?),
            Read::Uleb32 => Value::U(self.uleb(u32::MAX as u128, 5)?),
            Read::Sleb64 => Value::I(self.sleb()?),
            Read::Skip(n) => {
                self.take(n)?;
                Value::Len(n)
            }
            Read::Bytes(n) => Value::Len(self.take(n)?.len()),
            Read::Peek(n) => {
                let len = self.take(n)?.len();
                self.pos = start;
                Value::Len(len)
            }
            Read::Prefixed(p) => {
                let len = match p {
                    0 => self.be(1),
                    1 => self.be(2),
                    2 => self.le(2),
                    3 => self.be(4),
                    4 => self.le(4),
                    5 => self.be(8),
                    6 => self.le(8),
                    _ => self.uleb(u64::MAX as u128, 10),
                };
                let len = len?;
                match usize::try_from(len).ok().map(|n| self.take(n)) {
                    Some(Ok(s)) => Value::Len(s.len()),
                    _ => {
                        self.pos = start;
                        return Err((start, Fail::Truncated));
                    }
                }
            }
        };
        Ok(v)
    }
}

fn prefix_of(p: u8) -> LengthPrefix {
    match p {
        0 => LengthPrefix::U8,
        1 => LengthPrefix::U16Be,
        2 => LengthPrefix::U16Le,
        3 => LengthPrefix::U32Be,
        4 => LengthPrefix::U32Le,
        5 => LengthPrefix::U64Be,
        6 => LengthPrefix::U64Le,
        _ => LengthPrefix::Uleb128,
    }
}

fn larder_read<'a, S: larder_view::Source<'a>>(
    r: &mut Reader<'a, S>,
    op: Read,
) -> Result<Value, ReadError>
where
    S::View: AsRef<[u8]>,
{
    Ok(match op {
        Read::U8 => Value::U(r.read_u8()? as u64),
        Read::I8 => Value::I(r.read_i8()? as i64),
        Read::U16Be => Value::U(r.read_u16_be()? as u64),
        Read::U16Le => Value::U(r.read_u16_le()? as u64),
        Read::I16Be => Value::I(r.read_i16_be()? as i64),
        Read::U32Be => Value::U(r.read_u32_be()? as u64),
        Read::U32Le => Value::U(r.read_u32_le()? as u64),
        Read::I32Le => Value::I(r.read_i32_le()? as i64),
        Read::U64Be => Value::U(r.read_u64_be()?),
        Read::U64Le => Value::U(r.read_u64_le()?),
        Read::I64Be => Value::I(r.read_i64_be()?),
        Read::F32Be => Value::F(f64::from(r.read_f32_be()?).to_bits()),
        Read::F64Le => Value::F(r.read_f64_le()?.to_bits()),
        Read::Uleb64 => Value::U(r.read_uleb128_u64()?),
        Read::Uleb32 => Value::U(r.read_uleb128_u32()? as u64),
        Read::Sleb64 => Value::I(r.read_sleb128_i64()?),
        Read::Skip(n) => {
            r.skip(n)?;
            Value::Len(n)
        }
        Read::Bytes(n) => Value::Len(r.read_bytes(n)?.as_ref().len()),
        Read::Peek(n) => Value::Len(r.peek(n)?.len()),
        Read::Prefixed(p) => Value::Len(r.read_prefixed(prefix_of(p))?.as_ref().len()),
    })
}

fn class(kind: ReadErrorKind) -> Fail {
    match kind {
        ReadErrorKind::Truncated { .. } => Fail::Truncated,
        ReadErrorKind::Overlong => Fail::Overlong,
        ReadErrorKind::Overflow => Fail::Overflow,
        _ => unreachable!(),
    }
}

fn check_against_naive<'a, S: larder_view::Source<'a>>(
    mut r: Reader<'a, S>,
    data: &[u8],
    ops: &[Read],
) where
    S::View: AsRef<[u8]>,
{
    let mut naive = Naive { data, pos: 0 };
    for &op in ops {
        let before = r.position();
        let got = larder_read(&mut r, op);
        let want = naive.read(op);
        match (&got, &want) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{op:?}"),
            (Err(e), Err((offset, fail))) => {
                assert_eq!((e.offset, class(e.kind)), (*offset, *fail), "{op:?}: {e}");
                assert_eq!(r.position(), before, "a failed read must not move");
                if let ReadErrorKind::Truncated { needed, available } = e.kind {
                    assert_eq!(available, data.len() - e.offset, "{op:?}: {e}");
                    assert!(needed > available as u64, "{op:?}: {e}");
                }
                assert!(!e.to_string().is_empty());
            }
            _ => panic!("{op:?} at {before}: larder {got:?}, naive {want:?}"),
        }
        assert_eq!(r.position(), naive.pos);
        assert_eq!(r.remaining(), data.len() - naive.pos);
        assert_eq!(r.rest(), &data[naive.pos..]);
    }
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
