"""The offering form. Labels are translated lazily; choices are labelled in the reader's language.

Checks beyond "is it a number" are the service's, so the page and the API say the same thing.
Profile and reference fields are flat (``profile_quality``, ``references_0_title``): a service
error on ``profile.quality`` or ``references.0.title`` lands on the field of the same name with
dots turned into underscores.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, IntegerRangeField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from domain.criteria import CRITERIA
from marketplace.i18n import criterion_labels, current_locale
from marketplace.offerings.services import (
    MAX_CAPACITY,
    MAX_COMPLETED_PROJECTS,
    MAX_DESCRIPTION,
    MAX_PRICE_KRW,
    MAX_TITLE,
    MAX_WEEKS,
    REFERENCE_FIELDS,
)
from matching import taxonomy

#: reference rows shown on the form
REFERENCE_ROWS = 3


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def capability_choices():
    lang = current_locale()
    return [(p.code, p.label(lang)) for p in taxonomy.problem_types()]


def industry_choices():
    lang = current_locale()
    sections = {s.code: s.label(lang) for s in taxonomy.industry_sections()}
    return [SelectChoice(i.code, f"{i.code} · {i.label(lang)}", optgroup=f"{i.section} · {sections.get(i.section, '')}")
            for i in taxonomy.industries()]


def region_choices():
    lang = current_locale()
    return [(r.code, r.label(lang)) for r in taxonomy.regions()]


def deployment_choices():
    lang = current_locale()
    return [(m.code, m.label(lang)) for m in taxonomy.deployment_modes()]


class OfferingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)],
                        description=_l("What you solve, in the SME's words, e.g. precision dimensional "
                                       "inspection by vision."))
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=MAX_DESCRIPTION)],
                                render_kw={"rows": 7},
                                description=_l("How it works, what the SME must provide, what is included."))
    capabilities = MultiCheckboxField(_l("Capabilities"), choices=capability_choices, validate_choice=False)
    industries = SelectMultipleField(_l("Industries (KSIC)"), choices=industry_choices, validate_choice=False,
                                     render_kw={"size": 10},
                                     description=_l("Hold Ctrl (⌘ on a Mac) to choose several."))
    regions_served = MultiCheckboxField(_l("Regions served"), choices=region_choices, validate_choice=False,
                                        description=_l("Choose none if you serve the whole country."))
    deployment_modes = MultiCheckboxField(_l("Deployment"), choices=deployment_choices, validate_choice=False)
    price_min_krw = IntegerField(_l("Lowest price (won)"),
                                 validators=[InputRequired(), NumberRange(min=0, max=MAX_PRICE_KRW)])
    price_max_krw = IntegerField(_l("Highest price (won)"),
                                 validators=[InputRequired(), NumberRange(min=0, max=MAX_PRICE_KRW)])
    typical_weeks = IntegerField(_l("Typical duration (weeks)"),
                                 validators=[InputRequired(), NumberRange(min=1, max=MAX_WEEKS)])
    capacity = IntegerField(_l("Open project slots"), default=1,
                            validators=[InputRequired(), NumberRange(min=0, max=MAX_CAPACITY)],
                            description=_l("How many new projects you can take on now."))
    completed_projects = IntegerField(_l("Completed projects"), default=0,
                                      validators=[InputRequired(), NumberRange(min=0, max=MAX_COMPLETED_PROJECTS)],
                                      description=_l("Similar projects you have delivered before."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion_labels = criterion_labels()

    @property
    def profile_fields(self):
        return [(key, self.criterion_labels[key], self[f"profile_{key}"]) for key in CRITERIA]

    @property
    def reference_rows(self):
        return [[self[f"references_{i}_{key}"] for key in REFERENCE_FIELDS] for i in range(REFERENCE_ROWS)]

    def profile_data(self) -> dict[str, float]:
        return {key: (self[f"profile_{key}"].data or 0) / 100 for key in CRITERIA}

    def references_data(self) -> list[dict[str, str]]:
        rows = []
        for i in range(REFERENCE_ROWS):
            row = {key: (self[f"references_{i}_{key}"].data or "").strip() for key in REFERENCE_FIELDS}
            if any(row.values()):
                rows.append(row)
        return rows

    def offering_data(self) -> dict:
        """The form's values under the service's names."""
        return {
            "title": self.title.data, "description": self.description.data,
            "capabilities": self.capabilities.data or [], "industries": self.industries.data or [],
            "regions_served": self.regions_served.data or [], "deployment_modes": self.deployment_modes.data or [],
            "price_min_krw": self.price_min_krw.data, "price_max_krw": self.price_max_krw.data,
            "typical_weeks": self.typical_weeks.data, "capacity": self.capacity.data,
            "completed_projects": self.completed_projects.data,
            "profile": self.profile_data(), "references": self.references_data(),
        }

    @staticmethod
    def initial_data(values: dict) -> dict:
        """Form data for an existing offering's values (see ``services.offering_values``)."""
        data = {k: v for k, v in values.items() if k not in ("profile", "references")}
        for key in CRITERIA:
            data[f"profile_{key}"] = round(float(values["profile"].get(key, 0)) * 100)
        for i, row in enumerate(values["references"][:REFERENCE_ROWS]):
            for key in REFERENCE_FIELDS:
                data[f"references_{i}_{key}"] = row.get(key, "")
        return data


for _key in CRITERIA:
    setattr(OfferingForm, f"profile_{_key}",
            IntegerRangeField(_key, default=50, validators=[InputRequired(), NumberRange(min=0, max=100)],
                              render_kw={"min": 0, "max": 100, "step": 5}))

_REFERENCE_LABELS = {"title": _l("Project"), "client_description": _l("Client"), "kpi": _l("KPI"),
                     "achieved": _l("Result achieved")}
_REFERENCE_HINTS = {"title": _l("e.g. Hole-position inspection of body brackets"),
                    "client_description": _l("e.g. Tier-1 auto-body parts maker, 240 staff"),
                    "kpi": _l("e.g. Dimensional defects shipped"), "achieved": _l("e.g. 620 ppm → 45 ppm")}
for _i in range(REFERENCE_ROWS):
    for _key, _limit in REFERENCE_FIELDS.items():
        setattr(OfferingForm, f"references_{_i}_{_key}",
                StringField(_REFERENCE_LABELS[_key], validators=[Optional(), Length(max=_limit)],
                            render_kw={"placeholder": _REFERENCE_HINTS[_key]}))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
