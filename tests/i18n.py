"""What a reader gets for a msgid, so that tests about behaviour assert msgids, not wording.

A test that checks what the portal does names the English msgid and lets the catalogue
supply the words; rewording a translation then breaks no test. The few tests that check
the Dutch wording on purpose carry `@pytest.mark.translation`.
"""

from django.utils import translation
from django.utils.html import escape


def translated(msgid: str, *, language: str = "nl", **values) -> str:
    """The text a reader in `language` gets for `msgid`, with its %(name)s values filled in."""
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % values if values else text


def translated_html(msgid: str, *, language: str = "nl", **values) -> str:
    """As `translated`, escaped as a template writes it."""
    return escape(translated(msgid, language=language, **values))
