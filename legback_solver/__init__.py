"""legback: leg-and-back training plans for strength coaches, solved with CP-SAT."""

from .check import check_plan
from .errors import InputError
from .io import load_client, load_plan, parse_client
from .models import Client, Plan
from .rulebook import load_rulebook
from .solve import Result, solve

__all__ = [
    "Client",
    "InputError",
    "Plan",
    "Result",
    "check_plan",
    "load_client",
    "load_plan",
    "load_rulebook",
    "parse_client",
    "solve",
]
