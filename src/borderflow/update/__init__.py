"""``update``: fetch what is new, load it, re-run the forecasts it touches, say what changed.

>>> from borderflow.update import update
>>> report = update(db_path, get_sources(), mirror)               # the official addresses
>>> report = update(db_path, get_sources(), mirror, base_url=url)  # an internal HTTP mirror
>>> [c.sentence for c in report.changes]
['FY2026 fentanyl through April: 6,725.62 lb; through December in the previous release: …']
>>> render(load_catalog("es"), report.changes[0].message)  # the same change, for a reader
'AF2026 fentanilo hasta abril: 6,725.62 libras; hasta diciembre en la publicación anterior: …'

1. **Discover.** CBP renames its file every month (``…-fy23-fy26-apr.csv`` replaces ``-mar``),
   so a name cannot be known in advance. For a folder listed in ``DISCOVERY_PAGES`` the
   publisher's page is read, its links are parsed with ``html.parser``, and the newest file of
   each series (by the month its data run through, then the ``/files/YYYY-MM/`` folder it was
   posted in, then its place on the page) is added to the files to fetch. With ``base_url`` the
   page is ``{base_url}/{folder}/index.html``: a copy of the publisher's page kept beside the files.
2. **Fetch** every known and discovered file with ``borderflow.fetch`` (conditional, atomic).
3. **Ingest** the mirror (``borderflow.warehouse.ingest``): files already loaded are skipped.
4. **Re-run forecasts.** The newest stored outlook run of each set of parameters whose releases
   include a source that just got a new release is run again with those parameters and stored;
   then every forecast in the ledger whose months are now published is scored and kept
   (``outlook.ledger.score_ledger``).
5. **Say what changed.** For each source with a new release, its headline series (``HEADLINES``)
   is asked now and as of the day before the new release's vintage, through the metrics layer,
   and the values of the months both releases cover are compared. The change is a message key
   of ``report/i18n/<lang>.cli.toml`` (``cli.update.*``) and its values — numbers, ISO months,
   unit keys — which ``render`` writes in a catalog's language; ``sentence`` is the message in
   the library's English. What failed is told the same way (``UpdateReport.problem_messages``,
   ``fetch_outcome_message``).

Modules: ``discovery`` (step 1), ``run`` (the driver, steps 2–4), ``changes`` (step 5),
``words`` (messages and their rendering).

Layering: a library that drives the others (fetch, warehouse, metrics, outlook); it reads
numbers only through the metrics layer and stored runs only through ``engine.store``.
"""

from __future__ import annotations

from borderflow.update.changes import (
    HEADLINES,
    PERIOD_KINDS,
    Headline,
    Revision,
    SeriesChange,
    series_change,
    series_changes,
)
from borderflow.update.discovery import (
    DISCOVERY_PAGES,
    MIRROR_PAGE,
    Discovery,
    FoundFile,
    discover,
    discover_all,
    page_links,
    with_discovered,
)
from borderflow.update.run import (
    Rerun,
    UpdateReport,
    fetch_outcome_message,
    stale_runs,
    update,
)
from borderflow.update.words import Message, english, message, render, subject_value

__all__ = [
    "DISCOVERY_PAGES",
    "HEADLINES",
    "MIRROR_PAGE",
    "PERIOD_KINDS",
    "Discovery",
    "FoundFile",
    "Headline",
    "Message",
    "Rerun",
    "Revision",
    "SeriesChange",
    "UpdateReport",
    "discover",
    "discover_all",
    "english",
    "fetch_outcome_message",
    "message",
    "page_links",
    "render",
    "series_change",
    "series_changes",
    "stale_runs",
    "subject_value",
    "update",
    "with_discovered",
]
