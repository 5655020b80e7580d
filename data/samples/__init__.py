"""The bundled synthetic sample (no real people) and the seeded generator that makes it."""
