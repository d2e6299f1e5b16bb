//! Ogg Opus output: 24 kHz mono speech at 32 kbit/s, in 20 ms packets (RFC 7845 framing).

use std::io::Write;

use ogg::writing::{PacketWriteEndInfo, PacketWriter};

use crate::voice::Rendition;

/// Opus encodes at one of its own rates; 24 kHz keeps all of speech.
pub const OPUS_RATE: u32 = 24_000;
/// 20 ms packets.
const FRAME: usize = (OPUS_RATE / 50) as usize;
/// Granule positions count 48 kHz samples whatever the coding rate.
const GRANULE_PER_SAMPLE: u64 = (48_000 / OPUS_RATE) as u64;
const BITRATE: i32 = 32_000;
/// Ogg stream serial number (any value; one stream per file).
const SERIAL: u32 = 0x6c65_6374;

/// Why an Opus file could not be made.
#[derive(Debug, thiserror::Error)]
pub enum OpusError {
    #[error("Opus encoder: {0}")]
    Encoder(#[from] opus::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Writes the rendition as Ogg Opus.
pub fn write_opus(rendition: &Rendition, mut out: impl Write) -> Result<(), OpusError> {
    let samples = resample(&rendition.samples, rendition.sample_rate, OPUS_RATE);
    let mut stream = OpusStream::new(rendition.sample_rate)?;
    out.write_all(&stream.take())?;
    for chunk in samples.chunks(1 << 16) {
        out.write_all(&stream.push(chunk)?)?;
    }
    out.write_all(&stream.finish()?)?;
    Ok(())
}

/// An Ogg Opus encoder fed audio at [`OPUS_RATE`] as it is synthesized: each call returns
/// the bytes ready so far, the headers first.
#[allow(missing_debug_implementations)]
pub struct OpusStream {
    encoder: opus::Encoder,
    writer: PacketWriter<'static, Vec<u8>>,
    pending: Vec<i16>,
    /// The newest packet, held back so that the last one can close the stream.
    held: Option<Vec<u8>>,
    frames: u64,
    samples: u64,
    pre_skip: u64,
    lookahead: usize,
}

impl OpusStream {
    /// Starts a stream; `original_rate` is recorded in the header for information.
    pub fn new(original_rate: u32) -> Result<OpusStream, OpusError> {
        let mut encoder = opus::Encoder::new(OPUS_RATE, opus::Channels::Mono, opus::Application::Voip)?;
        encoder.set_bitrate(opus::Bitrate::Bits(BITRATE))?;
        let lookahead = usize::try_from(encoder.get_lookahead()?).unwrap_or(0);
        let pre_skip = lookahead as u64 * GRANULE_PER_SAMPLE;
        let mut writer = PacketWriter::new(Vec::new());
        let mut head = Vec::with_capacity(19);
        head.extend_from_slice(b"OpusHead");
        head.push(1); // version
        head.push(1); // channels
        head.extend_from_slice(&u16::try_from(pre_skip).unwrap_or(u16::MAX).to_le_bytes());
        head.extend_from_slice(&original_rate.to_le_bytes());
        head.extend_from_slice(&0i16.to_le_bytes()); // output gain
        head.push(0); // channel mapping family
        writer.write_packet(head, SERIAL, PacketWriteEndInfo::EndPage, 0)?;
        let vendor = concat!("lector ", env!("CARGO_PKG_VERSION"));
        let mut tags = Vec::new();
        tags.extend_from_slice(b"OpusTags");
        tags.extend_from_slice(&u32::try_from(vendor.len()).unwrap_or(0).to_le_bytes());
        tags.extend_from_slice(vendor.as_bytes());
        tags.extend_from_slice(&0u32.to_le_bytes());
        writer.write_packet(tags, SERIAL, PacketWriteEndInfo::EndPage, 0)?;
        Ok(OpusStream {
            encoder,
            writer,
            pending: Vec::new(),
            held: None,
            frames: 0,
            samples: 0,
            pre_skip,
            lookahead,
        })
    }

    /// The bytes written so far and not yet taken.
    fn take(&mut self) -> Vec<u8> {
        std::mem::take(self.writer.inner_mut())
    }

    fn encode_frame(&mut self, frame: &[i16]) -> Result<(), OpusError> {
        let mut packet = vec![0u8; 4000];
        let length = self.encoder.encode(frame, &mut packet)?;
        packet.truncate(length);
        if let Some(previous) = self.held.replace(packet) {
            self.frames += 1;
            let granule = self.frames * FRAME as u64 * GRANULE_PER_SAMPLE;
            self.writer.write_packet(previous, SERIAL, PacketWriteEndInfo::NormalPacket, granule)?;
        }
        Ok(())
    }

    /// Adds audio at [`OPUS_RATE`]; returns the bytes ready.
    pub fn push(&mut self, samples: &[i16]) -> Result<Vec<u8>, OpusError> {
        self.samples += samples.len() as u64;
        self.pending.extend_from_slice(samples);
        let whole = self.pending.len() / FRAME * FRAME;
        let ready: Vec<i16> = self.pending.drain(..whole).collect();
        for frame in ready.chunks(FRAME) {
            self.encode_frame(frame)?;
        }
        Ok(self.take())
    }

    /// Flushes the encoder's look-ahead with silence and closes the stream; the last granule
    /// position tells decoders where the audio really ends.
    pub fn finish(mut self) -> Result<Vec<u8>, OpusError> {
        let mut rest = std::mem::take(&mut self.pending);
        let frames = (rest.len() + self.lookahead).div_ceil(FRAME).max(1);
        rest.resize(frames * FRAME, 0);
        for frame in rest.chunks(FRAME) {
            self.encode_frame(frame)?;
        }
        if let Some(last) = self.held.take() {
            let granule = self.pre_skip + self.samples * GRANULE_PER_SAMPLE;
            self.writer.write_packet(last, SERIAL, PacketWriteEndInfo::EndStream, granule)?;
        }
        Ok(self.take())
    }
}

/// Band-limited resampling (windowed sinc, 32 taps): rate conversion without the metallic
/// images linear interpolation leaves. Not a speed change: duration is kept. The kernel is
/// tabulated once per phase of the rational rate ratio (160 phases from 22.05 to 24 kHz).
pub fn resample(samples: &[i16], from: u32, to: u32) -> Vec<i16> {
    const HALF_TAPS: i64 = 16;
    /// Ratios with more phases than this are approximated to this many.
    const MAX_PHASES: u64 = 4096;
    if from == to || from == 0 || to == 0 || samples.is_empty() {
        return samples.to_vec();
    }
    let divisor = gcd(u64::from(from), u64::from(to));
    let (mut down, mut up) = (u64::from(from) / divisor, u64::from(to) / divisor);
    if up > MAX_PHASES {
        down = (down * MAX_PHASES).div_ceil(up).max(1);
        up = MAX_PHASES;
    }
    // Below the lower Nyquist frequency, so that downsampling does not alias.
    let cutoff = (f64::from(to) / f64::from(from)).min(1.0);
    let taps = (2 * HALF_TAPS) as usize;
    let table: Vec<Vec<f64>> = (0..up)
        .map(|phase| {
            let fraction = phase as f64 / up as f64;
            let weights: Vec<f64> = (0..taps)
                .map(|t| {
                    let distance = fraction + (HALF_TAPS - 1 - t as i64) as f64;
                    let x = distance * cutoff;
                    let sinc = if x.abs() < 1e-9 {
                        1.0
                    } else {
                        (std::f64::consts::PI * x).sin() / (std::f64::consts::PI * x)
                    };
                    sinc * (0.5 + 0.5 * (std::f64::consts::PI * distance / HALF_TAPS as f64).cos())
                })
                .collect();
            let total: f64 = weights.iter().sum();
            weights.into_iter().map(|w| w / total).collect()
        })
        .collect();
    let length = (samples.len() as u64 * up / down) as usize;
    let last = samples.len() as i64 - 1;
    (0..length as u64)
        .map(|i| {
            let position = i * down;
            let centre = (position / up) as i64;
            let weights = &table[(position % up) as usize];
            let mut sum = 0.0;
            for (t, weight) in weights.iter().enumerate() {
                let k = (centre - HALF_TAPS + 1 + t as i64).clamp(0, last) as usize;
                sum += f64::from(samples[k]) * weight;
            }
            sum.round().clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
        })
        .collect()
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}
