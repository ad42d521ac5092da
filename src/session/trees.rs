//! The tree view's picker: any one tree of a forest or of gradient boosting (or the single
//! tree), drawn with the selected test row's path, for the Explain step.

use super::Session;
use crate::core::whatif;
use crate::protocol::OneTree;

impl Session {
    /// Tree `k` (0-based) of the explained model with the path of test row `row`.
    ///
    /// # Errors
    /// No model or row, a model without trees, or `k` past the last tree (as a sentence).
    pub(super) fn one_tree(&self, row: usize, k: usize) -> Result<OneTree, String> {
        let (_, trained, cells) = self.row_cells(row, &[])?;
        let view = whatif::tree_view_of(trained, k, Some(&cells)).map_err(|e| e.to_string())?;
        Ok(OneTree { index: k, count: trained.model.tree_count(), view })
    }
}

#[cfg(test)]
mod tests {
    use crate::core::models::{ForestParams, ModelSpec};
    use crate::core::train::TrainSpec;
    use crate::protocol::{ReplyBody, Request};
    use crate::session::tests::csv;
    use crate::session::Session;

    fn session_with(model: ModelSpec) -> Session {
        let mut session = Session::new();
        let mut quiet = |_: f64, _: &str| {};
        session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut quiet);
        let spec = TrainSpec::simple("approved", "yes", &["group"], model);
        let reply = session.handle(Request::Train { spec }, None, &mut quiet);
        assert!(matches!(reply, ReplyBody::Trained { .. }), "{reply:?}");
        session
    }

    #[test]
    fn any_tree_of_a_forest_is_drawn_with_the_rows_path_and_a_missing_one_is_refused() {
        let forest = ModelSpec::RandomForest(ForestParams { n_estimators: 5, seed: 4, ..ForestParams::default() });
        let mut session = session_with(forest);
        let mut quiet = |_: f64, _: &str| {};
        let model = &session.trained.as_ref().unwrap().model;
        let (leaves, depths): (Vec<_>, Vec<_>) =
            (0..5).map(|k| (model.tree(k).unwrap().leaves(), model.tree(k).unwrap().depth())).unzip();
        assert!(leaves.windows(2).any(|w| w[0] != w[1]), "the trees differ: {leaves:?}");
        // The global view starts on tree 0 of 5.
        let ReplyBody::Global { result: g } = session.handle(Request::Global { row: 3 }, None, &mut quiet) else {
            panic!()
        };
        assert_eq!((g.tree_index, g.trees), (0, 5));
        assert_eq!(g.tree.as_ref().unwrap().leaves, leaves[0]);
        for k in 0..5 {
            let reply = session.handle(Request::Tree { row: 3, tree: k }, None, &mut quiet);
            let ReplyBody::Tree { result } = reply else { panic!("{reply:?}") };
            assert_eq!((result.index, result.count), (k, 5));
            assert_eq!((result.view.leaves, result.view.depth), (leaves[k], depths[k]), "tree {k}");
            // The highlighted path ends in a leaf of that tree.
            let path = result.view.path.as_ref().unwrap();
            let leaf = &result.view.nodes[*path.last().unwrap()];
            assert!(leaf.split.is_none(), "tree {k}");
        }
        let reply = session.handle(Request::Tree { row: 3, tree: 5 }, None, &mut quiet);
        let ReplyBody::Failed { message } = reply else { panic!("{reply:?}") };
        assert_eq!(message, "There is no tree 6: the model's trees are numbered 1 to 5; pick one of those.");
    }

    #[test]
    fn boosting_shows_its_trees_and_a_model_without_trees_says_so() {
        let boosting = ModelSpec::from_name("gradient_boosting").unwrap();
        let mut session = session_with(boosting);
        let mut quiet = |_: f64, _: &str| {};
        let model = &session.trained.as_ref().unwrap().model;
        let n = model.tree_count();
        assert!(n > 2, "{n}");
        let last = model.tree(n - 1).unwrap();
        let (leaves, depth) = (last.leaves(), last.depth());
        let ReplyBody::Tree { result } = session.handle(Request::Tree { row: 0, tree: n - 1 }, None, &mut quiet) else {
            panic!()
        };
        assert_eq!((result.view.leaves, result.view.depth, result.count), (leaves, depth, n));
        let mut logistic = session_with(ModelSpec::default());
        let reply = logistic.handle(Request::Tree { row: 0, tree: 0 }, None, &mut quiet);
        let ReplyBody::Failed { message } = reply else { panic!("{reply:?}") };
        assert!(message.contains("needs a tree-based model"), "{message}");
    }
}
