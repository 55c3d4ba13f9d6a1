"""CSV/TSV columns real extracts need (issue 14): numbers, status, dates, kind of mark, Vienna
codes, several owners in one cell or in repeated rows, goods and services texts, national
classes, first use, priority claims, translations, transliterations, disclaimers,
representatives; a streamed reader whose warnings are counted by kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import KnowledgeGraph, ParseError
from kg.registries.csv import COLUMNS, DEFAULT_LANGUAGE, read_csv
from kg.registries.importer import import_registry
from kg.registries.records import RegistryRecord, RowErrors
from tests.conftest import DATA

EXAMPLE = DATA / "registry-columns.csv"
BASE = {"mark": "ACME", "owner": "Acme Ltd", "jurisdiction": "CN", "number": "1"}
REG = "https://w3id.org/tmkg/id/registration/"


def csv_text(*rows: dict[str, str], delimiter: str = ",") -> str:
    """A header naming every column the rows use (BASE's first), then the rows."""
    columns = list(BASE)
    for row in rows:
        columns += [column for column in row if column not in columns]
    lines = [delimiter.join(columns)]
    for row in rows:
        cells = []
        for column in columns:
            value = {**BASE, **row}.get(column, "")
            if delimiter == "," and any(c in value for c in ',"\n'):
                value = '"' + value.replace('"', '""') + '"'
            cells.append(value)
        lines.append(delimiter.join(cells))
    return "\n".join(lines) + "\n"


def read(
    tmp_path: Path, text: str, name: str = "r.csv", delimiter: str = ","
) -> tuple[list[RegistryRecord], RowErrors, list[str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    errors = RowErrors(str(path))
    records, tally = read_csv(path, delimiter, None, errors)
    found = list(records)
    return found, errors, tally.lines()


def one(tmp_path: Path, **row: str) -> RegistryRecord:
    found, errors, _ = read(tmp_path, csv_text(row))
    assert not errors, errors.errors
    [record] = found
    return record


def error(tmp_path: Path, **row: str) -> str:
    """The message of the first bad value of a one-row file, as `kg import` prints it."""
    found, errors, _ = read(tmp_path, csv_text(row))
    assert found == []
    with pytest.raises(ParseError) as caught:
        errors.raise_if_any()
    return str(caught.value).replace(str(tmp_path) + "/", "").splitlines()[0]


def column_of(name: str, **row: str) -> int:
    """The 1-based column `csv_text` gives `name` in a file of `row`."""
    columns = list(BASE) + [column for column in row if column not in BASE]
    return columns.index(name) + 1


# ------------------------------------------------------------------ numbers, status, dates


def test_application_and_registration_numbers(tmp_path: Path) -> None:
    record = one(tmp_path, application_number="88123456", registration_number="6234567")
    assert (record.application_number, record.registration_number) == ("88123456", "6234567")
    assert record.record_id == "number 1"
    granted = one(tmp_path, registration_date="2009-02-14")
    assert (granted.application_number, granted.registration_number) == (None, "1")
    pending = one(tmp_path, status="pending")
    assert (pending.application_number, pending.registration_number) == ("1", None)


def test_status_and_status_code_as_written(tmp_path: Path) -> None:
    record = one(tmp_path, status="Registered", status_code="800", status_date="2020-12-01")
    assert (record.status, record.status_code, record.status_date.value) == (
        "Registered",
        "800",
        "2020-12-01",
    )
    assert one(tmp_path, status_code="602").status is None


DATE_COLUMNS = [
    "filing_date",
    "registration_date",
    "status_date",
    "expiry_date",
    "renewal_date",
    "publication_date",
    "first_used_date",
    "first_used_commerce_date",
]


@pytest.mark.parametrize("column", DATE_COLUMNS)
@pytest.mark.parametrize(
    ("value", "kind"), [("2019-01-15", "date"), ("2019-01", "gYearMonth"), ("2019", "gYear")]
)
def test_dates_keep_their_precision(tmp_path: Path, column: str, value: str, kind: str) -> None:
    date = getattr(one(tmp_path, **{column: value}), column)
    assert (date.value, date.datatype.value.rsplit("#")[1]) == (value, kind)


@pytest.mark.parametrize("column", DATE_COLUMNS)
@pytest.mark.parametrize("value", ["31/12/2008", "2008-02-30", "2008-13", "soon", "20190115"])
def test_bad_dates_name_file_line_and_column(tmp_path: Path, column: str, value: str) -> None:
    where = column_of(column, **{column: value})
    assert error(tmp_path, **{column: value}) == (
        f'r.csv:2:{where}: {column}: "{value}" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)'
    )


# ------------------------------------------------------------------ kind of mark, Vienna codes


@pytest.mark.parametrize(
    "value", ["Word", "figurative", "STANDARD CHARACTER MARK", "3D", "Combined", "sound"]
)
def test_mark_feature_values_tmkg_knows(tmp_path: Path, value: str) -> None:
    assert one(tmp_path, mark_feature=value).mark_feature == value


@pytest.mark.parametrize("value", ["Wrod", "logo", "2-D"])
def test_unknown_mark_feature_is_an_error(tmp_path: Path, value: str) -> None:
    message = error(tmp_path, mark_feature=value)
    assert message.startswith(
        f'r.csv:2:5: mark_feature: "{value}" is not a kind of mark tmkg knows (Word,'
    )


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("26.01.11", ("26.01.11",)),
        ("260111 | 02.01.01", ("26.01.11", "02.01.01")),
        ("260111;260410, 260111", ("26.01.11", "26.04.10")),
        ("29.01.13 01.01.01", ("29.01.13", "01.01.01")),
    ],
)
def test_vienna_codes(tmp_path: Path, value: str, codes: tuple[str, ...]) -> None:
    assert one(tmp_path, vienna_codes=value).vienna_codes == codes


@pytest.mark.parametrize("value", ["26.1.11", "30.01.01", "2601", "00.01.01", "26.01.11a"])
def test_bad_vienna_codes(tmp_path: Path, value: str) -> None:
    assert error(tmp_path, vienna_codes=value).startswith(
        "r.csv:2:5: vienna_codes: "
    ) and "is not a Vienna code (26.01.11 or 260111)" in error(tmp_path, vienna_codes=value)


# ------------------------------------------------------------------ owners


def test_co_owners_in_one_cell(tmp_path: Path) -> None:
    record = one(
        tmp_path,
        owner="PRO MERITAGE INTERNATIONAL CO., LTD | 秦範丙 |  Smith;  Jones & Co",
        owner_kind="company | person | company",
        owner_country="tw|TW|gb",
    )
    assert [(o.name, o.kind, o.country) for o in record.owners] == [
        ("PRO MERITAGE INTERNATIONAL CO., LTD", "company", "TW"),
        ("秦範丙", "person", "TW"),
        ("Smith; Jones & Co", "company", "GB"),
    ]


def test_one_owner_kind_and_country_for_every_owner(tmp_path: Path) -> None:
    record = one(tmp_path, owner="A Ltd | B Ltd", owner_kind="company", owner_country="DE")
    assert [(o.kind, o.country) for o in record.owners] == [("company", "DE"), ("company", "DE")]
    assert [o.kind for o in one(tmp_path, owner="A | B").owners] == [None, None]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"owner": "A Ltd || B Ltd"}, 'r.csv:2:2: owner: an empty name between "|" separators'),
        ({"owner": "A Ltd |"}, 'r.csv:2:2: owner: an empty name between "|" separators'),
        (
            {"owner": "A | B | C", "owner_kind": "person | company"},
            "r.csv:2:5: owner_kind: 2 values for 3 owner(s): give one, or one per owner",
        ),
        (
            {"owner_kind": "individual"},
            'r.csv:2:5: owner_kind: "individual" is not an owner kind (person or company)',
        ),
        (
            {"owner": "A | B", "owner_country": "DE | UK"},
            'r.csv:2:5: owner_country: unknown jurisdiction "UK": the ISO 3166-1 code of the '
            "United Kingdom is GB",
        ),
    ],
)
def test_bad_owner_cells(tmp_path: Path, row: dict[str, str], message: str) -> None:
    assert error(tmp_path, **row) == message


