"""Counts of hostile inputs tried, shown in pytest's summary (docs/reliability.md quotes them)."""

from __future__ import annotations

from collections import Counter

import pytest

TRIED = pytest.StashKey[Counter[str]]()


@pytest.fixture(scope="session")
def tried(request: pytest.FixtureRequest) -> Counter[str]:
    """Add to it what a test tried (`tried["corpus files"] += 1`); session-scoped, so
    hypothesis tests may take it too."""
    return request.config.stash.setdefault(TRIED, Counter())


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    counts = config.stash.get(TRIED, None)
    if counts:
        listed = ", ".join(f"{count} {what}" for what, count in sorted(counts.items()))
        terminalreporter.write_line(f"hostile inputs tried in this run: {listed}")
