"""How a person who sends a result to a clinic can be reached, or that they would rather not be."""

import re

from django import forms
from django.core.exceptions import ValidationError

from clinics.models import CONTACT_FIELDS, Clinic, ContactWay, Share

# Digits with the usual separators, and an optional leading +: what people type for a phone.
PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().-]+$")
PHONE_DIGITS = (7, 15)  # E.164 allows at most 15


class ContactForm(forms.ModelForm):
    """Name, email and/or phone, the preferred way and time; or "do not contact me"."""

    class Meta:
        model = Share
        fields = CONTACT_FIELDS
        labels = {
            "contact_way": "How should the clinic contact you?",
            "contact_name": "Your name (optional)",
            "contact_email": "Email address",
            "contact_phone": "Phone number",
            "contact_time": "When is a good time? (optional)",
        }
        help_texts = {
            "contact_phone": (
                "With the country code if you are outside the UK, e.g. +44 20 7946 0000."
            ),
            "contact_time": "For example: weekday mornings.",
        }
        widgets = {"contact_way": forms.RadioSelect}
        error_messages = {
            "contact_way": {
                "required": "Choose how the clinic should contact you, or \u201cDo not contact "
                "me\u201d.",
                "invalid_choice": "Choose one of the ways shown.",
            },
        }

    def __init__(self, *args, **kwargs):
        if kwargs.get("instance") is None:
            # No way chosen for the person: "Do not contact me" (the model's default) is a
            # choice they make, not one made for them.
            kwargs["instance"] = Share(contact_way="")
        super().__init__(*args, **kwargs)
        self.fields["contact_way"].choices = ContactWay.choices
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget = forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "maxlength": 40}
        )
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if not phone:
            return ""
        digits = re.sub(r"\D", "", phone)
        low, high = PHONE_DIGITS
        if not PHONE_CHARACTERS.match(phone) or not low <= len(digits) <= high:
            raise ValidationError(
                "Enter a phone number of 7 to 15 digits, for example 020 7946 0000 or "
                "+44 20 7946 0000.",
                code="invalid_phone",
            )
        return phone

    def clean(self) -> dict:
        cleaned = super().clean()
        way = cleaned.get("contact_way")
        if way == ContactWay.NONE:
            # Nothing given "just in case" is kept: they chose not to be contacted.
            for field in ("contact_name", "contact_email", "contact_phone", "contact_time"):
                cleaned[field] = ""
            return cleaned
        needed = {
            ContactWay.EMAIL: ("contact_email",),
            ContactWay.PHONE: ("contact_phone",),
            ContactWay.EITHER: ("contact_email", "contact_phone"),
        }.get(way, ())
        for field in needed:
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(
                    field,
                    ValidationError(
                        f"Enter your {self.fields[field].label.lower()}, or choose another way "
                        "to be contacted.",
                        code="required_for_way",
                    ),
                )
        return cleaned

    def contact(self) -> dict:
        """The cleaned contact details, as clinics.services.share_send takes them."""
        return {field: self.cleaned_data.get(field, "") for field in self.Meta.fields}


class ClinicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, clinic: Clinic) -> str:
        # The contact details people are shown, so they know who they are choosing.
        return " \u00b7 ".join(part for part in (clinic.name, clinic.phone, clinic.email) if part)


class SendForm(ContactForm):
    """ "Send to a clinic": which active clinic, how to reach the person, and their agreement."""

    clinic = ClinicChoiceField(
        label="Which clinic?",
        queryset=Clinic.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the clinic to send your result to.",
            "invalid_choice": "That clinic cannot take results now. Choose another.",
        },
    )
    agree = forms.BooleanField(
        label="I agree to send my result to this clinic, as described above",
        error_messages={
            "required": "Tick the box to agree, or go back to your result without sending it."
        },
    )

    field_order = ("clinic", *ContactForm.Meta.fields, "agree")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = Clinic.objects.active()
