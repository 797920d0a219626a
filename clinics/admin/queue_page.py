"""The queue's list page, written in Python: the HTML Django's admin templates write for it.

The queue's rows were already written in one pass (clinics/admin/queue_rows.py). What was left
of the page's time was the admin's templates around them, node by node: the head and the
header, the search bar, the date drill-down, the actions, the pagination and the filters,
about a quarter of the page's CPU (docs/performance.md, twelfth sitting). Here each part is the
same HTML from the same values: Django's own functions still decide every part (the filters'
choices, the drill-down's links, the page numbers, the action form); only the template
rendering is replaced.

Only the everyday page is written here (`QueuePage.writes`): no popup, no inline editing, no
add button, a signed-in member with access, left-to-right text and the queue's own rows. Any
other page is drawn by the templates (admin/clinics/share/change_list.html and those it
extends), so nothing the admin can show is lost. tests/admin/test_queue_page.py holds both
outputs equal, as HTML, for every state of the list.
"""

from django.contrib.admin.templatetags.admin_list import (
    admin_list_filter,
    date_hierarchy,
    pagination,
    paginator_number,
    search_form,
)
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.encoding import iri_to_uri
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from clinics.admin.queue_cells import escaped
from clinics.admin.queue_rows import drawn_in_one_pass
from clinics.templatetags.queue_list import queue_result_list

# The template Django's filters are drawn with; a filter with its own is drawn by it.
FILTER_TEMPLATE = "admin/filter.html"
QUEUE_RESULTS = "admin/clinics/share/queue_results.html"

FILTERED = " filtered"
SELECTED = ' class="selected"'
DESCRIBED = ' aria-describedby="searchbar_helptext"'


def theme_toggle() -> str:
    """admin/color_theme_toggle.html."""
    labels = "\n".join(
        f'  <span class="visually-hidden theme-label-when-{theme}">{escaped(label)}</span>'
        for theme, label in (
            ("auto", gettext("Toggle theme (current theme: auto)")),
            ("light", gettext("Toggle theme (current theme: light)")),
            ("dark", gettext("Toggle theme (current theme: dark)")),
        )
    )
    icons = "\n".join(
        f'  <svg aria-hidden="true" class="theme-icon-when-{theme}">'
        f'<use xlink:href="#icon-{icon}" /></svg>'
        for theme, icon in (("auto", "auto"), ("dark", "moon"), ("light", "sun"))
    )
    return f'<button class="theme-toggle">\n{labels}\n{icons}\n</button>'


def _static(path: str) -> str:
    # As {% static %} writes it: escaped.
    return escaped(static(path))


def _url(name: str, **kwargs) -> str:
    # As {% url %} writes it: escaped.
    return escaped(reverse(name, **kwargs))


# admin/base.html's icons, referred to by the theme toggle.
SVGS = """<svg xmlns="http://www.w3.org/2000/svg" class="base-svgs">
  <symbol viewBox="0 0 24 24" width="1.5rem" height="1.5rem" id="icon-auto"><path d="M0 0h24v24H0z" fill="currentColor"/><path d="M12 22C6.477 22 2 17.523 2 12S6.477 2 12 2s10 4.477 10 10-4.477 10-10 10zm0-2V4a8 8 0 1 0 0 16z"/></symbol>
  <symbol viewBox="0 0 24 24" width="1.5rem" height="1.5rem" id="icon-moon"><path d="M0 0h24v24H0z" fill="currentColor"/><path d="M10 7a7 7 0 0 0 12 4.9v.1c0 5.523-4.477 10-10 10S2 17.523 2 12 6.477 2 12 2h.1A6.979 6.979 0 0 0 10 7zm-6 5a8 8 0 0 0 15.062 3.762A9 9 0 0 1 8.238 4.938 7.999 7.999 0 0 0 4 12z"/></symbol>
  <symbol viewBox="0 0 24 24" width="1.5rem" height="1.5rem" id="icon-sun"><path d="M0 0h24v24H0z" fill="currentColor"/><path d="M12 18a6 6 0 1 1 0-12 6 6 0 0 1 0 12zm0-2a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM11 1h2v3h-2V1zm0 19h2v3h-2v-3zM3.515 4.929l1.414-1.414L7.05 5.636 5.636 7.05 3.515 4.93zM16.95 18.364l1.414-1.414 2.121 2.121-1.414 1.414-2.121-2.121zm2.121-14.85l1.414 1.415-2.121 2.121-1.414-1.414 2.121-2.121zM5.636 16.95l1.414 1.414-2.121 2.121-1.414-1.414 2.121-2.121zM23 11v2h-3v-2h3zM4 11v2H1v-2h3z"/></symbol>
</svg>"""  # noqa: E501


