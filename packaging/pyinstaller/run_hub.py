"""The packaged `firstcontact-hub`: the organisation's sync hub."""

import sys

from firstcontact.hub.cli import main

sys.exit(main())
