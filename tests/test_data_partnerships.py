"""The partnerships as the report states them, read back through SPARQL on every store backend."""

from __future__ import annotations

import pytest
from data_queries import rows

from llgraph.store import Store

# interview number → (start FY, end FY) as 《03～06年度》 etc. in the report's list
INTERVIEW_YEARS = {
    1: (2003, 2006),
    2: (2004, 2006),
    3: (2002, 2005),
    4: (2003, 2005),
    5: (2001, 2003),
    6: (2004, 2006),
    7: (2004, 2006),
    8: (1998, 2002),
    9: (1997, 1997),
    10: (2002, 2003),
}


def test_ten_interview_cases_with_their_ll_years(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?n ?start ?end WHERE {
             ?i a llo:Interview ; schema:position ?n ; llo:partnership ?p .
             ?p llo:programme prog:ll ; llo:startFiscalYear ?start ; llo:endFiscalYear ?end .
           } ORDER BY ?n""",
    )
    assert {int(n): (int(s), int(e)) for n, s, e in found} == INTERVIEW_YEARS
    assert len(found) == 10


def test_interview_labels_keep_the_period_as_written(store: Store) -> None:
    labels = {
        label
        for (label,) in rows(
            store,
            """SELECT ?label WHERE { ?i a llo:Interview ; llo:partnership ?p .
                 ?p llo:fiscalPeriodLabel ?label }""",
        )
    }
    assert {"《97年度》", "《04～06年度、07年度はRIT事業》", "07年度はRIT事業"} <= labels


def test_interview_cases_1_and_2_are_the_detailed_cases(store: Store) -> None:
    found = dict(
        rows(
            store,
            """SELECT ?n ?p WHERE { ?i a llo:Interview ; schema:position ?n ; llo:partnership ?p }
               ORDER BY ?n""",
        )[:2]
    )
    assert found == {
        "1": "https://w3id.org/llgraph/id/partnership/ll-fukushima-sweden",
        "2": "https://w3id.org/llgraph/id/partnership/ll-suwa-dalian",
    }


def test_interview_case_6_continues_under_rit_in_fy2007(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?prog ?fy ?from WHERE {
             ?i schema:position 6 ; llo:partnership ?p .
             ?p llo:programme prog:rit ; llo:fiscalYear ?fy ; llo:continuationOf ?from .
             ?from llo:programme ?prog }""",
    )
    assert found == [
        (
            "https://w3id.org/llgraph/id/programme/ll",
            "2007",
            "https://w3id.org/llgraph/id/partnership/ll-shimane-texas",
        )
    ]


ACTIVITIES = """SELECT ?type ?times ?people ?all WHERE {
    ?a llo:partnership ?p ; llo:activityType ?t ; llo:numberOfTimes ?times .
    ?t skos:prefLabel ?type . FILTER (LANG(?type) = "ja")
    OPTIONAL { ?a llo:numberOfParticipants ?people }
    OPTIONAL { ?a llo:numberOfParticipantsInclSelfFunded ?all }
} ORDER BY ?type"""


@pytest.mark.parametrize(
    ("partnership", "expected"),
    [
        (
            # 専門家派遣調査：1回 / ミッション派遣：2回 / 有力企業・有識者招へい：3回（11名）
            "ll-suwa-dalian",
            {
                ("専門家派遣調査", "1", None, None),
                ("ミッション派遣", "2", None, None),
                ("有力企業・有識者招へい", "3", "11", None),
            },
        ),
        (
            "ll-fukushima-sweden",  # ... 有力企業招へい:3回(10名、自費参加を含めて24名)
            {
                ("専門家派遣調査", "1", None, None),
                ("ミッション派遣", "4", None, None),
                ("有力企業招へい", "3", "10", "24"),
            },
        ),
    ],
)
def test_detailed_ll_case_activity_counts(
    store: Store, partnership: str, expected: set[tuple[str | None, ...]]
) -> None:
    query = ACTIVITIES.replace("?p ;", f"pship:{partnership} ;", 1)
    assert set(rows(store, query)) == expected


def test_detailed_ll_cases_periods_and_implementing_bodies(store: Store) -> None:
    found = set(
        rows(
            store,
            """SELECT ?p ?start ?end ?org ?role WHERE {
                 VALUES ?p { pship:ll-suwa-dalian pship:ll-fukushima-sweden }
                 ?p llo:startFiscalYear ?start ; llo:endFiscalYear ?end .
                 ?m org:organization ?p ; org:member ?o ; org:role ?r .
                 ?o rdfs:label ?org . FILTER (LANG(?org) = "ja")
                 ?r rdfs:label ?role . FILTER (LANG(?role) = "ja") }""",
        )
    )
    base = "https://w3id.org/llgraph/id/partnership/"
    suwa, fukushima = base + "ll-suwa-dalian", base + "ll-fukushima-sweden"
    assert found == {
        (suwa, "2004", "2006", "諏訪大連会", "国内実施主体"),
        (suwa, "2004", "2006", "大連市", "海外実施主体"),
        (fukushima, "2003", "2006", "福島県", "国内実施主体"),
        (fukushima, "2003", "2006", "ISA (Invest in Sweden Agency)", "海外実施主体"),
        (fukushima, "2003", "2006", "ウメオ大学", "海外実施主体"),
        (fukushima, "2003", "2006", "ルンド大学", "海外実施主体"),
    }


