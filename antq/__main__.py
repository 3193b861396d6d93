"""``python -m antq``: the command line where no ``antq`` script is on the PATH (Windows)."""

import sys

from antq.cli import main

# Guarded: importing the module (doctest collection does) must not run the command line.
if __name__ == "__main__":
    sys.exit(main())
