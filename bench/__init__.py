"""Benchmarks: scripts that print figures and their ratios to baselines measured in the same run.

Each benchmark is a module `bench/<name>.py` with a `main(argv) -> int`; `python -m bench`
runs them all, `python -m bench <name> [options]` runs one.  They are not tests.
"""
