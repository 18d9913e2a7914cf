"""borderflow: the official record of the U.S.–Mexico illicit supply chain, in one place."""

__version__ = "0.1.0"
