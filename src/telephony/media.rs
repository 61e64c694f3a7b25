//! The media graph: who sends media to whom (`call.sendMediaTo`, `VoxEngine.sendMediaBetween`,
//! players, recorders, ASR, conferences). Nodes are call ids and object ids (`asr-1`,
//! `player-2`, `conference-1`, `recorder-1`).

use std::collections::{BTreeSet, VecDeque};

#[derive(Debug, Default, Clone)]
pub struct MediaGraph {
    edges: BTreeSet<(String, String)>,
}

impl MediaGraph {
    /// Adds `from → to`; `false` when it was already there.
    pub fn connect(&mut self, from: &str, to: &str) -> bool {
        self.edges.insert((from.to_string(), to.to_string()))
    }

    /// Removes `from → to`; `false` when it was not there.
    pub fn disconnect(&mut self, from: &str, to: &str) -> bool {
        self.edges.remove(&(from.to_string(), to.to_string()))
    }

    /// Removes every edge to or from `node`; returns them.
    pub fn remove_node(&mut self, node: &str) -> Vec<(String, String)> {
        let gone: Vec<(String, String)> = self
            .edges
            .iter()
            .filter(|(a, b)| a == node || b == node)
            .cloned()
            .collect();
        for e in &gone {
            self.edges.remove(e);
        }
        gone
    }

    /// The nodes `node` sends to directly.
    pub fn targets(&self, node: &str) -> Vec<String> {
        self.edges
            .iter()
            .filter(|(a, _)| a == node)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// The nodes that send to `node` directly.
    pub fn sources(&self, node: &str) -> Vec<String> {
        self.edges
            .iter()
            .filter(|(_, b)| b == node)
            .map(|(a, _)| a.clone())
            .collect()
    }

    /// Every node `node`'s media reaches, directly or through conferences (a conference
    /// mixes what it receives and sends it on; a call does not relay what it hears).
    pub fn reach(&self, node: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = VecDeque::from([node.to_string()]);
        while let Some(n) = todo.pop_front() {
            for t in self.targets(&n) {
                if t != node && seen.insert(t.clone()) && t.starts_with("conference-") {
                    todo.push_back(t);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::MediaGraph;

    #[test]
    fn media_reaches_through_conferences_but_not_through_calls() {
        let mut g = MediaGraph::default();
        assert!(g.connect("call-1", "conference-1"));
        assert!(!g.connect("call-1", "conference-1"));
        g.connect("conference-1", "call-2");
        g.connect("conference-1", "asr-1");
        g.connect("call-2", "asr-2");
        let reach: Vec<String> = g.reach("call-1").into_iter().collect();
        assert_eq!(reach, ["asr-1", "call-2", "conference-1"]);
        assert_eq!(g.remove_node("conference-1").len(), 3);
        assert!(g.reach("call-1").is_empty());
    }
}
