"""Benchmarks: run on demand with `make bench`; every number is a ratio to a baseline measured
in the same process (these machines are shared and noisy)."""
