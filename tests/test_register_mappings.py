"""The scripts of docs/registry-import.md, "Registers in other layouts", as printed there: each
maps a JSON or gazette register to the CSV columns, on a small invented file of the layout
(tests/data/mapping-*) and on the real file of ../shared/real-registers/ when it is there; the
CSV imports with the real `kg import` into a fresh store, and three records are checked
against the source file (read here on its own, not through the script)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from defusedxml.ElementTree import parse

from kg import Analyst, KnowledgeGraph, Settings
from tests.conftest import DATA, run_kg

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-registers"
REG = "https://w3id.org/tmkg/id/registration/"
NICE = "https://w3id.org/tmkg/id/nice/"
KR_STATUS = {
    "등록": "registered",
    "실효": "ended",
    "거절": "refused",
    "출원": "pending",
    "공고": "published",
}


def section() -> str:
    text = (ROOT / "docs" / "registry-import.md").read_text(encoding="utf-8")
    start = text.index("<!-- section MAPPING")
    return text[start : text.index("<!-- end of section MAPPING -->", start)]


def snippets() -> dict[str, str]:
    """Script name -> code, for each ```python block whose first line is `# python NAME ...`."""
    found = {}
    for code in re.findall(r"```python\n(.*?)```", section(), flags=re.DOTALL):
        name = re.match(r"# python (\w+\.py) ", code)
        assert name, f"a snippet without its '# python NAME.py' line: {code[:60]!r}"
        found[name[1]] = code
    return found


@dataclass(frozen=True)
class Expected:
    """What one source record must become: its registration and values by property path."""

    iri: str
    values: dict[str, list[str]]


def day(text: str) -> str:
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}"


def roc(text: str) -> str:
    year, month, date = text.split(".")
    return f"{int(year) + 1911}-{month}-{date}"


def kipris_markcloud(path: Path) -> list[Expected]:
    records = json.loads(path.read_text(encoding="utf-8"))
    kept = [
        r
        for r in records
        if (r["productName"] or r["productNameEng"]) and "40" <= r["applicationNumber"][:2] <= "45"
    ]
    expected = []
    for record in kept[:3]:
        number = record["applicationNumber"]
        values = {
            "tm:mark/tm:text": [record["productName"] or record["productNameEng"]],
            "tm:applicationNumber": [number],
            "tm:filingDate": [day(record["applicationDate"])],
            "tm:niceClass": sorted(
                NICE + str(int(c)) for c in record["asignProductMainCodeList"] if len(c) == 2
            ),
            "tm:owner/schema:name": [f"owner not in the KIPRIS sample (KR {number})"],
            "tm:status": [KR_STATUS[record["registerStatus"]]],
        }
        if record["registrationNumber"]:
            values["tm:registrationNumber"] = [record["registrationNumber"][0]]
        expected.append(Expected(REG + f"kr-{number}", values))
    return expected


def kipris_plus(path: Path) -> list[Expected]:
    expected = []
    for item in list(parse(path).getroot().iter("TradeMarkInfo"))[:3]:
        field = {child.tag: (child.text or "").strip() for child in item}
        values = {
            "tm:mark/tm:text": [field["Title"]],
            "tm:owner/schema:name": [
                field["RegistrationRightholderName"] or field["ApplicantName"]
            ],
            "tm:filingDate": [day(field["ApplicationDate"])],
            "tm:niceClass": sorted(
                NICE + str(int(c)) for c in re.findall("[0-9]+", field["GoodClassificationCode"])
            ),
            "tm:status": [KR_STATUS[field["ApplicationStatus"]]],
        }
        if field["RegistrationNumber"]:
            values["tm:registrationNumber"] = [field["RegistrationNumber"]]
        expected.append(Expected(REG + f"kr-{field['ApplicationNumber']}", values))
    return expected


def iponz(path: Path) -> list[Expected]:
    records = json.loads(path.read_text(encoding="utf-8"))
    expected = []
    for record in [r for r in records if r["trademark"]["name"].strip()][:3]:
        classes = record["classifications"]
        expected.append(
            Expected(
                REG + f"nz-{record['binder']['applicationNo']}",
                {
                    "tm:mark/tm:text": [record["trademark"]["name"].strip()],
                    "tm:owner/schema:name": [record["applicant"]["name"]],
                    "tm:niceClass": sorted(NICE + str(c["classId"]) for c in classes),
                    "tm:goodsServices/tm:goodsServicesText": sorted(
                        " ".join(c["description"].split()) for c in classes
                    ),
                    # opposed applications: a pending status, never read as registered
                    "tm:status": ["opposed"],
                    "tm:registrationNumber": [],
                },
            )
        )
    return expected