class QueuePage:
    """The page as a template the admin's TemplateResponse renders (Django's template backend
    interface: `render(context, request)`), with the changelist view's context."""

    @staticmethod
    def writes(context: dict, request) -> bool:
        """Whether this page is one QueuePage writes (else the templates draw it)."""
        cl = context.get("cl")
        return bool(
            cl is not None
            and not context.get("is_popup")
            and not context.get("is_nav_sidebar_enabled")
            and context.get("has_permission")
            and not context.get("has_add_permission")
            and not translation.get_language_bidi()
            and request.user.is_authenticated
            and not cl.formset
            and not cl.is_facets_optional
            and not cl.add_facets
            and drawn_in_one_pass(cl)
        )

    def render(self, context=None, request=None) -> str:
        return _Page(context, request).html()


class _Page:
    def __init__(self, context: dict, request) -> None:
        self.context, self.request = context, request
        self.cl = context["cl"]
        # Past the count cap (CappedCountPaginator) the number of items is not known.
        self.capped = getattr(self.cl.paginator, "is_capped", False)
        # One token for both forms, as the template's lazy csrf_token gives.
        self.csrf = (
            '<input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{escaped(get_token(request))}">'
        )

    def html(self) -> str:
        c = self.context
        cl = self.cl
        title = "".join(
            [
                f"{escaped(c['subtitle'])} | " if c.get("subtitle") else "",
                f"{escaped(c.get('title', ''))} | ",
                escaped(c.get("site_title") or gettext("Django site admin")),
            ]
        )
        offset = date_format(timezone.localtime(), "Z")
        return "\n".join(
            [
                "<!DOCTYPE html>",
                f'<html lang="{escaped(translation.get_language() or "en-us")}" dir="ltr">',
                "<head>",
                f"<title>{title}</title>",
                self.head(),
                "</head>",
                f'<body class=" app-{cl.opts.app_label} model-{cl.opts.model_name} change-list"'
                f'\n  data-admin-utc-offset="{offset}">',
                '<a href="#content-start" class="skip-to-content-link">'
                f"{gettext('Skip to main content')}</a>",
                '<div id="container">',
                self.header(),
                self.breadcrumbs(),
                '<div class="main" id="main">',
                '<main id="content-start" class="content" tabindex="-1">',
                self.messages(),
                '<div id="content" class="">',
                f"<h1>{escaped(c['title'])}</h1>" if c.get("title") else "",
                f"<h2>{escaped(c['subtitle'])}</h2>" if c.get("subtitle") else "",
                self.content(),
                '<br class="clear">',
                "</div>",
                "</main>",
                "</div>",
                '<footer id="footer"></footer>',
                "</div>",
                SVGS,
                "</body>",
                "</html>",
            ]
        )

    def head(self) -> str:
        # admin/base.html, with base_site.html's (ours and Django's) and change_list.html's
        # extra styles and head.
        c = self.context
        parts = [
            f'<link rel="stylesheet" href="{_static("admin/css/base.css")}">',
            f'<link rel="stylesheet" href="{_static("admin/css/dark_mode.css")}">',
            f'<script src="{_static("admin/js/theme.js")}"></script>',
            f'<link rel="stylesheet" href="{_static("css/admin.css")}">',
            f'<link rel="stylesheet" href="{_static("admin/css/changelists.css")}">',
        ]
        if c.get("action_form"):
            parts.append(f'<script src="{_url("admin:jsi18n")}"></script>')
        parts.append(str(c["media"]["css"]))
        if not c.get("actions_on_top") and not c.get("actions_on_bottom"):
            parts.append(
                "<style>\n#changelist table thead th:first-child {width: inherit}\n</style>"
            )
        parts += [
            f'<link rel="icon" href="{_static("favicon.svg")}" type="image/svg+xml">',
            str(c["media"]["js"]),
            f'<script src="{_static("admin/js/filters.js")}" defer></script>',
            '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
            f'<link rel="stylesheet" href="{_static("admin/css/responsive.css")}">',
            '<meta name="robots" content="NONE,NOARCHIVE">',
        ]
        return "\n".join(parts)

    def header(self) -> str:
        c = self.context
        user = self.request.user
        links = []
        if c.get("site_url"):
            links.append(f'<a href="{escaped(c["site_url"])}">{gettext("View site")}</a> /')
        if user.is_active and user.is_staff:
            try:
                docs = reverse("django-admindocs-docroot")
            except NoReverseMatch:
                docs = ""
            if docs:
                links.append(f'<a href="{escaped(docs)}">{gettext("Documentation")}</a> /')
        if user.has_usable_password():
            links.append(
                f'<a href="{_url("admin:password_change")}">{gettext("Change password")}</a> /'
            )
        name = user.get_short_name() or user.get_username()
        return "\n".join(
            [
                '<header id="header">',
                '<div id="branding">',
                f'<div id="site-name"><a href="{_url("admin:index")}">'
                f"{escaped(c.get('site_header') or gettext('Django administration'))}</a></div>",
                "</div>",
                '<div id="user-tools">',
                f"{gettext('Welcome,')}\n<strong>{escaped(name)}</strong>.",
                *links,
                f'<form id="logout-form" method="post" action="{_url("admin:logout")}">',
                self.csrf,
                f'<button type="submit">{gettext("Log out")}</button>',
                "</form>",
                theme_toggle(),
                "</div>",
                "</header>",
            ]
        )

    def breadcrumbs(self) -> str:
        opts = self.cl.opts
        app_list = _url("admin:app_list", kwargs={"app_label": opts.app_label})
        return (
            f'<nav aria-label="{gettext("Breadcrumbs")}">\n<div class="breadcrumbs">\n'
            f'<a href="{_url("admin:index")}">{gettext("Home")}</a>\n'
            f'&rsaquo; <a href="{app_list}">{escaped(opts.app_config.verbose_name)}</a>\n'
            f"&rsaquo; {capfirst(escaped(opts.verbose_name_plural))}\n</div>\n</nav>"
        )

    def messages(self) -> str:
        # Read as the template reads them: shown once, then gone.
        shown = []
        for message in get_messages(self.request):
            tags = f' class="{escaped(message.tags)}"' if message.tags else ""
            # str() keeps a message that is safe HTML safe (a SafeString's str is itself).
            shown.append(f"<li{tags}>{capfirst(escaped(str(message)))}</li>")
        return f'<ul class="messagelist">{"".join(shown)}</ul>' if shown else ""

    def content(self) -> str:
        c, cl = self.context, self.cl
        actions = c.get("action_form") and cl.show_admin_actions
        on_top = bool(actions and c.get("actions_on_top"))
        return "\n".join(
            [
                '<div id="content-main">',
                '<ul class="object-tools">\n</ul>',
                f'<div class="module{FILTERED if cl.has_filters else ""}" id="changelist">',
                '<div class="changelist-form-container">',
                self.search(),
                self.dates(),
                f'<form id="changelist-form" method="post" novalidate>{self.csrf}',
                self.actions(0) if on_top else "",
                self.results(),
                # Numbered as admin_actions numbers them: in the order they are shown.
                self.actions(int(on_top)) if actions and c.get("actions_on_bottom") else "",
                self.pages(),
                "</form>",
                "</div>",
                self.filters(),
                "</div>",
                "</div>",
            ]
        )

    def search(self) -> str:
        # templates/admin/search_form.html.
        cl = self.cl
        if not cl.search_fields:
            return ""
        values = search_form(cl)
        search_var = values["search_var"]
        help_text = cl.search_help_text
        parts = [
            '<div id="toolbar"><form id="changelist-search" method="get" role="search">',
            "<div>",
            f'<label for="searchbar"><img src="{_static("admin/img/search.svg")}" alt="Search">'
            "</label>",
            f'<input type="text" size="40" name="{escaped(search_var)}" '
            f'value="{escaped(cl.query)}" id="searchbar"{DESCRIBED if help_text else ""}>',
            f'<input type="submit" value="{gettext("Search")}">',
        ]
        if values["show_result_count"] and (cl.show_full_result_count or cl.query.strip()):
            parts.append(self.result_count())
        parts += [
            f'<input type="hidden" name="{escaped(name)}" value="{escaped(value)}">'
            for name, value in cl.params.items()
            if name != search_var
        ]
        parts.append("</div>")
        if help_text:
            parts.append(
                f'<br class="clear">\n<div class="help" id="searchbar_helptext">'
                f"{escaped(help_text)}</div>"
            )
        parts.append("</form></div>")
        return "\n".join(parts)

    def result_count(self) -> str:
        cl = self.cl
        if self.capped:
            found = f"More than {floatformat(cl.paginator.cap, 'g')} results"
        else:
            found = ngettext("%(shown)s result", "%(shown)s results", cl.result_count) % {
                "shown": floatformat(cl.result_count, "g")
            }
        if cl.show_full_result_count:
            full = floatformat(cl.full_result_count, "g")
            everything = gettext("%(full_result_count)s total") % {"full_result_count": full}
        else:
            everything = gettext("Show all")
        return f'<span class="small quiet">{found} (<a href="?">{everything}</a>)</span>'

    def dates(self) -> str:
        # admin/date_hierarchy.html.
        values = date_hierarchy(self.cl) if self.cl.date_hierarchy else None
        if not values or not values.get("show"):
            return ""
        parts = ['<nav class="toplinks">']
        back = values.get("back")
        if back:
            parts.append(
                f'<a href="{escaped(back["link"])}" class="date-back">&lsaquo; '
                f"{escaped(back['title'])}</a>"
            )
        for choice in values["choices"]:
            if choice.get("link"):
                parts.append(f'<a href="{escaped(choice["link"])}">{escaped(choice["title"])}</a>')
            else:
                parts.append(escaped(choice["title"]))
        parts.append("</nav>")
        return "\n".join(parts)

    def actions(self, index: int) -> str:
        # templates/admin/clinics/share/actions.html over Django's admin/actions.html.
        c, cl = self.context, self.cl
        form = c["action_form"]
        options = "\n".join(
            f'<option value="{escaped(value)}"{"" if value else " selected"}>'
            f"{escaped(label)}</option>"
            for value, label in form.fields["action"].choices
        )
        counted = len(cl.result_list)
        parts = [
            '<div class="actions">',
            f'<label>{escaped(form["action"].label)} <select name="action" required>\n'
            f"{options}\n</select></label>"
            '<input type="hidden" name="select_across" value="0" class="select-across">',
            f'<button type="submit" class="button" title="{gettext("Run the selected action")}"'
            f' name="index" value="{index}">{gettext("Go")}</button>',
        ]
        select_across = escaped(gettext("Click here to select the objects across all pages"))
        clear = f'<span class="clear hidden"><a role="button" href="#">{gettext("Clear selection")}</a></span>'  # noqa: E501
        if self.capped:
            parts += [
                f'<span class="action-counter" data-actions-icnt="{counted}">'
                f"{escaped(c.get('selection_note', ''))}</span>",
                f'<span class="all hidden">{escaped(c.get("selection_note_all", ""))}</span>',
                f'<span class="question hidden"><a role="button" href="#" title="{select_across}">'
                f"Select all {escaped(c.get('module_name', ''))} on every page</a></span>",
                clear,
            ]
        elif c.get("actions_selection_counter"):
            parts.append(
                f'<span class="action-counter" data-actions-icnt="{counted}">'
                f"{escaped(c.get('selection_note', ''))}</span>"
            )
            if cl.result_count != counted:
                everything = gettext("Select all %(total_count)s %(module_name)s") % {
                    "total_count": localize(cl.result_count),
                    "module_name": escaped(c.get("module_name", "")),
                }
                parts += [
                    f'<span class="all hidden">{escaped(c.get("selection_note_all", ""))}</span>',
                    f'<span class="question hidden"><a role="button" href="#" '
                    f'title="{select_across}">{everything}</a></span>',
                    clear,
                ]
        parts.append("</div>")
        return "\n".join(parts)

    def results(self) -> str:
        # templates/admin/clinics/share/queue_results.html, which draws a list with sorting or
        # inline forms (no head written in one pass) with Django's template.
        values = queue_result_list(self.cl)
        if "header_cells" not in values:
            return render_to_string(QUEUE_RESULTS, values)
        if not values["results"]:
            return ""
        return (
            '<div class="results">\n<table id="result_list">\n<thead>\n'
            f"<tr>{values['header_cells']}</tr>\n</thead>\n<tbody>\n{values['body_rows']}\n"
            "</tbody>\n</table>\n</div>"
        )

    def pages(self) -> str:
        # templates/admin/clinics/share/pagination.html.
        cl = self.cl
        values = pagination(cl)
        parts = ['<p class="paginator">']
        if values["pagination_required"]:
            parts += [str(paginator_number(cl, i)) for i in values["page_range"]]
        opts = cl.opts
        if self.capped:
            parts.append(
                f"More than {floatformat(cl.paginator.cap, 'g')} "
                f"{escaped(opts.verbose_name_plural)}"
            )
        else:
            name = opts.verbose_name if cl.result_count == 1 else opts.verbose_name_plural
            parts.append(f"{floatformat(cl.result_count, 'g')} {escaped(name)}")
        if values["show_all_url"]:
            parts.append(
                f'<a href="{escaped(values["show_all_url"])}" class="showall">'
                f"{gettext('Show all')}</a>"
            )
        parts.append("</p>")
        return "\n".join(parts)

    def filters(self) -> str:
        # admin/change_list.html's filters block, with admin/filter.html for each filter.
        cl = self.cl
        if not cl.has_filters:
            return ""
        parts = [
            '<nav id="changelist-filter" aria-labelledby="changelist-filter-header">',
            f'<h2 id="changelist-filter-header">{gettext("Filter")}</h2>',
        ]
        if cl.has_active_filters:
            parts.append(
                '<div id="changelist-filter-extra-actions"><h3>'
                f'<a href="{escaped(cl.clear_all_filters_qs)}">&#10006; '
                f"{gettext('Clear all filters')}</a></h3></div>"
            )
        for spec in cl.filter_specs:
            if spec.template == FILTER_TEMPLATE:
                parts.append(self.filter(spec))
            else:
                parts.append(str(admin_list_filter(cl, spec)))
        parts.append("</nav>")
        return "\n".join(parts)

    def filter(self, spec) -> str:
        title = escaped(spec.title)
        choices = "\n".join(
            f"<li{SELECTED if choice['selected'] else ''}>\n"
            f'<a href="{escaped(iri_to_uri(choice["query_string"]))}">'
            f"{escaped(choice['display'])}</a></li>"
            for choice in spec.choices(self.cl)
        )
        by = gettext(" By %(filter_title)s ") % {"filter_title": title}
        return (
            f'<details data-filter-title="{title}" open>\n<summary>\n{by}\n</summary>\n'
            f"<ul>\n{choices}\n</ul>\n</details>"
        )
