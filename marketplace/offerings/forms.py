"""The offering form: CSRF and rendering. Labels are translated lazily; choices are labelled in the
reader's language.

What an offering may say is the contract's business (:class:`~marketplace.offerings.schemas.OfferingCreate`),
so the page and the API say the same thing: :meth:`OfferingForm.offering_data` hands the submitted
values over in the contract's shape, and :meth:`OfferingForm.field_name` puts each of the contract's
errors on its field. Profile and reference fields are flat: the strength sliders (``profile_quality``,
0–100) and the rows of reference projects (``references_0_title``). The form has as many reference
rows as it needs: three, or one more than the offering has, up to the contract's limit of ten.
"""

from __future__ import annotations

import functools
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, IntegerRangeField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from domain.criteria import CRITERIA
from domain.money import MAX_WON
from marketplace.core.forms import submitted
from marketplace.i18n import criterion_labels, current_locale
from marketplace.offerings.schemas import (
    DESCRIPTION_MAX,
    MAX_CAPACITY,
    MAX_COMPLETED_PROJECTS,
    MAX_REFERENCES,
    MAX_SEARCH,
    MAX_WEEKS,
    REFERENCE_FIELDS,
    TITLE_MAX,
)
from matching import taxonomy

#: reference rows shown at least (the form grows to one more than the offering has)
REFERENCE_ROWS = 3


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def capability_choices():
    return list(_capability_choices(current_locale()))


@functools.cache
def _capability_choices(lang: str) -> tuple[tuple[str, str], ...]:
    """The taxonomy's lists are fixed for the process: their labels are looked up once per language."""
    return tuple((p.code, p.label(lang)) for p in taxonomy.problem_types())


def industry_choices():
    lang = current_locale()
    sections = {s.code: s.label(lang) for s in taxonomy.industry_sections()}
    return [SelectChoice(i.code, f"{i.code} · {i.label(lang)}", optgroup=f"{i.section} · {sections.get(i.section, '')}")
            for i in taxonomy.industries()]


def region_choices():
    return list(_region_choices(current_locale()))


