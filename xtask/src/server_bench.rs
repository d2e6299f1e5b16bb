//! The server benchmark: `lector serve` (release build) on loopback under `wrk`, for article
//! JSON and for cached audio Range requests: requests per second, p99 latency, and memory at
//! idle and under load.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::bench::process_status_kib;

/// Connections and seconds of each `wrk` run.
const CONNECTIONS: u32 = 32;
const SECONDS: u32 = 20;

#[derive(Debug)]
pub struct Load {
    pub name: &'static str,
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
    pub rss_kib: u64,
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A data directory with the installed voices linked in.
fn data_dir() -> Result<PathBuf> {
    let installed = PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".local/share/lector");
    let home = std::env::var_os("LECTOR_DATA_DIR").map_or(installed, PathBuf::from);
    let dir = std::env::temp_dir().join(format!("lector-server-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    for part in ["voices", "onnxruntime", "pace.json"] {
        if home.join(part).exists() {
            std::os::unix::fs::symlink(home.join(part), dir.join(part))?;
        }
    }
    Ok(dir)
}

pub fn wrk(
    name: &'static str,
    url: &str,
    headers: &[&str],
    script: Option<&Path>,
    seconds: u32,
    pid: u32,
) -> Result<Load> {
    let mut command = Command::new("wrk");
    command.args(["-t2", &format!("-c{CONNECTIONS}"), &format!("-d{seconds}s"), "--latency"]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    for header in headers {
        command.args(["-H", header]);
    }
    let peak = Arc::new(AtomicU64::new(0));
    let running = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, running) = (Arc::clone(&peak), Arc::clone(&running));
        std::thread::spawn(move || {
            while running.load(Ordering::Relaxed) {
                let rss = process_status_kib(&pid.to_string(), "VmRSS:").unwrap_or(0);
                peak.fetch_max(rss, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let output = command.arg(url).output().context("running wrk (apt-get install wrk)")?;
    running.store(false, Ordering::Relaxed);
    let _ = sampler.join();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        bail!("wrk: {}{}", text, String::from_utf8_lossy(&output.stderr));
    }
    let field = |prefix: &str| {
        text.lines().find_map(|line| line.trim().strip_prefix(prefix).map(|rest| rest.trim().to_string()))
    };
    let requests_per_second: f64 =
        field("Requests/sec:").and_then(|v| v.parse().ok()).context("wrk's Requests/sec")?;
    let p50_ms = milliseconds(&field("50%").context("wrk's 50% latency")?)?;
    let p99_ms = milliseconds(&field("99%").context("wrk's 99% latency")?)?;
    // "Non-2xx or 3xx responses: N" and "Socket errors: connect A, read B, write C, timeout D".
    let mut errors: u64 = field("Non-2xx or 3xx responses:").and_then(|v| v.parse().ok()).unwrap_or(0);
    if let Some(socket) = field("Socket errors:") {
        errors += socket
            .split(',')
            .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
            .sum::<u64>();
    }
    Ok(Load { name, requests_per_second, p50_ms, p99_ms, errors, rss_kib: peak.load(Ordering::Relaxed) })
}

/// A latency as wrk prints it ("812.00us", "1.20ms", "2.01s"), in milliseconds.
fn milliseconds(latency: &str) -> Result<f64> {
    Ok(if let Some(us) = latency.strip_suffix("us") {
        us.parse::<f64>()? / 1000.0
    } else if let Some(ms) = latency.strip_suffix("ms") {
        ms.parse::<f64>()?
    } else if let Some(s) = latency.strip_suffix('s') {
        s.parse::<f64>()? * 1000.0
    } else {
        bail!("unreadable latency {latency:?}");
    })
}

/// Prints a table of loads.
pub fn print_loads(loads: &[Load]) {
    println!("{:<22} {:>12} {:>10} {:>8} {:>14}", "load", "requests/s", "p99 ms", "errors", "RSS MiB");
    for load in loads {
        println!(
            "{:<22} {:>12.0} {:>10.2} {:>8} {:>14.1}",
            load.name,
            load.requests_per_second,
            load.p99_ms,
            load.errors,
            load.rss_kib as f64 / 1024.0
        );
    }
}

/// Builds the release `lector` binary and returns its path.
pub fn release_lector() -> Result<PathBuf> {
    let status = Command::new("cargo")
        .args(["build", "--release", "-q", "-p", "lector-cli"])
        .current_dir(root())
        .status()
        .context("cargo build --release")?;
    if !status.success() {
        bail!("the release build failed");
    }
    Ok(root().join("target/release/lector"))
}

/// A release `lector serve` on a loopback port with its own data directory.
#[derive(Debug)]
pub struct Server {
    pub lector: PathBuf,
    pub base: String,
    pub token: String,
    pub pid: u32,
    child: std::process::Child,
    data: PathBuf,
}

impl Server {
    /// Builds the release binary and starts it with `env` added to its environment.
    pub fn start(env: &[(&str, &str)]) -> Result<Server> {
        let lector = release_lector()?;
        let data = data_dir()?;
        let token = Command::new(&lector).args(["token", "create", "--data-dir"]).arg(&data).output()?;
        let token = String::from_utf8(token.stdout)?.trim().to_string();
        let mut command = Command::new(&lector);
        command.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"]).arg(&data).env("LECTOR_LOG", "warn");
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn()?;
        let pid = child.id();
        let mut lines = BufReader::new(child.stderr.take().context("stderr")?).lines();
        let base = loop {
            let line = lines.next().context("the server said nothing")??;
            if let Some(address) = line.strip_prefix("lector: serving on ") {
                break address.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Ok(Server { lector, base, token, pid, child, data })
    }

    /// Posts the demo article and waits for its narration; returns its id.
    pub fn narrated_article(&self) -> Result<i64> {
        let demo = root().join("demo/night-buses.html");
        let article = Command::new(&self.lector).arg("extract").arg(&demo).output()?.stdout;
        let mut response = ureq::post(&format!("{}/api/articles", self.base))
            .header("authorization", &format!("Bearer {}", self.token))
            .header("content-type", "application/json")
            .send(&article[..])?;
        let created: serde_json::Value = serde_json::from_str(&response.body_mut().read_to_string()?)?;
        let id = created["id"].as_i64().context("article id")?;
        let started = Instant::now();
        loop {
            let url = format!("{}/api/articles/{id}", self.base);
            let view: serde_json::Value =
                serde_json::from_str(&ureq::get(&url).call()?.body_mut().read_to_string()?)?;
            if view["narration"]["status"] == "ready" {
                return Ok(id);
            }
            if started.elapsed() > Duration::from_secs(120) {
                bail!("the narration did not finish: {}", view["narration"]);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

pub fn run() -> Result<()> {
    let server = Server::start(&[])?;
    measure(&server)
}

fn measure(server: &Server) -> Result<()> {
    let (base, pid) = (server.base.as_str(), server.pid);
    let id = server.narrated_article()?;
    std::thread::sleep(Duration::from_secs(2));
    let idle = process_status_kib(&pid.to_string(), "VmRSS:").unwrap_or(0);
    let loads = [
        wrk("article JSON", &format!("{base}/api/articles/{id}"), &[], None, SECONDS, pid)?,
        wrk(
            "audio Range (64 KiB)",
            &format!("{base}/api/articles/{id}/audio"),
            &["Range: bytes=0-65535"],
            None,
            SECONDS,
            pid,
        )?,
    ];
    let peak = process_status_kib(&pid.to_string(), "VmHWM:").unwrap_or(0);
    println!(
        "lector serve on {base}: {} cores, wrk -t2 -c{CONNECTIONS} -d{SECONDS}s",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!("idle memory (RSS): {:.1} MiB", idle as f64 / 1024.0);
    print_loads(&loads);
    println!("peak memory (VmHWM): {:.1} MiB", peak as f64 / 1024.0);
    Ok(())
}
