"""The imported rows validated by the project's shapes with the data they join, located by row."""

from __future__ import annotations

from rdflib import Graph, URIRef

from llgraph.config import Settings
from llgraph.load import LoadedData, parse_files
from llgraph.namespaces import PREFIXES
from llgraph.sheets.context import Conversion
from llgraph.sheets.problems import SheetProblem
from llgraph.validate import Problem, validate_data

__all__ = ["shacl_problems"]

#: The column a shape's path is about (``{label}`` is the sheet's label column).
PATH_COLUMNS = {
    "rdfs:label": "{label}",
    "schema:description": "description",
    "llo:programme": "programme",
    "llo:domesticRegion": "domestic_region",
    "llo:overseasRegion": "overseas_region",
    "llo:industry": "industry",
    "llo:startFiscalYear": "start_year",
    "(llo:startFiscalYear|llo:fiscalYear)": "start_year",
    "llo:endFiscalYear": "end_year",
    "dcterms:source": "source",
    "dcterms:bibliographicCitation": "source",
    "org:member": "institution_ja",
    "org:organization": "partnership",
    "org:role": "role",
    "org:classification": "institution_type",
    "llo:partnership": "partnership",
    "llo:activityType": "activity_type",
    "llo:numberOfTimes": "times",
    "llo:numberOfParticipants": "participants",
    "llo:outcomeType": "outcome_type",
    "llo:involvedOrganization": "organisations",
    "llo:regionLevel": "level",
    "schema:containedInPlace": "contained_in",
    "llo:prefectureCode": "prefecture_code",
    "llo:countryCode": "country_code",
}
#: The column holding what the labels of a sheet's resources are made from.
LABEL_COLUMNS = {
    "partnerships": "label",
    "regions": "label",
    "outcomes": "description",
    "institutions": "institution",
    "activities": "activity_type",
}


#: What a spreadsheet user is told, by column, instead of the shape's RDF wording.
PLAIN = {
    "end_year": "the end year is before the start year: swap or correct the years",
    "times": "write a whole number from 1",
    "participants": "write a whole number from 1",
    "prefecture_code": "a prefecture needs its two-digit JIS X 0401 code (01 to 47)",
    "country_code": "a country needs its ISO 3166-1 alpha-2 code (two capital letters)",
}


def _message(problem: Problem, column: str) -> str:
    plain = PLAIN.get(column)
    value = problem.value.split("^^")[0].strip('"') if problem.value else ""
    if plain:
        return f"{value!r}: {plain}" if value else plain
    return problem.message + (f" (value: {value})" if value else "")


def _column(problem: Problem, sheet: str) -> str:
    column = PATH_COLUMNS.get(problem.path, "")
    column = column.format(label=LABEL_COLUMNS.get(sheet, "label"))
    if column in {"label", "description", "institution"}:
        english = "English" in problem.message or "@en" in problem.message.split(":")[0]
        column += "_en" if english else "_ja"
    if not column:  # a node shape: the years, or a region's codes
        message = problem.message
        column = next(
            (
                c
                for word, c in (
                    ("endFiscalYear", "end_year"),
                    ("prefectureCode", "prefecture_code"),
                    ("DomesticRegion", "contained_in"),
                )
                if word in message
            ),
            "id",
        )
    return column


def shacl_problems(
    conversion: Conversion, data: LoadedData, settings: Settings
) -> list[SheetProblem | str]:
    """Validate the new resources (in ``data.graph`` already) by the project's shapes."""
    focus = sorted({s for s in conversion.graph.subjects() if isinstance(s, URIRef)})
    if not focus:
        return []
    shapes = parse_files(settings.shapes_files).graph
    ontology = parse_files(settings.ontology_files).graph
    report = validate_data(data, shapes, ontology)  # whole: pyshacl's focus mode is quadratic
    names = Graph()
    for prefix, ns in PREFIXES.items():
        names.bind(prefix, str(ns), replace=True)
    short = {names.namespace_manager.normalizeUri(u): u for u in conversion.origin}
    found: list[SheetProblem | str] = []
    for problem in report.problems:
        where = conversion.origin.get(short.get(problem.focus, URIRef("")))
        if where is None:
            found.append(str(problem))
            continue
        table, row = where
        column = _column(problem, table.spec.name)
        message = _message(problem, column)
        found.append(SheetProblem(table.file, table.sheet, row.number, column, message))
    return found
