//! Neutralising untrusted text before people or tools see it.
//!
//! Articles, names and the keys of a saved report are input, not tqscore's
//! words, yet the reports show them. Three readers would act on them:
//! - a terminal runs escape sequences (`ESC ] 52` writes the clipboard, `ESC [ 2J`
//!   clears the screen): [`for_terminal`] shows control characters as visible
//!   symbols instead;
//! - the GitHub Actions runner takes a line of a step's output that starts with
//!   `::` as a workflow command (`::stop-commands::` would silence tqscore's own
//!   annotations): [`defuse_workflow_commands`] changes such a line's first colon;
//! - GitHub renders Markdown, so a sentence could add HTML, an image (a tracking
//!   pixel in a pull-request comment) or an `@mention`: [`for_markdown`] escapes
//!   Markdown's active characters and breaks mentions;
//! - a browser runs the markup of an HTML report: [`for_html`] escapes text for
//!   elements and attribute values, and [`json_for_script`] keeps the JSON report
//!   embedded in a `<script>` element from ending it (`</script>`) or opening a comment.
//!
//! The JSON report keeps every text exactly; JSON escapes control characters itself.

use std::borrow::Cow;

/// `text` with every control character but the line break shown as a visible
/// symbol: C0 controls as their Unicode control pictures (ESC as `␛`), DEL as
/// `␡`, and the C1 controls (a terminal's 8-bit CSI and OSC among them) as `�`.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if c == '\n' { c } else { visible(c) }).collect())
}

/// A control character's visible stand-in (any other character unchanged).
fn visible(c: char) -> char {
    match c as u32 {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        0x80..=0x9f => '\u{fffd}',
        _ => c,
    }
}

/// The character that stands in for the first colon of a line that would
/// otherwise be a workflow command: RATIO (U+2236), which looks like a colon.
const RATIO: char = '\u{2236}';

/// `text` (lines bound for standard output or error) with no line that the
/// GitHub Actions runner would take as a workflow command: a line whose first
/// non-blank characters are `::` gets [`RATIO`] for its first colon.
pub fn defuse_workflow_commands(text: &str) -> Cow<'_, str> {
    let is_command = |line: &str| line.trim_start().starts_with("::");
    if !text.lines().any(is_command) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        if is_command(line) {
            let colon = line.len() - line.trim_start().len();
            out.push_str(&line[..colon]);
            out.push(RATIO);
            out.push_str(&line[colon + 1..]);
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// ASCII characters that start Markdown (or HTML) syntax: each is written with
/// a backslash, which CommonMark reads as the character itself.
const MARKDOWN_ACTIVE: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '!', '|', '~', '&', '#'];

/// `text` as inert Markdown for a table cell: on one line, control characters
/// visible ([`for_terminal`]), every character that could start a link, an
/// image, HTML, emphasis or a cell boundary escaped, and an `@` before a name
/// followed by a zero-width space (`&#8203;`), so no one is mentioned.
pub fn for_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let text = for_terminal(text);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push(' '),
            '@' if chars.peek().is_some_and(char::is_ascii_alphanumeric) => out.push_str("@&#8203;"),
            c if MARKDOWN_ACTIVE.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as inert HTML, for an element's content or a quoted attribute value:
/// `& < > " '` as character references, control characters visible ([`for_terminal`]).
pub fn for_html(text: &str) -> String {
    let text = for_terminal(text);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON text made safe inside `<script type="application/json">`: `<`, `>` and
/// `&` written as `\u003c`, `\u003e`, `\u0026` (they only occur in JSON strings,
/// where the escapes mean the same), so no `</script` or `<!--` can appear.
pub fn json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_shown_not_run() {
        assert_eq!(for_terminal("plain\ntext"), "plain\ntext");
        assert_eq!(for_terminal("a\x1b]52;c;aGk=\x07b\x1b[2J"), "a␛]52;c;aGk=␇b␛[2J");
        assert_eq!(for_terminal("\u{9b}31m\x7f\t"), "\u{fffd}31m␡␉");
    }

    #[test]
    fn a_line_starting_with_two_colons_is_no_workflow_command() {
        assert_eq!(defuse_workflow_commands("a :: b\n"), "a :: b\n");
        let defused = defuse_workflow_commands("ok\n::warning title=X::hi\n  ::stop-commands::t │ x\n");
        assert_eq!(defused, "ok\n∶:warning title=X::hi\n  ∶:stop-commands::t │ x\n");
        assert!(!defused.lines().any(|l| l.trim_start().starts_with("::")));
    }

    #[test]
    fn markdown_cells_have_no_html_images_links_or_mentions() {
        assert_eq!(for_markdown("Hi @octocat, mail a@b.c"), "Hi @&#8203;octocat, mail a@&#8203;b.c");
        assert_eq!(for_markdown("![x](http://t/p.png)"), "\\!\\[x\\](http://t/p.png)");
        assert_eq!(for_markdown("<img src=x> a|b\nc"), "\\<img src=x\\> a\\|b c");
        assert_eq!(for_markdown("50 % & more"), "50 % \\& more");
    }

    #[test]
    fn html_text_and_embedded_json_cannot_open_markup() {
        assert_eq!(for_html("<script>a&'b\"</script>"), "&lt;script&gt;a&amp;&#39;b&quot;&lt;/script&gt;");
        let json = serde_json::to_string(&"</script><!-- & \u{2028}").unwrap();
        let safe = json_for_script(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), "</script><!-- & \u{2028}");
    }
}
