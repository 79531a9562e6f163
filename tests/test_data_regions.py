"""Regions at their levels with containment and codes; the three industry schemes and mappings."""

from __future__ import annotations

from data_queries import rows

from llgraph.store import Store

# JIS X 0401 codes of the prefectures the report names
PREFECTURES = {
    "岩手県": "03", "福島県": "07", "茨城県": "08", "千葉県": "12", "東京都": "13",
    "富山県": "16", "石川県": "17", "福井県": "18", "長野県": "20", "三重県": "24",
    "大阪府": "27", "島根県": "32", "広島県": "34", "香川県": "37", "福岡県": "40",
    "長崎県": "42",
}  # fmt: skip


def test_prefectures_with_jis_codes_in_bureau_areas(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?name ?code ?bureau WHERE {
             ?r llo:regionLevel level:prefecture ; rdfs:label ?name ; llo:prefectureCode ?code ;
                schema:containedInPlace ?b . ?b llo:regionLevel level:bureau-area ;
                schema:containedInPlace region:jp . ?b rdfs:label ?bureau .
             FILTER (LANG(?name) = "ja" && LANG(?bureau) = "ja") }""",
    )
    assert {name: code for name, code, _ in found} == PREFECTURES
    bureaus = {name: bureau for name, _, bureau in found}
    assert (bureaus["長野県"], bureaus["岩手県"], bureaus["長崎県"]) == ("関東", "東北", "九州")


def test_every_domestic_region_reaches_japan(store: Store) -> None:
    cut_off = rows(
        store,
        """SELECT ?r WHERE { ?r a llo:DomesticRegion . FILTER (?r != region:jp)
             FILTER NOT EXISTS { ?r schema:containedInPlace+ region:jp } }""",
    )
    assert cut_off == []


def test_every_overseas_region_reaches_a_country_with_its_code(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?r ?code WHERE { ?r a llo:OverseasRegion .
             OPTIONAL { ?r schema:containedInPlace* ?c . ?c llo:regionLevel level:country ;
                        llo:countryCode ?code } }""",
    )
    assert found and all(code and len(code) == 2 and code.isupper() for _, code in found)
    codes = dict(found)
    assert codes["https://w3id.org/llgraph/id/region/us-silicon-valley"] == "US"
    assert codes["https://w3id.org/llgraph/id/region/de-dresden"] == "DE"


def test_named_cluster_areas(store: Store) -> None:
    found = {
        name
        for (name,) in rows(
            store,
            """SELECT ?name WHERE { ?r llo:regionLevel level:cluster-area ; rdfs:label ?name
                 FILTER (LANG(?name) = "ja") }""",
        )
    }
    assert {
        "諏訪地域",
        "岩手地域",
        "浜松地域",
        "近畿地域",
        "関西・北大阪",
        "関西文化学術研究都市",
    } <= found
    alt = rows(store, "SELECT ?a WHERE { region:jp-iwate-area skos:altLabel ?a }")
    assert alt == [("北上川流域",)]


# the header of the table 実施済LL事業案件の国別・事業別分布 <国内地域別>, in its order
LL_INDUSTRIES = [
    "食品・食品加工・飲料", "繊維・ファッション", "住宅・建材・木材・建設", "工芸品",
    "金属・機械加工", "医療・福祉機器", "IT産業", "バイオテクノロジー", "環境",
    "コンテンツ・デザイン", "観光",
]  # fmt: skip


def scheme_labels(store: Store, scheme: str) -> list[str]:
    """The Japanese labels of a scheme's concepts, in notation order when there is one."""
    found = rows(
        store,
        f"""SELECT ?label WHERE {{ ?c skos:inScheme scheme:{scheme} ; skos:prefLabel ?label .
              OPTIONAL {{ ?c skos:notation ?n }} FILTER (LANG(?label) = "ja") }}
            ORDER BY ?n ?label""",
    )
    return [str(label) for (label,) in found]


def test_ll_industry_categories_as_in_the_table_header(store: Store) -> None:
    assert scheme_labels(store, "industry-ll") == LL_INDUSTRIES


def test_survey_industry_groups(store: Store) -> None:
    assert scheme_labels(store, "industry-survey") == [
        "IT産業", "バイオテクノロジー", "医療・福祉機器", "工芸品（食器・家具・繊維）", "環境",
        "金属・機械加工", "酒・食品・食品加工", "住宅・建設材・木材", "コンテンツ・観光・デザイン",
    ]  # fmt: skip


def test_theme_industries(store: Store) -> None:
    labels = set(scheme_labels(store, "industry-theme"))
    assert len(labels) == 27
    assert {
        "アニメーション制作",
        "IT関連産業(組込みソフト)",
        "環境、農業、造園、バイオテクノロジー等",
    } <= labels


def test_survey_group_mappings_to_ll_categories(store: Store) -> None:
    found = set(
        rows(
            store,
            """SELECT ?rel ?ll WHERE {
                 indsv:content-tourism-design ?rel ?c .
                 ?c skos:inScheme scheme:industry-ll ; skos:prefLabel ?ll
                 FILTER (LANG(?ll) = "ja") }""",
        )
    )
    narrow = "http://www.w3.org/2004/02/skos/core#narrowMatch"
    assert found == {(narrow, "コンテンツ・デザイン"), (narrow, "観光")}


def test_theme_mappings_are_marked_editorial(store: Store) -> None:
    unmarked = rows(
        store,
        """SELECT ?t WHERE { ?t skos:inScheme scheme:industry-theme ; skos:broadMatch ?c .
             FILTER NOT EXISTS { ?t dcterms:source src:llgraph-editorial } }""",
    )
    assert unmarked == []
    mapped = rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?t skos:broadMatch ?c }")
    assert int(mapped[0][0]) > 0
