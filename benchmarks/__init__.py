"""netinbox's benchmark harness: what the user sees, each figure against a floor measured
in the same run.

`python -m benchmarks` generates its own data in a temporary folder, drives the real
`netinbox` command and bare Textual apps in a pseudo-terminal, runs the command-line
figures, and prints a table (see `run.py`).

This package must stay import-free: the floors (`bare.py`, `import_floor.py`, `peak.py`)
run as `python -m benchmarks.<module>`, and whatever this file imports would count
against them.
"""
