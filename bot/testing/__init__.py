"""Test support that runs real services (a throwaway Synapse) for tests, the demo and benchmarks."""
