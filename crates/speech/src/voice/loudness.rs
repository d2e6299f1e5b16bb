//! Loudness normalization: about -16 LUFS integrated (the podcast convention, EBU R 128
//! measurement), never past a true-peak ceiling.

/// Integrated loudness aimed at, in LUFS.
pub const TARGET_LUFS: f64 = -16.0;
/// True peak never exceeded, in dBTP.
pub const TRUE_PEAK_CEILING_DB: f64 = -1.0;

/// Integrated loudness (LUFS) and true peak (dBTP) of mono 16-bit audio; None when too
/// short or silent to measure.
pub fn measure(samples: &[i16], sample_rate: u32) -> Option<(f64, f64)> {
    let mut meter =
        ebur128::EbuR128::new(1, sample_rate, ebur128::Mode::I | ebur128::Mode::TRUE_PEAK).ok()?;
    meter.add_frames_i16(samples).ok()?;
    let loudness = meter.loudness_global().ok().filter(|l| l.is_finite())?;
    let peak = meter.true_peak(0).ok().filter(|p| *p > 0.0)?;
    Some((loudness, 20.0 * peak.log10()))
}

/// Scales the audio to the target loudness, with less gain where the true peak would pass
/// the ceiling. Audio too quiet or short to measure is left as it is.
pub fn normalize_loudness(samples: &mut [i16], sample_rate: u32) {
    let Some((loudness, peak_db)) = measure(samples, sample_rate) else { return };
    let gain_db = (TARGET_LUFS - loudness).min(TRUE_PEAK_CEILING_DB - peak_db);
    let gain = 10f64.powf(gain_db / 20.0);
    for sample in samples.iter_mut() {
        *sample = (f64::from(*sample) * gain).round().clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(amplitude: f64, seconds: u32, rate: u32) -> Vec<i16> {
        (0..seconds * rate)
            .map(|i| {
                (amplitude * (f64::from(i) * 440.0 * 2.0 * std::f64::consts::PI / f64::from(rate)).sin())
                    as i16
            })
            .collect()
    }

    #[test]
    fn quiet_audio_is_raised_to_the_target() {
        let mut quiet = tone(1000.0, 5, 22_050);
        normalize_loudness(&mut quiet, 22_050);
        let (loudness, peak) = measure(&quiet, 22_050).expect("measurable");
        assert!((loudness - TARGET_LUFS).abs() < 0.5, "{loudness} LUFS");
        assert!(peak <= TRUE_PEAK_CEILING_DB + 0.05, "{peak} dBTP");
    }

    #[test]
    fn peaks_stay_under_the_ceiling() {
        // A loud click in quiet audio: reaching -16 LUFS would clip it, so the gain stops short.
        let mut audio = tone(300.0, 5, 22_050);
        audio[50_000] = 30_000;
        normalize_loudness(&mut audio, 22_050);
        let (_, peak) = measure(&audio, 22_050).expect("measurable");
        assert!(peak <= TRUE_PEAK_CEILING_DB + 0.05, "{peak} dBTP");
        let mut silence = vec![0i16; 22_050];
        normalize_loudness(&mut silence, 22_050);
        assert!(silence.iter().all(|&s| s == 0));
    }
}
