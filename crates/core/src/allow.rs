//! The entries of `fetch.allow`: a host, an address or a network that the fetcher may reach
//! although it is not public. Configuration checks them when it loads; the fetcher uses them.

use std::net::IpAddr;

/// One allowlist entry: a host name, an address or a network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowEntry {
    Host(String),
    Network(IpAddr, u8),
}

impl AllowEntry {
    pub fn parse(text: &str) -> Option<AllowEntry> {
        let text = text.trim();
        if let Some((address, bits)) = text.split_once('/') {
            let address: IpAddr = address.parse().ok()?;
            let bits: u8 = bits.parse().ok()?;
            let most = if address.is_ipv4() { 32 } else { 128 };
            return (bits <= most).then_some(AllowEntry::Network(address, bits));
        }
        if let Ok(address) = text.parse::<IpAddr>() {
            return Some(AllowEntry::Network(address, if address.is_ipv4() { 32 } else { 128 }));
        }
        let valid = !text.is_empty()
            && text.len() <= 253
            && text.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        valid.then(|| AllowEntry::Host(text.to_ascii_lowercase()))
    }

    pub(crate) fn contains(&self, address: IpAddr) -> bool {
        match (self, address) {
            (AllowEntry::Network(IpAddr::V4(net), bits), IpAddr::V4(ip)) => {
                let mask = if *bits == 0 { 0 } else { u32::MAX << (32 - u32::from(*bits)) };
                u32::from(*net) & mask == u32::from(ip) & mask
            }
            (AllowEntry::Network(IpAddr::V6(net), bits), IpAddr::V6(ip)) => {
                let mask = if *bits == 0 { 0 } else { u128::MAX << (128 - u32::from(*bits)) };
                u128::from(*net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}
