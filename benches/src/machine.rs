//! What state the machine is in: printed beside a comparison so that its two-thread rows
//! (and the swings of its one-thread rows) can be read.
//!
//! A virtual machine's two cores may be two hardware threads of one physical core, and
//! whether they are can change while a run goes on. Two hardware threads of one core share
//! its execution units: code that keeps the units busy (larder's fast paths run at about
//! four instructions a cycle) slows down by up to 2× when the other thread is busy too,
//! while code that waits on memory or on a chain of dependent operations (an allocator, a
//! locked instruction) hardly does. The check runs one loop of each kind on one thread and
//! then on two at once.

use core::fmt;
use std::hint::black_box;
use std::time::Instant;

/// One check: each loop's time per iteration alone, and how much longer an iteration
/// takes when two threads run the loop at once.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// ns per iteration of the execution-bound loop on one thread.
    pub units_ns: f64,
    /// Its time per iteration on two threads at once over `units_ns`.
    pub units_two: f64,
    /// The same for the latency-bound loop.
    pub chain_two: f64,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "execution-bound loop {:.2} ns/iteration alone and {:.2}x that on two threads at \
             once, latency-bound loop {:.2}x on two threads (1x: each thread had a core's \
             execution units to itself; up to 2x: they shared them)",
            self.units_ns, self.units_two, self.chain_two,
        )
    }
}

/// Twelve independent register additions per iteration: as many instructions a cycle as
/// the integer units allow.
#[cfg(target_arch = "x86_64")]
#[inline(never)]
fn units(n: u64) -> u64 {
    let out: u64;
    // SAFETY: the assembly only adds to and counts down registers it declares, reads and
    // writes no memory and leaves the stack and flags to the compiler (no `preserves_flags`
    // is claimed).
    unsafe {
        core::arch::asm!(
            "2:",
            "add {a}, 1", "add {b}, 1", "add {c}, 1", "add {d}, 1",
            "add {a}, 1", "add {b}, 1", "add {c}, 1", "add {d}, 1",
            "add {a}, 1", "add {b}, 1", "add {c}, 1", "add {d}, 1",
            "dec {n}",
            "jnz 2b",
            n = inout(reg) n.max(1) => _,
            a = inout(reg) 0u64 => out,
            b = out(reg) _,
            c = out(reg) _,
            d = out(reg) _,
            options(nomem, nostack),
        );
    }
    out
}

/// Elsewhere, a portable stand-in (the compiler may schedule it differently).
#[cfg(not(target_arch = "x86_64"))]
#[inline(never)]
fn units(n: u64) -> u64 {
    let (mut a, mut b, mut c, mut d) = (0u64, 1u64, 2u64, 3u64);
    for _ in 0..n {
        a = black_box(a.wrapping_add(3));
        b = b.wrapping_add(a);
        c = c.wrapping_add(b);
        d = d.wrapping_add(c);
    }
    a ^ b ^ c ^ d
}

/// One chain of dependent multiplications: each waits for the last, the units mostly idle.
#[inline(never)]
fn chain(n: u64) -> u64 {
    let mut x = black_box(3u64);
    for _ in 0..n {
        x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 1;
    }
    x
}

/// ns per iteration of `f` run by `threads` threads at once (the slowest thread's).
fn per_iteration(f: fn(u64) -> u64, threads: usize, n: u64) -> f64 {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(move || black_box(f(black_box(n))));
        }
    });
    start.elapsed().as_secs_f64() * 1e9 / n as f64
}

/// Runs the check (about a quarter of a second): each loop alone and on two threads,
/// three times, keeping the median of each ratio.
pub fn check() -> Check {
    check_with(20_000_000)
}

/// [`check`] with `n` iterations of each loop per measurement.
fn check_with(n: u64) -> Check {
    let mut units_ns = Vec::new();
    let mut units_two = Vec::new();
    let mut chain_two = Vec::new();
    for _ in 0..3 {
        let alone = per_iteration(units, 1, n);
        units_ns.push(alone);
        units_two.push(per_iteration(units, 2, n) / alone);
        let alone = per_iteration(chain, 1, n);
        chain_two.push(per_iteration(chain, 2, n) / alone);
    }
    Check {
        units_ns: median(&mut units_ns),
        units_two: median(&mut units_two),
        chain_two: median(&mut chain_two),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loops_compute_what_they_should() {
        // Twelve additions of 1 split over four registers: `a` gets three per iteration.
        #[cfg(target_arch = "x86_64")]
        assert_eq!(units(5), 15);
        #[cfg(not(target_arch = "x86_64"))]
        black_box(units(5));
        let mut x = 3u64;
        for _ in 0..4 {
            x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 1;
        }
        assert_eq!(chain(4), x);
    }

    #[test]
    fn a_check_reports_positive_times_and_ratios() {
        let c = check_with(10_000);
        assert!(
            c.units_ns > 0.0 && c.units_two > 0.0 && c.chain_two > 0.0,
            "{c}"
        );
        assert!(c.to_string().contains("on two threads"));
    }
}
