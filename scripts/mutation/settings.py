"""What the mutation run covers (`config.toml`) and which mutants are equivalent
(`equivalents.toml`), both beside this file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "config.toml"
EQUIVALENTS = HERE / "equivalents.toml"


@dataclass(frozen=True)
class Target:
    """One module to mutate: its path from the repository root, the functions to mutate
    (None: the whole module) and the test files that must catch its mutants."""

    path: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Settings:
    targets: tuple[Target, ...]
    pytest_args: tuple[str, ...]
    jobs: int
    min_score: float
    timeout_factor: float
    timeout_min_seconds: float
    preload: tuple[str, ...] = ()


@dataclass(frozen=True)
class Equivalent:
    """A mutant that no test can kill because it behaves like the original."""

    module: str
    mutant: str  # `Mutant.key`
    reason: str


def _strings(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{what} must be a list of strings")
    return tuple(value)


def load_settings(path: Path = CONFIG) -> Settings:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    targets = []
    for entry in data.get("module", []):
        functions = entry.get("functions")
        targets.append(
            Target(
                path=entry["path"],
                tests=_strings(entry["tests"], f"{path.name}: tests of {entry['path']}"),
                functions=None if functions is None else _strings(functions, "functions"),
            )
        )
    return Settings(
        targets=tuple(targets),
        pytest_args=_strings(data["pytest_args"], f"{path.name}: pytest_args"),
        jobs=int(data.get("jobs", 2)),
        min_score=float(data.get("min_score", 95.0)),
        timeout_factor=float(data.get("timeout_factor", 5.0)),
        timeout_min_seconds=float(data.get("timeout_min_seconds", 20.0)),
        preload=_strings(data.get("preload", []), f"{path.name}: preload"),
    )


def load_equivalents(path: Path = EQUIVALENTS) -> tuple[Equivalent, ...]:
    """The listed equivalent mutants; each must give a reason."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, entry in enumerate(data.get("equivalent", []), start=1):
        reason = str(entry.get("reason", "")).strip()
        if not reason:
            mutant = entry.get("mutant")
            raise ValueError(f"{path.name}: equivalent #{number} ({mutant}) has no reason")
        found.append(Equivalent(module=entry["module"], mutant=entry["mutant"], reason=reason))
    return tuple(found)
