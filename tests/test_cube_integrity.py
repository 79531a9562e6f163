"""The W3C RDF Data Cube integrity constraints IC-1..IC-21 hold on the loaded graph.

The constraints and the normalisation algorithm are those of the W3C Recommendation
(https://www.w3.org/TR/vocab-data-cube/#wf-rules): each ASK query finds a violation,
so every one must answer false on the normalised graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from rdflib import Graph, Literal

from llgraph.config import Settings
from llgraph.load import LoadedData, parse_files
from llgraph.namespaces import DCTERMS, ID, LLO, QB, SH, XSD
from llgraph.project import load_validated
from llgraph.store import MemoryStore, Store, open_store
from llgraph.validate import validate_data

PREFIXES = """
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
"""

# 11.1 Normalization algorithm: phase 1 (type and property closure) and
# phase 2 (push down attachment levels).
NORMALIZATION = [
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    """INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty }
       WHERE { ?cs qb:dimension ?p }""",
    """INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty }
       WHERE { ?cs qb:measure ?p }""",
    """INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty }
       WHERE { ?cs qb:attribute ?p }""",
    """INSERT { ?obs ?comp ?value } WHERE {
         ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
         ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
         ?obs qb:dataSet ?dataset .
       }""",
    """INSERT { ?obs ?comp ?value } WHERE {
         ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
         ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
         ?slice ?comp ?value ; qb:observation ?obs .
       }""",
    """INSERT { ?obs ?comp ?value } WHERE {
         ?spec qb:componentProperty ?comp .
         ?comp a qb:DimensionProperty .
         ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
         ?slice ?comp ?value ; qb:observation ?obs .
       }""",
]

CONSTRAINTS = {
    "IC-1 Unique DataSet": """ASK {
      { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
      UNION
      { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 .
        FILTER (?dataset1 != ?dataset2) }
    }""",
    "IC-2 Unique DSD": """ASK {
      { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd . } }
      UNION
      { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) }
    }""",
    "IC-3 DSD includes measure": """ASK {
      ?dsd a qb:DataStructureDefinition .
      FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty [ a qb:MeasureProperty ] ] }
    }""",
    "IC-4 Dimensions have range": """ASK {
      ?dim a qb:DimensionProperty .
      FILTER NOT EXISTS { ?dim rdfs:range [] }
    }""",
    "IC-5 Concept dimensions have code lists": """ASK {
      ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
      FILTER NOT EXISTS { ?dim qb:codeList [] }
    }""",
    "IC-6 Only attributes may be optional": """ASK {
      ?dsd qb:component ?componentSpec .
      ?componentSpec qb:componentRequired "false"^^xsd:boolean ;
                     qb:componentProperty ?component .
      FILTER NOT EXISTS { ?component a qb:AttributeProperty }
    }""",
    "IC-7 Slice Keys must be declared": """ASK {
      ?sliceKey a qb:SliceKey .
      FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?sliceKey }
    }""",
    "IC-8 Slice Keys consistent with DSD": """ASK {
      ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
      ?dsd qb:sliceKey ?slicekey .
      FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty ?prop ] }
    }""",
    "IC-9 Unique slice structure": """ASK {
      { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
      UNION
      { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2 . FILTER (?key1 != ?key2) }
    }""",
    "IC-10 Slice dimensions complete": """ASK {
      ?slice qb:sliceStructure [ qb:componentProperty ?dim ] .
      FILTER NOT EXISTS { ?slice ?dim [] }
    }""",
    "IC-11 All dimensions required": """ASK {
      ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty ;
      FILTER NOT EXISTS { ?obs ?dim [] }
    }""",
    "IC-12 No duplicate observations": """ASK {
      FILTER (?allEqual)
      {
        SELECT (MIN(?equal) AS ?allEqual) WHERE {
          ?obs1 qb:dataSet ?dataset .
          ?obs2 qb:dataSet ?dataset .
          FILTER (?obs1 != ?obs2)
          ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
          ?dim a qb:DimensionProperty .
          ?obs1 ?dim ?value1 .
          ?obs2 ?dim ?value2 .
          BIND (?value1 = ?value2 AS ?equal)
        } GROUP BY ?obs1 ?obs2
      }
    }""",
    "IC-13 Required attributes": """ASK {
      ?obs qb:dataSet/qb:structure/qb:component ?component .
      ?component qb:componentRequired "true"^^xsd:boolean ;
                 qb:componentProperty ?attr .
      FILTER NOT EXISTS { ?obs ?attr [] }
    }""",
    "IC-14 All measures present": """ASK {
      ?obs qb:dataSet/qb:structure ?dsd .
      FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
      ?dsd qb:component/qb:componentProperty ?measure .
      ?measure a qb:MeasureProperty ;
      FILTER NOT EXISTS { ?obs ?measure [] }
    }""",
    "IC-15 Measure dimension consistent": """ASK {
      ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
      ?dsd qb:component/qb:componentProperty qb:measureType .
      FILTER NOT EXISTS { ?obs ?measure [] }
    }""",
    "IC-16 Single measure on measure dimension observation": """ASK {
      ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
      ?dsd qb:component/qb:componentProperty qb:measureType ;
           qb:component/qb:componentProperty ?omeasure .
      ?omeasure a qb:MeasureProperty .
      FILTER (?omeasure != ?measure)
    }""",
    "IC-17 All measures present in measures dimension cube": """ASK {
      {
        SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
          {
            SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
              ?dsd qb:component/qb:componentProperty ?m .
              ?m a qb:MeasureProperty .
            } GROUP BY ?dsd
          }
          ?obs1 qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType ?m1 .
          ?obs2 qb:dataSet ?dataset ; qb:measureType ?m2 .
          FILTER NOT EXISTS {
            ?dsd qb:component/qb:componentProperty ?dim .
            FILTER (?dim != qb:measureType)
            ?dim a qb:DimensionProperty .
            ?obs1 ?dim ?v1 .
            ?obs2 ?dim ?v2 .
            FILTER (?v1 != ?v2)
          }
        } GROUP BY ?obs1 ?numMeasures
          HAVING (COUNT(?obs2) != ?numMeasures)
      }
    }""",
    "IC-18 Consistent data set links": """ASK {
      ?dataset qb:slice ?slice .
      ?slice qb:observation ?obs .
      FILTER NOT EXISTS { ?obs qb:dataSet ?dataset . }
    }""",
    "IC-19a Codes from code list (concept scheme)": """ASK {
      ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty ; qb:codeList ?list .
      ?list a skos:ConceptScheme .
      ?obs ?dim ?v .
      FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list }
    }""",
    "IC-19b Codes from code list (collection)": """ASK {
      ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty ; qb:codeList ?list .
      ?list a skos:Collection .
      ?obs ?dim ?v .
      FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v }
    }""",
    "IC-20 Codes from hierarchy": """ASK {
      ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty ; qb:codeList ?list .
      ?list a qb:HierarchicalCodeList ; qb:parentChildProperty ?pcp .
      ?obs ?dim ?v .
      FILTER NOT EXISTS { ?list qb:hierarchyRoot/<$p>* ?v }
    }""",
    "IC-21 Codes from hierarchy (inverse)": """ASK {
      ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty ; qb:codeList ?list .
      ?list a qb:HierarchicalCodeList ; qb:parentChildProperty ?pcp .
      ?obs ?dim ?v .
      FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<$p>)* ?v }
    }""",
}

# IC-20 and IC-21 are templates: $p stands for each qb:parentChildProperty in the
# graph (a property path cannot be a variable). The project has no hierarchical
# code list, which the test below checks, so there is no value to substitute.
TEMPLATES = {"IC-20 Codes from hierarchy", "IC-21 Codes from hierarchy (inverse)"}


def oxigraph(graph: Graph) -> Store:
    """An Oxigraph store holding ``graph``: IC-12 pairs observations, too slow for rdflib."""
    store = open_store("oxigraph")
    store.replace(graph)
    return store


def violated(store: Store, name: str, prop: str = "") -> bool:
    return bool(store.query(PREFIXES + CONSTRAINTS[name].replace("$p", prop)).askAnswer)


@pytest.fixture(scope="module")
def normalised(settings: Settings) -> Graph:
    """The ontology and validated data in one graph, normalised per the Data Cube spec."""
    store = MemoryStore()
    load_validated(settings, store)
    graph = Graph()
    graph += store.graph()
    for update in NORMALIZATION:
        graph.update(PREFIXES + update)
    return graph


@pytest.fixture(scope="module")
def cube(normalised: Graph) -> Iterator[Store]:
    store = oxigraph(normalised)
    yield store
    store.close()


def test_the_graph_has_cubes_to_check(normalised: Graph) -> None:
    assert len(set(normalised.subjects(predicate=QB.structure))) == 5
    assert len(set(normalised.subjects(predicate=QB.dataSet))) == 108 + 3 * 100 + 9


@pytest.mark.parametrize("name", [n for n in CONSTRAINTS if n not in TEMPLATES])
def test_integrity_constraint_holds(cube: Store, name: str) -> None:
    assert not violated(cube, name), f"{name} is violated"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_hierarchy_constraints_hold(cube: Store, normalised: Graph, name: str) -> None:
    properties = set(normalised.objects(predicate=QB.parentChildProperty))
    for prop in properties:
        assert not violated(cube, name, str(prop)), f"{name} is violated for {prop}"
    assert not properties  # no hierarchical code list: the constraint holds vacuously


def test_duplicate_check_finds_a_duplicate(normalised: Graph) -> None:
    """IC-12 is not vacuous: a copy of an observation under a new IRI is caught."""
    broken = Graph()
    broken += normalised
    original = ID["dataset/survey-obstacles/obs/funding-it"]
    copy = ID["dataset/survey-obstacles/obs/funding-it-copy"]
    for p, o in normalised.predicate_objects(original):
        broken.add((copy, p, o))
    assert violated(oxigraph(broken), "IC-12 No duplicate observations")


def test_code_list_check_finds_a_foreign_code(normalised: Graph) -> None:
    """IC-19 is not vacuous: a code outside its code list is caught."""
    broken = Graph()
    broken += normalised
    obs = ID["dataset/survey-obstacles/obs/funding-it"]
    broken.set((obs, LLO.obstacle, ID["partner-expectation/high-design-capability"]))
    assert violated(oxigraph(broken), "IC-19a Codes from code list (concept scheme)")


# ------------------------------------------------- SHACL shapes (ontology/shapes-cube.ttl)

OBS = ID["dataset/survey-involvement-outcomes/obs/full-during-ll"]
DATASET = ID["dataset/survey-involvement-outcomes"]


@pytest.fixture(scope="module")
def small_cube(settings: Settings) -> tuple[LoadedData, Graph, Graph]:
    """Two real tables with what they refer to, the cube shapes, the ontology."""
    data_dir = settings.data_paths[0]
    names = [
        "survey-involvement-outcomes.ttl",
        "survey-obstacles.ttl",
        "survey-codes.ttl",
        "survey.ttl",
    ]
    data = parse_files([data_dir / name for name in names])
    shapes = parse_files([settings.ontology_dir / "shapes-cube.ttl"]).graph
    return data, shapes, parse_files(settings.ontology_files).graph


def problems_after(
    small_cube: tuple[LoadedData, Graph, Graph], change: Callable[[Graph], object]
) -> list[str]:
    data, shapes, ontology = small_cube
    graph = Graph()
    graph += data.graph
    change(graph)
    report = validate_data(LoadedData(graph=graph, files=data.files), shapes, ontology)
    return [p.message for p in report.problems]


def test_the_real_table_conforms(small_cube: tuple[LoadedData, Graph, Graph]) -> None:
    assert problems_after(small_cube, lambda g: None) == []


BROKEN: dict[str, tuple[Callable[[Graph], object], str]] = {
    "missing dimension": (
        lambda g: g.remove((OBS, LLO.outcomeTiming, None)),
        f"needs exactly one value of {LLO.outcomeTiming}",
    ),
    "two values of a dimension": (
        lambda g: g.add((OBS, LLO.outcomeTiming, ID["outcome-timing/not-yet"])),
        f"needs exactly one value of {LLO.outcomeTiming}",
    ),
    "code outside the code list": (
        lambda g: g.set((OBS, LLO.outcomeTiming, ID["involvement-level/some"])),
        "llo:outcomeTiming must be a concept of its code list scheme:outcome-timing",
    ),
    "missing measure": (
        lambda g: g.remove((OBS, LLO.responseCount, None)),
        f"needs exactly one value of {LLO.responseCount}",
    ),
    "two measure values": (
        lambda g: g.add((OBS, LLO.responseCount, Literal(27, datatype=XSD.nonNegativeInteger))),
        f"needs exactly one value of {LLO.responseCount}",
    ),
    "measure not a non-negative integer": (
        lambda g: g.set((OBS, LLO.responseCount, Literal(26))),
        "llo:responseCount must be an xsd:nonNegativeInteger",
    ),
    "component not in the structure": (
        lambda g: g.add((OBS, LLO.obstacle, ID["obstacle/funding"])),
        f"uses {LLO.obstacle}, which is not a component",
    ),
    "title without English": (
        lambda g: g.remove(
            (
                DATASET,
                DCTERMS.title,
                Literal(
                    "Implementing body's involvement and contribution, by outcome timing", lang="en"
                ),
            )
        ),
        "needs a dcterms:title in English",
    ),
    "no unit": (
        lambda g: g.remove((DATASET, LLO.unit, None)),
        "needs exactly one llo:unit",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_shape_rejects_a_broken_table(
    small_cube: tuple[LoadedData, Graph, Graph], case: str
) -> None:
    change, expected = BROKEN[case]
    messages = problems_after(small_cube, change)
    assert any(expected in m for m in messages), messages


def test_code_list_shapes_follow_the_ontology(small_cube: tuple[LoadedData, Graph, Graph]) -> None:
    """Each coded property of ontology/cube.ttl has a shape checking its very code list."""
    _, shapes, ontology = small_cube
    declared = {(p, lst) for p, lst in ontology.subject_objects(QB.codeList)}
    checked = set()
    for shape in shapes.subjects(SH.targetSubjectsOf):
        prop = shapes.value(shape, SH.targetSubjectsOf)
        for spec in shapes.objects(shape, SH.property):
            node = shapes.value(spec, SH.node)
            inner = shapes.value(node, SH.property) if node is not None else None
            if inner is not None:
                checked.add((prop, shapes.value(inner, SH.hasValue)))
    assert len(declared) == 9
    assert checked == declared
