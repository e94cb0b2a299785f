"""Writes of the policy app, one module per part of the work.

`demo` loads the seed content; `rounds` runs prioritisation rounds;
`followup` records what became of recommendations; `editing` creates,
edits and publishes the audit office's texts.
"""

from policy.services.demo import POLICY_SECTIONS, policy_demo_load

__all__ = ["POLICY_SECTIONS", "policy_demo_load"]
