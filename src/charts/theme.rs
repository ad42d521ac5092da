//! The charts' colours in the page's light and dark themes (`prefers-color-scheme`).
//!
//! Both palettes keep the hue order of Okabe & Ito's colour-blind-safe palette (blue, orange,
//! bluish green, reddish purple, sky blue, vermillion, yellow, black), but every colour is moved
//! in lightness where needed until it has at least 3:1 contrast against its theme's paper — the
//! WCAG 2.1 minimum for graphics (success criterion 1.4.11), which the original palette misses on
//! white for orange (2.2:1), sky blue (2.3:1) and yellow (1.3:1). On a light paper those three are
//! darkened (the orange to an ochre, the sky blue to an indigo so that it stays apart from the
//! blue, the yellow to a mid grey); on the dark paper the blue and black become a light sky blue and a
//! light grey, and the vermillion is lightened. Contrast is the WCAG relative-luminance ratio ([`contrast`]); the tests below check every
//! colour of both palettes.
//!
//! The theme is a per-thread setting (the page draws on one thread; native code and its tests
//! always draw light): [`set_mode`] before drawing, or [`with_mode`] for one drawing (exported
//! PNGs are always drawn light).

use plotters::style::RGBColor;
use std::cell::Cell;

/// Which theme charts are drawn in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Light,
    Dark,
}

/// The colours of one theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// The chart's background (the page's card colour).
    pub paper: RGBColor,
    /// Text, axes, whiskers and outlines.
    pub ink: RGBColor,
    /// Secondary text (notes, legends' captions).
    pub muted: RGBColor,
    /// Reference lines (the ROC diagonal, connectors): visible, but behind the data.
    pub faint: RGBColor,
    /// Cells with no value (an empty confusion-matrix cell).
    pub empty: RGBColor,
    /// Series colours, in the order groups are coloured.
    pub palette: [RGBColor; 8],
    /// Weights that push towards the positive outcome.
    pub towards: RGBColor,
    /// Weights that push away from it.
    pub away: RGBColor,
}

/// The light theme: white paper, black ink.
pub const LIGHT: Theme = Theme {
    paper: RGBColor(255, 255, 255),
    ink: RGBColor(0, 0, 0),
    muted: RGBColor(80, 80, 80),
    faint: RGBColor(120, 120, 120),
    empty: RGBColor(235, 235, 235),
    palette: [
        RGBColor(0, 114, 178),   // blue (Okabe–Ito's own)
        RGBColor(160, 110, 0),   // orange, darkened to an ochre
        RGBColor(0, 158, 115),   // bluish green (Okabe–Ito's own)
        RGBColor(204, 121, 167), // reddish purple (Okabe–Ito's own)
        RGBColor(90, 80, 170),   // sky blue, darkened to an indigo
        RGBColor(213, 94, 0),    // vermillion (Okabe–Ito's own)
        RGBColor(110, 110, 110), // yellow, as a mid grey (a dark yellow is too near the ochre)
        RGBColor(0, 0, 0),       // black
    ],
    towards: RGBColor(213, 94, 0),
    away: RGBColor(0, 114, 178),
};

/// The dark theme: the page's dark card colour, light ink.
pub const DARK: Theme = Theme {
    paper: RGBColor(31, 37, 48),
    ink: RGBColor(230, 233, 239),
    muted: RGBColor(180, 186, 198),
    faint: RGBColor(140, 146, 158),
    empty: RGBColor(55, 62, 75),
    palette: [
        RGBColor(86, 180, 233),  // blue, lightened to Okabe–Ito's sky blue
        RGBColor(230, 159, 0),   // orange
        RGBColor(0, 158, 115),   // bluish green
        RGBColor(204, 121, 167), // reddish purple
        RGBColor(170, 160, 255), // sky blue, as a lavender (apart from the blue)
        RGBColor(236, 120, 40),  // vermillion, lightened
        RGBColor(240, 228, 66),  // yellow
        RGBColor(220, 220, 220), // black, as a light grey
    ],
    towards: RGBColor(236, 120, 40),
    away: RGBColor(86, 180, 233),
};

thread_local! {
    static MODE: Cell<Mode> = const { Cell::new(Mode::Light) };
}

/// The theme charts on this thread are drawn in.
pub fn mode() -> Mode {
    MODE.with(Cell::get)
}

/// Sets the theme for the following drawings on this thread.
pub fn set_mode(mode: Mode) {
    MODE.with(|m| m.set(mode));
}

/// Runs `f` with charts drawn in `mode`, then puts the previous mode back.
pub fn with_mode<R>(mode: Mode, f: impl FnOnce() -> R) -> R {
    let before = self::mode();
    set_mode(mode);
    let out = f();
    set_mode(before);
    out
}

/// The current theme's colours.
pub fn current() -> &'static Theme {
    match mode() {
        Mode::Light => &LIGHT,
        Mode::Dark => &DARK,
    }
}

/// WCAG 2.1 relative luminance of an sRGB colour.
pub fn luminance(c: RGBColor) -> f64 {
    let channel = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
}

/// WCAG 2.1 contrast ratio of two colours, from 1 to 21.
pub fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 1.4.11: graphics need 3:1 against what they are drawn on.
    const GRAPHICS: f64 = 3.0;

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast(RGBColor(0, 0, 0), RGBColor(255, 255, 255)) - 21.0).abs() < 1e-9);
        assert!((contrast(RGBColor(119, 119, 119), RGBColor(255, 255, 255)) - 4.48).abs() < 0.01);
        assert!((contrast(RGBColor(230, 159, 0), RGBColor(255, 255, 255)) - 2.25).abs() < 0.01);
    }

    #[test]
    fn every_series_colour_stands_out_from_its_paper_in_both_themes() {
        for (name, theme) in [("light", LIGHT), ("dark", DARK)] {
            for (i, c) in theme.palette.iter().enumerate() {
                let r = contrast(*c, theme.paper);
                assert!(r >= GRAPHICS, "{name} palette colour {i} {c:?}: {r:.2}:1 against the paper");
            }
            for (what, c) in [("towards", theme.towards), ("away", theme.away), ("faint", theme.faint)] {
                let r = contrast(c, theme.paper);
                assert!(r >= GRAPHICS, "{name} {what} {c:?}: {r:.2}:1");
            }
            // Text: AA's 4.5:1.
            for (what, c) in [("ink", theme.ink), ("muted", theme.muted)] {
                let r = contrast(c, theme.paper);
                assert!(r >= 4.5, "{name} {what} {c:?}: {r:.2}:1");
            }
        }
    }

    #[test]
    fn neighbouring_series_colours_differ() {
        for theme in [LIGHT, DARK] {
            for (i, a) in theme.palette.iter().enumerate() {
                for b in theme.palette.iter().skip(i + 1) {
                    let d = (i32::from(a.0) - i32::from(b.0)).abs()
                        + (i32::from(a.1) - i32::from(b.1)).abs()
                        + (i32::from(a.2) - i32::from(b.2)).abs();
                    assert!(d >= 60, "{a:?} and {b:?} are too alike");
                }
            }
        }
    }

    #[test]
    fn the_mode_is_set_and_put_back() {
        assert_eq!(mode(), Mode::Light);
        let inner = with_mode(Mode::Dark, || current().paper);
        assert_eq!(inner, DARK.paper);
        assert_eq!(current().paper, LIGHT.paper);
    }
}
