//! One line of text edited at a cursor, and text that arrives pasted.
//!
//! The cursor is a byte offset into the value, always on a grapheme
//! boundary: it moves and deletes by what the eye sees as one character
//! (`é` typed as `e` + a combining accent, a flag, an emoji joined with
//! ZWJ), never inside a UTF-8 sequence.

use unicode_segmentation::GraphemeCursor;

/// `cursor` brought inside `s` and onto a char boundary (a value changed
/// under the cursor, by a reset or a paste, never makes it point inside a
/// character).
pub fn clamp(s: &str, cursor: usize) -> usize {
    let mut c = cursor.min(s.len());
    while !s.is_char_boundary(c) {
        c -= 1;
    }
    c
}

/// The grapheme boundary before `cursor` (0 at the start).
pub fn prev_boundary(s: &str, cursor: usize) -> usize {
    let c = clamp(s, cursor);
    GraphemeCursor::new(c, s.len(), true)
        .prev_boundary(s, 0)
        .ok()
        .flatten()
        .unwrap_or(0)
}

/// The grapheme boundary after `cursor` (the end at the end).
pub fn next_boundary(s: &str, cursor: usize) -> usize {
    let c = clamp(s, cursor);
    GraphemeCursor::new(c, s.len(), true)
        .next_boundary(s, 0)
        .ok()
        .flatten()
        .unwrap_or(s.len())
}

/// Pasted text for a one-line field: a line break or a tab becomes one
/// space (`\r\n` too), any other control character is dropped (an escape
/// sequence pasted would otherwise reach the terminal).
pub fn single_line(text: &str) -> String {
    cleaned(text, ' ')
}

/// Pasted text for the review: line breaks kept as `\n` (terminals send
/// `\r` or `\r\n` as well), a tab becomes a space, any other control
/// character is dropped.
pub fn multi_line(text: &str) -> String {
    cleaned(text, '\n')
}

/// Pasted text with each line break (`\r\n`, `\r` or `\n`) as `line_break`,
/// a tab as a space, and no other control character.
fn cleaned(text: &str, line_break: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(line_break);
            }
            '\n' => out.push(line_break),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A one-line value and its cursor, as a text field holds them.
#[derive(Debug)]
pub struct LineEdit<'a> {
    pub text: &'a mut String,
    pub cursor: &'a mut usize,
}

impl LineEdit<'_> {
    fn at(&mut self) -> usize {
        *self.cursor = clamp(self.text, *self.cursor);
        *self.cursor
    }
    /// Inserts at the cursor (already cleaned: see [`single_line`]); the
    /// cursor goes after it.
    pub fn insert(&mut self, s: &str) {
        let c = self.at();
        self.text.insert_str(c, s);
        *self.cursor = c + s.len();
    }
    /// Backspace: the grapheme before the cursor. False at the start.
    pub fn delete_before(&mut self) -> bool {
        let c = self.at();
        let p = prev_boundary(self.text, c);
        if p == c {
            return false;
        }
        self.text.replace_range(p..c, "");
        *self.cursor = p;
        true
    }
    /// Delete: the grapheme after the cursor. False at the end.
    pub fn delete_after(&mut self) -> bool {
        let c = self.at();
        let n = next_boundary(self.text, c);
        if n == c {
            return false;
        }
        self.text.replace_range(c..n, "");
        true
    }
    pub fn left(&mut self) {
        let c = self.at();
        *self.cursor = prev_boundary(self.text, c);
    }
    pub fn right(&mut self) {
        let c = self.at();
        *self.cursor = next_boundary(self.text, c);
    }
    pub fn home(&mut self) {
        *self.cursor = 0;
    }
    pub fn end(&mut self) {
        *self.cursor = self.text.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, cursor: usize, op: impl FnOnce(&mut LineEdit)) -> (String, usize) {
        let mut t = text.to_string();
        let mut c = cursor;
        op(&mut LineEdit {
            text: &mut t,
            cursor: &mut c,
        });
        (t, c)
    }

    #[test]
    fn moves_and_deletes_by_grapheme_never_inside_a_char() {
        // "e" + combining acute, a family emoji joined by ZWJ, a CJK char.
        let s = "ae\u{301}👨\u{200d}👩\u{200d}👧中";
        let mut stops = vec![0];
        let mut c = 0;
        loop {
            let n = next_boundary(s, c);
            if n == c {
                break;
            }
            stops.push(n);
            c = n;
        }
        let graphemes: Vec<&str> = stops.windows(2).map(|w| &s[w[0]..w[1]]).collect();
        assert_eq!(graphemes, ["a", "e\u{301}", "👨\u{200d}👩\u{200d}👧", "中"]);
        // And back the same way.
        let mut back = vec![s.len()];
        let mut c = s.len();
        while c > 0 {
            c = prev_boundary(s, c);
            back.push(c);
        }
        back.reverse();
        assert_eq!(back, stops);
        // Backspace after the family removes it whole; Delete on the accent
        // removes the letter and its accent.
        let fam_end = stops[3];
        assert_eq!(
            edit(s, fam_end, |e| assert!(e.delete_before())).0,
            "ae\u{301}中"
        );
        assert_eq!(
            edit(s, 1, |e| assert!(e.delete_after())).0,
            "a👨\u{200d}👩\u{200d}👧中"
        );
        // A cursor left inside a char (value changed under it) is brought back.
        assert_eq!(clamp("é", 1), 0);
        assert_eq!(edit("é", 1, |e| e.insert("x")), ("xé".to_string(), 1));
    }

    #[test]
    fn insert_home_end_and_the_edges() {
        let (t, c) = edit("Hélène", 0, |e| {
            e.end();
            e.left();
            e.left();
            e.insert("-");
        });
        assert_eq!((t.as_str(), c), ("Hélè-ne", 7));
        let (t, c) = edit("abc", 3, |e| {
            assert!(!e.delete_after());
            e.home();
            assert!(!e.delete_before());
            e.right();
            e.insert("→");
        });
        assert_eq!(t, "a→bc");
        assert_eq!(c, 1 + '→'.len_utf8());
    }

    #[test]
    fn pasted_text_is_cleaned_for_one_line_or_for_the_review() {
        let pasted = "Loyer\r\nrepris\tle 12\u{1b}[31m/11\rfin\u{7}";
        assert_eq!(single_line(pasted), "Loyer repris le 12[31m/11 fin");
        assert_eq!(multi_line(pasted), "Loyer\nrepris le 12[31m/11\nfin");
        assert_eq!(multi_line("a\n\nb"), "a\n\nb");
    }
}
