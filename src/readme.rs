//! Writes the Daily Papers README and issue digest, byte for byte (FORMAT.md §3–4).
