"""Regenerate every golden file: `make golden` (or `python tests/golden/regenerate.py`).
Then review `git diff tests/golden` and commit what is intended.

- `records/<file name>.json`: the record `gxsite parse FILE --json` prints for each
  report with hand-checked gold — the seeds (`raw_reports/`, gold in `tests/gold/`) and
  the corpus (`tests/corpus/`, gold in `tests/corpus/gold/`) — problems, provenance,
  narrative and single-report checks included; pretty JSON (indent 2, sorted keys, not
  ASCII-escaped). Each file is named to the command by its path from the project root,
  so the record's source path is that stable relative path.
- `content/`: the seed site's content/ as `gxsite build --reports raw_reports --no-cache`
  writes it, file by file: the pages (`*.md`, `*.parts.html`).
- `content.sha256`: the SHA-256 (sha256sum's format) of the content/ files not stored
  in `content/`: the assets (`assets/`: the site's own scripts and styles, copied from
  gxsite/site/assets/, whose source the repository already holds, and the plotly.js
  bundle), any file that is not UTF-8 text, and the downloads (`*.csv`, `*.jsonl`, `data.json`) when they
  add up to more than STORE_LIMIT bytes.

tests/test_golden.py compares a fresh parse and build with these files. Both use only
the `gxsite` command (`python -m gxsite ...` run in the project), never the package's
modules, so they survive a change in its layout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
RECORDS = GOLDEN / "records"
CONTENT = GOLDEN / "content"
MANIFEST = GOLDEN / "content.sha256"
# Reports with gold: (folder of the reports, folder of their gold JSON), from the project root.
SETS = (("raw_reports", "tests/gold"), ("tests/corpus", "tests/corpus/gold"))
STORE_LIMIT = 200_000  # bytes of downloads stored as copies; above, only their hashes


def report_files() -> list[str]:
    """Every report with a gold file, as its path from the project root ('raw_reports/x.txt')."""
    files = []
    for reports, gold in SETS:
        for path in sorted((ROOT / gold).glob("*.json")):
            files.append(f"{reports}/{json.loads(path.read_text(encoding='utf-8'))['file']}")
    return files


def golden_name(report: str) -> str:
    return Path(report).name + ".json"


def _env() -> dict[str, str]:
    # Nothing from the caller's environment that could change the output: the site's
    # configuration (GXSITE_SITE_URL...), a pinned date. UTF-8 on the pipe whatever the locale.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GXSITE_") and k != "SOURCE_DATE_EPOCH"}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def gxsite(*args: str) -> str:
    """Run the `gxsite` command of this project (python -m gxsite, in the project root, so
    the package of this checkout is the one imported); its stdout, or an error with stderr."""
    done = subprocess.run([sys.executable, "-m", "gxsite", *args], cwd=ROOT, env=_env(), capture_output=True,
                          text=True, encoding="utf-8")
    if done.returncode != 0:
        raise RuntimeError(f"gxsite {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done.stdout


def pretty(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def parsed_records() -> dict[str, str]:
    """golden name → the pretty record of a fresh `gxsite parse --json` of every report with gold."""
    files = report_files()
    lines = gxsite("parse", *files, "--json").splitlines()
    if len(lines) != len(files):
        raise RuntimeError(f"gxsite parse printed {len(lines)} records for {len(files)} files")
    records = {}
    for report, line in zip(files, lines):
        record = json.loads(line)
        if record["source"]["path"] != report:
            raise RuntimeError(f"record of {report} names its source {record['source']['path']!r}")
        records[golden_name(report)] = pretty(record)
    return records


def build_content(out: Path) -> Path:
    """The seed reports built by `gxsite build` into out/content and out/site; returns out/content."""
    gxsite("build", "--reports", "raw_reports", "--content", str(out / "content"), "--site", str(out / "site"),
           "--config", "mkdocs.yml", "--no-cache")
    return out / "content"


def tree(folder: Path) -> dict[str, bytes]:
    """relative posix path → bytes of every file under folder."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in data


def _is_page(relative: str) -> bool:
    return relative.endswith(".md") or relative.endswith(".parts.html")


def split(files: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, str]]:
    """(files stored as copies, relative path → SHA-256 of the files only hashed)."""
    stored, hashed, downloads = {}, {}, {}
    for relative, data in files.items():
        if relative.startswith("assets/") or not _is_text(data):
            hashed[relative] = hashlib.sha256(data).hexdigest()
        elif _is_page(relative):
            stored[relative] = data
        else:
            downloads[relative] = data
    if sum(len(data) for data in downloads.values()) <= STORE_LIMIT:
        stored.update(downloads)
    else:
        hashed.update({relative: hashlib.sha256(data).hexdigest() for relative, data in downloads.items()})
    return stored, hashed


def manifest_text(hashed: dict[str, str]) -> str:
    return "".join(f"{digest}  {relative}\n" for relative, digest in sorted(hashed.items()))


def read_manifest() -> dict[str, str]:
    entries = {}
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        digest, relative = line.split("  ", 1)
        entries[relative] = digest
    return entries


def main() -> int:
    records = parsed_records()
    shutil.rmtree(RECORDS, ignore_errors=True)
    RECORDS.mkdir(parents=True)
    for name, text in records.items():
        (RECORDS / name).write_text(text, encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="gxsite-golden-") as out:
        stored, hashed = split(tree(build_content(Path(out))))
    shutil.rmtree(CONTENT, ignore_errors=True)
    for relative, data in stored.items():
        target = CONTENT / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    MANIFEST.write_text(manifest_text(hashed), encoding="utf-8")

    size = sum(len(data) for data in stored.values())
    print(f"golden: {len(records)} records in {RECORDS.relative_to(ROOT)}/, {len(stored)} content files "
          f"({size:,} bytes) in {CONTENT.relative_to(ROOT)}/, {len(hashed)} hashed in "
          f"{MANIFEST.relative_to(ROOT)}; review `git diff tests/golden`, then commit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
