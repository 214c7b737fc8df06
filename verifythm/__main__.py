"""``python -m verifythm`` runs the command-line interface."""

import sys

from verifythm.cli import main

sys.exit(main())
