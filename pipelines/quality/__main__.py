import sys

from pipelines.quality.cli import main

sys.exit(main())
