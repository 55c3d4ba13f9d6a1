"""Analyses over the trademark graph: small modules of pure functions (similarity, usage,
conflicts, paths, priority, timeline)."""
