"""Benchmarks: `make bench` measures the app at practice scale against floors of the same run."""
