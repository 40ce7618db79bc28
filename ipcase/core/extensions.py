"""Flask extensions, created unbound and bound in :func:`ipcase.create_app`."""

from flask_babel import Babel
from flask_babel.speaklater import LazyString
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from ipcase.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()


# Flask-Babel's lazy strings declare themselves safe HTML (``__html__``), so a lazy message filled
# with user input (``_l("… %(name)s", name=…)``) would reach a page unescaped. No message of ours
# carries markup: let Jinja escape them like any other string.
if hasattr(LazyString, "__html__"):
    del LazyString.__html__
