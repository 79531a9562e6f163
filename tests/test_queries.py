"""llgraph.queries: the #+ header, typed parameters, and every research query's real answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef

from llgraph.cli import main
from llgraph.config import Settings
from llgraph.errors import LoadError
from llgraph.namespaces import ID, XSD
from llgraph.queries import NamedQuery, ParameterError, load_catalogue, parse_file
from llgraph.sparql import execute
from llgraph.store import Store


@pytest.fixture(scope="module")
def store(backend_store: Store) -> Store:
    """Named queries: every backend."""
    return backend_store


HEADER = """#+ title: Partnerships by overseas country
#+ description: First line,
#+ description: second line.
#+ param: country iri id:region/cn "the country, e.g. id:region/se"
#+ param: from gYear 2004 first year
#+ param: min integer 1
#+ example: country=id:region/se
SELECT ?p WHERE { ?p llo:overseasRegion ?country ; llo:startFiscalYear ?from .
  FILTER (?min > 0) }
"""


def write(tmp_path: Path, text: str, name: str = "q.rq") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalogue(settings: Settings) -> dict[str, NamedQuery]:
    return load_catalogue(settings.queries_dir)


# ------------------------------------------------------------------ the header


def test_header_is_parsed(tmp_path: Path) -> None:
    query = parse_file(write(tmp_path, HEADER))
    assert query.name == "q"
    assert query.title == "Partnerships by overseas country"
    assert query.description == "First line, second line."
    assert [(p.name, p.type, p.default) for p in query.params] == [
        ("country", "iri", "id:region/cn"),
        ("from", "gYear", "2004"),
        ("min", "integer", "1"),
    ]
    assert query.params[0].description == "the country, e.g. id:region/se"
    assert query.examples == ("country=id:region/se",)
    assert query.query.form == "SELECT"


def test_defaults_and_values_become_typed_terms(tmp_path: Path) -> None:
    query = parse_file(write(tmp_path, HEADER))
    assert query.bindings() == {
        "country": ID["region/cn"],
        "from": Literal("2004", datatype=XSD.gYear),
        "min": Literal("1", datatype=XSD.integer),
    }
    given = query.bindings({"country": "https://w3id.org/llgraph/id/region/se", "min": "3"})
    assert given["country"] == URIRef("https://w3id.org/llgraph/id/region/se")
    assert given["min"] == Literal(3)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("country", "not an iri"),
        ("country", "<https://x.org/a> } ; DROP ALL ; {"),
        ("from", "2004 || true"),
        ("min", "1) } INSERT DATA { <a:b> <a:c> <a:d> } #"),
    ],
)
def test_wrong_typed_value_names_the_parameter(tmp_path: Path, name: str, value: str) -> None:
    query = parse_file(write(tmp_path, HEADER))
    with pytest.raises(ParameterError, match=f"parameter '{name}'") as info:
        query.bindings({name: value})
    assert info.value.parameter == name


def test_unknown_parameter_is_named(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="unknown parameter 'colour'") as info:
        parse_file(write(tmp_path, HEADER)).bindings({"colour": "red"})
    assert info.value.parameter == "colour"


def test_a_string_value_cannot_change_the_query(store: Store, catalogue) -> None:
    query = catalogue["partners-of-region"]
    hostile = '大連")) } UNION { ?region ?p ?o } #'
    rows = run(store, query, name=hostile)
    assert rows == []  # matched literally: no label contains that text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "no '#\\+ title:'"),
        (
            "#+ title: t\n#+ param: x colour red\nSELECT ?x WHERE { ?x ?p ?o }",
            "unknown parameter type",
        ),
        ("#+ title: t\n#+ param: x integer abc\nSELECT ?x WHERE { ?x ?p ?o }", "bad default"),
        ("#+ title: t\n#+ param: y integer 1\nSELECT ?x WHERE { ?x ?p ?o }", "has no \\?y"),
        ("#+ title: t\n#+ param: x\nSELECT ?x WHERE { ?x ?p ?o }", "NAME TYPE DEFAULT"),
        ("#+ title: t\nSELECT ?x WHERE { ?x ?p }", "syntax error"),
        ("#+ title: t\nINSERT DATA { <a:b> <a:c> <a:d> }", "read-only"),
    ],
)
def test_bad_query_files_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(LoadError, match=message) as info:
        parse_file(write(tmp_path, text))
    assert str(info.value).startswith(str(tmp_path / "q.rq"))


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="LLGRAPH_QUERIES"):
        load_catalogue(tmp_path / "nowhere")


def test_catalogue_holds_the_table_and_research_queries(catalogue) -> None:
    tables = [name for name in catalogue if name.startswith("table-")]
    research = [name for name in catalogue if not name.startswith("table-")]
    assert len(tables) >= 5
    assert len(research) >= 15
    assert all(catalogue[name].table for name in tables)
    for name in research:
        query = catalogue[name]
        assert query.title and query.description, name
        assert query.examples, f"{name} has no #+ example"
        for example in query.examples:  # every example is a valid set of values
            query.bindings(dict(pair.split("=", 1) for pair in example.split("&")))


# ------------------------------------------------------------------ real answers


def run(store: Store, query: NamedQuery, **values: str) -> list[dict[str, Any]]:
    """The rows of ``query`` on ``store`` as {variable: value} (values as strings)."""
    body = execute(store, query.query, "json", bindings=query.bindings(values))
    rows = json.loads(body)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def ids(rows: list[dict[str, Any]], key: str) -> set[str]:
    return {row[key].removeprefix(str(ID)) for row in rows if key in row}


def test_every_research_query_runs_with_its_defaults(store: Store, catalogue) -> None:
    for name, query in catalogue.items():
        if not name.startswith("table-"):
            assert run(store, query), f"{name} returned nothing with its defaults"


def test_partnerships_by_country(store: Store, catalogue) -> None:
    query = catalogue["partnerships-by-country"]
    china = run(store, query)
    assert ids(china, "partnership") >= {
        "partnership/ll-suwa-dalian",
        "partnership/ll-nagasaki-sichuan",
        "partnership/rit-iwate-dalian",
        "partnership/rit-kyushu-dalian",
        "partnership/rit-mie-shenyang",
    }
    suwa = next(r for r in china if r["partnership"].endswith("ll-suwa-dalian"))
    assert (suwa["firstYear"], suwa["lastYear"], suwa["overseas"]) == ("2004", "2006", "大連市")
    sweden = run(store, query, country="id:region/se", lang="en")
    assert ids(sweden, "partnership") == {"partnership/ll-fukushima-sweden"}
    assert sweden[0]["programme"].startswith("LL")


def test_partnerships_by_industry(store: Store, catalogue) -> None:
    query = catalogue["partnerships-by-industry"]
    assert ids(run(store, query), "partnership") == {
        "partnership/ll-iizuka-silicon-valley",
        "partnership/ll-nagasaki-daejeon",
        "partnership/rit-fukuoka-tamil-nadu",
        "partnership/rit-ishikawa-taiwan",
        "partnership/rit-kitakyushu-hanoi",
    }
    metal = run(store, query, industry="id:industry/ll/metal-machining")
    assert ids(metal, "partnership") == {"partnership/ll-suwa-dalian"}


def test_partnerships_by_programme(store: Store, catalogue) -> None:
    query = catalogue["partnerships-by-programme"]
    rit = run(store, query)
    assert len(rit) == 19  # 18 themes of the FY2008 map + Shimane–Texas in FY2007
    ll = run(store, query, programme="id:programme/ll")
    assert len(ll) == 10  # the ten interview cases
    assert ids(ll, "partnership") >= {"partnership/ll-suwa-dalian", "partnership/ll-fukui-lyon"}


def test_partnerships_by_fiscal_year(store: Store, catalogue) -> None:
    query = catalogue["partnerships-by-fiscal-year"]
    found = ids(run(store, query), "partnership")  # FY2004–2006
    assert {"partnership/ll-suwa-dalian", "partnership/ll-fukushima-sweden"} <= found
    assert "partnership/ll-iizuka-silicon-valley" not in found  # FY1998–2002
    early = ids(run(store, query, **{"from": "1996", "to": "2000"}), "partnership")
    assert early == {"partnership/ll-iizuka-silicon-valley", "partnership/ll-nagasaki-sichuan"}


def test_partnership_institutions(store: Store, catalogue) -> None:
    query = catalogue["partnership-institutions"]
    roles = {(row["institution"], row["role"]) for row in run(store, query)}
    org, role = str(ID) + "org/", str(ID) + "role/"
    assert (org + "fukushima-prefecture", role + "domestic-implementing-body") in roles
    assert (org + "invest-in-sweden-agency", role + "overseas-implementing-body") in roles
    assert (org + "umea-university", role + "overseas-implementing-body") in roles
    assert (org + "lund-university", role + "overseas-implementing-body") in roles
    iwate = ids(run(store, query, partnership="id:partnership/rit-iwate-dalian"), "institution")
    assert iwate == {"org/iwate-university", "org/dalian-university-of-technology"}


def test_activities_by_type(store: Store, catalogue) -> None:
    rows = run(store, catalogue["activities-by-type"])
    times = {r["partnership"].rsplit("/", 1)[1]: int(r["times"]) for r in rows}
    assert times == {"ll-suwa-dalian": 2, "ll-fukushima-sweden": 4}


def test_outcomes_by_type(store: Store, catalogue) -> None:
    contracts = run(store, catalogue["outcomes-by-type"])
    assert ids(contracts, "partnership") == {
        "partnership/rit-iwate-dalian",
        "partnership/rit-toyama-switzerland",
    }
    assert any("岩手大学" in row["label"] for row in contracts)


def test_activity_and_outcome_types(store: Store, catalogue) -> None:
    rows = run(store, catalogue["activity-and-outcome-types"], lang="en")
    counts = {(r["kind"], r["type"].rsplit("/", 1)[1]): int(r["count"]) for r in rows}
    assert counts[("activity", "mission-dispatch")] == 2
    assert counts[("outcome", "contract")] == 2
    assert counts[("outcome", "joint-venture")] == 1


def test_regions_in_both_programmes(store: Store, catalogue) -> None:
    rows = run(store, catalogue["regions-in-both-programmes"])
    assert ids(rows, "region") >= {
        "region/jp-nagano",  # Suwa–Dalian (LL), Suwa–Switzerland (RIT)
        "region/jp-shimane",  # Shimane–Texas under both
        "region/jp-toyama",  # Toyama–Milan (LL), Toyama–Switzerland (RIT)
        "region/jp-ishikawa",  # Ishikawa–Daegu (LL), Ishikawa–Taiwan (RIT)
    }
    counts = {r["region"].rsplit("/", 1)[1]: (int(r["llCount"]), int(r["ritCount"])) for r in rows}
    assert counts["jp-shimane"] == (2, 1)  # Shimane–Texas under both, one more under LL
    assert counts["jp-fukuoka"] == (1, 2)
    assert all(ll >= 1 and rit >= 1 for ll, rit in counts.values())


def test_success_factors_evidence(store: Store, catalogue) -> None:
    rows = run(store, catalogue["success-factors-evidence"])
    assert [int(r["number"]) for r in rows] == list(range(1, 9))
    third = rows[2]
    assert third["name"] == "広い視野に立った交流ビジョン"
    assert third["phase"] == "構想段階"
    assert third["partnership"].endswith("ll-suwa-dalian")
    assert "大連" in third["evidence"]
    assert rows[7]["region"] == "飯塚市"


def test_partners_of_dalian(store: Store, catalogue) -> None:
    rows = run(store, catalogue["partners-of-region"])
    partners = {(r["partnerLabel"], r["programme"]) for r in rows}
    assert ("諏訪地域", "LL事業") in partners
    assert ("岩手地域", "地域間交流支援(RIT)事業") in partners
    assert ("九州", "地域間交流支援(RIT)事業") in partners
    swiss = run(store, catalogue["partners-of-region"], name="Switzerland", lang="en")
    assert ids(swiss, "partnership") == {
        "partnership/rit-suwa-switzerland",
        "partnership/rit-toyama-switzerland",
        "partnership/rit-hiroshima-switzerland",
    }


def test_what_dalians_partners_have_in_common(store: Store, catalogue) -> None:
    rows = run(store, catalogue["partners-common-ground"])
    shared = {(r["aspect"], r["value"].removeprefix(str(ID))): int(r["partnerships"]) for r in rows}
    assert shared[("country", "region/cn")] == 3
    assert shared[("country", "region/jp")] == 3
    assert shared[("programme", "programme/rit")] == 2
    assert shared[("programme", "programme/ll")] == 1


def test_institutions_by_partnership_count(store: Store, catalogue) -> None:
    query = catalogue["institutions-by-partnership-count"]
    rows = run(store, query)
    assert "org/suwa-dalian-kai" in ids(rows, "institution")
    assert all(int(r["partnerships"]) == 1 for r in rows)
    assert run(store, query, min="2") == []  # the report names no institution twice


def test_institutions_by_role(store: Store, catalogue) -> None:
    query = catalogue["institutions-by-role"]
    overseas = ids(run(store, query), "institution")
    assert overseas == {
        "org/dalian-city",
        "org/invest-in-sweden-agency",
        "org/umea-university",
        "org/lund-university",
    }
    domestic = ids(run(store, query, role="id:role/domestic-implementing-body"), "institution")
    assert domestic == {"org/suwa-dalian-kai", "org/fukushima-prefecture"}


def test_interview_cases(store: Store, catalogue) -> None:
    rows = run(store, catalogue["interview-cases"])
    assert {int(r["position"]) for r in rows} == set(range(1, 11))
    sixth = [r for r in rows if r["position"] == "6" and "continuedAs" in r]
    assert [r["continuedAs"].rsplit("/", 1)[1] for r in sixth] == ["rit-shimane-texas"]
    first = next(r for r in rows if r["position"] == "1")
    assert (first["startYear"], first["endYear"]) == ("2003", "2006")


def test_ll_to_rit_continuations(store: Store, catalogue) -> None:
    rows = run(store, catalogue["ll-to-rit-continuations"])
    assert [(r["earlier"].rsplit("/", 1)[1], r["later"].rsplit("/", 1)[1]) for r in rows] == [
        ("ll-shimane-texas", "rit-shimane-texas")
    ]
    assert (rows[0]["earlierEnd"], rows[0]["laterStart"]) == ("2006", "2007")


def test_spillover_effects(store: Store, catalogue) -> None:
    rows = run(store, catalogue["spillover-effects"])
    assert len(rows) == 5
    assert (rows[0]["name"], rows[0]["country"]) == ("海外とのネットワーク", "英国")
    assert "オーストリア" in {r["country"] for r in rows}


def test_policy_background(store: Store, catalogue) -> None:
    query = catalogue["policy-background"]
    rows = {r["shortName"]: r for r in run(store, query) if "shortName" in r}
    assert (rows["B集積"]["startYear"], rows["B集積"]["agreedAreas"]) == ("1992", "118")
    assert (rows["B集積"]["llThemes"], rows["A集積"]["llThemes"]) == ("27", "11")
    later = run(store, query, since="2000")
    assert {r["startYear"] for r in later} == {"2001", "2006"}


def test_countries_by_partnerships(store: Store, catalogue) -> None:
    query = catalogue["countries-by-partnerships"]
    rit = run(store, query)
    assert (rit[0]["country"].removeprefix(str(ID)), rit[0]["partnerships"]) == ("region/cn", "5")
    ll = {
        r["country"].removeprefix(str(ID)): int(r["partnerships"])
        for r in run(store, query, programme="id:programme/ll")
    }
    assert ll["region/cn"] == 2  # Suwa–Dalian, Nagasaki–Sichuan
    assert ll["region/us"] == 2  # Shimane–Texas, Iizuka–Silicon Valley


def test_survey_overview(store: Store, catalogue) -> None:
    [row] = run(store, catalogue["survey-overview"])
    assert (row["targets"], row["sent"], row["validResponses"]) == ("200", "183", "131")
    assert row["responseRate"] == "71.6"
    assert (row["periodStart"], row["periodEnd"]) == ("2007-11", "2007-12")


# ------------------------------------------------------------------ `llgraph query`


def test_cli_runs_a_named_query_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "partnerships-by-country", "--param", "country=id:region/se"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["partnership", "label", "programme"]
    assert set(lines[1]) <= {"-", " "}
    assert [line.split()[0] for line in lines[2:]] == ["id:partnership/ll-fukushima-sweden"]


def test_cli_runs_a_query_file_as_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = write(tmp_path, "SELECT ?n WHERE { ?s llo:numberSent ?n }", "plain.rq")
    assert main(["query", "--file", str(plain), "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\r\n183\r\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "survey-overview", "--param", "colour=red"], "unknown parameter 'colour'"),
        (["query", "survey-overview", "--param", "survey"], "NAME=VALUE"),
        (["query", "no-such-query"], "no named query 'no-such-query'"),
        (["query"], "give a query NAME"),
    ],
)
def test_cli_errors_are_messages(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err
