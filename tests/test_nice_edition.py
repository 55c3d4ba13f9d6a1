"""The Nice reference data states its edition (NCL 13-2026) and carries that edition's headings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import kg

NICE = "https://w3id.org/tmkg/id/nice"

# The eight class headings NCL 13-2026 changed (USPTO final rule, 90 FR 47592; WIPO NCLPub).
CHANGED = {
    1: "Chemicals for use in industry, science and photography, as well as in agriculture, "
    "horticulture and forestry; unprocessed artificial resins, unprocessed plastics; fire "
    "extinguishing and fire prevention compositions; tempering and soldering preparations; "
    "substances for tanning animal skins and hides; adhesives for use in industry; compost, "
    "manures, fertilizers; biological preparations for use in industry and science.",
    3: "Non-medicated cosmetics and toiletry preparations; non-medicated dentifrices; perfumes; "
    "bleaching preparations and other substances for laundry use; cleaning, polishing and "
    "abrasive preparations.",
    5: "Pharmaceuticals, medical and veterinary preparations; sanitary preparations for medical "
    "purposes; dietetic food and substances adapted for medical or veterinary purposes, food for "
    "babies; dietary supplements for human beings and animals; adhesive plasters, materials for "
    "dressings; material for filling teeth, dental wax; disinfectants; preparations for "
    "destroying vermin; fungicides, herbicides.",
    8: "Hand-operated hand tools and implements; cutlery; side arms, except firearms; razors.",
    9: "Scientific, research, navigation, surveying, photographic, cinematographic, audiovisual, "
    "optical, weighing, measuring, signalling, detecting, testing, inspecting, life-saving and "
    "teaching apparatus and instruments; apparatus and instruments for conducting, switching, "
    "transforming, accumulating, regulating or controlling the distribution or use of "
    "electricity; apparatus and instruments for recording, transmitting, reproducing or "
    "processing sound, images or data; recorded and downloadable multimedia files, computer "
    "software, blank digital or analogue recording and storage media; mechanisms for "
    "coin-operated apparatus; cash registers, calculating devices; computers and computer "
    "peripheral devices; diving suits, divers' masks, ear plugs for divers, nose clips for "
    "divers, gloves for divers, breathing apparatus for underwater swimming; fire-extinguishing "
    "apparatus.",
    10: "Surgical, medical, dental and veterinary apparatus and instruments; artificial limbs, "
    "eyes and teeth; spectacles, contact lenses and sunglasses; orthopaedic articles; suture "
    "materials; therapeutic and assistive devices adapted for persons with disabilities; "
    "massage apparatus; apparatus, devices and articles for nursing infants; sexual activity "
    "apparatus, devices and articles.",
    26: "Lace and embroidery, and haberdashery ribbons and bows; buttons, hooks and eyes, pins "
    "and needles; artificial flowers; hair decorations; false hair.",
    29: "Meat, fish, poultry and game; meat extracts for culinary purposes; preserved, frozen, "
    "dried and cooked fruits, vegetables and seaweeds; jellies, jams, compotes; eggs; milk, "
    "cheese, butter, yogurt and other milk products; oils and fats for food.",
}

# Wording NCL 13-2026 removed from the headings: none of it may remain in any heading.
REMOVED = (
    "putties and other paste fillers",
    "perfumery, essential oils",
    "material for stopping teeth",
    "Hand tools and implements, hand-operated",
    "recorded and downloadable media",
    "divers and swimmers",
    "Lace, braid and embroidery",
)


@pytest.fixture(scope="module")
def graph() -> Iterator[kg.KnowledgeGraph]:
    opened = kg.KnowledgeGraph.open(kg.Settings(memory=True))
    yield opened
    opened.close()


def _headings(graph: kg.KnowledgeGraph) -> dict[int, list[str]]:
    rows = graph.query(
        """SELECT ?n ?label WHERE {
             ?c a tm:NiceClass ; tm:classNumber ?n ; skos:prefLabel ?label }"""
    )
    headings: dict[int, list[str]] = {}
    for row in rows:
        headings.setdefault(int(row["n"].value), []).append(row["label"].value)
    return headings


def test_reference_data_states_the_nice_edition(graph: kg.KnowledgeGraph) -> None:
    rows = list(
        graph.query(
            f"""SELECT ?version ?label ?source WHERE {{
                  <{NICE}> a skos:ConceptScheme ;
                      <http://www.w3.org/2002/07/owl#versionInfo> ?version ;
                      skos:prefLabel ?label ;
                      <http://purl.org/dc/terms/source> ?source }}"""
        )
    )
    assert {row["version"].value for row in rows} == {"13-2026"}
    assert all("NCL 13-2026" in row["label"].value for row in rows)
    assert rows and all(row["source"].value.startswith("https://www.wipo.int/") for row in rows)


def test_every_class_is_in_the_stated_edition_scheme(graph: kg.KnowledgeGraph) -> None:
    rows = graph.query(
        f"""SELECT ?n WHERE {{
              ?c a tm:NiceClass ; tm:classNumber ?n ; skos:inScheme ?s .
              ?s <http://www.w3.org/2002/07/owl#versionInfo> "13-2026" .
              FILTER (?s = <{NICE}>) }}"""
    )
    assert sorted(int(row["n"].value) for row in rows) == list(range(1, 46))


def test_45_classes_each_with_one_english_heading(graph: kg.KnowledgeGraph) -> None:
    headings = _headings(graph)
    assert sorted(headings) == list(range(1, 46))
    for number, labels in headings.items():
        assert len(labels) == 1, (number, labels)
        assert labels[0].endswith("."), number


def test_headings_changed_by_ncl_13_2026(graph: kg.KnowledgeGraph) -> None:
    headings = _headings(graph)
    for number, heading in CHANGED.items():
        assert headings[number] == [heading], number


def test_removed_wording_is_gone(graph: kg.KnowledgeGraph) -> None:
    text = " ".join(label for labels in _headings(graph).values() for label in labels)
    for wording in REMOVED:
        assert wording not in text, wording


def test_spectacles_moved_from_class_9_to_class_10(graph: kg.KnowledgeGraph) -> None:
    headings = _headings(graph)
    assert "spectacles" in headings[10][0]
    assert "spectacles" not in headings[9][0]
    assert "computer software" in headings[9][0]
