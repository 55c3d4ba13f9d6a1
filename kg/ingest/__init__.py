"""Files in: parse -> validate (SHACL) -> commit to the store, atomically."""
