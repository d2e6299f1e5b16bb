//! The load test: the article page and the comment API under `wrk` at once for 60 s on
//! loopback, with throughput, p99 latency and errors for each (none allowed).

use std::time::Duration;

use anyhow::{Result, bail};

use crate::server_bench::{Server, print_loads, wrk};

/// Each writing connection posts different text, so no post is a duplicate.
const COMMENT_SCRIPT: &str = r#"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  counter = 0
end
function request()
  counter = counter + 1
  local body = '{"name": "Load ' .. id .. '", "body": "Comment ' .. counter .. ' from connection group ' .. id .. '."}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"#;

pub fn run(seconds: u32) -> Result<()> {
    // Readers' limits stay on; only the per-client rate limit is lifted, since every request
    // comes from one address.
    let server = Server::start(&[("LECTOR_COMMENTS__PER_MINUTE", "100000000")])?;
    let id = server.narrated_article()?;
    let script = std::env::temp_dir().join(format!("lector-comments-{}.lua", std::process::id()));
    std::fs::write(&script, COMMENT_SCRIPT)?;
    let (base, pid) = (server.base.clone(), server.pid);
    let page = std::thread::spawn({
        let base = base.clone();
        move || wrk("article page", &format!("{base}/articles/{id}"), &[], None, seconds, pid)
    });
    std::thread::sleep(Duration::from_millis(50));
    let comments = wrk(
        "comment API (POST)",
        &format!("{base}/api/articles/{id}/comments"),
        &[],
        Some(&script),
        seconds,
        pid,
    );
    let page = page.join().map_err(|_| anyhow::anyhow!("the page load thread failed"))?;
    let _ = std::fs::remove_file(&script);
    let loads = [page?, comments?];
    println!("lector serve on {base}: page and comment API at once, wrk -t2 -c32 -d{seconds}s each");
    print_loads(&loads);
    if loads.iter().any(|l| l.errors > 0) {
        bail!("errors under load");
    }
    Ok(())
}
