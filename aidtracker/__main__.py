"""`python -m aidtracker` runs the command line."""

from aidtracker.cli import main

main()
