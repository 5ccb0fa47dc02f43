import sys

from loadgui.cli import main

sys.exit(main())
