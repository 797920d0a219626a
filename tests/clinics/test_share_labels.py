"""The queue item's labels (Share.get_*_display, written for speed) say what Django's own
get_FOO_display says, for every code and for a code the choices do not know."""

import pytest

from clinics.models import Share


@pytest.mark.parametrize("name", ["disposition", "status", "contact_way"])
def test_each_label_is_djangos(name):
    field = Share._meta.get_field(name)
    codes = [value for value, _ in field.flatchoices]
    assert len(codes) >= 3
    for code in [*codes, "not-a-code", ""]:
        share = Share(**{name: code})

        ours = getattr(share, f"get_{name}_display")()

        assert ours == share._get_FIELD_display(field)
        assert type(ours) is str
