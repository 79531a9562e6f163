"""A deterministic synthetic partnership graph of a chosen size, for benchmarks only.

The output is shaped like the real graph and conforms to the shapes: regions at every
level under the real prefectures and countries, institutions, LL and RIT partnerships
with memberships, activities and outcomes on the real industries, activity and outcome
types, and Data Cube observations. Every generated resource carries
``dcterms:source id/report/synthetic-benchmark`` and a ``dcterms:description`` saying it
is synthetic; every file opens with a comment header saying so. It is written under
``bench/data/`` and is meant to be loaded together with ``data/ttl`` (whose concepts it
references), never into it.

    python -m bench.generate --triples 100000 [--seed 1] [--out bench/data/100k]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from llgraph.config import PROJECT_ROOT
from llgraph.load import parse_files
from llgraph.namespaces import ID, LLO, ORG, QB, RDF, SKOS

__all__ = ["BENCH_DATA", "Vocabulary", "generate"]

BENCH_DATA = Path(__file__).resolve().parent / "data"
MARKER = ID["report/synthetic-benchmark"]
PREFIXES = """@prefix llo: <https://w3id.org/llgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
"""


@dataclass(frozen=True)
class Vocabulary:
    """The real concepts (from data/ttl) the synthetic resources point at."""

    prefectures: list[str]
    countries: list[tuple[str, str]]
    industries: list[str]
    cube: dict[str, str]
    dimensions: dict[str, list[str]]
    measures: list[str]
    activity_types: list[str]
    outcome_types: list[str]
    institution_types: list[str]

    @classmethod
    def from_graph(cls, graph: Graph) -> Vocabulary:
        """Read the concept lists from the real data."""

        def of_level(level: str) -> list[URIRef]:
            return sorted(graph.subjects(LLO.regionLevel, ID[f"region-level/{level}"]))  # type: ignore[arg-type]

        def in_scheme(scheme: str) -> list[str]:
            return sorted(_id(s) for s in graph.subjects(SKOS.inScheme, ID[f"scheme/{scheme}"]))

        countries = [
            (_id(c), str(graph.value(c, LLO.countryCode)))
            for c in of_level("country")
            if graph.value(c, LLO.countryCode)
        ]
        return cls(
            prefectures=[_id(p) for p in of_level("prefecture")],
            countries=[(c, code) for c, code in countries if code != "JP"],
            industries=sorted(_id(s) for s in graph.subjects(RDF.type, LLO.Industry)),
            **_cube(graph, ID[f"dataset/{CUBE}"]),
            activity_types=sorted(_id(s) for s in graph.subjects(RDF.type, LLO.ActivityType)),
            outcome_types=sorted(_id(s) for s in graph.subjects(RDF.type, LLO.OutcomeType)),
            institution_types=sorted({_id(o) for o in graph.objects(None, ORG.classification)}),
        )


CUBE = "survey-obstacles"  # the real data set whose structure the observations follow


def _cube(graph: Graph, dataset: URIRef) -> dict[str, Any]:
    """The structure, attributes, dimension codes and measures of a real data set."""
    structure = graph.value(dataset, QB.structure)
    components = list(graph.objects(structure, QB.component))
    dims = [graph.value(c, QB.dimension) for c in components if graph.value(c, QB.dimension)]
    observations = list(graph.subjects(QB.dataSet, dataset))
    cube = {"qb:structure": structure.n3()}  # type: ignore[union-attr]
    for component in components:
        attribute = graph.value(component, QB.attribute)
        if attribute is not None and graph.value(dataset, attribute) is not None:
            cube[attribute.n3()] = graph.value(dataset, attribute).n3()  # type: ignore[union-attr]
    codes = {
        d.n3(): sorted({o.n3() for obs in observations for o in graph.objects(obs, d)})  # type: ignore[union-attr]
        for d in dims
    }
    measures = [graph.value(c, QB.measure).n3() for c in components if graph.value(c, QB.measure)]  # type: ignore[union-attr]
    return {"cube": cube, "dimensions": codes, "measures": measures}


_ID_NAME = re.compile(r"\bid:([\w/.-]+)")


def _id(node: object) -> str:
    """``id:path`` for an IRI under id/ (written out as a full IRI by :func:`_marked`)."""
    text = str(node)
    assert text.startswith(str(ID)), text
    return "id:" + text[len(str(ID)) :]


def _labels(ja: str, en: str) -> str:
    return f'rdfs:label "{ja}"@ja , "{en}"@en'


def _marked(subject: str, kind: str, body: list[str], seed: int) -> tuple[str, int]:
    """A Turtle block for one resource, with the synthetic marker; and its triple count."""
    lines = [
        f"{subject} a {kind}",
        *body,
        f"dcterms:source <{MARKER}>",
        f'dcterms:description "synthetic benchmark data (bench/generate.py, seed {seed})"@en',
    ]
    count = sum(1 + line.count(" , ") for line in lines)
    return _ID_NAME.sub(rf"<{ID}\1>", " ;\n    ".join(lines)) + " .\n", count


class _Generator:
    """Writes the resources in a fixed order from one seeded random source."""

    def __init__(self, vocab: Vocabulary, seed: int) -> None:
        self.v, self.seed, self.rng = vocab, seed, random.Random(seed)
        self.domestic: list[str] = []
        self.overseas: list[str] = []
        self.orgs: list[str] = []

    def block(self, subject: str, kind: str, body: list[str]) -> tuple[str, int]:
        return _marked(subject, kind, body, self.seed)

    def region(self, n: int) -> Iterator[tuple[str, int]]:
        rng = self.rng
        parent = rng.choice(self.v.prefectures)
        level = "municipality" if n % 2 else "cluster-area"
        slug = f"id:region/jp-synth-{n}"
        self.domestic.append(slug)
        yield self.block(
            slug,
            "llo:DomesticRegion",
            [
                _labels(f"合成地域{n}", f"Synthetic area {n}"),
                f"llo:regionLevel id:region-level/{level}",
                f"schema:containedInPlace {parent}",
            ],
        )
        country, code = rng.choice(self.v.countries)
        level = ("city", "state-province", "area")[n % 3]
        slug = f"id:region/{code.lower()}-synth-{n}"
        self.overseas.append(slug)
        yield self.block(
            slug,
            "llo:OverseasRegion",
            [
                _labels(f"合成海外地域{n}", f"Synthetic overseas region {n}"),
                f"llo:regionLevel id:region-level/{level}",
                f"schema:containedInPlace {country}",
            ],
        )

    def institution(self, n: int) -> tuple[str, int]:
        slug = f"id:org/synth-{n}"
        self.orgs.append(slug)
        return self.block(
            slug,
            "org:FormalOrganization",
            [
                _labels(f"合成機関{n}", f"Synthetic institution {n}"),
                f"org:classification {self.rng.choice(self.v.institution_types)}",
            ],
        )

    def partnership(self, n: int) -> Iterator[tuple[str, int]]:
        rng = self.rng
        prog = "ll" if rng.random() < 0.8 else "rit"
        slug = f"{prog}-synth-{n}"
        pship = f"id:partnership/{slug}"
        start = rng.randint(1996, 2006)
        yield self.block(
            pship,
            "llo:Partnership",
            [
                _labels(f"合成連携{n}", f"Synthetic partnership {n}"),
                f"llo:programme id:programme/{prog}",
                f"llo:domesticRegion {rng.choice(self.domestic)}",
                f"llo:overseasRegion {rng.choice(self.overseas)}",
                f"llo:industry {rng.choice(self.v.industries)}",
                f'llo:startFiscalYear "{start}"^^xsd:gYear',
                f'llo:endFiscalYear "{min(start + rng.randint(0, 2), 2007)}"^^xsd:gYear',
            ],
        )
        for side in ("domestic", "overseas"):
            yield self.block(
                f"id:membership/{slug}-{side}",
                "org:Membership",
                [
                    _labels(f"合成連携{n}の実施主体", f"Implementing body of partnership {n}"),
                    f"org:member {rng.choice(self.orgs)}",
                    f"org:organization {pship}",
                    f"org:role id:role/{side}-implementing-body",
                ],
            )
        for i in range(1, rng.randint(2, 4) + 1):
            times, people = rng.randint(1, 4), rng.randint(1, 30)
            yield self.block(
                f"id:activity/{slug}-{i}",
                "llo:Activity",
                [
                    _labels(f"合成活動{n}-{i}", f"Synthetic activity {n}-{i}"),
                    f"llo:partnership {pship}",
                    f"llo:activityType {rng.choice(self.v.activity_types)}",
                    f'llo:numberOfTimes "{times}"^^xsd:positiveInteger',
                    f'llo:numberOfParticipants "{people}"^^xsd:positiveInteger',
                ],
            )
        for i in range(1, rng.randint(1, 3) + 1):
            yield self.block(
                f"id:outcome/{slug}-{i}",
                "llo:Outcome",
                [
                    _labels(f"合成成果{n}-{i}", f"Synthetic outcome {n}-{i}"),
                    f"llo:partnership {pship}",
                    f"llo:outcomeType {rng.choice(self.v.outcome_types)}",
                    f'schema:description "合成成果{n}-{i}"@ja , "Synthetic outcome {n}-{i}"@en',
                    f"llo:involvedOrganization {rng.choice(self.orgs)}",
                ],
            )

    def observation(self, n: int) -> tuple[str, int]:
        rng = self.rng
        return self.block(
            f"id:dataset/synthetic-benchmark/obs/{n}",
            "qb:Observation",
            [
                "qb:dataSet id:dataset/synthetic-benchmark",
                *(f"{p} {rng.choice(codes)}" for p, codes in self.v.dimensions.items()),
                *(f'{p} "{rng.randint(0, 200)}"^^xsd:nonNegativeInteger' for p in self.v.measures),
            ],
        )


def _header(kind: str, seed: int, triples: int) -> str:
    return (
        f"# SYNTHETIC benchmark data ({kind}): generated by bench/generate.py, seed {seed},\n"
        f"# about {triples} triples in all. Not from the JETRO report; never copy into data/ttl.\n"
        + PREFIXES
        + "\n"
    )


def _report(seed: int, cube: dict[str, str]) -> str:
    attributes = " ;\n    ".join(f"{p} {o}" for p, o in cube.items())
    return f"""<{MARKER}> a schema:Report ;
    rdfs:label "合成ベンチマークデータ"@ja , "Synthetic benchmark data"@en ;
    dcterms:title "Synthetic benchmark data (not from the JETRO report)"@en ;
    dcterms:date "2026-01-01"^^xsd:date ;
    dcterms:publisher <{ID}org/synth-0> ;
    dcterms:creator "bench/generate.py, seed {seed}" .