def tipo_gazette(path: Path) -> list[Expected]:
    expected = []
    entries = parse(path).getroot().iter("RegContent")
    kept = [e for e in entries if e.findtext("Trademark_Name") not in ("設計圖", "標章圖")]
    for entry in kept[:3]:
        expected.append(
            Expected(
                REG + f"tw-{entry.findtext('CaseNo')}",
                {
                    "tm:mark/tm:text": [entry.findtext("Trademark_Name")],
                    "tm:registrationNumber": [entry.findtext("RegisterNo")],
                    "tm:filingDate": [roc(entry.findtext("Filing_Date"))],
                    "tm:registrationDate": [roc(entry.findtext("SDate"))],
                    "tm:expiryDate": [roc(entry.findtext("EDate"))],
                    "tm:owner/schema:name": sorted(
                        " ".join(e.text.split()) for e in entry.findall("RegContentOwner/AChinese")
                    ),
                    "tm:niceClass": sorted(
                        NICE + str(int(e.text))
                        for e in entry.findall("RegContentClassification/Class")
                    ),
                },
            )
        )
    return expected


def tipo_api(path: Path) -> list[Expected]:
    expected = []
    for entry in list(parse(path).getroot().iter("tmarkcontent"))[:3]:
        codes = [e.text for e in entry.findall("goodsclasses/goodsclass/goodsclass-code")]
        expected.append(
            Expected(
                REG + f"tw-{entry.findtext('appl-no')}",
                {
                    "tm:mark/tm:text": [entry.findtext("tmark-name")],
                    "tm:filingDate": [entry.findtext("appl-date").replace("/", "-")],
                    # names as the import states them: runs of spaces (U+3000 too) collapsed
                    "tm:owner/schema:name": sorted(
                        " ".join(e.text.split())
                        for e in entry.findall("parties/applicants/applicant/chinese-name")
                    ),
                    "tm:goodsServices/tm:goodsServicesClass/skos:notation": sorted(codes),
                    "tm:niceClass": [],
                    "tm:status": [],  # unknown: left empty, as the docs say
                },
            )
        )
    return expected


def euipo(path: Path) -> list[Expected]:
    marks = json.loads(path.read_text(encoding="utf-8"))
    expected = []
    for number, mark in [(n, m) for n, m in marks.items() if (m.get("Text") or "").strip()][:3]:
        codes = [f"{c[:2]}.{c[2:4]}.{c[4:]}" for c in mark["Codes"] if len(c) == 6]
        expected.append(
            Expected(
                REG + f"em-{number}",
                {
                    # runs of spaces read as one, in every format (kg.registries.record_text)
                    "tm:mark/tm:text": [" ".join(mark["Text"].split())],
                    "tm:filingDate": [mark["Date"]],
                    "tm:viennaCode": sorted(set(codes)),
                    "tm:markFeature": ["https://w3id.org/tmkg/id/mark-feature/figurative"],
                    "tm:owner/schema:name": [f"owner not in the EUIPO dataset (EM {number})"],
                    "tm:status": [],
                },
            )
        )
    return expected


@dataclass(frozen=True)
class Layout:
    script: str
    fixture: str
    real: str
    expected: Callable[[Path], list[Expected]]
    fixture_count: int
    real_count: int
    """Registrations imported from the real file, as the docs say."""
    fixture_report: tuple[str, ...]
    real_report: tuple[str, ...]
    """Lines the script prints (what it skipped and why, what it left unstated), with counts."""


