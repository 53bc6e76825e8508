"""Extensions, created unbound here and bound to an app in :func:`marketplace.create_app`."""

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from marketplace.database import db

babel = Babel()
bootstrap = Bootstrap5()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
login_manager = LoginManager()

__all__ = ["babel", "bootstrap", "csrf", "db", "limiter", "login_manager"]
