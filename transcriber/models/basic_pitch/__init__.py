"""Basic Pitch (ICASSP 2022) ported to PyTorch."""