LAYOUTS = [
    Layout(
        "kipris_markcloud_to_csv.py",
        "mapping-kipris-markcloud.json",
        "kipris-kr-markcloud-trademark_sample.json",
        kipris_markcloud,
        4,
        335,
        (
            ": 4 of 6 records",
            "skipped: 1 without a name; 1 not a mark application (type of right not 40-45",
            "not stated: 1 later registration numbers",
            "owners: none in the file; all 4 records have a placeholder owner",
        ),
        (
            ": 335 of 500 records",
            "skipped: 31 without a name; 134 not a mark application",
            "not stated: 2 later registration numbers",
            "all 335 records have a placeholder owner",
        ),
    ),
    Layout(
        "kipris_plus_to_csv.py",
        "mapping-kipris-plus.xml",
        "kipris-kr-plus-TradeMarkInfo.xml",
        kipris_plus,
        2,
        1,
        (": 2 records; skipped: 0 without a title",),
        (": 1 records; skipped: 0 without a title",),
    ),
    Layout(
        "iponz_to_csv.py",
        "mapping-iponz.json",
        "iponz-nz-oppositions-230.json",
        iponz,
        3,
        210,
        (
            ": 3 of 4 applications, status opposed",
            "skipped: 1 without words (Image marks); 1 written without a class",
        ),
        (
            ": 210 of 230 applications, status opposed",
            "skipped: 20 without words (Image marks); 0 written without a class",
        ),
    ),
    Layout(
        "tipo_gazette_to_csv.py",
        "mapping-tipo-gazette.xml",
        "tipo-tw-gazette-regcontent-index.xml",
        tipo_gazette,
        2,
        2366,
        (": 2 registrations", "skipped: 1 device marks without words (設計圖, 標章圖); 0 written"),
        (
            ": 2366 registrations",
            "skipped: 68 device marks without words (設計圖, 標章圖); 1 written",
        ),
    ),
    Layout(
        "tipo_api_to_csv.py",
        "mapping-tipo-api.xml",
        "tipo-tw-api-tmarkappl-sample.xml",
        tipo_api,
        3,
        25,
        (
            ": 3 applications; skipped: 0 without a name",
            "not stated: owner_country of 1 (an applicant without one); 1 classes without a text",
            "status: none in the answer; tmkg will read these 3 applications as registered",
        ),
        (
            ": 25 applications; skipped: 0 without a name",
            "status: none in the answer; tmkg will read these 25 applications as registered",
        ),
    ),
    Layout(
        "euipo_figurative_to_csv.py",
        "mapping-euipo-figurative.json",
        "euipo-figurative-trademarks2020-validation.json",
        euipo,
        3,
        17_981,
        (
            ": 3 of 4 marks; skipped: 1 without words",
            "not stated: 1 Vienna division codes (four digits)",
            "status: none in the dataset; tmkg will read these 3 marks as registered",
        ),
        (
            ": 17981 of 20000 marks; skipped: 2019 without words",
            "not stated: 515 Vienna division codes (four digits)",
        ),
    ),
]


def test_every_script_of_the_section_is_tested() -> None:
    assert sorted(snippets()) == sorted(layout.script for layout in LAYOUTS)


LONG_FILE, IMPORTED_ROWS = 5_000, 1_000
"""A mapped real file of more than LONG_FILE rows is checked whole (`kg import --check`, every
row read and validated) and imported as its first IMPORTED_ROWS: importing EUIPO's 17,981
marks took 35 s of the suite for what the check and a slice show."""


def map_and_import(
    layout: Layout, source: Path, tmp_path: Path, *, slice_long: bool = False
) -> tuple[Path, int, str]:
    """Run the docs' script on `source`, import its CSV: (store, registrations, script output).

    With `slice_long`, a CSV of more than LONG_FILE data rows is first checked whole, then its
    header and first IMPORTED_ROWS data rows are imported; the count returned is the whole
    file's, as checked."""
    script = tmp_path / layout.script
    script.write_text(snippets()[layout.script], encoding="utf-8")
    out = tmp_path / (source.stem + ".csv")
    mapped = subprocess.run(
        [sys.executable, str(script), str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert mapped.returncode == 0, mapped.stderr
    store = tmp_path / "store"
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    if slice_long and len(lines) > LONG_FILE + 1:
        checked = run_kg("import", "--store", store, "--check", out, check=True)
        whole = re.search(r"valid: .*: ([\d,]+) registrations?", checked.stdout)
        assert whole, checked.stdout + checked.stderr
        out.write_text("".join(lines[: IMPORTED_ROWS + 1]), encoding="utf-8")
    else:
        whole = None
    imported = run_kg("import", "--store", store, out, check=True)
    count = re.search(r"imported .*: ([\d,]+) registrations?", imported.stdout)
    assert count, imported.stdout + imported.stderr
    return store, int((whole or count)[1].replace(",", "")), mapped.stdout


def check_records(store: Path, expected: list[Expected]) -> None:
    assert expected  # three records, or all of a file that holds fewer
    graph = KnowledgeGraph.open(Settings(store_path=store))
    try:
        for record in expected:
            for path, values in record.values.items():
                rows = graph.query(f"SELECT DISTINCT ?v WHERE {{ <{record.iri}> {path} ?v }}")
                assert sorted(row["v"].value for row in rows) == values, (record.iri, path)
    finally:
        graph.close()


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.script for layout in LAYOUTS])
def test_the_script_maps_a_file_of_the_layout(layout: Layout, tmp_path: Path) -> None:
    source = DATA / layout.fixture
    store, count, printed = map_and_import(layout, source, tmp_path)
    assert count == layout.fixture_count
    check_records(store, layout.expected(source))
    for line in layout.fixture_report:
        assert line in printed, (line, printed)


