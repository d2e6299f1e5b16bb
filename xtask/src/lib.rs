//! Project tasks that read the shared development data: the extraction quality harness and
//! the extraction speed benchmark.

pub mod bench;
pub mod dataset;
pub mod quality;
pub mod voice_bench;
