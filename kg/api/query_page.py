"""The query page a browser gets at ``/sparql``: YASGUI from local files, saved queries as tabs.

YASGUI (`@triply/yasgui`, installed by ``make setup`` with ``npm ci`` from the top-level
``package.json``/``package-lock.json``) is served from ``node_modules``; nothing is loaded
from a CDN. The page removes the autocompleters that call other sites (prefix.cc for
prefixes, LOV for classes and properties), points every tab at this endpoint, and keeps no
state in the browser's storage, so each visit starts from the saved queries in ``queries/``.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass

from kg.api.offline_page import missing_note, page_head, script_json
from kg.namespaces import PREFIXES
from kg.resources import QUERIES_DIR, WEB_ASSETS, WEB_DIR

__all__ = ["YASGUI_ASSETS", "YASGUI_DIR", "SavedQuery", "query_page", "saved_queries"]

YASGUI_DIR = WEB_DIR / "@triply" / "yasgui" / "build"
YASGUI_ASSETS = {
    path.rsplit("/", 1)[1]: WEB_DIR / path for path in WEB_ASSETS if path.startswith("@triply/")
}
"""The only files the query page serves, by URL name."""


@dataclass(frozen=True)
class SavedQuery:
    """A query file of ``queries/``: its name (file stem), title (``# title:``) and text."""

    name: str
    title: str
    query: str


def saved_queries() -> list[SavedQuery]:
    """The saved queries, in file-name order.

    >>> any(q.name == "case-parties" and q.title for q in saved_queries())
    True
    """
    found = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = next(
            (
                line.removeprefix("# title:").strip()
                for line in text.splitlines()
                if line.startswith("# title:")
            ),
            path.stem,
        )
        found.append(SavedQuery(path.stem, title, text))
    return found


def query_page(endpoint: str, assets: str) -> str:
    """The HTML page: YASGUI on `endpoint`, its files under the URL path `assets`."""
    assets = assets.rstrip("/")
    config = {
        "endpoint": endpoint,
        "queries": [asdict(q) for q in saved_queries()],
        "prefixes": PREFIXES,
    }
    missing = missing_note(
        {k: v for k, v in YASGUI_ASSETS.items() if k.endswith((".js", ".css"))},
        "YASGUI",
        "query this endpoint with any SPARQL client",
    )
    head = page_head("tmkg — SPARQL", f"{assets}/yasgui.min.css", _STYLE)
    return head + _PAGE.format(
        assets=html.escape(assets), config=script_json(config), missing=missing
    )


_STYLE = """  body { font-family: system-ui, sans-serif; margin: 0 1rem; }
  header p { margin: .3rem 0 .8rem; color: #444; }
"""
_PAGE = """<body>
<header>
<h1>tmkg SPARQL endpoint</h1>
<p>The default graph is the union of all graphs (use <code>DISTINCT</code>: a fact stated by
several sources matches once per source); <code>GRAPH ?g</code> names the source. Prefixes
tm: id: schema: dcterms: prov: skos: owl: rdfs: rdf: xsd: are predeclared. Each tab is a saved
query from <code>queries/</code>; a link <code>/sparql#query=…</code> opens its query as the
first tab.</p>
{missing}
</header>
<div id="yasgui"></div>
<script id="tmkg-config" type="application/json">{config}</script>
<script src="{assets}/yasgui.min.js"></script>
<script>
(function () {{
  const config = JSON.parse(document.getElementById("tmkg-config").textContent);
  const endpoint = config.endpoint;
  // Only the autocompleter that stays on the page: "prefixes" fetches prefix.cc, "class" and
  // "property" call LOV.
  const local = ["variables"];
  Yasgui.Yasqe.defaults.autocompleters = local;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {{
    requestConfig: {{ endpoint: endpoint, method: "POST" }},
    endpointCatalogueOptions: {{ getData: function () {{ return [{{ endpoint: endpoint }}]; }} }},
    copyEndpointOnNewTab: true,
    persistenceId: null,
    autoAddOnInit: false,
    populateFromUrl: false,
    yasqe: {{ autocompleters: local }},
    // Results name IRIs by the endpoint's predeclared prefixes (tm:Company, id:party/amazon).
    yasr: {{ prefixes: config.prefixes }},
  }});
  // Tables show plain values ("2014", not "2014"^^xsd:gYear: the Simple view switch brings the
  // datatypes and language tags back) and whole IRIs (no ellipsis).
  const table = {{ compact: true, isEllipsed: false }};
  const results = {{ settings: {{ pluginsConfig: {{ table: table }} }} }};
  // A link may carry a query in the fragment (never sent to the server): /sparql#query=...
  // opens it as the first tab.
  const linked = new URLSearchParams(window.location.hash.slice(1)).get("query");
  if (linked) {{
    yasgui.addTab(true, {{
      name: "Linked query",
      yasqe: {{ value: linked }},
      yasr: results,
      requestConfig: {{ endpoint: endpoint, method: "POST" }},
    }});
  }}
  config.queries.forEach(function (q, i) {{
    yasgui.addTab(i === 0 && !linked, {{
      name: q.title,
      yasqe: {{ value: q.query }},
      yasr: results,
      requestConfig: {{ endpoint: endpoint, method: "POST" }},
    }});
  }});
  // tmkg's own IRIs in results open their resource page on this server (/id/...).
  document.addEventListener("click", function (event) {{
    const link = event.target.closest ? event.target.closest("a.iri") : null;
    const own = config.prefixes.id;
    if (link && link.href.indexOf(own) === 0) {{
      event.preventDefault();
      window.open("/id/" + link.href.slice(own.length), link.target || "_self");
    }}
  }});
  window.yasgui = yasgui;
}})();
</script>
</body>
</html>
"""
