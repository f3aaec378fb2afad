"""explainbot's benchmark suite: every figure is a ratio against a bare baseline.

Run everything with ``python -m benchmarks`` (see ``benchmarks/README.md``).
"""
