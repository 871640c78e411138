//! `assll export` / `assll import`: the whole [`Dataset`] as one JSON
//! document and back. The format is described field by field in
//! `docs/export.md`.
//!
//! - [`to_json`] is deterministic: records in key order, fields in
//!   declaration order, two-space indentation, a trailing newline. So
//!   export → import → export gives the same bytes.
//! - [`from_json`] refuses a document that is not valid JSON, that is not
//!   an `assll-export` of version 1, that defines a record twice, or in
//!   which [`crate::check::check`] finds an **error** (dangling reference,
//!   R-REF-6, R-MES-1, R-MES-4…). Each problem names the line of the input
//!   where the offending record begins. Warnings (R-ELIG-2: a measure in
//!   progress for a household under judicial protection) do not stop the
//!   import: [`from_json_with_findings`] returns them beside the data.

use crate::check::{
    Finding, check_at, loc_household, loc_measure, loc_referral, loc_sector, loc_session,
    loc_worker,
};
use crate::domain::{Dataset, GtsSession, Household, Measure, Norms, Referral, Sector, Worker};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The value of the top-level `format` key.
pub const FORMAT: &str = "assll-export";
/// The value of the top-level `version` key this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct DocOut<'a> {
    format: &'static str,
    version: u32,
    norms: &'a Norms,
    sectors: Vec<&'a Sector>,
    workers: Vec<&'a Worker>,
    households: Vec<&'a Household>,
    referrals: Vec<&'a Referral>,
    measures: Vec<&'a Measure>,
    sessions: Vec<&'a GtsSession>,
    /// Who may attach to the base when shared (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    accounts: Vec<&'a crate::domain::command::Account>,
    /// The communes whose sector the GIP confirmed, INSEE code → sector id
    /// (absent when none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    commune_sectors: &'a BTreeMap<String, crate::domain::SectorId>,
    /// The standing members of the GTS (absent when none).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    gts_members: &'a [crate::domain::GtsMember],
}

/// The whole dataset as pretty JSON, deterministic, with a trailing newline.
pub fn to_json(data: &Dataset) -> String {
    let doc = DocOut {
        format: FORMAT,
        version: VERSION,
        norms: &data.norms,
        sectors: data.sectors.values().collect(),
        workers: data.workers.values().collect(),
        households: data.households.values().collect(),
        referrals: data.referrals.values().collect(),
        measures: data.measures.values().collect(),
        sessions: data.sessions.values().collect(),
        accounts: data.accounts.values().collect(),
        commune_sectors: &data.commune_sectors,
        gts_members: &data.gts_members,
    };
    // Serializing plain structs, vectors and string-keyed data cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// One reason an import is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the input: where the JSON error is, or where the
    /// offending record begins.
    pub line: usize,
    pub column: Option<usize>,
    pub rule: Option<&'static str>,
    /// In French.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ligne {}", self.line)?;
        if let Some(c) = self.column {
            write!(f, ", colonne {c}")?;
        }
        write!(f, " : {}", self.message)?;
        if let Some(rule) = self.rule
            && !self.message.contains(rule)
        {
            write!(f, " ({rule})")?;
        }
        Ok(())
    }
}

/// The import is refused: at least one problem, in line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub problems: Vec<Problem>,
}

