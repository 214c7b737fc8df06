"""Reproducible experiments built on the engine (optional dependencies such as torch)."""