@functools.cache
def _region_choices(lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((r.code, r.label(lang)) for r in taxonomy.regions())


def deployment_choices():
    lang = current_locale()
    return [(m.code, m.label(lang)) for m in taxonomy.deployment_modes()]


def _number(minimum: int, maximum: int) -> dict:
    return {"required": True, "min": minimum, "max": maximum}


class OfferingForm(FlaskForm):
    title = StringField(_l("Title"), render_kw={"required": True, "maxlength": TITLE_MAX},
                        description=_l("What you solve, in the SME's words, e.g. precision dimensional "
                                       "inspection by vision."))
    description = TextAreaField(_l("Description"),
                                render_kw={"rows": 7, "required": True, "maxlength": DESCRIPTION_MAX},
                                description=_l("How it works, what the SME must provide, what is included."))
    capabilities = MultiCheckboxField(_l("Capabilities"), choices=capability_choices, validate_choice=False)
    industries = SelectMultipleField(_l("Industries (KSIC)"), choices=industry_choices, validate_choice=False,
                                     render_kw={"size": 10},
                                     description=_l("Hold Ctrl (⌘ on a Mac) to choose several."))
    regions_served = MultiCheckboxField(_l("Regions served"), choices=region_choices, validate_choice=False,
                                        description=_l("Choose none if you serve the whole country."))
    deployment_modes = MultiCheckboxField(_l("Deployment"), choices=deployment_choices, validate_choice=False)
    price_min_krw = IntegerField(_l("Lowest price (won)"), render_kw=_number(0, MAX_WON))
    price_max_krw = IntegerField(_l("Highest price (won)"), render_kw=_number(0, MAX_WON))
    typical_weeks = IntegerField(_l("Typical duration (weeks)"), render_kw=_number(1, MAX_WEEKS))
    capacity = IntegerField(_l("Open project slots"), default=1, render_kw=_number(0, MAX_CAPACITY),
                            description=_l("How many new projects you can take on now."))
    completed_projects = IntegerField(_l("Completed projects"), default=0,
                                      render_kw=_number(0, MAX_COMPLETED_PROJECTS),
                                      description=_l("Similar projects you have delivered before."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion_labels = criterion_labels()
        #: form row of each reference handed to the contract (``references.1`` may be row 2)
        self._reference_sources: list[int] = []
        filled = [i for i in range(MAX_REFERENCES) if self._row(i)]
        self.visible_reference_rows = min(MAX_REFERENCES, max(REFERENCE_ROWS, (filled[-1] + 2) if filled else 0))

    def _row(self, i: int) -> dict[str, str]:
        """Reference row ``i``'s texts, the empty ones left out."""
        row = {key: self[f"references_{i}_{key}"].data for key in REFERENCE_FIELDS}
        return {key: value for key, value in row.items() if value and value.strip()}

    @property
    def profile_fields(self):
        return [(key, self.criterion_labels[key], self[f"profile_{key}"]) for key in CRITERIA]

    @property
    def reference_rows(self):
        return [[self[f"references_{i}_{key}"] for key in REFERENCE_FIELDS]
                for i in range(self.visible_reference_rows)]

    def offering_data(self) -> dict[str, Any]:
        """The submitted values in the shape of the contract: the sliders' 0–100 as 0–1, the reference
        rows that have any text as a list (empty rows are no reference)."""
        values = submitted(self)
        data = {name: values[name] for name in ("title", "description", "capabilities", "industries",
                                                "regions_served", "deployment_modes", "price_min_krw",
                                                "price_max_krw", "typical_weeks", "capacity", "completed_projects")}
        data["profile"] = {key: value / 100 if isinstance(value := values[f"profile_{key}"], int) else value
                           for key in CRITERIA}
        self._reference_sources = [i for i in range(MAX_REFERENCES) if self._row(i)]
        data["references"] = [self._row(i) for i in self._reference_sources]
        return data

    def field_name(self, name: str) -> str:
        """The form field for one of the contract's field names: ``profile.quality`` → ``profile_quality``,
        ``references.0.title`` → the row the first reference came from."""
        parts = name.split(".")
        if parts[0] == "references" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            row = self._reference_sources[index] if index < len(self._reference_sources) else index
            return f"references_{row}_{parts[2]}"
        return "_".join(parts)

    @staticmethod
    def initial_data(values: dict) -> dict:
        """Form data for an existing offering's values (see ``services.offering_values``)."""
        data = {k: v for k, v in values.items() if k not in ("profile", "references")}
        for key in CRITERIA:
            data[f"profile_{key}"] = round(float(values["profile"].get(key, 0)) * 100)
        for i, row in enumerate(values["references"][:MAX_REFERENCES]):
            for key in REFERENCE_FIELDS:
                data[f"references_{i}_{key}"] = row.get(key, "")
        return data


for _key in CRITERIA:
    setattr(OfferingForm, f"profile_{_key}",
            IntegerRangeField(_key, default=50, render_kw={"min": 0, "max": 100, "step": 5, "required": True}))

_REFERENCE_LABELS = {"title": _l("Project"), "client_description": _l("Client"), "kpi": _l("KPI"),
                     "achieved": _l("Result achieved")}
_REFERENCE_HINTS = {"title": _l("e.g. Hole-position inspection of body brackets"),
                    "client_description": _l("e.g. Tier-1 auto-body parts maker, 240 staff"),
                    "kpi": _l("e.g. Dimensional defects shipped"), "achieved": _l("e.g. 620 ppm → 45 ppm")}
for _i in range(MAX_REFERENCES):
    for _key, _limit in REFERENCE_FIELDS.items():
        setattr(OfferingForm, f"references_{_i}_{_key}",
                StringField(_REFERENCE_LABELS[_key],
                            render_kw={"placeholder": _REFERENCE_HINTS[_key], "maxlength": _limit}))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), render_kw={"maxlength": MAX_SEARCH})
