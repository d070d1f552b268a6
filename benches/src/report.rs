//! The comparison written out: a markdown table and an SVG bar chart of the ratios.

use crate::{HEADER, Row};
use std::fmt::Write;

/// The table as markdown, preceded by where and when it was measured and followed by
/// `notes` (one paragraph each: the machine checks).
pub fn markdown(rows: &[Row], machine: &str, date: &str, notes: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Measured on {machine}, {date}. Lower ratio = larder faster.\n"
    );
    let _ = writeln!(out, "{HEADER}");
    for row in rows {
        let _ = writeln!(out, "{}", row.markdown());
    }
    for note in notes {
        let _ = writeln!(out, "\n{note}");
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A horizontal bar chart of `larder/peer` on a log scale centred on 1: bars to the left
/// (green) are pairs where larder is faster, to the right (red) slower.
pub fn svg(rows: &[Row], title: &str) -> String {
    const LABEL: f64 = 430.0;
    const PLOT: f64 = 440.0;
    const BAR: f64 = 16.0;
    const GAP: f64 = 6.0;
    const TOP: f64 = 48.0;
    // log2 range shown: 1/64 .. 4
    const MIN: f64 = -6.0;
    const MAX: f64 = 2.0;
    let width = LABEL + PLOT + 80.0;
    let height = TOP + rows.len() as f64 * (BAR + GAP) + 40.0;
    let x_of = |log: f64| LABEL + (log.clamp(MIN, MAX) - MIN) / (MAX - MIN) * PLOT;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for tick in (MIN as i32)..=(MAX as i32) {
        let x = x_of(tick as f64);
        let label = if tick >= 0 {
            format!("{}x", 1 << tick)
        } else {
            format!("1/{}", 1 << -tick)
        };
        let _ = writeln!(
            s,
            r##"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{}"/><text x="{x}" y="{}" text-anchor="middle" fill="#555">{label}</text>"##,
            TOP - 8.0,
            height - 30.0,
            if tick == 0 { "#000" } else { "#ddd" },
            TOP - 12.0,
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + i as f64 * (BAR + GAP);
        let log = row.ratio().log2();
        let (x0, x1) = (x_of(0.0), x_of(log));
        let (left, w) = if x1 < x0 {
            (x1, x0 - x1)
        } else {
            (x0, x1 - x0)
        };
        let color = if log <= 0.0 { "#3a9d5d" } else { "#c8553d" };
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{} vs {}</text><rect x="{left:.1}" y="{y}" width="{:.1}" height="{BAR}" fill="{color}"/><text x="{}" y="{}">{:.3}</text>"#,
            LABEL - 8.0,
            y + BAR - 4.0,
            escape(&row.workload),
            escape(row.peer),
            w.max(1.0),
            LABEL + PLOT + 8.0,
            y + BAR - 4.0,
            row.ratio(),
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{}" y="{}" fill="#555">larder time / peer time (log scale; left of the black line = larder faster)</text></svg>"##,
        LABEL,
        height - 10.0
    );
    s
}
