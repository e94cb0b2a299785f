"""Reading CBS open data (OData v3) over HTTP, following its paging."""

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

MAX_PAGES = 1000
TIMEOUT_SECONDS = 30


class CbsUnavailable(Exception):
    pass


def cbs_typed_dataset_url(*, base_url: str, table: str, fields: list[str]) -> str:
    query = urllib.parse.urlencode({"$select": ",".join(fields), "$format": "json"}, safe="$,")
    return f"{base_url.rstrip('/')}/{table}/TypedDataSet?{query}"


def cbs_records_fetch(*, url: str) -> Iterator[dict]:
    """Yield every record of a TypedDataSet, page after page (`odata.nextLink`)."""
    for _page in range(MAX_PAGES):
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
                document = json.load(response)
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as error:
            raise CbsUnavailable(f"{url}: {error}") from error
        if not isinstance(document, dict) or not isinstance(document.get("value"), list):
            raise CbsUnavailable(f"{url}: the answer has no “value” list")
        yield from document["value"]
        url = document.get("odata.nextLink")
        if not url:
            return
    raise CbsUnavailable(f"more than {MAX_PAGES} pages; stopped")
