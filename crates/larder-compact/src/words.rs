//! Loops over `u64` words, with the fastest instructions the CPU has picked at run time.
//!
//! Every loop has one portable body. Under the `std` feature on x86-64, when the crate is
//! not already compiled for a CPU that has them, the same body is also compiled inside
//! `#[target_feature]` functions (POPCNT, and AVX2 + POPCNT) and `is_x86_feature_detected!`
//! picks one per call. Detection is a cached atomic load, so the choice costs a load and a
//! branch per call, and calls on fewer than [`DISPATCH_MIN`] words skip it.
//!
//! Without `std` (or on other architectures) the portable body runs; if the build already
//! enables `popcnt` (e.g. `-C target-cpu=native`), it compiles to the same instructions.

/// Below this many words the portable loop runs without asking the CPU.
#[cfg_attr(
    not(all(feature = "std", target_arch = "x86_64", not(target_feature = "avx2"))),
    allow(dead_code)
)]
pub(crate) const DISPATCH_MIN: usize = 8;

#[inline(always)]
fn count_body(words: &[u64]) -> u64 {
    let mut total = 0u64;
    for &w in words {
        total += u64::from(w.count_ones());
    }
    total
}

#[inline(always)]
fn count2_body(a: &[u64], b: &[u64], f: impl Fn(u64, u64) -> u64) -> u64 {
    let mut total = 0u64;
    for (&x, &y) in a.iter().zip(b) {
        total += u64::from(f(x, y).count_ones());
    }
    total
}

#[inline(always)]
fn apply2_body(a: &mut [u64], b: &[u64], f: impl Fn(u64, u64) -> u64) {
    for (x, &y) in a.iter_mut().zip(b) {
        *x = f(*x, y);
    }
}

#[cfg(all(
    feature = "std",
    target_arch = "x86_64",
    not(target_feature = "popcnt")
))]
mod x86 {
    //! The portable bodies compiled for POPCNT and for AVX2 + POPCNT. These functions are
    //! `unsafe` only because they use instructions the CPU might lack; their bodies are safe.

    #[target_feature(enable = "popcnt")]
    pub(super) unsafe fn count_popcnt(words: &[u64]) -> u64 {
        super::count_body(words)
    }

    #[target_feature(enable = "avx2,popcnt")]
    pub(super) unsafe fn count_avx2(words: &[u64]) -> u64 {
        super::count_body(words)
    }

    #[target_feature(enable = "popcnt")]
    pub(super) unsafe fn count2_popcnt(a: &[u64], b: &[u64], f: impl Fn(u64, u64) -> u64) -> u64 {
        super::count2_body(a, b, f)
    }

    #[target_feature(enable = "avx2,popcnt")]
    pub(super) unsafe fn count2_avx2(a: &[u64], b: &[u64], f: impl Fn(u64, u64) -> u64) -> u64 {
        super::count2_body(a, b, f)
    }
}

#[cfg(all(feature = "std", target_arch = "x86_64", not(target_feature = "avx2")))]
mod x86_avx2 {
    //! The in-place loop compiled for AVX2 (`unsafe` only for the instructions it uses).

    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn apply2(a: &mut [u64], b: &[u64], f: impl Fn(u64, u64) -> u64) {
        super::apply2_body(a, b, f)
    }
}

/// Which word loops this CPU runs (for documentation and benchmarks).
///
/// # Examples
///
/// ```
/// let k = larder_compact::word_kernel();
/// assert!(["portable", "popcnt", "avx2"].contains(&k));
/// ```
pub fn word_kernel() -> &'static str {
    #[cfg(all(
        feature = "std",
        target_arch = "x86_64",
        not(target_feature = "popcnt")
    ))]
    {
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("popcnt") {
            return "avx2";
        }
        if std::is_x86_feature_detected!("popcnt") {
            return "popcnt";
        }
    }
    #[cfg(target_feature = "popcnt")]
    {
        "popcnt"
    }
    #[cfg(not(target_feature = "popcnt"))]
    {
        "portable"
    }
}

