//! Source files: their text, the path they are reported under, and the
//! mapping from byte offsets to 1-based lines and columns.
//!
//! Every value the parsers extract carries a byte [`Span`] into one of these
//! sources, so a diagnostic can always point at the author's own text.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A byte range into a [`Source`].
pub(crate) type Span = Range<usize>;

/// One file's text.
#[derive(Debug)]
pub struct Source {
    path: PathBuf,
    text: String,
    /// Offsets of line starts, built the first time a position is asked
    /// for (most files never need it).
    line_starts: OnceLock<Vec<usize>>,
    /// Characters before each multiple of [`CHAR_STEP`] bytes, so a column
    /// costs at most one step of counting, however long its line.
    char_marks: OnceLock<Vec<usize>>,
}

/// Bytes between two entries of `char_marks`.
const CHAR_STEP: usize = 4096;

/// A value together with the span of source text it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub(crate) fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// The largest file the tool reads: 16 MiB, far above any real goal file,
/// page or registry, and small enough that a runaway input (a device, a
/// generated file) cannot exhaust memory.
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file could not be turned into a [`Source`].
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The file could not be read at all.
    Io(std::io::Error),
    /// The path (after following symlinks) is not a regular file: a
    /// folder, a FIFO, a socket or a device. It is never opened, so a FIFO
    /// cannot block and a device cannot be read without end.
    NotAFile(&'static str),
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// The file is not UTF-8. The source holds the text decoded lossily, so
    /// the error can still be shown in context; `offset` is where the first
    /// invalid byte sits.
    NotUtf8 { source: Arc<Source>, offset: usize },
}

impl Source {
    /// A source from text already in memory, [normalized](normalize).
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Arc<Source> {
        Arc::new(Source {
            path: path.into(),
            text: normalize(text.into()),
            line_starts: OnceLock::new(),
            char_marks: OnceLock::new(),
        })
    }

    /// Reads a file: the one way the tool reads what a book holds. Only a
    /// regular file is opened (a symlink counts as its target), and at most
    /// [`MAX_FILE_BYTES`] are read. `display` is the path diagnostics show
    /// for it.
    pub(crate) fn read(file: &Path, display: &Path) -> Result<Arc<Source>, ReadError> {
        Source::from_bytes(display, read_bounded(file)?)
    }

    /// [`Source::read`] for a file its folder has just listed as a
    /// regular file (see [`read_listed_file`]).
    pub(crate) fn read_listed_file(file: &Path, display: &Path) -> Result<Arc<Source>, ReadError> {
        Source::from_bytes(display, read_listed_file(file)?)
    }

    /// A source from raw bytes, which must be UTF-8.
    pub(crate) fn from_bytes(display: &Path, bytes: Vec<u8>) -> Result<Arc<Source>, ReadError> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(display, text)),
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                // `normalize` drops a leading byte-order mark.
                let offset = if err.as_bytes().starts_with(b"\xef\xbb\xbf") {
                    offset.saturating_sub(3)
                } else {
                    offset
                };
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                Err(ReadError::NotUtf8 {
                    source: Source::new(display, text),
                    offset,
                })
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text of a span.
    pub fn slice(&self, span: &Span) -> &str {
        &self.text[span.clone()]
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The whole lines a span touches (up to and including the newline
    /// of the last one), and the 1-based number of the first: what a
    /// diagnostic shows, without handing the whole file to the renderer.
    pub(crate) fn lines_around(&self, span: &Span) -> (Span, usize) {
        let starts = self.line_starts();
        let start = span.start.min(self.text.len());
        let end = span.end.clamp(start, self.text.len());
        // The end of a file that ends in a newline shows on the last line,
        // as the renderer places it.
        let len = self.text.len();
        let line_of = |offset: usize| {
            let offset = if offset == len && self.text.ends_with('\n') {
                offset - 1
            } else {
                offset
            };
            starts.partition_point(|&s| s <= offset) - 1
        };
        let (first, last) = (line_of(start), line_of(end));
        let to = starts.get(last + 1).copied().unwrap_or(self.text.len());
        (starts[first]..to, first + 1)
    }

    /// 1-based line and column (in characters) of a byte offset. Offsets past
    /// the end, or inside a character, are clamped.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts();
        let line = starts.partition_point(|&start| start <= offset) - 1;
        LineCol {
            line: line + 1,
            column: self.char_count(&(starts[line]..offset)) + 1,
        }
    }

    /// The number of characters in a span (of char boundaries), in time
    /// independent of the length of the lines it is on.
    pub(crate) fn char_count(&self, span: &Span) -> usize {
        self.chars_before(span.end) - self.chars_before(span.start)
    }

    /// The number of characters before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = vec![0];
            let bytes = self.text.as_bytes();
            for chunk in bytes.chunks(CHAR_STEP) {
                marks.push(marks[marks.len() - 1] + count_chars(chunk));
            }
            marks
        });
        let step = offset / CHAR_STEP;
        marks[step] + count_chars(&self.text.as_bytes()[step * CHAR_STEP..offset])
    }

    /// Whether the file's lines end in `\r\n`.
    pub(crate) fn uses_crlf(&self) -> bool {
        self.text
            .find('\n')
            .is_some_and(|i| i > 0 && self.text.as_bytes()[i - 1] == b'\r')
    }
}

