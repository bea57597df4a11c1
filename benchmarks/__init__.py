"""netinbox's benchmark harness: every figure is a ratio to a floor measured in the same run.

`python -m benchmarks` generates its own data in a temporary folder, runs netinbox and
each floor alternately several times and prints a table of medians (see `run.py`).

This package must stay import-free: the start-up child (`start_child.py`) is run with
`python -m benchmarks.start_child`, and whatever this file imports would count against
both sides of the start-up figure.
"""
