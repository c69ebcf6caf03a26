"""Text not in English: a warning in the record and on stderr, never a false alarm on English."""

import pytest
from typer.testing import CliRunner

from tipx import extract
from tipx.cli import app
from tipx.engine import results
from tipx.language import _identifier
from tipx.reading import DOCUMENT_SUFFIXES

from conftest import CORPUS, SAMPLES, corpus

FRENCH = (
    "Moroni, le 14 mars 2023 – Le ministère de la Justice des Comores, avec l'appui de "
    "l'Organisation internationale pour les migrations (OIM), a formé trente-cinq policiers, "
    "gendarmes et magistrats à l'identification des victimes de la traite des êtres humains. Pendant"
    " quatre jours, les participants ont étudié le mécanisme national d'orientation, les droits des "
    "victimes et les techniques d'enquête. La formation a été financée par l'Union européenne dans "
    "le cadre du programme régional de gestion des migrations."
)
PORTUGUESE = (
    "Maputo, 12 de junho de 2023 – A Organização Internacional para as Migrações (OIM) formou quarenta "
    "agentes da Polícia da República de Moçambique e do Serviço Nacional de Migração sobre a identificação e "
    "o encaminhamento de vítimas de tráfico de pessoas. A formação, que decorreu durante quatro dias na "
    "cidade da Beira, foi financiada pela União Europeia e contou com a participação da Procuradoria-Geral."
)
SPANISH = (
    "Malabo, 6 de junio de 2023 – La Organización Internacional para las Migraciones (OIM) capacitó "
    "a cuarenta funcionarios de la policía nacional, fiscales y trabajadores sociales sobre la "
    "identificación de víctimas de trata de personas. El taller, celebrado durante tres días en la "
    "capital, contó con el apoyo financiero de la Unión Europea y reunió a representantes de varios "
    "ministerios y organizaciones de la sociedad civil."
)
# English with hardly a function word: names, titles, addresses
CONTACTS = (
    "Contacts\n\nJane Doe, Senior Programme Officer, IOM Lesotho, jdoe@iom.int, +266 2231 2345\n"
    "Thabo Mokoena, Communications Officer, UNODC Southern Africa, thabo.mokoena@un.org, +27 12 342 2789\n"
    "Maria Santos, Project Manager, IOM Mozambique, msantos@iom.int, +258 21 310 779\n"
    "Priya Ramdin, National Programme Coordinator, IOM Mauritius, pramdin@iom.int, +230 211 8710\n"
    "Tatenda Makoni, Media and Communications, IOM Zimbabwe, tmakoni@iom.int, +263 242 704 285\n"
    "Eriko Nishimura, Chief of Mission, IOM Lesotho, enishimura@iom.int\n"
)


@pytest.mark.parametrize(
    ("text", "language"), [(FRENCH, "French"), (PORTUGUESE, "Portuguese"), (SPANISH, "Spanish")]
)
def test_text_in_another_language_is_named_in_the_warnings(text, language):
    (record,) = extract(text=text, source="release.txt")
    assert record["warnings"] == [f"text looks {language}; tipx reads English: expect fewer results"]


def test_short_or_name_heavy_english_text_is_not_judged_foreign():
    assert extract(text=FRENCH[:150])[0]["warnings"] == []  # too short to judge
    assert extract(text=CONTACTS)[0]["warnings"] == []


def test_no_development_document_is_judged_foreign(nlp):
    _identifier.cache_clear()
    paths = [
        str(path)
        for folder in (corpus(CORPUS / "dev"), corpus(CORPUS / "dev2"), SAMPLES)
        for path in sorted(folder.iterdir())
        if path.name.endswith(DOCUMENT_SUFFIXES)
    ]
    found = list(results(paths, nlp))
    assert len(found) > 30
    assert [(r.label, r.record["warnings"]) for r in found if r.record["warnings"]] == []
    assert _identifier.cache_info().currsize == 0  # English never loads the language model


def test_the_warning_is_repeated_on_stderr(tmp_path):
    french = tmp_path / "communique.txt"
    french.write_text("La traite des êtres humains aux Comores\n\n" + FRENCH, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(french), "-f", "json"])
    assert result.exit_code == 0
    assert result.stderr == f"tipx: {french}: text looks French; tipx reads English: expect fewer results\n"
