"""`python -m climaguru` is the same as the `climaguru` command."""

import sys

from climaguru.cli import main

sys.exit(main())
