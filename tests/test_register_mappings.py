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

from kg import KnowledgeGraph, Settings
from tests.conftest import DATA, run_kg

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-registers"
REG = "https://w3id.org/tmkg/id/registration/"
NICE = "https://w3id.org/tmkg/id/nice/"


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
            "tm:status": ["registered" if field["ApplicationStatus"] == "등록" else "pending"],
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
                    "tm:mark/tm:text": [mark["Text"].strip()],
                    "tm:filingDate": [mark["Date"]],
                    "tm:viennaCode": sorted(set(codes)),
                    "tm:markFeature": ["https://w3id.org/tmkg/id/mark-feature/figurative"],
                    "tm:owner/schema:name": [f"owner not in the EUIPO dataset (EM {number})"],
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


LAYOUTS = [
    Layout(
        "kipris_markcloud_to_csv.py",
        "mapping-kipris-markcloud.json",
        "kipris-kr-markcloud-trademark_sample.json",
        kipris_markcloud,
        3,
        335,
    ),
    Layout(
        "kipris_plus_to_csv.py",
        "mapping-kipris-plus.xml",
        "kipris-kr-plus-TradeMarkInfo.xml",
        kipris_plus,
        2,
        1,
    ),
    Layout("iponz_to_csv.py", "mapping-iponz.json", "iponz-nz-oppositions-230.json", iponz, 2, 210),
    Layout(
        "tipo_gazette_to_csv.py",
        "mapping-tipo-gazette.xml",
        "tipo-tw-gazette-regcontent-index.xml",
        tipo_gazette,
        2,
        2366,
    ),
    Layout(
        "tipo_api_to_csv.py",
        "mapping-tipo-api.xml",
        "tipo-tw-api-tmarkappl-sample.xml",
        tipo_api,
        3,
        25,
    ),
    Layout(
        "euipo_figurative_to_csv.py",
        "mapping-euipo-figurative.json",
        "euipo-figurative-trademarks2020-validation.json",
        euipo,
        3,
        17_981,
    ),
]


def test_every_script_of_the_section_is_tested() -> None:
    assert sorted(snippets()) == sorted(layout.script for layout in LAYOUTS)


def map_and_import(layout: Layout, source: Path, tmp_path: Path) -> tuple[Path, int, str]:
    """Run the docs' script on `source`, import its CSV: (store, registrations, script output)."""
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
    imported = run_kg("import", "--store", store, out, check=True)
    count = re.search(r"imported .*: (\d+) registrations", imported.stdout)
    assert count, imported.stdout + imported.stderr
    return store, int(count[1]), mapped.stdout


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
    store, count, _ = map_and_import(layout, source, tmp_path)
    assert count == layout.fixture_count
    check_records(store, layout.expected(source))


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.script for layout in LAYOUTS])
def test_the_script_maps_the_real_file(layout: Layout, tmp_path: Path) -> None:
    source = REAL / layout.real
    if not source.is_file():
        pytest.skip(f"{source} is not there: the real office files are not on this machine")
    store, count, _ = map_and_import(layout, source, tmp_path)
    assert count == layout.real_count
    check_records(store, layout.expected(source))


def test_what_the_fixtures_hold_that_the_scripts_must_handle(tmp_path: Path) -> None:
    """Skips, second rows, joins and placeholders, on the invented files."""
    kipris = next(layout for layout in LAYOUTS if layout.script.startswith("kipris_markcloud"))
    owners = tmp_path / "owners.csv"
    owners.write_text("application_number,owner\n4020150000101,바람숲 주식회사\n", "utf-8")
    script = tmp_path / kipris.script
    script.write_text(snippets()[kipris.script], encoding="utf-8")
    out = tmp_path / "kr.csv"
    source = DATA / kipris.fixture
    subprocess.run([sys.executable, str(script), source, out, owners], check=True, timeout=120)
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
    finally:
        graph.close()
