//! A throwaway PostgreSQL cluster on loopback, for tests: `initdb` into a temporary folder,
//! the server started on a free port with durability off (`fsync=off`: seconds to start, and
//! nothing worth keeping), one fresh database per test. The server runs under a small shell
//! that stops it (and removes the folder) when the test process's end closes its standard
//! input, so a killed test run leaves no server behind. Under root, PostgreSQL runs as the
//! `postgres` user, which Debian's package creates.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long the server may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a cluster could not be had.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL's server programs (initdb, postgres) were not found in /usr/lib/postgresql/*/bin \
         or on PATH: install Debian's `postgresql` package (scripts/setup does)"
    )]
    NotInstalled,
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("initdb failed: {0}")]
    Init(String),
    #[error("the server did not start within {seconds} s; its log says: {log}")]
    Start { seconds: u64, log: String },
    #[error("creating database {name}: {source}")]
    CreateDatabase { name: String, source: sqlx::Error },
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ClusterError {
    let what = what.into();
    move |source| ClusterError::Io { what, source }
}

/// A running PostgreSQL server that lives as long as this value (or the process).
#[derive(Debug)]
pub struct Cluster {
    port: u16,
    dir: PathBuf,
    /// The supervising shell: closing its input stops the server.
    supervisor: Mutex<Option<(Child, ChildStdin)>>,
    databases: AtomicUsize,
}

impl Cluster {
    /// The test process's one cluster, started on first use; a test that cannot have it fails
    /// with the reason.
    pub fn shared() -> &'static Cluster {
        static CLUSTER: std::sync::OnceLock<Cluster> = std::sync::OnceLock::new();
        CLUSTER.get_or_init(|| Cluster::start().unwrap_or_else(|e| panic!("PostgreSQL for the tests: {e}")))
    }

    /// Creates and starts a cluster; fails with a clear message when PostgreSQL is missing.
    pub fn start() -> Result<Cluster, ClusterError> {
        let bin = server_programs().ok_or(ClusterError::NotInstalled)?;
        static SERIAL: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "lector-pg-{}-{}",
            std::process::id(),
            SERIAL.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(io(format!("creating {}", dir.display())))?;
        let as_postgres = is_root();
        if as_postgres {
            let uid = command_output(Command::new("id").args(["-u", "postgres"]))
                .and_then(|s| s.trim().parse::<u32>().ok())
                .ok_or_else(|| {
                    ClusterError::Init("running as root and there is no `postgres` user".into())
                })?;
            std::os::unix::fs::chown(&dir, Some(uid), None).map_err(io("handing the folder to postgres"))?;
        }
        let data = dir.join("data");
        let mut initdb = wrap(as_postgres, &bin.join("initdb"));
        initdb.arg("-D").arg(&data).args([
            "--auth=trust",
            "--username=lector",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        let out = initdb.output().map_err(io("running initdb"))?;
        if !out.status.success() {
            return Err(ClusterError::Init(String::from_utf8_lossy(&out.stderr).trim().to_string()));
        }

        let port = free_port().map_err(io("finding a free port"))?;
        let log = dir.join("server.log");
        // The shell starts the server, waits for its own input to close, then stops the
        // server quickly (SIGINT; killed outright if it has not stopped within 10 s) and
        // removes the folder.
        let script = r#"
            "$0" -D "$1/data" -p "$2" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$1" \
                -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
                >"$1/server.log" 2>&1 &
            server=$!
            cat >/dev/null
            kill -INT "$server" 2>/dev/null
            n=0
            while kill -0 "$server" 2>/dev/null && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
            kill -9 "$server" 2>/dev/null
            wait "$server"
            rm -rf "$1"
        "#;
        let mut shell = wrap(as_postgres, Path::new("sh"));
        shell.arg("-c").arg(script).arg(bin.join("postgres")).arg(&dir).arg(port.to_string());
        let mut child = shell
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(io("starting postgres"))?;
        let stdin =
            child.stdin.take().ok_or_else(|| ClusterError::Init("no input to the server's shell".into()))?;
        let cluster = Cluster {
            port,
            dir,
            supervisor: Mutex::new(Some((child, stdin))),
            databases: AtomicUsize::new(0),
        };

        let started = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if started.elapsed() > START_TIMEOUT {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                return Err(ClusterError::Start { seconds: START_TIMEOUT.as_secs(), log });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(cluster)
    }

    /// The address of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://lector@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates a fresh, empty database and returns its address; `hint` becomes part of its name.
    pub async fn new_database(&self, hint: &str) -> Result<String, ClusterError> {
        use sqlx::Connection;
        let serial = self.databases.fetch_add(1, Ordering::Relaxed);
        let clean: String =
            hint.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect::<String>();
        let name = format!("t{serial}_{}", clean.to_ascii_lowercase());
        let created = async {
            // The server accepts connections a moment before it accepts logins.
            let started = Instant::now();
            let mut admin = loop {
                match sqlx::PgConnection::connect(&self.url("postgres")).await {
                    Ok(connection) => break connection,
                    Err(e) if started.elapsed() > START_TIMEOUT => return Err(e),
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            };
            sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await?;
            admin.close().await
        };
        created.await.map_err(|source| ClusterError::CreateDatabase { name: name.clone(), source })?;
        Ok(self.url(&name))
    }

    /// Stops the server now (it also stops when the process ends).
    pub fn stop(&self) {
        let taken = self.supervisor.lock().map(|mut s| s.take()).unwrap_or(None);
        if let Some((mut child, stdin)) = taken {
            drop(stdin);
            let _ = child.wait();
        }
    }

    /// The cluster's folder (data and server log), removed when it stops.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `program` as the `postgres` user when `as_postgres`, else as this user.
fn wrap(as_postgres: bool, program: &Path) -> Command {
    if as_postgres {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    command_output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

fn command_output(command: &mut Command) -> Option<String> {
    let out = command.stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The folder holding `initdb` and `postgres`: Debian's newest version, else PATH's.
fn server_programs() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("postgres").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|dir| dir.join("initdb").exists() && dir.join("postgres").exists())
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}
