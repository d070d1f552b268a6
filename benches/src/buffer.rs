//! larder-buffer against its peers. (Rows arrive with the component.)

use crate::Pair;

/// The `buffer/…` pairs.
pub fn pairs() -> Vec<Pair> {
    Vec::new()
}
