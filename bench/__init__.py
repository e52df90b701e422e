"""StageCoach benchmarks (GitHub issue 7): `python -m bench.run` prints one table and writes bench/RESULTS.md."""
