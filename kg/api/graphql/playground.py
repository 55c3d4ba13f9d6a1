"""The GraphQL playground a browser gets at ``/graphql``: GraphiQL from local files.

GraphiQL 3 with React 18 (UMD builds, the last that ship as plain files) is installed by
``make setup`` with ``npm ci`` from the top-level ``package.json``/``package-lock.json`` and
served from ``node_modules`` under ``/graphql/static/``; nothing comes from a CDN. Each
example of ``queries/*.graphql`` opens in its own tab (in the order of the root fields) with
its variables filled in for the seed case. GraphiQL keeps its tabs in memory only, so every
visit starts from the examples.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from graphql import OperationDefinitionNode, parse
from starlette.routing import Route

from kg.api.graphql.schema import ROOT_FIELDS
from kg.api.offline_page import asset_route, missing_note, page_head, script_json
from kg.resources import QUERIES_DIR, WEB_ASSETS, WEB_DIR

__all__ = ["ASSETS", "ExampleQuery", "example_queries", "playground_page", "static_route"]

ASSETS = {
    path.rsplit("/", 1)[1]: WEB_DIR / path
    for path in WEB_ASSETS
    if path.split("/", 1)[0] in ("graphiql", "react", "react-dom")
}
"""The only files the playground serves, by URL name."""


@dataclass(frozen=True)
class ExampleQuery:
    """A ``queries/*.graphql`` file: its header (title, description, variables) and text.

    The header is the file's leading ``# key: value`` comment lines; ``variables`` is JSON.
    """

    name: str
    title: str
    description: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)

    @property
    def root_field(self) -> str:
        """The root field the query's (first) operation asks for first."""
        document = parse(self.query)
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        first = operation.selection_set.selections[0]
        return first.name.value  # type: ignore[attr-defined]


def example_queries() -> list[ExampleQuery]:
    """The example GraphQL queries, in file-name order.

    >>> any(q.name == "who-else-uses" and q.variables["mark"] == "AWS" for q in example_queries())
    True
    """
    found = []
    for path in sorted(QUERIES_DIR.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        header: dict[str, str] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, _, value = line.lstrip("# ").partition(":")
            if value:
                header[key.strip()] = value.strip()
        variables = json.loads(header.get("variables", "{}"))
        found.append(
            ExampleQuery(
                name=path.stem,
                title=header.get("title", path.stem),
                description=header.get("description", ""),
                query=text,
                variables=variables,
            )
        )
    return found


def playground_page(endpoint: str, assets: str) -> str:
    """The HTML page: GraphiQL on `endpoint`, its files under the URL path `assets`."""
    assets = assets.rstrip("/")
    order = {name: i for i, name in enumerate(ROOT_FIELDS)}
    ordered = sorted(example_queries(), key=lambda q: (order.get(q.root_field, len(order)), q.name))
    examples = [
        {**asdict(q), "variables": json.dumps(q.variables, ensure_ascii=False, indent=2)}
        for q in ordered
    ]
    items = "".join(
        f"<li><strong>{html.escape(q['title'])}</strong> — {html.escape(q['description'])}</li>"
        for q in examples
    )
    missing = missing_note(
        ASSETS, "GraphiQL", "POST queries to this endpoint with any GraphQL client"
    )
    head = page_head("tmkg — GraphQL", f"{assets}/graphiql.min.css", _STYLE)
    return head + _PAGE.format(
        assets=html.escape(assets),
        config=script_json({"endpoint": endpoint, "examples": examples}),
        items=items,
        missing=missing,
    )


def static_route(prefix: str) -> Route:
    """The route serving `ASSETS` under `prefix` (e.g. ``/graphql/static``); nothing else."""
    return asset_route(prefix, ASSETS)


_STYLE = """  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
  header { padding: .4rem 1rem; border-bottom: 1px solid #ddd; }
  header h1 { font-size: 1.1rem; margin: .2rem 0; }
  header details { font-size: .85rem; color: #333; }
  header ul { margin: .3rem 0; }
  #graphiql { flex: 1; min-height: 0; }
  /* More tabs than fit: the bar scrolls (a visible thin scrollbar; the wheel scrolls it). */
  .graphiql-tabs { scrollbar-width: thin; }
  .graphiql-tab { flex-shrink: 0; }
"""
_PAGE = """<body>
<header>
<h1>tmkg GraphQL playground</h1>
<details><summary>Each tab is an example from <code>queries/*.graphql</code>, its variables
set for the seed case (the AWS dispute); press ▶ to run it. The Docs pane lists every
field. A link <code>/graphql#query=…&amp;variables=…</code> opens its question as the first
tab.</summary><ul>{items}</ul></details>
{missing}
</header>
<div id="graphiql">Loading GraphiQL…</div>
<script id="tmkg-config" type="application/json">{config}</script>
<script src="{assets}/react.production.min.js"></script>
<script src="{assets}/react-dom.production.min.js"></script>
<script src="{assets}/graphiql.min.js"></script>
<script>
(function () {{
  const config = JSON.parse(document.getElementById("tmkg-config").textContent);
  // Tabs live in memory: a stored session would hide the examples on the next visit.
  const memory = new Map();
  const storage = {{
    getItem: function (key) {{ return memory.has(key) ? memory.get(key) : null; }},
    setItem: function (key, value) {{ memory.set(key, String(value)); }},
    removeItem: function (key) {{ memory.delete(key); }},
    clear: function () {{ memory.clear(); }},
    key: function (i) {{ return Array.from(memory.keys())[i] || null; }},
    get length() {{ return memory.size; }},
  }};
  const tabs = config.examples.map(function (q) {{
    return {{ query: q.query, variables: q.variables }};
  }});
  // A link may carry a question in the fragment (never sent to the server):
  // /graphql#query=...&variables=... opens it as the first tab.
  const linked = new URLSearchParams(window.location.hash.slice(1));
  if (linked.get("query")) {{
    tabs.unshift({{ query: linked.get("query"), variables: linked.get("variables") || "{{}}" }});
  }}
  // A mouse wheel over the tab bar scrolls it sideways, so every tab can be reached.
  document.addEventListener("wheel", function (event) {{
    const bar = event.target.closest ? event.target.closest(".graphiql-tabs") : null;
    if (bar && event.deltaY && bar.scrollWidth > bar.clientWidth) {{
      bar.scrollLeft += event.deltaY;
      event.preventDefault();
    }}
  }}, {{ passive: false }});
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {{
      fetcher: GraphiQL.createFetcher({{ url: config.endpoint }}),
      defaultTabs: tabs,
      // GraphiQL 3 takes the first tab's variables from this prop, not from defaultTabs.
      variables: tabs.length ? tabs[0].variables : undefined,
      storage: storage,
      defaultEditorToolsVisibility: "variables",
      shouldPersistHeaders: false,
    }})
  );
}})();
</script>
</body>
</html>
"""
