"""`python -m helpers.build …`: the build steps the Makefile calls."""

from helpers.build.steps import main

main()
