"""Questionnaire forms, built from the rulebook so no question, code or label is typed twice."""

from django import forms

from assessments import rulebook
from assessments.rulebook import REVIEW_STEP_KEY, Question


def _field_for(question: Question) -> forms.Field:
    common = {"label": question.text, "help_text": question.help_text}
    choices = [(choice.code, choice.label) for choice in question.choices]
    if question.kind == "one":
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Choose an answer.",
                "invalid_choice": "Choose one of the answers shown.",
            },
            **common,
        )
    if question.kind == "many":
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Tick at least one answer.",
                "invalid_choice": "Tick only the answers shown.",
            },
            **common,
        )
    if question.kind == "int":
        # One plain message for every way a number can be wrong (Django's defaults say
        # "Ensure this value is greater than or equal to 0.").
        enter = (
            f"Enter {question.what_to_enter}, from {question.min_value} to {question.max_value}."
        )
        return forms.IntegerField(
            min_value=question.min_value,
            max_value=question.max_value,
            # A text box with the numeric keypad (as GOV.UK advises), not type=number: a
            # browser silently empties a number box holding "abc", so the person would see
            # a blank field instead of what they typed and why it was refused.
            widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            error_messages={
                key: enter for key in ("required", "invalid", "min_value", "max_value")
            },
            **common,
        )
    return forms.CharField(
        required=question.required,
        max_length=question.max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": (
                f"Keep your note to {question.max_length} characters or fewer "
                "(you have %(show_value)d)."
            ),
        },
        **common,
    )


class QuestionnaireStepForm(forms.Form):
    """One step of the questionnaire; subclasses list their rulebook questions."""

    questions: tuple[Question, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for question in self.questions:
            self.fields[question.key] = _field_for(question)

    def clean(self) -> dict:
        cleaned = super().clean()
        for question in self.questions:
            # A radio group, number or note sends one value; two mean a tampered request, and
            # Django would silently keep the last one.
            if (
                question.kind != "many"
                and len(self.data.getlist(self.add_prefix(question.key))) > 1
            ):
                self.add_error(question.key, "Give one answer only.")
                continue
            chosen = cleaned.get(question.key)
            # "None of these" / "Nothing" means exactly that: it cannot stand beside another answer.
            if question.exclusive and chosen and question.exclusive in chosen and len(chosen) > 1:
                label = question.label_for(question.exclusive)
                self.add_error(
                    question.key,
                    f"\u201c{label}\u201d can\u2019t be combined with other answers: untick it, "
                    "or untick the others.",
                )
        own = {question.key for question in self.questions}
        for contradiction in rulebook.CONTRADICTIONS:
            # Checked on the step that asks every answer it reads, where it can be corrected.
            answered = all(key in own and key in cleaned for key in contradiction.keys)
            if answered and contradiction.when(cleaned):
                self.add_error(contradiction.key, contradiction.message)
        return cleaned


def _step_form(step_key: str, questions: tuple[Question, ...]) -> type[QuestionnaireStepForm]:
    name = f"{step_key.title()}StepForm"
    return type(name, (QuestionnaireStepForm,), {"questions": questions})


STEP_FORMS: dict[str, type[QuestionnaireStepForm]] = {
    **{step.key: _step_form(step.key, step.questions) for step in rulebook.STEPS},
    REVIEW_STEP_KEY: _step_form(REVIEW_STEP_KEY, (rulebook.NOTES,)),
}


class ConsentForm(forms.Form):
    # Only a ticked box ("on", what browsers send) is agreement; Django's checkbox field would
    # also read hand-made values such as "0" or "off" as ticked.
    agree = forms.BooleanField(
        label="I have read this notice and I agree that ScalpSafe stores my answers and my result "
        "as described.",
        error_messages={
            "required": "Tick \u201cI agree\u201d to start. If you don\u2019t agree, you can "
            "leave: nothing has been stored."
        },
    )

    def __init__(self, *args, clinic_name: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if clinic_name:
            # The notice of a clinic's link: the agreement covers sending, and says to whom.
            self.fields["agree"].label = (
                "I have read this notice and I agree that ScalpSafe stores my answers and my "
                f"result as described, and sends them to {clinic_name}, whose staff will see "
                "them, the contact details I give, and the checks before and after sessions I "
                "log against this result."
            )

    def clean_agree(self) -> bool:
        if self.data.get("agree") != "on":
            raise forms.ValidationError(self.fields["agree"].error_messages["required"])
        return True
