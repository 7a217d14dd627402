"""Factories for the case core: services with documents, care homes with wards, cases."""

from __future__ import annotations

import datetime as dt
import importlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.models import (
    Case,
    CaseDocument,
    Facility,
    FacilityStaff,
    RequiredDocument,
    Service,
    Ward,
)
from crm.models import Role
from tests.factories import AdminUnitFactory, ContactFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"service-{n}")
    name_mn = "Асрамжийн газрын үйлчилгээ"
    name_kk = "Қарттар үйіне орналастыру"
    name_ru = "Размещение в доме престарелых"
    name_en = "Care-home placement"
    workflow = "placement"


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    service = factory.SubFactory(ServiceFactory)
    code = factory.Sequence(lambda n: f"doc-{n}")
    name_mn = factory.LazyAttribute(lambda o: f"Бичиг {o.code}")
    name_kk = factory.LazyAttribute(lambda o: f"Құжат {o.code}")
    name_ru = factory.LazyAttribute(lambda o: f"Документ {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Document {o.code}")


def ensure_catalogue() -> None:
    """Load the data migration's catalogue again if a transactional test flushed it."""
    from django.apps import apps

    if not Service.objects.filter(code="care-home-placement").exists():
        migration = importlib.import_module("cases.migrations.0002_service_catalogue")
        migration.load(apps, None)
    if not Service.objects.filter(country="KZ").exists():
        migration = importlib.import_module("cases.migrations.0004_service_country")
        migration.load(apps, None)


def placement_service() -> Service:
    """The seeded care-home placement service (loaded by the data migration)."""
    ensure_catalogue()
    return Service.objects.get(code="care-home-placement")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Асрамжийн газар {n}")
    unit = factory.SubFactory(AdminUnitFactory)
    accreditation = Facility.Accreditation.ACCREDITED
    accreditation_valid_until = factory.LazyFunction(
        lambda: timezone.localdate() + dt.timedelta(days=365)
    )

    @factory.post_generation
    def beds(obj, create, extracted, **kwargs):
        """``beds=5`` makes one mixed ward; ``beds={"F": 3, "M": 2}`` wards per sex."""
        if not create:
            return
        beds = 10 if extracted is None else extracted
        if isinstance(beds, int):
            beds = {"": beds}
        for sex, capacity in beds.items():
            Ward.objects.create(facility=obj, sex=sex, capacity=capacity)


def facility_staff(facility: Facility, username: str = "carehome"):
    user = UserFactory(username=username, role=Role.FACILITY_STAFF, unit=None)
    FacilityStaff.objects.update_or_create(user=user, defaults={"facility": facility})
    return user


class CaseFactory(factory.django.DjangoModelFactory):
    """A draft case; use helpers in tests to move it through the workflow."""

    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"1999-{n:06d}")
    service = factory.LazyFunction(placement_service)
    beneficiary = factory.SubFactory(ContactFactory)
    origin_channel = "walk_in"
    unit = factory.LazyAttribute(lambda o: o.beneficiary.address_unit)


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDocument

    case = factory.SubFactory(CaseFactory)
    kind = CaseDocument.Kind.REQUIRED
    issue_date = factory.LazyFunction(timezone.localdate)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="doc.pdf"))
    content_type = "application/pdf"
    size = len(PDF_BYTES)
