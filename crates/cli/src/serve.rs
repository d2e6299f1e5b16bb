//! `lector serve` and `lector token`: the server, and the bearer tokens its API writes need.
//! The configuration loading here is shared with `lector user`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use lector_core::Config;

use crate::BadInput;

/// Where the configuration comes from: a file, `LECTOR_*` variables and these flags.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// A TOML configuration file (see docs/server.md).
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// Data directory: database, audio, images and voices.
    #[arg(long, value_name = "DIR", global = true)]
    data_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDRESS")]
    listen: Option<String>,
    /// Serve the demo site (sample articles, narrated before the site opens), kept apart
    /// from real articles.
    #[arg(long)]
    demo: bool,
    /// What this node does: `web` (site and API), `worker` (narration and feeds) or `all`.
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    command: TokenCommand,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token and print it (it is shown once; only its digest is kept).
    Create {
        /// A name to recognise it by.
        #[arg(long, default_value = "default")]
        name: String,
        /// What it may do, once or more: `articles:write`, `comments:moderate`, `admin`.
        #[arg(long = "scope", default_value = "admin")]
        scopes: Vec<String>,
        /// The user it belongs to: it never does more than their role allows, and it is
        /// revoked with them. Needed once any staff account exists.
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id or name.
    Revoke { token: String },
}

pub(crate) fn load(args: &ConfigArgs, listen: Option<&str>, demo: bool) -> Result<Config> {
    load_with(args, listen, demo, None)
}

fn load_with(args: &ConfigArgs, listen: Option<&str>, demo: bool, role: Option<&str>) -> Result<Config> {
    let mut flags = toml::Table::new();
    if let Some(role) = role {
        flags.insert("role".into(), toml::Value::String(role.to_string()));
    }
    if let Some(dir) = &args.data_dir {
        flags.insert("data_dir".into(), toml::Value::String(dir.display().to_string()));
    }
    if let Some(listen) = listen {
        flags.insert("listen".into(), toml::Value::String(listen.to_string()));
    }
    if demo {
        flags.insert("demo".into(), toml::Value::Boolean(true));
    }
    Config::load(args.config.as_deref(), std::env::vars(), flags).map_err(|e| BadInput(e.to_string()).into())
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

pub fn serve(args: &ServeArgs) -> Result<()> {
    let config = load_with(&args.config, args.listen.as_deref(), args.demo, args.role.as_deref())?;
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .map_err(|e| BadInput(format!("log filter {:?}: {e}", config.log)))?;
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if config.log_format == "json" {
        logs.json().init();
    } else {
        logs.init();
    }
    runtime()?.block_on(async {
        let backends = crate::backends::open(&config).await?;
        lector_server::serve(config, backends, |address| {
            eprintln!("lector: serving on http://{address}");
        })
        .await?;
        anyhow::Ok(())
    })
}

pub fn token(args: &TokenArgs) -> Result<()> {
    let config = load(&args.config, None, false)?;
    runtime()?.block_on(async {
        let store = crate::backends::open_store(&config).await?;
        let now = lector_core::now();
        let result = match &args.command {
            TokenCommand::Create { name, scopes, user } => {
                let scopes = lector_core::tokens::scope_list(scopes.iter().map(String::as_str))
                    .map_err(|e| anyhow::anyhow!(e))?;
                let owner = match user {
                    Some(user) => Some(
                        lector_core::accounts::token_owner(store.as_ref(), user, &scopes)
                            .await
                            .map_err(|e| BadInput(e.to_string()))?,
                    ),
                    // Once there are staff accounts, every token is someone's; before, the
                    // machine's operator makes the first ones.
                    None if !store.users().await?.is_empty() => {
                        return Err(BadInput(
                            "name the user the token belongs to (--user NAME; lector user list shows them)"
                                .into(),
                        )
                        .into());
                    }
                    None => None,
                };
                let (token, hash) = lector_core::tokens::new_token().context("reading random bytes")?;
                let info = store.create_token(name, &hash, &scopes, owner, now).await?;
                println!("{token}");
                eprintln!(
                    "lector: token {} ({:?}, may: {}{}) created; it is shown only now",
                    info.id,
                    info.name,
                    info.scopes,
                    user.as_ref().map(|u| format!(", for {u}")).unwrap_or_default()
                );
                Ok(())
            }
            TokenCommand::List => {
                println!(
                    "{:<5} {:<20} {:<16} {:<34} {:<26} {:<26} revoked",
                    "id", "name", "user", "scopes", "created", "last used"
                );
                let time = |t: Option<i64>| t.map_or("-".to_string(), lector_server::views::rfc3339);
                let users = store.users().await?;
                for token in store.tokens().await? {
                    let user = token.user_id.map_or("-".to_string(), |id| {
                        users.iter().find(|u| u.id == id).map_or_else(|| format!("#{id}"), |u| u.name.clone())
                    });
                    println!(
                        "{:<5} {:<20} {:<16} {:<34} {:<26} {:<26} {}",
                        token.id,
                        token.name,
                        user,
                        token.scopes,
                        time(Some(token.created_at)),
                        time(token.last_used_at),
                        time(token.revoked_at)
                    );
                }
                Ok(())
            }
            TokenCommand::Revoke { token } => {
                if store.revoke_token(token, now).await? {
                    eprintln!("lector: token {token} revoked");
                    Ok(())
                } else {
                    Err(BadInput(format!("no live token with id or name {token:?}")).into())
                }
            }
        };
        store.close().await;
        result
    })
}
