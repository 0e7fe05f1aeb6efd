//! Input decoding: any bytes are either read as lines/text or refused with an
//! error naming the place; never a panic. Lines and texts that are accepted
//! satisfy what the rest of the pipeline relies on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tqscore::input::{decode_text, BomPolicy, LineReader};
use tqscore::text::py_rstrip;

fuzz_target!(|data: &[u8]| {
    for bom in [BomPolicy::Keep, BomPolicy::Strip] {
        let mut reader = LineReader::from_reader("fuzz", Box::new(std::io::Cursor::new(data.to_vec())), bom);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line_into(&mut line) {
                Ok(true) => {
                    assert!(!line.contains('\n') && !line.contains('\0'));
                    assert_eq!(py_rstrip(&line), line);
                }
                Ok(false) => break,
                Err(e) => {
                    assert!(e.to_string().starts_with("fuzz:"), "{e}");
                    break;
                }
            }
        }
    }
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let valid = std::str::from_utf8(body).is_ok_and(|s| !s.contains('\0'));
    match decode_text("fuzz".into(), data) {
        Ok(text) => {
            assert!(valid);
            assert!(!text.text.contains('\r'));
        }
        Err(e) => {
            assert!(!valid, "valid text refused: {e}");
            assert!(e.to_string().starts_with("fuzz:"), "{e}");
        }
    }
});
