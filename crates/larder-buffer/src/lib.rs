#![doc = include_str!("../README.md")]

mod buf;
mod classes;
mod lifeline;
mod pool;

pub use buf::PooledBuf;
pub use classes::{MAX_CLASSES, SizeClasses, TIERS_1K_64K_1M};
pub use pool::{BufferError, BufferPool, BufferPoolBuilder, BufferStats, LargeRequests};
