# Convenience targets; the README's commands are the reference.
.PHONY: bench
bench:
	.venv/bin/python bench/run.py
