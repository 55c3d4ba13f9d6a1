"""HTTP shells over the service layer: one Starlette app serving /graphql, /sparql, /report,
/load and the landing page, all over the same `KnowledgeGraph` and `Analyst`."""
