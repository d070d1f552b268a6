//! [`Tree`]: an ordered tree whose nodes live in one [`Slots`], linked by indices; its
//! iterators are in `iter.rs`.

use crate::Slots;
use crate::key::Key;
use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::fmt;

mod collect;
mod iter;

pub use iter::{Ancestors, BreadthFirst, Children, Descendants, PostOrder};

/// No link.
const NONE: u32 = u32::MAX;

crate::new_key_type! {
    /// A node of a [`Tree`]: 8 bytes, stale once the node is removed.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let id: larder_compact::NodeId = t.new_node("root");
    /// assert_eq!(t[id], "root");
    /// ```
    pub struct NodeId;
}

/// Why a tree operation was refused; the tree is unchanged.
///
/// # Examples
///
/// ```
/// use larder_compact::{Tree, TreeError};
///
/// let mut t = Tree::new();
/// let a = t.new_node(1);
/// let b = t.append_new(a, 2)?;
/// assert_eq!(t.append(b, a), Err(TreeError::WouldCycle));
/// # Ok::<(), TreeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TreeError {
    /// A node id is stale (its node was removed) or from another tree.
    Missing,
    /// The move would make a node its own ancestor.
    WouldCycle,
    /// A node was asked to be placed next to itself.
    SameNode,
    /// Siblings were asked of a root: roots have no siblings.
    NoParent,
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TreeError::Missing => "the node id is stale or from another tree",
            TreeError::WouldCycle => "the move would make a node its own ancestor",
            TreeError::SameNode => "a node cannot be placed next to itself",
            TreeError::NoParent => "a root node has no siblings",
        })
    }
}

impl core::error::Error for TreeError {}

#[derive(Clone)]
struct Node<T> {
    parent: u32,
    first_child: u32,
    last_child: u32,
    prev: u32,
    next: u32,
    value: T,
}

/// An ordered tree (a forest, really: every detached node is a root) whose nodes are in
/// one [`Slots`] and linked by `u32` slot indices.
///
/// Layout: one slot per node holding the value and five `u32` links: parent, first and
/// last child, previous and next sibling (`u32::MAX` for none). A [`NodeId`] is the 8-byte
/// generational key of the node's slot, so ids of removed nodes go stale instead of
/// reaching a new node.
///
/// Costs: creating a node is a [`Slots::insert`]; linking and unlinking change at most
/// four neighbours, O(1). Moving a node that has children under another node first walks
/// the new parent's ancestors to refuse cycles (O(depth)); moving a leaf or linking a new
/// node needs no walk. Removing a node lifts its children into its place (O(children));
/// removing a subtree is O(subtree). **Nothing is recursive**: iterators follow links
/// with O(1) state (breadth-first keeps a queue), so a chain of a million nodes is
/// fine, and dropping a tree is dropping one `Vec`.
///
/// # Examples
///
/// ```
/// use larder_compact::Tree;
///
/// let mut t = Tree::new();
/// let root = t.new_node("html");
/// let head = t.append_new(root, "head")?;
/// let body = t.append_new(root, "body")?;
/// let p = t.append_new(body, "p")?;
/// let names: Vec<_> = t.descendants(root)?.map(|n| t[n]).collect();
/// assert_eq!(names, ["html", "head", "body", "p"]);
/// t.remove(body)?; // p is lifted into body's place
/// assert_eq!(t.children(root)?.collect::<Vec<_>>(), [head, p]);
/// # Ok::<(), larder_compact::TreeError>(())
/// ```
///
/// A `Tree` is `Send`/`Sync` exactly when its values are (derived from its fields; no
/// `unsafe impl`):
///
/// ```compile_fail
/// fn needs_sync<T: Sync>(_: &T) {}
/// let t: larder_compact::Tree<std::cell::Cell<u8>> = larder_compact::Tree::new();
/// needs_sync(&t);
/// ```
pub struct Tree<T> {
    nodes: Slots<NodeId, Node<T>>,
}

