"""Data shipped with kolmap (the synthetic sample and its generator)."""
