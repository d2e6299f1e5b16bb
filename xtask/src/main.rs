//! `cargo xtask quality`, `cargo xtask bench` (see docs/benchmarks.md) and `cargo xtask
//! kokoro-calibration` (the inputs that set Kokoro's int8 ranges at set-up).

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = xtask::dataset::pages_dir();
    match args.first().map(String::as_str) {
        Some("quality") if args.get(1).is_some_and(|a| a == "wcxb") => xtask::wcxb::main(&args[2..]),
        Some("quality") => {
            let pages = xtask::dataset::load_pages(&dir)?;
            let engine = if args.iter().any(|a| a == "trafilatura") {
                xtask::quality::Engine::Trafilatura
            } else {
                xtask::quality::Engine::Lector
            };
            let report = xtask::quality::evaluate(&pages, engine);
            if args.iter().any(|a| a == "--verbose") {
                for page in &report.pages {
                    let show = |v: Option<f64>| v.map_or("   -  ".to_string(), |v| format!("{v:.3}"));
                    println!(
                        "{:<48} P {}  R {}  title {}  byline {}  excerpt {}",
                        page.name,
                        show(page.precision),
                        show(page.recall),
                        page.title_match as u8,
                        page.byline_match as u8,
                        page.excerpt_match as u8
                    );
                }
            }
            println!("pages      {}", report.pages.len());
            println!("precision  {:.4}", report.precision);
            println!("recall     {:.4}", report.recall);
            println!("F1         {:.4}", report.f1);
            println!("title      {:.3}", report.title_rate);
            println!("byline     {:.3}", report.byline_rate);
            println!("excerpt    {:.3}", report.excerpt_rate);
            Ok(())
        }
        Some("bench") => xtask::bench::run(&dir, &args[1..]),
        Some("kokoro-calibration") => xtask::kokoro_calibration::main(&xtask::dataset::workspace_root()),
        _ => bail!(
            "usage: cargo xtask quality [trafilatura] [--verbose] | cargo xtask quality wcxb [--type T] [--lector-only] [--verbose] [--show ID] [--dump DIR] | cargo xtask bench [--engine lector|trafilatura] [--rounds N] [--spells N] | cargo xtask bench script|voices|server|serve|load [--seconds N] | cargo xtask bench beacons [--rate N] [--seconds N] | cargo xtask bench intelligibility [--voices A,B] [--speeds 1,1.5] [--without-piper-tts] [--verbose] | cargo xtask kokoro-calibration"
        ),
    }
}
