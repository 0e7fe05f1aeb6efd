//! Alias table: different names for the same entity (`U.S.` = `United States` = `US`).
//!
//! A built-in table covers the usual news aliases; `--aliases FILE` extends it
//! with a JSON object mapping a canonical key to its forms, e.g.
//! `{"Kyiv": ["Kyiv", "Kiev"]}` (declaring an old spelling acceptable).

use std::collections::HashMap;

use crate::error::{Error, Result};

/// Built-in aliases: canonical key, then every accepted form.
const BUILTIN: &[(&str, &[&str])] = &[
    ("US", &["US", "U.S.", "U.S.A.", "USA", "United States", "United States of America", "America", "American"]),
    ("UK", &["UK", "U.K.", "United Kingdom", "Britain", "Great Britain", "British"]),
    ("UN", &["UN", "U.N.", "United Nations"]),
    ("EU", &["EU", "E.U.", "European Union"]),
    ("NATO", &["NATO", "Nato", "North Atlantic Treaty Organization"]),
    ("UAE", &["UAE", "U.A.E.", "United Arab Emirates"]),
    ("DPRK", &["DPRK", "North Korea"]),
    ("China", &["China", "PRC", "People's Republic of China"]),
    ("Turkey", &["Turkey", "Türkiye", "Turkiye"]),
    ("Czechia", &["Czechia", "Czech Republic"]),
    ("WHO", &["WHO", "World Health Organization"]),
    ("IMF", &["IMF", "International Monetary Fund"]),
    ("Saint", &["Saint", "St"]),
];

/// Lookup from a name form to its canonical alias key.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    forms: HashMap<String, String>,
}

impl Aliases {
    /// The built-in table.
    pub fn builtin() -> Aliases {
        let mut aliases = Aliases::default();
        for (key, forms) in BUILTIN {
            aliases.add(key, forms.iter().copied());
        }
        aliases
    }

    fn add<'a>(&mut self, key: &str, forms: impl IntoIterator<Item = &'a str>) {
        for form in forms {
            self.forms.insert(form.to_string(), key.to_string());
        }
    }

    /// Add the aliases of a JSON file `{"key": ["form", ...], ...}`.
    pub fn extend_from_json(&mut self, path: &str, text: &str) -> Result<()> {
        let json_error = |message: String| Error::Json { path: path.to_string(), message };
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| json_error(format!("not valid JSON (line {}, column {}): {e}", e.line(), e.column())))?;
        let object = value.as_object().ok_or_else(|| {
            json_error(
                "$: expected an object mapping a canonical name to a list of forms, e.g. {\"Kyiv\": [\"Kiev\"]}".into(),
            )
        })?;
        if let Some(key) = crate::gate::repeated_key(text) {
            return Err(json_error(format!(
                "$[{}] appears more than once\n  hint: JSON keeps only one of them; merge their forms into one list",
                serde_json::to_string(&key).unwrap_or_default()
            )));
        }
        for (key, forms) in object {
            let forms = forms
                .as_array()
                .filter(|a| a.iter().all(serde_json::Value::is_string))
                .ok_or_else(|| json_error(format!("$[\"{key}\"]: expected a list of strings")))?;
            self.add(key, std::iter::once(key.as_str()).chain(forms.iter().filter_map(|f| f.as_str())));
        }
        Ok(())
    }

    /// The canonical key of `form`, if it is a known alias.
    pub fn canonical(&self, form: &str) -> Option<&str> {
        self.forms.get(form).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_and_user_aliases() {
        let mut a = Aliases::builtin();
        assert_eq!(a.canonical("U.S."), Some("US"));
        assert_eq!(a.canonical("United States"), Some("US"));
        assert_eq!(a.canonical("Kiev"), None);
        a.extend_from_json("aliases.json", r#"{"Kyiv": ["Kiev"]}"#).unwrap();
        assert_eq!(a.canonical("Kiev"), Some("Kyiv"));
        let err = a.extend_from_json("aliases.json", r#"{"Kyiv": "Kiev"}"#).unwrap_err().to_string();
        assert!(err.contains("aliases.json: $[\"Kyiv\"]: expected a list of strings"), "{err}");
        let err =
            a.extend_from_json("aliases.json", r#"{"Kyiv": ["Kiev"], "Kyiv": ["Kyjiw"]}"#).unwrap_err().to_string();
        assert!(err.starts_with("aliases.json: $[\"Kyiv\"] appears more than once"), "{err}");
    }
}
