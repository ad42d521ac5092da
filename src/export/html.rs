//! The report as one self-contained HTML file: inline CSS, charts as `data:image/png;base64`
//! images, no script, no external URL, and a Content-Security-Policy that would block any
//! script, remote image, font or frame even if one slipped in. Every string goes through
//! [`html_escape`].

use super::escape::{base64_standard, html_escape};
use super::report::{document, Block};
use super::snapshot::SessionSnapshot;

/// A chart the caller rendered as PNG (e.g. at 2× resolution).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartImage {
    /// Caption under the image.
    pub title: String,
    /// Text alternative for screen readers.
    pub alt: String,
    /// The PNG file's bytes.
    pub png: Vec<u8>,
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;\
padding:0 1rem;color:#1b1b1f;line-height:1.5}h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;\
margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ccc;\
padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f5}td{font-variant-numeric:tabular-nums}\
figure{margin:1rem 0}img{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#555}\
.privacy{background:#eef6ee;padding:.5rem 1rem;border-radius:.25rem}\
@media print{body{margin:0}h2{break-after:avoid}table,figure{break-inside:avoid}}";

/// The CSP of the report: nothing may load except inline styles and `data:` images.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

fn push_block(out: &mut String, block: &Block, charts: &[ChartImage]) {
    match block {
        Block::Paragraph(t) => {
            out.push_str("<p>");
            out.push_str(&html_escape(t));
            out.push_str("</p>\n");
        }
        Block::List(items) => {
            out.push_str("<ul>\n");
            for i in items {
                out.push_str("<li>");
                out.push_str(&html_escape(i));
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        Block::Table { headers, rows } => {
            out.push_str("<table>\n<thead><tr>");
            for h in headers {
                out.push_str("<th scope=\"col\">");
                out.push_str(&html_escape(h));
                out.push_str("</th>");
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    out.push_str("<td>");
                    out.push_str(&html_escape(cell));
                    out.push_str("</td>");
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        Block::Charts => {
            for c in charts {
                out.push_str("<figure>");
                if c.png.starts_with(&PNG_SIGNATURE) {
                    out.push_str("<img src=\"data:image/png;base64,");
                    out.push_str(&base64_standard(&c.png));
                    out.push_str("\" alt=\"");
                    out.push_str(&html_escape(&c.alt));
                    out.push_str("\">");
                } else {
                    out.push_str("<p>(This chart was not a PNG image and was left out.)</p>");
                }
                out.push_str("<figcaption>");
                out.push_str(&html_escape(&c.title));
                out.push_str("</figcaption></figure>\n");
            }
        }
    }
}

/// The session report as a complete HTML document (UTF-8). `charts` are placed after the
/// per-group audit table; bytes that are not a PNG file are left out with a note.
///
/// The output contains no `<script`, no event-handler attribute, no `http:`/`https:` URL and
/// no reference to any file; the only `http` in it is the `http-equiv` of the CSP `<meta>`.
pub fn report_html(snapshot: &SessionSnapshot, charts: &[ChartImage]) -> String {
    let mut out = String::with_capacity(16_384 + charts.iter().map(|c| c.png.len() * 4 / 3 + 256).sum::<usize>());
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"");
    out.push_str(CSP);
    out.push_str("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    out.push_str(&html_escape(&format!("Fairground report: {}", snapshot.dataset.name)));
    out.push_str("</title>\n<style>");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n<h1>");
    out.push_str(&html_escape(&format!("Fairground report: {}", snapshot.dataset.name)));
    out.push_str("</h1>\n");
    for section in document(snapshot) {
        let privacy = section.title == "Privacy";
        out.push_str(if privacy { "<section class=\"privacy\">\n<h2>" } else { "<section>\n<h2>" });
        out.push_str(&html_escape(&section.title));
        out.push_str("</h2>\n");
        for block in &section.blocks {
            push_block(&mut out, block, charts);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
