"""The reliability suite at full size (`make soak`; brief §5): `python -m tests.soak`."""
