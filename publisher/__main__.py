"""`python -m publisher …`: the console script's entry."""

from publisher.console import run

run()
