"""`python -m helpers.workflow …`: the build steps the Makefile calls."""

from helpers.workflow.steps import main

main()
