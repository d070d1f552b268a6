//! The larder showcase: one record-processing pipeline run twice on the same input — once
//! with larder, once with plain allocation — with the allocator's own counts side by side.
//!
//! Producers read length-prefixed records from a synthetic stream into buffers and hand
//! them to consumers in batches; consumers parse each record, drop records whose id was
//! already seen, drop repeated keys inside a record, sort the fields, build a per-batch tree
//! of records and fields, and write a response per record (a header and the field values)
//! into a sink that digests it. With larder the buffers come from a `BufferPool` and are
//! frozen into `ByteView`s, parsing is `Reader` over views (no copies), per-batch scratch
//! lives in an arena from an `ArenaPool`, ids are deduplicated in an `AtomicBitSet`, keys in
//! a `BitSet`, the tree is a reused `Tree`, batches are pooled `Vec`s, and each response is
//! a `ViewChain` written with one vectored write. The plain run does the same work the way
//! code usually does it: a fresh `Vec` per read, copies of the fields, a `HashSet`, boxed
//! tree nodes, and a `format!`ted response.
//!
//! `cargo run --release -p larder --example showcase -- [--threads N] [--records N]
//!  [--duration SECS] [--seed S] [--quiet]`

use larder::CountingAlloc;
use larder::arena::ArenaPool;
use larder::buffer::BufferPool;
use larder::compact::{AtomicBitSet, BitSet, Tree};
use larder::object::{OwnedPooled, Pool};
use larder::view::{ByteView, LengthPrefix, Reader, ViewChain};
use std::collections::HashSet;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

const BATCH: usize = 64;
const MAX_KEY: u64 = 64;

// ---------------------------------------------------------------- the input

/// A tiny deterministic generator (xorshift64*), so both runs see the same input.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn put_uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// One record: `u64 id, u16 kind, uleb128 field count, fields (uleb128 key, u16-prefixed
/// value)`. The same id always gives the same bytes, so a repeated id is an exact duplicate.
fn record(id: u64, out: &mut Vec<u8>) {
    let mut rng = Rng::new(id ^ 0xC0FF_EE00);
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&(rng.below(16) as u16).to_le_bytes());
    let fields = 1 + rng.below(12);
    put_uleb(out, fields);
    for _ in 0..fields {
        put_uleb(out, rng.below(MAX_KEY));
        // most values are a few bytes to a few hundred; one in 64 is KiBs
        let len = if rng.below(64) == 0 {
            1024 + rng.below(15 * 1024)
        } else {
            (1u64 << rng.below(8)) + rng.below(16)
        } as usize;
        out.extend_from_slice(&(len as u16).to_le_bytes());
        let fill = rng.next() as u8;
        out.extend((0..len).map(|i| fill.wrapping_add(i as u8)));
    }
}

/// The stream: `u32 length, record` repeated; ids repeat about one time in five. Split into
/// one segment per producer.
fn input(records: usize, producers: usize, seed: u64) -> (Vec<u8>, Vec<(usize, usize)>, u64) {
    let mut rng = Rng::new(seed);
    let mut stream = Vec::new();
    let mut rec = Vec::new();
    let id_space = (records as u64 * 4 / 5).max(1);
    let mut segments = Vec::new();
    let per = records.div_ceil(producers);
    for p in 0..producers {
        let start = stream.len();
        for _ in (p * per)..((p + 1) * per).min(records) {
            rec.clear();
            record(rng.below(id_space), &mut rec);
            stream.extend_from_slice(&(rec.len() as u32).to_le_bytes());
            stream.extend_from_slice(&rec);
        }
        segments.push((start, stream.len()));
    }
    (stream, segments, id_space)
}

/// Reads the next record's length from a segment, as a socket reader would.
fn next_len(stream: &[u8], at: usize, end: usize) -> Option<usize> {
    if at >= end {
        return None;
    }
    let len = u32::from_le_bytes(stream[at..at + 4].try_into().unwrap()) as usize;
    Some(len)
}

// ---------------------------------------------------------------- the output

/// An `io::Write` that digests what is written, independent of how it is chunked.
#[derive(Default)]
struct Digest {
    hash: u64,
    pending: u64,
    pending_len: u32,
    bytes: u64,
}

