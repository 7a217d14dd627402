from __future__ import annotations

import factory
from django.utils import timezone

from crm.models import AdminUnit, Contact, Conversation, Identity, Interaction, Role, User


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("parent", "code")

    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.LazyAttribute(lambda o: f"Unit {o.code}")
    level = 3
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.AGENT
    unit = None
    password = factory.PostGenerationMethodCall("set_password", "pass-12345")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = factory.Iterator(["Цэрэн", "Долгор", "Бат", "Оюунчимэг", "Айгүл"])
    last_name = factory.Iterator(["Дорж", "Гомбо", "Баяр", "Намжил", "Нұрланова"])
    birth_date = factory.Faker("date_of_birth", minimum_age=60, maximum_age=95)
    sex = "F"
    preferred_language = "mn"
    is_identified = True
    address_unit = None


class IdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Identity

    contact = factory.SubFactory(ContactFactory)
    scheme = Identity.Scheme.PHONE
    value = factory.Sequence(lambda n: f"+9769911{n % 10000:04d}")


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    contact = factory.SubFactory(ContactFactory)
    channel = "sms"
    address = "+97699110000"


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    contact = factory.SubFactory(ContactFactory)
    channel = "sms"
    direction = Interaction.Direction.INBOUND
    body = "Сайн байна уу"
    occurred_at = factory.LazyFunction(timezone.now)
