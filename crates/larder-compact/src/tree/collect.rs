//! [`Tree::collect`]: free every node outside the subtrees of some roots.

use super::{NONE, Tree, TreeError};
use crate::collect::sweep;
use crate::{Collection, Collector, NodeId};
use core::mem::size_of;

impl<T> Tree<T> {
    /// Frees every node that is not in the subtree of one of `roots`, with the same mark
    /// and sweep as [`Collector::collect`] on `Slots` (no recursion, the collector's memory
    /// reused). This is how a tree sheds what it no longer links: [`detach`](Self::detach)
    /// or re-link nodes freely, then collect from the nodes that matter.
    ///
    /// A root whose parent is freed is detached first (it becomes a root of the forest), so
    /// every kept node's links stay valid. Stale links cannot occur in a tree, so
    /// [`Collection::stale_links`] is always 0.
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] if a root is stale; nothing is changed then.
    ///
    /// # Examples
    ///
    /// A small scene graph: detaching a branch and collecting frees the branch.
    ///
    /// ```
    /// use larder_compact::{Collector, Tree};
    ///
    /// let mut scene = Tree::new();
    /// let world = scene.new_node("world");
    /// let car = scene.append_new(world, "car")?;
    /// let wheel = scene.append_new(car, "wheel")?;
    /// let tree = scene.append_new(world, "tree")?;
    ///
    /// scene.detach(car)?; // the car leaves the scene, wheel and all
    /// let mut gc = Collector::new();
    /// let report = scene.collect(&mut gc, [world])?;
    /// assert_eq!(report.freed, 2);
    /// assert!(!scene.contains(car) && !scene.contains(wheel));
    /// assert_eq!(scene.len(), 2);
    /// assert_eq!(scene.parent(tree), Some(world));
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn collect(
        &mut self,
        collector: &mut Collector,
        roots: impl IntoIterator<Item = NodeId>,
    ) -> Result<Collection, TreeError> {
        let slot_count = self.nodes.slot_count();
        let Collector { marks, work } = collector;
        marks.clear();
        marks.grow(slot_count);
        work.clear();
        // roots first, all checked before anything changes; `work` keeps them for later
        for root in roots {
            let Some(i) = self.nodes.live_index(root) else {
                work.clear();
                return Err(TreeError::Missing);
            };
            work.push(i);
        }
        let root_count = work.len();
        let mut marked = 0usize;
        // mark: the subtree of every root, through child links, with an explicit stack
        // above the saved roots
        for r in 0..root_count {
            let i = work[r];
            if !marks.insert(i as usize) {
                continue;
            }
            work.push(i);
            while work.len() > root_count {
                let i = work.pop().expect("above the roots");
                marked += 1;
                let mut c = self.node(i).first_child;
                while c != NONE {
                    if marks.insert(c as usize) {
                        work.push(c);
                    }
                    c = self.node(c).next;
                }
            }
        }
        // a kept root under a freed parent becomes a root of its own
        for &i in &work[..root_count] {
            let parent = self.node(i).parent;
            if parent != NONE && !marks.contains(parent as usize) {
                self.unlink(i);
            }
        }
        work.clear();
        // sweep: every unmarked node is unreachable from the kept ones (its parent and
        // siblings are unmarked too), so its links need no repair
        let freed = sweep(marks, &mut self.nodes);
        Ok(Collection {
            marked,
            freed,
            freed_bytes: freed.saturating_mul(size_of::<super::Node<T>>()),
            stale_links: 0,
        })
    }
}
