// `Reader` against a deliberately simple decoder: every result (value, error class and
// offset, position after) must agree. Shared by the proptests in `tests/reader.rs` and the
// fuzz target `view_reader` (which derives `Arbitrary` under `cfg(fuzzing)`).

use larder_view::{LengthPrefix, ReadError, ReadErrorKind, Reader};

pub fn uleb(mut v: u64) -> Vec<u8> {
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

pub fn sleb(mut v: i64) -> Vec<u8> {
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
pub enum Value {
    U(u64),
    I(i64),
    F(u64), // float bits
    Len(usize),
}

/// One read. Sizes are `u16` so that a fuzzer's values stay near the data's length.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum Read {
    U8,
    I8,
    U16Be,
    U16Le,
    I16Be,
    I16Le,
    U32Be,
    U32Le,
    I32Le,
    U64Be,
    U64Le,
    I64Be,
    F32Be,
    F32Le,
    F64Be,
    F64Le,
    Uleb64,
    Uleb32,
    Sleb64,
    Skip(u16),
    Bytes(u16),
    Prefixed(u8),
    Peek(u16),
    Array8,
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
            Read::I16Le => Value::I(self.le(2)? as u16 as i16 as i64),
            Read::U32Be => Value::U(self.be(4)?),
            Read::U32Le => Value::U(self.le(4)?),
            Read::I32Le => Value::I(self.le(4)? as u32 as i32 as i64),
            Read::U64Be => Value::U(self.be(8)?),
            Read::U64Le => Value::U(self.le(8)?),
            Read::I64Be => Value::I(self.be(8)? as i64),
            Read::F32Be => Value::F(f64::from(f32::from_bits(self.be(4)? as u32)).to_bits()),
            Read::F32Le => Value::F(f64::from(f32::from_bits(self.le(4)? as u32)).to_bits()),
            Read::F64Be => Value::F(self.be(8)?),
            Read::F64Le => Value::F(self.le(8)?),
            Read::Uleb64 => Value::U(self.uleb(u64::MAX as u128, 10)?),
            Read::Uleb32 => Value::U(self.uleb(u32::MAX as u128, 5)?),
            Read::Sleb64 => Value::I(self.sleb()?),
            Read::Skip(n) => {
                self.take(n.into())?;
                Value::Len(n.into())
            }
            Read::Bytes(n) => Value::Len(self.take(n.into())?.len()),
            Read::Array8 => Value::U(self.be(8)?),
            Read::Peek(n) => {
                let len = self.take(n.into())?.len();
                self.pos = start;
                Value::Len(len)
            }
            Read::Prefixed(p) => {
                let len = match p % 8 {
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
    match p % 8 {
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
        Read::I16Le => Value::I(r.read_i16_le()? as i64),
        Read::U32Be => Value::U(r.read_u32_be()? as u64),
        Read::U32Le => Value::U(r.read_u32_le()? as u64),
        Read::I32Le => Value::I(r.read_i32_le()? as i64),
        Read::U64Be => Value::U(r.read_u64_be()?),
        Read::U64Le => Value::U(r.read_u64_le()?),
        Read::I64Be => Value::I(r.read_i64_be()?),
        Read::F32Be => Value::F(f64::from(r.read_f32_be()?).to_bits()),
        Read::F32Le => Value::F(f64::from(r.read_f32_le()?).to_bits()),
        Read::F64Be => Value::F(r.read_f64_be()?.to_bits()),
        Read::F64Le => Value::F(r.read_f64_le()?.to_bits()),
        Read::Uleb64 => Value::U(r.read_uleb128_u64()?),
        Read::Uleb32 => Value::U(r.read_uleb128_u32()? as u64),
        Read::Sleb64 => Value::I(r.read_sleb128_i64()?),
        Read::Skip(n) => {
            r.skip(n.into())?;
            Value::Len(n.into())
        }
        Read::Bytes(n) => Value::Len(r.read_bytes(n.into())?.as_ref().len()),
        Read::Peek(n) => Value::Len(r.peek(n.into())?.len()),
        Read::Array8 => Value::U(u64::from_be_bytes(r.read_array::<8>()?)),
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

pub fn check_against_naive<'a, S: larder_view::Source<'a>>(
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

