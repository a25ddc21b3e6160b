"""Allow ``python -m nqp_text.cli``."""

import sys

from nqp_text.cli import main

sys.exit(main())
