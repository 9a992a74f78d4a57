"""The GitHub Actions workflow is valid and does what the README promises, checked offline.

Validation uses check-jsonschema's built-in copy of the GitHub workflow schema
(``--builtin-schema vendor.github-workflows``), so no network is needed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BOOK = ROOT / ".github" / "workflows" / "book.yml"


def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("check-jsonschema")
    command = str(exe) if exe.exists() else shutil.which("check-jsonschema")
    assert command, "check-jsonschema is missing: install requirements-dev.txt"
    return subprocess.run(
        [command, "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as True
    return workflow


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_schema(path):
    proc = check_jsonschema(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("right", "wrong"),
    [("runs-on:", "runs_on:"), ("permissions:", "permission:")],
)
def test_validation_fails_on_a_misspelled_key(tmp_path, right, wrong):
    text = BOOK.read_text(encoding="utf-8")
    assert right in text
    broken = tmp_path / "book.yml"
    broken.write_text(text.replace(right, wrong, 1), encoding="utf-8")
    proc = check_jsonschema(broken)
    assert proc.returncode != 0
    assert "Schema validation errors" in proc.stdout


def steps_of(job: dict) -> list[str]:
    return [step.get("run", "") for step in job["steps"]]


def test_every_push_and_pull_request_is_tested_and_built():
    workflow = load(BOOK)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in workflow["on"]
    build = workflow["jobs"]["build"]
    assert "if" not in build
    runs = steps_of(build)
    install = runs.index("python -m pip install -r requirements-dev.txt")
    test = runs.index("python -m pytest")  # the README's test command
    html = runs.index("jupyter-book build -W -n --keep-going .")
    colab = runs.index("python tools/export_colab.py --out _build/colab")
    assert install < test < html < colab
    uploads = {
        s["uses"].split("@")[0]: s["with"]["path"]
        for s in build["steps"]
        if "uses" in s and "with" in s and "path" in s["with"]
    }
    assert uploads["actions/upload-pages-artifact"] == "_build/html"
    assert uploads["actions/upload-artifact"] == "_build/colab"
    binder = workflow["jobs"]["binder"]
    assert "if" not in binder
    assert any("-r binder/requirements.txt" in run for run in steps_of(binder))
    assert any("tests/test_binder.py" in run for run in steps_of(binder))


def test_only_pushes_to_main_publish_with_the_permissions_they_need():
    workflow = load(BOOK)
    assert workflow["permissions"] == {"contents": "read"}
    main_only = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    pages, colab = workflow["jobs"]["pages"], workflow["jobs"]["colab"]
    for job in (pages, colab):
        assert job["if"] == main_only
        assert set(job["needs"]) == {"build", "binder"}
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in pages["steps"]] == ["actions/deploy-pages"]
    assert colab["permissions"] == {"contents": "write"}
    push = steps_of(colab)[-1]
    assert "git init -q -b colab" in push and push.rstrip().endswith(" colab")
