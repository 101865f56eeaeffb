import sys

from hushwrite.cli import main

sys.exit(main())
