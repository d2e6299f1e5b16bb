//! `lector say-as`: the spoken form of each sentence of a text, to check what will be said.

use anyhow::Result;
use clap::Args;
use lector_speech::{Lexicon, normalize, split_sentences};

use crate::BadInput;

/// Largest lexicon file read, in bytes.
const MAX_LEXICON_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Args)]
pub struct SayAsArgs {
    /// The text to speak.
    text: String,
    /// A pronunciation lexicon (TOML) that wins over the built-in rules.
    #[arg(long, value_name = "FILE")]
    lexicon: Option<std::path::PathBuf>,
    /// The language of the text (BCP 47); only English is rewritten.
    #[arg(long, default_value = "en")]
    language: String,
}

pub fn run(args: &SayAsArgs) -> Result<()> {
    let lexicon = match &args.lexicon {
        Some(path) => load_lexicon(path)?,
        None => Lexicon::default(),
    };
    for range in split_sentences(&args.text) {
        println!("{}", normalize(&args.text[range], &args.language, &lexicon));
    }
    Ok(())
}

/// Reads and parses a lexicon file; any problem with it is bad input.
pub fn load_lexicon(path: &std::path::Path) -> Result<Lexicon> {
    use std::io::Read;
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| BadInput(format!("{name}: {e}")))?;
    let mut text = String::new();
    file.take(MAX_LEXICON_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| BadInput(format!("{name}: {e}")))?;
    if text.len() as u64 > MAX_LEXICON_BYTES {
        return Err(BadInput(format!("{name}: larger than {MAX_LEXICON_BYTES} bytes")).into());
    }
    Lexicon::from_toml(&text)
        .map_err(|e| BadInput(format!("{name}: {}", e.to_string().replace('\n', " "))).into())
}
