"""llgraph: a knowledge graph of international regional industrial partnerships."""

from llgraph.config import Settings
from llgraph.errors import LLGraphError, LoadError, QueryError, StoreError, ValidationFailed
from llgraph.load import parse_files
from llgraph.project import load_validated
from llgraph.store import MemoryStore, Store, open_store
from llgraph.validate import ValidationReport, validate_paths

__all__ = [
    "LLGraphError",
    "LoadError",
    "MemoryStore",
    "QueryError",
    "Settings",
    "Store",
    "StoreError",
    "ValidationFailed",
    "ValidationReport",
    "load_validated",
    "open_store",
    "parse_files",
    "validate_paths",
]

__version__ = "0.1.0"
