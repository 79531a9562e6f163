"""llgraph.web.kinds: one spec per REST kind, from which the routes and the context come."""

from __future__ import annotations

import json

from llgraph.resources import KINDS
from llgraph.web import models as m
from llgraph.web.kinds import CONTEXT, REST_KINDS
from llgraph.web.openapi import openapi_text


def test_every_collection_has_one_rest_kind() -> None:
    assert list(REST_KINDS) == list(KINDS)
    assert all(spec.collection is KINDS[name] for name, spec in REST_KINDS.items())


def test_every_field_of_every_model_has_a_json_ld_term() -> None:
    context = CONTEXT["@context"]
    for spec in REST_KINDS.values():
        for model in (spec.summary, spec.detail):
            fields = {f.alias or name for name, f in model.model_fields.items()}
            assert fields <= set(context), (spec.name, fields - set(context))
    assert set(m.Labels.model_fields) <= set(context)


def test_each_kind_has_its_list_and_item_routes() -> None:
    paths = json.loads(openapi_text())["paths"]
    operations = {op["operationId"]: path for path, ops in paths.items() for op in ops.values()}
    for spec in REST_KINDS.values():
        assert operations[f"get_{spec.item}"].startswith(f"/api/{spec.name}/")
        assert operations[f"list_{spec.name.replace('-', '_')}"] == f"/api/{spec.name}"


def test_the_query_parameters_are_the_collection_filters() -> None:
    for spec in REST_KINDS.values():
        assert list(spec.params) == list(spec.collection.filters), spec.name
