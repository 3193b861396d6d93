"""``python -m antq``: the command line where no ``antq`` script is on the PATH (Windows)."""

import sys

from antq.cli import main

sys.exit(main())
