"""HTTP shells over the service layer: one Starlette app (GraphQL and SPARQL join it later)."""
