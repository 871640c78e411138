//! A small document model that renders both as plain text and as PDF, so
//! that the two twins of a document always say the same thing.

use super::winansi;
use pdf_writer::{Finish, Name, Pdf, Rect, Ref, TextStr};

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The document's title (first page).
    Title(String),
    /// A line under the title.
    Subtitle(String),
    /// A section (a sector, "Situations reportées"…).
    Heading(String),
    /// A sub-section (a worker).
    SubHeading(String),
    /// Running text, wrapped.
    Para(String),
    /// An entry: a bold head line and indented detail lines.
    Entry { head: String, lines: Vec<String> },
    /// A plain indented line (a list), wrapped.
    Item(String),
    /// Vertical space.
    Space,
}

/// A document: a footer label (repeated on each PDF page with the page
/// number) and its blocks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    pub footer: String,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(footer: impl Into<String>) -> Self {
        Self {
            footer: footer.into(),
            blocks: Vec::new(),
        }
    }
    pub fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }
    pub fn title(&mut self, s: impl Into<String>) {
        self.push(Block::Title(s.into()));
    }
    pub fn subtitle(&mut self, s: impl Into<String>) {
        self.push(Block::Subtitle(s.into()));
    }
    pub fn heading(&mut self, s: impl Into<String>) {
        self.push(Block::Heading(s.into()));
    }
    pub fn subheading(&mut self, s: impl Into<String>) {
        self.push(Block::SubHeading(s.into()));
    }
    pub fn para(&mut self, s: impl Into<String>) {
        self.push(Block::Para(s.into()));
    }
    pub fn entry(&mut self, head: impl Into<String>, lines: Vec<String>) {
        self.push(Block::Entry {
            head: head.into(),
            lines,
        });
    }
    pub fn item(&mut self, s: impl Into<String>) {
        self.push(Block::Item(s.into()));
    }
    pub fn space(&mut self) {
        self.push(Block::Space);
    }

    // -------------------------------------------------------------------
    // Plain text.

    /// The plain-text twin: 78 columns, headings underlined, entries as
    /// bullets with indented details; ends with a newline.
    pub fn to_text(&self) -> String {
        const WIDTH: usize = 78;
        let mut out = String::new();
        let push_wrapped = |out: &mut String, first: &str, rest: &str, text: &str| {
            for (i, line) in wrap_chars(text, WIDTH - first.chars().count())
                .iter()
                .enumerate()
            {
                out.push_str(if i == 0 { first } else { rest });
                out.push_str(line);
                out.push('\n');
            }
        };
        for (i, b) in self.blocks.iter().enumerate() {
            match b {
                Block::Title(s) => {
                    out.push_str(s);
                    out.push('\n');
                    out.push_str(&"=".repeat(s.chars().count()));
                    out.push('\n');
                }
                Block::Subtitle(s) => {
                    push_wrapped(&mut out, "", "", s);
                }
                Block::Heading(s) => {
                    if i > 0 {
                        out.push('\n');
                    }
                    out.push_str(s);
                    out.push('\n');
                    out.push_str(&"-".repeat(s.chars().count()));
                    out.push('\n');
                }
                Block::SubHeading(s) => {
                    out.push('\n');
                    push_wrapped(&mut out, "", "", s);
                }
                Block::Para(s) => push_wrapped(&mut out, "", "", s),
                Block::Entry { head, lines } => {
                    push_wrapped(&mut out, "  * ", "    ", head);
                    for l in lines {
                        push_wrapped(&mut out, "      ", "        ", l);
                    }
                }
                Block::Item(s) => push_wrapped(&mut out, "    ", "      ", s),
                Block::Space => out.push('\n'),
            }
        }
        out
    }

    // -------------------------------------------------------------------
    // PDF.

    /// The PDF twin: A4, builtin Helvetica in WinAnsiEncoding, wrapped with
    /// the font's metrics, page breaks that keep an entry's head with its
    /// first line, "page n / N" in every footer. Uncompressed streams.
    pub fn to_pdf(&self) -> Vec<u8> {
        let pages = self.layout();
        write_pdf(&self.footer, &pages)
    }

    fn layout(&self) -> Vec<Vec<Run>> {
        let mut l = Layout::new();
        for b in &self.blocks {
            match b {
                Block::Title(s) => {
                    l.paragraph(s, Style::title(), MARGIN, 4.0);
                    l.gap(4.0);
                }
                Block::Subtitle(s) => l.paragraph(s, Style::subtitle(), MARGIN, 1.0),
                Block::Heading(s) => {
                    l.gap(10.0);
                    l.keep(Style::heading().leading + 3.0 * Style::body().leading);
                    l.paragraph(s, Style::heading(), MARGIN, 0.0);
                    l.rule();
                    l.gap(3.0);
                }
                Block::SubHeading(s) => {
                    l.gap(5.0);
                    l.keep(Style::sub().leading + 2.0 * Style::body().leading);
                    l.paragraph(s, Style::sub(), MARGIN, 1.0);
                }
                Block::Para(s) => l.paragraph(s, Style::body(), MARGIN, 2.0),
                Block::Entry { head, lines } => {
                    l.gap(3.0);
                    l.keep(Style::entry().leading + Style::body().leading);
                    l.paragraph(head, Style::entry(), MARGIN + 8.0, 0.0);
                    for line in lines {
                        l.paragraph(line, Style::body(), MARGIN + 22.0, 0.0);
                    }
                }
                Block::Item(s) => l.paragraph(s, Style::body(), MARGIN + 8.0, 0.0),
                Block::Space => l.gap(Style::body().leading),
            }
        }
        l.finish()
    }
}

