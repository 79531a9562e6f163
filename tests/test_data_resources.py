"""Every resource of the data: labels in Japanese and English, a source, and the reference facts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from data_queries import rows

from llgraph.store import Store

# The classes of the report's facts (the survey tables' cubes are checked by their own tests).
DESCRIBED = """VALUES ?class { llo:Programme llo:Partnership llo:DomesticRegion llo:OverseasRegion
    llo:RegionLevel llo:Industry llo:Activity llo:ActivityType llo:SupportTool llo:Outcome
    llo:OutcomeType llo:SuccessFactor llo:Phase llo:SpilloverEffect llo:CitedExample
    llo:PolicyMeasure llo:Survey llo:Interview llo:ThemeAdoption org:FormalOrganization
    org:OrganizationalUnit org:Membership org:Role }"""


def test_the_data_is_not_empty(store: Store) -> None:
    found = dict(
        rows(
            store,
            f"SELECT ?class (COUNT(?s) AS ?n) WHERE {{ {DESCRIBED} ?s a ?class }} GROUP BY ?class",
        )
    )
    counts = {k.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: int(v) for k, v in found.items()}
    assert counts["Partnership"] == 10 + 18 + 1
    assert counts["Interview"] == 10
    assert counts["SuccessFactor"] == 8
    assert counts["SupportTool"] == 7
    assert counts["Industry"] == 11 + 9 + 27


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_resource_has_a_label_in(store: Store, lang: str) -> None:
    missing = rows(
        store,
        f"""SELECT DISTINCT ?s WHERE {{ {DESCRIBED} ?s a ?class .
              FILTER NOT EXISTS {{ ?s rdfs:label ?l FILTER (LANG(?l) = "{lang}") }} }}""",
    )
    assert missing == []


def test_every_resource_has_a_source(store: Store) -> None:
    missing = rows(
        store,
        f"""SELECT DISTINCT ?s WHERE {{ {DESCRIBED} ?s a ?class .
              FILTER NOT EXISTS {{ ?s dcterms:source ?src }} }}""",
    )
    assert missing == []


def test_every_label_has_a_language(store: Store) -> None:
    untagged = rows(
        store,
        f"""SELECT ?s ?l WHERE {{ {DESCRIBED} ?s a ?class ; rdfs:label ?l
               FILTER (LANG(?l) = "") }}""",
    )
    assert untagged == []


def test_the_report(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?title ?date ?author ?publisher WHERE {
             report:jetro-2008 dcterms:title ?title ; dcterms:date ?date ;
               dcterms:creator ?author ; dcterms:publisher/rdfs:label ?publisher .
             FILTER (LANG(?title) = "ja" && LANG(?author) = "ja" && LANG(?publisher) = "ja") }""",
    )
    assert found == [
        (
            "産業集積地における 国際産業連携の成功要因調査",
            "2008-06-18",
            "大砂雅子",
            "ジェトロ 産業技術部",
        )
    ]


def test_programmes(store: Store) -> None:
    found = set(
        rows(
            store,
            """SELECT ?p ?start ?end ?op WHERE { ?p a llo:Programme ; llo:startFiscalYear ?start ;
                 llo:operatedBy ?op . OPTIONAL { ?p llo:endFiscalYear ?end } }""",
        )
    )
    jetro = "https://w3id.org/llgraph/id/org/jetro"
    prog = "https://w3id.org/llgraph/id/programme/"
    assert found == {(prog + "ll", "1996", "2006", jetro), (prog + "rit", "2007", None, jetro)}
    assert rows(store, "SELECT ?n WHERE { prog:ll llo:numberOfThemes ?n }") == [("200",)]
    assert rows(store, "SELECT ?x WHERE { prog:rit dcterms:replaces ?x }") == [(prog + "ll",)]


def test_survey(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?from ?to ?targets ?sent ?valid ?rate WHERE {
             survey:ll-2007 llo:periodStart ?from ; llo:periodEnd ?to ;
               llo:numberOfTargets ?targets ; llo:numberSent ?sent ;
               llo:numberOfValidResponses ?valid ; llo:responseRate ?rate }""",
    )
    assert len(found) == 1
    start, end, targets, sent, valid, rate = found[0]
    assert (start, end, targets, sent, valid) == ("2007-11", "2007-12", "200", "183", "131")
    assert Decimal(str(rate)) == Decimal("71.6")


def test_policy_background(store: Store) -> None:
    found = set(
        rows(
            store,
            """SELECT ?label ?start ?end ?areas ?themes WHERE { ?p a llo:PolicyMeasure ;
                 rdfs:label ?label ; llo:startYear ?start . FILTER (LANG(?label) = "ja")
                 OPTIONAL { ?p llo:endYear ?end } OPTIONAL { ?p llo:numberOfAgreedAreas ?areas }
                 OPTIONAL { ?p llo:numberOfThemes ?themes } }""",
        )
    )
    assert found == {
        ("特定中小企業集積活性化法", "1992", "2007", "118", "27"),
        ("基盤的技術産業集積活性化法", "1997", "2007", "25", "11"),
        ("産業クラスター計画", "2001", None, None, "56"),
        ("産業クラスター計画(第一期)", "2001", None, "17", None),
        ("産業クラスター計画(第二期)", "2006", None, "15", None),
    }


def test_support_tools_with_maturity(store: Store) -> None:
    found = set(
        rows(
            store,
            """SELECT ?tool ?stars WHERE { ?t a llo:SupportTool ; skos:prefLabel ?tool .
                 FILTER (LANG(?tool) = "ja") OPTIONAL { ?t llo:maturityLevel ?stars } }""",
        )
    )
    assert found == {
        ("国内研究会開催", "1"),
        ("海外基礎調査", "1"),
        ("海外出張調査", "2"),
        ("海外有識者招聘", "3"),
        ("海外ミッション派遣", "4"),
        ("海外有力企業招聘", "4"),
        ("国内/海外コーディネーター", None),
    }


def test_institutions_with_their_types(store: Store) -> None:
    found = set(
        rows(
            store,
            """SELECT ?name ?type WHERE { ?o a org:FormalOrganization ; rdfs:label ?name ;
                 org:classification/skos:prefLabel ?type .
                 FILTER (LANG(?name) = "ja" && LANG(?type) = "en") }""",
        )
    )
    assert {
        ("ジェトロ", "government-related agency"),
        ("諏訪大連会", "association"),
        ("大連市", "local or regional government"),
        ("福島県", "local or regional government"),
        ("ISA (Invest in Sweden Agency)", "investment promotion agency"),
        ("ウメオ大学", "university or faculty"),
        ("ルンド大学", "university or faculty"),
        ("日本大学工学部", "university or faculty"),
        ("岩手大学", "university or faculty"),
        ("大連理工大学", "university or faculty"),
        ("島根県産業技術センター", "public research institute"),
    } == found


def test_government_bodies_are_distinct_from_their_regions(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?region WHERE { ?org rdfs:label "大連市"@ja ; a org:FormalOrganization ;
             dcterms:spatial ?region . ?region a llo:OverseasRegion ; rdfs:label "大連市"@ja }""",
    )
    assert found == [("https://w3id.org/llgraph/id/region/cn-dalian",)]
