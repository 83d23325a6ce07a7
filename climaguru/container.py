"""The dependency_injector container: adapters and use cases wired once, overridable in tests."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from dependency_injector import containers, providers

from adapters.exporters import default_exporters
from adapters.memory.query_counts import InMemoryQueryCounts
from adapters.memory.retention import InMemoryRetentionStore
from adapters.memory.store import MemoryStore
from adapters.memory.uow import InMemoryHealthCheck, InMemoryUnitOfWork
from adapters.providers.fanout import ThreadPoolFanOut
from adapters.security.bcrypt_hasher import BcryptPasswordHasher
from adapters.security.common_passwords import load_common_passwords
from adapters.security.fernet_box import FernetSecretBox
from adapters.security.jwt_tokens import JwtTokenService
from adapters.sql.engine import make_engine, make_read_engine
from adapters.sql.query_counts import SqlAlchemyQueryCounts
from adapters.sql.reads import TransactionlessReads
from adapters.sql.retention import SqlAlchemyRetentionStore
from adapters.sql.uow import SqlAlchemyHealthCheck, SqlAlchemyUnitOfWork
from climaguru.providers_wiring import build_geocoder, build_providers, system_credentials
from domain.model.auth_policy import AuthPolicy
from domain.model.queries import QueryLimits
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
from domain.use_cases.purge_old_data import PurgeOldData
from domain.use_cases.query_lifecycle import QueryLifecycle
from domain.use_cases.refresh_tokens import RefreshTokens
from domain.use_cases.register_user import RegisterUser
from domain.use_cases.resolve_location import ResolveLocation
from domain.use_cases.rotate_encryption_key import RotateEncryptionKey
from domain.use_cases.run_current_query import RunCurrentQuery
from domain.use_cases.run_forecast_query import RunForecastQuery
from domain.use_cases.run_history_query import RunHistoryQuery
from domain.use_cases.sweep_abandoned_queries import SweepAbandonedQueries


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class Container(containers.DeclarativeContainer):
    """Singletons for adapters and use cases; `uow` is a factory (one per use-case step)."""

    settings = providers.Dependency()

    clock = providers.Object(utc_now)
    id_generator = providers.Object(new_id)

    _engine_options: ClassVar[dict[str, Any]] = {  # both engines alike
        "url": settings.provided.database_url,
        "pool_size": settings.provided.db_pool_size,
        "pool_recycle": settings.provided.db_pool_recycle,
        "max_overflow": settings.provided.db_max_overflow,
        "pool_timeout": settings.provided.db_pool_timeout,
        "connect_timeout": settings.provided.db_connect_timeout,
        "read_timeout": settings.provided.db_read_timeout,
        "write_timeout": settings.provided.db_write_timeout,
    }
    engine = providers.Singleton(make_engine, **_engine_options)
    # MariaDB: a unit of work whose one statement is a read runs it on an autocommit
    # connection, outside any transaction (None on SQLite). See adapters/sql/reads.py.
    reads = providers.Singleton(
        TransactionlessReads.beside,
        engine,
        providers.Singleton(make_read_engine, **_engine_options),
    )
    uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine)
    # For use cases that only read: on SQLite a deferred BEGIN, so they never queue for the
    # write lock (every request authenticates through one of these).
    read_uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine, read_only=True, reads=reads)
    health_check = providers.Singleton(SqlAlchemyHealthCheck, engine=engine)
    retention_store = providers.Singleton(SqlAlchemyRetentionStore, engine=engine)
    query_counts = providers.Singleton(SqlAlchemyQueryCounts, engine=engine)  # for /metrics

    hasher = providers.Singleton(BcryptPasswordHasher, rounds=settings.provided.bcrypt_rounds)
    token_service = providers.Singleton(
        JwtTokenService,
        secret=settings.provided.jwt_secret_key,
        issuer=settings.provided.jwt_issuer,
        audience=settings.provided.jwt_audience,
        leeway=10,  # seconds of clock skew tolerated between hosts
    )
    secret_box = providers.Singleton(FernetSecretBox, keys=settings.provided.encryption_keys)
    common_passwords = providers.Singleton(load_common_passwords)
    auth_policy = providers.Singleton(
        AuthPolicy,
        access_ttl=settings.provided.jwt_access_expires,
        refresh_ttl=settings.provided.jwt_refresh_expires,
        refresh_reuse_grace=settings.provided.refresh_reuse_grace,
        max_failures=settings.provided.login_max_failures,
        failure_window=settings.provided.login_window_seconds,
        address_max_failures=settings.provided.login_address_max_failures,
        registrations_per_address=settings.provided.registrations_per_address,
    )

    token_issuer = providers.Singleton(
        TokenIssuer, tokens=token_service, policy=auth_policy, clock=clock, new_id=id_generator
    )
    register_user = providers.Singleton(
        RegisterUser,
        uow=uow.provider,
        hasher=hasher,
        issuer=token_issuer,
        clock=clock,
        common_passwords=common_passwords,
        policy=auth_policy,
    )
    login = providers.Singleton(
        Login, uow=uow.provider, hasher=hasher, issuer=token_issuer, policy=auth_policy, clock=clock
    )
    refresh_tokens = providers.Singleton(
        RefreshTokens,
        uow=uow.provider,
        tokens=token_service,
        issuer=token_issuer,
        policy=auth_policy,
        clock=clock,
    )
    logout = providers.Singleton(Logout, uow=uow.provider, clock=clock)
    authenticate = providers.Singleton(Authenticate, uow=read_uow.provider, tokens=token_service)
    get_current_user = providers.Singleton(GetCurrentUser, uow=read_uow.provider)

    # --- weather queries ---------------------------------------------------------------
    provider_settings = settings.provided.providers
    weather_providers = providers.Singleton(build_providers, provider_settings, clock)
    geocoder = providers.Singleton(build_geocoder, provider_settings)
    system_keys = providers.Singleton(system_credentials, provider_settings)
    fan_out = providers.Singleton(ThreadPoolFanOut, max_workers=provider_settings.pool_size)
    timer = providers.Object(time.perf_counter)
    query_limits = providers.Singleton(
        QueryLimits,
        max_days_hourly=provider_settings.max_days_hourly,
        max_days_daily=provider_settings.max_days_daily,
        deadline=provider_settings.deadline,
        inline_series=provider_settings.inline_series,
        quota_timezone=provider_settings.quota_timezone,
    )
    locate = providers.Singleton(ResolveLocation, uow=uow.provider, geocoder=geocoder)
    provider_calls = providers.Singleton(
        ProviderCalls,
        uow=uow.provider,
        providers=weather_providers,
        fan_out=fan_out,
        secret_box=secret_box,
        system_credentials=system_keys,
        clock=clock,
        deadline=query_limits.provided.deadline,
        quota_timezone=query_limits.provided.quota_timezone,
        system_budget=provider_settings.system_key_daily_budget,
    )
    query_lifecycle = providers.Singleton(
        QueryLifecycle,
        uow=uow.provider,
        clock=clock,
        timer=timer,
        quota_timezone=query_limits.provided.quota_timezone,
        per_minute=provider_settings.queries_per_minute,
    )
    agro_settings = settings.provided.agro
    run_current_query = providers.Singleton(
        RunCurrentQuery,
        locate=locate,
        calls=provider_calls,
        lifecycle=query_lifecycle,
        timer=timer,
        agro=agro_settings,
    )
    # History and forecast are SeriesQuery use cases: the same collaborators, in its order.
    _series_query = (locate, provider_calls, query_lifecycle, clock, timer, query_limits)
    run_history_query = providers.Singleton(RunHistoryQuery, *_series_query, agro=agro_settings)
    run_forecast_query = providers.Singleton(RunForecastQuery, *_series_query, agro=agro_settings)
    sweep_abandoned_queries = providers.Singleton(
        SweepAbandonedQueries, uow=uow.provider, clock=clock, deadline=provider_settings.deadline
    )
    list_queries = providers.Singleton(
        ListQueries, uow=read_uow.provider, sweep=sweep_abandoned_queries
    )
    get_query = providers.Singleton(
        GetQuery, uow=read_uow.provider, inline_series=provider_settings.inline_series
    )
    exporters = providers.Singleton(default_exporters)
    export_query = providers.Singleton(
        ExportQuery,
        uow=uow.provider,
        exporters=exporters,
        clock=clock,
        read_uow=read_uow.provider,
    )

    # --- accounts -------------------------------------------------------------------------
    manage_users = providers.Singleton(
        ManageUsers, uow=uow.provider, register=register_user, clock=clock
    )
    change_password = providers.Singleton(
        ChangePassword,
        uow=uow.provider,
        hasher=hasher,
        clock=clock,
        common_passwords=common_passwords,
        policy=auth_policy,
    )
    manage_favorites = providers.Singleton(ManageFavorites, uow=uow.provider, clock=clock)
    manage_api_keys = providers.Singleton(
        ManageApiKeys,
        uow=uow.provider,
        box=secret_box,
        providers=weather_providers,
        clock=clock,
        quota_timezone=provider_settings.quota_timezone,
    )
    rotate_encryption_key = providers.Singleton(
        RotateEncryptionKey, uow=uow.provider, box=secret_box
    )
    activity_log = providers.Singleton(ActivityLog, uow=read_uow.provider)
    purge_old_data = providers.Singleton(
        PurgeOldData,
        store=retention_store,
        clock=clock,
        auth=auth_policy,
    )
    statistics = providers.Singleton(
        GetStatistics,
        uow=read_uow.provider,
        clock=clock,
        quota_timezone=provider_settings.quota_timezone,
        system_budget=provider_settings.system_key_daily_budget,
    )


def use_memory(container: Container) -> MemoryStore:
    """Swap the SQL adapters for the in-memory ones (tests, demos); returns the store."""
    store = MemoryStore()
    container.uow.override(providers.Factory(InMemoryUnitOfWork, store=store))
    container.read_uow.override(providers.Factory(InMemoryUnitOfWork, store=store))
    container.health_check.override(providers.Singleton(InMemoryHealthCheck))
    container.retention_store.override(providers.Singleton(InMemoryRetentionStore, store=store))
    container.query_counts.override(providers.Singleton(InMemoryQueryCounts, store=store))
    return store