def test_repeated_rows_are_each_a_record(tmp_path: Path) -> None:
    """The reader yields every row; merging them is the importer's (tested below)."""
    text = csv_text(
        {"owner": "A Ltd", "classes": "25", "goods_services": "clothing"},
        {"owner": "B GmbH", "classes": "35", "goods_services": "retail of clothing"},
    )
    found, errors, _ = read(tmp_path, text)
    assert not errors
    assert [(r.line, r.owners[0].name, r.classes) for r in found] == [
        (2, "A Ltd", (25,)),
        (3, "B GmbH", (35,)),
    ]


# ------------------------------------------------------------------ goods and services


def test_goods_services_of_one_class(tmp_path: Path) -> None:
    record = one(tmp_path, classes="9", goods_services="  downloadable   software ")
    [entry] = record.goods_services
    assert (entry.nice, entry.national) == (9, None)
    assert [(t.text, t.language) for t in entry.texts] == [
        ("downloadable software", DEFAULT_LANGUAGE)
    ]


def test_goods_services_per_class_in_one_cell(tmp_path: Path) -> None:
    record = one(
        tmp_path,
        classes="9;42",
        goods_services="9: software: namely, apps | 042 : hosting; cloud",
        goods_services_language="en",
    )
    assert [(g.nice, g.texts[0].text, g.texts[0].language) for g in record.goods_services] == [
        (9, "software: namely, apps", "en"),
        (42, "hosting; cloud", "en"),
    ]
    # Without a classes cell, the texts' classes are the registration's.
    assert one(tmp_path, goods_services="3: soap | 5: plasters").classes == (3, 5)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"classes": "9;42", "goods_services": "software"},
            "goods_services: the row has 2 classes: give each class's text as \"9: text | "
            '42: text", or one row per class',
        ),
        (
            {"goods_services": "software"},
            'goods_services: a text needs its class: one class in "classes", or "9: text"',
        ),
        (
            {"classes": "9", "goods_services": "12: cars"},
            "goods_services: class 12 is not among the row's classes",
        ),
        (
            {"classes": "9;42", "goods_services": "9: software | hosting"},
            'goods_services: "hosting" does not start with its class ("9: ...")',
        ),
        ({"goods_services": "46: tea"}, 'goods_services: "46" is not a Nice class (1-45)'),
        (
            {"classes": "9", "goods_services": "x", "goods_services_language": "en_US"},
            'goods_services_language: "en_US" is not a BCP 47 language tag',
        ),
    ],
)
def test_bad_goods_services(tmp_path: Path, row: dict[str, str], message: str) -> None:
    where = column_of(message.split(":")[0], **row)
    assert error(tmp_path, **row).startswith(f"r.csv:2:{where}: {message}")