impl<T: Clone> Clone for Tree<T> {
    fn clone(&self) -> Self {
        Tree {
            nodes: self.nodes.clone(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Tree<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.nodes.iter().map(|(k, n)| (k, &n.value)))
            .finish()
    }
}

impl<T> Default for Tree<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> core::ops::Index<NodeId> for Tree<T> {
    type Output = T;

    /// # Panics
    ///
    /// If the id is stale.
    #[track_caller]
    fn index(&self, id: NodeId) -> &T {
        &self.nodes[id].value
    }
}

impl<T> core::ops::IndexMut<NodeId> for Tree<T> {
    /// # Panics
    ///
    /// If the id is stale.
    #[track_caller]
    fn index_mut(&mut self, id: NodeId) -> &mut T {
        &mut self.nodes[id].value
    }
}

impl<T> Tree<T> {
    /// An empty tree.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::Tree::<u8>::new().is_empty());
    /// ```
    pub const fn new() -> Self {
        Tree {
            nodes: Slots::new(),
        }
    }

    /// An empty tree with room for `capacity` nodes.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = larder_compact::Tree::<u8>::with_capacity(100);
    /// assert!(t.capacity() >= 100);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        Tree {
            nodes: Slots::with_capacity(capacity),
        }
    }

    /// Nodes held.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// t.new_node(1);
    /// assert_eq!(t.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree has no nodes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::Tree::<u8>::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Nodes held without reallocating.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::Tree::<u8>::with_capacity(5).capacity() >= 5);
    /// ```
    pub fn capacity(&self) -> usize {
        self.nodes.capacity()
    }

    /// Removes every node (all ids go stale), keeping the memory.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// t.clear();
    /// assert!(t.is_empty() && !t.contains(a));
    /// ```
    pub fn clear(&mut self) {
        self.nodes.clear();
    }

    /// A new detached node (a root).
    ///
    /// # Panics
    ///
    /// If `u32::MAX` slots are in use.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node('a');
    /// assert_eq!(t.parent(a), None);
    /// ```
    pub fn new_node(&mut self, value: T) -> NodeId {
        self.nodes.insert(Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: NONE,
            value,
        })
    }

    /// Whether `id` is a live node of this tree.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// assert!(t.contains(a));
    /// ```
    pub fn contains(&self, id: NodeId) -> bool {
        self.nodes.contains(id)
    }

    /// The value of node `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// assert_eq!(t.get(a), Some(&1));
    /// ```
    pub fn get(&self, id: NodeId) -> Option<&T> {
        self.nodes.get(id).map(|n| &n.value)
    }

    /// The value of node `id`, mutably.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// *t.get_mut(a).unwrap() = 2;
    /// assert_eq!(t[a], 2);
    /// ```
    pub fn get_mut(&mut self, id: NodeId) -> Option<&mut T> {
        self.nodes.get_mut(id).map(|n| &mut n.value)
    }

    /// Every `(id, &value)`, in slot order (not tree order).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// t.new_node(1);
    /// t.new_node(2);
    /// assert_eq!(t.iter().map(|(_, v)| v).sum::<i32>(), 3);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &T)> + '_ {
        self.nodes.iter().map(|(k, n)| (k, &n.value))
    }

    // ---- links by index ---------------------------------------------------------------

    #[inline]
    fn node(&self, i: u32) -> &Node<T> {
        self.nodes
            .value_at(i)
            .expect("tree links only point at live nodes")
    }

    #[inline]
    fn node_mut(&mut self, i: u32) -> &mut Node<T> {
        self.nodes
            .value_at_mut(i)
            .expect("tree links only point at live nodes")
    }

    #[inline]
    fn id(&self, i: u32) -> NodeId {
        self.nodes
            .key_at(i)
            .expect("tree links only point at live nodes")
    }

    #[inline]
    fn id_opt(&self, i: u32) -> Option<NodeId> {
        if i == NONE { None } else { Some(self.id(i)) }
    }

    #[inline]
    fn index(&self, id: NodeId) -> Result<u32, TreeError> {
        self.nodes.live_index(id).ok_or(TreeError::Missing)
    }

    /// Takes node `i` out of its parent's child list; it becomes a root. Its subtree
    /// stays attached to it.
    fn unlink(&mut self, i: u32) {
        let (parent, prev, next) = {
            let n = self.node(i);
            (n.parent, n.prev, n.next)
        };
        if prev != NONE {
            self.node_mut(prev).next = next;
        } else if parent != NONE {
            self.node_mut(parent).first_child = next;
        }
        if next != NONE {
            self.node_mut(next).prev = prev;
        } else if parent != NONE {
            self.node_mut(parent).last_child = prev;
        }
        let n = self.node_mut(i);
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    /// Links root `c` between `prev` and `next` (either may be `NONE`) under `parent`.
    #[inline]
    fn link(&mut self, c: u32, parent: u32, prev: u32, next: u32) {
        {
            let n = self.node_mut(c);
            n.parent = parent;
            n.prev = prev;
            n.next = next;
        }
        if prev != NONE {
            self.node_mut(prev).next = c;
        } else {
            self.node_mut(parent).first_child = c;
        }
        if next != NONE {
            self.node_mut(next).prev = c;
        } else {
            self.node_mut(parent).last_child = c;
        }
    }

    /// Whether `a` is `b` or one of `b`'s ancestors.
    fn is_ancestor_or_self(&self, a: u32, b: u32) -> bool {
        // A node without children is nobody's ancestor: no walk needed.
        if self.node(a).first_child == NONE {
            return a == b;
        }
        let mut x = b;
        while x != NONE {
            if x == a {
                return true;
            }
            x = self.node(x).parent;
        }
        false
    }

    /// Checks that `c` may go under `parent`, then detaches it.
    fn prepare_move(&mut self, c: u32, parent: u32) -> Result<(), TreeError> {
        if self.is_ancestor_or_self(c, parent) {
            return Err(TreeError::WouldCycle);
        }
        self.unlink(c);
        Ok(())
    }

    // ---- structure --------------------------------------------------------------------

    /// The parent of `id` (`None` for a root or a stale id).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// let b = t.append_new(a, 2).unwrap();
    /// assert_eq!(t.parent(b), Some(a));
    /// ```
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.get(id).and_then(|n| self.id_opt(n.parent))
    }

    /// The first child of `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// let b = t.append_new(a, 2).unwrap();
    /// assert_eq!(t.first_child(a), Some(b));
    /// ```
    pub fn first_child(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.get(id).and_then(|n| self.id_opt(n.first_child))
    }

    /// The last child of `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// t.append_new(a, 2).unwrap();
    /// let c = t.append_new(a, 3).unwrap();
    /// assert_eq!(t.last_child(a), Some(c));
    /// ```
    pub fn last_child(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.get(id).and_then(|n| self.id_opt(n.last_child))
    }

    /// The sibling before `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// let b = t.append_new(a, 2).unwrap();
    /// let c = t.append_new(a, 3).unwrap();
    /// assert_eq!(t.prev_sibling(c), Some(b));
    /// ```
    pub fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.get(id).and_then(|n| self.id_opt(n.prev))
    }

    /// The sibling after `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// let b = t.append_new(a, 2).unwrap();
    /// let c = t.append_new(a, 3).unwrap();
    /// assert_eq!(t.next_sibling(b), Some(c));
    /// ```
    pub fn next_sibling(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.get(id).and_then(|n| self.id_opt(n.next))
    }

    /// Creates a node as the last child of `parent`: the fast way to build (no cycle walk).
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] if `parent` is stale (nothing is created).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let root = t.new_node(0);
    /// for i in 1..=3 {
    ///     t.append_new(root, i)?;
    /// }
    /// assert_eq!(t.children(root)?.map(|c| t[c]).collect::<Vec<_>>(), [1, 2, 3]);
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn append_new(&mut self, parent: NodeId, value: T) -> Result<NodeId, TreeError> {
        let p = self.index(parent)?;
        let last = self.node(p).last_child;
        let id = self.nodes.insert(Node {
            parent: p,
            first_child: NONE,
            last_child: NONE,
            prev: last,
            next: NONE,
            value,
        });
        let c = id.data().index();
        if last != NONE {
            self.node_mut(last).next = c;
        } else {
            self.node_mut(p).first_child = c;
        }
        self.node_mut(p).last_child = c;
        Ok(id)
    }

    /// Creates a node as the first child of `parent`.
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] if `parent` is stale.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let root = t.new_node(0);
    /// t.append_new(root, 2)?;
    /// let one = t.prepend_new(root, 1)?;
    /// assert_eq!(t.first_child(root), Some(one));
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn prepend_new(&mut self, parent: NodeId, value: T) -> Result<NodeId, TreeError> {
        let p = self.index(parent)?;
        let first = self.node(p).first_child;
        let id = self.nodes.insert(Node {
            parent: p,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: first,
            value,
        });
        let c = id.data().index();
        if first != NONE {
            self.node_mut(first).prev = c;
        } else {
            self.node_mut(p).last_child = c;
        }
        self.node_mut(p).first_child = c;
        Ok(id)
    }

    /// Moves `child` (with its subtree) to be the last child of `parent`.
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id; [`TreeError::WouldCycle`] if `child` is
    /// `parent` or one of its ancestors. On error the tree is unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node('a');
    /// let b = t.new_node('b');
    /// t.append(a, b)?;
    /// assert_eq!(t.parent(b), Some(a));
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn append(&mut self, parent: NodeId, child: NodeId) -> Result<(), TreeError> {
        let (p, c) = (self.index(parent)?, self.index(child)?);
        self.prepare_move(c, p)?;
        let last = self.node(p).last_child;
        self.link(c, p, last, NONE);
        Ok(())
    }

    /// Moves `child` (with its subtree) to be the first child of `parent`.
    ///
    /// # Errors
    ///
    /// As [`append`](Self::append).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node('a');
    /// let b = t.append_new(a, 'b')?;
    /// let c = t.new_node('c');
    /// t.prepend(a, c)?;
    /// assert_eq!(t.children(a)?.collect::<Vec<_>>(), [c, b]);
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn prepend(&mut self, parent: NodeId, child: NodeId) -> Result<(), TreeError> {
        let (p, c) = (self.index(parent)?, self.index(child)?);
        self.prepare_move(c, p)?;
        let first = self.node(p).first_child;
        self.link(c, p, NONE, first);
        Ok(())
    }

    /// Moves `node` (with its subtree) to just before `sibling`, under the same parent.
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id; [`TreeError::SameNode`] if they are the
    /// same; [`TreeError::NoParent`] if `sibling` is a root; [`TreeError::WouldCycle`] if
    /// `node` is an ancestor of `sibling`. On error the tree is unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let r = t.new_node(0);
    /// let b = t.append_new(r, 2)?;
    /// let a = t.new_node(1);
    /// t.insert_before(b, a)?;
    /// assert_eq!(t.children(r)?.collect::<Vec<_>>(), [a, b]);
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn insert_before(&mut self, sibling: NodeId, node: NodeId) -> Result<(), TreeError> {
        let (s, c, p) = self.sibling_move(sibling, node)?;
        let prev = self.node(s).prev;
        self.link(c, p, prev, s);
        Ok(())
    }

    /// Moves `node` (with its subtree) to just after `sibling`, under the same parent.
    ///
    /// # Errors
    ///
    /// As [`insert_before`](Self::insert_before).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let r = t.new_node(0);
    /// let a = t.append_new(r, 1)?;
    /// let b = t.new_node(2);
    /// t.insert_after(a, b)?;
    /// assert_eq!(t.children(r)?.collect::<Vec<_>>(), [a, b]);
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn insert_after(&mut self, sibling: NodeId, node: NodeId) -> Result<(), TreeError> {
        let (s, c, p) = self.sibling_move(sibling, node)?;
        let next = self.node(s).next;
        self.link(c, p, s, next);
        Ok(())
    }

    fn sibling_move(
        &mut self,
        sibling: NodeId,
        node: NodeId,
    ) -> Result<(u32, u32, u32), TreeError> {
        let (s, c) = (self.index(sibling)?, self.index(node)?);
        if s == c {
            return Err(TreeError::SameNode);
        }
        let p = self.node(s).parent;
        if p == NONE {
            return Err(TreeError::NoParent);
        }
        self.prepare_move(c, p)?;
        Ok((s, c, p))
    }

    /// Detaches `id` (with its subtree) from its parent; it becomes a root.
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// let b = t.append_new(a, 2)?;
    /// t.detach(b)?;
    /// assert_eq!(t.parent(b), None);
    /// assert_eq!(t.first_child(a), None);
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn detach(&mut self, id: NodeId) -> Result<(), TreeError> {
        let i = self.index(id)?;
        self.unlink(i);
        Ok(())
    }

    /// Removes node `id` and returns its value; its children take its place, in order,
    /// (or become roots if it was a root). O(children).
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let r = t.new_node(0);
    /// let a = t.append_new(r, 1)?;
    /// let b = t.append_new(a, 2)?;
    /// assert_eq!(t.remove(a)?, 1);
    /// assert_eq!(t.parent(b), Some(r));
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn remove(&mut self, id: NodeId) -> Result<T, TreeError> {
        let i = self.index(id)?;
        let (parent, prev, next, first, last) = {
            let n = self.node(i);
            (n.parent, n.prev, n.next, n.first_child, n.last_child)
        };
        // Re-parent the children.
        let mut c = first;
        while c != NONE {
            let n = self.node_mut(c);
            n.parent = parent;
            let following = n.next;
            if parent == NONE {
                n.prev = NONE;
                n.next = NONE;
            }
            c = following;
        }
        if parent != NONE {
            if first == NONE {
                self.unlink(i);
            } else {
                // Splice the child list into i's place.
                self.node_mut(first).prev = prev;
                self.node_mut(last).next = next;
                if prev != NONE {
                    self.node_mut(prev).next = first;
                } else {
                    self.node_mut(parent).first_child = first;
                }
                if next != NONE {
                    self.node_mut(next).prev = last;
                } else {
                    self.node_mut(parent).last_child = last;
                }
            }
        }
        let node = self.nodes.remove_at(i).expect("index was live");
        Ok(node.value)
    }

    /// Removes `id` and all its descendants; returns how many nodes were removed.
    ///
    /// The values are dropped after the tree is consistent again (they are gathered in a
    /// temporary `Vec` first), so a panicking `Drop` cannot leave dangling links.
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let r = t.new_node(0);
    /// let a = t.append_new(r, 1)?;
    /// t.append_new(a, 2)?;
    /// assert_eq!(t.remove_subtree(a)?, 2);
    /// assert_eq!(t.len(), 1);
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn remove_subtree(&mut self, id: NodeId) -> Result<usize, TreeError> {
        let root = self.index(id)?;
        self.unlink(root);
        let mut values = Vec::new();
        // Post-order: a node is freed only after all its children are.
        let mut cur = self.deepest_first(root);
        loop {
            let (next, parent) = {
                let n = self.node(cur);
                (n.next, n.parent)
            };
            let node = self.nodes.remove_at(cur).expect("index was live");
            values.push(node.value);
            if cur == root {
                break;
            }
            cur = if next != NONE {
                self.deepest_first(next)
            } else {
                parent
            };
        }
        let n = values.len();
        drop(values);
        Ok(n)
    }

    fn deepest_first(&self, mut i: u32) -> u32 {
        loop {
            let c = self.node(i).first_child;
            if c == NONE {
                return i;
            }
            i = c;
        }
    }

    /// Whether `ancestor` is a proper ancestor of `id`. O(depth).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// let b = t.append_new(a, 2)?;
    /// assert!(t.is_ancestor(a, b) && !t.is_ancestor(b, a) && !t.is_ancestor(a, a));
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn is_ancestor(&self, ancestor: NodeId, id: NodeId) -> bool {
        match (self.nodes.live_index(ancestor), self.nodes.live_index(id)) {
            (Some(a), Some(b)) => a != b && self.is_ancestor_or_self(a, b),
            _ => false,
        }
    }

    // ---- iterators --------------------------------------------------------------------

    /// The children of `id`, first to last; double-ended.
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let r = t.new_node(0);
    /// let a = t.append_new(r, 1)?;
    /// let b = t.append_new(r, 2)?;
    /// assert_eq!(t.children(r)?.rev().collect::<Vec<_>>(), [b, a]);
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn children(&self, id: NodeId) -> Result<Children<'_, T>, TreeError> {
        let n = self.node(self.index(id)?);
        Ok(Children {
            tree: self,
            front: n.first_child,
            back: n.last_child,
        })
    }

    /// The ancestors of `id`, parent first, root last (not `id` itself).
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node(1);
    /// let b = t.append_new(a, 2)?;
    /// let c = t.append_new(b, 3)?;
    /// assert_eq!(t.ancestors(c)?.collect::<Vec<_>>(), [b, a]);
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn ancestors(&self, id: NodeId) -> Result<Ancestors<'_, T>, TreeError> {
        let i = self.index(id)?;
        Ok(Ancestors {
            tree: self,
            next: self.node(i).parent,
        })
    }

    /// `id` and its descendants in pre-order (a node before its children).
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node('a');
    /// let b = t.append_new(a, 'b')?;
    /// t.append_new(b, 'c')?;
    /// t.append_new(a, 'd')?;
    /// assert_eq!(t.descendants(a)?.map(|n| t[n]).collect::<String>(), "abcd");
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn descendants(&self, id: NodeId) -> Result<Descendants<'_, T>, TreeError> {
        let root = self.index(id)?;
        Ok(Descendants {
            tree: self,
            root,
            next: root,
        })
    }

    /// `id` and its descendants in post-order (a node after its children).
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node('a');
    /// let b = t.append_new(a, 'b')?;
    /// t.append_new(b, 'c')?;
    /// t.append_new(a, 'd')?;
    /// assert_eq!(t.post_order(a)?.map(|n| t[n]).collect::<String>(), "cbda");
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn post_order(&self, id: NodeId) -> Result<PostOrder<'_, T>, TreeError> {
        let root = self.index(id)?;
        Ok(PostOrder {
            tree: self,
            root,
            next: self.deepest_first(root),
        })
    }

    /// `id` and its descendants level by level (keeps a queue of one level's width).
    ///
    /// # Errors
    ///
    /// [`TreeError::Missing`] for a stale id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut t = larder_compact::Tree::new();
    /// let a = t.new_node('a');
    /// let b = t.append_new(a, 'b')?;
    /// t.append_new(b, 'c')?;
    /// t.append_new(a, 'd')?;
    /// assert_eq!(t.breadth_first(a)?.map(|n| t[n]).collect::<String>(), "abdc");
    /// # Ok::<(), larder_compact::TreeError>(())
    /// ```
    pub fn breadth_first(&self, id: NodeId) -> Result<BreadthFirst<'_, T>, TreeError> {
        let root = self.index(id)?;
        let mut queue = VecDeque::new();
        queue.push_back(root);
        Ok(BreadthFirst { tree: self, queue })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn million_node_chain_needs_no_recursion() {
        let n = if cfg!(debug_assertions) {
            200_000
        } else {
            1_000_000
        };
        let mut t = Tree::with_capacity(n);
        let root = t.new_node(0usize);
        let mut last = root;
        for i in 1..n {
            last = t.append_new(last, i).unwrap();
        }
        assert_eq!(t.descendants(root).unwrap().count(), n);
        assert_eq!(t.post_order(root).unwrap().count(), n);
        assert_eq!(t.breadth_first(root).unwrap().count(), n);
        assert_eq!(t.ancestors(last).unwrap().count(), n - 1);
        // Moving the root under the leaf is refused after an O(depth) walk.
        assert_eq!(t.append(last, root), Err(TreeError::WouldCycle));
        // The (n/2)-th ancestor of the leaf sits at depth n - 2 - n/2.
        let mid = t.ancestors(last).unwrap().nth(n / 2).unwrap();
        assert_eq!(t.remove_subtree(mid).unwrap(), n / 2 + 2);
        assert_eq!(t.len(), n - (n / 2 + 2));
        assert_eq!(t.descendants(root).unwrap().count(), t.len());
        drop(t);
    }
}
