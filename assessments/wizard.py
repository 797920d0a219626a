"""The questionnaire: one URL per rulebook step, then a review step that saves the assessment.

Built on django-formtools' NamedUrlSessionWizardView, with these changes, each for a reason:
- the step comes from the URL, not a hidden field, so a tampered or missing management form
  cannot select a step that does not exist;
- a step is only shown or accepted once every earlier shown step is complete; otherwise the
  person is sent to the first incomplete step;
- Back keeps what was entered on the page being left, even if it is incomplete;
- only the step's own fields are stored in the session, never the whole POST;
- the assessment is saved on the POST of the last step itself (not a later GET), through the
  one service, and a replay of that POST goes to the saved result;
- a questionnaire started from a clinic's link ends with a contact step (not a rulebook
  question: its details go only into the share), and its final submit saves the result and
  sends it to that clinic in one transaction.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from types import MappingProxyType

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib import messages
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from formtools.wizard.views import NamedUrlSessionWizardView, WizardView, normalize_name

from assessments import page_cache, questionnaire_state, rulebook
from assessments.forms import STEP_FORMS
from assessments.rulebook import REVIEW_STEP_KEY, Step
from assessments.services import assessment_create
from assessments.wizard_storage import QuietSessionStorage
from clinics.clinic_link import CONTACT_STEP_KEY, result_send_to_link_clinic
from clinics.forms import ContactForm

_DRAFTS = "drafts"
# Set by "Change" on the review step: after this step is saved, go back to the review.
_RETURN_TO = "return_to"
# A one-off notice for the next page: the step just saved fired a stop rule.
_NOTICE = "stop_notice"


def _stored_answers_before(wizard: "QuestionnaireWizard", step: Step) -> dict[str, object]:
    """The coded answers (`one` and `many`) stored for the rulebook steps before `step`.

    A step's condition is about answer codes; numbers and notes are stored as typed ("3.0"),
    so they are left out rather than guessed at. Read from storage, not by re-validating each
    form on every request: only valid answers are ever stored, and the final submit
    re-validates every step anyway.
    """
    answers: dict[str, object] = {}
    for earlier in rulebook.STEPS[: rulebook.STEPS.index(step)]:
        stored = wizard.storage.get_step_data(earlier.key)  # a MultiValueDict, or None
        if stored is None:
            continue
        for question in earlier.questions:
            values = stored.getlist(f"{earlier.key}-{question.key}")
            if not values:
                continue
            if question.kind == "many":
                answers[question.key] = list(values)
            elif question.kind == "one":
                answers[question.key] = values[0]
    return answers


def _condition(step: Step):
    """formtools' condition for a step the rulebook shows only after certain answers."""

    def is_shown(wizard: "QuestionnaireWizard") -> bool:
        return step.is_shown(_stored_answers_before(wizard, step))

    return is_shown


def _for_a_clinic(wizard: "QuestionnaireWizard") -> bool:
    """The contact step: asked only in a questionnaire started from a clinic's link."""
    return questionnaire_state.consent_clinic(wizard.request.session) is not None


@dataclass(frozen=True)
class StopNotice:
    """What the page after a step that fired a stop rule opens with."""

    disposition: rulebook.Disposition
    reasons: tuple[str, ...]  # the titles of the stop rules that step fired


class _CachedBlankForm:
    """What the page around a blank step's cached fields reads of its form: no errors (the
    title's "Error:" and the error summary in base.html), as the form is not submitted. So a
    blank step served from the cache builds no form, no fields and no choices."""

    is_bound = False
    errors = MappingProxyType({})


_CACHED_BLANK_FORM = _CachedBlankForm()


