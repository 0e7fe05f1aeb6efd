//! sacreBLEU 2.6.0's argument list, read as its `argparse` parser reads it:
//! long options with `--name=value` and unambiguous prefixes, sacreBLEU's
//! single-dash spellings (`-tok`, `-lc`, `-sl`, `-cin`, ...), `-w2`, options
//! taking several values (`-m bleu chrf`, `-i A B`), and positional references
//! anywhere.

/// How many values an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arity {
    /// None (a switch).
    Flag,
    /// Exactly one.
    One,
    /// One or more (`nargs='+'`).
    Many,
    /// Any number (`nargs='*'`).
    Any,
}

/// One of sacreBLEU's options: its spellings (the long one first) and arity.
struct Opt {
    names: &'static [&'static str],
    arity: Arity,
}

const fn opt(names: &'static [&'static str], arity: Arity) -> Opt {
    Opt { names, arity }
}

/// Every option of sacreBLEU 2.6.0's `parse_args`.
const OPTIONS: &[Opt] = &[
    opt(&["--citation", "--cite"], Arity::Flag),
    opt(&["--list"], Arity::Flag),
    opt(&["--test-set", "-t"], Arity::One),
    opt(&["--language-pair", "-l"], Arity::One),
    opt(&["--origlang", "-ol"], Arity::One),
    opt(&["--subset"], Arity::One),
    opt(&["--download"], Arity::One),
    opt(&["--echo"], Arity::Many),
    opt(&["--input", "-i"], Arity::Any),
    opt(&["--num-refs", "-nr"], Arity::One),
    opt(&["--encoding", "-e"], Arity::One),
    opt(&["--metrics", "-m"], Arity::Many),
    opt(&["--sentence-level", "-sl"], Arity::Flag),
    opt(&["--smooth-method", "-s"], Arity::One),
    opt(&["--smooth-value", "-sv"], Arity::One),
    opt(&["--tokenize", "-tok"], Arity::One),
    opt(&["--lowercase", "-lc"], Arity::Flag),
    opt(&["--force"], Arity::Flag),
    opt(&["--chrf-char-order", "-cc"], Arity::One),
    opt(&["--chrf-word-order", "-cw"], Arity::One),
    opt(&["--chrf-beta"], Arity::One),
    opt(&["--chrf-whitespace"], Arity::Flag),
    opt(&["--chrf-lowercase"], Arity::Flag),
    opt(&["--chrf-eps-smoothing"], Arity::Flag),
    opt(&["--ter-case-sensitive"], Arity::Flag),
    opt(&["--ter-asian-support"], Arity::Flag),
    opt(&["--ter-no-punct"], Arity::Flag),
    opt(&["--ter-normalized"], Arity::Flag),
    opt(&["--confidence", "-ci"], Arity::Flag),
    opt(&["--confidence-n", "-cin"], Arity::One),
    opt(&["--paired-ar", "-par"], Arity::Flag),
    opt(&["--paired-bs", "-pbs"], Arity::Flag),
    opt(&["--paired-ar-n", "-parn"], Arity::One),
    opt(&["--paired-bs-n", "-pbsn"], Arity::One),
    opt(&["--paired-jobs", "-j"], Arity::One),
    opt(&["--quiet", "-q"], Arity::Flag),
    opt(&["--short", "-sh"], Arity::Flag),
    opt(&["--score-only", "-b"], Arity::Flag),
    opt(&["--width", "-w"], Arity::One),
    opt(&["--detail", "-d"], Arity::Flag),
    opt(&["--no-color", "-nc"], Arity::Flag),
    opt(&["--format", "-f"], Arity::One),
    opt(&["--version", "-V"], Arity::Flag),
    opt(&["--help", "-h"], Arity::Flag),
];

/// A command line as sacreBLEU's parser leaves it: positional references and,
/// per option given (by its long name), the values of its last occurrence.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Parsed {
    /// Positional arguments: the reference files.
    pub refs: Vec<String>,
    options: Vec<(&'static str, Vec<String>)>,
}

impl Parsed {
    /// Whether the option named `long` was given.
    pub fn has(&self, long: &str) -> bool {
        self.options.iter().any(|(name, _)| *name == long)
    }

    /// The values of the option named `long` (its last occurrence), if given.
    pub fn values(&self, long: &str) -> Option<&[String]> {
        self.options.iter().rev().find(|(name, _)| *name == long).map(|(_, v)| v.as_slice())
    }

    /// The value of a one-value option.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values(long).and_then(|v| v.first()).map(String::as_str)
    }

    /// A one-value option read as a number (`default` when absent), with argparse's message.
    pub fn number<T: std::str::FromStr>(&self, long: &str, default: T) -> Result<T, String> {
        match self.value(long) {
            None => Ok(default),
            Some(text) => text.parse().map_err(|_| format!("argument {}: invalid value: '{text}'", spellings(long))),
        }
    }
}

