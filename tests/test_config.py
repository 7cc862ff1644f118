"""Configuration from the environment."""
import pytest

from pathway.config import ConfigError, from_environment, normalise_database_url


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        from_environment({"PATHWAY_ENV": "production"})
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        from_environment({})  # production is the default


def test_development_and_testing_may_run_without_a_secret_key():
    for mode in ("development", "testing"):
        assert from_environment({"PATHWAY_ENV": mode})["SECRET_KEY"]


def test_unknown_mode_is_refused():
    with pytest.raises(ConfigError, match="PATHWAY_ENV"):
        from_environment({"PATHWAY_ENV": "staging"})


def test_database_url_defaults_to_sqlite_under_instance_and_postgres_uses_psycopg3():
    config = from_environment({"PATHWAY_ENV": "development"})
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///") and "instance" in config["SQLALCHEMY_DATABASE_URI"]
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_cookies_are_secure_outside_development():
    prod = from_environment({"PATHWAY_ENV": "production", "SECRET_KEY": "x" * 40})
    dev = from_environment({"PATHWAY_ENV": "development"})
    assert prod["SESSION_COOKIE_SECURE"] and not dev["SESSION_COOKIE_SECURE"]
    assert prod["SESSION_COOKIE_HTTPONLY"] and prod["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_fgdm_duty_commencement_is_a_setting_and_a_bad_date_is_refused():
    from datetime import date

    from pathway.config import ConfigError, from_environment

    assert from_environment({"PATHWAY_ENV": "testing"})["FGDM_DUTY_FROM"] is None
    assert from_environment({"PATHWAY_ENV": "testing", "FGDM_DUTY_FROM": "2026-09-01"})["FGDM_DUTY_FROM"] == date(2026, 9, 1)
    with pytest.raises(ConfigError, match="FGDM_DUTY_FROM must be a date"):
        from_environment({"PATHWAY_ENV": "testing", "FGDM_DUTY_FROM": "1 September"})


def test_the_setting_reaches_the_pathway(app, session, england):
    from datetime import date

    from conftest import opened, record, step

    app.config["FGDM_DUTY_FROM"] = date(2027, 1, 1)  # not yet in force: an accepted meeting need not be held first
    history = [opened("C1", date(2026, 5, 4)), step("offer_fgc", date(2026, 5, 5)), step("fgc_accepted", date(2026, 5, 6)),
               step("send_letter_before_proceedings", date(2026, 5, 7)),
               step("issue_proceedings", date(2026, 5, 20), child_ref="C1", proceedings_ref="P1")]
    assert record(session, england, history).ok
