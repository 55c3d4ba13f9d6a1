"""The command line: `kg` parses flags, calls the service layer, prints.

`kg.cli.main` is the parser and the commands of the core; `analysis`, `registry` and `report`
hold the commands of their layers; `output` renders tables and query results.
"""

from kg.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
