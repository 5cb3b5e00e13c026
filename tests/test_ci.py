"""What CI relies on: a missing chromium fails the tests under CI instead of skipping them."""

from __future__ import annotations

import pytest

from conftest import chromium_path


def _missing(monkeypatch, tmp_path, ci: str | None) -> None:
    monkeypatch.setenv("GXSITE_CHROMIUM", str(tmp_path / "no-such-chromium"))
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_a_missing_chromium_skips_with_its_reason_outside_ci(monkeypatch, tmp_path, ci):
    _missing(monkeypatch, tmp_path, ci)
    with pytest.raises(pytest.skip.Exception, match="no chromium at GXSITE_CHROMIUM=.*no-such-chromium"):
        chromium_path()


@pytest.mark.parametrize("ci", ["true", "True", "1", "yes"])
def test_a_missing_chromium_fails_under_ci(monkeypatch, tmp_path, ci):
    _missing(monkeypatch, tmp_path, ci)
    with pytest.raises(pytest.fail.Exception, match="under CI the browser and PDF tests must run, not skip"):
        chromium_path()


def test_gxsite_chromium_names_the_binary_the_tests_drive(monkeypatch, tmp_path):
    binary = tmp_path / "chrome"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    monkeypatch.setenv("GXSITE_CHROMIUM", str(binary))
    monkeypatch.setenv("CI", "true")
    assert chromium_path() == binary
    binary.chmod(0o644)  # not executable: not a browser
    with pytest.raises(pytest.fail.Exception):
        chromium_path()


# ---------------------------------------------------------------- the workflow

def _workflow() -> dict:
    import yaml

    from conftest import ROOT

    return yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))


def _step_index(steps: list[dict], predicate) -> int:
    found = [i for i, step in enumerate(steps) if predicate(step)]
    assert len(found) == 1, found
    return found[0]


def test_the_workflow_tests_before_it_builds_and_a_failing_test_stops_the_deploy():
    workflow = _workflow()
    steps = workflow["jobs"]["build"]["steps"]
    test = _step_index(steps, lambda s: s.get("run", "").strip() == ".ci/run")
    build = _step_index(steps, lambda s: s.get("run", "").startswith("make site"))
    upload = _step_index(steps, lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact"))
    node = _step_index(steps, lambda s: s.get("uses", "").startswith("actions/setup-node"))
    assert node < test < build < upload  # make test needs npm (make assets)
    # nothing lets a failed test step through to the build and deploy
    assert "continue-on-error" not in steps[test] and "if" not in steps[test]
    assert "continue-on-error" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert "--strict" in steps[build]["run"]


def test_the_workflow_caches_gxsite_cache_by_ref_and_code_and_restores_older_caches():
    steps = _workflow()["jobs"]["build"]["steps"]
    cache = steps[_step_index(steps, lambda s: s.get("uses", "").startswith("actions/cache@"))]
    build = _step_index(steps, lambda s: s.get("run", "").startswith("make site"))
    assert steps.index(cache) < build
    assert cache["with"]["path"].rstrip("/") == ".gxsite-cache"
    key = cache["with"]["key"]
    assert "github.ref" in key and "hashFiles('requirements.lock', 'gxsite/**')" in key
    restore = [line.strip() for line in cache["with"]["restore-keys"].splitlines() if line.strip()]
    assert restore and all(key.startswith(prefix) for prefix in restore)
