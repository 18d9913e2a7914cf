"""Briefs and charts: sections built from the library's answers, in English and Spanish.

>>> from borderflow.report.brief import build_brief
>>> build_brief(db_path, lang="es", out_dir=Path("brief")).html
"""
