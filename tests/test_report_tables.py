"""The report's numeric tables, reproduced by queries/table-*.rq, compared cell by cell."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rdflib import Graph

from llgraph.config import Settings
from llgraph.namespaces import DCTERMS, ID, LLO, PROV, QB, RDF, RDFS
from llgraph.queries import NamedQuery, load_catalogue
from llgraph.store import Store

# The tables as the report prints them: one line per row, cells separated by "|",
# a blank cell stays blank. The first line is the printed column headings.

LL_COLUMNS = (
    "(地域 経済産業局) | 食品・食品加工・飲料 | 繊維・ファッション | 住宅・建材・木材・建設"
    " | 工芸品 | 金属・機械加工 | 医療・福祉機器 | IT産業 | バイオテクノロジー | 環境"
    " | コンテンツ・デザイン | 観光 | 総計"
)

LL_THEMES_BY_DOMESTIC_REGION = (
    LL_COLUMNS
    + """
北海道 |  1 |    |  2 |    |    |    |  1 |    |  1 |    |    |   5
東北   |  7 |  2 |  5 |  3 |  1 |  2 |  4 |  1 |  2 |    |  1 |  28
関東   |  4 |  3 |  1 |  4 | 13 |  1 |  8 |  3 |  3 |  3 |    |  43
中部   |  1 |  2 |  1 |  4 |  1 |  4 |  7 |    |  2 |  1 |  1 |  24
近畿   |  1 |  6 |    |    |  3 |  2 |  2 |  4 |  3 |  1 |  1 |  23
中国   |  5 |  3 |    |    |  3 |  3 |  3 |  1 |  3 |    |  1 |  22
四国   |  3 |    |  1 |  1 |  1 |  1 |  1 |    |  1 |    |  1 |  10
九州   |  5 |  1 |  3 |  3 |  2 |  1 | 12 |  5 | 10 |    |  3 |  45
総計   | 27 | 17 | 13 | 15 | 24 | 14 | 38 | 14 | 25 |  5 |  8 | 200
"""
)

SURVEY_COLUMNS = (
    " | 合計 | IT産業 | バイオテクノロジー | 医療・福祉機器 | 工芸品(食器・家具・繊維) | 環境"
    " | 金属・機械加工 | 酒食品・食品加工 | 住宅・建設材・木材 | コンテンツ・観光・デザイン"
)

PARTNER_EXPECTATIONS = (
    SURVEY_COLUMNS
    + """
全体                                   | 131 | 29 | 11 | 9 | 20 | 13 | 17 | 14 | 8 | 10
地域と同種の産業集積                   |  49 | 16 |  6 | 3 | 10 |  3 |  4 |  3 | 0 |  4
先進技術の集積                         |  43 | 11 |  4 | 5 |  2 |  8 |  8 |  2 | 2 |  1
既存の交流実績                         |  33 | 11 |  5 | 4 |  0 |  1 |  4 |  3 | 3 |  2
地域と補完可能な産業集積               |  20 |  3 |  2 | 2 |  1 |  3 |  6 |  3 | 0 |  0
高いデザイン能力                       |  20 |  0 |  0 | 2 | 12 |  0 |  1 |  1 | 1 |  3
優れたブランド・イメージ               |  20 |  3 |  0 | 0 |  6 |  4 |  0 |  4 | 0 |  3
地域が持つ技術等に対する相手先のニーズ |  16 |  4 |  3 | 0 |  2 |  3 |  4 |  0 | 0 |  0
調達したい原材料等の存在               |  11 |  2 |  1 | 0 |  1 |  0 |  0 |  4 | 2 |  1
プロジェクト運営・運用ノウハウの蓄積   |  10 |  1 |  1 | 1 |  0 |  2 |  1 |  0 | 1 |  3
"""
)

IMPLEMENTATION_STRUCTURE = (
    SURVEY_COLUMNS
    + """
