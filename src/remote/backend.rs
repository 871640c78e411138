//! A ratatui backend for a terminal at the other end of a socket: it
//! writes ANSI into memory and has the size the client said, not the size
//! of the server's own terminal (which it may not even have).

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::Color;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

/// Draws into a byte buffer for a client of `cols × rows`.
///
/// `Terminal::new(ClientBackend::new(80, 24))` gives a terminal that
/// draws for the client; after each `draw`, [`ClientBackend::take`] hands
/// over the bytes to send. [`ClientBackend::resize`] on the client's
/// resize: the next `draw` sees the new size, clears and redraws all.
pub struct ClientBackend {
    inner: CrosstermBackend<Bytes>,
    out: Bytes,
    size: Size,
    cursor: Position,
    color: bool,
}

impl ClientBackend {
    pub fn new(cols: u16, rows: u16) -> Self {
        let (cols, rows) = super::wire::clamp_size(cols, rows);
        let out = Bytes::default();
        ClientBackend {
            inner: CrosstermBackend::new(out.clone()),
            out,
            size: Size::new(cols, rows),
            cursor: Position::ORIGIN,
            color: true,
        }
    }

    /// Without colour, every cell is drawn in the terminal's own colours
    /// (bold, reverse and the rest are kept): `NO_COLOR` holds whatever
    /// the view draws.
    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    /// The client's terminal changed size (clamped to the wire's maximum).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let (cols, rows) = super::wire::clamp_size(cols, rows);
        self.size = Size::new(cols, rows);
    }

    /// The bytes written since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut *self.out.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The in-memory output, shared with the wrapped `CrosstermBackend`
/// (whose `writer_mut` is unstable API).
#[derive(Clone, Default)]
struct Bytes(Arc<Mutex<Vec<u8>>>);

impl Write for Bytes {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = self.0.lock().unwrap_or_else(|e| e.into_inner());
        out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Backend for ClientBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if self.color {
            return self.inner.draw(content);
        }
        let plain: Vec<(u16, u16, Cell)> = content
            .map(|(x, y, c)| {
                let mut c = c.clone();
                c.fg = Color::Reset;
                c.bg = Color::Reset;
                (x, y, c)
            })
            .collect();
        self.inner.draw(plain.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    /// The last position set: asking the real terminal would read the
    /// server's own tty.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        self.cursor = p;
        self.inner.set_cursor_position(p)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    /// Pixels are unknown (zero).
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::layout::Rect;
    use ratatui::style::Stylize;
    use ratatui::widgets::Paragraph;

    fn nz(n: u16) -> std::num::NonZeroU16 {
        std::num::NonZeroU16::new(n).unwrap()
    }

    fn draw(term: &mut Terminal<ClientBackend>, text: &str) -> Vec<u8> {
        term.draw(|f| {
            let a = f.area();
            f.render_widget(
                Paragraph::new(format!("{text} {}x{}", a.width, a.height)),
                Rect::new(a.width - 20, a.height - 1, 20, 1),
            );
            f.render_widget(Paragraph::new("Tableau de bord".red()), a);
        })
        .unwrap();
        term.backend_mut().take()
    }

    #[test]
    fn draws_for_the_clients_size() {
        let mut term = Terminal::new(ClientBackend::new(80, 24)).unwrap();
        let mut screen = vt100::Parser::new(nz(24), nz(80), 0);
        screen.process(&draw(&mut term, "coin"));
        assert_eq!(
            screen.screen().contents_between(0, 0, 0, 15),
            "Tableau de bord"
        );
        assert_eq!(
            screen.screen().contents_between(23, 60, 23, 80),
            "coin 80x24"
        );
        assert_eq!(
            screen.screen().cell(0, 0).unwrap().fgcolor(),
            vt100::Color::Idx(1)
        );

        term.backend_mut().resize(100, 30);
        screen.screen_mut().set_size(nz(30), nz(100));
        screen.process(&draw(&mut term, "coin"));
        assert_eq!(
            screen.screen().contents_between(29, 80, 29, 100),
            "coin 100x30"
        );
        // The old corner was cleared by the resize.
        assert!(!screen.screen().contents().contains("80x24"));
        // Nothing changed: next to nothing to send.
        assert!(draw(&mut term, "coin").len() < 32);
    }

    #[test]
    fn no_color_keeps_the_default_colours() {
        let mut term = Terminal::new(ClientBackend::new(40, 5).with_color(false)).unwrap();
        let mut screen = vt100::Parser::new(nz(5), nz(40), 0);
        screen.process(&draw(&mut term, "nb"));
        assert_eq!(screen.screen().contents_between(0, 0, 0, 7), "Tableau");
        assert_eq!(
            screen.screen().cell(0, 0).unwrap().fgcolor(),
            vt100::Color::Default
        );
    }
}
