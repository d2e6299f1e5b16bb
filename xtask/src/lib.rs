//! Project tasks that read the shared development data: the extraction quality harness and
//! the speed benchmarks (extraction, scripts, voices, the server), and the intelligibility
//! benchmark, and the WCXB development set's scorer.

pub mod beacon_bench;
pub mod bench;
pub mod cluster_bench;
pub mod dataset;
pub mod intelligibility;
pub mod kokoro_calibration;
pub mod load_bench;
pub mod quality;
pub mod serve_bench;
pub mod server_bench;
pub mod voice_bench;
pub mod wcxb;
