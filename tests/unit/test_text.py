import pytest

from aiops.text import detect_language, fold_accents, keywords, terms

pytestmark = pytest.mark.unit


def test_accents_fold_so_that_french_words_match_without_them():
    assert fold_accents("Redéployer l'échéance à Noël") == "Redeployer l'echeance a Noel"
    assert set(keywords("redéploie")) & set(keywords("redeploie"))


def test_french_inflections_share_a_stem():
    assert set(keywords("sauvegardes")) & set(keywords("sauvegarde"))
    assert set(keywords("bannies")) & set(keywords("banni"))


def test_english_inflections_share_a_stem():
    assert set(keywords("restoring backups")) & set(keywords("restore backup")) == set(keywords("restore backup"))
    assert set(keywords("restored")) & set(keywords("restore"))


def test_stop_words_of_both_languages_are_dropped():
    assert keywords("Comment je le fais ?") == keywords("fais")
    assert keywords("How do I do it with the") == []


def test_exact_tokens_stay_whole_and_searchable():
    keys = keywords("ping 10.20.0.13 then restart dolibarr-db (job #42)")
    assert "10.20.0.13" in keys
    assert "dolibarr-db" in keys
    assert "42" in keys


def test_terms_group_the_alternative_stems_of_one_word():
    (term,) = terms("sauvegardes")
    assert len(term) >= 1
    assert all(isinstance(key, str) and key for key in term)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Comment je redéploie le service Dolibarr ?", "fr"),
        ("Quelles sont les IPs bannies hier ?", "fr"),
        ("Pourquoi le job 42 a échoué ?", "fr"),
        ("How do I restore GitLab from a backup?", "en"),
        ("Why did job 42 fail?", "en"),
        ("dolibarr", "en"),
        ("recette de gâteau", "fr"),
    ],
)
def test_language_detection(text, language):
    assert detect_language(text) == language
