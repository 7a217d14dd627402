import pytest

from crm.phones import PhoneError, normalize_phone


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("99112233", "MN", "+97699112233"),
        ("8811 4455", "MN", "+97688114455"),
        ("+976 9511-2233", "MN", "+97695112233"),
        ("976 99112233", None, "+97699112233"),
        ("8 701 123 4567", "KZ", "+77011234567"),
        ("+7 (777) 345-67-89", "KZ", "+77773456789"),
        ("87051234567", "KZ", "+77051234567"),
        ("+77011234567", "MN", "+77011234567"),
    ],
)
def test_numbers_are_normalised_to_e164(settings, raw, region, e164):
    settings.CRM_COUNTRY = "MN"
    assert normalize_phone(raw, region) == e164


def test_the_deployment_country_is_the_default_region(settings):
    settings.CRM_COUNTRY = "KZ"
    assert normalize_phone("8 701 123 4567") == "+77011234567"


@pytest.mark.parametrize("raw", ["", "12", "hello", "+976 123"])
def test_invalid_numbers_are_refused_with_a_message(raw):
    with pytest.raises(PhoneError) as info:
        normalize_phone(raw, "MN")
    assert str(info.value)