/// The number of one bits in `words`.
#[inline]
pub(crate) fn count_ones(words: &[u64]) -> u64 {
    #[cfg(all(
        feature = "std",
        target_arch = "x86_64",
        not(target_feature = "popcnt")
    ))]
    if words.len() >= DISPATCH_MIN {
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("popcnt") {
            // SAFETY: `is_x86_feature_detected!` just reported AVX2 and POPCNT on this CPU.
            return unsafe { x86::count_avx2(words) };
        }
        if std::is_x86_feature_detected!("popcnt") {
            // SAFETY: `is_x86_feature_detected!` just reported POPCNT on this CPU.
            return unsafe { x86::count_popcnt(words) };
        }
    }
    count_body(words)
}

/// The number of one bits in `f(a[i], b[i])` over the common prefix of `a` and `b`.
#[inline]
pub(crate) fn count2(a: &[u64], b: &[u64], f: impl Fn(u64, u64) -> u64) -> u64 {
    #[cfg(all(
        feature = "std",
        target_arch = "x86_64",
        not(target_feature = "popcnt")
    ))]
    if a.len().min(b.len()) >= DISPATCH_MIN {
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("popcnt") {
            // SAFETY: `is_x86_feature_detected!` just reported AVX2 and POPCNT on this CPU.
            return unsafe { x86::count2_avx2(a, b, f) };
        }
        if std::is_x86_feature_detected!("popcnt") {
            // SAFETY: `is_x86_feature_detected!` just reported POPCNT on this CPU.
            return unsafe { x86::count2_popcnt(a, b, f) };
        }
    }
    count2_body(a, b, f)
}

/// `a[i] = f(a[i], b[i])` over the common prefix of `a` and `b`.
#[inline]
pub(crate) fn apply2(a: &mut [u64], b: &[u64], f: impl Fn(u64, u64) -> u64) {
    #[cfg(all(feature = "std", target_arch = "x86_64", not(target_feature = "avx2")))]
    if a.len().min(b.len()) >= DISPATCH_MIN && std::is_x86_feature_detected!("avx2") {
        // SAFETY: `is_x86_feature_detected!` just reported AVX2 on this CPU.
        return unsafe { x86_avx2::apply2(a, b, f) };
    }
    apply2_body(a, b, f)
}

/// Position of the `k`-th (0-based) one bit of `w`; `k < w.count_ones()`.
#[inline]
pub(crate) fn select_in_word(mut w: u64, mut k: u32) -> u32 {
    debug_assert!(k < w.count_ones());
    let mut base = 0u32;
    // Halve the search window while counting, then finish bit by bit in one byte.
    for width in [32u32, 16, 8] {
        let low = w & ((1u64 << width) - 1);
        let c = low.count_ones();
        if k >= c {
            k -= c;
            w >>= width;
            base += width;
        } else {
            w = low;
        }
    }
    for _ in 0..k {
        w &= w - 1;
    }
    base + w.trailing_zeros()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_in_word_finds_every_bit() {
        for w in [1u64, u64::MAX, 0x8000_0000_0000_0001, 0xF0F0_0000_0F0F_1234] {
            let positions: alloc::vec::Vec<u32> = (0..64).filter(|b| w >> b & 1 == 1).collect();
            for (k, &p) in positions.iter().enumerate() {
                assert_eq!(select_in_word(w, k as u32), p, "w={w:#x} k={k}");
            }
        }
    }

    #[test]
    fn dispatched_loops_match_portable() {
        let a: alloc::vec::Vec<u64> = (0..100u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        let b: alloc::vec::Vec<u64> = a.iter().map(|w| w.rotate_left(17)).collect();
        assert_eq!(count_ones(&a), count_body(&a));
        assert_eq!(
            count2(&a, &b, |x, y| x & y),
            count2_body(&a, &b, |x, y| x & y)
        );
        let mut c = a.clone();
        apply2(&mut c, &b, |x, y| x ^ y);
        let mut d = a.clone();
        apply2_body(&mut d, &b, |x, y| x ^ y);
        assert_eq!(c, d);
    }
}
