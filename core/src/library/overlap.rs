//! "also in: Topic B": the same paper (same arXiv id, whatever the version) found by several
//! topics, so a reader does not read it twice without knowing.

use super::paper_id::PaperId;
use crate::arxiv::Paper;
use std::collections::HashMap;

/// Which topics each paper belongs to, built once per change of the results.
#[derive(Debug, Clone, Default)]
pub struct Overlap<'a> {
    /// The topics' labels, in the order given.
    labels: Vec<&'a str>,
    /// Paper id without version → the indices of the topics holding it, ascending, once each.
    holders: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Overlap<'a> {
    /// Takes each topic's label (what "also in" shows) and papers, in the page's order.
    pub fn new(topics: impl IntoIterator<Item = (&'a str, &'a [Paper])>) -> Overlap<'a> {
        let mut overlap = Overlap::default();
        for (index, (label, papers)) in topics.into_iter().enumerate() {
            overlap.labels.push(label);
            for paper in papers {
                let holders = overlap
                    .holders
                    .entry(PaperId::parse(&paper.id).key)
                    .or_default();
                if holders.last() != Some(&index) {
                    holders.push(index);
                }
            }
        }
        overlap
    }

    /// The labels of the other topics holding this paper, in the page's order; `topic` is the
    /// index (in the order given to [`Overlap::new`]) of the section the row is in.
    pub fn also_in(&self, topic: usize, paper_id: &str) -> Vec<&'a str> {
        self.holders
            .get(PaperId::parse(paper_id).key)
            .into_iter()
            .flatten()
            .filter(|&&i| i != topic)
            .filter_map(|&i| self.labels.get(i).copied())
            .collect()
    }

    /// The row's note, e.g. `also in: Topic B, Topic C`; `None` when no other topic has it.
    pub fn also_in_text(&self, topic: usize, paper_id: &str) -> Option<String> {
        let others = self.also_in(topic, paper_id);
        (!others.is_empty()).then(|| format!("also in: {}", others.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn papers(ids: &[&str]) -> Vec<Paper> {
        ids.iter()
            .map(|id| Paper {
                id: format!("http://arxiv.org/abs/{id}"),
                ..Paper::default()
            })
            .collect()
    }

    #[test]
    fn a_paper_in_several_topics_names_the_others() {
        let a = papers(&["2410.00001v1", "2410.00002v1"]);
        let b = papers(&["2410.00002v2", "2410.00003v1"]);
        let c = papers(&["2410.00002v1"]);
        let overlap = Overlap::new([
            ("Topic A", a.as_slice()),
            ("Topic B", b.as_slice()),
            ("Topic C", c.as_slice()),
        ]);
        assert_eq!(
            overlap.also_in(0, "http://arxiv.org/abs/2410.00002v1"),
            vec!["Topic B", "Topic C"]
        );
        assert_eq!(
            overlap.also_in_text(1, &b[0].id).as_deref(),
            Some("also in: Topic A, Topic C")
        );
        assert_eq!(overlap.also_in(0, &a[0].id), Vec::<&str>::new());
        assert_eq!(overlap.also_in_text(1, &b[1].id), None);
        assert_eq!(overlap.also_in(0, "2499.99999"), Vec::<&str>::new());
    }

    #[test]
    fn a_paper_listed_twice_in_one_topic_is_not_also_in_itself() {
        let a = papers(&["2410.00001v1", "2410.00001v1"]);
        let overlap = Overlap::new([("A", a.as_slice())]);
        assert_eq!(overlap.also_in_text(0, &a[0].id), None);
    }

    #[test]
    fn two_topics_with_the_same_label_are_still_two_topics() {
        let a = papers(&["hep-th/9901001v1"]);
        let overlap = Overlap::new([("Same", a.as_slice()), ("Same", a.as_slice())]);
        assert_eq!(overlap.also_in(0, &a[0].id), vec!["Same"]);
    }
}
