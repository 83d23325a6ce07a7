"""Every use case built directly over the in-memory unit of work, with fakes and a fixed clock.

Like cosmicpython's handler tests: no HTTP, no container; the fakes are small real adapters
(a reversible hasher, a JSON token service, a prefixing secret box) so each test reads as the
story of one use case.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime

import attrs
import pytest
from attrs import define, field

from adapters.exporters import default_exporters
from adapters.memory.store import MemoryStore
from adapters.memory.uow import InMemoryUnitOfWork
from domain.errors import AuthenticationFailed
from domain.model.auth_policy import AuthPolicy
from domain.model.permissions import Principal
from domain.model.queries import QueryLimits
from domain.model.tokens import ClientInfo, TokenClaims, TokenType
from domain.model.users import Role, User
from domain.use_cases.activity_log import ActivityLog
from domain.use_cases.authenticate import Authenticate
from domain.use_cases.change_password import ChangePassword
from domain.use_cases.export_query import ExportQuery
from domain.use_cases.get_current_user import GetCurrentUser
from domain.use_cases.get_query import GetQuery
from domain.use_cases.get_statistics import GetStatistics
from domain.use_cases.issue_tokens import TokenIssuer
from domain.use_cases.list_queries import ListQueries
from domain.use_cases.login import Login
from domain.use_cases.logout import Logout
from domain.use_cases.manage_api_keys import ManageApiKeys
from domain.use_cases.manage_favorites import ManageFavorites
from domain.use_cases.manage_users import ManageUsers
from domain.use_cases.provider_calls import ProviderCalls
from domain.use_cases.query_lifecycle import QueryLifecycle
from domain.use_cases.refresh_tokens import RefreshTokens
from domain.use_cases.register_user import RegisterUser
from domain.use_cases.resolve_location import ResolveLocation
from domain.use_cases.rotate_encryption_key import RotateEncryptionKey
from domain.use_cases.run_current_query import RunCurrentQuery
from domain.use_cases.run_forecast_query import RunForecastQuery
from domain.use_cases.run_history_query import RunHistoryQuery
from ports.providers import ProviderUnavailable
from tests.conftest import FakeClock
from tests.fakes import FakeGeocoder, FakeProvider

CLIENT = ClientInfo("10.0.0.7", "pruebas/1.0")
PASSWORD = "una clave larga y rara"
COMMON = frozenset({"password123"})


class FakeHasher:
    """'hash:' + the password: enough to tell right from wrong."""

    def hash(self, password: str) -> str:
        return "hash:" + password

    def verify(self, password: str, password_hash: str) -> bool:
        return password_hash == "hash:" + password

    def burn(self, password: str) -> None:
        return None


class FakeTokens:
    """Claims as JSON; a token of the wrong type or not JSON is refused like a bad signature."""

    def encode(self, claims: TokenClaims) -> str:
        return json.dumps(attrs.asdict(claims))

    def decode(self, token: str, expected: TokenType) -> TokenClaims:
        try:
            raw = json.loads(token)
            valid = raw["token_type"] == expected.value
        except (ValueError, TypeError, KeyError):
            valid = False
        if not valid:
            raise AuthenticationFailed("token inválido")
        return TokenClaims(**{**raw, "token_type": expected})


class FakeBox:
    """'enc:' + plaintext; a ciphertext under a forgotten key ('old:...') cannot be read."""

    def encrypt(self, plaintext: str) -> str:
        return "enc:" + plaintext

    def decrypt(self, ciphertext: str) -> str:
        if not ciphertext.startswith("enc:"):
            raise ValueError("clave desconocida")
        return ciphertext.removeprefix("enc:")

    def rotate(self, ciphertext: str) -> str:
        return self.encrypt(self.decrypt(ciphertext))


def serial_fan_out(calls, deadline):
    """The FanOut port, one call after another (what matters here is the outcome)."""
    results = {}
    for name, call in calls.items():
        try:
            results[name] = call()
        except ProviderUnavailable as exc:
            results[name] = exc
    return results


@define
class World:
    """The store, the fakes and every use case wired over them."""

    clock: FakeClock = field(factory=lambda: FakeClock(datetime(2026, 3, 1, 17, 30, tzinfo=UTC)))
    store: MemoryStore = field(factory=MemoryStore)
    providers: dict = field(factory=dict)
    geocoder: FakeGeocoder = field(factory=FakeGeocoder)
    system_credentials: dict = field(factory=dict)
    policy: AuthPolicy = AuthPolicy(refresh_reuse_grace=10, max_failures=3)
    limits: QueryLimits = QueryLimits()
    ids: itertools.count = field(factory=lambda: itertools.count(1))

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def timer(self) -> float:
        return self.clock().timestamp()

    def new_id(self) -> str:
        return f"id-{next(self.ids)}"

    @property
    def issuer(self) -> TokenIssuer:
        return TokenIssuer(FakeTokens(), self.policy, self.clock, self.new_id)

    @property
    def register(self) -> RegisterUser:
        return RegisterUser(self.uow, FakeHasher(), self.issuer, self.clock, COMMON, self.policy)

    @property
    def login(self) -> Login:
        return Login(self.uow, FakeHasher(), self.issuer, self.policy, self.clock)

    @property
    def refresh(self) -> RefreshTokens:
        return RefreshTokens(self.uow, FakeTokens(), self.issuer, self.policy, self.clock)

    @property
    def logout(self) -> Logout:
        return Logout(self.uow, self.clock)

    @property
    def authenticate(self) -> Authenticate:
        return Authenticate(self.uow, FakeTokens())

    @property
    def current_user(self) -> GetCurrentUser:
        return GetCurrentUser(self.uow)

    @property
    def change_password(self) -> ChangePassword:
        return ChangePassword(self.uow, FakeHasher(), self.clock, COMMON, self.policy)

    @property
    def users(self) -> ManageUsers:
        return ManageUsers(self.uow, self.register, self.clock)

    @property
    def activity(self) -> ActivityLog:
        return ActivityLog(self.uow)

    @property
    def favorites(self) -> ManageFavorites:
        return ManageFavorites(self.uow, self.clock)

    @property
    def keys(self) -> ManageApiKeys:
        return ManageApiKeys(self.uow, FakeBox(), self.providers, self.clock)

    @property
    def rotate(self) -> RotateEncryptionKey:
        return RotateEncryptionKey(self.uow, FakeBox(), batch_size=2)

    @property
    def calls(self) -> ProviderCalls:
        return ProviderCalls(
            self.uow, self.providers, serial_fan_out, FakeBox(), self.system_credentials,
            self.clock, self.limits.deadline, self.limits.quota_timezone,
        )  # fmt: skip

    @property
    def lifecycle(self) -> QueryLifecycle:
        return QueryLifecycle(self.uow, self.clock, self.timer, self.limits.quota_timezone)

    @property
    def locate(self) -> ResolveLocation:
        return ResolveLocation(self.uow, self.geocoder)

    @property
    def run_current(self) -> RunCurrentQuery:
        return RunCurrentQuery(self.locate, self.calls, self.lifecycle, self.timer)

    @property
    def run_history(self) -> RunHistoryQuery:
        return RunHistoryQuery(
            self.locate, self.calls, self.lifecycle, self.clock, self.timer, self.limits
        )

    @property
    def run_forecast(self) -> RunForecastQuery:
        return RunForecastQuery(
            self.locate, self.calls, self.lifecycle, self.clock, self.timer, self.limits
        )

    @property
    def get_query(self) -> GetQuery:
        return GetQuery(self.uow, inline_series=3)

    @property
    def list_queries(self) -> ListQueries:
        return ListQueries(self.uow)

    @property
    def export(self) -> ExportQuery:
        return ExportQuery(self.uow, default_exporters(), self.clock)

    @property
    def statistics(self) -> GetStatistics:
        return GetStatistics(self.uow, self.clock)

    def user(self, name: str, role: Role = Role.OPERATOR, active: bool = True) -> Principal:
        """A stored account and the principal it would authenticate as."""
        with self.uow() as uow:
            user = uow.users.add(
                User(None, name, f"{name}@ejemplo.co", "hash:" + PASSWORD, role, active,
                     self.clock())
            )  # fmt: skip
            uow.tokens.add_family(f"fam-{name}", user.id, self.clock())
            uow.commit()
        return Principal(user.id, name, role, f"tok-{name}", f"fam-{name}", 0.0)

    def actions(self) -> list[str]:
        return [entry.action for entry in self.store.activity]


@pytest.fixture
def world() -> World:
    return World(providers={"a": FakeProvider("a", {"temperatura": 14.0})})
