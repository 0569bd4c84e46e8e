"""Settings are secure by default and production passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k8$Vq2!rT7wZp0@mB3nX9&cL5yH1jD6fG4sA8eU2iO7kW0qR3tY5uP9zM1vN6bC",
    "DJANGO_ALLOWED_HOSTS": "takwin.example.ma",
    "DATABASE_URL": "sqlite:////tmp/takwin-deploy-check.sqlite3",
}


def _run(args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def test_production_passes_check_deploy_without_warnings():
    """`check --deploy` with production settings and the documented variables reports no issue."""
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_base_settings_refuse_to_start_without_a_secret_key():
    """Without DJANGO_SECRET_KEY the site does not start with a guessable key."""
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_base_settings_have_debug_off():
    """Debug is off unless a settings module or the environment turns it on."""
    result = _run(["-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
                  {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.base"})
    assert result.stdout.strip() == "False", result.stderr


def test_sqlite_runs_in_wal_mode(tmp_path):
    """The default SQLite database uses write-ahead logging so the worker and the web server can share it."""
    result = _run(
        ["-c", "import django; django.setup(); from django.db import connection; c=connection.cursor(); "
               "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"],
        {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.dev",
         "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}"},
    )
    assert result.stdout.strip() == "wal", result.stderr


def _effective_connection_settings(env) -> list[str]:
    """``[CONN_MAX_AGE, CONN_HEALTH_CHECKS]`` of the connection Django opens with ``env``."""
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.db import connection; "
            "print(connection.settings_dict['CONN_MAX_AGE'], connection.settings_dict['CONN_HEALTH_CHECKS'])",
        ],
        env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_keeps_database_connections_open_and_checks_them():
    """Production reuses a database connection for 60 s (in DATABASES["default"], where Django reads
    it, not a top-level CONN_MAX_AGE) and checks it before each reuse."""
    assert _effective_connection_settings({**PRODUCTION_ENV, "DATABASE_CONN_MAX_AGE": ""}) == ["60", "True"]
