"""Route map of the business desk: every route refuses anonymous users (to sign-in) and lower roles (403)."""

import pytest

from kiosk.models import AuditEntry, Business, Registration
from tests.factories import make_business
from tests.flows import sign_in

ENDPOINTS = {
    "staff.businesses": "petugas",
    "staff.business": "petugas",
    "staff.business_reveal": "petugas",
    "staff.business_change": "petugas",
    "staff.business_export": "supervisor",
    "staff.businesses_export": "supervisor",
}
RANKS = ["petugas", "supervisor", "admin"]


@pytest.fixture
def business(app):
    return make_business(app)


def rules_of(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint in ENDPOINTS]


def test_every_business_route_declares_the_expected_role(app):
    found = {rule.endpoint: app.view_functions[rule.endpoint].min_role for rule in rules_of(app)}
    assert found == ENDPOINTS


def test_anonymous_go_to_sign_in_and_lower_roles_get_403(app, business):
    clients = {}
    for role in RANKS:
        clients[role] = app.test_client()
        sign_in(clients[role], role)
    anonymous = app.test_client()
    before = (Business.get_by_id(business.id).version, [r.version for r in Registration.select()])
    checked = 0
    for rule in rules_of(app):
        url = rule.build({name: value for name, value in (("token", business.token), ("fmt", "csv"))
                          if name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = anonymous.open(url, method=method, data={"action": "verify_all", "version": "1"})
            assert response.status_code == 302 and "/staff/masuk" in response.location, (method, url)
            for role in RANKS[:RANKS.index(ENDPOINTS[rule.endpoint])]:
                response = clients[role].open(url, method=method)
                assert response.status_code == 403, (role, method, url)
            checked += 1
    assert checked == len(ENDPOINTS)
    # Nothing was changed, revealed or exported by the refused requests.
    assert (Business.get_by_id(business.id).version, [r.version for r in Registration.select()]) == before
    assert not AuditEntry.select().where(AuditEntry.action.in_(["export", "pii_reveal", "status_change"])).exists()


def test_the_roles_that_may_get_in_do(app, business):
    petugas, supervisor = app.test_client(), app.test_client()
    sign_in(petugas, "petugas")
    sign_in(supervisor, "supervisor")
    assert petugas.get("/staff/usaha").status_code == 200
    assert petugas.get(f"/staff/usaha/{business.token}").status_code == 200
    assert supervisor.post(f"/staff/usaha/{business.token}/ekspor.csv").status_code == 200
    assert supervisor.post("/staff/usaha/ekspor.xlsx").status_code == 200


@pytest.mark.parametrize("token", ["x" * 22, "short", "a" * 33, "<script>", "KU-0000-0000"])
def test_unknown_business_tokens_are_404(app, business, token):
    client = app.test_client()
    sign_in(client, "admin")
    for method, path in (("GET", ""), ("POST", "/data"), ("POST", "/status"), ("POST", "/ekspor.csv")):
        assert client.open(f"/staff/usaha/{token}{path}", method=method).status_code == 404, (method, path)
