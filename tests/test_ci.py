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
