"""Audio decoding and format detection."""
