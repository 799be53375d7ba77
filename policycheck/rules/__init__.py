"""The rules engine: rule packs from YAML, and the kinds of rule that judge a document."""

from policycheck.rules.engine import Checker, run_example
from policycheck.rules.pack import RulePack, load_pack

__all__ = ["Checker", "RulePack", "load_pack", "run_example"]
