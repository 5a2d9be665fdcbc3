"""The GitHub workflows parse, and they build, test and upload what the installer scripts actually produce.

They cannot run here (Windows and macOS runners), so this checks what can be checked: YAML syntax, the
structure GitHub requires, pinned actions, and that names agree with installer/ (metadata, build.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.packaging.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a mapping"
    return data


def triggers(data: dict[str, Any]) -> Any:
    return data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` key as the boolean true


def steps_of(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps = job.get("steps")
    assert isinstance(steps, list) and steps
    return steps


def test_there_is_a_workflow() -> None:
    assert WORKFLOWS, "no .github/workflows/*.yml"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_structure(path: Path) -> None:
    data = load(path)
    assert isinstance(data.get("name"), str)
    assert triggers(data), "no `on:` triggers"
    jobs = data.get("jobs")
    assert isinstance(jobs, dict) and jobs
    for name, job in jobs.items():
        assert "runs-on" in job, name
        for step in steps_of(job):
            assert ("uses" in step) != ("run" in step), f"{name}: a step needs exactly one of uses/run: {step}"
            if "uses" in step:
                action, _, ref = step["uses"].partition("@")
                assert ref, f"{name}: {action} is not pinned to a version"


def bundle_job() -> dict[str, Any]:
    data = load(ROOT / ".github" / "workflows" / "bundle.yml")
    return data["jobs"]["bundle"]


def test_bundle_job_covers_windows_and_macos_and_uploads_their_installers() -> None:
    job = bundle_job()
    matrix = job["strategy"]["matrix"]["include"]
    by_os = {entry["os"]: entry for entry in matrix}
    assert set(by_os) == {"windows-latest", "macos-latest", "macos-13"}  # Apple Silicon and Intel Macs
    assert len({entry["artifact"] for entry in matrix}) == len(matrix)  # one artifact name each
    assert job["runs-on"] == "${{ matrix.os }}"
    # The names build.py gives the installer and the dmg.
    assert by_os["windows-latest"]["upload"] == "dist/*-setup.exe"
    assert by_os["macos-latest"]["upload"] == by_os["macos-13"]["upload"] == "dist/*.dmg"
    uploads = [s for s in steps_of(job) if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    assert len(uploads) == 1
    assert uploads[0]["with"]["path"] == "${{ matrix.upload }}"
    assert uploads[0]["with"]["if-no-files-found"] == "error"


def test_bundle_job_builds_with_the_documented_command_then_smoke_tests_it() -> None:
    runs = [str(s.get("run", "")) for s in steps_of(bundle_job())]
    build = next(i for i, r in enumerate(runs) if r.strip() == "python installer/build.py")
    point = next(i for i, r in enumerate(runs) if "--print-programs-dir" in r and "GITHUB_ENV" in r)
    smoke = next(i for i, r in enumerate(runs) if "pytest tests/packaging" in r)
    assert build < point < smoke
    assert '-m "not servers"' in runs[smoke]  # Dovecot is Linux-only; that test runs in .ci/run
    readme = (ROOT / "installer" / "README.md").read_text(encoding="utf-8")
    assert "python3 installer/build.py" in readme


def test_bundle_job_runs_with_ci_true_so_a_skip_fails() -> None:
    assert bundle_job()["env"]["CI"] == "true"


def test_the_suite_runs_on_windows_and_macos_with_their_platform_parts_switched_on() -> None:
    data = load(ROOT / ".github" / "workflows" / "tests.yml")
    job = data["jobs"]["tests"]
    assert set(job["strategy"]["matrix"]["os"]) == {"windows-latest", "macos-latest"}
    assert job["env"]["SETUP_ASSISTANT_PLATFORM_TESTS"] == "required"
    runs = [step.get("run", "") for step in steps_of(job)]
    assert any("tests/test_platform_parts.py" in run for run in runs)
    assert any("python -m pytest" in run and "tests/test_platform_parts.py" not in run for run in runs)


def test_the_bundle_is_built_from_the_lock_with_hashes_checked() -> None:
    runs = [step.get("run", "") for step in steps_of(bundle_job())]
    install = next(i for i, run in enumerate(runs) if "--require-hashes -r requirements/bundle.txt" in run)
    build = next(i for i, run in enumerate(runs) if run.strip() == "python installer/build.py")
    tools = next(i for i, run in enumerate(runs) if '".[test]"' in run)
    assert install < build < tools, "the test tools come after the build, so they cannot change the bundle"
    assert "--no-deps" in runs[install]
