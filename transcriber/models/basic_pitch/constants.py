"""Fixed dimensions of the Basic Pitch ICASSP 2022 model and its time grid."""

SAMPLE_RATE_HZ = 22050
HOP_SAMPLES = 256
# The network runs on fixed windows of 2 s minus one hop, as it was trained.
WINDOW_SAMPLES = SAMPLE_RATE_HZ * 2 - HOP_SAMPLES
FRAMES_PER_SECOND = SAMPLE_RATE_HZ // HOP_SAMPLES
WINDOW_FRAMES = FRAMES_PER_SECOND * 2
# Consecutive windows overlap by this many output frames; half is trimmed on each side.
OVERLAP_FRAMES = 30
OVERLAP_SAMPLES = OVERLAP_FRAMES * HOP_SAMPLES
WINDOW_HOP_SAMPLES = WINDOW_SAMPLES - OVERLAP_SAMPLES

LOWEST_PITCH_MIDI = 21
N_PITCHES = 88
CONTOUR_BINS_PER_SEMITONE = 3
N_CONTOUR_BINS = N_PITCHES * CONTOUR_BINS_PER_SEMITONE
LOWEST_FREQUENCY_HZ = 27.5

CQT_BINS_PER_OCTAVE = 12 * CONTOUR_BINS_PER_SEMITONE
CQT_OCTAVES = 9
CQT_KERNEL_TAPS = 256
# The CQT keeps only the top bins of its 9 octaves (the lowest 15 fall below the piano).
CQT_KEPT_BINS = 309
HARMONICS = (0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0)
