//! The datasets bundled with the app (under static/data/), with their citation, licence and
//! the roles a first-time user would choose, and the synthetic presets
//! ([`crate::core::synth::PRESETS`]) listed beside them.

/// The synthetic presets, listed after the bundled files: generate one with
/// `crate::core::synth::generate(&preset.spec)`; its roles are `synth::TARGET` (positive
/// `synth::POSITIVE`) and `synth::SENSITIVE`.
pub use crate::core::synth::{Preset, PRESETS as SYNTHETIC};

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
    /// Columns to leave out of the features by default (another tool's scores, derived
    /// duplicates of the sensitive attribute).
    pub exclude: &'static [&'static str],
}

/// Every bundled dataset, in the order the page lists them.
pub const BUNDLED: &[Bundled] = &[
    Bundled {
        id: "adult",
        path: "data/adult.csv",
        title: "Adult (Census Income, 1994)",
        description: "32,561 people from the 1994 US census; predict whether income exceeds $50K a year.",
        citation: "Becker, B. & Kohavi, R. (1996). Adult. UCI Machine Learning Repository. doi:10.24432/C5XW20",
        licence: "CC BY 4.0",
        target: "income-per-year",
        positive: ">50K",
        sensitive: "sex",
        exclude: &[],
    },
    Bundled {
        id: "german",
        path: "data/german_sex_age.csv",
        title: "German Credit (Statlog, 1994)",
        description: "1,000 loan applicants from a German bank; predict good credit (credit = 1). \
                      `sex` is derived from `personal_status`, `age_group` is adult if age ≥ 25.",
        citation: "Hofmann, H. (1994). Statlog (German Credit Data). UCI Machine Learning Repository. \
                   doi:10.24432/C5NC77",
        licence: "CC BY 4.0",
        target: "credit",
        positive: "1",
        sensitive: "sex",
        // personal_status encodes sex (A92/A95 female): leaving it in would defeat --drop-sensitive.
        exclude: &["personal_status"],
    },
    Bundled {
        id: "compas",
        path: "data/compas_propublica.csv",
        title: "COMPAS recidivism (ProPublica, 2016)",
        description: "6,172 defendants from Broward County, Florida (ProPublica's row filter); predict \
                      re-arrest within two years. `decile_score`, `score_text` and `compas_high` are the \
                      COMPAS tool's own risk scores, kept for auditing the tool.",
        citation: "Angwin, J., Larson, J., Mattu, S. & Kirchner, L. (2016). Machine Bias. ProPublica. \
                   Data: github.com/propublica/compas-analysis",
        licence: "ProPublica data, published for analysis (see propublica/compas-analysis); \
                  redistributed via the fairness package (Friedler et al., FAT* 2019, Apache-2.0)",
        target: "two_year_recid",
        positive: "1",
        sensitive: "race",
        exclude: &["decile_score", "score_text", "compas_high"],
    },
];

/// The bundled dataset with this id.
pub fn bundled(id: &str) -> Option<&'static Bundled> {
    BUNDLED.iter().find(|b| b.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_found() {
        for b in BUNDLED {
            assert_eq!(bundled(b.id), Some(b));
            assert!(b.path.starts_with("data/") && b.path.ends_with(".csv"));
        }
        assert_eq!(bundled("nope"), None);
    }
}
