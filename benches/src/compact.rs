//! larder-compact against its peers. (Rows arrive with the component.)

use crate::Pair;

/// The `compact/…` pairs.
pub fn pairs() -> Vec<Pair> {
    Vec::new()
}
