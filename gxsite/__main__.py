import sys

from gxsite.cli import main

sys.exit(main())
