"""The ``llgraph`` command: parses arguments and calls the modules that do the work."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from llgraph.config import Settings
from llgraph.errors import LLGraphError, ValidationFailed
from llgraph.namespaces import PREFIXES
from llgraph.project import class_counts, load_validated
from llgraph.store import open_store
from llgraph.validate import validate_paths

__all__ = ["build_parser", "main"]

Command = Callable[[argparse.Namespace, Settings], int]


def _short(uri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if uri.startswith(str(ns)):
            return f"{prefix}:{uri[len(str(ns)) :]}"
    return uri


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Validate Turtle files against the shapes; exit 0 only when they conform."""
    _, report = validate_paths(
        args.paths or settings.data_paths, settings.shapes_files, settings.ontology_files
    )
    print(report, file=sys.stdout if report.conforms else sys.stderr)
    return 0 if report.conforms else 1


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Load and validate the data, then print instance counts by class."""
    store = open_store(settings.store)
    report = load_validated(settings, store, args.paths or None)
    print(f"{report} — loaded into {store.name} store: {len(store)} triples")
    for cls, n in class_counts(store):
        print(f"{n:6d}  {_short(cls)}")
    return 0


def cmd_openapi(args: argparse.Namespace, settings: Settings) -> int:
    """Print the OpenAPI document of the REST API (the text of api/openapi.json)."""
    from llgraph.web.openapi import openapi_text  # FastAPI is only loaded for this command

    sys.stdout.write(openapi_text())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="llgraph", description="Knowledge graph of international regional partnerships."
    )
    parser.add_argument("--store", help="store backend (or LLGRAPH_STORE); default: memory")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="validate Turtle files against the SHACL shapes")
    p.add_argument("paths", nargs="*", type=Path, help="files or directories (default: data/ttl)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("stats", help="load, validate and count instances by class")
    p.add_argument("paths", nargs="*", type=Path, help="files or directories (default: data/ttl)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("openapi", help="print the REST API's OpenAPI document (api/openapi.json)")
    p.set_defaults(func=cmd_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``llgraph`` console script."""
    args = build_parser().parse_args(argv)
    settings = Settings.from_env(store=args.store)
    func: Command = args.func
    try:
        return func(args, settings)
    except ValidationFailed as exc:
        print(exc.report, file=sys.stderr)
        return 1
    except LLGraphError as exc:
        print(f"llgraph: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
