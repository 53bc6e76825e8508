import pytest

from marketplace import create_app
from marketplace.config import ConfigError


def test_production_refuses_to_start_without_a_real_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("AXBRIDGE_SECRET_KEY", raising=False)
    for secret in (None, "dev", "short-secret"):
        with pytest.raises(ConfigError, match="AXBRIDGE_SECRET_KEY"):
            create_app({"ENV": "production", "SECRET_KEY": secret, "INSTANCE_PATH": str(tmp_path),
                        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_with_a_real_secret_uses_secure_cookies(tmp_path):
    app = create_app({"ENV": "production", "SECRET_KEY": "x" * 48, "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_environment_variables_override_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("AXBRIDGE_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("AXBRIDGE_ENV", "development")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DATABASE_URL"].endswith("env.db")
    assert not app.config["SESSION_COOKIE_SECURE"]
    # Development without a secret gets a random one kept in the instance folder, not a fixed fallback.
    assert len(app.config["SECRET_KEY"]) == 64
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_unknown_environment_name_is_refused(tmp_path):
    with pytest.raises(ConfigError):
        create_app({"ENV": "staging", "INSTANCE_PATH": str(tmp_path)})


def test_importing_the_package_reads_no_configuration(monkeypatch):
    import importlib

    import marketplace

    monkeypatch.setenv("AXBRIDGE_ENV", "nonsense")
    importlib.reload(marketplace)  # would raise if configuration were read at import time
