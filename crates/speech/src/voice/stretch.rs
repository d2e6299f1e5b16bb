//! Pitch-preserving time-stretch (WSOLA): speeds speech up without the chipmunk effect of
//! resampling. Used where an engine cannot go fast enough on its own.

/// Frame length and search tolerance, in milliseconds.
const FRAME_MS: u32 = 30;
const TOLERANCE_MS: u32 = 8;

/// Returns `samples` played `rate` times faster (rate > 1 shortens), pitch unchanged.
pub fn time_stretch(samples: &[i16], sample_rate: u32, rate: f32) -> Vec<i16> {
    if samples.is_empty() || (rate - 1.0).abs() < 1e-3 || rate <= 0.0 {
        return samples.to_vec();
    }
    let frame = ((sample_rate * FRAME_MS / 1000) as usize).max(16);
    let hop_out = frame / 2;
    let hop_in = (hop_out as f32 * rate).max(1.0);
    let tolerance = (sample_rate * TOLERANCE_MS / 1000) as usize;
    let input: Vec<f32> = samples.iter().map(|&s| f32::from(s)).collect();
    let window: Vec<f32> = (0..frame)
        .map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / frame as f32).cos())
        .collect();
    let frames = ((input.len() as f32 / hop_in).ceil() as usize).max(1);
    let mut output = vec![0f32; frames * hop_out + frame];
    let mut norm = vec![0f32; output.len()];
    // Where the previous frame was taken from; its natural continuation guides the search.
    let mut previous = 0usize;
    for k in 0..frames {
        let nominal = (k as f32 * hop_in) as usize;
        if nominal >= input.len() {
            break;
        }
        let best = if k == 0 {
            0
        } else {
            let target = previous + hop_out;
            let low = nominal.saturating_sub(tolerance);
            let high = (nominal + tolerance).min(input.len().saturating_sub(1));
            let mut best = nominal;
            let mut best_score = f32::MIN;
            for candidate in low..=high {
                let mut score = 0.0;
                for i in (0..hop_out).step_by(2) {
                    let a = input.get(target + i).copied().unwrap_or(0.0);
                    let b = input.get(candidate + i).copied().unwrap_or(0.0);
                    score += a * b;
                }
                if score > best_score {
                    best_score = score;
                    best = candidate;
                }
            }
            best
        };
        previous = best;
        let at = k * hop_out;
        for i in 0..frame {
            let sample = input.get(best + i).copied().unwrap_or(0.0);
            output[at + i] += sample * window[i];
            norm[at + i] += window[i];
        }
    }
    let length = ((samples.len() as f32 / rate).round() as usize).min(output.len());
    output[..length]
        .iter()
        .zip(&norm)
        .map(|(&s, &n)| {
            (if n > 1e-3 { s / n } else { s }).clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::time_stretch;

    /// The dominant period of a signal, by autocorrelation, in samples.
    fn period(samples: &[i16]) -> usize {
        let s: Vec<f64> = samples.iter().map(|&x| f64::from(x)).collect();
        (20..400)
            .max_by(|&a, &b| {
                let corr = |lag: usize| s.iter().zip(&s[lag..]).map(|(x, y)| x * y).sum::<f64>();
                corr(a).total_cmp(&corr(b))
            })
            .unwrap_or(0)
    }

    #[test]
    fn shorter_by_the_rate_with_the_same_pitch() {
        let rate = 22_050;
        // A 200 Hz tone for two seconds.
        let tone: Vec<i16> = (0..2 * rate)
            .map(|i| {
                ((i as f64 * 200.0 * 2.0 * std::f64::consts::PI / f64::from(rate)).sin() * 8000.0) as i16
            })
            .collect();
        let fast = time_stretch(&tone, rate, 1.5);
        let expected = tone.len() as f64 / 1.5;
        assert!((fast.len() as f64 - expected).abs() / expected < 0.02, "{} samples", fast.len());
        let middle = &fast[fast.len() / 3..fast.len() / 3 + 2000];
        let original = period(&tone[5000..7000]);
        assert!(period(middle).abs_diff(original) <= 2, "pitch moved: {} vs {original}", period(middle));
        assert_eq!(time_stretch(&tone, rate, 1.0), tone);
        assert!(time_stretch(&[], rate, 2.0).is_empty());
    }
}
