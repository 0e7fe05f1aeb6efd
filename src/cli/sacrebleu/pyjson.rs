//! Python's `json.dumps(..., indent=N)` and `repr(float)`, byte for byte, for
//! sacreBLEU's JSON outputs (which differ from serde_json's in indentation,
//! exponent notation and, with `ensure_ascii`, escapes).

/// A JSON value as sacreBLEU builds it (dicts keep their insertion order).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum PyJson {
    /// A string.
    Str(String),
    /// A Python float.
    Float(f64),
    /// `None`.
    Null,
    /// A dict.
    Object(Vec<(String, PyJson)>),
    /// A list.
    List(Vec<PyJson>),
}

impl PyJson {
    /// A float, or `null` for `None`.
    pub fn float_or_null(value: Option<f64>) -> PyJson {
        value.map_or(PyJson::Null, PyJson::Float)
    }

    /// `json.dumps(self, indent=indent, ensure_ascii=ascii)`.
    pub fn dumps(&self, indent: usize, ascii: bool) -> String {
        let mut out = String::new();
        self.write(&mut out, indent, 1, ascii);
        out
    }

    fn write(&self, out: &mut String, indent: usize, depth: usize, ascii: bool) {
        let items: Vec<(Option<&str>, &PyJson)> = match self {
            PyJson::Str(s) => return out.push_str(&json_string(s, ascii)),
            PyJson::Float(x) => return out.push_str(&float_repr(*x)),
            PyJson::Null => return out.push_str("null"),
            PyJson::Object(entries) => entries.iter().map(|(k, v)| (Some(k.as_str()), v)).collect(),
            PyJson::List(values) => values.iter().map(|v| (None, v)).collect(),
        };
        let (open, close) = if matches!(self, PyJson::Object(_)) { ('{', '}') } else { ('[', ']') };
        out.push(open);
        if items.is_empty() {
            out.push(close);
            return;
        }
        let pad = " ".repeat(indent * depth);
        for (n, (key, value)) in items.iter().enumerate() {
            out.push_str(if n == 0 { "\n" } else { ",\n" });
            out.push_str(&pad);
            if let Some(key) = key {
                out.push_str(&json_string(key, ascii));
                out.push_str(": ");
            }
            value.write(out, indent, depth + 1, ascii);
        }
        out.push('\n');
        out.push_str(&" ".repeat(indent * (depth - 1)));
        out.push(close);
    }
}

/// A string as Python's `json` writes it: `"`, `\` and control characters
/// escaped (`\n`, `\u001b`, ...), and with `ascii` every non-ASCII character too.
fn json_string(s: &str, ascii: bool) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ascii && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Python's `repr(x)` of a float (as `json` writes it): the shortest digits that
/// read back as `x` (ties to the digit nearest the exact value, as ryu and
/// Python pick them), positional from 1e-4 up to 1e16, else `1.5e-05` style.
pub(super) fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    // serde_json writes ryu's shortest digits: `40.6`, `41.0`, `1e-5`, `1.5e16`.
    let shortest = serde_json::Number::from_f64(x).map_or_else(|| x.to_string(), |n| n.to_string());
    let (sign, unsigned) = shortest.strip_prefix('-').map_or(("", shortest.as_str()), |u| ("-", u));
    let (mantissa, exp) = unsigned.split_once(['e', 'E']).unwrap_or((unsigned, "0"));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int}{frac}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_start_matches('0').trim_end_matches('0');
    if digits.is_empty() {
        return format!("{sign}0.0");
    }
    // The value is 0.DIGITS × 10^point.
    let point = exp.parse::<i32>().unwrap_or(0) + int.len() as i32 - leading as i32;
    let exponent = point - 1;
    if (-4..16).contains(&exponent) {
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else {
            let point = point as usize;
            let whole = format!("{digits:0<point$}");
            let (int, frac) = whole.split_at(point);
            format!("{int}.{}", if frac.is_empty() { "0" } else { frac })
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{first}{rest}e{exp_sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_as_python_writes_them() {
        let cases = [
            (40.6, "40.6"),
            (41.0, "41.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (100.0, "100.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e16, "1e+16"),
            (1234567890123456.0, "1234567890123456.0"),
            (38.83439622592658, "38.83439622592658"),
            (0.000999000999000999, "0.000999000999000999"),
            (-2.5, "-2.5"),
            // A float32 (a tie between two shortest forms): Python picks the even digit.
            (f64::from(0.874_214_2_f32), "0.8742141723632812"),
            (123.0, "123.0"),
            (0.5, "0.5"),
        ];
        for (x, python) in cases {
            assert_eq!(float_repr(x), python, "{x}");
        }
    }

    #[test]
    fn dumps_like_python_json() {
        let value = PyJson::List(vec![PyJson::Object(vec![
            ("system".into(), PyJson::Str("a\"μ\t.txt".into())),
            ("BLEU".into(), PyJson::Object(vec![("score".into(), PyJson::Float(1.0)), ("p".into(), PyJson::Null)])),
        ])]);
        let expected =
            "[\n  {\n    \"system\": \"a\\\"\\u03bc\\t.txt\",\n    \"BLEU\": {\n      \"score\": 1.0,\n      \
                        \"p\": null\n    }\n  }\n]";
        assert_eq!(value.dumps(2, true), expected);
        assert_eq!(PyJson::Str("μ = 1".into()).dumps(1, false), "\"μ = 1\"");
        assert_eq!(PyJson::Str("\u{1}😀".into()).dumps(1, true), "\"\\u0001\\ud83d\\ude00\"");
    }
}
