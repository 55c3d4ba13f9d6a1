"""Trademark office formats -> records -> quads: CSV/TSV, WIPO ST.66, synthetic."""
