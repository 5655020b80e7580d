"""Synthetic test worlds (no real people): seeded generators whose planted answers are known."""