def test_national_classes(tmp_path: Path) -> None:
    record = one(
        tmp_path,
        class_scheme="National",
        classes="032 | 271",
        goods_services="032: 美髮霜商品。 | 271: 各支棉紗商品。",
        goods_services_language="zh-Hant",
    )
    assert (record.classes, record.national_classes) == ((), ("032", "271"))
    assert [(g.nice, g.national, g.texts[0].text) for g in record.goods_services] == [
        (None, "032", "美髮霜商品。"),
        (None, "271", "各支棉紗商品。"),
    ]
    assert one(tmp_path, class_scheme="nice", classes="009").classes == (9,)
    assert one(tmp_path, class_scheme="national", classes="009").national_classes == ("009",)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"class_scheme": "locarno", "classes": "1"}, 'class_scheme: "locarno" is not a class'),
        ({"class_scheme": "national", "classes": "03/2"}, 'classes: "03/2" is not a class code'),
        ({"classes": "9 | 46"}, 'classes: "46" is not a Nice class (1-45)'),
        ({"classes": "0"}, 'classes: "0" is not a Nice class (1-45)'),
    ],
)
def test_bad_class_cells(tmp_path: Path, row: dict[str, str], message: str) -> None:
    where = column_of(message.split(":")[0], **row)
    assert error(tmp_path, **row).startswith(f"r.csv:2:{where}: {message}")


# ------------------------------------------------------------------ claims


def test_priority_claims(tmp_path: Path) -> None:
    [claim] = one(
        tmp_path, priority_country="de", priority_date="2018-10-01", priority_number="30 2018 1"
    ).priority_claims
    assert (claim.country, claim.date.value, claim.number) == ("DE", "2018-10-01", "30 2018 1")
    two = one(
        tmp_path,
        priority_country="US | JP",
        priority_date="2019-01-02|2019-02-03",
        priority_number="88/000,001 |",
    ).priority_claims
    assert [(c.country, c.date.value, c.number) for c in two] == [
        ("US", "2019-01-02", "88/000,001"),
        ("JP", "2019-02-03", None),
    ]
    [unnumbered] = one(tmp_path, priority_country="FR", priority_date="2020-05-06").priority_claims
    assert unnumbered.number is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"priority_country": "DE", "priority_date": ""},
            "priority_date: a priority claim needs its country and date",
        ),
        (
            {"priority_country": "", "priority_date": "2018-10-01", "priority_number": "1"},
            "priority_country: a priority claim needs its country and date",
        ),
        (
            {"priority_country": "DE | FR", "priority_date": "2018-10-01"},
            'priority_date: 1 value(s) for 2 priority claims ("|"-separated, claim by claim)',
        ),
        (
            {"priority_country": "DE", "priority_date": "2018-10"},
            'priority_date: "2018-10" is not a day (YYYY-MM-DD): a priority date is a day',
        ),
        (
            {"priority_country": "EU", "priority_date": "2018-10-01"},
            'priority_country: unknown jurisdiction "EU": the WIPO ST.3 code of EU trade marks',
        ),
    ],
)
def test_bad_priority_claims(tmp_path: Path, row: dict[str, str], message: str) -> None:
    where = column_of(message.split(":")[0], **row)
    assert error(tmp_path, **row).startswith(f"r.csv:2:{where}: {message}")


