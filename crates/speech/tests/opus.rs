//! Ogg Opus output decodes back to the rendition's duration within 50 ms.

mod common;

use lector_speech::voice::write_opus;

/// Decoded duration in milliseconds, trimmed as RFC 7845 says: pre-skip at the start, the
/// last granule position at the end.
fn decoded_ms(bytes: Vec<u8>) -> f64 {
    let mut reader = ogg::reading::PacketReader::new(std::io::Cursor::new(bytes));
    let head = reader.read_packet_expected().expect("OpusHead");
    assert_eq!(&head.data[..8], b"OpusHead");
    let pre_skip = u64::from(u16::from_le_bytes([head.data[10], head.data[11]]));
    let tags = reader.read_packet_expected().expect("OpusTags");
    assert_eq!(&tags.data[..8], b"OpusTags");
    let mut decoder = opus::Decoder::new(48_000, opus::Channels::Mono).expect("decoder");
    let mut pcm = vec![0i16; 5760];
    let mut decoded = 0u64;
    let mut last_granule = 0;
    while let Some(packet) = reader.read_packet().expect("a valid stream") {
        decoded += decoder.decode(&packet.data, &mut pcm, false).expect("decodes") as u64;
        last_granule = packet.absgp_page();
    }
    let end = decoded.min(last_granule);
    (end - pre_skip) as f64 / 48.0
}

#[test]
fn opus_decodes_to_the_same_duration() {
    for voice in common::VOICES {
        let rendition = common::short_rendition(voice);
        let mut bytes = Vec::new();
        write_opus(&rendition, &mut bytes).expect("encodes");
        assert_eq!(&bytes[..4], b"OggS");
        let decoded = decoded_ms(bytes);
        let expected = f64::from(rendition.duration_ms());
        assert!((decoded - expected).abs() <= 50.0, "{voice}: decoded {decoded} ms, rendered {expected} ms");
    }
}

#[test]
fn resampling_keeps_the_duration() {
    let samples: Vec<i16> = (0..22_050).map(|i| ((i as f64 * 0.1).sin() * 1000.0) as i16).collect();
    let resampled = lector_speech::voice::resample(&samples, 22_050, 24_000);
    assert_eq!(resampled.len(), 24_000);
    assert_eq!(lector_speech::voice::resample(&samples, 22_050, 22_050), samples);
}

#[test]
fn resampling_keeps_the_pitch() {
    // A 300 Hz tone at 22.05 kHz is still 300 Hz at 24 kHz: 80 samples a period.
    let tone: Vec<i16> = (0..22_050)
        .map(|i| ((f64::from(i) * 300.0 * std::f64::consts::TAU / 22_050.0).sin() * 8000.0) as i16)
        .collect();
    let resampled = lector_speech::voice::resample(&tone, 22_050, 24_000);
    let crossings = resampled.windows(2).filter(|w| w[0] < 0 && w[1] >= 0).count();
    assert!((299..=301).contains(&crossings), "{crossings} periods in one second");
}
