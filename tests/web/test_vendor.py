"""The vendored front-end files: every file listed in vendor.json is there, unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from llgraph.web.templating import vendored

VENDOR = Path(__file__).resolve().parents[2] / "src" / "llgraph" / "web" / "static" / "vendor"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "vendor.py"


def _integrity(data: bytes) -> str:
    import importlib.util

    spec = importlib.util.spec_from_file_location("vendor_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.integrity(data)


def test_every_vendored_file_matches_its_integrity() -> None:
    manifest = json.loads((VENDOR / "vendor.json").read_text(encoding="utf-8"))
    assert manifest["packages"], "vendor.json lists the vendored packages"
    for package in manifest["packages"]:
        assert package["name"] and package["version"] and package["license"]
        for entry in package["files"]:
            data = (VENDOR / entry["path"]).read_bytes()
            assert _integrity(data) == entry["integrity"], entry["path"]


def test_the_manifest_and_the_packages_list_agree() -> None:
    listed = json.loads((SCRIPT.parent / "vendor-packages.json").read_text(encoding="utf-8"))
    manifest = json.loads((VENDOR / "vendor.json").read_text(encoding="utf-8"))
    wanted = {(p["name"], p["version"]) for p in listed["packages"]}
    assert wanted == {(p["name"], p["version"]) for p in manifest["packages"]}


def test_pages_serve_the_vendored_files_with_their_integrity(client) -> None:
    for path, integrity in vendored().items():
        response = client.get(f"/static/vendor/{path}")
        assert response.status_code == 200
        assert _integrity(response.content) == integrity
