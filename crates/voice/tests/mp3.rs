//! MP3 output decodes back (symphonia) to the rendition's duration within 50 ms.

use lector_article::{Article, Block};
use lector_speech::{ScriptOptions, build_script};
use lector_voice::{render, write_mp3};
use symphonia::core::codecs::DecoderOptions;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

/// Decoded duration in milliseconds.
fn decoded_ms(bytes: Vec<u8>) -> f64 {
    let stream = MediaSourceStream::new(Box::new(std::io::Cursor::new(bytes)), Default::default());
    let mut hint = Hint::new();
    hint.with_extension("mp3");
    let format_options = FormatOptions { enable_gapless: true, ..FormatOptions::default() };
    let probed = symphonia::default::get_probe()
        .format(&hint, stream, &format_options, &MetadataOptions::default())
        .expect("an MP3 stream");
    let mut format = probed.format;
    let track = format.default_track().expect("a track").clone();
    let mut decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .expect("decoder");
    let rate = f64::from(track.codec_params.sample_rate.expect("a sample rate"));
    let mut frames = 0u64;
    while let Ok(packet) = format.next_packet() {
        if let Ok(decoded) = decoder.decode(&packet) {
            frames += decoded.frames() as u64;
        }
    }
    frames as f64 * 1000.0 / rate
}

#[test]
fn mp3_decodes_to_the_same_duration() {
    let article = Article {
        headline: "Trams return to the harbour".into(),
        body: vec![Block::paragraph("The council approved the line on Tuesday. Work starts next spring.")],
        ..Article::default()
    };
    let script = build_script(&article, &ScriptOptions::default());
    for voice in ["espeak:en-us", "piper:en_US-joe-medium"] {
        let rendition = render(&script, voice, 1.0, |_, _| true).expect("renders");
        let mut bytes = Vec::new();
        write_mp3(&rendition, &mut bytes).expect("encodes");
        assert!(bytes.len() > 1000);
        let decoded = decoded_ms(bytes);
        let expected = f64::from(rendition.duration_ms());
        assert!((decoded - expected).abs() <= 50.0, "{voice}: decoded {decoded} ms, rendered {expected} ms");
    }
}