def test_priority_country_without_a_date_column(tmp_path: Path) -> None:
    found, errors, _ = read(tmp_path, csv_text({"priority_country": "DE"}))
    assert found == [] and errors.errors == [
        (2, None, "priority_date: a priority claim needs its country and date")
    ]


@pytest.mark.parametrize("column", ["translation", "transliteration", "disclaimer"])
def test_claim_texts_with_and_without_a_language(tmp_path: Path, column: str) -> None:
    field = column + "s"
    [text] = getattr(one(tmp_path, **{column: "BEI  FENG"}), field)
    assert (text.text, text.language) == ("BEI FENG", "und")
    [tagged] = getattr(
        one(tmp_path, **{column: "BEI FENG", f"{column}_language": "zh-Latn-pinyin"}), field
    )
    assert tagged.language == "zh-Latn-pinyin"
    assert getattr(one(tmp_path, **{f"{column}_language": "en"}), field) == ()
    bad = {column: "x", f"{column}_language": "english language"}
    assert error(tmp_path, **bad).startswith(
        f'r.csv:2:6: {column}_language: "english language" is not a BCP 47 language tag'
    )


@pytest.mark.parametrize(
    "column",
    ["goods_services_language", "translation_language", "transliteration_language"],
)
@pytest.mark.parametrize("value", ["en_US", "x", "123", "zh Hant", "en-"])
def test_bad_language_tags(tmp_path: Path, column: str, value: str) -> None:
    row = {"classes": "9", column.removesuffix("_language"): "text", column: value}
    where = column_of(column, **row)
    assert error(tmp_path, **row) == (
        f'r.csv:2:{where}: {column}: "{value}" is not a BCP 47 language tag (en, zh-Hant, ko-Latn)'
    )


@pytest.mark.parametrize("value", ["A LLP || B", "| A LLP", "A LLP |  "])
def test_an_empty_representative_name_is_an_error(tmp_path: Path, value: str) -> None:
    assert error(tmp_path, representative=value) == (
        'r.csv:2:5: representative: an empty name between "|" separators'
    )


def test_representatives_first_use_and_publication(tmp_path: Path) -> None:
    record = one(
        tmp_path,
        representative="Jordan Counsel LLP | 王範例",
        first_used_date="2018-11",
        first_used_commerce_date="2019-01-15",
        publication_date="2020-09-15",
    )
    assert [agent.name for agent in record.representatives] == ["Jordan Counsel LLP", "王範例"]
    assert (record.first_used_date.value, record.first_used_commerce_date.value) == (
        "2018-11",
        "2019-01-15",
    )
    assert record.publication_date.value == "2020-09-15"


# ------------------------------------------------------------------ the file


def test_tsv_reads_the_same_columns(tmp_path: Path, disk_graph: KnowledgeGraph) -> None:
    row = {
        "owner": "Kairovex, Inc. | Kairovex Europe B.V.",
        "classes": "9, 42",
        "goods_services": '9: "smart" software, apps | 42: hosting',
        "vienna_codes": "260111",
    }
    found, errors, _ = read(tmp_path, csv_text(row, delimiter="\t"), "r.tsv", "\t")
    assert not errors
    [record] = found
    assert [o.name for o in record.owners] == ["Kairovex, Inc.", "Kairovex Europe B.V."]
    assert record.goods_services[0].texts[0].text == '"smart" software, apps'
    assert record.vienna_codes == ("26.01.11",)
    assert import_registry(disk_graph, [tmp_path / "r.tsv"]).records == 1
    assert owners_of(disk_graph, REG + "cn-1") == ["Kairovex Europe B.V.", "Kairovex, Inc."]
    assert registration_values(disk_graph, REG + "cn-1", "viennaCode") == ["26.01.11"]


