"""``python -m mbc_graph``: the same as the ``mbc-graph`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
