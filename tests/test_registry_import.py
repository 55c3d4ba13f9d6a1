"""Registry import: CSV/TSV and ST.66 round trips, bad-input corpora that leave the store
unchanged, safe XML parsing, and the real `kg import`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import Analyst, KGError, KnowledgeGraph, ParseError, ValidationError
from kg.registries.importer import import_registry, mark_iri, read_registry
from tests.conftest import DATA, all_quads, run_kg

CSV = DATA / "registry-sample.csv"
ST66 = DATA / "registry-sample-st66.xml"
HEADER = "mark,owner,classes,jurisdiction,filing_date,registration_date,number,status\n"
ST66_NS = "http://www.wipo.int/standards/XMLSchema/ST66"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def trademark(body: str, applicant: str = "Acme Ltd") -> str:
    """One ST.66 TradeMark element; `body` holds its fields."""
    applicants = (
        "<ApplicantDetails><Applicant><ApplicantAddressBook><FormattedNameAddress><Name>"
        "<FreeFormatName><FreeFormatNameDetails><FreeFormatNameLine>"
        f"{applicant}</FreeFormatNameLine></FreeFormatNameDetails></FreeFormatName></Name>"
        "</FormattedNameAddress></ApplicantAddressBook></Applicant></ApplicantDetails>"
        if applicant
        else ""
    )
    return f"<TradeMark>\n{body}\n{applicants}\n</TradeMark>"


def st66(*trademarks: str, namespace: str | None = ST66_NS, prolog: str = "") -> str:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<Transaction{xmlns}>\n'
        "<TradeMarkTransactionBody><TransactionContentDetails><TransactionData>\n"
        "<TradeMarkDetails>\n" + "\n".join(trademarks) + "\n</TradeMarkDetails>\n"
        "</TransactionData></TransactionContentDetails></TradeMarkTransactionBody>\n"
        "</Transaction>\n"
    )


GOOD_FIELDS = (
    "<RegistrationOfficeCode>CN</RegistrationOfficeCode>"
    "<ApplicationNumber>123</ApplicationNumber>"
    "<WordMarkSpecification><MarkVerbalElementText>ACME</MarkVerbalElementText>"
    "</WordMarkSpecification>"
)


# ------------------------------------------------------------------ round trips


def test_csv_round_trip_finds_the_imported_marks(disk_graph: KnowledgeGraph) -> None:
    report = import_registry(disk_graph, [CSV])
    assert report.records == 7 and report.quads_added == report.quads_read > 80
    hits = Analyst(disk_graph).who_else_uses("KAIROVEX", nice_class=42, jurisdiction="US")
    assert [hit.row()["party"] for hit in hits] == ["Kairovex, Inc."]
    row = hits[0].row()
    assert row["holdings"].endswith("/registration/us-6051234")
    assert row["sources"] == "registry-sample.csv"
    rows = disk_graph.query(
        """SELECT ?date (DATATYPE(?date) AS ?type) ?status WHERE {
             <https://w3id.org/tmkg/id/registration/de-302016000123>
                 tm:filingDate ?date ; tm:status ?status }"""
    )
    [(date, kind, status)] = [(r["date"].value, r["type"].value, r["status"].value) for r in rows]
    assert (date, kind.rsplit("#")[1], status) == ("2016-05", "gYearMonth", "pending")


def test_one_mark_per_distinct_text(disk_graph: KnowledgeGraph) -> None:
    import_registry(disk_graph, [CSV])
    rows = disk_graph.query("SELECT DISTINCT ?m WHERE { ?r tm:mark ?m . ?m tm:text 'KAIROVEX' }")
    assert [row["m"].value for row in rows] == [mark_iri("KAIROVEX")]
    texts = {
        row["t"].value
        for row in disk_graph.query(
            "SELECT ?t WHERE { ?m tm:text ?t FILTER(CONTAINS(LCASE(?t), 'imbus')) }"
        )
    }
    assert texts == {"NIMBUSTACK", "Nimbustack"}  # case differs: two marks, compared by similarity
    assert mark_iri("NIMBUSTACK") != mark_iri("Nimbustack")


def test_st66_round_trip(disk_graph: KnowledgeGraph) -> None:
    report = import_registry(disk_graph, [ST66])
    assert report.records == 3 and not report.warnings
    hits = Analyst(disk_graph).who_else_uses("YUNHAIXING", nice_class=42, jurisdiction="CN")
    assert [(h.row()["party"], h.row()["mark"]) for h in hits] == [
        ("北京云海星科技有限公司", "云海星")
    ]
    rows = disk_graph.query(
        """SELECT ?n ?name ?filed WHERE {
             <https://w3id.org/tmkg/id/registration/de-302019012345> tm:niceClass ?c ;
                 tm:owner/schema:name ?name ; tm:filingDate ?filed . ?c tm:classNumber ?n
           } ORDER BY ?n"""
    )
    got = [(int(r["n"].value), r["name"].value, r["filed"].value) for r in rows]
    assert got == [
        (9, "Velorixa Software GmbH", "2019-06-03"),
        (42, "Velorixa Software GmbH", "2019-06-03"),
    ]
    names = disk_graph.query(
        "SELECT ?name WHERE { <https://w3id.org/tmkg/id/registration/us-90123456> tm:owner/schema:name ?name }"
    )
    assert [r["name"].value for r in names] == ["Yunhaixing Cloud Holdings LLC"]


def test_graph_and_source_are_linked_in_the_default_graph(disk_graph: KnowledgeGraph) -> None:
    import_registry(disk_graph, [CSV], source_title="Example register extract")
    rows = disk_graph.query(
        """SELECT ?g ?title WHERE {
             GRAPH ?g { <https://w3id.org/tmkg/id/registration/cn-5000001> a tm:Registration }
             ?g a tm:SourceGraph ; prov:wasDerivedFrom ?s . ?s a tm:Source ; dcterms:title ?title }"""
    )
    assert [(r["g"].value, r["title"].value) for r in rows] == [
        ("https://w3id.org/tmkg/id/graph/import/registry-sample", "Example register extract")
    ]


def test_graph_option_and_tsv(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    text = "mark\towner\tnumber\tclasses\nZEPHYRA\tZephyra AG\t42-17\t9 42\n"
    path = write(tmp_path, "extract.txt", text)
    report = import_registry(
        disk_graph, [path], format_name="tsv", jurisdiction="ch", graph_iri="https://example.org/g"
    )
    assert report.records == 1
    iri = "https://w3id.org/tmkg/id/"
    assert disk_graph.ask(
        f"""ASK {{ GRAPH <https://example.org/g> {{
              <{iri}registration/ch-42-17> tm:jurisdiction <{iri}jurisdiction/CH> ;
                  tm:niceClass <{iri}nice/9>, <{iri}nice/42> }} }}"""
    )


@pytest.mark.parametrize(
    ("graph", "message"),
    [
        ("not an iri", "is not an absolute IRI"),
        ("relative/path", "is not an absolute IRI"),
        ("https://w3id.org/tmkg/id/graph/reference", "tmkg's own reference data"),
        ("https://w3id.org/tmkg/id/graph/ontology", "tmkg's own reference data"),
    ],
)
def test_a_graph_option_that_cannot_hold_the_facts_is_refused(
    disk_graph: KnowledgeGraph, tmp_path: Path, graph: str, message: str
) -> None:
    """``--graph`` not an IRI (a traceback before), or one of the graphs tmkg brings back to
    the shipped reference data at each opening (the import was accepted, then lost): a
    `ParseError` naming the option, nothing written, and the same from `kg import`."""
    path = write(tmp_path, "extract.csv", "mark,owner,classes,number\nBOMMARK,Bom Ltd,9,B1\n")
    before = all_quads(disk_graph)
    with pytest.raises(ParseError, match=message) as caught:
        import_registry(disk_graph, [path], jurisdiction="GB", graph_iri=graph)
    assert str(caught.value).startswith("--graph: ")
    assert all_quads(disk_graph) == before
    store = tmp_path / "cli-store"
    result = run_kg("--store", store, "import", path, "--jurisdiction", "GB", "--graph", graph)
    assert result.returncode == 4, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_importing_twice_adds_nothing(disk_graph: KnowledgeGraph) -> None:
    first = import_registry(disk_graph, [CSV, ST66])
    before = all_quads(disk_graph)
    second = import_registry(disk_graph, [CSV, ST66])
    assert first.quads_added > 0 and second.quads_added == 0
    assert all_quads(disk_graph) == before


def test_another_file_of_the_same_name_is_added_with_a_warning(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    """A second file named as an earlier one goes into the same graph, beside its facts
    (docs/registry-import.md): the import says so, since a registration whose owner it
    changes then has both owners (a trial, session 35). The same file again, or a file of
    another name, says nothing."""
    lines = CSV.read_text(encoding="utf-8").splitlines()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write(tmp_path / "a", "tw.csv", "\n".join(lines) + "\n")
    changed = "\n".join([lines[0], lines[1].replace("Nimbustack Cloud Ltd", "Other Owner BV")])
    second = write(tmp_path / "b", "tw.csv", changed + "\n")
    other = write(tmp_path, "tw-update.csv", changed.replace("Other Owner", "Third Owner") + "\n")
    assert not any("same name" in w for w in import_registry(disk_graph, [first]).warnings)
    assert not any("same name" in w for w in import_registry(disk_graph, [first]).warnings)
    report = import_registry(disk_graph, [second])
    assert report.quads_added > 0
    (warning,) = [w for w in report.warnings if "same name" in w]
    assert warning.startswith(f"{second}: ") and "id/graph/import/tw" in warning
    assert not any("same name" in w for w in import_registry(disk_graph, [other]).warnings)
    assert not any("same name" in w for w in import_registry(disk_graph, [second]).warnings)


@pytest.mark.parametrize("title", ["", "   "])
def test_an_empty_source_title_is_refused_as_kg_load_refuses_it(
    disk_graph: KnowledgeGraph, title: str
) -> None:
    """`--source-title ''` fell back to the file name without a word (a trial, session 35)."""
    before = all_quads(disk_graph)
    with pytest.raises(KGError, match="--source-title is empty"):
        import_registry(disk_graph, [CSV], source_title=title)
    assert all_quads(disk_graph) == before


def test_check_writes_nothing(disk_graph: KnowledgeGraph) -> None:
    before = all_quads(disk_graph)
    report = import_registry(disk_graph, [CSV, ST66], check=True)
    assert report.quads_read > 0 and report.quads_added == 0
    assert all_quads(disk_graph) == before


def test_uspto_style_st66(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    """USPTO's ST.66: the older namespace, extension elements, applicants beside the
    TradeMarkDetails listing the chain of title (current owner first)."""
    applicant = (
        "<Applicant><ApplicantAddressBook><FormattedNameAddress><Name><FreeFormatName>"
        "<FreeFormatNameDetails><FreeFormatNameLine sequenceNumber='1'>{}</FreeFormatNameLine>"
        "</FreeFormatNameDetails></FreeFormatName></Name></FormattedNameAddress>"
        "</ApplicantAddressBook></Applicant>"
    )
    text = (
        '<?xml version="1.0"?>\n<Transaction xmlns:ns2="urn:us:gov:doc:uspto:trademark:status" '
        'xmlns="http://www.wipo.int/standards/XMLSchema/trademarks"><TradeMarkTransactionBody>'
        "<TransactionContentDetails><TransactionData><TradeMarkDetails><TradeMark>"
        "<RegistrationOfficeCode>US</RegistrationOfficeCode><ApplicationNumber>78002299</ApplicationNumber>"
        "<ApplicationDate>2000-04-03-04:00</ApplicationDate><RegistrationNumber>2713476</RegistrationNumber>"
        "<MarkCurrentStatusCode>800</MarkCurrentStatusCode><WordMarkSpecification>"
        "<MarkVerbalElementText>MYSQL</MarkVerbalElementText></WordMarkSpecification>"
        "<GoodsServicesDetails><GoodsServices><ClassDescriptionDetails><ClassDescription>"
        "<ClassNumber>009</ClassNumber><ClassDescriptionExt><ns2:PrimeClassText>999</ns2:PrimeClassText>"
        "</ClassDescriptionExt></ClassDescription></ClassDescriptionDetails></GoodsServices>"
        "</GoodsServicesDetails></TradeMark></TradeMarkDetails><ApplicantDetails>"
        + applicant.format("MySQL AB")
        + applicant.format("T.C.X DataKonsult AB")
        + "</ApplicantDetails></TransactionData></TransactionContentDetails>"
        "</TradeMarkTransactionBody></Transaction>"
    )
    import_registry(disk_graph, [write(tmp_path, "uspto.xml", text)])
    rows = disk_graph.query(
        """SELECT ?name ?number ?status ?c WHERE {
             <https://w3id.org/tmkg/id/registration/us-78002299> tm:owner/schema:name ?name ;
                 tm:registrationNumber ?number ; tm:status ?status ; tm:niceClass ?c }"""
    )
    got = [(r["name"].value, r["number"].value, r["status"].value, r["c"].value) for r in rows]
    assert got == [("MySQL AB", "2713476", "800", "https://w3id.org/tmkg/id/nice/9")]


def test_unnamespaced_st66_and_default_jurisdiction(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    fields = GOOD_FIELDS.replace("<RegistrationOfficeCode>CN</RegistrationOfficeCode>", "")
    path = write(tmp_path, "plain.xml", st66(trademark(fields), namespace=None))
    assert import_registry(disk_graph, [path], jurisdiction="JP").records == 1
    assert disk_graph.ask(
        "ASK { <https://w3id.org/tmkg/id/registration/jp-123> tm:jurisdiction ?j }"
    )


def test_figurative_marks_are_skipped_with_a_warning(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    figurative = trademark(
        "<RegistrationOfficeCode>CN</RegistrationOfficeCode><ApplicationNumber>9</ApplicationNumber>"
        "<MarkFeature>Figurative</MarkFeature>"
    )
    path = write(tmp_path, "mixed.xml", st66(trademark(GOOD_FIELDS), figurative))
    report = import_registry(disk_graph, [path])
    assert report.records == 1
    skipped = [warning for warning in report.warnings if "skipped" in warning]
    assert len(skipped) == 1 and "mixed.xml: 1 record: skipped: a TradeMark without" in skipped[0]
    assert skipped[0].endswith("(figurative) (e.g. line 9 application 9)")
    assert any("names no Nice class" in warning for warning in report.warnings)  # SHACL's


def test_progress_bar_on_large_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(
        f"MARK{i},Owner {i % 97},9,CN,2001-02-03,,{i},registered\n" for i in range(25_000)
    )
    path = write(tmp_path, "big.csv", HEADER + rows)
    assert path.stat().st_size > 1 << 20
    imported = read_registry(path, progress=True)
    assert imported.records == 25_000
    assert "big.csv" in capsys.readouterr().err


def test_st66_is_streamed_with_a_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marks = [
        trademark(GOOD_FIELDS.replace(">123<", f">{n}<").replace("ACME", f"ACME {n}"))
        for n in range(2_500)
    ]
    path = write(tmp_path, "big.xml", st66(*marks))
    assert path.stat().st_size > 1 << 20
    assert read_registry(path, progress=True).records == 2_500
    assert "big.xml" in capsys.readouterr().err


# ------------------------------------------------------------------ bad input leaves the store unchanged

BAD_CSV = [
    (
        "unknown-jurisdiction",
        HEADER + "A,B,9,XX,,,1,\n",
        'registry.csv:2:4: jurisdiction: unknown jurisdiction "XX"',
    ),
    ("uk-is-gb", HEADER + "A,B,9,UK,,,1,\n", "the ISO 3166-1 code of the United Kingdom is GB"),
    (
        "class-0",
        HEADER + "A,B,0,CN,,,1,\n",
        'registry.csv:2:3: classes: "0" is not a Nice class (1-45)',
    ),
    (
        "class-46",
        HEADER + "A,B,9;46,CN,,,1,\n",
        'registry.csv:2:3: classes: "46" is not a Nice class (1-45)',
    ),
    ("class-not-a-number", HEADER + "A,B,9a,CN,,,1,\n", '"9a" is not a Nice class'),
    (
        "month-13",
        HEADER + "A,B,9,CN,2008-13-01,,1,\n",
        'registry.csv:2:5: filing_date: "2008-13-01" is not a date',
    ),
    (
        "february-30",
        HEADER + "A,B,9,CN,,2008-02-30,1,\n",
        'registry.csv:2:6: registration_date: "2008-02-30" is not a date',
    ),
    ("not-iso", HEADER + "A,B,9,CN,31/12/2008,,1,\n", '"31/12/2008" is not a date'),
    (
        "missing-field",
        HEADER + "A,B,9,CN,,,1\n",
        "registry.csv:2: the row has 7 fields, the header 8",
    ),
    (
        "no-number",
        HEADER + "A,B,9,CN,,,,\n",
        "registry.csv:2:7: number: empty, a value is required",
    ),
    ("no-owner", HEADER + "A, ,9,CN,,,1,\n", "registry.csv:2:2: owner: empty"),
    (
        "no-number-column",
        "mark,owner,jurisdiction\nA,B,CN\n",
        "registry.csv:1: missing column(s): number",
    ),
    (
        "typo-column",
        "mark,owner,number,jurisdiction,filling_date\nA,B,1,CN,2001\n",
        'registry.csv:1:5: unknown column "filling_date" (did you mean "filing_date"?',
    ),
    (
        "no-jurisdiction",
        "mark,owner,number\nA,B,1\n",
        "missing column(s): jurisdiction (or pass --jurisdiction)",
    ),
    ("empty-file", "", "registry.csv: empty file: a header row is required"),
    (
        "duplicate",
        HEADER + "A,B,9,CN,,,1,\nC,B,9,CN,,,1,\n",
        "registry.csv:3: registration CN-1 is already on line 2 with other values",
    ),
    (
        "not-utf8",
        (HEADER + "A,B,9,CN,,,1,\nCaf\xe9,B,9,CN,,,2,\n").encode("latin-1"),
        "registry.csv:3:4: byte 0xe9 is not UTF-8: tmkg reads CSV as UTF-8 only",
    ),
    (
        "unterminated-quote",
        HEADER + 'A,"B,9,CN,,,1,\n',
        "registry.csv:2: a quoted field opened in the record starting on this line is never closed",
    ),
    (  # named where it opened, not at the end of the file it swallowed
        "unterminated-quote-inside",
        HEADER + 'A,B,9,CN,,,1,\nC,"D\nE,9,CN,,,2,\nF,G,9,CN,,,3,\nH,I,9,CN,,,4,\n',
        "registry.csv:3: a quoted field opened in the record starting on this line is never closed",
    ),
    (
        "quote-then-text",
        HEADER + 'A,"B" Ltd,9,CN,,,1,\n',
        "registry.csv:2: malformed CSV: ',' expected after '\"'",
    ),
    *(
        (
            f"{encoding}-without-bom",
            (HEADER + "A,B,9,CN,,,1,\n").encode(encoding.lower()),
            f"registry.csv:1:{column}: NUL bytes between the characters: the text looks"
            f" {encoding}: tmkg reads CSV as UTF-8 only (save the file as UTF-8, e.g. with"
            f" iconv -f {encoding} -t UTF-8)",
        )
        for encoding, column in (("UTF-16LE", 2), ("UTF-16BE", 1), ("UTF-32LE", 2))
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [case[1:] for case in BAD_CSV], ids=[c[0] for c in BAD_CSV]
)
def test_bad_csv_is_refused_and_nothing_is_written(
    disk_graph: KnowledgeGraph, tmp_path: Path, text: str | bytes, message: str
) -> None:
    good = write(tmp_path, "good.csv", HEADER + "FINE,Fine Ltd,9,CN,,,77,\n")
    bad = write(tmp_path, "registry.csv", text)
    before = all_quads(disk_graph)
    with pytest.raises(ParseError) as caught:
        import_registry(disk_graph, [good, bad])
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")
    assert all_quads(disk_graph) == before


def test_every_bad_value_of_a_file_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", HEADER + "A,B,46,CN,,,1,\nC,,9,XX,,,2,\n")
    with pytest.raises(ParseError) as caught:
        read_registry(path)
    lines = str(caught.value).splitlines()
    assert lines[0].endswith('r.csv:2:3: classes: "46" is not a Nice class (1-45)')
    assert lines[1] == "2 more error(s):"
    assert lines[2].endswith("r.csv:3:2: owner: empty, a value is required")
    assert lines[3].endswith(
        'r.csv:3:4: jurisdiction: unknown jurisdiction "XX": not an ISO 3166-1 alpha-2 country code'
    )


LAUGHS = (
    "<!DOCTYPE Transaction [\n"
    '<!ENTITY lol "lol">\n'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
    "]>\n"
)
EXTERNAL = '<!DOCTYPE Transaction [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'

BAD_XML = [
    (
        "billion-laughs",
        st66(trademark(GOOD_FIELDS.replace("ACME", "&lol3;")), prolog=LAUGHS),
        "registry.xml:2:23: a DOCTYPE is refused",
    ),
    (
        "external-entity",
        st66(trademark(GOOD_FIELDS.replace("ACME", "&xxe;")), prolog=EXTERNAL),
        "registry.xml:2:23: a DOCTYPE is refused",
    ),
    (
        "external-dtd",
        st66(
            trademark(GOOD_FIELDS),
            prolog='<!DOCTYPE Transaction SYSTEM "http://127.0.0.1:9/st66.dtd">\n',
        ),
        'a DOCTYPE (external DTD "http://127.0.0.1:9/st66.dtd") is refused',
    ),
    (
        "not-well-formed",
        st66(trademark(GOOD_FIELDS + "<Oops>")),
        "registry.xml:8:3: not well-formed XML: mismatched tag",
    ),
    (
        "other-namespace-root",  # any namespace is read, but the root must be Transaction
        '<?xml version="1.0"?>\n<Register xmlns="urn:example"><TradeMark/></Register>\n',
        "registry.xml: not a register file tmkg reads: the root element is <Register> in namespace "
        "urn:example, none of",
    ),
    (
        "no-application-number",
        st66(trademark(GOOD_FIELDS.replace("<ApplicationNumber>123</ApplicationNumber>", ""))),
        "registry.xml:5: TradeMark without an ApplicationNumber",
    ),
    (
        "class-46",
        st66(
            trademark(
                GOOD_FIELDS + "\n<GoodsServicesDetails><GoodsServices><ClassDescriptionDetails>"
                "<ClassDescription>\n<ClassNumber>46</ClassNumber></ClassDescription>"
                "</ClassDescriptionDetails></GoodsServices></GoodsServicesDetails>"
            )
        ),
        'registry.xml:8: ClassNumber: "46" is not a Nice class (1-45)',
    ),
    (
        "class-0",
        st66(
            trademark(
                GOOD_FIELDS + "\n<GoodsServicesDetails><GoodsServices><ClassDescriptionDetails>"
                "<ClassDescription><ClassNumber>0</ClassNumber></ClassDescription>"
                "</ClassDescriptionDetails></GoodsServices></GoodsServicesDetails>"
            )
        ),
        '"0" is not a Nice class',
    ),
    (
        "bad-date",
        st66(trademark(GOOD_FIELDS + "\n<ApplicationDate>2019-02-29</ApplicationDate>")),
        'registry.xml:7: ApplicationDate: "2019-02-29" is not a date',
    ),
    (
        "office-eu",
        st66(trademark(GOOD_FIELDS.replace(">CN<", ">EU<"))),
        'registry.xml:6: RegistrationOfficeCode: unknown jurisdiction "EU": the WIPO ST.3 code of EU trade marks (EUIPO) is EM',
    ),
    (
        "no-office",
        st66(
            trademark(
                GOOD_FIELDS.replace("<RegistrationOfficeCode>CN</RegistrationOfficeCode>", "")
            )
        ),
        "TradeMark without a RegistrationOfficeCode (pass --jurisdiction)",
    ),
    (
        "no-applicant",
        st66(trademark(GOOD_FIELDS, applicant="")),
        "registry.xml:5: TradeMark without an Applicant",
    ),
    (
        "nameless-applicant",
        st66(trademark(GOOD_FIELDS, applicant=" ")),
        "Applicant without FreeFormatNameLine or OrganizationName",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [case[1:] for case in BAD_XML], ids=[c[0] for c in BAD_XML]
)
def test_bad_st66_is_refused_and_nothing_is_written(
    disk_graph: KnowledgeGraph, tmp_path: Path, text: str, message: str
) -> None:
    good = write(tmp_path, "good.xml", st66(trademark(GOOD_FIELDS)))
    bad = write(tmp_path, "registry.xml", text)
    before = all_quads(disk_graph)
    with pytest.raises(ParseError) as caught:
        import_registry(disk_graph, [good, bad])
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")
    assert all_quads(disk_graph) == before


def test_entity_expansion_is_refused_before_any_expansion(tmp_path: Path) -> None:
    """A document whose expansion would take gigabytes fails at once, not by exhaustion."""
    levels = ['<!ENTITY e0 "' + "x" * 100 + '">']
    levels += [f'<!ENTITY e{n} "' + f"&e{n - 1};" * 10 + '">' for n in range(1, 10)]
    prolog = "<!DOCTYPE Transaction [\n" + "\n".join(levels) + "\n]>\n"
    path = write(
        tmp_path, "bomb.xml", st66(trademark(GOOD_FIELDS.replace("ACME", "&e9;")), prolog=prolog)
    )
    with pytest.raises(ParseError, match="refused"):
        read_registry(path)


def test_shacl_rules_apply_to_imports(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    """A registration the store already holds with another mark, in the same graph (a second
    import graph's state would replace the first's: see test_import_history.py): only the shapes
    can tell."""
    one = "https://example.org/one-extract"
    first = write(tmp_path, "first.csv", HEADER + "ALPHA,A Ltd,9,CN,,,1,\n")
    import_registry(disk_graph, [first], graph_iri=one)
    before = all_quads(disk_graph)
    second = write(tmp_path, "second.csv", HEADER + "BETA,B Ltd,9,CN,,,1,\n")
    with pytest.raises(ValidationError) as caught:
        import_registry(disk_graph, [second], graph_iri=one)
    text = str(caught.value)
    assert text.startswith(f"{second}: 1 SHACL violation")
    assert (
        f"{second}:2: id:registration/cn-1 tm:mark: a registration needs exactly one tm:mark"
        in text
    )
    assert all_quads(disk_graph) == before


def test_usage_errors(disk_graph: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(KGError, match="nothing to import"):
        import_registry(disk_graph, [])
    with pytest.raises(ParseError, match=r"JSON registers .* have no standard layout"):
        import_registry(disk_graph, [write(tmp_path, "x.json", "{}")])
    with pytest.raises(ParseError, match=r'unknown registry format \(extension "\.txt"\)'):
        import_registry(disk_graph, [write(tmp_path, "x.txt", "{}")])
    with pytest.raises(KGError, match='--jurisdiction: unknown jurisdiction "ZZ"'):
        import_registry(disk_graph, [CSV], jurisdiction="ZZ")


# ------------------------------------------------------------------ the real executable


def test_kg_import_executable(store_path: Path, tmp_path: Path) -> None:
    checked = run_kg("import", "--store", store_path, "--check", CSV, ST66, check=True)
    assert "valid:" in checked.stdout and "10 registrations" in checked.stdout
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?r a tm:Registration }"
    assert run_kg("query", "--store", store_path, count, "--format", "csv").stdout.split()[1] == "0"
    done = run_kg(
        "import", "--store", store_path, CSV, ST66, "--source-title", "Sample", check=True
    )
    assert "10 registrations" in done.stdout and "new" in done.stdout
    assert (
        run_kg("query", "--store", store_path, count, "--format", "csv").stdout.split()[1] == "10"
    )
    again = run_kg("import", "--store", store_path, CSV, "--source-title", "Sample", check=True)
    assert again.stdout.rstrip().endswith(" 0 new")
    bad = write(tmp_path, "bad.csv", HEADER + "A,B,46,CN,,,1,\n")
    failed = run_kg("import", "--store", store_path, bad)
    assert failed.returncode == 4
    assert failed.stderr.startswith(f'kg: error: {bad}:2:3: classes: "46" is not a Nice class')


@pytest.mark.parametrize("format_name", [None, "st66", "st96", "uspto", "madrid"])
@pytest.mark.parametrize("content", ["", "  \n\t"])
def test_an_empty_xml_file_is_refused_whatever_its_format(
    disk_graph: KnowledgeGraph, tmp_path: Path, format_name: str | None, content: str
) -> None:
    path = write(tmp_path, "empty.xml", content)
    before = all_quads(disk_graph)
    with pytest.raises(ParseError, match=r"the file is empty \((0 bytes|only white space)\)"):
        import_registry(disk_graph, [path], format_name=format_name)
    assert all_quads(disk_graph) == before


def _zip(path: Path, members: dict[str, str]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("plain.xml", lambda p: p.write_text("hello, not XML"), "the content is not XML"),
        ("data.xml", lambda p: p.write_bytes(b"\x00\x01binary"), "the content is not XML"),
        ("fake.zip", lambda p: p.write_text("not a zip"), "named .zip but is not a zip archive"),
        ("noxml.zip", lambda p: _zip(p, {"a.txt": "x"}), "a zip archive with no .xml member"),
        (
            "other.zip",
            lambda p: _zip(p, {"b.xml": '<foo xmlns="urn:x"/>'}),
            "the root element of its member b.xml is <foo> in namespace urn:x, none of",
        ),
        ("gazette.xml", lambda p: p.write_text("<RegContent/>"), "root element is <RegContent>"),
    ],
)
def test_a_file_that_is_no_register_says_what_it_is(
    tmp_path: Path, name: str, make: object, said: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    with pytest.raises(ParseError) as caught:
        read_registry(path)
    assert said in str(caught.value)
    assert "Registers in other layouts" in str(caught.value)


def test_every_xml_format_has_a_reader() -> None:
    from kg.registries import importer, plans

    assert set(importer._XML_READERS) == plans.XML_FORMATS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEADER + "A\\rB,B,9,CN,,,1,\n",
            "registry.csv:2: malformed CSV: a carriage return (CR) alone",
        ),
        (
            HEADER + 'A,B,9,CN,,,1,\nC,"' + "x" * 140_000 + '\nD",9,CN,,,2,\n',
            "registry.csv:3: malformed CSV: a field of the record starting on this line is longer than 131,072 characters",
        ),
    ],
    ids=["bare-cr", "huge-field"],
)
def test_csv_errors_say_what_and_where_in_words(tmp_path: Path, text: str, message: str) -> None:
    bad = write(tmp_path, "registry.csv", text.replace("\\r", "\r"))
    with pytest.raises(ParseError) as caught:
        read_registry(bad)
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")


@pytest.mark.parametrize("mark", ["\x0b", "\x0c"], ids=["vertical-tab", "form-feed"])
def test_a_vertical_tab_or_form_feed_is_a_line_break_read_as_a_space(
    tmp_path: Path, mark: str
) -> None:
    path = write(tmp_path, "r.csv", HEADER + f"ACME,Owner{mark}Co,9,CN,,,1,\n")
    names = {
        q.object.value for q in read_registry(path).quads if q.predicate.value.endswith("/name")
    }
    assert "Owner Co" in names and not any(mark in name for name in names)


@pytest.mark.parametrize("mark_first", [True, False])
def test_files_of_one_import_writing_into_each_others_graphs_are_no_earlier_import(
    disk_graph: KnowledgeGraph, mark_first: bool
) -> None:
    """A TMview mark file writes the parties of the applicant file given beside it into that
    file's graph: in a new store, nothing was imported before (helper-114 F1: the warning
    came when the mark file was named first)."""
    from tests.test_import_sources import GB_APPLICANT, GB_MARK

    files = [GB_MARK, GB_APPLICANT] if mark_first else [GB_APPLICANT, GB_MARK]
    report = import_registry(disk_graph, files)
    assert report.quads_added > 0
    assert not any("same name" in w for w in report.warnings), report.warnings
