//! [`Boxed`]: the heap block a pooled object lives in, a cache line (or more) of its own.

use core::fmt;
use core::mem::{align_of, size_of};
use core::ops::{Deref, DerefMut};

/// The size and alignment a [`Boxed`] block is rounded up to: one cache line.
///
/// # Examples
///
/// ```
/// assert_eq!(larder_object::LINE, 64);
/// ```
pub const LINE: usize = 64;

/// `T` padded and aligned to [`LINE`]: `repr(C)` puts `T` at offset 0.
#[repr(C, align(64))]
struct Line<T>(T);

const _: () = assert!(align_of::<Line<u8>>() == LINE);

/// An object in a heap block that starts on a cache line and fills whole lines, so that no
/// other heap object shares a line with it.
///
/// A pool keeps every object in one of these, and its raw API ([`Pool::take`],
/// [`Pool::give_back`](crate::Pool::give_back)) hands them over as they are. Objects move
/// between threads through a pool; in a plain `Box`, two small objects allocated one after
/// the other share a cache line, and two threads then write that line in turn with every
/// use of their own object (measured: two to three times the time per get + put). The
/// padding costs up to `LINE - 1` bytes per object.
///
/// Converting to and from `Box<T>` is free when `T` is itself aligned to `LINE` and a
/// multiple of it in size (see [`SAME_AS_BOX`](Self::SAME_AS_BOX)); otherwise it moves the
/// value into a new block.
///
/// [`Pool::take`]: crate::Pool::take
///
/// # Examples
///
/// ```
/// use larder_object::{Boxed, LINE};
///
/// let b = Boxed::new(7u32);
/// assert_eq!(*b, 7);
/// assert_eq!(&*b as *const u32 as usize % LINE, 0);
/// assert_eq!(b.into_inner(), 7);
/// ```
pub struct Boxed<T>(Box<Line<T>>);

impl<T> Boxed<T> {
    /// Whether `Box<T>` and `Boxed<T>` allocate the same layout, which makes
    /// [`from_box`](Self::from_box) and [`into_box`](Self::into_box) free.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_object::Boxed;
    ///
    /// #[repr(align(64))]
    /// struct Padded([u8; 64]);
    /// assert!(Boxed::<Padded>::SAME_AS_BOX);
    /// assert!(!Boxed::<u64>::SAME_AS_BOX);
    /// ```
    pub const SAME_AS_BOX: bool =
        size_of::<Line<T>>() == size_of::<T>() && align_of::<Line<T>>() == align_of::<T>();

    /// Moves `value` into a new block (one allocation, none for a zero-sized `T`).
    ///
    /// # Examples
    ///
    /// ```
    /// let b = larder_object::Boxed::new(String::from("x"));
    /// assert_eq!(b.as_str(), "x");
    /// ```
    #[inline]
    pub fn new(value: T) -> Self {
        Boxed(Box::new(Line(value)))
    }

    /// Moves the value out and frees the block.
    ///
    /// # Examples
    ///
    /// ```
    /// let v = larder_object::Boxed::new(vec![1u8]).into_inner();
    /// assert_eq!(v, [1]);
    /// ```
    #[inline]
    pub fn into_inner(self) -> T {
        self.0.0
    }

    /// Takes over a `Box<T>`: its block as it is when [`SAME_AS_BOX`](Self::SAME_AS_BOX),
    /// else the value, moved into a new block.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = larder_object::Boxed::from_box(Box::new(5u8));
    /// assert_eq!(*b, 5);
    /// ```
    #[inline]
    pub fn from_box(value: Box<T>) -> Self {
        if Self::SAME_AS_BOX {
            // SAFETY: `Line<T>` is `repr(C)` with `T` at offset 0, and with `SAME_AS_BOX` it
            // has the size and alignment of `T`, so the block `Box<T>` allocated with
            // `Layout::new::<T>()` is exactly a `Line<T>` block, holding a valid `T`.
            Boxed(unsafe { Box::from_raw(Box::into_raw(value).cast::<Line<T>>()) })
        } else {
            Self::new(*value)
        }
    }

    /// Gives the value up as a `Box<T>`: the same block when
    /// [`SAME_AS_BOX`](Self::SAME_AS_BOX), else the value, moved into a new one.
    ///
    /// # Examples
    ///
    /// ```
    /// let b: Box<u8> = larder_object::Boxed::new(5u8).into_box();
    /// assert_eq!(*b, 5);
    /// ```
    #[inline]
    pub fn into_box(self) -> Box<T> {
        if Self::SAME_AS_BOX {
            // SAFETY: as in `from_box`, the other way round: the block has the layout of `T`
            // and holds a valid `T` at offset 0.
            unsafe { Box::from_raw(Box::into_raw(self.0).cast::<T>()) }
        } else {
            Box::new(self.into_inner())
        }
    }
}

impl<T> Deref for Boxed<T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        &self.0.0
    }
}

impl<T> DerefMut for Boxed<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Boxed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[repr(align(64))]
    struct Wide([u8; 128]);

    #[test]
    fn blocks_are_whole_lines() {
        assert_eq!(size_of::<Line<u8>>(), LINE);
        assert_eq!(size_of::<Line<[u8; 65]>>(), 2 * LINE);
        assert_eq!(size_of::<Line<()>>(), 0);
        let blocks: Vec<Boxed<u64>> = (0..16).map(Boxed::new).collect();
        for (i, b) in blocks.iter().enumerate() {
            assert_eq!(core::ptr::from_ref::<u64>(b) as usize % LINE, 0);
            assert_eq!(**b, i as u64);
        }
    }

    #[test]
    fn box_round_trips_keep_the_value() {
        let b = Boxed::from_box(Box::new(String::from("moved")));
        assert_eq!(b.into_box().as_str(), "moved");
        const { assert!(Boxed::<Wide>::SAME_AS_BOX) };
        let wide = Box::new(Wide([3; 128]));
        let at = core::ptr::from_ref::<Wide>(&wide) as usize;
        let b = Boxed::from_box(wide);
        assert_eq!(core::ptr::from_ref::<Wide>(&b) as usize, at, "same block");
        let back = b.into_box();
        assert_eq!(
            core::ptr::from_ref::<Wide>(&back) as usize,
            at,
            "same block"
        );
        assert_eq!(back.0[127], 3);
        let unit = Boxed::from_box(Box::new(()));
        assert_eq!(unit.into_inner(), ());
    }
}
