"""`python ui.py`: serve the question-answering page in a browser (the same as `qa ui`).

    python ui.py [--host 127.0.0.1] [--port 7860] [--config FILE] [--index DIR]

The page itself lives in the `qa.ui` package; this file only starts it.
"""

from __future__ import annotations

import sys

from qa.ui import main

if __name__ == "__main__":
    sys.exit(main())