/// Wraps on spaces to at most `width` chars; a longer word is cut.
fn wrap_chars(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let cur_len = cur.chars().count();
            let w_len = word.chars().count();
            if cur_len == 0 && w_len > width {
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                lines.push(head);
                continue;
            }
            if cur_len > 0 && cur_len + 1 + w_len > width {
                lines.push(std::mem::take(&mut cur));
                continue;
            }
            if cur_len > 0 {
                cur.push(' ');
            }
            cur.push_str(&word);
            break;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

// A4 in points.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const TOP: f32 = PAGE_H - 56.0;
const BOTTOM: f32 = 64.0;

#[derive(Debug, Clone, Copy)]
struct Style {
    bold: bool,
    size: f32,
    leading: f32,
}

impl Style {
    fn title() -> Self {
        Self {
            bold: true,
            size: 18.0,
            leading: 22.0,
        }
    }
    fn subtitle() -> Self {
        Self {
            bold: false,
            size: 11.0,
            leading: 14.0,
        }
    }
    fn heading() -> Self {
        Self {
            bold: true,
            size: 13.0,
            leading: 16.0,
        }
    }
    fn sub() -> Self {
        Self {
            bold: true,
            size: 10.5,
            leading: 13.5,
        }
    }
    fn entry() -> Self {
        Self {
            bold: true,
            size: 10.0,
            leading: 13.0,
        }
    }
    fn body() -> Self {
        Self {
            bold: false,
            size: 9.5,
            leading: 12.0,
        }
    }
}

/// One positioned piece of a page.
#[derive(Debug, Clone)]
enum Run {
    Text {
        x: f32,
        y: f32,
        bold: bool,
        size: f32,
        bytes: Vec<u8>,
    },
    Rule {
        y: f32,
    },
}

struct Layout {
    pages: Vec<Vec<Run>>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn page(&mut self) -> &mut Vec<Run> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let n = self.pages.len();
        &mut self.pages[n - 1]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits below.
    fn keep(&mut self, height: f32) {
        if self.y - height < BOTTOM && self.y < TOP {
            self.new_page();
        }
    }

    fn gap(&mut self, h: f32) {
        if self.y < TOP {
            self.y -= h;
        }
    }

    /// A rule under the line just written, below its descenders.
    fn rule(&mut self) {
        let y = self.y - 2.5;
        self.page().push(Run::Rule { y });
        self.y -= 3.0;
    }

    fn paragraph(&mut self, text: &str, style: Style, x: f32, after: f32) {
        let max = PAGE_W - MARGIN - x;
        for line in wrap_width(text, style, max) {
            if self.y - style.leading < BOTTOM {
                self.new_page();
            }
            self.y -= style.leading;
            let y = self.y + (style.leading - style.size) * 0.5;
            self.page().push(Run::Text {
                x,
                y,
                bold: style.bold,
                size: style.size,
                bytes: line,
            });
        }
        self.y -= after;
    }

    fn finish(self) -> Vec<Vec<Run>> {
        self.pages
    }
}

/// Wraps WinAnsi-encoded text to `max` points with the font's metrics.
fn wrap_width(text: &str, style: Style, max: f32) -> Vec<Vec<u8>> {
    let space = winansi::width(b" ", style.bold, style.size);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut cur_w = 0.0;
    for word in text.split_whitespace() {
        let mut bytes = winansi::encode(word);
        loop {
            let w = winansi::width(&bytes, style.bold, style.size);
            if cur.is_empty() && w > max {
                // Cut a word longer than the line.
                let mut n = bytes.len();
                while n > 1 && winansi::width(&bytes[..n], style.bold, style.size) > max {
                    n -= 1;
                }
                lines.push(bytes[..n].to_vec());
                bytes = bytes[n..].to_vec();
                continue;
            }
            if !cur.is_empty() && cur_w + space + w > max {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0.0;
                continue;
            }
            if !cur.is_empty() {
                cur.push(b' ');
                cur_w += space;
            }
            cur.extend_from_slice(&bytes);
            cur_w += w;
            break;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

fn write_pdf(footer: &str, pages: &[Vec<Run>]) -> Vec<u8> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let n = pages.len().max(1);
    let page_ids: Vec<Ref> = (0..n).map(|i| Ref::new(first + 2 * i as i32)).collect();
    let content_ids: Vec<Ref> = (0..n).map(|i| Ref::new(first + 2 * i as i32 + 1)).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(n as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(footer))
        .producer(TextStr("assll"));

    let empty = Vec::new();
    for i in 0..n {
        let runs = pages.get(i).unwrap_or(&empty);
        let mut page = pdf.page(page_ids[i]);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree)
            .contents(content_ids[i]);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
        page.finish();

        let mut c = Stream::default();
        for run in runs {
            match run {
                Run::Text {
                    x,
                    y,
                    bold,
                    size,
                    bytes,
                } => c.text(*x, *y, *bold, *size, bytes),
                Run::Rule { y } => c.rule(0.6, *y),
            }
        }
        // Footer: the document on the left, the page number on the right.
        c.rule(0.3, BOTTOM - 22.0);
        let size = 8.0;
        c.text(MARGIN, BOTTOM - 34.0, false, size, &winansi::encode(footer));
        let num = winansi::encode(&format!("page {} / {}", i + 1, n));
        let w = winansi::width(&num, false, size);
        c.text(PAGE_W - MARGIN - w, BOTTOM - 34.0, false, size, &num);
        pdf.stream(content_ids[i], &c.0);
    }
    pdf.finish()
}

/// A page's content stream, written by hand so that text goes in literal
/// strings of WinAnsi bytes (pdf-writer's `Str` turns any byte over 0x7F
/// into a hex string, which is valid but hides the text from a reader of
/// the file).
#[derive(Default)]
struct Stream(Vec<u8>);

impl Stream {
    fn num(&mut self, v: f32) {
        let v = (v * 100.0).round() / 100.0;
        self.0.extend_from_slice(format!("{v}").as_bytes());
    }

    fn text(&mut self, x: f32, y: f32, bold: bool, size: f32, bytes: &[u8]) {
        self.0
            .extend_from_slice(if bold { b"BT\n/F2 " } else { b"BT\n/F1 " });
        self.num(size);
        self.0.extend_from_slice(b" Tf\n");
        self.num(x);
        self.0.push(b' ');
        self.num(y);
        self.0.extend_from_slice(b" Td\n(");
        for &b in bytes {
            match b {
                b'(' | b')' | b'\\' => {
                    self.0.push(b'\\');
                    self.0.push(b);
                }
                b'\n' | b'\r' => self.0.push(b' '),
                _ => self.0.push(b),
            }
        }
        self.0.extend_from_slice(b") Tj\nET\n");
    }

    fn rule(&mut self, width: f32, y: f32) {
        self.num(width);
        self.0.extend_from_slice(b" w\n");
        self.num(MARGIN);
        self.0.push(b' ');
        self.num(y);
        self.0.extend_from_slice(b" m\n");
        self.num(PAGE_W - MARGIN);
        self.0.push(b' ');
        self.num(y);
        self.0.extend_from_slice(b" l\nS\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_and_underlines() {
        let mut d = Document::new("pied");
        d.title("Titre");
        d.entry("tête", vec!["mot ".repeat(30)]);
        let t = d.to_text();
        assert!(t.starts_with("Titre\n=====\n"));
        assert!(t.lines().all(|l| l.chars().count() <= 78));
        assert!(t.contains("  * tête\n      mot mot"));
    }

    #[test]
    fn pdf_pages_grow_with_content() {
        let mut d = Document::new("pied");
        d.title("Titre");
        let one = d.to_pdf();
        assert!(one.starts_with(b"%PDF"));
        assert!(one.windows(8).any(|w| w == b"/Count 1"));
        for i in 0..200 {
            d.para(format!("Ligne numéro {i}"));
        }
        let many = d.to_pdf();
        // About 60 body lines a page: 200 lines and a title take 4 pages.
        assert!(many.windows(8).any(|w| w == b"/Count 4"));
        assert!(many.windows(12).any(|w| w == b"(page 4 / 4)"));
        assert!(!many.windows(12).any(|w| w == b"(page 5 / 5)"));
    }
}
