"""Demo data for trying the system out, and synthetic volume for benchmarks."""
