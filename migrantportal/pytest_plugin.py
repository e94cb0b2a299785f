"""Loaded by pytest before Django reads its settings (`-p` in pyproject.toml).

The suite tests the portal with its development defaults, whatever the shell exported:
an operator's `DEBUG=false` for a production check would otherwise turn every test
client request into a redirect to HTTPS. The production settings are tested in a fresh
process of their own (tests/migrantportal/settings/test_settings.py).
"""

import os

for _name in ("DEBUG", "SECURE_SSL_REDIRECT", "ALLOW_INSECURE_LOCAL"):
    os.environ.pop(_name, None)