@method_decorator(never_cache, name="dispatch")
class QuestionnaireWizard(NamedUrlSessionWizardView):
    form_list = [*STEP_FORMS.items(), (CONTACT_STEP_KEY, ContactForm)]
    condition_dict = {
        **{step.key: _condition(step) for step in rulebook.STEPS if step.shown_when is not None},
        CONTACT_STEP_KEY: _for_a_clinic,
    }
    template_name = "assessments/step.html"
    storage_name = "assessments.wizard_storage.QuietSessionStorage"
    _notice: StopNotice | None = None  # shown on this page (set by get)

    @classmethod
    def clear(cls, request: HttpRequest) -> None:
        """Forget the questionnaire in progress (Start over)."""
        QuietSessionStorage(normalize_name(cls.__name__), request).reset()

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            # A replayed final submit (double click, refresh, back-and-resubmit) shows the result
            # it already saved.
            saved = questionnaire_state.submitted_assessment_id(
                request.session, request.POST.get("submission")
            )
            if saved:
                return redirect("assessments:result", saved)
        if questionnaire_state.consent(request.session) is None:
            if request.method == "POST":
                messages.warning(
                    request,
                    "Your session ended before you finished, so your answers were not kept. "
                    "Please start again: it takes about 5 minutes.",
                )
            return redirect("assessments:consent")
        if request.method == "GET":
            # A questionnaire agreed to before the owner reference was made at consent gets
            # one on its next page view, so its final submits still share one reference.
            questionnaire_state.ensure_anonymous_owner(request.session)
        return super().dispatch(request, *args, **kwargs)

    # --- Navigation --------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        step = kwargs.get("step")
        if step is None or step not in self.get_form_list():
            # The start URL (or an unknown or hidden step) resumes where the person left off.
            return redirect(self.get_step_url(self._resume_step()))
        incomplete = self._first_incomplete_step_before(step)
        if incomplete:
            return redirect(self.get_step_url(incomplete))
        self.storage.current_step = step
        self._notice = self._take_notice()
        data = self.storage.get_step_data(step)
        if (
            self._notice is None
            and data is None
            and not self._drafts_for(step)
            and step != REVIEW_STEP_KEY
            and not self._returning_to_review()
            # A clinic's questionnaire names the clinic: none of its forms is kept in a cache.
            and not _for_a_clinic(self)
        ):
            return self._blank_step_page(request, step)
        return self.render(self.get_form(data=data))

    def post(self, *args, **kwargs) -> HttpResponse:
        step = kwargs.get("step")
        if step not in self.get_form_list():
            return redirect(self.get_step_url(self._resume_step()))
        self.storage.current_step = step
        incomplete = self._first_incomplete_step_before(step)
        if incomplete:
            return redirect(self.get_step_url(incomplete))
        goto = self.request.POST.get("wizard_goto_step")
        if goto in self.get_form_list():
            return self.render_goto_step(goto)
        form = self.get_form(data=self.request.POST)
        if not form.is_valid():
            return self.render(form)
        self.storage.set_step_data(step, self.process_step(form))  # marks the session changed
        self._drafts().pop(step, None)
        self._forget_form_list()  # this answer may show or hide a later step
        self._leave_notice_if_it_stops(step)
        if step == self.steps.last:
            return self.render_done(form, **kwargs)
        if self._returning_to_review():
            return self._return_to_review()
        return self.render_next_step(form)

    def render_goto_step(self, goto_step: str, **kwargs) -> HttpResponse:
        # Back keeps what was entered here: complete answers as the step's data, anything else
        # as a draft shown again (without error messages) when the person returns.
        step = self.steps.current
        form = self.get_form(step=step, data=self.request.POST)
        if form.is_valid():
            self.storage.set_step_data(step, self.process_step(form))
            self._drafts().pop(step, None)
        else:
            self.storage.set_step_data(step, None)
            self._drafts()[step] = {
                name: form.data.getlist(form.add_prefix(name)) for name in form.fields
            }
            self.storage.mark_changed()
        self._forget_form_list()
        return super().render_goto_step(goto_step, **kwargs)

    def render_done(self, form: Form, **kwargs) -> HttpResponse:
        # Re-validate every shown step and save on this POST (formtools' named-URL wizard would
        # redirect and save on a later GET).
        return WizardView.render_done(self, form, **kwargs)

    def _blank_step_page(self, request: HttpRequest, step: str) -> HttpResponse:
        """A step not yet answered: its form's fields are the same for everyone at this point,
        so they come from the cache (assessments/page_cache.py); the page around them (the
        CSRF token, the step count, the header, messages) is rendered for this request."""
        # The form is built only to render the fields the cache does not have yet.
        html = page_cache.step_form_html(step, lambda: str(as_crispy_form(self.get_form())))
        response = self.render(_CACHED_BLANK_FORM)
        response.context_data["form_html"] = mark_safe(html)  # noqa: S308 (our own rendering)
        return response

    def _leave_notice_if_it_stops(self, step: str) -> None:
        """After a step whose answers fire a stop rule, the next page says so first."""
        if step not in rulebook.STEPS_BY_KEY:
            return  # the review step: the result itself comes next
        answers: dict = {}
        for key in self.get_form_list():
            answers.update(self.get_cleaned_data_for_step(key) or {})
            if key == step:
                break
        fired = rulebook.stops_fired_by(step, answers)
        if fired:
            self.storage.extra_data[_NOTICE] = [rule.id for rule in fired]
            self.storage.mark_changed()

    def _take_notice(self) -> StopNotice | None:
        rule_ids = self.storage.extra_data.pop(_NOTICE, None)
        if rule_ids is None:
            return None
        self.storage.mark_changed()
        rules = [rulebook.RULES_BY_ID[rule_id] for rule_id in rule_ids]
        urgent = any(rule.is_urgent for rule in rules)
        return StopNotice(
            disposition=rulebook.Disposition.URGENT if urgent else rulebook.Disposition.STOP,
            reasons=tuple(rule.title for rule in rules),
        )

    def _returning_to_review(self) -> bool:
        """Whether this page was opened with "Change" on the check-your-answers page."""
        asked = self.request.POST if self.request.method == "POST" else self.request.GET
        return asked.get(_RETURN_TO) == REVIEW_STEP_KEY

    def _return_to_review(self) -> HttpResponseRedirect:
        # A change can show a step not yet answered (used before: the history step): ask it
        # first, still on the way back.
        incomplete = self._first_incomplete_step_before(REVIEW_STEP_KEY)
        if incomplete:
            return redirect(f"{self.get_step_url(incomplete)}?{_RETURN_TO}={REVIEW_STEP_KEY}")
        return redirect(self.get_step_url(REVIEW_STEP_KEY))

    def _resume_step(self) -> str:
        current = self.storage.current_step
        if current in self.get_form_list():
            return self._first_incomplete_step_before(current) or current
        return self._first_incomplete_step_before(self.steps.last) or self.steps.first

    def _first_incomplete_step_before(self, step: str) -> str | None:
        for key in self.get_form_list():
            if key == step:
                return None
            # Only valid answers are ever stored, so stored means complete.
            if self.storage.get_step_data(key) is None:
                return key
        return None

    def _forget_form_list(self) -> None:
        # formtools caches the condition-filtered step list and each step's cleaned data per
        # request; the answers just changed, and may show or hide a conditional step.
        for name in list(self.__dict__):
            if name == "_resolved_form_list" or name.startswith("_cleaned_data_cache_"):
                del self.__dict__[name]

    # --- Forms and storage -------------------------------------------------------------------

    def _drafts_for(self, step: str) -> dict:
        return self.storage.extra_data.get(_DRAFTS, {}).get(step, {})

    def _drafts(self) -> dict:
        # A dict inside the session: whoever changes it also marks the session changed.
        return self.storage.extra_data.setdefault(_DRAFTS, {})

    def get_form_initial(self, step: str) -> dict:
        draft = self._drafts_for(step)
        # The contact step's fields are not rulebook questions: each takes one value.
        return {
            name: values
            if name in rulebook.QUESTIONS and rulebook.QUESTIONS[name].kind == "many"
            else values[0]
            for name, values in draft.items()
            if values
        }

    def get_form_step_data(self, form: Form) -> dict:
        # Store only this step's own fields: not the CSRF token, not anything else posted.
        names = [form.add_prefix(name) for name in form.fields]
        return {name: form.data.getlist(name) for name in names if name in form.data}

    # --- Rendering ---------------------------------------------------------------------------

    def get_context_data(self, form: Form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        clinic = questionnaire_state.consent_clinic(self.request.session)
        context["clinic_name"] = clinic["name"] if clinic else ""
        if step in (REVIEW_STEP_KEY, self.steps.last):
            given = questionnaire_state.consent(self.request.session)
            context["submission_id"] = given["submission_id"]
        if step == REVIEW_STEP_KEY:
            context["step_title"] = "Check your answers"
            context["step_intro"] = (
                "Check your answers and add a note if you like. Then say how "
                f"{clinic['name']} can contact you."
                if clinic
                else "Check your answers, add a note if you like, then see your result."
            )
            context["review_rows"] = self._review_rows()
        elif step == CONTACT_STEP_KEY:
            context["is_contact_step"] = True
            context["step_title"] = f"How can {clinic['name']} contact you?"
            context["step_intro"] = (
                f"Your result goes to {clinic['name']} when you press \u201cSend and see my "
                "result\u201d. Say how they can reach you, or that you would rather not be "
                "contacted."
            )
        else:
            context["step_title"] = rulebook.STEPS_BY_KEY[step].title
            context["step_intro"] = rulebook.STEPS_BY_KEY[step].intro
        context["return_to"] = REVIEW_STEP_KEY if self._returning_to_review() else ""
        context["notice"] = self._notice
        return context

    def _review_rows(self) -> list[dict]:
        rows = []
        for key in self.get_form_list():
            if key not in rulebook.STEPS_BY_KEY:
                continue
            answers = self.get_cleaned_data_for_step(key) or {}
            rows.append(
                {
                    "step": key,
                    "title": rulebook.STEPS_BY_KEY[key].title,
                    "change_url": f"{self.get_step_url(key)}?{_RETURN_TO}={REVIEW_STEP_KEY}",
                    "answers": rulebook.describe_answers(answers),
                }
            )
        return rows

    # --- Saving ------------------------------------------------------------------------------

    def done(self, form_list, form_dict, **kwargs) -> HttpResponseRedirect:
        contact_form = form_dict.pop(CONTACT_STEP_KEY, None)
        answers: dict = {}
        for form in form_dict.values():
            answers.update(form.cleaned_data)
        session = self.request.session
        given = questionnaire_state.consent(session)
        clinic = given.get("clinic")
        # One transaction for a clinic's questionnaire: a result sent to a clinic is never saved
        # without its share, nor a share made for a result that was not saved. (A plain one's
        # save is a transaction already.)
        with transaction.atomic() if clinic else nullcontext():
            assessment = assessment_create(
                answers=answers,
                owner=self.request.user,
                # Made at consent (or at the latest on a page view): never here, where
                # concurrent submits would each make their own and the session keep only one.
                anonymous_owner=questionnaire_state.ensure_anonymous_owner(session),
                submission_id=given["submission_id"],
                consent_at=questionnaire_state.consent_time(given),
                consent_notice_version=given["notice_version"],
            )
            share = None
            contact = contact_form.contact() if contact_form is not None else {}
            if clinic and contact_form is not None:
                share = result_send_to_link_clinic(
                    assessment=assessment, clinic_id=clinic["id"], contact=contact
                )
        questionnaire_state.record_submission(
            session, given["submission_id"], assessment.id, assessment.anonymous_owner
        )
        if clinic:
            self._say_whether_it_was_sent(clinic["name"], share, assessment.owner_id is None)
            if assessment.owner_id is None:
                # Where to email the link: the address given for the clinic, if any.
                email = contact.get("contact_email", "")
                questionnaire_state.offer_private_link(session, assessment.id, email)
        return redirect(assessment)

    def _say_whether_it_was_sent(self, clinic_name: str, share, anonymous: bool) -> None:
        way_back = (
            " Your private link, to come back to it later, is on the result page."
            if anonymous
            else ""
        )
        if share is not None:
            messages.success(self.request, f"Your result was sent to {clinic_name}.{way_back}")
            return
        # The result is saved whatever happened to the clinic: never lose the answers.
        messages.warning(
            self.request,
            f"Your result is saved, but it could not be sent to {clinic_name}: the clinic no "
            "longer takes results through ScalpSafe. You can send it to another clinic from "
            f"this page, now or later.{way_back}",
        )