/// `--width/-w`, as argparse names an option in its messages.
fn spellings(long: &str) -> String {
    OPTIONS.iter().find(|o| o.names[0] == long).map_or_else(|| long.to_string(), |o| o.names.join("/"))
}

/// Whether argparse takes `arg` for an option rather than a value (`-` and
/// negative numbers are values).
fn looks_like_option(arg: &str) -> bool {
    arg.starts_with('-') && arg != "-" && arg[1..].parse::<f64>().is_err()
}

/// The option `arg` names and a value attached to it (`--width=2`, `-w2`).
fn lookup(arg: &str) -> Result<(&'static Opt, Option<String>), String> {
    let (name, attached) = match arg.split_once('=') {
        Some((name, value)) if arg.starts_with("--") => (name, Some(value.to_string())),
        _ => (arg, None),
    };
    if let Some(found) = OPTIONS.iter().find(|o| o.names.contains(&name)) {
        return Ok((found, attached));
    }
    if name.starts_with("--") {
        let matches: Vec<&Opt> =
            OPTIONS.iter().filter(|o| o.names.iter().any(|n| n.starts_with("--") && n.starts_with(name))).collect();
        return match matches.as_slice() {
            [one] => Ok((one, attached)),
            [] => Err(unrecognized(arg)),
            many => Err(format!(
                "ambiguous option: {name} could match {}",
                many.iter().map(|o| o.names[0]).collect::<Vec<_>>().join(", ")
            )),
        };
    }
    // `-w2`: a one-letter option with its value attached.
    let short = arg.get(..2).unwrap_or(arg);
    match OPTIONS.iter().find(|o| o.arity != Arity::Flag && o.names.contains(&short)) {
        Some(found) => Ok((found, Some(arg[2..].to_string()))),
        None => Err(unrecognized(arg)),
    }
}

fn unrecognized(arg: &str) -> String {
    format!("unrecognized arguments: {arg}")
}

/// Parse sacreBLEU's arguments (without the program name).
pub(super) fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.refs.extend(args[i..].iter().cloned());
            break;
        }
        if !looks_like_option(arg) {
            parsed.refs.push(arg.clone());
            continue;
        }
        let (found, attached) = lookup(arg)?;
        let name = found.names[0];
        let mut values: Vec<String> = attached.into_iter().collect();
        match found.arity {
            Arity::Flag if !values.is_empty() => return Err(format!("argument {}: ignored explicit argument", name)),
            Arity::Flag => {}
            Arity::One if values.is_empty() => match args.get(i).filter(|a| !looks_like_option(a)) {
                Some(value) => {
                    values.push(value.clone());
                    i += 1;
                }
                None => return Err(format!("argument {}: expected one argument", spellings(name))),
            },
            Arity::One => {}
            Arity::Many | Arity::Any => {
                while let Some(value) = args.get(i).filter(|a| !looks_like_option(a)) {
                    values.push(value.clone());
                    i += 1;
                }
                if found.arity == Arity::Many && values.is_empty() {
                    return Err(format!("argument {}: expected at least one argument", spellings(name)));
                }
            }
        }
        parsed.options.push((name, values));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Parsed, String> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn reads_sacrebleus_spellings() {
        let parsed =
            p(&["ref.txt", "ref2.txt", "-i", "a.txt", "b.txt", "-m", "bleu", "chrf", "-tok", "intl", "-w2"]).unwrap();
        assert_eq!(parsed.refs, ["ref.txt", "ref2.txt"]);
        assert_eq!(parsed.values("--input").unwrap(), ["a.txt", "b.txt"]);
        assert_eq!(parsed.values("--metrics").unwrap(), ["bleu", "chrf"]);
        assert_eq!(parsed.value("--tokenize"), Some("intl"));
        assert_eq!(parsed.number("--width", 1), Ok(2));
        let parsed = p(&["--sentence", "--confidence", "--width=3", "-lc", "--", "-odd-name"]).unwrap();
        assert!(parsed.has("--sentence-level") && parsed.has("--lowercase"));
        assert!(p(&["--conf"]).unwrap_err().starts_with("ambiguous option: --conf could match --confidence,"));
        assert_eq!(parsed.number("--width", 1), Ok(3));
        assert_eq!(parsed.refs, ["-odd-name"]);
    }

    #[test]
    fn refuses_what_argparse_refuses() {
        assert_eq!(p(&["-x"]).unwrap_err(), "unrecognized arguments: -x");
        assert!(p(&["--paired"]).unwrap_err().starts_with("ambiguous option"));
        assert_eq!(p(&["-w"]).unwrap_err(), "argument --width/-w: expected one argument");
        assert_eq!(p(&["-m", "-b"]).unwrap_err(), "argument --metrics/-m: expected at least one argument");
        assert_eq!(
            p(&["-w", "x"]).unwrap().number("--width", 1),
            Err("argument --width/-w: invalid value: 'x'".into())
        );
    }
}
