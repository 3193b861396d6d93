"""pyproject.toml, environment.yml and requirements-min.txt agree; the Makefile documents
itself; data files ship."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile

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


def _lower_bound(spec: str) -> str | None:
    found = re.search(r">=\s*([^,;\s]+)", spec)
    return found.group(1) if found else None


def test_requirements_min_pins_exactly_the_lower_bounds():
    """`make test-min` installs requirements-min.txt: each runtime and dev floor, nothing else."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    want = {_name(s): _lower_bound(s) for s in project["dependencies"]}
    want |= {_name(s): _lower_bound(s) for s in project["optional-dependencies"]["dev"]}
    have = {}
    for line in (ROOT / "requirements-min.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][0-9A-Za-z.]*", line), line
            name, version = line.split("==")
            assert _name(name) not in have, f"{name} pinned twice"
            have[_name(name)] = version
    assert None not in want.values(), "every runtime and dev dependency needs a >= floor"
    assert have == want


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
    for target in ("run", "test", "test-min", "bench", "lab", "data"):
        assert f"make {target}" in out


def test_ci_calls_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test\n" in ci and "make test-min" in ci
    assert "make lint" in ci  # ruff and mypy in CI, as in `make lint`
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


def test_readme_quotes_the_summary_antq_gives(bundled_tidy):
    """The paragraph the README quotes is the one antq gives today, word for word."""
    import re as _re
    import warnings

    import antq

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text.split("`antq.summary(df, year=2020, events=known)` gives", 1)[1]
    quote = " ".join(_re.findall(r"^> (.*)$", after.split("\n\n", 2)[1], _re.M))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antq.AntqWarning)
        assert quote == antq.summary(bundled_tidy, year=2020, events=ROOT / "data" / "raw")


def test_installed_package_finds_the_registry(tmp_path):
    """What a user's install gets is the wheel pip builds (in its own build environment, with
    the setuptools [build-system] asks for): check the registry is in it."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "antq", src / "antq", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(src)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("antq-*.whl")
    lib = tmp_path / "lib"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(lib)
        metadata = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA")))
    # The licence as an SPDX expression: the TOML-table form is deprecated by setuptools.
    assert "License-Expression: MIT" in metadata.decode()
    probe = (
        "import antq, antq.registry as r;"
        "from importlib import resources;"
        "d = resources.files('antq.data') / 'registry';"
        "print(antq.__file__);"
        "print(sorted(p.name for p in d.iterdir()));"
        "print(len(r.areas()), (d / 'sources' / 'nq-1674-NQ-UBTVQH15.md').is_file())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(lib)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert out[0].startswith(str(lib))
    assert "units.csv.gz" in out[1] and "LICENSE-dvhcvn-20250701.txt" in out[1]
    from antq import registry

    assert out[2] == f"{len(registry.areas())} True"


def _antq_imports():
    """(module, imported module, imported name) of every import from antq in antq/, at any depth
    (imports inside functions count: they hide cycles, they do not break them)."""
    import ast

    pkg = ROOT / "antq"
    modules = {}
    for path in pkg.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    found = []
    for mod, path in modules.items():
        here = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    found.append((mod, target if target in modules else base, alias.name))
            elif isinstance(node, ast.Import):
                found += [(mod, a.name, "") for a in node.names]
    return modules, [f for f in found if f[1] in modules and f[1] != f[0]]


def test_no_import_cycles_in_antq():
    modules, imports = _antq_imports()
    graph = {m: {t for s, t, _ in imports if s == m} for m in modules}

    def reaches(start, goal, seen):
        for nxt in graph[start] - seen:
            if nxt == goal or reaches(nxt, goal, seen | {nxt}):
                return True
        return False

    cycles = sorted(m for m in modules if reaches(m, m, set()))
    assert cycles == [], f"modules on an import cycle: {cycles}"


def test_no_private_names_imported_across_modules():
    _modules, imports = _antq_imports()
    private = [
        f"{s} imports {n} from {t}"
        for s, t, n in imports
        if n.startswith("_") and not (n.startswith("__") and n.endswith("__"))
    ]
    assert private == []


def test_the_checks_above_see_a_cycle_and_a_private_import():
    """The two tests above would fail: the scan finds what they look for."""
    modules, imports = _antq_imports()
    assert ("antq.reading.cells", "antq.reading.csvfile", "csv_rows") in imports
    assert ("antq", "antq._version", "__version__") in imports  # a dunder: allowed
    assert len(modules) > 50


#: Issue 15's limit, counted as radon counts (ruff's C901 leaves out boolean operators,
#: so a function with many ``and``/``or`` passes ruff above it).
MAX_COMPLEXITY = 15


def _complexities() -> dict[str, int]:
    from radon.complexity import cc_visit

    out = {}
    for path in sorted((ROOT / "antq").rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            name = f"{path.relative_to(ROOT)}:{getattr(block, 'classname', None) or ''}"
            out[f"{name}.{block.name}".replace(":.", ":")] = block.complexity
    return out


def test_no_function_in_antq_above_the_complexity_limit():
    found = _complexities()
    too_complex = {name: cc for name, cc in found.items() if cc > MAX_COMPLEXITY}
    assert too_complex == {}
    # The scan sees the package: hundreds of functions, and some near the limit.
    assert len(found) > 500
    assert max(found.values()) > 10


def test_language_and_level_arguments_are_literal_types():
    # A type checker holds callers to "vi"/"en" and to the three levels: no bare str.
    import inspect
    import typing

    import antq
    import antq.plot

    def literals(hint):
        if typing.get_origin(hint) is typing.Literal:
            return {hint}
        return set().union(*(literals(a) for a in typing.get_args(hint)))

    loose = []
    for module in (antq, antq.plot):
        for name in module.__all__:
            fn = getattr(module, name)
            if not inspect.isfunction(fn):
                continue
            hints = typing.get_type_hints(fn)
            for arg in ("lang", "level"):
                hint = hints.get(arg)
                strs = [a for a in typing.get_args(hint) if a is str] + ([str] * (hint is str))
                if arg in hints and (not literals(hint) or strs):
                    loose.append(f"{module.__name__}.{name}({arg}: {hint})")
    assert not loose
