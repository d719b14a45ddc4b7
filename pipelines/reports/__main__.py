"""`python -m pipelines.reports`: the report command on its own (see cli.py)."""

import sys

from pipelines.reports.cli import main

sys.exit(main())
