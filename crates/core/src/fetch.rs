//! Safe fetching for every request the server makes on a user's behalf: http and https only,
//! every address a host resolves to must be public (unless allowlisted), each redirect is
//! checked again, with a timeout, a size limit counted after decompression, and a
//! content-type check.

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{
    CONTENT_TYPE, ETAG, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use url::Url;

pub use crate::allow::AllowEntry;
use crate::config::FetchConfig;

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("not a fetchable URL: {0}")]
    InvalidUrl(String),
    #[error("refused to fetch {0}: not a public address")]
    Refused(String),
    #[error("timed out")]
    Timeout,
    #[error("the response is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the server answered {0}")]
    Status(u16),
    #[error("unexpected content type {0:?}")]
    ContentType(String),
    #[error("too many redirects")]
    TooManyRedirects,
    #[error("network: {0}")]
    Network(String),
}

/// Whether an address is on the public internet: not loopback, private, link-local,
/// multicast, shared, documentation, benchmarking, reserved or unspecified.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => {
            if let Some(v4) = ip.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let segments = ip.segments();
            // Only global unicast (2000::/3), less documentation, and 6to4 by its embedded address.
            let global = segments[0] & 0xe000 == 0x2000;
            let documentation = segments[0] == 0x2001 && segments[1] == 0x0db8;
            if segments[0] == 0x2002 {
                let [a, b] = segments[1].to_be_bytes();
                let [c, d] = segments[2].to_be_bytes();
                return is_public_v4(Ipv4Addr::new(a, b, c, d));
            }
            global && !documentation && ip != Ipv6Addr::LOCALHOST
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || (a == 192 && b == 0 && c == 0))
}

/// Looks host names up. The system resolver in production; a fixed table in tests.
pub trait Lookup: Send + Sync + fmt::Debug {
    fn lookup(&self, host: String) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;
}

/// The operating system's resolver.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(&self, host: String) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        Box::pin(
            async move { Ok(tokio::net::lookup_host((host.as_str(), 0)).await?.map(|a| a.ip()).collect()) },
        )
    }
}

/// The rules every address must pass.
#[derive(Debug)]
struct Policy {
    allow: Vec<AllowEntry>,
    lookup: Arc<dyn Lookup>,
}

/// The marker error a refused lookup carries through reqwest.
#[derive(Debug)]
struct RefusedAddress(String);

impl fmt::Display for RefusedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a public address", self.0)
    }
}

impl std::error::Error for RefusedAddress {}

impl Policy {
    fn host_allowed(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.allow.iter().any(|entry| matches!(entry, AllowEntry::Host(h) if *h == host))
    }

    fn address_allowed(&self, address: IpAddr) -> bool {
        is_public(address) || self.allow.iter().any(|entry| entry.contains(address))
    }

    /// Checks a URL before it is requested: scheme, and the address when the host is one.
    fn check_url(&self, url: &Url) -> Result<(), FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::InvalidUrl(format!("{url}: only http and https")));
        }
        match url.host() {
            None => Err(FetchError::InvalidUrl(url.to_string())),
            Some(url::Host::Ipv4(ip)) if !self.address_allowed(IpAddr::V4(ip)) => {
                Err(FetchError::Refused(url.to_string()))
            }
            Some(url::Host::Ipv6(ip)) if !self.address_allowed(IpAddr::V6(ip)) => {
                Err(FetchError::Refused(url.to_string()))
            }
            _ => Ok(()),
        }
    }
}

