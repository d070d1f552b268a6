//! `Reader` on arbitrary bytes with an arbitrary sequence of reads: it never panics, and
//! every result (value, error class and offset, position after) agrees with a naive decoder.
#![no_main]

use arbitrary::Arbitrary;
use larder_view::{ByteView, LengthPrefix, ReadErrorKind, Reader};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Read {
    U8,
    I16Le,
    U16Be,
    U32Be,
    I32Le,
    U64Le,
    I64Be,
    F32Le,
    F64Be,
    Uleb64,
    Uleb32,
    Sleb64,
    Skip(u16),
    Bytes(u16),
    Peek(u16),
    Prefixed(u8),
    Array8,
}

#[derive(Debug, Arbitrary)]
struct Input {
    ops: Vec<Read>,
    data: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fail {
    Truncated,
    Overlong,
    Overflow,
}

type Res = Result<u128, (usize, Fail)>;

/// Decodes with wide integers and checks canonical form by re-encoding.
struct Naive<'a> {
    data: &'a [u8],
    pos: usize,
}

fn uleb_len(v: u128) -> usize {
    let mut n = 1;
    let mut v = v >> 7;
    while v != 0 {
        n += 1;
        v >>= 7;
    }
    n
}

fn sleb_len(v: i128) -> usize {
    let mut n = 1;
    let mut v = v;
    loop {
        let b = v & 0x7f;
        v >>= 7;
        if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
            return n;
        }
        n += 1;
    }
}

impl Naive<'_> {
    fn bytes(&mut self, n: usize) -> Result<Vec<u8>, (usize, Fail)> {
        if self.pos + n > self.data.len() {
            return Err((self.pos, Fail::Truncated));
        }
        let v = self.data[self.pos..self.pos + n].to_vec();
        self.pos += n;
        Ok(v)
    }
    fn be(&mut self, n: usize) -> Res {
        Ok(self
            .bytes(n)?
            .iter()
            .fold(0u128, |a, &b| a << 8 | b as u128))
    }
    fn le(&mut self, n: usize) -> Res {
        Ok(self
            .bytes(n)?
            .iter()
            .rev()
            .fold(0u128, |a, &b| a << 8 | b as u128))
    }
    fn uleb(&mut self, bits: u32) -> Res {
        let max_len = bits.div_ceil(7) as usize;
        let mut acc = 0u128;
        for i in 0..max_len {
            let Some(&b) = self.data.get(self.pos + i) else {
                return Err((self.pos, Fail::Truncated));
            };
            acc |= ((b & 0x7f) as u128) << (7 * i);
            if b & 0x80 == 0 {
                if acc >> bits != 0 {
                    return Err((self.pos, Fail::Overflow));
                }
                if uleb_len(acc) != i + 1 {
                    return Err((self.pos, Fail::Overlong));
                }
                self.pos += i + 1;
                return Ok(acc);
            }
        }
        Err((self.pos, Fail::Overflow))
    }
    fn sleb(&mut self) -> Res {
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
                if sleb_len(acc) != i + 1 {
                    return Err((self.pos, Fail::Overlong));
                }
                self.pos += i + 1;
                return Ok(acc as i64 as u64 as u128);
            }
        }
        Err((self.pos, Fail::Overflow))
    }
    fn read(&mut self, op: Read) -> Res {
        let start = self.pos;
        match op {
            Read::U8 => self.be(1),
            Read::I16Le => self.le(2).map(|v| v as u16 as i16 as i64 as u64 as u128),
            Read::U16Be => self.be(2),
            Read::U32Be => self.be(4),
            Read::I32Le => self.le(4).map(|v| v as u32 as i32 as i64 as u64 as u128),
            Read::U64Le => self.le(8),
            Read::I64Be => self.be(8),
            Read::F32Le => self.le(4),
            Read::F64Be => self.be(8),
            Read::Uleb64 => self.uleb(64),
            Read::Uleb32 => self.uleb(32),
            Read::Sleb64 => self.sleb(),
            Read::Skip(n) => self.bytes(n as usize).map(|_| n as u128),
            Read::Bytes(n) => self.bytes(n as usize).map(|b| b.len() as u128),
            Read::Array8 => self.be(8),
            Read::Peek(n) => {
                let r = self.bytes(n as usize).map(|b| b.len() as u128);
                self.pos = start;
                r
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
                    _ => self.uleb(64),
                }?;
                if len > (self.data.len() - self.pos) as u128 {
                    self.pos = start;
                    return Err((start, Fail::Truncated));
                }
                self.pos += len as usize;
                Ok(len)
            }
        }
    }
}

fn prefix(p: u8) -> LengthPrefix {
    [
        LengthPrefix::U8,
        LengthPrefix::U16Be,
        LengthPrefix::U16Le,
        LengthPrefix::U32Be,
        LengthPrefix::U32Le,
        LengthPrefix::U64Be,
        LengthPrefix::U64Le,
        LengthPrefix::Uleb128,
    ][(p % 8) as usize]
}

fn larder<'a>(r: &mut Reader<'a, &'a ByteView>, op: Read) -> Result<u128, larder_view::ReadError> {
    Ok(match op {
        Read::U8 => r.read_u8()? as u128,
        Read::I16Le => r.read_i16_le()? as i64 as u64 as u128,
        Read::U16Be => r.read_u16_be()? as u128,
        Read::U32Be => r.read_u32_be()? as u128,
        Read::I32Le => r.read_i32_le()? as i64 as u64 as u128,
        Read::U64Le => r.read_u64_le()? as u128,
        Read::I64Be => r.read_i64_be()? as u64 as u128,
        Read::F32Le => r.read_f32_le()?.to_bits() as u128,
        Read::F64Be => r.read_f64_be()?.to_bits() as u128,
        Read::Uleb64 => r.read_uleb128_u64()? as u128,
        Read::Uleb32 => r.read_uleb128_u32()? as u128,
        Read::Sleb64 => r.read_sleb128_i64()? as u64 as u128,
        Read::Skip(n) => {
            r.skip(n as usize)?;
            n as u128
        }
        Read::Bytes(n) => r.read_bytes(n as usize)?.len() as u128,
        Read::Peek(n) => r.peek(n as usize)?.len() as u128,
        Read::Array8 => u64::from_be_bytes(r.read_array::<8>()?) as u128,
        Read::Prefixed(p) => r.read_prefixed(prefix(p))?.len() as u128,
    })
}

fuzz_target!(|input: Input| {
    let view = ByteView::from(input.data.clone());
    let mut r = Reader::new(&view);
    let mut naive = Naive {
        data: &input.data,
        pos: 0,
    };
    for op in input.ops.into_iter().take(128) {
        let before = r.position();
        let got = larder(&mut r, op);
        let want = naive.read(op);
        match (got, want) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{op:?}"),
            (Err(e), Err((offset, fail))) => {
                let class = match e.kind {
                    ReadErrorKind::Truncated { .. } => Fail::Truncated,
                    ReadErrorKind::Overlong => Fail::Overlong,
                    ReadErrorKind::Overflow => Fail::Overflow,
                    _ => unreachable!(),
                };
                assert_eq!((e.offset, class), (offset, fail), "{op:?}: {e}");
                assert_eq!(r.position(), before);
                let _ = e.to_string();
            }
            (got, want) => panic!("{op:?} at {before}: larder {got:?}, naive {want:?}"),
        }
        assert_eq!(r.position(), naive.pos);
    }
});
