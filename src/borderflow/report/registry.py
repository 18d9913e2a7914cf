"""The registry of sections, shared by the brief and the dashboard.

A section is a function ``build(ctx) -> Section`` registered under a name. The built-in ones are
registered here when this module is imported, in the order the brief renders them: the metrics
topics (``report.topics``), then the sections of the higher libraries installed in this build
(``report.extras``). The dashboard serves each one as a page at ``/<name>`` (and
``/<name>.json``).

Imports go one way: this module imports the builders, the builders import ``report.sections``
(shared helpers) and ``report.model``, never this module nor each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from borderflow.errors import BorderflowError
from borderflow.report import extras, happened, topics
from borderflow.report.model import Context, Filters, Section
from borderflow.report.sections import SectionSpec

Builder = Callable[[Context], Section]


class UnknownSectionError(BorderflowError):
    """A section or page name that is not registered."""


_SECTIONS: dict[str, SectionSpec] = {}


def section(
    name: str,
    *,
    place: str | None = None,
    place_measure: str | None = None,
    drug: bool = False,
    in_brief: bool = True,
) -> Callable[[Builder], Builder]:
    """Register a section builder under ``name`` (registering a name again replaces it).

    Args:
        name: registry key and dashboard path.
        place: the dimension the reader's "place" filter narrows (None: no place filter).
        place_measure: the measure whose stored members list the places.
        drug: whether the drug filter applies.
        in_brief: whether the brief includes it.

    Returns:
        A decorator that registers the builder and returns it unchanged.
    """

    def register(build: Builder) -> Builder:
        _SECTIONS[name] = SectionSpec(name, build, place, place_measure, drug, in_brief)
        return build

    return register


def all_sections() -> dict[str, SectionSpec]:
    """Every registered section, in registration order (a copy: the registry stays as is)."""
    return dict(_SECTIONS)


def get_section(name: str) -> SectionSpec:
    """The section registered under ``name``.

    Raises:
        UnknownSectionError: no section has that name.
    """
    if name not in _SECTIONS:
        raise UnknownSectionError(f"no section {name!r}; known: {', '.join(_SECTIONS)}.")
    return _SECTIONS[name]


def build_section(name: str, ctx: Context) -> Section:
    """Build one section, recording the filters it was built with.

    Args:
        name: a registered section.
        ctx: the reader's context (engine, language, filters).
    """
    spec = get_section(name)
    ctx = replace(ctx, filters=_as_codes(spec, ctx.filters))
    result = spec.build(ctx)
    result.filters = {
        "drug": ctx.filters.drug if spec.drug else None,
        "place": ctx.filters.place if spec.place else None,
        "period": ctx.filters.period,
    }
    return result


def _as_codes(spec: SectionSpec, filters: Filters) -> Filters:
    """The reader's filters with a drug or place given by name ("Sonora", "fentanilo") as its
    stored code ("26", "Fentanyl"), so the page selects it and names it in either language. A
    name the gazetteer does not know is left as written: the metrics layer says what is wrong."""
    return replace(
        filters,
        drug=_code("drug", filters.drug) if spec.drug else filters.drug,
        place=_code(spec.place, filters.place) if spec.place else filters.place,
    )


def _code(dimension: str, text: str | None) -> str | None:
    from borderflow.reference.gazetteer import load_gazetteer

    if not text or not text.strip():
        return None
    try:
        return load_gazetteer().resolve(dimension, text).code
    except BorderflowError:
        return text


def _register_builtins() -> None:
    """The metrics topics, then the sections of the libraries installed in this build."""
    section("headline")(topics.headline)
    section("seizures", place="region", place_measure="seized_lb", drug=True)(topics.seizures)
    section("deaths", place="us_state", place_measure="overdose_deaths_12m")(topics.deaths)
    section("crossings", place="us_state", place_measure="crossings")(topics.crossings)
    section("homicides", place="mx_state", place_measure="homicide_victims")(topics.homicides)
    section("trade", place="reporter", place_measure="fentanyl_group_trade_value")(topics.trade)
    if extras.available("borderflow.outlook"):
        section("outlook")(extras.outlook)
    if extras.available("borderflow.interdiction"):
        section("interdiction")(extras.interdiction)
    section("what_happened")(happened.what_happened)  # the registry of who and when
    section("timeline", in_brief=False)(happened.timeline_page)


_register_builtins()
