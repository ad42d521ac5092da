//! The datasets bundled with the app (under static/data/), with their citation, licence and
//! the roles a first-time user would choose.

/// A bundled dataset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bundled {
    pub id: &'static str,
    /// Path relative to the page.
    pub path: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub citation: &'static str,
    pub licence: &'static str,
    pub target: &'static str,
    pub positive: &'static str,
    pub sensitive: &'static str,
}

/// Every bundled dataset, in the order the page lists them.
pub const BUNDLED: &[Bundled] = &[Bundled {
    id: "adult",
    path: "data/adult.csv",
    title: "Adult (Census Income, 1994)",
    description: "32,561 people from the 1994 US census; predict whether income exceeds $50K a year.",
    citation: "Becker, B. & Kohavi, R. (1996). Adult. UCI Machine Learning Repository. doi:10.24432/C5XW20",
    licence: "CC BY 4.0",
    target: "income-per-year",
    positive: ">50K",
    sensitive: "sex",
}];

/// The bundled dataset with this id.
pub fn bundled(id: &str) -> Option<&'static Bundled> {
    BUNDLED.iter().find(|b| b.id == id)
}
