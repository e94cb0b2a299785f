"""What the content tests share: the demo loaded, and the policy export read back."""

import io
import json

from django.core.management import call_command


def demo_load() -> None:
    call_command("load_demo", stdout=io.StringIO())


def export_policy_json(code: str) -> dict:
    out = io.StringIO()
    call_command("export_policy", "--municipality", code, stdout=out)
    return json.loads(out.getvalue())
