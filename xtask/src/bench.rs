//! placeholder
pub fn run(_: &std::path::Path, _: &[String]) -> anyhow::Result<()> {
    Ok(())
}
