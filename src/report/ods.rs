//! An OpenDocument spreadsheet (.ods) of one table, written by hand: a zip
//! whose first entry is `mimetype`, stored (uncompressed, as the format
//! asks, so that a reader can sniff the type at a fixed offset), then
//! `META-INF/manifest.xml` and `content.xml`. Every entry is stored: the
//! files are small, and `crc32fast` (already here for the records) is all
//! a stored zip needs.

use super::stats::Cell;

pub const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// `content.xml`: one sheet named `sheet`, the header row in bold, then
/// the rows; numbers as numbers.
pub fn content_xml(sheet: &str, header: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">
<office:automatic-styles><style:style style:name="entete" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>
<office:body><office:spreadsheet>
"#,
    );
    x.push_str(&format!(
        "<table:table table:name=\"{}\">\n",
        xml_escape(sheet)
    ));
    x.push_str("<table:table-row>");
    for h in header {
        x.push_str(&format!(
            "<table:table-cell table:style-name=\"entete\" office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
            xml_escape(h)
        ));
    }
    x.push_str("</table:table-row>\n");
    for row in rows {
        x.push_str("<table:table-row>");
        for c in row {
            match c {
                Cell::Num(n) => x.push_str(&format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                )),
                Cell::Text(s) => x.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                    xml_escape(s)
                )),
                Cell::Empty => x.push_str("<table:table-cell/>"),
            }
        }
        x.push_str("</table:table-row>\n");
    }
    x.push_str("</table:table>\n</office:spreadsheet></office:body></office:document-content>\n");
    x
}

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

/// The .ods file of one sheet.
pub fn spreadsheet(sheet: &str, header: &[&str], rows: &[Vec<Cell>]) -> Vec<u8> {
    let content = content_xml(sheet, header, rows);
    stored_zip(&[
        ("mimetype", MIMETYPE.as_bytes()),
        ("META-INF/manifest.xml", MANIFEST.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

/// A zip archive of `files`, in order, every entry stored. A fixed date
/// (1 January 1980, zip's first day): the same table gives the same bytes.
pub fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    const DOS_DATE: u16 = 1 << 5 | 1;
    let mut out: Vec<u8> = Vec::new();
    let mut central: Vec<u8> = Vec::new();
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for (name, data) in files {
        let crc = crc32fast::hash(data);
        let size = data.len() as u32;
        let offset = out.len() as u32;
        // Local file header.
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20); // version needed
        u16le(&mut out, 0x0800); // flags: UTF-8 names
        u16le(&mut out, 0); // stored
        u16le(&mut out, 0); // time
        u16le(&mut out, DOS_DATE);
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, size);
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0); // extra
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Central directory entry.
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20); // made by
        u16le(&mut central, 20); // needed
        u16le(&mut central, 0x0800);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, DOS_DATE);
        u32le(&mut central, crc);
        u32le(&mut central, size);
        u32le(&mut central, size);
        u16le(&mut central, name.len() as u16);
        u16le(&mut central, 0); // extra
        u16le(&mut central, 0); // comment
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        u32le(&mut central, 0); // external attributes
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, files.len() as u16);
    u16le(&mut out, files.len() as u16);
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimetype_is_the_first_entry_and_stored() {
        let ods = spreadsheet(
            "Feuille",
            &["A", "B"],
            &[vec![Cell::Num(3), Cell::Text("a < b & c".into())]],
        );
        assert_eq!(&ods[0..4], b"PK\x03\x04");
        // Compression method 0 (stored), name `mimetype` at offset 30,
        // its content right after: what a reader sniffs.
        assert_eq!(u16::from_le_bytes([ods[8], ods[9]]), 0);
        assert_eq!(&ods[30..38], b"mimetype");
        assert_eq!(&ods[38..38 + MIMETYPE.len()], MIMETYPE.as_bytes());
        let text = String::from_utf8_lossy(&ods);
        assert!(text.contains("office:value=\"3\""));
        assert!(text.contains("a &lt; b &amp; c"));
        assert!(text.contains("META-INF/manifest.xml"));
        // The end-of-central-directory record counts three entries.
        let end = ods.len() - 22;
        assert_eq!(&ods[end..end + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([ods[end + 10], ods[end + 11]]), 3);
    }
}
