"""Benchmarks at GDELT scale, each against the tool an analyst would use instead (see ``bench/README.md``)."""