def test_header_only_file_warns(tmp_path: Path, disk_graph: KnowledgeGraph) -> None:
    found, errors, warnings = read(tmp_path, "mark,owner,jurisdiction,number\n\n")
    assert (found, errors.errors) == ([], [])
    assert warnings == [f"{tmp_path}/r.csv: no rows: the file has a header and no registration"]
    report = import_registry(disk_graph, [tmp_path / "r.csv"])
    assert report.records == 0
    assert any("no rows" in warning for warning in report.warnings)


def test_records_are_yielded_as_rows_are_read(tmp_path: Path) -> None:
    """The first record comes before the reader meets the malformed end of the file."""
    path = tmp_path / "r.csv"
    path.write_text(csv_text({}) + 'B,"Unclosed Ltd,CN,2\n', encoding="utf-8")
    records, _ = read_csv(path, ",", None, RowErrors(str(path)))
    assert next(records).mark == "ACME"
    with pytest.raises(ParseError, match=r"r\.csv:3: a quoted field opened .* never closed"):
        next(records)


def test_a_row_over_several_lines_is_named_by_its_first(tmp_path: Path) -> None:
    text = csv_text({"goods_services": "9: soft-\nware", "classes": "9"}, {"filing_date": "x"})
    found, errors, _ = read(tmp_path, text)
    assert found[0].line == 2 and found[0].goods_services[0].texts[0].text == "soft- ware"
    assert errors.errors[0][:2] == (4, 7)


