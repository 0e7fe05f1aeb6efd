//! `--tokenize` and `-l/--language`: which BLEU tokenizer a command uses, as sacreBLEU picks it.

use clap::Args;

use crate::error::{Error, Result};
use crate::tokenize::TokenizerKind;

/// BLEU tokenizer options shared by `score` and `corpus`.
#[derive(Debug, Args)]
pub struct TokenizeFlags {
    /// BLEU tokenizer: 13a (WMT standard, the default), intl (Unicode punctuation), char, zh, none.
    #[arg(long, visible_alias = "tok", value_name = "NAME",
          value_parser = clap::builder::PossibleValuesParser::new(["13a", "intl", "char", "zh", "none"]))]
    tokenize: Option<String>,

    /// Language pair SRC-TGT (or the target alone) for sacreBLEU's default tokenizer: zh → zh,
    /// others → 13a; ja and ko need MeCab, which tqscore lacks. --tokenize wins.
    #[arg(short = 'l', long, alias = "language-pair", value_name = "SRC-TGT")]
    language: Option<String>,
}

impl TokenizeFlags {
    /// The tokenizer: `--tokenize`, else the target language's default, else 13a.
    pub fn resolve(&self) -> Result<TokenizerKind> {
        if let Some(name) = &self.tokenize {
            return name.parse().map_err(|e| Error::Usage(format!("{e}")));
        }
        match &self.language {
            Some(pair) => {
                let target = pair.rsplit('-').next().unwrap_or(pair).trim();
                TokenizerKind::for_language(target).map_err(|e| Error::Usage(format!("-l {pair}: {e}")))
            }
            None => Ok(TokenizerKind::default()),
        }
    }
}