impl Digest {
    fn word(&mut self, w: u64) {
        self.hash = (self.hash ^ w)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
    fn finish(mut self) -> u64 {
        let (p, n) = (self.pending, self.pending_len);
        self.word(p ^ ((n as u64) << 56));
        self.hash ^ self.bytes
    }
}

impl Write for Digest {
    fn write(&mut self, mut buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len();
        self.bytes += n as u64;
        while self.pending_len > 0 && !buf.is_empty() {
            self.pending |= (buf[0] as u64) << (8 * self.pending_len);
            self.pending_len = (self.pending_len + 1) % 8;
            buf = &buf[1..];
            if self.pending_len == 0 {
                let p = std::mem::take(&mut self.pending);
                self.word(p);
            }
        }
        let mut words = buf.chunks_exact(8);
        for w in &mut words {
            self.word(u64::from_le_bytes(w.try_into().unwrap()));
        }
        for &b in words.remainder() {
            self.pending |= (b as u64) << (8 * self.pending_len);
            self.pending_len += 1;
        }
        Ok(n)
    }

    fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
        let mut n = 0;
        for b in bufs {
            n += self.write(b)?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The response header, the same bytes in both runs.
fn header(out: &mut impl Write, id: u64, kind: u16, keys: usize) {
    writeln!(out, "{id:016x} kind={kind} keys={keys}").unwrap();
}

// ---------------------------------------------------------------- shared plumbing

struct Outcome {
    digest: u64,
    records: u64,
    unique: u64,
    seconds: f64,
    allocations: u64,
    peak_bytes: u64,
    per_segment: Vec<usize>,
    report: Vec<String>,
}

struct Progress {
    done: AtomicU64,
    stop: AtomicBool,
}

fn progress_line(label: &'static str, progress: &Progress, quiet: bool) {
    use std::io::IsTerminal;
    let quiet = quiet || !std::io::stderr().is_terminal();
    let start = Instant::now();
    while !progress.stop.load(Ordering::Relaxed) {
        // Parked, not asleep: `finish` unparks it, so a run's measured time does not
        // round up to the next quarter second.
        std::thread::park_timeout(Duration::from_millis(250));
        if !quiet {
            let n = progress.done.load(Ordering::Relaxed);
            eprint!(
                "\r  {label}: {n} records, {:.1} s   ",
                start.elapsed().as_secs_f64()
            );
        }
    }
    if !quiet {
        eprint!("\r{}\r", " ".repeat(60));
    }
}

type Handle<'s, R> = std::thread::ScopedJoinHandle<'s, R>;

/// Joins a run's threads: the records each producer read, and the summed digest and count
/// of the responses the consumers wrote.
fn finish(
    producers: Vec<Handle<'_, usize>>,
    consumers: Vec<Handle<'_, (u64, u64)>>,
    progress: &Progress,
    reporter: Handle<'_, ()>,
) -> (u64, u64, Vec<usize>) {
    let per_segment = producers.into_iter().map(|p| p.join().unwrap()).collect();
    let (mut digest, mut unique) = (0u64, 0u64);
    for c in consumers {
        let (d, u) = c.join().unwrap();
        digest = digest.wrapping_add(d);
        unique += u;
    }
    progress.stop.store(true, Ordering::Relaxed);
    reporter.thread().unpark();
    reporter.join().unwrap();
    (digest, unique, per_segment)
}

fn measure<R>(f: impl FnOnce() -> R) -> (R, f64, u64, u64) {
    CountingAlloc::reset_peak();
    let before = CountingAlloc::snapshot();
    let start = Instant::now();
    let r = f();
    let seconds = start.elapsed().as_secs_f64();
    let after = CountingAlloc::snapshot();
    let allocations =
        (after.allocations + after.reallocations) - (before.allocations + before.reallocations);
    (
        r,
        seconds,
        allocations,
        after.peak_bytes.saturating_sub(before.live_bytes),
    )
}

struct Config {
    consumers: usize,
    deadline: Option<Instant>,
    quiet: bool,
}

// ---------------------------------------------------------------- with larder

fn run_larder(stream: &[u8], segments: &[(usize, usize)], ids: u64, cfg: &Config) -> Outcome {
    let buffers = BufferPool::builder()
        .powers_of_two(64, 64 * 1024)
        .max_retained_bytes(64 << 20)
        .build()
        .expect("valid buffer pool");
    let batches: Arc<Pool<Vec<ByteView>>> = Arc::new(Pool::new(|| Vec::with_capacity(BATCH)));
    let arenas = ArenaPool::new();
    let seen = AtomicBitSet::new(ids as usize);
    let progress = Progress {
        done: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    };
    let (result, seconds, allocations, peak_bytes) = measure(|| {
        std::thread::scope(|s| {
            let reporter = s.spawn(|| progress_line("larder", &progress, cfg.quiet));
            let (tx, rx) = sync_channel::<OwnedPooled<Vec<ByteView>>>(cfg.consumers * 4);
            let rx = Arc::new(Mutex::new(rx));
            let producers: Vec<_> = segments
                .iter()
                .map(|&(start, end)| {
                    let (tx, buffers, batches) = (tx.clone(), &buffers, &batches);
                    s.spawn(move || produce_larder(stream, start, end, cfg, tx, buffers, batches))
                })
                .collect();
            drop(tx);
            let consumers: Vec<_> = (0..cfg.consumers)
                .map(|_| {
                    let (rx, buffers, arenas, seen, progress) =
                        (rx.clone(), &buffers, &arenas, &seen, &progress);
                    s.spawn(move || consume_larder(rx, buffers, arenas, seen, progress))
                })
                .collect();
            finish(producers, consumers, &progress, reporter)
        })
    });
    let (digest, unique, per_segment) = result;
    let b = buffers.stats();
    let report = vec![
        format!("buffer pool   {}", b.total),
        format!("batch pool    {}", batches.stats()),
        format!("arena pool    {}", arenas.stats()),
    ];
    Outcome {
        digest,
        records: per_segment.iter().sum::<usize>() as u64,
        unique,
        seconds,
        allocations,
        peak_bytes,
        per_segment,
        report,
    }
}

fn produce_larder(
    stream: &[u8],
    start: usize,
    end: usize,
    cfg: &Config,
    tx: SyncSender<OwnedPooled<Vec<ByteView>>>,
    buffers: &BufferPool,
    batches: &Arc<Pool<Vec<ByteView>>>,
) -> usize {
    let (mut at, mut count) = (start, 0);
    let mut batch = batches.get_owned();
    while let Some(len) = next_len(stream, at, end) {
        // "read" the record from the socket into a pooled buffer
        let mut buf = buffers.get(len);
        buf.extend_from_slice(&stream[at + 4..at + 4 + len]);
        batch.push(buf.freeze());
        at += 4 + len;
        count += 1;
        if batch.len() == BATCH {
            tx.send(std::mem::replace(&mut batch, batches.get_owned()))
                .unwrap();
            if cfg.deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
        }
    }
    if !batch.is_empty() {
        tx.send(batch).unwrap();
    }
    count
}

#[derive(Clone, Copy)]
enum Node {
    Batch,
    Record { id: u64, kind: u16, index: usize },
    Field { key: u16, start: usize, len: usize },
}

fn consume_larder(
    rx: Arc<Mutex<Receiver<OwnedPooled<Vec<ByteView>>>>>,
    buffers: &BufferPool,
    arenas: &ArenaPool,
    seen: &AtomicBitSet,
    progress: &Progress,
) -> (u64, u64) {
    let (mut digest, mut unique) = (0u64, 0u64);
    let mut tree: Tree<Node> = Tree::with_capacity(BATCH * 16);
    let mut keys = BitSet::new(MAX_KEY as usize);
    let mut chain = ViewChain::with_capacity(16);
    loop {
        let batch = match rx.lock().unwrap().recv() {
            Ok(batch) => batch,
            Err(_) => break,
        };
        let arena = arenas.get();
        tree.clear();
        let root = tree.new_node(Node::Batch);
        for (index, view) in batch.iter().enumerate() {
            let mut r = Reader::new(view);
            let id = r.read_u64_le().expect("id");
            if seen.test_and_set(id as usize) {
                continue; // a duplicate id: already answered
            }
            let kind = r.read_u16_le().expect("kind");
            let n = r.read_uleb128_u64().expect("field count") as usize;
            let rec = tree
                .append_new(root, Node::Record { id, kind, index })
                .expect("root exists");
            // Parse the fields into arena scratch: (key, offset, length), no copies.
            let mut fields = arena.vec::<(u16, usize, usize)>();
            keys.clear();
            for _ in 0..n {
                let key = r.read_uleb128_u64().expect("key") as u16;
                let value = r.read_prefixed(LengthPrefix::U16Le).expect("value");
                if keys.insert(key as usize) {
                    let start = value.as_ptr() as usize - view.as_ptr() as usize;
                    fields.push((key, start, value.len()));
                }
            }
            fields.sort_unstable_by_key(|f| f.0);
            for &(key, start, len) in fields.iter() {
                tree.append_new(rec, Node::Field { key, start, len })
                    .expect("record exists");
            }
        }
        // Answer every record of the batch, walking the tree.
        let mut next = tree.first_child(root);
        while let Some(rec) = next {
            let Some(&Node::Record { id, kind, index }) = tree.get(rec) else {
                unreachable!()
            };
            let view = &batch[index];
            let keys_n = tree.children(rec).map_or(0, |c| c.count());
            let mut head = buffers.get(64);
            header(&mut head, id, kind, keys_n);
            chain.push(head.freeze());
            for child in tree.children(rec).expect("record exists") {
                if let Some(&Node::Field { key, start, len }) = tree.get(child) {
                    let mut tag = buffers.get(16);
                    write!(tag, "\n{key}:").unwrap();
                    chain.push(tag.freeze());
                    chain.push(view.slice(start..start + len));
                }
            }
            let mut sink = Digest::default();
            chain.write_all_to(&mut sink).expect("a digest never fails");
            chain.clear();
            digest = digest.wrapping_add(sink.finish());
            unique += 1;
            next = tree.next_sibling(rec);
        }
        progress
            .done
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        drop(arena);
        drop(batch);
    }
    (digest, unique)
}

// ---------------------------------------------------------------- plain allocation

struct PlainNode {
    id: u64,
    kind: u16,
    fields: Vec<(u16, Vec<u8>)>,
}

fn run_plain(
    stream: &[u8],
    segments: &[(usize, usize)],
    limits: &[usize],
    cfg: &Config,
) -> Outcome {
    let seen = Mutex::new(HashSet::new());
    let progress = Progress {
        done: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    };
    let (result, seconds, allocations, peak_bytes) = measure(|| {
        std::thread::scope(|s| {
            let reporter = s.spawn(|| progress_line("plain", &progress, cfg.quiet));
            let (tx, rx) = sync_channel::<Vec<Vec<u8>>>(cfg.consumers * 4);
            let rx = Arc::new(Mutex::new(rx));
            let producers: Vec<_> = segments
                .iter()
                .zip(limits)
                .map(|(&(start, end), &limit)| {
                    let tx = tx.clone();
                    s.spawn(move || {
                        let (mut at, mut count) = (start, 0);
                        let mut batch = Vec::new();
                        while let Some(len) = next_len(stream, at, end).filter(|_| count < limit) {
                            let mut buf = Vec::with_capacity(len);
                            buf.extend_from_slice(&stream[at + 4..at + 4 + len]);
                            batch.push(buf);
                            at += 4 + len;
                            count += 1;
                            if batch.len() == BATCH {
                                tx.send(std::mem::take(&mut batch)).unwrap();
                            }
                        }
                        if !batch.is_empty() {
                            tx.send(batch).unwrap();
                        }
                        count
                    })
                })
                .collect();
            drop(tx);
            let consumers: Vec<_> = (0..cfg.consumers)
                .map(|_| {
                    let (rx, seen, progress) = (rx.clone(), &seen, &progress);
                    s.spawn(move || consume_plain(rx, seen, progress))
                })
                .collect();
            finish(producers, consumers, &progress, reporter)
        })
    });
    let (digest, unique, per_segment) = result;
    Outcome {
        digest,
        records: per_segment.iter().sum::<usize>() as u64,
        unique,
        seconds,
        allocations,
        peak_bytes,
        per_segment,
        report: Vec::new(),
    }
}

fn uleb(data: &[u8], at: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let b = data[*at];
        *at += 1;
        v |= ((b & 0x7F) as u64) << shift;
        if b & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

fn consume_plain(
    rx: Arc<Mutex<Receiver<Vec<Vec<u8>>>>>,
    seen: &Mutex<HashSet<u64>>,
    progress: &Progress,
) -> (u64, u64) {
    let (mut digest, mut unique) = (0u64, 0u64);
    loop {
        let batch = match rx.lock().unwrap().recv() {
            Ok(batch) => batch,
            Err(_) => break,
        };
        let mut tree: Vec<Box<PlainNode>> = Vec::new();
        for data in &batch {
            let id = u64::from_le_bytes(data[0..8].try_into().unwrap());
            if !seen.lock().unwrap().insert(id) {
                continue;
            }
            let kind = u16::from_le_bytes(data[8..10].try_into().unwrap());
            let mut at = 10;
            let n = uleb(data, &mut at);
            let mut keys = HashSet::new();
            let mut fields = Vec::new();
            for _ in 0..n {
                let key = uleb(data, &mut at) as u16;
                let len = u16::from_le_bytes(data[at..at + 2].try_into().unwrap()) as usize;
                at += 2;
                let value = data[at..at + len].to_vec();
                at += len;
                if keys.insert(key) {
                    fields.push((key, value));
                }
            }
            fields.sort_unstable_by_key(|f| f.0);
            tree.push(Box::new(PlainNode { id, kind, fields }));
        }
        for node in &tree {
            let mut response = Vec::new();
            header(&mut response, node.id, node.kind, node.fields.len());
            for field in &node.fields {
                response.extend_from_slice(format!("\n{}:", field.0).as_bytes());
                response.extend_from_slice(&field.1);
            }
            let mut sink = Digest::default();
            sink.write_all(&response).unwrap();
            digest = digest.wrapping_add(sink.finish());
            unique += 1;
        }
        progress
            .done
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
    }
    (digest, unique)
}

// ---------------------------------------------------------------- main

fn main() {
    let mut threads = 4usize;
    let mut records = 400_000usize;
    let mut duration = 25.0f64;
    let mut seed = 0x5EED_u64;
    let mut quiet = false;
    let usage = "flags: --threads N (>= 2) --records N --duration SECS --seed S --quiet";
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--quiet" {
            quiet = true;
            continue;
        }
        let value = args.next().unwrap_or_default();
        let ok = match flag.as_str() {
            "--threads" => value.parse().map(|v| threads = v).is_ok(),
            "--records" => value.parse().map(|v| records = v).is_ok(),
            "--duration" => value.parse().map(|v| duration = v).is_ok(),
            "--seed" => value.parse().map(|v| seed = v).is_ok(),
            _ => false,
        };
        if !ok || threads < 2 || records == 0 || duration <= 0.0 {
            eprintln!("bad flag {flag} {value:?}; {usage}");
            std::process::exit(2);
        }
    }
    let producers = (threads / 2).max(1);
    let consumers = (threads - producers).max(1);
    let (stream, segments, ids) = input(records, producers, seed);
    println!(
        "larder showcase: {records} records ({:.1} MiB), {producers} producer and {consumers} \
         consumer threads, seed {seed}",
        stream.len() as f64 / (1 << 20) as f64
    );
    // Each run gets half the time budget; the larder run goes first and sets how many
    // records of each segment both runs process, so both see exactly the same input.
    let half = Duration::from_secs_f64(duration / 2.0);
    let larder_cfg = Config {
        consumers,
        deadline: Some(Instant::now() + half),
        quiet,
    };
    let larder = run_larder(&stream, &segments, ids, &larder_cfg);
    let plain_cfg = Config {
        deadline: None,
        ..larder_cfg
    };
    let plain = run_plain(&stream, &segments, &larder.per_segment, &plain_cfg);

    println!();
    println!("| run | records | records/s | allocations/record | peak live bytes |");
    println!("|---|---:|---:|---:|---:|");
    for (name, o) in [("plain allocation", &plain), ("larder", &larder)] {
        println!(
            "| {name} | {} | {:.0} | {:.3} | {} |",
            o.records,
            o.records as f64 / o.seconds,
            o.allocations as f64 / o.records as f64,
            o.peak_bytes
        );
    }
    println!();
    let speedup = (larder.records as f64 / larder.seconds) / (plain.records as f64 / plain.seconds);
    let fewer = (plain.allocations as f64 / plain.records as f64)
        / (larder.allocations.max(1) as f64 / larder.records as f64);
    println!("larder: {speedup:.2}x the throughput, {fewer:.0}x fewer allocations per record");
    for line in &larder.report {
        println!("{line}");
    }
    assert_eq!(
        plain.records, larder.records,
        "both runs read the same records"
    );
    assert_eq!(
        plain.unique, larder.unique,
        "both runs answered the same records"
    );
    assert_eq!(
        plain.digest, larder.digest,
        "both runs must write the same responses"
    );
    println!(
        "output digest {:016x} over {} responses: identical in both runs",
        larder.digest, larder.unique
    );
}