全体                   | 131 | 29 | 11 | 9 | 20 | 13 | 17 | 14 | 8 | 10
地域企業               | 100 | 20 |  9 | 9 | 13 | 12 | 14 | 10 | 5 |  8
都道府県・支援機関     |  67 | 14 |  5 | 6 | 11 |  6 |  8 |  8 | 4 |  5
市区町村・支援機関     |  65 | 10 |  5 | 4 | 10 |  8 |  6 |  9 | 5 |  8
大学・高専等           |  52 | 11 |  6 | 5 |  5 |  8 |  7 |  1 | 4 |  5
商工会(議所)           |  47 | 11 |  1 | 3 |  6 |  7 |  5 |  7 | 2 |  5
その他の組合・業界団体 |  39 |  7 |  3 | 2 |  8 |  2 |  4 |  4 | 3 |  6
国(地方局等)・支援機関 |  21 |  6 |  0 | 2 |  0 |  2 |  4 |  4 | 3 |  0
コンサルタント事務所   |  17 |  3 |  3 | 1 |  1 |  6 |  0 |  0 | 1 |  2
産学官連携 計          |  46 |  9 |  5 | 5 |  4 |  6 |  7 |  2 | 3 |  5
"""
)

INVOLVEMENT_OUTCOMES = """
 | LL内で成果が出た | LL終了後成果が出た | まだ成果が出ていない
「十分に関与・貢献できた」   | 26 |  9 |  7
「ある程度関与・貢献できた」 | 14 | 24 | 12
「どちらともいえない」       |  1 |  2 |  3
"""

OBSTACLES = (
    SURVEY_COLUMNS
    + """
