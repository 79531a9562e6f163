"""Refresh the vendored front-end files from npm: `python scripts/vendor.py` (or `make vendor`).

The packages, their pinned versions and the built files to take are listed in
``scripts/vendor-packages.json``. Each is fetched with ``npm pack NAME@VERSION`` into a
temporary folder; the listed files are copied into ``src/llgraph/web/static/vendor/`` and
``vendor.json`` there is rewritten with each package's version, licence, tarball integrity and
each file's SRI integrity (sha384). Only this script needs node; serving and testing do not.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "scripts" / "vendor-packages.json"
VENDOR = ROOT / "src" / "llgraph" / "web" / "static" / "vendor"
MANIFEST = VENDOR / "vendor.json"


def integrity(data: bytes) -> str:
    """The Subresource Integrity value (sha384) of ``data``."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def npm_pack(spec: str, into: Path) -> dict:
    """Run ``npm pack spec`` in ``into``; the tarball's metadata (filename, integrity)."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("make vendor needs npm (Debian: apt-get install npm)")
    done = subprocess.run(
        [npm, "pack", spec, "--json", "--silent"],
        cwd=into,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"npm pack {spec} failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout)[0]


def _unpack(tarball: Path, into: Path) -> Path:
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")
    return into / "package"


def vendor_package(package: dict, workdir: Path) -> dict:
    """Fetch one package, copy its listed files; its manifest entry."""
    spec = f"{package['name']}@{package['version']}"
    meta = npm_pack(spec, workdir)
    unpacked = _unpack(workdir / meta["filename"], workdir / package["name"].replace("/", "+"))
    info = json.loads((unpacked / "package.json").read_text(encoding="utf-8"))
    if info["version"] != package["version"]:
        raise SystemExit(f"{spec}: npm gave version {info['version']}")
    files = []
    for source, target in package["files"].items():
        data = (unpacked / source).read_bytes()
        (VENDOR / target).parent.mkdir(parents=True, exist_ok=True)
        (VENDOR / target).write_bytes(data)
        files.append({"path": target, "from": source, "integrity": integrity(data)})
        print(f"  {target}  {len(data):>9} bytes")
    return {
        "name": package["name"],
        "version": info["version"],
        "license": info.get("license", "UNKNOWN"),
        "homepage": info.get("homepage", ""),
        "tarball_integrity": meta["integrity"],
        "files": files,
    }


def main() -> int:
    """Vendor every listed package and rewrite the manifest."""
    packages = json.loads(PACKAGES.read_text(encoding="utf-8"))["packages"]
    entries = []
    with tempfile.TemporaryDirectory(prefix="llgraph-vendor-") as tmp:
        for package in packages:
            print(f"{package['name']}@{package['version']}")
            entries.append(vendor_package(package, Path(tmp)))
    manifest = {
        "comment": "Written by scripts/vendor.py from scripts/vendor-packages.json; do not edit.",
        "packages": entries,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
