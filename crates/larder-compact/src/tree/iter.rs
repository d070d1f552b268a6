//! The iterators of [`Tree`]: children, ancestors, pre-order, post-order, breadth-first.
//! All but breadth-first keep O(1) state and follow links; none recurses.

use super::{NONE, NodeId, Tree};
use alloc::collections::VecDeque;
use core::iter::FusedIterator;

/// The iterator of [`Tree::children`].
///
/// # Examples
///
/// ```
/// let mut t = larder_compact::Tree::new();
/// let r = t.new_node(0);
/// t.append_new(r, 1)?;
/// let it: larder_compact::tree::Children<'_, i32> = t.children(r)?;
/// assert_eq!(it.count(), 1);
/// # Ok::<(), larder_compact::TreeError>(())
/// ```
pub struct Children<'a, T> {
    pub(super) tree: &'a Tree<T>,
    pub(super) front: u32,
    pub(super) back: u32,
}

impl<T> Iterator for Children<'_, T> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.front == NONE {
            return None;
        }
        let i = self.front;
        if i == self.back {
            self.front = NONE;
            self.back = NONE;
        } else {
            self.front = self.tree.node(i).next;
        }
        Some(self.tree.id(i))
    }
}

impl<T> DoubleEndedIterator for Children<'_, T> {
    fn next_back(&mut self) -> Option<NodeId> {
        if self.back == NONE {
            return None;
        }
        let i = self.back;
        if i == self.front {
            self.front = NONE;
            self.back = NONE;
        } else {
            self.back = self.tree.node(i).prev;
        }
        Some(self.tree.id(i))
    }
}

impl<T> FusedIterator for Children<'_, T> {}

/// The iterator of [`Tree::ancestors`].
///
/// # Examples
///
/// ```
/// let mut t = larder_compact::Tree::new();
/// let r = t.new_node(0);
/// let c = t.append_new(r, 1)?;
/// let it: larder_compact::tree::Ancestors<'_, i32> = t.ancestors(c)?;
/// assert_eq!(it.count(), 1);
/// # Ok::<(), larder_compact::TreeError>(())
/// ```
pub struct Ancestors<'a, T> {
    pub(super) tree: &'a Tree<T>,
    pub(super) next: u32,
}

impl<T> Iterator for Ancestors<'_, T> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let i = self.next;
        self.next = self.tree.node(i).parent;
        Some(self.tree.id(i))
    }
}

impl<T> FusedIterator for Ancestors<'_, T> {}

/// The iterator of [`Tree::descendants`] (pre-order, O(1) state).
///
/// # Examples
///
/// ```
/// let mut t = larder_compact::Tree::new();
/// let r = t.new_node(0);
/// let it: larder_compact::tree::Descendants<'_, i32> = t.descendants(r)?;
/// assert_eq!(it.count(), 1);
/// # Ok::<(), larder_compact::TreeError>(())
/// ```
pub struct Descendants<'a, T> {
    pub(super) tree: &'a Tree<T>,
    pub(super) root: u32,
    pub(super) next: u32,
}

impl<T> Iterator for Descendants<'_, T> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let i = self.next;
        let n = self.tree.node(i);
        self.next = if n.first_child != NONE {
            n.first_child
        } else {
            // Climb until a node (below the root) has a next sibling.
            let mut x = i;
            loop {
                if x == self.root {
                    break NONE;
                }
                let xn = self.tree.node(x);
                if xn.next != NONE {
                    break xn.next;
                }
                x = xn.parent;
            }
        };
        Some(self.tree.id(i))
    }
}

impl<T> FusedIterator for Descendants<'_, T> {}

/// The iterator of [`Tree::post_order`] (O(1) state).
///
/// # Examples
///
/// ```
/// let mut t = larder_compact::Tree::new();
/// let r = t.new_node(0);
/// let it: larder_compact::tree::PostOrder<'_, i32> = t.post_order(r)?;
/// assert_eq!(it.count(), 1);
/// # Ok::<(), larder_compact::TreeError>(())
/// ```
pub struct PostOrder<'a, T> {
    pub(super) tree: &'a Tree<T>,
    pub(super) root: u32,
    pub(super) next: u32,
}

impl<T> Iterator for PostOrder<'_, T> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let i = self.next;
        self.next = if i == self.root {
            NONE
        } else {
            let n = self.tree.node(i);
            if n.next != NONE {
                self.tree.deepest_first(n.next)
            } else {
                n.parent
            }
        };
        Some(self.tree.id(i))
    }
}

impl<T> FusedIterator for PostOrder<'_, T> {}

/// The iterator of [`Tree::breadth_first`].
///
/// # Examples
///
/// ```
/// let mut t = larder_compact::Tree::new();
/// let r = t.new_node(0);
/// let it: larder_compact::tree::BreadthFirst<'_, i32> = t.breadth_first(r)?;
/// assert_eq!(it.count(), 1);
/// # Ok::<(), larder_compact::TreeError>(())
/// ```
pub struct BreadthFirst<'a, T> {
    pub(super) tree: &'a Tree<T>,
    pub(super) queue: VecDeque<u32>,
}

impl<T> Iterator for BreadthFirst<'_, T> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let i = self.queue.pop_front()?;
        let mut c = self.tree.node(i).first_child;
        while c != NONE {
            self.queue.push_back(c);
            c = self.tree.node(c).next;
        }
        Some(self.tree.id(i))
    }
}

impl<T> FusedIterator for BreadthFirst<'_, T> {}
