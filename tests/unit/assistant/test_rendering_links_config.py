"""Rendering (Babel formats), signed approval links, settings from environment and file."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from assistant.config import load_settings
from assistant.links import ApprovalLinks, BadLink
from assistant.messages import Reply
from assistant.rendering import Renderer, money


@pytest.mark.parametrize(
    ("amount", "locale", "text"),
    [("1234.56", "fr_FR", "1\u202f234,56\u00a0€"), ("1234.56", "en_GB", "€1,234.56"), ("0.30", "fr_FR", "0,30\u00a0€")],
)
def test_money_is_formatted_by_babel_for_the_buyer(amount, locale, text):
    assert money(Decimal(amount), locale) == text


def test_every_template_exists_in_both_languages_and_starts_with_a_subject():
    from pathlib import Path

    from assistant.rendering import TEMPLATES

    french = {p.name for p in (TEMPLATES / "fr").glob("*.txt")}
    english = {p.name for p in (TEMPLATES / "en").glob("*.txt")}
    assert french == english
    for path in (TEMPLATES / "fr").glob("*.txt"):
        if not path.name.startswith("_"):
            assert Path(path).read_text().startswith("Subject:"), path


def test_a_missing_variable_is_an_error_not_a_blank():
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        Renderer().render(Reply("encours", {"name": "Claire"}), "fr")


def test_encours_reply_in_french_and_english():
    context = {"name": "Claire", "customer": "ACME", "encours": Decimal("2317.80"), "credit_limit": Decimal("20000"),
               "headroom": Decimal("17682.20"), "terms": 30, "ytd": Decimal("6279"), "tier": "Argent",
               "benefit": "Livraison offerte", "next_tier": "Or", "next_benefit": "Remise 2 %",
               "to_next": Decimal("8721")}
    fr = Renderer().render(Reply("encours", context), "fr")
    en = Renderer().render(Reply("encours", context), "en")
    assert "2\u202f317,80\u00a0€" in fr.text and "30 jours" in fr.text and "8\u202f721,00\u00a0€" in fr.text
    assert "€2,317.80" in en.text


def test_links_are_signed_and_expire():
    links = ApprovalLinks("secret", "http://127.0.0.1:8080", max_age_seconds=1)
    token = links.token(42, "approve")
    claim = links.read(token)
    assert (claim.approval_id, claim.decision) == (42, "approve")
    with pytest.raises(BadLink) as bad:
        ApprovalLinks("other-secret", "http://x", max_age_seconds=60).read(token)
    assert bad.value.reason == "invalid"
    with pytest.raises(BadLink):
        links.read(token[:-2] + "xx")
    time.sleep(2.1)
    with pytest.raises(BadLink) as late:
        links.read(token)
    assert late.value.reason == "expired"


def test_settings_come_from_the_environment_then_the_file(tmp_path):
    config = tmp_path / "comptoir.toml"
    config.write_text('COMPTOIR_HTTP_LISTEN = "0.0.0.0:9000"\nmail_domains = ["a.fr", "B.fr"]\n'
                      'approval_expiry_hours = 24\n')
    settings = load_settings({"COMPTOIR_DATABASE_URL": "postgresql://u@h:5432/d",
                              "COMPTOIR_CONFIG": str(config), "COMPTOIR_MAIL_DOMAINS": ""})
    assert settings.database_url == "postgresql://u@h:5432/d"
    assert settings.http_listen == "0.0.0.0:9000"
    assert settings.mail_domains == ("a.fr", "b.fr")
    assert settings.approval_expiry_hours == 24.0
    assert not settings.slack_enabled
    assert load_settings({"SLACK_BOT_TOKEN": "xoxb", "SLACK_SIGNING_SECRET": "s",
                          "COMPTOIR_CONFIG": str(tmp_path / "none.toml")}).slack_enabled


def test_without_a_configured_key_each_installation_makes_and_keeps_its_own(tmp_path):
    import stat

    first = load_settings({"COMPTOIR_VAR_DIR": str(tmp_path / "a")}, config_file=tmp_path / "none.toml")
    again = load_settings({"COMPTOIR_VAR_DIR": str(tmp_path / "a")}, config_file=tmp_path / "none.toml")
    other = load_settings({"COMPTOIR_VAR_DIR": str(tmp_path / "b")}, config_file=tmp_path / "none.toml")
    assert first.secret_key == again.secret_key != other.secret_key
    assert len(first.secret_key) >= 32 and first.secret_key != "dev-secret-change-me"
    assert stat.S_IMODE((tmp_path / "a" / "secret.key").stat().st_mode) == 0o600
    configured = load_settings({"COMPTOIR_SECRET_KEY": "s3cret", "COMPTOIR_VAR_DIR": str(tmp_path / "c")},
                               config_file=tmp_path / "none.toml")
    assert configured.secret_key == "s3cret" and not (tmp_path / "c").exists()


def test_serve_refuses_a_public_address_with_the_default_key(capsys):
    from rich.console import Console

    from assistant.bootstrap import serve
    from assistant.config import Settings

    assert serve(Settings(http_listen="0.0.0.0:8080"), Console()) == 2
    assert "COMPTOIR_SECRET_KEY" in capsys.readouterr().err


def test_every_setting_the_code_reads_is_in_the_readme():
    from pathlib import Path

    from assistant.config import ENV_NAMES

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    assert [name for name in ENV_NAMES.values() if name not in readme] == []


@pytest.mark.parametrize(("text", "words"), [
    ("Merci de nous livrer 4 paquets de café moulu 1 kg", "4 paquets de café moulu 1 kg"),
    ("Avez-vous des classeurs 80 mm ?", "classeurs 80 mm"),  # a size is not where the words start
    ("Hi, please send us the blue staplers\nThanks, Bob", "blue staplers"),  # no signature
])
def test_a_not_found_answer_quotes_the_product_words_only(text, words):
    from assistant.rendering import asked_words

    assert asked_words(text) == words


@pytest.mark.parametrize(("word", "count", "locale", "expected"), [
    ("boîte", 80, "fr_FR", "boîtes"), ("boîte", 1, "fr_FR", "boîte"), ("disponible", 0, "fr_FR", "disponible"),
    ("rouleau", 3, "fr_FR", "rouleaux"), ("colis", 4, "fr_FR", "colis"),
    ("box", 3, "en_GB", "boxes"), ("battery", 2, "en_GB", "batteries"), ("piece", 1, "en_GB", "piece"),
])
def test_words_agree_with_their_count(word, count, locale, expected):
    from assistant.rendering import agree

    assert agree(word, count, locale) == expected


@pytest.mark.parametrize(("lang", "one", "several"), [
    ("fr", "s'agit-il de « Surlunettes incolores » ?", "lequel voulez-vous ?"),
    ("en", 'do you mean "Surlunettes incolores"?', "which one do you mean?"),
])
def test_one_product_proposed_is_a_yes_or_no_several_a_choice(lang, one, several):
    def clarify(names):
        pending = [{"text": "40 surlunettes", "names": names, "name": None, "unit": None, "issue": None,
                    "sku": None, "qty": 40}]
        return Renderer().render(Reply("clarify", {"name": "Claire", "pending": pending, "certain": [],
                                                   "nothing": False}), lang).text

    assert one in clarify(["Surlunettes incolores"])
    text = clarify(["Surlunettes incolores", "Surlunettes teintées"])
    assert several in text and "Surlunettes teintées" in text