OUTCOMES = """SELECT ?type ?org WHERE {
    ?o llo:partnership ?p ; llo:outcomeType ?t ; schema:description ?d .
    FILTER (LANG(?d) = "ja")
    ?t skos:prefLabel ?type . FILTER (LANG(?type) = "en")
    OPTIONAL { ?o llo:involvedOrganization ?i . ?i rdfs:label ?org . FILTER (LANG(?org) = "ja") }
}"""


@pytest.mark.parametrize(
    ("partnership", "expected"),
    [
        (
            "ll-suwa-dalian",
            {
                ("joint venture", None),
                ("factory abroad", None),
                ("sales company", None),
                ("trading company", None),
                ("exchange spreading to other fields", None),
            },
        ),
        (
            "ll-fukushima-sweden",
            {("joint development", None), ("clinical trial", "日本大学工学部")},
        ),
        (
            "rit-iwate-dalian",
            {
                ("contract", "岩手大学"),
                ("contract", "大連理工大学"),
                ("cooperation agreement", None),
            },
        ),
        ("rit-toyama-switzerland", {("contract", None)}),
    ],
)
def test_case_outcomes(
    store: Store, partnership: str, expected: set[tuple[str | None, ...]]
) -> None:
    query = OUTCOMES.replace("?p ;", f"pship:{partnership} ;", 1)
    assert set(rows(store, query)) == expected


def test_outcome_descriptions_are_as_written(store: Store) -> None:
    found = {
        d
        for (d,) in rows(
            store,
            'SELECT ?d WHERE { ?o a llo:Outcome ; schema:description ?d FILTER (LANG(?d) = "ja") }',
        )
    }
    assert "富山県企業がスイス企業との間で製品・技術開発契約を締結。" in found
    assert any("乳がんチェッカー" in d and "臨床実験開始" in d for d in found)
    assert any("合併の貿易会社を設立" in d for d in found)


# The FY2008 distribution map (案件分布図①): domestic side, industry as written
RIT_THEMES = {
    ("練馬区", "アニメーション制作"),
    ("千葉県", "ライフサイエンス"),
    ("浜松地域", "光装置関連産業"),
    ("富山県", "医薬品"),
    ("近畿地域", "食品産業"),
    ("諏訪地域", "マイクロマシン"),
    ("関西・北大阪", "創薬"),
    ("大阪府東部", "ナノテク"),
    ("広島県", "自動車関連分野を中心とするものづくり基盤技術"),
    ("香川県", "バイオ産業"),
    ("岩手地域", "ものづくり基盤技術"),
    ("三重県", "医療・健康・福祉"),
    ("九州", "環境・リサイクル関連産業"),
    ("福岡市", "IT関連産業(組込みソフト)"),
    ("茨城県", "環境"),
    ("石川県", "IT"),
    ("関西文化学術研究都市", "環境・省エネ関連産業"),
    ("北九州市", "ITソフトウェア"),
}


def test_every_listed_rit_theme_with_its_industry(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?dom ?ind WHERE {
             ?p llo:programme prog:rit ; llo:fiscalYear "2008"^^xsd:gYear ;
                llo:domesticRegion ?d ; llo:industry ?i .
             ?d rdfs:label ?dom . FILTER (LANG(?dom) = "ja")
             ?i skos:prefLabel ?ind ; skos:inScheme scheme:industry-theme .
             FILTER (LANG(?ind) = "ja")
           }""",
    )
    assert len(found) == 18
    assert set(found) == RIT_THEMES


def test_rit_theme_counts_as_stated(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?fy ?n ?x WHERE { ?a a llo:ThemeAdoption ; dcterms:subject prog:rit ;
             llo:fiscalYear ?fy ; llo:numberOfThemes ?n .
             OPTIONAL { ?a llo:numberOfTargetAreaExpansions ?x } } ORDER BY ?fy""",
    )
    assert found == [("2007", "11", "1"), ("2008", "8", None)]


def test_rit_region_changes_of_chiba_and_mie(store: Store) -> None:
    found = set(
        rows(
            store,
            """SELECT ?p ?r WHERE {
                 VALUES ?p { pship:rit-chiba-south-west-england pship:rit-mie-shenyang }
                 ?p llo:overseasRegion ?o ; llo:startFiscalYear "2007"^^xsd:gYear .
                 ?o rdfs:label ?r FILTER (LANG(?r) = "ja") }""",
        )
    )
    base = "https://w3id.org/llgraph/id/partnership/"
    assert found == {
        (base + "rit-chiba-south-west-england", "南西イングランド地域"),
        (base + "rit-chiba-south-west-england", "デュッセルドルフ市・同周辺地域"),
        (base + "rit-mie-shenyang", "瀋陽地域"),
        (base + "rit-mie-shenyang", "上海"),
    }


def test_rit_case_activities_in_fy2007_have_no_counts(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?p (COUNT(DISTINCT ?a) AS ?n) (COUNT(?times) AS ?counted) WHERE {
             ?a a llo:Activity ; llo:partnership ?p ; llo:fiscalYear ?fy .
             OPTIONAL { ?a llo:numberOfTimes ?times } } GROUP BY ?p ORDER BY ?p""",
    )
    base = "https://w3id.org/llgraph/id/partnership/"
    assert found == [
        (base + "rit-iwate-dalian", "3", "0"),
        (base + "rit-toyama-switzerland", "2", "0"),
    ]


def test_toyama_exchanges_with_the_basel_area(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?label WHERE { pship:rit-toyama-switzerland llo:overseasRegion ?r .
             ?r schema:containedInPlace region:ch ; rdfs:label ?label
             FILTER (LANG(?label) = "ja") }""",
    )
    assert found == [("バーゼル地域",)]
