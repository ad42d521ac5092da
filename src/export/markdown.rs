//! The report as Markdown (CommonMark with GitHub tables). Every string from the document is
//! escaped by [`markdown_escape`]; charts are left to the HTML report.

use super::escape::markdown_escape;
use super::report::{document, Block, Section};
use super::snapshot::SessionSnapshot;

/// Appends one block as Markdown.
pub(crate) fn push_block(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph(t) => {
            out.push_str(&markdown_escape(t));
            out.push_str("\n\n");
        }
        Block::List(items) => {
            for i in items {
                out.push_str("- ");
                out.push_str(&markdown_escape(i));
                out.push('\n');
            }
            out.push('\n');
        }
        Block::Table { headers, rows } => {
            let line = |cells: &[String]| {
                let escaped: Vec<String> =
                    cells.iter().map(|c| if c.is_empty() { " ".to_string() } else { markdown_escape(c) }).collect();
                format!("| {} |\n", escaped.join(" | "))
            };
            out.push_str(&line(headers));
            out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
            for r in rows {
                out.push_str(&line(r));
            }
            out.push('\n');
        }
        Block::Charts => {}
    }
}

/// Renders sections under a level-1 title.
pub(crate) fn render(title: &str, sections: &[Section]) -> String {
    let mut out = format!("# {}\n\n", markdown_escape(title));
    for s in sections {
        out.push_str("## ");
        out.push_str(&markdown_escape(&s.title));
        out.push_str("\n\n");
        for b in &s.blocks {
            push_block(&mut out, b);
        }
    }
    out
}

/// The session report as Markdown (charts are only in the HTML report).
pub fn report_markdown(snapshot: &SessionSnapshot) -> String {
    render(&format!("Fairground report: {}", snapshot.dataset.name), &document(snapshot))
}
