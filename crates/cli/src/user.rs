//! `lector user`: the staff accounts that sign in to the console (add, new password, remove,
//! list). A password is typed twice without echo on a terminal, or read as the first line of
//! standard input otherwise; it never goes on the command line.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use lector_core::accounts::{self, Role};

use crate::BadInput;
use crate::serve::{ConfigArgs, load, runtime};

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user; the password is asked for (or read from standard input).
    Add {
        name: String,
        /// `admin` (everything), `editor` (articles), `moderator` (comments) or `reader` (their
        /// own library, on a site in library mode).
        #[arg(long, default_value = "editor")]
        role: String,
    },
    /// Give a user a new password: their sessions end and a lockout is lifted.
    Passwd { name: String },
    /// Remove a user: their sessions end and their tokens are revoked.
    Remove { name: String },
    /// List the users.
    List,
}

/// The password, asked twice on a terminal, else the first line of standard input.
fn read_password() -> Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("reading the password")?;
        let again = rpassword::prompt_password("Again: ").context("reading the password")?;
        if first != again {
            return Err(BadInput("the two passwords differ".into()).into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// A refusal of the core (a weak password, a name taken) is the input's fault.
fn refused(error: lector_core::Error) -> anyhow::Error {
    match error {
        lector_core::Error::Refused { message, .. } => BadInput(message).into(),
        other => anyhow::Error::new(other),
    }
}

pub fn run(args: &UserArgs) -> Result<()> {
    let config = load(&args.config, None, false)?;
    let role = match &args.command {
        UserCommand::Add { role, .. } => Some(
            Role::parse(role)
                .ok_or_else(|| BadInput(format!("no role {role:?}: admin, editor, moderator or reader")))?,
        ),
        _ => None,
    };
    let password = match &args.command {
        UserCommand::Add { .. } | UserCommand::Passwd { .. } => Some(read_password()?),
        _ => None,
    };
    runtime()?.block_on(async {
        let store = crate::backends::open_store(&config).await?;
        let result = match (&args.command, role, password) {
            (UserCommand::Add { name, .. }, Some(role), Some(password)) => {
                accounts::add_user(store.as_ref(), name, role, &password).await.map_err(refused).map(|user| {
                    eprintln!("lector: user {} added ({})", user.name, user.role);
                })
            }
            (UserCommand::Passwd { name }, _, Some(password)) => {
                accounts::set_password(store.as_ref(), name, &password).await.map_err(refused).map(|()| {
                    eprintln!("lector: password of {name} changed; their sessions ended");
                })
            }
            (UserCommand::Remove { name }, _, _) => {
                accounts::remove_user(store.as_ref(), name).await.map_err(refused).map(|()| {
                    eprintln!(
                        "lector: user {name} removed; their sessions ended and their tokens were revoked"
                    );
                })
            }
            (UserCommand::List, _, _) => {
                let time = |t: Option<i64>| t.map_or("-".to_string(), lector_server::views::rfc3339);
                store.users().await.map_err(anyhow::Error::new).map(|users| {
                    println!("{:<5} {:<24} {:<10} {:<26} locked until", "id", "name", "role", "created");
                    for user in users {
                        println!(
                            "{:<5} {:<24} {:<10} {:<26} {}",
                            user.id,
                            user.name,
                            user.role,
                            time(Some(user.created_at)),
                            time(user.locked_until)
                        );
                    }
                })
            }
            _ => Err(anyhow::anyhow!("nothing to do")),
        };
        store.close().await;
        result
    })
}
