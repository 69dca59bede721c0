"""Language-aware text handling for French and English: folding, keywords, language detection.

The embedded embedding model only knows English, so the keyword side of retrieval must carry
French: accents are folded, stop words of both languages dropped, and each word indexed under
both its French and its English Snowball stem so that a question in one form finds the other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

import snowballstemmer

Language = Literal["fr", "en"]

FRENCH_STOP_WORDS = frozenset(
    """
    a ai aie aient aies ait alors as au aucun aucune aupres aura aurai auraient aurais aurait auras aurez
    auriez aurons auront aussi autre aux avaient avais avait avant avec avez aviez avions avoir avons ayant
    bon car ce ceci cela celle celles celui cependant certain ces cet cette ceux chaque ci comme comment
    dans de des deja depuis devrait dit doit donc dont du elle elles en encore entre est et etaient etais
    etait etant ete etes etre eu eux faire fait faut hier il ils je jusqu la le les leur leurs lui ma mais
    me meme mes moi mon ne ni nos notre nous on ont ou par parce pas peu peut plus pour pourquoi qu quand
    que quel quelle quelles quels qui quoi sa sans se sera seront ses si sien son sont sous suis sur ta
    te tes toi ton tous tout toute toutes tres tu un une vos votre vous y l d j n s c m t
    """.split()
)

ENGLISH_STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my no nor not of
    off on once only or other our ours out over own same she should so some such than that the their
    theirs them then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yesterday
    """.split()
)

STOP_WORDS = FRENCH_STOP_WORDS | ENGLISH_STOP_WORDS

# A compound token keeps IPs, versions, host and file names whole ("10.20.0.11", "dolibarr-db",
# "site.yml"); its alphanumeric parts are indexed too.
_COMPOUND = re.compile(r"[a-z0-9_]+(?:[.\-/:][a-z0-9_]+)*")
_WORD = re.compile(r"[a-z0-9_]+")

_FRENCH_MARKERS = frozenset(
    "le la les de des du un une est et pour avec dans sur pas que qui quoi quel quelle quels quelles "
    "comment pourquoi ou je tu nous vous ils elles hier cette ces mon ma mes son sa ses au aux".split()
)
_ENGLISH_MARKERS = frozenset(
    "the a an is are was were and for with in on not that which who what how why where when do does "
    "did i you we they this these my your yesterday of to".split()
)


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _stemmers() -> tuple[snowballstemmer.stemmer, snowballstemmer.stemmer]:
    return snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stems(word: str) -> tuple[str, ...]:
    french, english = _stemmers()
    folded = fold_accents(word)
    stems = {fold_accents(french.stemWord(word)), english.stemWord(folded)}
    return tuple(sorted(stems))


def terms(text: str) -> list[tuple[str, ...]]:
    """The search terms of a text, each with its alternative keys.

    A compound ("dolibarr-db", "10.20.0.11") is one term keyed by itself; every word in it is a
    term keyed by its French and English stems. Stop words and single letters are dropped.
    """
    found: list[tuple[str, ...]] = []
    for match in _COMPOUND.finditer(fold_accents(text.lower())):
        compound = match.group(0)
        words = _WORD.findall(compound)
        if len(words) > 1:
            found.append((compound,))
        for word in words:
            if word in STOP_WORDS or (len(word) == 1 and not word.isdigit()):
                continue
            found.append(_stems(word))
    return found


def keywords(text: str) -> list[str]:
    """Every key of every term, in order: what the keyword index stores for a text."""
    return [key for term in terms(text) for key in term]


def detect_language(text: str) -> Language:
    """French or English, from function words and accents; English when there is no evidence."""
    lowered = text.lower()
    words = re.findall(r"[a-zà-ÿ']+", lowered)
    french = sum(1 for word in words if fold_accents(word) in _FRENCH_MARKERS)
    french += 2 * len(re.findall(r"[àâäçéèêëîïôöùûüœ]", lowered))
    french += len(re.findall(r"\b(?:qu|l|d|j|n|c)'", lowered))
    english = sum(1 for word in words if word in _ENGLISH_MARKERS)
    return "fr" if french > english else "en"
