// Operation programs on `Slots` and `Tree`, checked against a `HashMap` (with parent and
// child links for the tree). Shared by `tests/model_slots_tree.rs` and the fuzz target
// `compact_slots_tree`.

use larder_compact::{DefaultKey, NodeId, Slots, Tree, TreeError};
use std::collections::{HashMap, VecDeque};

/// One step on a `Slots`. `u8` operands pick among every key ever handed out, live or not.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum SlotOp {
    Insert(u32),
    Remove(u8),
    Get(u8),
    Set(u8, u32),
    RetainOdd,
    DrainSome(u8),
    Clear,
}

fn pick<K: Copy>(keys: &[K], i: u8) -> Option<K> {
    if keys.is_empty() {
        None
    } else {
        Some(keys[i as usize % keys.len()])
    }
}

/// Runs `ops` on a `Slots` and a `HashMap`, comparing after every step.
pub fn run_slots(ops: &[SlotOp]) {
    let mut s: Slots<DefaultKey, u32> = Slots::new();
    let mut m: HashMap<DefaultKey, u32> = HashMap::new();
    let mut keys: Vec<DefaultKey> = Vec::new();
    for op in ops {
        match *op {
            SlotOp::Insert(v) => {
                let k = s.insert(v);
                assert!(!keys.contains(&k), "key {k:?} handed out twice");
                keys.push(k);
                m.insert(k, v);
            }
            SlotOp::Remove(i) => {
                if let Some(k) = pick(&keys, i) {
                    assert_eq!(s.remove(k), m.remove(&k));
                }
            }
            SlotOp::Get(i) => {
                if let Some(k) = pick(&keys, i) {
                    assert_eq!(s.get(k), m.get(&k));
                    assert_eq!(s.contains(k), m.contains_key(&k));
                }
            }
            SlotOp::Set(i, v) => {
                if let Some(k) = pick(&keys, i) {
                    assert_eq!(s.get_mut(k).map(|x| *x = v), m.get_mut(&k).map(|x| *x = v));
                }
            }
            SlotOp::RetainOdd => {
                s.retain(|_, v| *v % 2 == 1);
                m.retain(|_, v| *v % 2 == 1);
            }
            SlotOp::DrainSome(n) => {
                let mut d = s.drain();
                for _ in 0..n {
                    match d.next() {
                        Some((k, v)) => assert_eq!(m.get(&k), Some(&v)),
                        None => break,
                    }
                }
                drop(d);
                m.clear();
            }
            SlotOp::Clear => {
                s.clear();
                m.clear();
            }
        }
        assert_eq!(s.len(), m.len());
        assert_eq!(s.iter().len(), m.len());
        let got: HashMap<DefaultKey, u32> = s.iter().map(|(k, v)| (k, *v)).collect();
        assert_eq!(got, m);
        for &k in &keys {
            assert_eq!(s.get(k), m.get(&k));
        }
    }
}

/// One step on a `Tree`. `u8` operands pick among every node id ever handed out.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum TreeOp {
    New(u32),
    AppendNew(u8, u32),
    PrependNew(u8, u32),
    Append(u8, u8),
    Prepend(u8, u8),
    InsertBefore(u8, u8),
    InsertAfter(u8, u8),
    Detach(u8),
    Remove(u8),
    RemoveSubtree(u8),
    Set(u8, u32),
}

struct MNode {
    value: u32,
    parent: Option<NodeId>,
    children: Vec<NodeId>,
}

/// The model: a map of nodes with parent and ordered child links.
#[derive(Default)]
struct Model {
    nodes: HashMap<NodeId, MNode>,
}

impl Model {
    fn live(&self, ids: &[NodeId]) -> Result<(), TreeError> {
        if ids.iter().all(|id| self.nodes.contains_key(id)) {
            Ok(())
        } else {
            Err(TreeError::Missing)
        }
    }

    fn is_ancestor_or_self(&self, a: NodeId, b: NodeId) -> bool {
        let mut x = Some(b);
        while let Some(y) = x {
            if y == a {
                return true;
            }
            x = self.nodes[&y].parent;
        }
        false
    }

