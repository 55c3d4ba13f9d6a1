"""The analyst's questions answered from a Virtuoso store: the tests of tests/test_analysis.py,
imported here so that pytest runs the very same assertions with this module's `analyst`, whose
graph lives on a private Virtuoso (seed, second case and own case, as there)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg import KnowledgeGraph, Settings
from kg.analysis.service import Analyst
from tests.conftest import DATA
from tests.test_analysis import (  # noqa: F401 (collected and run here, on Virtuoso)
    test_all_paths_include_the_path_through_the_mark,
    test_an_earlier_use_beats_a_registrations_filing,
    test_case_timeline_keeps_each_sources_date,
    test_conflict_scores_are_ordered_and_explained,
    test_conflicts_rank_registered_owner_against_user,
    test_contradictions_report_who_pays_and_the_dates,
    test_no_path_when_too_short,
    test_party_timeline_includes_filings_and_uses,
    test_path_amazon_to_actionsoft_is_found_and_explained,
    test_path_in_the_second_case_and_cluster,
    test_priority_in_cn_goes_to_the_earliest_filing,
    test_priority_in_us_counts_a_registrations_filing_as_use,
    test_priority_without_a_known_rule_decides_nothing,
    test_results_convert_to_json_and_rows,
    test_unknown_names_are_errors_with_suggestions,
    test_who_else_uses_aws_in_cn_class_42_excluding_amazon,
    test_who_else_uses_filters_by_date_place_and_class,
    test_who_else_uses_finds_folded_and_transliterated_marks,
)
from tests.virtuoso import Virtuoso

pytestmark = pytest.mark.virtuoso


@pytest.fixture(scope="module")
def analyst(virtuoso: Virtuoso) -> Iterator[Analyst]:
    virtuoso.reset(keep_reference=True)
    graph = KnowledgeGraph.open(
        Settings(
            endpoint=virtuoso.endpoint,
            update_endpoint=virtuoso.update_endpoint,
            endpoint_user=virtuoso.user,
            endpoint_password=virtuoso.password,
        )
    )
    graph.load_seed()
    graph.load([DATA / "second-case.trig", DATA / "own-case.ttl"])
    yield Analyst(graph)
    graph.close()


def test_the_answers_come_from_virtuoso(analyst: Analyst, virtuoso: Virtuoso) -> None:
    assert analyst.graph.store.backend == "sparql"  # type: ignore[attr-defined]
    assert analyst.graph.store.location == virtuoso.endpoint  # type: ignore[attr-defined]