/// At most this many problems are spelled out by `Display`.
const SHOWN: usize = 20;

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [] => write!(f, "Import refusé"),
            [one] => write!(f, "Import refusé, {one}"),
            many => {
                write!(f, "Import refusé : {} problèmes", many.len())?;
                for p in many.iter().take(SHOWN) {
                    write!(f, "\n  {p}")?;
                }
                if many.len() > SHOWN {
                    write!(f, "\n  … et {} autres", many.len() - SHOWN)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ImportError {}

impl ImportError {
    fn one(line: usize, column: Option<usize>, message: String) -> Self {
        Self {
            problems: vec![Problem {
                line,
                column,
                rule: None,
                message,
            }],
        }
    }
}

/// The header of a document, read before the rest.
#[derive(Deserialize)]
struct Head {
    format: Option<String>,
    version: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocIn<'a> {
    format: String,
    version: u32,
    #[serde(borrow)]
    norms: &'a RawValue,
    #[serde(borrow)]
    sectors: Vec<&'a RawValue>,
    #[serde(borrow)]
    workers: Vec<&'a RawValue>,
    #[serde(borrow)]
    households: Vec<&'a RawValue>,
    #[serde(borrow)]
    referrals: Vec<&'a RawValue>,
    #[serde(borrow)]
    measures: Vec<&'a RawValue>,
    #[serde(borrow)]
    sessions: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    accounts: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    commune_sectors: Option<&'a RawValue>,
    #[serde(borrow, default)]
    gts_members: Option<&'a RawValue>,
}

/// Reads a document written by [`to_json`]. See the module doc for what is
/// refused; warnings are dropped (use [`from_json_with_findings`]).
pub fn from_json(text: &str) -> Result<Dataset, ImportError> {
    from_json_with_findings(text).map(|(data, _)| data)
}

/// Line and column positions in the input.
struct Lines<'t> {
    text: &'t str,
    newlines: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let newlines = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Self { text, newlines }
    }

    /// Byte offset of a slice of the input.
    fn offset(&self, part: &str) -> usize {
        (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    /// 1-based (line, column) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let idx = self.newlines.partition_point(|&p| p < offset);
        let line_start = if idx == 0 {
            0
        } else {
            self.newlines[idx - 1] + 1
        };
        let col = self
            .text
            .get(line_start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (idx + 1, col)
    }

    fn line_of(&self, part: &str) -> usize {
        self.position(self.offset(part)).0
    }
}

/// serde_json's message without its own " at line X column Y".
fn detail(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn json_problem(e: &serde_json::Error, line: usize, column: usize, what: &str) -> Problem {
    use serde_json::error::Category;
    let kind = match e.classify() {
        Category::Syntax => "JSON mal formé",
        Category::Eof => "fin du fichier inattendue (JSON incomplet)",
        Category::Data => "donnée invalide",
        Category::Io => "lecture impossible",
    };
    Problem {
        line,
        column: Some(column),
        rule: None,
        message: format!("{kind}{what} (détail : {})", detail(e)),
    }
}

/// Deserializes one record, placing a JSON error at its absolute position.
fn parse<T: DeserializeOwned>(
    raw: &RawValue,
    what: &str,
    problems: &mut Vec<Problem>,
    lines: &Lines<'_>,
) -> Option<T> {
    let part = raw.get();
    match serde_json::from_str(part) {
        Ok(t) => Some(t),
        Err(e) => {
            let (line, col) = lines.position(lines.offset(part));
            let (l, c) = if e.line() <= 1 {
                (line, col + e.column().saturating_sub(1))
            } else {
                (line + e.line() - 1, e.column())
            };
            problems.push(json_problem(&e, l, c, what));
            None
        }
    }
}

/// Records where a key is first defined; a second definition is a problem.
fn first_definition(
    problems: &mut Vec<Problem>,
    where_is: &mut HashMap<String, usize>,
    loc: String,
    line: usize,
) -> bool {
    if let Some(first) = where_is.get(&loc) {
        problems.push(Problem {
            line,
            column: None,
            rule: None,
            message: format!("{loc} en double (déjà défini ligne {first})"),
        });
        false
    } else {
        where_is.insert(loc, line);
        true
    }
}

/// Like [`from_json`], and also returns the warnings of
/// [`crate::check::check`] (R-ELIG-2…), which do not stop an import.
pub fn from_json_with_findings(text: &str) -> Result<(Dataset, Vec<Finding>), ImportError> {
    from_json_checked(text, None)
}

/// [`from_json`] that also refuses dates after `today` (the import of the
/// command line: what has not happened cannot be in the base).
pub fn from_json_at(text: &str, today: NaiveDate) -> Result<Dataset, ImportError> {
    from_json_checked(text, Some(today)).map(|(data, _)| data)
}

fn from_json_checked(
    text: &str,
    today: Option<NaiveDate>,
) -> Result<(Dataset, Vec<Finding>), ImportError> {
    let json_error = |e: serde_json::Error| ImportError {
        problems: vec![json_problem(&e, e.line().max(1), e.column().max(1), "")],
    };
    // First the header alone, so that another kind of file is named as such
    // before its fields are looked at.
    let head: Head = serde_json::from_str(text).map_err(json_error)?;
    let lines = Lines::new(text);
    let key_line = |key: &str| {
        text.find(&format!("\"{key}\""))
            .map_or(1, |i| lines.position(i).0)
    };
    if head.format.as_deref() != Some(FORMAT) {
        let found = head
            .format
            .map_or_else(|| "absent".to_string(), |f| format!("« {f} » inconnu"));
        return Err(ImportError::one(
            key_line("format"),
            None,
            format!("format {found} : attendu « {FORMAT} » (un export d'assll)"),
        ));
    }
    if head.version != Some(VERSION) {
        let found = head.version.map_or_else(
            || "absente".to_string(),
            |v| format!("{v} non prise en charge"),
        );
        return Err(ImportError::one(
            key_line("version"),
            None,
            format!("version {found} : cette version d'assll lit la version {VERSION}"),
        ));
    }
    let doc: DocIn<'_> = serde_json::from_str(text).map_err(json_error)?;
    let _ = (&doc.format, doc.version);

    let mut problems = Vec::new();
    let mut where_is: HashMap<String, usize> = HashMap::new();
    let mut data = Dataset::default();

    if let Some(n) = parse::<Norms>(doc.norms, " dans « norms »", &mut problems, &lines) {
        data.norms = n;
    }

    for raw in &doc.sectors {
        let line = lines.line_of(raw.get());
        if let Some(s) = parse::<Sector>(raw, " dans un secteur", &mut problems, &lines)
            && first_definition(&mut problems, &mut where_is, loc_sector(s.id.0), line)
        {
            data.sectors.insert(s.id, s);
        }
    }
    for raw in &doc.workers {
        let line = lines.line_of(raw.get());
        if let Some(w) = parse::<Worker>(raw, " dans un(e) TS", &mut problems, &lines)
            && first_definition(&mut problems, &mut where_is, loc_worker(w.id.0), line)
        {
            data.workers.insert(w.id, w);
        }
    }
    for raw in &doc.households {
        let line = lines.line_of(raw.get());
        if let Some(h) = parse::<Household>(raw, " dans un ménage", &mut problems, &lines)
            && first_definition(&mut problems, &mut where_is, loc_household(h.id.0), line)
        {
            data.households.insert(h.id, h);
        }
    }
    for raw in &doc.referrals {
        let line = lines.line_of(raw.get());
        if let Some(r) = parse::<Referral>(raw, " dans une commande", &mut problems, &lines)
            && first_definition(
                &mut problems,
                &mut where_is,
                loc_referral(r.reference),
                line,
            )
        {
            data.referrals.insert(r.reference, r);
        }
    }
    for raw in &doc.measures {
        let line = lines.line_of(raw.get());
        if let Some(m) = parse::<Measure>(raw, " dans une mesure", &mut problems, &lines)
            && first_definition(&mut problems, &mut where_is, loc_measure(m.reference), line)
        {
            data.measures.insert(m.reference, m);
        }
    }
    for raw in &doc.sessions {
        let line = lines.line_of(raw.get());
        if let Some(s) = parse::<GtsSession>(raw, " dans une séance du GTS", &mut problems, &lines)
            && first_definition(
                &mut problems,
                &mut where_is,
                loc_session(s.year, s.month),
                line,
            )
        {
            data.sessions.insert((s.year, s.month), s);
        }
    }
    for raw in &doc.accounts {
        let line = lines.line_of(raw.get());
        if let Some(a) =
            parse::<crate::domain::command::Account>(raw, " dans un compte", &mut problems, &lines)
            && first_definition(
                &mut problems,
                &mut where_is,
                format!("compte {}", a.login),
                line,
            )
        {
            data.accounts.insert(a.login.clone(), a);
        }
    }
    if let Some(raw) = doc.commune_sectors
        && let Some(t) = parse::<BTreeMap<String, crate::domain::SectorId>>(
            raw,
            " dans « commune_sectors »",
            &mut problems,
            &lines,
        )
    {
        data.commune_sectors = t;
    }
    if let Some(raw) = doc.gts_members
        && let Some(m) = parse::<Vec<crate::domain::GtsMember>>(
            raw,
            " dans « gts_members »",
            &mut problems,
            &lines,
        )
    {
        let line = lines.line_of(raw.get());
        where_is.insert("membres du GTS".to_string(), line);
        data.gts_members = m;
    }
    if let Some(raw) = doc.commune_sectors {
        let line = lines.line_of(raw.get());
        for insee in data.commune_sectors.keys() {
            where_is.insert(format!("commune {insee}"), line);
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| (p.line, p.column));
        return Err(ImportError { problems });
    }

    // A record too large to be written is refused here, not by the store
    // halfway through the import.
    for record in data.records() {
        if let Some((size, max)) = crate::store::too_large(&record) {
            let what = record.describe();
            problems.push(Problem {
                line: where_is.get(&what).copied().unwrap_or(1),
                column: None,
                rule: None,
                message: format!(
                    "{what} : {} Mo, au-delà des {} Mo qu'un enregistrement peut peser",
                    size / (1024 * 1024),
                    max / (1024 * 1024)
                ),
            });
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(ImportError { problems });
    }

    let findings = check_at(&data, today);
    let (errors, warnings): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(Finding::is_error);
    if !errors.is_empty() {
        let mut problems: Vec<Problem> = errors
            .into_iter()
            .map(|f| Problem {
                line: where_is.get(&f.location).copied().unwrap_or(1),
                column: None,
                rule: f.rule,
                message: format!("{} : {}", f.location, f.message),
            })
            .collect();
        problems.sort_by_key(|p| p.line);
        return Err(ImportError { problems });
    }
    Ok((data, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_columns() {
        let text = "{\n  \"a\": 1,\n  \"é\": [2]\n}";
        let l = Lines::new(text);
        assert_eq!(l.position(0), (1, 1));
        assert_eq!(l.position(text.find("\"a\"").unwrap()), (2, 3));
        // Columns count characters, not bytes.
        assert_eq!(l.position(text.find('[').unwrap()), (3, 8));
    }

    #[test]
    fn many_problems_are_listed_then_counted() {
        let problems = (1..=25)
            .map(|i| Problem {
                line: i,
                column: None,
                rule: Some("R-MES-4"),
                message: format!("mesure 2026-{i:04} : 3 renouvellements"),
            })
            .collect();
        let msg = ImportError { problems }.to_string();
        assert!(msg.starts_with("Import refusé : 25 problèmes"));
        assert!(msg.contains("\n  ligne 1 : mesure 2026-0001 : 3 renouvellements (R-MES-4)"));
        assert!(msg.ends_with("… et 5 autres"));
    }

    #[test]
    fn an_empty_dataset_round_trips() {
        let text = to_json(&Dataset::default());
        assert_eq!(from_json(&text), Ok(Dataset::default()));
        assert!(text.starts_with("{\n  \"format\": \"assll-export\",\n  \"version\": 1,"));
    }

    #[test]
    fn a_missing_section_is_refused() {
        let err = from_json("{\"format\": \"assll-export\", \"version\": 1}").unwrap_err();
        assert!(err.to_string().contains("missing field"), "{err}");
        let err = from_json("{\"version\": 1}").unwrap_err();
        assert!(err.to_string().contains("format absent"), "{err}");
        let err = from_json("[1, 2]").unwrap_err();
        assert!(err.to_string().contains("ligne 1"), "{err}");
    }
}
