"""The query side: SPARQL in confined worker processes, the endpoint's service."""
