#![doc = include_str!("../README.md")]

pub use larder_core::{
    AllocDelta, AllocSnapshot, ConfigError, CountingAlloc, Footprint, LeakReport, Limits, Oversize,
    RecyclePolicy, Rejected, Reset, Stats, ZeroStorage,
};

/// The shared vocabulary (`larder-core`): the sync shim, counters and leak tracking.
///
/// # Examples
///
/// ```
/// let c = larder::core_types::Counter::new();
/// c.add(1);
/// assert_eq!(c.get(), 1);
/// ```
pub mod core_types {
    pub use larder_core::*;
}

/// Object pools (`larder-object`).
#[cfg(feature = "object")]
pub use larder_object as object;

/// Zero-copy byte views (`larder-view`).
#[cfg(feature = "view")]
pub use larder_view as view;

/// Tiered byte-buffer pools (`larder-buffer`).
#[cfg(feature = "buffer")]
pub use larder_buffer as buffer;

/// Bump arenas (`larder-arena`).
#[cfg(feature = "arena")]
pub use larder_arena as arena;

/// Compact structures (`larder-compact`).
#[cfg(feature = "compact")]
pub use larder_compact as compact;