    fn detach(&mut self, c: NodeId) {
        if let Some(p) = self.nodes.get_mut(&c).unwrap().parent.take() {
            self.nodes.get_mut(&p).unwrap().children.retain(|&x| x != c);
        }
    }

    fn attach(&mut self, p: NodeId, c: NodeId, at: Option<usize>) {
        let kids = &mut self.nodes.get_mut(&p).unwrap().children;
        match at {
            Some(i) => kids.insert(i, c),
            None => kids.push(c),
        }
        self.nodes.get_mut(&c).unwrap().parent = Some(p);
    }

    fn move_under(&mut self, p: NodeId, c: NodeId, first: bool) -> Result<(), TreeError> {
        self.live(&[p, c])?;
        if self.is_ancestor_or_self(c, p) {
            return Err(TreeError::WouldCycle);
        }
        self.detach(c);
        self.attach(p, c, if first { Some(0) } else { None });
        Ok(())
    }

    fn move_beside(&mut self, s: NodeId, c: NodeId, after: bool) -> Result<(), TreeError> {
        self.live(&[s, c])?;
        if s == c {
            return Err(TreeError::SameNode);
        }
        let p = self.nodes[&s].parent.ok_or(TreeError::NoParent)?;
        if self.is_ancestor_or_self(c, p) {
            return Err(TreeError::WouldCycle);
        }
        self.detach(c);
        let pos = self.nodes[&p]
            .children
            .iter()
            .position(|&x| x == s)
            .unwrap();
        self.attach(p, c, Some(pos + usize::from(after)));
        Ok(())
    }

    fn remove(&mut self, n: NodeId) -> Result<u32, TreeError> {
        self.live(&[n])?;
        let node = self.nodes.remove(&n).unwrap();
        for c in &node.children {
            self.nodes.get_mut(c).unwrap().parent = node.parent;
        }
        if let Some(p) = node.parent {
            let kids = &mut self.nodes.get_mut(&p).unwrap().children;
            let pos = kids.iter().position(|&x| x == n).unwrap();
            kids.splice(pos..=pos, node.children.iter().copied());
        }
        Ok(node.value)
    }

    fn remove_subtree(&mut self, n: NodeId) -> Result<usize, TreeError> {
        self.live(&[n])?;
        self.detach(n);
        let all = self.pre_order(n);
        for x in &all {
            self.nodes.remove(x);
        }
        Ok(all.len())
    }

    fn pre_order(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(x) = stack.pop() {
            out.push(x);
            stack.extend(self.nodes[&x].children.iter().rev());
        }
        out
    }

    fn post_order(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(x) = stack.pop() {
            out.push(x);
            stack.extend(self.nodes[&x].children.iter());
        }
        out.reverse();
        out
    }

    fn breadth_first(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut q = VecDeque::from([root]);
        while let Some(x) = q.pop_front() {
            out.push(x);
            q.extend(self.nodes[&x].children.iter());
        }
        out
    }
}

