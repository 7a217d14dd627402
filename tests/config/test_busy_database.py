"""A database that cannot hand out a connection in time: 503 with Retry-After, and a burst on
the pool never takes the process for an outage."""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import translation

from cases.api.views import CaseViewSet
from config.database import base as database_base


def _refuse(*args, **kwargs):
    raise OperationalError("couldn't get a connection after 3.00 sec")


@pytest.mark.django_db
def test_an_api_request_the_database_cannot_serve_answers_503_with_retry_after(
    monkeypatch, admin_user
):
    monkeypatch.setattr(CaseViewSet, "list", _refuse)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "unavailable"
    assert "Try again" in response.json()["detail"]


@pytest.mark.django_db
def test_the_busy_answer_is_in_the_callers_language(monkeypatch, admin_user):
    monkeypatch.setattr(CaseViewSet, "list", _refuse)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="ru")
    with translation.override("ru"):
        expected = translation.gettext(
            "The service is busy or briefly unavailable. Try again in a few seconds."
        )
    assert response.status_code == 503
    assert (
        response.json()["detail"]
        == expected
        != ("The service is busy or briefly unavailable. Try again in a few seconds.")
    )


@pytest.mark.django_db
def test_any_other_server_error_stays_a_plain_500(monkeypatch, admin_user):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(CaseViewSet, "list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db(transaction=True)
def test_a_pool_with_every_connection_lent_out_is_busy_not_unreachable(on_postgres):
    if not on_postgres:
        pytest.skip("connection pools are PostgreSQL's")
    settings_dict = {
        **connection.settings_dict,
        "OPTIONS": {
            **connection.settings_dict["OPTIONS"],
            "pool": {"min_size": 1, "max_size": 1, "timeout": 0.3},
        },
    }
    lent_before = database_base._lent  # the test's own connection may be pooled too
    holder = database_base.DatabaseWrapper(settings_dict, alias="busy_probe")
    waiter = database_base.DatabaseWrapper(settings_dict, alias="busy_probe")
    try:
        held = holder.get_new_connection(holder.get_connection_params())
        assert database_base._lent == lent_before + 1
        with pytest.raises(Exception) as refused:
            waiter.get_new_connection(waiter.get_connection_params())
        assert database_base._is_pool_timeout(refused.value)
        assert database_base.pool_busy()
        # No outage window: the next request gets the connection as soon as it is free.
        assert time.monotonic() >= database_base._unreachable_until
        holder.connection = held
        holder.close()
        waiter.connection = waiter.get_new_connection(waiter.get_connection_params())
        waiter.close()
        assert database_base._lent == lent_before
    finally:
        holder.close_pool()