/// The bytes of a regular file of at most [`MAX_FILE_BYTES`]. The path is
/// looked up before it is opened: opening a FIFO would wait for a writer,
/// and opening a device may act on it.
pub(crate) fn read_bounded(file: &Path) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(file).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind_of(meta.file_type())));
    }
    read_listed_file(file)
}

/// [`read_bounded`] for a file its folder has just listed as a regular
/// file: the listing stands for the lookup, so the file is opened at once;
/// what it is once open is checked all the same.
pub(crate) fn read_listed_file(file: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let opened = std::fs::File::open(file).map_err(ReadError::Io)?;
    // The file may have been swapped since it was listed or looked up.
    let meta = opened.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind_of(meta.file_type())));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    opened
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, for a diagnostic.
fn kind_of(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

impl ReadError {
    /// What went wrong, for a diagnostic that names the file.
    pub(crate) fn describe(&self) -> String {
        match self {
            ReadError::Io(e) => e.to_string(),
            ReadError::NotAFile(kind) => format!("it is {kind}, not a regular file"),
            ReadError::TooLarge => format!(
                "it is larger than {} MiB, the most the tool reads",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            ReadError::NotUtf8 { .. } => "it is not valid UTF-8".to_string(),
        }
    }
}

/// Text as the parsers expect it: without a leading byte-order mark, and
/// with old Mac line endings (a `\r` not followed by `\n`) turned into
/// `\n`. Both are invisible to an author and would otherwise turn a title
/// into a file name or a whole file into one line. Windows `\r\n` endings
/// are kept (they are one line ending to the markdown parser).
pub(crate) fn normalize(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if !text.contains('\r') {
        return text;
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, _) in text.match_indices('\r') {
        if bytes.get(i + 1) != Some(&b'\n') {
            out.push_str(&text[last..i]);
            out.push('\n');
            last = i + 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Characters that start in `bytes` (UTF-8 continuation bytes do not).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

/// The largest char boundary not after `offset`.
pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The smallest char boundary not before `offset` (at most the length).
pub(crate) fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// `span` inside `text` and on character boundaries: the start moves back
/// and the end forward to the nearest boundary, and the end is never
/// before the start (an empty span stays empty).
pub(crate) fn clamp_span(text: &str, span: Span) -> Span {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = if span.end <= span.start {
        start
    } else {
        ceil_char_boundary(text, span.end)
    };
    start..end
}

/// The byte offset of a 1-based line and column as parsers report them
/// (the column counted in bytes or in characters, depending on the
/// parser), clamped to the text and to a character boundary.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    floor_char_boundary(text, (start + column.saturating_sub(1)).min(text.len()))
}

/// A 1-based position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_file_is_still_checked_once_open() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("goal.md");
        std::fs::write(&file, "# Goal\n").unwrap();
        assert_eq!(read_listed_file(&file).unwrap(), b"# Goal\n");
        assert_eq!(read_bounded(&file).unwrap(), b"# Goal\n");
        // A folder opens like a file; it is refused as what it is.
        let folder = dir.path().join("sub.md");
        std::fs::create_dir(&folder).unwrap();
        for got in [read_listed_file(&folder), read_bounded(&folder)] {
            assert!(
                matches!(got, Err(ReadError::NotAFile("a folder"))),
                "{:?}",
                got.map_err(|e| e.describe())
            );
        }
        let missing = dir.path().join("gone.md");
        assert!(matches!(read_listed_file(&missing), Err(ReadError::Io(_))));
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let src = Source::new("a.md", "ab\ncé d\n");
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(3), LineCol { line: 2, column: 1 });
        // `d` sits after a two-byte character.
        assert_eq!(src.line_col(7), LineCol { line: 2, column: 4 });
        assert_eq!(src.line_col(1000), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn columns_on_long_lines_count_characters() {
        // Multibyte characters across several steps of the character index.
        let line = "é".repeat(3 * CHAR_STEP) + "x" + &"ab".repeat(CHAR_STEP);
        let text = format!("first\n{line}\nlast");
        let src = Source::new("a.md", text.clone());
        for offset in (0..=text.len())
            .filter(|o| text.is_char_boundary(*o))
            .step_by(97)
        {
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = LineCol {
                line: text[..offset].matches('\n').count() + 1,
                column: text[start..offset].chars().count() + 1,
            };
            assert_eq!(src.line_col(offset), expected, "{offset}");
        }
        let x = text.find('x').unwrap();
        assert_eq!(
            src.line_col(x),
            LineCol {
                line: 2,
                column: 3 * CHAR_STEP + 1
            }
        );
    }

    #[test]
    fn invalid_utf8_reports_the_first_bad_byte() {
        let err = Source::from_bytes(Path::new("x.md"), b"ok\n\xffbad".to_vec()).unwrap_err();
        match err {
            ReadError::NotUtf8 { source, offset } => {
                assert_eq!(offset, 3);
                assert_eq!(source.line_col(offset), LineCol { line: 2, column: 1 });
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn spans_and_positions_never_split_a_character() {
        for ch in ["é", "€", "😀"] {
            let text = format!("a{ch}b\n{ch}");
            for i in 0..=text.len() + 2 {
                for j in 0..=text.len() + 2 {
                    let s = clamp_span(&text, i..j);
                    assert!(s.start <= s.end && s.end <= text.len(), "{i}..{j}");
                    let _ = &text[s];
                }
                for line in 0..4 {
                    let o = offset_of(&text, line, i);
                    let _ = &text[..o];
                }
            }
        }
        assert_eq!(clamp_span("aéb", 2..2), 1..1);
        assert_eq!(clamp_span("aéb", 1..2), 1..3);
        assert_eq!(offset_of("ab\ncd", 2, 2), 4);
    }

    #[test]
    fn a_bom_and_old_mac_line_endings_are_normalized() {
        for (input, want) in [
            ("\u{feff}# Title\n", "# Title\n"),
            ("# T\r| a |\r| - |\r", "# T\n| a |\n| - |\n"),
            ("a\r\nb\rc\r\r\n", "a\r\nb\nc\n\r\n"),
            ("\u{feff}x\ry", "x\ny"),
            ("é\r€", "é\n€"),
            ("plain\n", "plain\n"),
        ] {
            assert_eq!(Source::new("a.md", input).text(), want, "{input:?}");
        }
        // Only a leading mark is one; elsewhere it is text.
        assert_eq!(Source::new("a.md", "a\u{feff}").text(), "a\u{feff}");
    }

    #[test]
    fn only_regular_files_are_read_and_within_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.md");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let zero = dir.path().join("zero.md");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let folder = dir.path().join("folder.md");
        std::fs::create_dir(&folder).unwrap();
        let to_fifo = dir.path().join("to-fifo.md");
        std::os::unix::fs::symlink(&fifo, &to_fifo).unwrap();
        for (path, kind) in [
            (&fifo, "a FIFO"),
            (&zero, "a device"),
            (&folder, "a folder"),
            (&to_fifo, "a FIFO"),
        ] {
            match Source::read(path, path) {
                Err(ReadError::NotAFile(k)) => assert_eq!(k, kind, "{path:?}"),
                other => panic!("{path:?}: {other:?}"),
            }
        }
        let big = dir.path().join("big.md");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(matches!(Source::read(&big, &big), Err(ReadError::TooLarge)));
        f.set_len(MAX_FILE_BYTES).unwrap();
        assert!(Source::read(&big, &big).is_ok());
        let dangling = dir.path().join("dangling.md");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(matches!(
            Source::read(&dangling, &dangling),
            Err(ReadError::Io(_))
        ));
    }

    #[test]
    fn detects_crlf() {
        assert!(Source::new("a", "a\r\nb").uses_crlf());
        assert!(!Source::new("a", "a\nb").uses_crlf());
    }
}
