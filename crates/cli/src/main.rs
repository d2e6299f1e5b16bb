//! The `lector` command line: the same engine as the server, one command at a time.

mod backends;
mod extract;
mod fetch;
mod import;
mod input;
mod say_as;
mod serve;
mod speak;
mod user;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for bad input (unreadable, empty, not HTML, unreachable): the reason is on stderr.
const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(name = "lector", version, about = "Clean article pages and natural listens from news articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract the article from web pages or pasted text.
    Extract(extract::ExtractArgs),
    /// Print what the voice will say for each sentence of a text.
    SayAs(say_as::SayAsArgs),
    /// Speak an article or text to an audio file.
    Speak(speak::SpeakArgs),
    /// List the installed voices.
    Voices(speak::VoicesArgs),
    /// Serve the site and the API.
    Serve(serve::ServeArgs),
    /// Create, list and revoke API tokens.
    Token(serve::TokenArgs),
    /// Add, list and remove the staff who sign in to the console, and set their passwords.
    User(user::UserArgs),
    /// Import a library exported from Pocket, Instapaper, wallabag, Omnivore or a browser's
    /// bookmarks into a user's library.
    Import(import::ImportArgs),
}

/// An error caused by the input rather than by lector: exit status 2.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::SayAs(args) => say_as::run(&args),
        Command::Speak(args) => speak::run(&args),
        Command::Voices(args) => speak::list(&args),
        Command::Serve(args) => serve::serve(&args),
        Command::Token(args) => serve::token(&args),
        Command::User(args) => user::run(&args),
        Command::Import(args) => import::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`lector voices | head`): nothing more to say.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            // One line: the reason and its causes.
            let reason = error.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ");
            eprintln!("lector: {}", reason.replace('\n', " "));
            if error.downcast_ref::<BadInput>().is_some() || error.downcast_ref::<std::io::Error>().is_some()
            {
                ExitCode::from(EXIT_BAD_INPUT)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
