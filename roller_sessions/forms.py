"""The forms of the session pages, built from the rulebook's section 6 questions."""

from __future__ import annotations

import datetime
import uuid

from django import forms

from assessments import rulebook
from assessments.forms import QuestionnaireStepForm
from assessments.scoring import AnswerError

SUBMISSION_FIELD = "submission_id"
_EXPIRED = "This form could not be read. Please answer again and submit."


class _OncePerForm(QuestionnaireStepForm):
    """A form that carries a random id, so a double post saves one check (see services)."""

    def clean(self) -> dict:
        cleaned = super().clean()
        raw = self.data.get(SUBMISSION_FIELD)
        try:
            cleaned[SUBMISSION_FIELD] = uuid.UUID(str(raw))
        except (TypeError, ValueError, AttributeError):
            self.add_error(None, _EXPIRED)
        return cleaned


def submission_id_or_new(raw: object) -> uuid.UUID:
    """The posted id when it reads as one (so a corrected form still saves once), else new."""
    try:
        return uuid.UUID(str(raw)[:64])
    except ValueError:
        return uuid.uuid4()


def add_answer_error(form: forms.Form, error: AnswerError) -> None:
    """An answer the services refused: on its field when it names one, else on the form."""
    message = "Choose only from the answers shown."
    if isinstance(error.key, str) and error.key in form.fields:
        form.add_error(error.key, message)
    else:
        form.add_error(None, message)


class CheckForm(_OncePerForm):
    """The check before a session: rulebook.CHECK_QUESTIONS on one page."""

    questions = rulebook.CHECK_QUESTIONS


class CheckinForm(_OncePerForm):
    """A check-in after a session: rulebook.CHECKIN_QUESTIONS."""

    questions = rulebook.CHECKIN_QUESTIONS


class ConsultConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have talked to a professional about these reasons and they said I can go ahead",
        error_messages={
            "required": "Tick the box to confirm that a professional said you can go ahead."
        },
    )

    def clean_confirm(self) -> bool:
        # Only a ticked box ("on") is a confirmation, not a hand-made "0" or "off".
        if self.data.get("confirm") != "on":
            raise forms.ValidationError(self.fields["confirm"].error_messages["required"])
        return True


class SessionLogForm(forms.Form):
    """The day of the session: a hidden `date` (today's, as the page was shown). Its problems
    are the form's own, not a field's: the person never sees the field."""

    def clean(self) -> dict:
        cleaned = super().clean()
        raw = self.data.get("date")
        try:
            if not isinstance(raw, str) or len(raw) != len("YYYY-MM-DD"):
                raise ValueError(raw)
            cleaned["date"] = datetime.date.fromisoformat(raw)
        except ValueError:
            self.add_error(
                None, "The date of the session could not be read. Reload the page and try again."
            )
        return cleaned
