"""`python -m scripts.cldr_subset`: write kiosk/board/cldr/subset.<Babel version>.pickle.

The CLDR tables the board's formats read, for every supported locale, merged as Babel merges
them (kiosk/board/cldr.py says why). Run it after upgrading Babel or adding a locale; older
files are removed. tests/kiosk/test_cldr.py fails until it is run.
"""

from __future__ import annotations

import pickle

from kiosk.board.cldr import SUBSET_DIR, extract_subset, subset_path


def main() -> int:
    SUBSET_DIR.mkdir(parents=True, exist_ok=True)
    target = subset_path()
    target.write_bytes(pickle.dumps(extract_subset(), protocol=pickle.HIGHEST_PROTOCOL))
    for old in SUBSET_DIR.glob("subset.*.pickle"):
        if old != target:
            old.unlink()
    print(f"{target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
