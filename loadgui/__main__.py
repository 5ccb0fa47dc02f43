import sys

from loadgui.commands.main import main

sys.exit(main())
