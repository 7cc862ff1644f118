"""Write the README's picture of the pathway (static/pathway-diagram.svg), drawn by
pathway/diagram.py from pathway/workflow.py's own definitions. Run by `make diagram`;
tests/test_guide.py fails when the picture no longer matches the code."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pathway import diagram  # noqa: E402


def main() -> None:
    nation = sys.argv[1] if len(sys.argv) > 1 else "england"
    out = ROOT / "static" / ("pathway-diagram.svg" if nation == "england" else f"pathway-diagram-{nation}.svg")
    out.write_text(diagram.svg(nation))
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
