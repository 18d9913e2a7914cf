"""The claim checker: find checkable statements in an article, put each to the metrics layer,
and give a verdict with the evidence.

>>> from borderflow.claims import check_text
>>> report = check_text(article_text, engine, published=date(2026, 1, 16))
>>> report.to_dict()["claims"][0]["verdict"]
"""

from borderflow.claims.check import CheckReport, Claim, check_document, check_text
from borderflow.claims.document import Document, DocumentError, parse_document, read_document

__all__ = [
    "CheckReport",
    "Claim",
    "Document",
    "DocumentError",
    "check_document",
    "check_text",
    "parse_document",
    "read_document",
]