<{MARKER}/tables> a llo:ReportSection ;
    rdfs:label "合成表"@ja , "Synthetic tables"@en ;
    dcterms:title "合成表"@ja , "Synthetic tables"@en ;
    dcterms:isPartOf <{MARKER}> ;
    dcterms:source <{MARKER}> .

<{ID}dataset/synthetic-benchmark> a qb:DataSet ;
    rdfs:label "合成観測"@ja , "Synthetic observations"@en ;
    dcterms:title "合成観測"@ja , "Synthetic observations"@en ;
    {attributes} ;
    dcterms:description "synthetic benchmark data (bench/generate.py, seed {seed})"@en ;
    dcterms:source <{MARKER}/tables> .

"""


def generate(triples: int, *, seed: int = 1, out: Path | None = None) -> Path:
    """Write about ``triples`` synthetic triples as Turtle files; return their directory."""
    out = out or BENCH_DATA / f"{triples}-seed{seed}"
    out.mkdir(parents=True, exist_ok=True)
    vocab = Vocabulary.from_graph(parse_files([PROJECT_ROOT / "data" / "ttl"]).graph)
    gen = _Generator(vocab, seed)
    files = {
        k: (out / f"synthetic-{k}.ttl").open("w", encoding="utf-8")
        for k in ("regions", "institutions", "partnerships", "observations")
    }
    try:
        for kind, file in files.items():
            file.write(_header(kind, seed, triples))
        files["institutions"].write(_report(seed, vocab.cube))
        written = 0
        for n in itertools.count():
            if n % 10 == 0:
                for text, count in gen.region(n // 10):
                    files["regions"].write(text)
                    written += count
            if n % 2 == 0:
                text, count = gen.institution(n // 2)
                files["institutions"].write(text)
                written += count
            for text, count in gen.partnership(n):
                files["partnerships"].write(text)
                written += count
            for i in range(2):
                text, count = gen.observation(2 * n + i)
                files["observations"].write(text)
                written += count
            if written >= triples:
                break
    finally:
        for file in files.values():
            file.close()
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.generate``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000, help="about how many triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="directory (default: bench/data/N-seedS)")
    args = parser.parse_args(argv)
    print(generate(args.triples, seed=args.seed, out=args.out))


if __name__ == "__main__":
    main()
