#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod boxed;
mod budget;
mod builder;
mod cache;
mod guard;
mod local;
mod pool;
mod shared;
mod tls;

pub use boxed::{Boxed, LINE};
pub use builder::{DEFAULT_CACHE_SIZE, MAX_CACHE_SIZE, PoolBuilder};
pub use guard::{OwnedPooled, Pooled};
pub use larder_core::{ConfigError, LeakReport, Limits, RecyclePolicy, Reset, Stats};
pub use pool::Pool;

#[cfg(test)]
mod tests;
