//! The hostile file shapes of issue 24, generated as CSV text (seeded, so every run sees the
//! same bytes). Shared by the benchmark `benches/shapes.rs` (full size) and the tests
//! `tests/hostile_shapes.rs` (small versions, `scale` < 1). `cargo bench --bench shapes --
//! --write DIR` writes the full-size files for trying them with the CLI.
//!
//! | shape          | full size                                                     |
//! |----------------|---------------------------------------------------------------|
//! | `zip5000`      | 100,000 rows, a 5,000-level categorical `zip` (1.1 MB class)   |
//! | `cat300`       | 5,000 rows × 300 categorical columns (~4 MB)                  |
//! | `adult_id`     | the bundled Adult file plus a unique `person_id` column       |
//! | `groups2000`   | 40,000 rows in 2,000 sensitive groups, with a score column    |
//! | `wide2000`     | 500 rows × 2,000 numeric features                              |
//! | `text`         | 400,000 rows of mostly-unique text cells (~100 MB, the 1 GB text file scaled down) |

#![allow(dead_code)]
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::rng::Rng;
use std::fmt::Write as _;

/// A generated file and the roles to run it with.
pub struct Shape {
    pub name: &'static str,
    pub csv: String,
    pub target: &'static str,
    pub positive: &'static str,
    pub sensitive: &'static str,
    /// A numeric score column for `audit`/`mitigate`, if the shape has one.
    pub score: Option<&'static str>,
}

/// Every shape's name.
pub const NAMES: [&str; 6] = ["zip5000", "cat300", "adult_id", "groups2000", "wide2000", "text"];

fn rows(full: usize, scale: f64) -> usize {
    ((full as f64 * scale).round() as usize).max(40)
}

fn label(rng: &mut Rng, p: f64) -> &'static str {
    if rng.bernoulli(p.clamp(0.02, 0.98)) {
        "1"
    } else {
        "0"
    }
}

/// The shape called `name` at `scale` (1.0 = the size). `None` for an unknown name.
pub fn shape(name: &str, scale: f64) -> Option<Shape> {
    let mut rng = Rng::new(24);
    let mut s = String::new();
    match name {
        "zip5000" => {
            let n = rows(100_000, scale);
            let levels = ((5000.0 * scale).round() as usize).max(200);
            s.push_str("zip,age,sex,y\n");
            for _ in 0..n {
                let zip = rng.index(levels);
                let age = 18 + rng.index(60);
                let sex = if rng.bernoulli(0.5) { "F" } else { "M" };
                let p = 0.2 + 0.5 * (zip % 7) as f64 / 7.0;
                let _ = writeln!(s, "Z{zip:05},{age},{sex},{}", label(&mut rng, p));
            }
            Some(Shape { name: "zip5000", csv: s, target: "y", positive: "1", sensitive: "sex", score: None })
        }
        "cat300" => {
            let n = rows(5_000, scale);
            let cols = ((300.0 * scale.sqrt()).round() as usize).clamp(20, 300);
            let header: Vec<String> = (0..cols).map(|c| format!("c{c}")).collect();
            let _ = writeln!(s, "{},g,y", header.join(","));
            for _ in 0..n {
                let mut sum = 0usize;
                for c in 0..cols {
                    let v = rng.index(10);
                    sum += v * usize::from(c < 5);
                    let _ = write!(s, "v{v},");
                }
                let g = if rng.bernoulli(0.4) { "a" } else { "b" };
                let _ = writeln!(s, "{g},{}", label(&mut rng, sum as f64 / 45.0));
            }
            Some(Shape { name: "cat300", csv: s, target: "y", positive: "1", sensitive: "g", score: None })
        }
        "adult_id" => {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/adult.csv");
            let adult = std::fs::read_to_string(path).ok()?;
            let mut lines = adult.lines();
            let header = lines.next()?;
            let _ = writeln!(s, "person_id,{header}");
            let all: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
            let keep = rows(all.len(), scale).min(all.len());
            for (i, line) in all.iter().take(keep).enumerate() {
                let _ = writeln!(s, "{},{line}", 100_000 + i * 7);
            }
            Some(Shape {
                name: "adult_id",
                csv: s,
                target: "income-per-year",
                positive: ">50K",
                sensitive: "sex",
                score: None,
            })
        }
        "groups2000" => {
            let n = rows(40_000, scale);
            let groups = ((2000.0 * scale).round() as usize).max(300);
            s.push_str("group,x,score,y\n");
            for _ in 0..n {
                let g = rng.index(groups);
                let x = rng.normal();
                let p = 1.0 / (1.0 + (-x).exp());
                let score = (p + 0.1 * rng.normal()).clamp(0.0, 1.0);
                let _ = writeln!(s, "G{g},{x:.4},{score:.4},{}", label(&mut rng, p));
            }
            Some(Shape {
                name: "groups2000",
                csv: s,
                target: "y",
                positive: "1",
                sensitive: "group",
                score: Some("score"),
            })
        }
        "wide2000" => {
            let n = rows(500, scale).max(100);
            let cols = ((2000.0 * scale).round() as usize).max(300);
            let header: Vec<String> = (0..cols).map(|c| format!("f{c}")).collect();
            let _ = writeln!(s, "{},g,y", header.join(","));
            for _ in 0..n {
                let mut z = 0.0;
                for c in 0..cols {
                    let v = rng.normal();
                    if c < 3 {
                        z += v;
                    }
                    let _ = write!(s, "{v:.3},");
                }
                let g = if rng.bernoulli(0.5) { "a" } else { "b" };
                let _ = writeln!(s, "{g},{}", label(&mut rng, 1.0 / (1.0 + (-z).exp())));
            }
            Some(Shape { name: "wide2000", csv: s, target: "y", positive: "1", sensitive: "g", score: None })
        }
        "text" => {
            let n = rows(400_000, scale);
            s.push_str("comment,city,g,y\n");
            for i in 0..n {
                let w = rng.next_u64();
                let city = rng.index(50);
                let g = if rng.bernoulli(0.5) { "a" } else { "b" };
                let _ = writeln!(
                    s,
                    "customer {i} wrote note {w:016x} about order {w:x} and asked for a callback soon,city{city},{g},{}",
                    label(&mut rng, 0.3)
                );
            }
            Some(Shape { name: "text", csv: s, target: "y", positive: "1", sensitive: "g", score: None })
        }
        _ => None,
    }
}
