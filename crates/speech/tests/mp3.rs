//! MP3 output decodes back (symphonia) to the rendition's duration within 50 ms.

mod common;

use lector_article::{Article, Block};
use lector_speech::voice::write_mp3;
use lector_speech::{ScriptOptions, build_script};
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
    for voice in common::VOICES {
        let rendition = common::short_rendition(voice);
        let mut bytes = Vec::new();
        write_mp3(&rendition, &mut bytes).expect("encodes");
        assert!(bytes.len() > 1000);
        let decoded = decoded_ms(bytes);
        let expected = f64::from(rendition.duration_ms());
        assert!((decoded - expected).abs() <= 50.0, "{voice}: decoded {decoded} ms, rendered {expected} ms");
    }
}

#[test]
fn encoded_audio_is_ready_before_the_last_sentence_is_synthesized() {
    let paragraphs: Vec<Block> = (0..6)
        .map(|i| {
            Block::paragraph(format!(
                "Paragraph {i} says that the council met again on Tuesday and argued for hours about buses."
            ))
        })
        .collect();
    let article = Article { headline: "A long meeting".into(), body: paragraphs, ..Article::default() };
    let script = build_script(&article, &ScriptOptions::default());
    let mut encoder: Option<lector_speech::voice::Mp3Stream> = None;
    let mut bytes_after_each = Vec::new();
    let mut total = 0;
    lector_speech::voice::stream(&script, "piper:en_US-joe-medium", 1.0, |chunk| {
        let encoder = encoder
            .get_or_insert_with(|| lector_speech::voice::Mp3Stream::new(chunk.sample_rate).expect("encoder"));
        total += encoder.push(&chunk.samples).expect("encodes").len();
        bytes_after_each.push(total);
        true
    })
    .expect("streams");
    assert_eq!(bytes_after_each.len(), script.utterances.len());
    // MP3 bytes exist after the first utterance, while the others are still to come.
    assert!(bytes_after_each[0] > 0, "{bytes_after_each:?}");
    assert!(bytes_after_each.windows(2).all(|w| w[1] >= w[0]));
    let tail = encoder.expect("encoder").finish().expect("flush");
    assert!(!tail.is_empty());
}