/// reqwest asks this for every connection to a named host, redirects included.
#[derive(Debug, Clone)]
struct CheckedResolver(Arc<Policy>);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = Arc::clone(&self.0);
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addresses = policy.lookup.lookup(host.clone()).await?;
            if addresses.is_empty() {
                return Err(format!("{host}: no address").into());
            }
            if !policy.host_allowed(&host)
                && let Some(bad) = addresses.iter().find(|a| !policy.address_allowed(**a))
            {
                return Err(Box::new(RefusedAddress(format!("{host} ({bad})")))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            let addrs: Addrs = Box::new(addresses.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// A fetched response.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects.
    pub url: Url,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What a conditional fetch found.
#[derive(Debug, Clone)]
pub enum Conditional {
    NotModified,
    Fetched(Fetched),
}

/// The server's HTTP client for anything a user names.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    /// For posts (webhooks): the same checks, and no redirect followed.
    poster: reqwest::Client,
    policy: Arc<Policy>,
    max_bytes: u64,
}

impl Fetcher {
    pub fn new(config: &FetchConfig) -> Result<Fetcher, FetchError> {
        Fetcher::with_lookup(config, Arc::new(SystemLookup))
    }

    /// A fetcher with its own name lookup (tests resolve public-looking names to loopback).
    pub fn with_lookup(config: &FetchConfig, lookup: Arc<dyn Lookup>) -> Result<Fetcher, FetchError> {
        let allow = config.allow.iter().filter_map(|entry| AllowEntry::parse(entry)).collect();
        let policy = Arc::new(Policy { allow, lookup });
        let redirect_policy = Arc::clone(&policy);
        let max_redirects = config.max_redirects;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.timeout_secs))
            .connect_timeout(Duration::from_secs(config.timeout_secs))
            .user_agent(config.user_agent.clone())
            .dns_resolver(Arc::new(CheckedResolver(Arc::clone(&policy))))
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() > max_redirects {
                    return attempt.error(TooManyRedirects);
                }
                match redirect_policy.check_url(attempt.url()) {
                    Ok(()) => attempt.follow(),
                    Err(e) => attempt.error(e),
                }
            }))
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        let poster = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.timeout_secs))
            .connect_timeout(Duration::from_secs(config.timeout_secs))
            .user_agent(config.user_agent.clone())
            .dns_resolver(Arc::new(CheckedResolver(Arc::clone(&policy))))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Fetcher { client, poster, policy, max_bytes: config.max_bytes })
    }

    /// Whether `url` may be fetched at all: http(s), and an address that is public (or
    /// allowed) when the URL names one. Names are checked again when they are resolved.
    pub fn check(&self, url: &str) -> Result<Url, FetchError> {
        let url = Url::parse(url).map_err(|e| FetchError::InvalidUrl(format!("{url}: {e}")))?;
        self.policy.check_url(&url)?;
        Ok(url)
    }

    /// Posts `body` as JSON with `headers` to `url`, under the same address checks as every
    /// fetch; a redirect is not followed. Returns the status; anything but 2xx is an error.
    pub async fn post_json(&self, url: &str, body: String, headers: HeaderMap) -> Result<u16, FetchError> {
        let url = self.check(url)?;
        let response = self
            .poster
            .post(url)
            .headers(headers)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(classify)?;
        let status = response.status();
        if status.is_success() { Ok(status.as_u16()) } else { Err(FetchError::Status(status.as_u16())) }
    }

    /// Fetches `url` when its content type starts with one of `accept` (any when empty).
    pub async fn get(&self, url: &str, accept: &[&str]) -> Result<Fetched, FetchError> {
        match self.get_conditional(url, accept, None, None).await? {
            Conditional::Fetched(fetched) => Ok(fetched),
            Conditional::NotModified => Err(FetchError::Status(304)),
        }
    }

    /// Fetches `url`, sending the validators of an earlier response.
    pub async fn get_conditional(
        &self,
        url: &str,
        accept: &[&str],
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Conditional, FetchError> {
        let url = Url::parse(url).map_err(|e| FetchError::InvalidUrl(format!("{url}: {e}")))?;
        self.policy.check_url(&url)?;
        let mut headers = HeaderMap::new();
        if let Some(value) = etag.and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(IF_NONE_MATCH, value);
        }
        if let Some(value) = last_modified.and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(IF_MODIFIED_SINCE, value);
        }
        let mut response = self.client.get(url).headers(headers).send().await.map_err(classify)?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Conditional::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let header = |name| {
            response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_string)
        };
        let content_type = header(CONTENT_TYPE).unwrap_or_default().to_ascii_lowercase();
        let (etag, last_modified) = (header(ETAG), header(LAST_MODIFIED));
        let essence = content_type.split(';').next().unwrap_or("").trim().to_string();
        if !accept.is_empty() && !accept.iter().any(|a| essence.starts_with(a)) {
            return Err(FetchError::ContentType(essence));
        }
        if response.content_length().is_some_and(|length| length > self.max_bytes) {
            return Err(FetchError::TooLarge(self.max_bytes));
        }
        let final_url = response.url().clone();
        let mut bytes = Vec::new();
        // Counted as it arrives, after decompression: a small bomb cannot grow past the limit.
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if bytes.len() as u64 + chunk.len() as u64 > self.max_bytes {
                return Err(FetchError::TooLarge(self.max_bytes));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Conditional::Fetched(Fetched { url: final_url, content_type, bytes, etag, last_modified }))
    }
}

#[derive(Debug)]
struct TooManyRedirects;

impl fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("too many redirects")
    }
}

impl std::error::Error for TooManyRedirects {}

/// Finds our own reasons inside reqwest's error chain.
fn classify(error: reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<RefusedAddress>() {
            return FetchError::Refused(refused.0.clone());
        }
        if let Some(fetch) = e.downcast_ref::<FetchError>() {
            return fetch.clone();
        }
        if e.downcast_ref::<TooManyRedirects>().is_some() {
            return FetchError::TooManyRedirects;
        }
        source = e.source();
    }
    if error.is_timeout() {
        return FetchError::Timeout;
    }
    FetchError::Network(error.without_url().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "192.0.2.1",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "64:ff9b::7f00:1",
        ] {
            assert!(!is_public(private.parse().expect("address")), "{private}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(public.parse().expect("address")), "{public}");
        }
    }

    #[test]
    fn allow_entries_parse_and_match() {
        let net = AllowEntry::parse("10.0.0.0/8").expect("network");
        assert!(
            net.contains("10.9.8.7".parse().expect("ip")) && !net.contains("11.0.0.1".parse().expect("ip"))
        );
        let one = AllowEntry::parse("127.0.0.1").expect("address");
        assert!(
            one.contains("127.0.0.1".parse().expect("ip")) && !one.contains("127.0.0.2".parse().expect("ip"))
        );
        assert_eq!(AllowEntry::parse("Intranet.Example"), Some(AllowEntry::Host("intranet.example".into())));
        assert_eq!(AllowEntry::parse("10.0.0.0/40"), None);
        assert_eq!(AllowEntry::parse("not a host!"), None);
    }
}
