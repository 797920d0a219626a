"""The questionnaire's session storage, saving the session only when an answer or step changes.

formtools' SessionStorage marks the session modified on every read, so every page view would
rewrite the session row: a database write per GET, and lost updates when two tabs race.
"""

from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.storage.session import SessionStorage


class QuietSessionStorage(SessionStorage):
    def _get_data(self) -> dict:
        return self.request.session[self.prefix]

    data = property(_get_data, SessionStorage._set_data)

    def mark_changed(self) -> None:
        self.request.session.modified = True

    def _set_current_step(self, step: str) -> None:
        if self.data[self.step_key] != step:
            super()._set_current_step(step)
            self.mark_changed()

    current_step = property(BaseStorage._get_current_step, _set_current_step)

    def _set_extra_data(self, extra_data: dict) -> None:
        super()._set_extra_data(extra_data)
        self.mark_changed()

    extra_data = property(BaseStorage._get_extra_data, _set_extra_data)

    def set_step_data(self, step: str, cleaned_data) -> None:
        super().set_step_data(step, cleaned_data)
        self.mark_changed()

    def reset(self) -> None:
        super().reset()
        self.mark_changed()
