//! Fetching a page by URL: a 10 s timeout, at most five redirects, a size limit, HTML only.

use anyhow::Result;

use crate::BadInput;

/// At most this many redirects are followed.
const MAX_REDIRECTS: u32 = 5;

#[derive(Debug)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub url: url::Url,
    pub content_type: Option<String>,
}

/// Limits for reading inputs, from a file, standard input or the network.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: u64,
    pub timeout: std::time::Duration,
}

pub fn fetch(address: &str, limits: Limits) -> Result<Fetched> {
    let url = url::Url::parse(address).map_err(|e| BadInput(format!("{address}: not a valid URL: {e}")))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent(concat!("lector/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response =
        agent.get(url.as_str()).call().map_err(|e| BadInput(format!("{address}: {}", describe(&e))))?;
    let status = response.status();
    if !status.is_success() {
        return Err(BadInput(format!("{address}: the server answered {status}")).into());
    }
    let final_url = {
        use ureq::ResponseExt;
        url::Url::parse(&response.get_uri().to_string()).unwrap_or(url)
    };
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
    let mime =
        content_type.as_deref().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !mime.is_empty() && mime != "text/html" && mime != "application/xhtml+xml" {
        return Err(BadInput(format!("{address}: not an HTML page (Content-Type: {mime})")).into());
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(limits.max_bytes)
        .read_to_vec()
        .map_err(|e| BadInput(format!("{address}: {}", describe(&e))))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(BadInput(format!("{address}: empty response")).into());
    }
    Ok(Fetched { bytes, url: final_url, content_type })
}

fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        ureq::Error::BodyExceedsLimit(limit) => {
            format!("larger than the limit of {limit} bytes (see --max-bytes)")
        }
        other => other.to_string(),
    }
}
