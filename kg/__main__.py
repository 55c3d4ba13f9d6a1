"""``python -m kg``: the `kg` command (`kg.cli.main`), for an environment without its script."""

from kg.cli.main import main

raise SystemExit(main())
