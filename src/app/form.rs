//! A small generic form: text, date, pick list, check box and multiple
//! choice fields, each with its own French error shown beside it.

use super::text::LineEdit;
use chrono::NaiveDate;

/// Where the cursor of a text field goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorMove {
    Left,
    Right,
    Home,
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Choice {
        options: Vec<String>,
        index: usize,
    },
    Toggle(bool),
    Multi {
        options: Vec<String>,
        chosen: Vec<bool>,
        cursor: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub label: String,
    pub value: FieldValue,
    pub error: Option<String>,
    /// In a text field, where typing goes: a byte offset into the value on
    /// a grapheme boundary (see [`super::text`]). At the end when the form
    /// opens, so that a prefilled value is completed or erased from the end.
    pub cursor: usize,
}

impl Field {
    pub fn text(key: &'static str, label: &str, value: &str) -> Field {
        Field {
            key,
            label: label.to_string(),
            value: FieldValue::Text(value.to_string()),
            error: None,
            cursor: value.len(),
        }
    }
    pub fn choice(key: &'static str, label: &str, options: Vec<String>, index: usize) -> Field {
        Field {
            key,
            label: label.to_string(),
            value: FieldValue::Choice { options, index },
            error: None,
            cursor: 0,
        }
    }
    pub fn toggle(key: &'static str, label: &str, on: bool) -> Field {
        Field {
            key,
            label: label.to_string(),
            value: FieldValue::Toggle(on),
            error: None,
            cursor: 0,
        }
    }
    pub fn multi(key: &'static str, label: &str, options: Vec<String>, chosen: Vec<bool>) -> Field {
        let mut chosen = chosen;
        chosen.resize(options.len(), false);
        Field {
            key,
            label: label.to_string(),
            value: FieldValue::Multi {
                options,
                chosen,
                cursor: 0,
            },
            error: None,
            cursor: 0,
        }
    }
    pub fn is_text(&self) -> bool {
        matches!(self.value, FieldValue::Text(_))
    }
    /// The value as one line, for display.
    pub fn display(&self, unicode: bool) -> String {
        match &self.value {
            FieldValue::Text(s) => s.clone(),
            FieldValue::Choice { options, index } => {
                let o = options.get(*index).map_or("", String::as_str);
                if unicode {
                    format!("◀ {o} ▶")
                } else {
                    format!("< {o} >")
                }
            }
            FieldValue::Toggle(b) => {
                if *b {
                    "[x] oui".into()
                } else {
                    "[ ] non".into()
                }
            }
            FieldValue::Multi {
                options,
                chosen,
                cursor,
            } => {
                let n = chosen.iter().filter(|c| **c).count();
                let cur = options.get(*cursor).map_or("", String::as_str);
                let mark = if chosen.get(*cursor).copied().unwrap_or(false) {
                    "[x]"
                } else {
                    "[ ]"
                };
                let (l, r) = if unicode { ("◀", "▶") } else { ("<", ">") };
                format!(
                    "{l} {mark} {cur} {r}  ({n} choisi{})",
                    if n > 1 { "s" } else { "" }
                )
            }
        }
    }
}

/// What the form is for: decides what Submit does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPurpose {
    NewReferral,
    LogEvent(crate::domain::Reference),
    /// A logged contact corrected: the entry is [`Form::correcting`].
    CorrectEvent(crate::domain::Reference),
    Contract(crate::domain::Reference),
    Masp(crate::domain::Reference),
    Fact(crate::domain::Reference),
    NotStarted(crate::domain::Reference),
    Gts(super::gts::GtsForm),
    /// R-MES-6: a refusal or an impossibility during the measure.
    Difficulty(crate::domain::Reference),
    /// R-MES-7: the measure to another worker.
    HandOver(crate::domain::Reference),
    /// R-MES-7: the household to another sector.
    MoveHousehold(crate::domain::HouseholdId),
    /// R-DIAG-2/3: a diagnostic returned, and the measure after it.
    ReturnDiagnostic(crate::domain::Reference),
    /// The household's identity and partners.
    EditHousehold(crate::domain::HouseholdId),
    /// R-REF-5: the reason for starting a measure out of the waiting order.
    StartOutOfOrder {
        reference: crate::domain::Reference,
        worker: crate::domain::WorkerId,
        sector: crate::domain::SectorId,
    },
    /// The GIP's reference data (« Référentiel »).
    RefData(super::refdata::RefForm),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub title: String,
    pub purpose: FormPurpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// An error not tied to one field.
    pub error: Option<String>,
    /// The log entry a correction form corrects, as it was shown.
    pub correcting: Option<Box<crate::domain::LogEntry>>,
    /// A warning already shown (a possible duplicate household): the next
    /// Enter goes on with what is typed.
    pub acknowledged: Option<String>,
    /// A line of information under the fields, not an error (a sector's
    /// capacity as typed).
    pub note: Option<String>,
}