/// Runs `ops` on a `Tree` and the model, comparing every result and, after every step,
/// every link and traversal.
pub fn run_tree(ops: &[TreeOp]) {
    let mut t: Tree<u32> = Tree::new();
    let mut m = Model::default();
    let mut ids: Vec<NodeId> = Vec::new();
    let new = |m: &mut Model, ids: &mut Vec<NodeId>, id: NodeId, v: u32| {
        assert!(!ids.contains(&id), "node id {id:?} handed out twice");
        ids.push(id);
        m.nodes.insert(
            id,
            MNode {
                value: v,
                parent: None,
                children: Vec::new(),
            },
        );
    };
    for op in ops {
        match *op {
            TreeOp::New(v) => {
                let id = t.new_node(v);
                new(&mut m, &mut ids, id, v);
            }
            TreeOp::AppendNew(p, v) | TreeOp::PrependNew(p, v) => {
                let Some(p) = pick(&ids, p) else { continue };
                let first = matches!(op, TreeOp::PrependNew(..));
                let got = if first {
                    t.prepend_new(p, v)
                } else {
                    t.append_new(p, v)
                };
                match got {
                    Ok(id) => {
                        new(&mut m, &mut ids, id, v);
                        m.attach(p, id, if first { Some(0) } else { None });
                    }
                    Err(e) => assert_eq!(Err(e), m.live(&[p])),
                }
            }
            TreeOp::Append(p, c) | TreeOp::Prepend(p, c) => {
                let (Some(p), Some(c)) = (pick(&ids, p), pick(&ids, c)) else {
                    continue;
                };
                let first = matches!(op, TreeOp::Prepend(..));
                let got = if first {
                    t.prepend(p, c)
                } else {
                    t.append(p, c)
                };
                assert_eq!(got, m.move_under(p, c, first));
            }
            TreeOp::InsertBefore(s, c) | TreeOp::InsertAfter(s, c) => {
                let (Some(s), Some(c)) = (pick(&ids, s), pick(&ids, c)) else {
                    continue;
                };
                let after = matches!(op, TreeOp::InsertAfter(..));
                let got = if after {
                    t.insert_after(s, c)
                } else {
                    t.insert_before(s, c)
                };
                assert_eq!(got, m.move_beside(s, c, after));
            }
            TreeOp::Detach(n) => {
                let Some(n) = pick(&ids, n) else { continue };
                let want = m.live(&[n]).map(|()| m.detach(n));
                assert_eq!(t.detach(n), want);
            }
            TreeOp::Remove(n) => {
                let Some(n) = pick(&ids, n) else { continue };
                assert_eq!(t.remove(n), m.remove(n));
            }
            TreeOp::RemoveSubtree(n) => {
                let Some(n) = pick(&ids, n) else { continue };
                assert_eq!(t.remove_subtree(n), m.remove_subtree(n));
            }
            TreeOp::Set(n, v) => {
                let Some(n) = pick(&ids, n) else { continue };
                let want = m.nodes.get_mut(&n).map(|x| x.value = v);
                assert_eq!(t.get_mut(n).map(|x| *x = v), want);
            }
        }
        check_tree(&t, &m, &ids);
    }
}

fn check_tree(t: &Tree<u32>, m: &Model, ids: &[NodeId]) {
    assert_eq!(t.len(), m.nodes.len());
    for &id in ids {
        let Some(node) = m.nodes.get(&id) else {
            assert!(!t.contains(id));
            assert_eq!(t.get(id), None);
            assert_eq!(t.children(id).err(), Some(TreeError::Missing));
            assert_eq!(t.descendants(id).err(), Some(TreeError::Missing));
            continue;
        };
        assert_eq!(t.get(id), Some(&node.value));
        assert_eq!(t.parent(id), node.parent);
        assert_eq!(t.children(id).unwrap().collect::<Vec<_>>(), node.children);
        let mut rev = node.children.clone();
        rev.reverse();
        assert_eq!(t.children(id).unwrap().rev().collect::<Vec<_>>(), rev);
        assert_eq!(t.first_child(id), node.children.first().copied());
        assert_eq!(t.last_child(id), node.children.last().copied());
        let (prev, next) = match node.parent {
            None => (None, None),
            Some(p) => {
                let kids = &m.nodes[&p].children;
                let i = kids.iter().position(|&x| x == id).unwrap();
                (i.checked_sub(1).map(|j| kids[j]), kids.get(i + 1).copied())
            }
        };
        assert_eq!(t.prev_sibling(id), prev);
        assert_eq!(t.next_sibling(id), next);
        let mut anc = Vec::new();
        let mut x = node.parent;
        while let Some(y) = x {
            anc.push(y);
            x = m.nodes[&y].parent;
        }
        assert_eq!(t.ancestors(id).unwrap().collect::<Vec<_>>(), anc);
        if node.parent.is_none() {
            assert_eq!(
                t.descendants(id).unwrap().collect::<Vec<_>>(),
                m.pre_order(id)
            );
            assert_eq!(
                t.post_order(id).unwrap().collect::<Vec<_>>(),
                m.post_order(id)
            );
            assert_eq!(
                t.breadth_first(id).unwrap().collect::<Vec<_>>(),
                m.breadth_first(id)
            );
        } else {
            // Traversals of an inner node stop at its subtree.
            assert_eq!(t.descendants(id).unwrap().count(), m.pre_order(id).len());
            assert_eq!(
                t.post_order(id).unwrap().collect::<Vec<_>>(),
                m.post_order(id)
            );
        }
    }
}
