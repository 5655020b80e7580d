"""Writing results for people and other tools (CSV now; more formats build on this)."""
