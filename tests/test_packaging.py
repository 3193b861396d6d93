"""pyproject.toml and environment.yml agree; the Makefile documents itself."""

import re
import subprocess
import tomllib

import yaml
from conftest import ROOT

# PyPI name → conda-forge name, where they differ.
CONDA_NAMES: dict[str, str] = {}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _specs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip = project["dependencies"] + [
        spec for extra in project["optional-dependencies"].values() for spec in extra
    ]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    return pip, conda, env


def test_same_dependencies_and_bounds():
    pip, conda, env = _specs()
    want = {
        CONDA_NAMES.get(_name(s), _name(s)): s.replace(" ", "").split(_name(s), 1)[-1] for s in pip
    }
    have = {
        _name(s): s.replace(" ", "")[len(_name(s)) :]
        for s in conda
        if _name(s) not in ("python", "pip")
    }
    assert have == want
    assert "conda-forge" in env["channels"]


def test_python_version_agrees():
    _, conda, _ = _specs()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert f"python{project['requires-python']}" in conda


def test_every_dependency_has_a_reason():
    text = (ROOT / "pyproject.toml").read_text()
    pip, _, _ = _specs()
    for spec in pip:
        assert re.search(rf"#\s+.*\b{re.escape(_name(spec))}\b", text), spec


def test_make_help_lists_targets():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    for target in ("run", "test", "bench", "lab", "data"):
        assert f"make {target}" in out


def test_ci_calls_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


def test_readme_python_example_runs(tmp_path, monkeypatch):
    import re as _re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = _re.search(r"## The Python API in ten lines\n\n```python\n(.*?)```", text, _re.S)
    code = block.group(1)
    assert len([line for line in code.splitlines() if line.strip()]) <= 12
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(ROOT / "data")
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "bao_cao.xlsx").exists() and (tmp_path / "bieu_mau_2025.xlsx").exists()