全体                     | 131 | 29 | 11 | 9 | 20 | 13 | 17 | 14 | 8 | 10
交流相手先との意思疎通   |  44 | 14 |  2 | 2 |  7 |  4 |  6 |  2 | 3 |  4
意欲ある参加者の確保     |  36 |  8 |  4 | 3 |  1 |  4 |  5 |  5 | 2 |  4
交流相手先ニーズの把握   |  31 |  9 |  1 | 4 |  3 |  3 |  6 |  2 | 2 |  1
国際産業交流への機運醸成 |  17 |  6 |  1 | 2 |  0 |  2 |  2 |  1 | 1 |  2
資金調達・確保           |  16 |  3 |  1 | 0 |  0 |  3 |  1 |  2 | 2 |  4
ノウハウを持つ人材の確保 |  13 |  0 |  2 | 1 |  2 |  1 |  1 |  1 | 2 |  3
技術開発・商品開発の方法 |  13 |  2 |  3 | 0 |  1 |  4 |  1 |  1 | 0 |  1
地域産業界へのPR         |  10 |  4 |  0 | 0 |  1 |  3 |  1 |  0 | 1 |  0
社会経済状況の変化       |   9 |  1 |  0 | 1 |  2 |  1 |  4 |  0 | 0 |  0
"""
)

SURVEY_VARIABLES = (
    "total",
    "it",
    "biotechnology",
    "medicalWelfareEquipment",
    "craftsTablewareFurnitureTextiles",
    "environment",
    "metalMachining",
    "food",
    "housingConstruction",
    "contentTourismDesign",
)


@dataclass(frozen=True)
class Table:
    """One printed table, the query reproducing it, and the dataset holding it."""

    query: str
    dataset: str
    printed: str
    variables: tuple[str, ...]
    survey: bool = True

    @property
    def headings(self) -> list[str]:
        return [c.strip() for c in self.printed.strip("\n").splitlines()[0].split("|")[1:]]

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """(row heading, cells as printed: digits or blank) for every printed row."""
        rows = []
        for line in self.printed.strip("\n").splitlines()[1:]:
            head, *cells = (c.strip() for c in line.split("|"))
            rows.append((head, cells))
        return rows

    def expected(self) -> list[tuple[str, list[int]]]:
        """The printed rows with blank cells read as 0 (see the dataset's rdfs:comment)."""
        return [(head, [int(c) if c else 0 for c in cells]) for head, cells in self.rows]


TABLES = {
    "ll-themes": Table(
        "table-ll-themes-by-domestic-region",
        "ll-themes-by-domestic-region",
        LL_THEMES_BY_DOMESTIC_REGION,
        (
            "food",
            "textilesFashion",
            "housingConstruction",
            "crafts",
            "metalMachining",
            "medicalWelfareEquipment",
            "it",
            "biotechnology",
            "environment",
            "contentDesign",
            "tourism",
            "total",
        ),
        survey=False,
    ),
    "partner-expectations": Table(
        "table-survey-partner-expectations",
        "survey-partner-expectations",
        PARTNER_EXPECTATIONS,
        SURVEY_VARIABLES,
    ),
    "implementation-structure": Table(
        "table-survey-implementation-structure",
        "survey-implementation-structure",
        IMPLEMENTATION_STRUCTURE,
        SURVEY_VARIABLES,
    ),
    "involvement-outcomes": Table(
        "table-survey-involvement-outcomes",
        "survey-involvement-outcomes",
        INVOLVEMENT_OUTCOMES,
        ("duringLl", "afterLl", "notYet"),
    ),
    "obstacles": Table("table-survey-obstacles", "survey-obstacles", OBSTACLES, SURVEY_VARIABLES),
}

CELL_COUNT = """
SELECT (COUNT(?obs) AS ?n) WHERE { ?obs a qb:Observation ; qb:dataSet ?dataset }
"""


CAPTIONS = {
    "ll-themes": "実施済LL事業案件の国別・事業別分布 <国内地域別>",
    "partner-expectations": "交流相手先に求めるもの",
    "implementation-structure": "事業実施体制",
    "involvement-outcomes": "実施機関の事業への関与・貢献程度",
    "obstacles": "具体的成果を出す際の障害・課題",
}


@pytest.fixture(scope="module")
def content(store: Store) -> Graph:
    """Every triple of the store, to read with rdflib."""
    graph = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
    assert graph is not None
    return graph


@pytest.fixture(scope="module")
def catalogue(settings: Settings) -> dict[str, NamedQuery]:
    return load_catalogue(settings.queries_dir)


def run_table(store: Store, query: NamedQuery, table: Table) -> list[tuple[str, list[int]]]:
    """Run the table's named query; (row label, cells in the printed column order)."""
    result = store.query(query.query.text)
    return [
        (str(row.label), [int(row[var]) for var in table.variables])
        for row in result  # type: ignore[union-attr]
    ]


@pytest.mark.parametrize("name", TABLES)
def test_query_reproduces_the_printed_table(
    store: Store, catalogue: dict[str, NamedQuery], name: str
) -> None:
    table = TABLES[name]
    assert len(table.headings) == len(table.variables)
    got = run_table(store, catalogue[table.query], table)
    assert [label for label, _ in got] == [head for head, _ in table.expected()]
    for (head, want), (_, have) in zip(table.expected(), got, strict=True):
        for heading, w, h in zip(table.headings, want, have, strict=True):
            assert h == w, f"{name}: row {head}, column {heading}: graph has {h}, report {w}"


@pytest.mark.parametrize("name", TABLES)
def test_every_printed_cell_is_one_observation(store: Store, name: str) -> None:
    """The queries sum cells; this guards against a missing cell read as 0."""
    table = TABLES[name]
    printed = sum(len(cells) for _, cells in table.rows)
    (row,) = store.query(CELL_COUNT, bindings={"dataset": ID[f"dataset/{table.dataset}"]})
    assert int(row[0]) == printed  # type: ignore[index]


@pytest.mark.parametrize("name", ["partner-expectations", "implementation-structure", "obstacles"])
def test_survey_rows_sum_to_their_total(name: str) -> None:
    rows = TABLES[name].expected()
    for head, (total, *groups) in rows:
        assert sum(groups) == total, head
    assert rows[0] == ("全体", [131, 29, 11, 9, 20, 13, 17, 14, 8, 10])


def test_ll_themes_totals_add_up() -> None:
    rows = TABLES["ll-themes"].expected()
    *areas, (total_head, totals) = rows
    assert total_head == "総計"
    for head, cells in rows:
        assert sum(cells[:-1]) == cells[-1], head
    assert [sum(col) for col in zip(*(cells for _, cells in areas), strict=True)] == totals
    assert totals[-1] == 200


BUREAU_AREAS = ["hokkaido", "tohoku", "kanto", "chubu", "kinki", "chugoku", "shikoku", "kyushu"]
LL_INDUSTRIES = [
    "food",
    "textiles-fashion",
    "housing-construction",
    "crafts",
    "metal-machining",
    "medical-welfare-equipment",
    "it",
    "biotechnology",
    "environment",
    "content-design",
    "tourism",
]


def test_blank_cells_are_zero_observations_that_say_so(store: Store, content: Graph) -> None:
    """The report's blank cells are 0 observations, each with a comment; no other cell has one."""
    table = TABLES["ll-themes"]
    dataset = ID[f"dataset/{table.dataset}"]
    blanks = {
        ID[f"dataset/{table.dataset}/obs/{area}-{industry}"]
        for area, (_, cells) in zip(BUREAU_AREAS, table.rows, strict=False)
        for industry, cell in zip(LL_INDUSTRIES, cells, strict=False)
        if cell == ""
    }
    commented = """
    SELECT ?obs ?n WHERE { ?obs qb:dataSet ?dataset ; llo:themeCount ?n ; rdfs:comment ?c
                           FILTER (lang(?c) = "en") }
    """
    rows = list(store.query(commented, bindings={"dataset": dataset}))
    assert len(blanks) == 19
    assert {row[0] for row in rows} == blanks  # type: ignore[index]
    assert {int(row[1]) for row in rows} == {0}  # type: ignore[index]
    notes = [str(c) for c in content.objects(dataset, RDFS.comment)]
    assert any("19 blank cells are recorded as 0" in note for note in notes)


@pytest.mark.parametrize("name", TABLES)
def test_dataset_metadata(content: Graph, name: str) -> None:
    table = TABLES[name]
    graph = content
    dataset = ID[f"dataset/{table.dataset}"]
    assert graph.value(dataset, QB.structure) == ID[f"dataset/{table.dataset}/structure"]
    titles = {t.language for t in graph.objects(dataset, DCTERMS.title)}
    assert titles == {"ja", "en"}
    section = graph.value(dataset, DCTERMS.source)
    assert (section, RDF.type, LLO.ReportSection) in graph
    assert graph.value(dataset, LLO.unit) == ID["unit/count"]
    survey = ID["survey/ll-2007"]
    assert ((dataset, PROV.wasGeneratedBy, survey) in graph) is table.survey


@pytest.mark.parametrize("name", ["partner-expectations", "implementation-structure", "obstacles"])
def test_survey_tables_record_their_respondent_base(content: Graph, name: str) -> None:
    dataset = ID[f"dataset/{TABLES[name].dataset}"]
    (base,) = content.objects(dataset, LLO.responseBase)
    assert int(base) == 131  # type: ignore[call-overload]


@pytest.mark.parametrize("name", TABLES)
def test_catalogue_names_the_printed_table(catalogue: dict[str, NamedQuery], name: str) -> None:
    query = catalogue[TABLES[name].query]
    assert query.table == CAPTIONS[name]
    assert CAPTIONS[name] in query.description
    assert query.params == ()  # runs as it is


def test_involvement_table_has_no_invented_totals(
    store: Store, content: Graph, catalogue: dict[str, NamedQuery]
) -> None:
    """The report prints no totals for this table: the data holds the 9 printed cells only."""
    graph = content
    dataset = ID["dataset/survey-involvement-outcomes"]
    assert graph.value(dataset, LLO.responseBase) is None
    text = catalogue["table-survey-involvement-outcomes"].query.text
    computed = [int(row.computedRowTotal) for row in store.query(text)]  # type: ignore[union-attr]
    assert computed == [42, 50, 6]
