"""The sheets of the import template: their columns, headings, code lists and explanations."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["EXPLANATION_SHEET", "LISTS_SHEET", "SHEETS", "Column", "SheetSpec", "column_key"]

EXPLANATION_SHEET = "columns"
LISTS_SHEET = "lists"


@dataclass(frozen=True)
class Column:
    """One column: its key (the English heading), Japanese heading, code list and meaning."""

    key: str
    ja: str
    help: str
    required: bool = False
    #: The code list its drop-down offers (a key of :data:`llgraph.sheets.match.LISTS`).
    codes: str | None = None
    example: str = ""

    @property
    def heading(self) -> str:
        """The heading cell: Japanese, then the key that identifies the column."""
        return f"{self.ja} / {self.key}"


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the template."""

    name: str
    ja: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        """The column called ``key``."""
        return next(c for c in self.columns if c.key == key)


_SOURCE = Column(
    "source",
    "出典",
    "Where the row's facts are stated: publication and page, or a URL; or the id of a source "
    "already in the graph (report/jetro-2008/interviews). Several ids: separate with ;",
    True,
    example="JETRO 年次報告 2009, p. 12",
)
_PARTNERSHIP = Column(
    "partnership",
    "テーマ",
    "The partnership: its id (ll-fukushima-sweden) or label, in the graph or in the sheet",
    True,
    "partnerships",
    "ll-fukushima-sweden",
)

SHEETS: dict[str, SheetSpec] = {
    spec.name: spec
    for spec in (
        SheetSpec(
            "partnerships",
            "テーマ",
            (
                Column(
                    "id",
                    "ID",
                    "Lowercase letters, digits and hyphens (ll-nagano-dalian); left empty, it is "
                    "made from programme, regions, industry and start year",
                    example="ll-kitakyushu-dalian",
                ),
                Column(
                    "label_ja",
                    "名称（日本語）",
                    "The theme as written",
                    True,
                    example="北九州市－中国大連市（環境）",
                ),
                Column(
                    "label_en",
                    "名称（英語）",
                    "The theme in English",
                    True,
                    example="Kitakyushu – Dalian (environment)",
                ),
                Column("programme", "事業", "LL or RIT: id or label", True, "programmes", "ll"),
                Column(
                    "domestic_region",
                    "国内地域",
                    "Id (jp-nagano) or label (長野県); several: separate with ;",
                    True,
                    "domestic-regions",
                    "jp-fukuoka",
                ),
                Column(
                    "overseas_region",
                    "海外地域",
                    "Id (cn-dalian) or label (スウェーデン); several: separate with ;",
                    True,
                    "overseas-regions",
                    "cn-dalian",
                ),
                Column(
                    "industry",
                    "産業分野",
                    "Id (ll/metal-machining) or label",
                    True,
                    "industries",
                    "ll/environment",
                ),
                Column(
                    "start_year", "開始年度", "Fiscal year: 2004, FY2004, H16", True, example="2004"
                ),
                Column("end_year", "終了年度", "Fiscal year; empty when unknown", example="2006"),
                Column(
                    "fiscal_years",
                    "実施年度",
                    "Years it is listed in, when the start is unknown (several: separate with ;)",
                    example="2008",
                ),
                _SOURCE,
            ),
        ),
        SheetSpec(
            "institutions",
            "実施機関",
            (
                _PARTNERSHIP,
                Column(
                    "institution_ja",
                    "機関名（日本語）",
                    "An institution of the graph (id or label) or a new one, as written",
                    True,
                    "institutions",
                    "北九州市",
                ),
                Column(
                    "institution_en",
                    "機関名（英語）",
                    "English name (a new institution only)",
                    example="City of Kitakyushu",
                ),
                Column(
                    "institution_type",
                    "機関の種類",
                    "A new institution's type",
                    False,
                    "institution-types",
                    "local-government",
                ),
                Column(
                    "role",
                    "役割",
                    "Its role in the partnership",
                    True,
                    "roles",
                    "domestic-implementing-body",
                ),
                _SOURCE,
            ),
        ),
        SheetSpec(
            "activities",
            "活動",
            (
                _PARTNERSHIP,
                Column(
                    "activity_type",
                    "活動の種類",
                    "Id or label",
                    True,
                    "activity-types",
                    "mission-dispatch",
                ),
                Column("times", "回数", "How many times (a whole number from 1)", example="2"),
                Column(
                    "participants", "人数", "How many people (a whole number from 1)", example="11"
                ),
                _SOURCE,
            ),
        ),
        SheetSpec(
            "outcomes",
            "成果",
            (
                _PARTNERSHIP,
                Column(
                    "outcome_type", "成果の種類", "Id or label", True, "outcome-types", "contract"
                ),
                Column(
                    "description_ja",
                    "内容（日本語）",
                    "The outcome as written",
                    True,
                    example="現地企業と技術提携契約を締結",
                ),
                Column(
                    "description_en",
                    "内容（英語）",
                    "The outcome in English",
                    True,
                    example="A technical cooperation contract with a local company",
                ),
                Column(
                    "organisations",
                    "関係機関",
                    "Institutions involved (id or label); several: separate with ;",
                    False,
                    "institutions",
                    "北九州市",
                ),
                _SOURCE,
            ),
        ),
        SheetSpec(
            "regions",
            "地域",
            (
                Column(
                    "id",
                    "ID",
                    "New region's id: lowercase letters, digits, hyphens",
                    True,
                    example="jp-kitakyushu-city",
                ),
                Column("label_ja", "名称（日本語）", "As written", True, example="北九州市"),
                Column("label_en", "名称（英語）", "In English", True, example="Kitakyushu City"),
                Column("level", "地域レベル", "Id or label", True, "region-levels", "municipality"),
                Column(
                    "contained_in",
                    "上位地域",
                    "The region it lies in (id or label)",
                    True,
                    "regions",
                    "jp-fukuoka",
                ),
                Column(
                    "prefecture_code",
                    "都道府県コード",
                    "JIS X 0401, for a prefecture",
                    example="40",
                ),
                Column(
                    "country_code", "国コード", "ISO 3166-1 alpha-2, for a country", example="VN"
                ),
                _SOURCE,
            ),
        ),
    )
}


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def column_key(heading: object, spec: SheetSpec) -> str | None:
    """The column a heading cell names: ``ja / key``, the key alone or the Japanese alone."""
    text = _norm(str(heading or ""))
    for column in spec.columns:
        if text in {_norm(column.heading), column.key, _norm(column.ja)}:
            return column.key
        if text.endswith("/ " + column.key) or text.endswith("/" + column.key):
            return column.key
    return None
