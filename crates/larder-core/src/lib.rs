#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "std")]
mod counting;
mod error;
mod leak;
mod limits;
mod recycle;
mod reset;
mod stats;
pub mod sync;

#[cfg(feature = "std")]
pub use counting::{AllocDelta, AllocSnapshot, CountingAlloc};
pub use error::ConfigError;
pub use leak::{LeakReport, LeakSite, LeakToken, LeakTracker};
pub use limits::Limits;
pub use recycle::{Footprint, Oversize, RecyclePolicy, Rejected, ZeroStorage};
pub use reset::Reset;
pub use stats::{Counter, Stats};

#[doc(hidden)]
pub mod __private {
    #[cfg(larder_loom)]
    pub use loom;
}
