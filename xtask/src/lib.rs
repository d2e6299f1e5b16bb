//! Project tasks that read the shared development data: the extraction quality harness and
//! the speed benchmarks (extraction, scripts, voices, the server).

pub mod bench;
pub mod dataset;
pub mod load_bench;
pub mod quality;
pub mod server_bench;
pub mod voice_bench;
