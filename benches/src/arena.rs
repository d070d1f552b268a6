//! larder-arena against its peers. (Rows arrive with the component.)

use crate::Pair;

/// The `arena/…` pairs.
pub fn pairs() -> Vec<Pair> {
    Vec::new()
}
