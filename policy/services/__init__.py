"""Writes of the policy app, one module per part of the work.

`rounds` runs prioritisation rounds; `followup` records what became of
recommendations; `editing` creates, edits and publishes the audit office's
texts. The demo content is loaded by `policy.demo`.
"""
