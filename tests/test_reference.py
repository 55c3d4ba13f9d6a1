"""Reference data: every ISO 3166-1 country, 45 Nice classes, documented class relatedness."""

from __future__ import annotations

import pycountry

from kg import KnowledgeGraph


def test_every_iso_country_is_a_jurisdiction(seeded: KnowledgeGraph) -> None:
    rows = seeded.query("SELECT ?code WHERE { ?j a tm:Jurisdiction ; tm:code ?code }")
    codes = {row["code"].value for row in rows}
    assert codes == {country.alpha_2 for country in pycountry.countries}
    assert len(codes) >= 249


def test_priority_rules_are_documented(seeded: KnowledgeGraph) -> None:
    rows = list(
        seeded.query(
            """SELECT ?code ?rule ?basis WHERE {
                 ?j tm:code ?code ; tm:priorityRule ?rule ; tm:priorityRuleBasis ?basis }"""
        )
    )
    rules = {row["code"].value: row["rule"].value.split("#")[1] for row in rows}
    assert rules["CN"] == "FirstToFile"
    assert rules["US"] == "FirstToUse"
    assert all(len(row["basis"].value) > 20 for row in rows)


def test_all_45_nice_classes_with_headings(seeded: KnowledgeGraph) -> None:
    rows = seeded.query(
        """SELECT ?n ?label WHERE {
             ?c a tm:NiceClass ; tm:classNumber ?n ; skos:prefLabel ?label }"""
    )
    numbers = {int(row["n"].value): row["label"].value for row in rows}
    assert sorted(numbers) == list(range(1, 46))
    assert "computer software" in numbers[9]
    assert "software" in numbers[42]


def test_software_and_cloud_classes_are_closely_related(seeded: KnowledgeGraph) -> None:
    rows = list(
        seeded.query(
            """SELECT ?strength WHERE {
                 ?r a tm:ClassRelatedness ; tm:relates <https://w3id.org/tmkg/id/nice/9>, <https://w3id.org/tmkg/id/nice/42> ;
                    tm:strength ?strength }"""
        )
    )
    assert len(rows) == 1
    assert float(rows[0]["strength"].value) >= 0.8
