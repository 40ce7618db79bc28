"""ipcase: case management for rapid IP-dispute protection."""

import os
from pathlib import Path
from typing import Any

from flask import Flask

from ipcase.catalogs import ensure_compiled

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory: a flat list of small configure steps, in order."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    # `import ipcase` stays cheap: gunicorn's master imports the package for ipcase.gunicorn_conf,
    # so config (which binds core.extensions: SQLAlchemy, Flask-Login, Limiter…) and web (the whole
    # app) load only when an app is built, in each worker.
    from ipcase.config import (  # noqa: PLC0415  keeps `import ipcase` free of the extensions for gunicorn's master
        configure_proxies,
        configure_trusted_hosts,
        load_config,
    )

    load_config(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    ensure_compiled(app)  # Chinese by default however the app is started (refuses if it cannot)

    from ipcase import web  # noqa: PLC0415  the whole app, loaded when one is built, not on `import ipcase`

    web.configure_extensions(app)
    web.configure_security(app)
    configure_proxies(app)  # forwarded headers only from the configured proxies (PROXY_COUNT)
    web.register_blueprints(app)
    web.register_error_handlers(app)
    configure_trusted_hosts(app)  # an unknown Host (TRUSTED_HOSTS) is a plain 400
    web.configure_templates(app)
    web.register_cli(app)
    return app
