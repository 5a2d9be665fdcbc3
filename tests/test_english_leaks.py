"""The English-leak finder the Spanish tests rely on: it must notice English, and must not cry wolf."""

from __future__ import annotations

from tests.english_leaks import english_lines, english_words


def test_an_english_sentence_is_noticed() -> None:
    assert english_words("the name npomail.electricembers.net does not resolve") == ["the", "does", "not"]
    assert english_lines("Servidores:\n  IMAP 143 refused  the server refused the connection on port 143\n") == [
        "  IMAP 143 refused  the server refused the connection on port 143"
    ]


def test_spanish_with_labels_quotes_and_codes_passes() -> None:
    spanish = (
        "Obligatorio para POP: desmarque «Quitar del servidor después de 14 días» [Remove from server after 14 days]. "
        "El servidor dijo 'BAD this is not IMAP'; vea https://electricembers.coop/support/ o "
        "`setup-assistant profiles ADDRESS --no-probe`, archivo C:/Users/ana/Documents/npomail.prf, "
        "estado dns-error, ana@example.org en npomail.electricembers.net:993 (SSL/TLS)."
    )
    assert english_words(spanish) == []


def test_help_pages_metavars_choices_and_wrapped_option_names_pass() -> None:
    help_page = (
        "  --out FILE            el archivo que se escribe\n"
        "  action                {status,install,remove}\n"
        "  --save-password       con --password-stdin y --install o --thunderbird-\n"
        "                        profile: guardar también la contraseña\n"
    )
    assert english_lines(help_page) == []
    assert english_lines("  --out FILE   the file to write\n") == ["  --out FILE   the file to write"]