impl Form {
    pub fn new(title: &str, purpose: FormPurpose, fields: Vec<Field>) -> Form {
        Form {
            title: title.to_string(),
            purpose,
            fields,
            focus: 0,
            dirty: false,
            error: None,
            correcting: None,
            acknowledged: None,
            note: None,
        }
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
    fn field_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }
    pub fn text(&self, key: &str) -> String {
        match self.field(key).map(|f| &f.value) {
            Some(FieldValue::Text(s)) => s.trim().to_string(),
            _ => String::new(),
        }
    }
    pub fn choice(&self, key: &str) -> usize {
        match self.field(key).map(|f| &f.value) {
            Some(FieldValue::Choice { index, .. }) => *index,
            _ => 0,
        }
    }
    pub fn toggle(&self, key: &str) -> bool {
        matches!(
            self.field(key).map(|f| &f.value),
            Some(FieldValue::Toggle(true))
        )
    }
    pub fn chosen(&self, key: &str) -> Vec<usize> {
        match self.field(key).map(|f| &f.value) {
            Some(FieldValue::Multi { chosen, .. }) => chosen
                .iter()
                .enumerate()
                .filter(|(_, c)| **c)
                .map(|(i, _)| i)
                .collect(),
            _ => Vec::new(),
        }
    }
    pub fn set_error(&mut self, key: &str, msg: impl Into<String>) {
        if let Some(f) = self.field_mut(key) {
            f.error = Some(msg.into());
        }
    }
    /// Shows a refusal beside its field, or at the foot of the form.
    pub fn show_refusal(&mut self, r: crate::domain::command::Refusal) {
        match r.field.filter(|k| self.field_mut(k).is_some()) {
            Some(k) => self.set_error(k, r.message),
            None => self.error = Some(r.message),
        }
    }
    pub fn clear_errors(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }
    pub fn has_errors(&self) -> bool {
        self.error.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }
    /// Parses a `jj/mm/aaaa` field, setting its error when it does not parse.
    pub fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let s = self.text(key);
        match parse_fr_date(&s) {
            Ok(d) => Some(d),
            Err(e) => {
                self.set_error(key, e);
                None
            }
        }
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }
    pub fn next_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }
    pub fn prev_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }
    /// The focused field's value and cursor, when it is a text field.
    fn line(&mut self) -> Option<(LineEdit<'_>, &mut Option<String>, &mut bool)> {
        let f = self.fields.get_mut(self.focus)?;
        let FieldValue::Text(text) = &mut f.value else {
            return None;
        };
        Some((
            LineEdit {
                text,
                cursor: &mut f.cursor,
            },
            &mut f.error,
            &mut self.dirty,
        ))
    }
    /// A change to the focused text field: its error goes, the form is
    /// modified.
    fn edit(&mut self, op: impl FnOnce(&mut LineEdit<'_>) -> bool) {
        if let Some((mut line, error, dirty)) = self.line()
            && op(&mut line)
        {
            *error = None;
            *dirty = true;
        }
    }
    /// A typed character, inserted at the cursor (control characters are
    /// not text).
    pub fn type_char(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        let mut buf = [0; 4];
        let s: &str = c.encode_utf8(&mut buf);
        self.edit(|l| {
            l.insert(s);
            true
        });
    }
    /// Pasted text, inserted at the cursor as one line (line breaks become
    /// spaces, control characters are dropped). False when the focused
    /// field does not take text.
    pub fn paste(&mut self, text: &str) -> bool {
        if !self.focused().is_some_and(Field::is_text) {
            return false;
        }
        let clean = super::text::single_line(text);
        self.edit(|l| {
            l.insert(&clean);
            !clean.is_empty()
        });
        true
    }
    /// Backspace: the character before the cursor.
    pub fn backspace(&mut self) {
        self.edit(|l| l.delete_before());
    }
    /// Delete: the character under the cursor.
    pub fn delete(&mut self) {
        self.edit(|l| l.delete_after());
    }
    /// Moves the cursor of the focused text field (no change to the value).
    pub fn cursor_to(&mut self, to: CursorMove) {
        if let Some((mut l, _, _)) = self.line() {
            match to {
                CursorMove::Left => l.left(),
                CursorMove::Right => l.right(),
                CursorMove::Home => l.home(),
                CursorMove::End => l.end(),
            }
        }
    }
    /// Right / Left: next or previous choice; in a multiple choice, moves
    /// along the options; in a text field, moves the cursor.
    pub fn step(&mut self, forward: bool) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        let step = |i: usize, n: usize| {
            if n == 0 {
                0
            } else if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        match &mut f.value {
            FieldValue::Choice { options, index } => {
                *index = step(*index, options.len());
                self.dirty = true;
                f.error = None;
            }
            FieldValue::Multi {
                options, cursor, ..
            } => *cursor = step(*cursor, options.len()),
            FieldValue::Toggle(b) => {
                *b = !*b;
                self.dirty = true;
                f.error = None;
            }
            FieldValue::Text(_) => self.cursor_to(if forward {
                CursorMove::Right
            } else {
                CursorMove::Left
            }),
        }
    }
    /// Space: ticks a box or the current option of a multiple choice.
    pub fn toggle_focused(&mut self) {
        if self.focused().is_some_and(Field::is_text) {
            self.type_char(' ');
            return;
        }
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut f.value {
            FieldValue::Toggle(b) => *b = !*b,
            FieldValue::Multi { chosen, cursor, .. } => {
                if let Some(c) = chosen.get_mut(*cursor) {
                    *c = !*c;
                }
            }
            FieldValue::Choice { options, index } => {
                *index = (*index + 1) % options.len().max(1);
            }
            // Space in a text field is typed (see the top of this function).
            FieldValue::Text(_) => return,
        }
        f.error = None;
        self.dirty = true;
    }
}

