"""The metrics layer: measures, dimensions, periods, comparisons — one way to ask for any number.

>>> from borderflow.metrics import Engine, Query
>>> engine = Engine.open(path)
>>> engine.run(Query("seized_lb", "FY2024", where={"drug": ("Fentanyl",)})).value
"""

from borderflow.metrics.engine import Engine, Result
from borderflow.metrics.measures import Measure, all_measures, get_measure
from borderflow.metrics.periods import Period, parse_period
from borderflow.metrics.query import Query, QueryError

__all__ = [
    "Engine",
    "Measure",
    "Period",
    "Query",
    "QueryError",
    "Result",
    "all_measures",
    "get_measure",
    "parse_period",
]
