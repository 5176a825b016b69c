# Convenience targets; the README's commands are the reference.
.PHONY: bench bench-scale
bench:
	.venv/bin/python bench/run.py

# SYNTHETIC data at 1M and 10M triples (needs ~7 GB of disk and about 45 minutes on 2 cores).
bench-scale:
	.venv/bin/python bench/scale.py
