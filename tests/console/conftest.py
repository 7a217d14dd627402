"""Fixtures of the desk console: signed-in browsers (Django's test client), citizens, cases."""

from __future__ import annotations

import pytest
from django.test import Client

from config.celery import app as celery_app
from console.models import CannedResponse, WrapUpCode
from crm import services as crm_services
from crm.models import Identity, RegistryPerson
from tests.cases.factories import FacilityFactory, facility_staff, placement_service
from tests.factories import ContactFactory, IdentityFactory


@pytest.fixture(autouse=True)
def eager_celery():
    """Outbox deliveries run in-process even when REDIS_URL is set for the PostgreSQL run."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def signed_in():
    """``signed_in(user)`` -> a test client with that staff member's session, in English."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return make


@pytest.fixture
def console_data(db):
    WrapUpCode.objects.create(
        code="answered",
        label_mn="Хариулт өгсөн",
        label_kk="Жауап берілді",
        label_ru="Дан ответ",
        label_en="Question answered",
    )
    CannedResponse.objects.create(
        title="Greeting",
        body_mn="Сайн байна уу. Танд юугаар туслах вэ?",
        body_kk="Сәлеметсіз бе",
        body_ru="Здравствуйте! Чем помочь?",
        body_en="Hello, how can we help?",
    )


@pytest.fixture
def placement(db):
    """The seeded placement service; re-loaded after a transactional test flushed it."""
    from importlib import import_module

    from django.apps import apps

    from cases.models import Service

    if not Service.objects.filter(code="care-home-placement").exists():
        import_module("cases.migrations.0002_service_catalogue").load(apps, None)
    return placement_service()


@pytest.fixture
def carehome(tree):
    return FacilityFactory(name="Сонгинохайрхан асрамжийн газар", unit=tree.skh, beds=3)


@pytest.fixture
def carehome_staff(carehome):
    return facility_staff(carehome, "carehome.skh")


@pytest.fixture
def citizen(tree):
    """An identified citizen of khoroo 7 with a phone number."""
    contact = ContactFactory(
        first_name="Цэрэн", last_name="Дорж", address_unit=tree.k7, sex="M", lives_alone=True
    )
    IdentityFactory(contact=contact, scheme=Identity.Scheme.PHONE, value="+97699112233")
    return contact


@pytest.fixture
def sms_from():
    """``sms_from(phone, body)``: a citizen's SMS through the core's single inbound entry."""
    counter = iter(range(1, 10_000))

    def send(phone: str, body: str = "Сайн байна уу"):
        return crm_services.inbound_message_record(
            channel="sms",
            scheme=Identity.Scheme.PHONE,
            address=phone,
            body=body,
            provider_message_id=f"SMtest{next(counter):06d}",
        )

    return send


@pytest.fixture
def registry_person(tree):
    return RegistryPerson.objects.create(
        national_id="УБ47051821",
        first_name="Батцэцэг",
        last_name="Мягмар",
        birth_date="1947-05-18",
        sex="F",
        address_unit_path=tree.k7.path,
        address_text="7-р хороо, 15-р байр",
    )
