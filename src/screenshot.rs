//! Screenshots as SVG, drawn from a rendered ratatui buffer: the same code
//! that draws the screens draws the pictures in `screenshots/`, with colours.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write;

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;
const FONT_SIZE: f32 = 14.0;
const DEFAULT_FG: (u8, u8, u8) = (0xd0, 0xd0, 0xd0);
const DEFAULT_BG: (u8, u8, u8) = (0x1c, 0x1c, 0x1c);

fn rgb(c: Color, default: (u8, u8, u8)) -> (u8, u8, u8) {
    match c {
        Color::Reset => default,
        Color::Black => (0, 0, 0),
        Color::Red => (0xcd, 0x31, 0x31),
        Color::Green => (0x0d, 0xbc, 0x79),
        Color::Yellow => (0xe5, 0xe5, 0x10),
        Color::Blue => (0x24, 0x72, 0xc8),
        Color::Magenta => (0xbc, 0x3f, 0xbc),
        Color::Cyan => (0x11, 0xa8, 0xcd),
        Color::Gray => (0xcc, 0xcc, 0xcc),
        Color::DarkGray => (0x66, 0x66, 0x66),
        Color::LightRed => (0xf1, 0x4c, 0x4c),
        Color::LightGreen => (0x23, 0xd1, 0x8b),
        Color::LightYellow => (0xf5, 0xf5, 0x43),
        Color::LightBlue => (0x3b, 0x8e, 0xea),
        Color::LightMagenta => (0xd6, 0x70, 0xd6),
        Color::LightCyan => (0x29, 0xb8, 0xdb),
        Color::White => (0xff, 0xff, 0xff),
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => indexed(i),
    }
}

fn indexed(i: u8) -> (u8, u8, u8) {
    const BASE: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match i {
        0..=15 => rgb(BASE[i as usize], DEFAULT_FG),
        16..=231 => {
            let i = i - 16;
            let step = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            (step(i / 36), step((i / 6) % 6), step(i % 6))
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
    }
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The buffer as an SVG picture: one rectangle per run of background, one
/// text element per run of same-styled characters.
pub fn buffer_to_svg(buf: &Buffer, title: &str) -> String {
    let area = buf.area;
    let w = f32::from(area.width) * CELL_W;
    let h = f32::from(area.height) * CELL_H;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.1} {h:.1}" font-family="'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace" font-size="{FONT_SIZE}">"#
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{}"/>"#,
        hex(DEFAULT_BG)
    );
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let cell = &buf[(area.x + x, area.y + y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (fg, bg) = if reversed {
                (rgb(cell.bg, DEFAULT_BG), rgb(cell.fg, DEFAULT_FG))
            } else {
                (rgb(cell.fg, DEFAULT_FG), rgb(cell.bg, DEFAULT_BG))
            };
            let bold = cell.modifier.contains(Modifier::BOLD);
            let underline = cell.modifier.contains(Modifier::UNDERLINED);
            // Gather a run of cells with the same style.
            let start = x;
            let mut text = String::new();
            while x < area.width {
                let c = &buf[(area.x + x, area.y + y)];
                if c.fg != cell.fg || c.bg != cell.bg || c.modifier != cell.modifier {
                    break;
                }
                text.push_str(c.symbol());
                x += 1;
            }
            let x0 = f32::from(start) * CELL_W;
            let y0 = f32::from(y) * CELL_H;
            let width = f32::from(x - start) * CELL_W;
            if bg != DEFAULT_BG {
                let _ = writeln!(
                    out,
                    r#"<rect x="{x0:.1}" y="{y0:.1}" width="{width:.1}" height="{CELL_H:.1}" fill="{}"/>"#,
                    hex(bg)
                );
            }
            if !text.trim().is_empty() {
                let mut attrs = String::new();
                if bold {
                    attrs.push_str(r#" font-weight="bold""#);
                }
                if underline {
                    attrs.push_str(r#" text-decoration="underline""#);
                }
                let _ = writeln!(
                    out,
                    r#"<text x="{x0:.1}" y="{:.1}" fill="{}" textLength="{width:.1}" lengthAdjust="spacingAndGlyphs" xml:space="preserve"{attrs}>{}</text>"#,
                    y0 + CELL_H * 0.78,
                    hex(fg),
                    escape(&text)
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn svg_has_text_and_colours() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 2));
        buf.set_string(0, 0, "Réf. <a>", Style::default().fg(Color::Red));
        let svg = buffer_to_svg(&buf, "essai");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Réf. &lt;a&gt;"));
        assert!(svg.contains("#cd3131"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
