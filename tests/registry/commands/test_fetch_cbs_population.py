"""fetch_cbs_population against a small CBS-shaped server on 127.0.0.1, never the real one."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from registry import models as rm
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class _CbsHandler(BaseHTTPRequestHandler):
    pages: dict[str, dict] = {}
    requested: list[str] = []

    def do_GET(self):
        self.requested.append(self.path)
        page = "2" if "skiptoken" in self.path else "1"
        body = json.dumps(self.pages[page]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def cbs_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CbsHandler)
    base = f"http://127.0.0.1:{server.server_port}/ODataApi/OData"
    _CbsHandler.requested = []
    _CbsHandler.pages = {
        "1": {
            "odata.metadata": f"{base}/70072ned/$metadata#TypedDataSet",
            "value": [
                {"RegioS": "NL01  ", "Perioden": "2023JJ00", "TotaleBevolking_1": 17811291},
                {"RegioS": "PV27  ", "Perioden": "2023JJ00", "TotaleBevolking_1": 2952622},
                {"RegioS": "GM0394    ", "Perioden": "2023JJ00", "TotaleBevolking_1": 162105},
            ],
            "odata.nextLink": f"{base}/70072ned/TypedDataSet?$skiptoken=Id%203",
        },
        "2": {
            "value": [
                {"RegioS": "GM0358    ", "Perioden": "2023JJ00", "TotaleBevolking_1": 33000},
                {"RegioS": "GM0358    ", "Perioden": "2022JJ00", "TotaleBevolking_1": None},
            ]
        },
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def municipalities():
    for code, name in [("GM0394", "Haarlemmermeer"), ("GM0358", "Aalsmeer"), ("NL01", "Nederland")]:
        f.MunicipalityFactory(code=code, name=name)


def _fetch(base_url: str, *args: str) -> str:
    out = io.StringIO()
    call_command("fetch_cbs_population", "--base-url", base_url, *args, stdout=out)
    return out.getvalue()


def test_population_is_read_from_every_page_with_padded_codes_stripped(cbs_server, municipalities):
    _fetch(cbs_server)

    assert dict(rm.Population.objects.values_list("municipality__code", "inhabitants")) == {
        "NL01": 17811291,
        "GM0394": 162105,
        "GM0358": 33000,
    }
    assert len(_CbsHandler.requested) == 2


def test_regions_that_are_not_municipalities_are_left_out(cbs_server, municipalities):
    output = _fetch(cbs_server)

    assert "Read 5 records" in output
    assert "4 are municipalities" in output


def test_the_request_selects_only_the_needed_fields(cbs_server, municipalities):
    _fetch(cbs_server)

    assert _CbsHandler.requested[0].startswith(
        "/ODataApi/OData/70072ned/TypedDataSet?$select=RegioS,Perioden,TotaleBevolking_1"
    )


def test_dry_run_fetch_writes_nothing(cbs_server, municipalities):
    _fetch(cbs_server, "--dry-run")

    assert rm.Population.objects.count() == 0


def test_unknown_municipality_from_cbs_is_refused_and_nothing_is_written(cbs_server):
    f.MunicipalityFactory(code="NL01", name="Nederland")

    with pytest.raises(CommandError, match="GM0394"):
        _fetch(cbs_server)

    assert rm.Population.objects.count() == 0


def test_unreachable_cbs_gives_a_clear_error():
    with pytest.raises(CommandError, match="could not be read"):
        _fetch("http://127.0.0.1:9/ODataApi/OData")
