"""Rule tests, one module per rule family (legback_solver/rules/<family>.py).

Every hard rule binds, its checker catches hand-made breaches, its parameters are validated.

For each hard rule id of SPEC §3 there are three kinds of test:

* ``test_<rule>_binds``: a small crafted client whose best plan breaks the rule when
  the rule is switched off (``{"kind": "off"}``), so the checker, run against the full
  rulebook, flags that rule (and only that rule); with the rule on the solver finds a
  plan the checker passes without a single violation.
* ``test_<rule>_checker_flags_hand_made_plan``: a hand-written plan that the checker
  passes, mutated (day moved, sets added, exercise swapped, straps flipped, order
  changed) so that it breaks exactly this rule.
* ``test_bad_rule_parameters_are_rejected``: bad parameter values and unknown
  parameter names raise InputError from ``make_data``.

The crafted clients keep the model small (one to three slots, most of the catalogue
excluded, muscle minimums at zero) so that each solve takes well under a second.
"""
