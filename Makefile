# Convenience targets; the README's commands are the reference.
.PHONY: bench bench-scale bench-search bench-abuse
bench:
	.venv/bin/python bench/run.py

# SYNTHETIC data at 1M and 10M triples (needs ~7 GB of disk and about 45 minutes on 2 cores).
bench-scale:
	.venv/bin/python bench/scale.py

# Search index build time and p50 latency over the test queries (tests/search_cases.py).
bench-search:
	.venv/bin/python bench/search.py

# The endpoint under attack (issue 15): about 3 minutes; --soak-seconds 600 for the 10-minute soak.
bench-abuse:
	.venv/bin/python bench/abuse.py
