"""Allow ``python -m policycheck``."""

from policycheck.cli import main

main()
