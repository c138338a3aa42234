"""The packaged `firstcontact`: the command line, and with no command the desktop app."""

import sys

from firstcontact.cli.main import main

sys.exit(main())
