"""`python -m netinbox.screenshots`: SVG screenshots of the real app on the demo store.

The work lives in `netinbox.tui.screenshots`, since only `netinbox/tui/` may use Textual.
"""

import sys

from netinbox.tui.screenshots import SHOTS, main

__all__ = ["SHOTS", "main"]

if __name__ == "__main__":
    sys.exit(main())
