"""Staff accounts for tests: create one per role and sign a client in through the real form."""

from kiosk import accounts

PASSWORD = "sandi-rahasia-123"


def make_staff(role: str, username: str | None = None):
    return accounts.create_user(username or f"{role}-test", f"{role.title()} Test", role, PASSWORD)


def sign_in(client, role: str, username: str | None = None):
    """Create a staff user of role (if needed) and sign client in; return the user."""
    from kiosk.models import StaffUser
    name = username or f"{role}-test"
    user = StaffUser.get_or_none(StaffUser.username == name) or make_staff(role, name)
    response = client.post("/staff/masuk", data={"username": name, "password": PASSWORD})
    assert response.status_code == 303, response.data.decode()[:500]
    return user