def test_unknown_column_suggests_the_closest(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("mark,owner,jurisdiction,number,transliteraton\n", encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        read_csv(path, ",", None, RowErrors(str(path)))
    assert 'r.csv:1:5: unknown column "transliteraton"' in str(caught.value)
    assert 'did you mean "transliteration"?' in str(caught.value)


def test_every_column_is_documented() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "registry-import.md").read_text("utf-8")
    section = docs.split("## CSV / TSV", 1)[1].split("\n## ", 1)[0]
    assert [column for column in COLUMNS if f"| `{column}` |" not in section] == []
    header = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert header in section  # the worked example is shown as it is


# ------------------------------------------------------------------ imported


def registration_values(graph: KnowledgeGraph, iri: str, term: str) -> list[str]:
    rows = graph.query(f"SELECT ?v WHERE {{ <{iri}> tm:{term} ?v }} ORDER BY ?v")
    return [row["v"].value for row in rows]


def owners_of(graph: KnowledgeGraph, iri: str) -> list[str]:
    rows = graph.query(
        f"SELECT ?name WHERE {{ <{iri}> tm:owner/<https://schema.org/name> ?name }} ORDER BY ?name"
    )
    return [row["name"].value for row in rows]


def test_the_worked_example_imports(disk_graph: KnowledgeGraph) -> None:
    report = import_registry(disk_graph, [EXAMPLE])
    assert report.records == 3
    luz = REG + "us-88123456"
    assert owners_of(disk_graph, luz) == ["Luz Clara Holdings, LLC", "Marta Example"]
    assert registration_values(disk_graph, luz, "niceClass") == [
        "https://w3id.org/tmkg/id/nice/42",
        "https://w3id.org/tmkg/id/nice/9",
    ]
    assert registration_values(disk_graph, luz, "applicationNumber") == ["88123456"]
    assert registration_values(disk_graph, luz, "registrationNumber") == ["6234567"]
    assert registration_values(disk_graph, luz, "status") == ["registered"]
    assert registration_values(disk_graph, luz, "markFeature") == [
        "https://w3id.org/tmkg/id/mark-feature/word"
    ]
    north = REG + "tw-110099001"
    assert owners_of(disk_graph, north) == ["北風國際有限公司", "秦範例"]
    assert registration_values(disk_graph, north, "niceClass") == [
        "https://w3id.org/tmkg/id/nice/25",
        "https://w3id.org/tmkg/id/nice/35",
    ]
    assert registration_values(disk_graph, north, "viennaCode") == ["26.01.11", "27.05.01"]
    assert registration_values(disk_graph, north, "expiryDate") == ["2032-03-15"]
    old = REG + "tw-000000901"
    rows = disk_graph.query(
        f"""SELECT ?code WHERE {{ <{old}> tm:goodsServices/tm:goodsServicesClass ?class .
            ?class a tm:NationalClass ; skos:notation ?code }}"""
    )
    assert [row["code"].value for row in rows] == ["032"]
    assert registration_values(disk_graph, old, "niceClass") == []


def test_the_worked_example_details_are_stated(disk_graph: KnowledgeGraph) -> None:
    import_registry(disk_graph, [EXAMPLE])
    luz, north, old = REG + "us-88123456", REG + "tw-110099001", REG + "tw-000000901"
    rows = disk_graph.query(
        f"""SELECT ?class ?text (LANG(?text) AS ?lang) WHERE {{
             ?reg tm:goodsServices [ tm:goodsServicesClass ?class ; tm:goodsServicesText ?text ]
             VALUES ?reg {{ <{luz}> <{north}> <{old}> }} }} ORDER BY ?text"""
    )
    assert [
        (r["class"].value.rsplit("/", 1)[1], r["text"].value, r["lang"].value) for r in rows
    ] == [
        ("9", "downloadable software for lighting control", "en"),
        ("42", "hosting software for others", "en"),
        ("25", "服裝、鞋、帽。", "zh-hant"),
        ("35", "服飾零售。", "zh-hant"),
        ("032", "美髮霜商品。", "zh-hant"),
    ]
    [claim] = disk_graph.query(
        f"""SELECT ?cc ?date ?number WHERE {{ <{luz}> tm:priorityClaim [
             tm:priorityCountryCode ?cc ; tm:priorityDate ?date ;
             tm:priorityApplicationNumber ?number ] }}"""
    )
    assert (claim["cc"].value, claim["date"].value, claim["number"].value) == (
        "MX",
        "2018-10-01",
        "MX/m/2018/123456",
    )
    assert registration_values(disk_graph, luz, "statusCode") == ["800"]
    assert registration_values(disk_graph, luz, "publicationDate") == ["2020-09-15"]
    assert registration_values(disk_graph, luz, "firstUsedDate") == ["2018-11"]
    assert registration_values(disk_graph, luz, "firstUsedCommerceDate") == ["2019-01-15"]
    assert registration_values(disk_graph, north, "markTransliteration") == ["BEI FENG"]
    assert registration_values(disk_graph, north, "markTranslation") == ["north wind"]
    [disclaimer] = registration_values(disk_graph, luz, "markDisclaimer")
    assert disclaimer.startswith('No claim is made to the exclusive right to use "CLARA"')
    agents = disk_graph.query(
        f"""SELECT ?name WHERE {{ <{north}> tm:representative/<https://schema.org/name> ?name }}
           ORDER BY ?name"""
    )
    assert [row["name"].value for row in agents] == ["李範例", "王範例"]


def test_co_owners_in_one_cell_and_in_repeated_rows_are_one_registration(
    disk_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    path = tmp_path / "owners.csv"
    path.write_text(
        csv_text(
            {"number": "1", "owner": "A Co., Ltd | B; C Ltd", "classes": "9"},
            {"number": "2", "owner": "D Ltd", "classes": "25"},
            {"number": "2", "owner": "E GmbH", "classes": "35"},
            {"number": "2", "owner": "D Ltd", "classes": "25"},
        ),
        encoding="utf-8",
    )
    assert import_registry(disk_graph, [path]).records == 2
    assert owners_of(disk_graph, REG + "cn-1") == ["A Co., Ltd", "B; C Ltd"]
    assert owners_of(disk_graph, REG + "cn-2") == ["D Ltd", "E GmbH"]
    assert registration_values(disk_graph, REG + "cn-2", "niceClass") == [
        "https://w3id.org/tmkg/id/nice/25",
        "https://w3id.org/tmkg/id/nice/35",
    ]


@pytest.mark.parametrize(
    ("column", "first", "second"),
    [
        ("mark", "ACME", "ACNE"),
        ("filing_date", "2019-01-01", "2019-01-02"),
        ("status", "registered", "expired"),
        ("registration_number", "6000001", "6000002"),
    ],
)
def test_a_repeated_row_with_another_single_value_is_refused(
    disk_graph: KnowledgeGraph, tmp_path: Path, column: str, first: str, second: str
) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(
        csv_text({column: first, "owner": "A Ltd"}, {column: second, "owner": "B Ltd"}),
        encoding="utf-8",
    )
    with pytest.raises(ParseError) as caught:
        import_registry(disk_graph, [path])
    message = str(caught.value)
    assert "twice.csv:3:" in message and "line 2" in message
    assert registration_values(disk_graph, REG + "cn-1", "niceClass") == []
