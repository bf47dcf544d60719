"""Benchmarks: each compares tracegraph with a baseline measured in the same run."""