# a real file of more than BIG_REAL_FILE records is checked by `-m slow` (the EUIPO sample's
# 20,000 took ~37 s of the default run's budget); its layout's fixture is checked above
BIG_REAL_FILE = 10_000
REAL_FILES = [
    pytest.param(
        layout,
        id=layout.script,
        marks=[pytest.mark.slow] if layout.real_count > BIG_REAL_FILE else [],
    )
    for layout in LAYOUTS
]


@pytest.mark.parametrize("layout", REAL_FILES)
def test_the_script_maps_the_real_file(layout: Layout, tmp_path: Path) -> None:
    source = REAL / layout.real
    if not source.is_file():
        pytest.skip(f"{source} is not there: the real office files are not on this machine")
    store, count, printed = map_and_import(layout, source, tmp_path, slice_long=True)
    assert count == layout.real_count
    check_records(store, layout.expected(source))
    for line in layout.real_report:
        assert line in printed, (line, printed)


def test_what_the_fixtures_hold_that_the_scripts_must_handle(tmp_path: Path) -> None:
    """Skips, second rows, joins and placeholders, on the invented files."""
    kipris = next(layout for layout in LAYOUTS if layout.script.startswith("kipris_markcloud"))
    owners = tmp_path / "owners.csv"
    # one number written with dashes (as KIPRIS shows it), one of a mark not in the sample
    owners.write_text(
        "application_number,owner\n40-2015-0000101,바람숲 주식회사\n4099990000999,Elsewhere Co.\n",
        "utf-8",
    )
    script = tmp_path / kipris.script
    script.write_text(snippets()[kipris.script], encoding="utf-8")
    out = tmp_path / "kr.csv"
    source = DATA / kipris.fixture
    mapped = subprocess.run(
        [sys.executable, str(script), source, out, owners],
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert (
        f"owners joined from {owners}: 1 records; 3 kept the placeholder;"
        " 1 of its 2 application numbers matched no record written\n"
    ) in mapped.stdout
    store = tmp_path / "store"
    run_kg("import", "--store", store, out, check=True)
    graph = KnowledgeGraph.open(Settings(store_path=store))
    try:

        def values(iri: str, path: str) -> list[str]:
            rows = graph.query(f"SELECT DISTINCT ?v WHERE {{ <{REG}{iri}> {path} ?v }}")
            return sorted(row["v"].value for row in rows)

        assert values("kr-4020150000101", "tm:owner/schema:name") == ["바람숲 주식회사"]
        assert values("kr-4020150000101", "tm:markTransliteration") == ["BARAMSUP"]
        assert values("kr-4020150000101", "tm:viennaCode") == ["05.03.01", "27.05.01"]
        assert values("kr-4020150000101", "tm:registrationNumber") == ["4011110000000"]
        assert values("kr-4020150000101", "tm:publicationDate") == ["2015-06-10"]
        # a Nice class and an old Korean class: two rows of one registration
        assert values("kr-4019940000202", "tm:niceClass") == [NICE + "9"]
        assert values(
            "kr-4019940000202", "tm:goodsServices/tm:goodsServicesClass/skos:notation"
        ) == ["112"]
        assert values("kr-4019940000202", "tm:status") == ["ended"]
        assert values("kr-4520200000303", "tm:status") == ["refused"]
        assert values("kr-4020210000404", "tm:mark") == []  # no words: skipped
        assert values("kr-5020160000606", "tm:mark") == []  # a later request: skipped
        assert values("kr-4020220000505", "tm:owner/schema:name") == [
            "owner not in the KIPRIS sample (KR 4020220000505)"
        ]
    finally:
        graph.close()


def test_a_join_that_matches_nothing_says_so(tmp_path: Path) -> None:
    """The KIPRIS Plus example's one mark is not in the sample: the script says it joined none."""
    kipris = next(layout for layout in LAYOUTS if layout.script.startswith("kipris_markcloud"))
    owners = tmp_path / "owners.csv"
    owners.write_text("application_number,owner\n4020190000011,Nobody Here Co.\n", "utf-8")
    script = tmp_path / kipris.script
    script.write_text(snippets()[kipris.script], encoding="utf-8")
    mapped = subprocess.run(
        [sys.executable, str(script), DATA / kipris.fixture, tmp_path / "kr.csv", owners],
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert (
        ": 0 records; 4 kept the placeholder; 1 of its 1 application numbers matched no record"
        " written (is it the same register?)"
    ) in mapped.stdout


HOLDERS = [
    # (script, mark asked, party, how who-else-uses holds it): applications by applicants
    ("iponz_to_csv.py", "RED CAT", "Red Cat Studio Limited", "APPLICANT"),
    ("iponz_to_csv.py", "KOWHAI GOLD", "Kowhai Example Limited", "APPLICANT"),
    ("kipris_plus_to_csv.py", "별무리", None, "APPLICANT"),
    (
        "kipris_markcloud_to_csv.py",
        "물결소리",
        "owner not in the KIPRIS sample (KR 4020220000505)",
        "APPLICANT",
    ),
    # registrations by registered owners
    (
        "kipris_plus_to_csv.py",
        "솔밭국수",
        "주식회사 예시식품 Example Foods Co., Ltd.",
        "REGISTERED_OWNER",
    ),
    ("tipo_gazette_to_csv.py", "青山茶坊", None, "REGISTERED_OWNER"),
    # no status in the source: what tmkg assumes, as the docs and the script say
    ("tipo_api_to_csv.py", "白鶴牌", None, "REGISTERED_OWNER"),
]


@pytest.mark.parametrize(("script", "mark", "party", "held"), HOLDERS, ids=[h[1] for h in HOLDERS])
def test_who_else_uses_holds_an_application_by_its_applicant(
    script: str, mark: str, party: str | None, held: str, tmp_path: Path
) -> None:
    layout = next(layout for layout in LAYOUTS if layout.script == script)
    store, _, _ = map_and_import(layout, DATA / layout.fixture, tmp_path)
    graph = KnowledgeGraph.open(Settings(store_path=store))
    try:
        hits = [hit for hit in Analyst(graph).who_else_uses(mark) if hit.mark.text == mark]
    finally:
        graph.close()
    assert hits, mark
    assert {hit.kind.value for hit in hits} == {held}
    if party is not None:
        assert {hit.party.name for hit in hits} == {party}


@pytest.mark.parametrize(
    ("script", "held"),
    [("iponz_to_csv.py", "APPLICANT"), ("tipo_api_to_csv.py", "REGISTERED_OWNER")],
)
def test_who_else_uses_on_the_real_file(script: str, held: str, tmp_path: Path) -> None:
    """The first records of the real file: IPONZ's opposed applications are held by their
    applicants; TIPO's 1951 applications, with no status, are read as registered (docs)."""
    layout = next(layout for layout in LAYOUTS if layout.script == script)
    source = REAL / layout.real
    if not source.is_file():
        pytest.skip(f"{source} is not there: the real office files are not on this machine")
    store, _, _ = map_and_import(layout, source, tmp_path)
    graph = KnowledgeGraph.open(Settings(store_path=store))
    try:
        analyst = Analyst(graph)
        for record in layout.expected(source):
            [mark] = record.values["tm:mark/tm:text"]
            hits = [hit for hit in analyst.who_else_uses(mark) if hit.mark.text == mark]
            assert {hit.kind.value for hit in hits} == {held}, mark
    finally:
        graph.close()