/// `27/11/2026` (also `27/11/26`, `27-11-2026`, `27.11.2026`).
pub fn parse_fr_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let bad = || format!("date « {t} » invalide : attendu jj/mm/aaaa (ex. 27/11/2026)");
    if t.is_empty() {
        return Err("date obligatoire (jj/mm/aaaa)".into());
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if parts.len() != 3 {
        return Err(bad());
    }
    let d: u32 = parts[0].parse().map_err(|_| bad())?;
    let m: u32 = parts[1].parse().map_err(|_| bad())?;
    let mut y: i32 = parts[2].parse().map_err(|_| bad())?;
    if parts[2].len() == 2 {
        y += 2000;
    } else if parts[2].len() != 4 {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        format!("date « {t} » inexistante (jour {d}, mois {m}) : attendu jj/mm/aaaa")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates_parse_with_french_errors() {
        assert_eq!(
            parse_fr_date("27/11/2026"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap())
        );
        assert_eq!(
            parse_fr_date("1/2/27"),
            Ok(NaiveDate::from_ymd_opt(2027, 2, 1).unwrap())
        );
        assert!(
            parse_fr_date("31/02/2026")
                .unwrap_err()
                .contains("inexistante")
        );
        assert!(parse_fr_date("demain").unwrap_err().contains("jj/mm/aaaa"));
        assert!(parse_fr_date("").unwrap_err().contains("obligatoire"));
    }

    #[test]
    fn typing_accented_text_and_stepping_choices() {
        let mut f = Form::new(
            "t",
            FormPurpose::NewReferral,
            vec![
                Field::text("a", "A", ""),
                Field::choice("b", "B", vec!["x".into(), "y".into()], 0),
            ],
        );
        for c in "Hélène".chars() {
            f.type_char(c);
        }
        assert_eq!(f.text("a"), "Hélène");
        f.backspace();
        assert_eq!(f.text("a"), "Hélèn");
        f.next_field();
        f.step(false);
        assert_eq!(f.choice("b"), 1);
        assert!(f.dirty);
    }
}
