"""`guardchat bench ...`: benchmarks whose figures go into docs/benchmarks.md."""
