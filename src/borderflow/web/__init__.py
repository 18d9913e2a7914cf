"""The dashboard and JSON API (FastAPI): ``create_app(db_path)`` in ``borderflow.web.app``."""
