"""The words that join the words of a name, one table per language, with the part each plays.

Names in OH records are written in many languages inside English prose ("Consellería do Mar", "Vereniging van
Saamaka Gezagsdragers", "Semillas para la Democracia", "Centrul pentru Jurnalism Independent"), and the
small English parser does not know their joining words: it reads "do" as an auxiliary, "van" as a noun. Every
rule that walks a name reads these words from here; each takes the parts it needs:

* ``of``: the genitive that starts a complement after a name's head ("Ministry of ...", "Consejo de ...",
  "Vereniging van ..."), and that a list of portfolios inside the complement repeats ("Ministère de l'Industrie,
  du Commerce et de l'Artisanat"); between two capitalised words the parser cut into two subjects, one of another
  language joins them into one;
* ``for``: another preposition that starts a head's complement, as ``of`` does, and joins as it does ("Network
  for ...", "Centrul pentru ...", "Comité pour ..."), but is no genitive a portfolio list repeats;
* ``inside``: another preposition or an article that stands inside a name ("Network on ...", "Coalition
  against ...", "Viši sud u Beogradu", "Raad der Kerken", "Servicios del Pueblo");
* ``article``: an article inside a name after a joining word ("Save the Children", "Mar de la Plata");
* ``and``: joins two capitalised words of one name, and only between capitalised words ("Bosbeheer en
  Bostoezicht", "Derechos Humanos y Periodistas"); in English, "and" between capitals may also join two names.

A word may play a part in several languages ("de", "en"): the derived sets below take the union.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Joins:
    """The joining words of one language's names, by the part they play."""
    language: str
    of: frozenset[str] = frozenset()
    for_: frozenset[str] = frozenset()
    inside: frozenset[str] = frozenset()
    article: frozenset[str] = frozenset()
    and_: frozenset[str] = frozenset()


def _w(words: str) -> frozenset[str]:
    return frozenset(words.split())


ENGLISH = Joins("en", of=_w("of"), for_=_w("for on"), inside=_w("against"), article=_w("the"), and_=_w("and &"))

JOINS = (
    ENGLISH,
    Joins("fr", of=_w("de des du"), for_=_w("pour à au aux"), inside=_w("sur contre sans avec"), article=_w("la le les"),
          and_=_w("et")),
    # (and the contractions of a preposition and an article: Spanish "al", Portuguese "ao", "à", "na", "pela" ...:
    # "Comité de Apoyo al Migrante", "Conselho Nacional de Combate ao SIDA", "Associação Moçambicana pela Saúde")
    Joins("es", of=_w("de del"), for_=_w("para al"), inside=_w("a por sobre contra en sin con"),
          article=_w("la las los el una"), and_=_w("y e")),
    Joins("pt", of=_w("de da do dos das"), for_=_w("para ao aos à às"),
          inside=_w("em por sobre contra sem com na no nas nos pela pelo pelas pelos"), article=_w("uma"), and_=_w("e")),
    Joins("it", of=_w("di della dei")),
    Joins("nl", of=_w("van der"), for_=_w("voor"), inside=_w("tot"), article=_w("den het"), and_=_w("en")),
    Joins("ro", of=_w("din"), for_=_w("pentru"), and_=_w("și si")),  # "Centrul pentru Jurnalism Independent"
    Joins("sw", of=_w("cha wa ya za"), and_=_w("na")),  # "Chama cha Walimu", "Haki na Amani"
    Joins("id", for_=_w("untuk"), inside=_w("di"), and_=_w("dan")),
    Joins("tl", of=_w("ng sa")),
    Joins("tr", and_=_w("ve")),
    Joins("sh", inside=_w("u"), and_=_w("i")),  # Serbian, Croatian, Bosnian: "Viši sud u Beogradu"
    Joins("pl", inside=_w("w"), and_=_w("i")),  # Polish: "Miejski Urząd Pracy w Chełmie"
    Joins("ha", of=_w("ta na")),  # Hausa: "Kungiyar Agaji ta Mata", "Ƙungiyar ... ta Kano"
    Joins("sq", of=_w("të së"), for_=_w("për"), inside=_w("me në")),  # Albanian ("i", "e": the conjunctions above)
)


def union(*parts: str, without: tuple[str, ...] = (), only: tuple[str, ...] = ()) -> frozenset[str]:
    """The words that play any of ``parts`` in any language but those ``without`` (by code), or in those ``only``."""
    return frozenset(w for j in JOINS if j.language not in without and (not only or j.language in only)
                     for p in parts for w in getattr(j, p))


# every joining word, in any part
ALL_JOINS = union("of", "for_", "inside", "article", "and_")
# words that start a complement after a name's head ("Ministry of", "Consejo de", "Network for")
COMPLEMENT_START = union("of", "for_")
# English's, and those of the languages whose names write their portfolios joined in their own language (an English
# "and" after "de Solidarité" joins a second name: "the Banque Tunisienne de Solidarité and Enda Tamweel")
ENGLISH_COMPLEMENT = union("of", "for_", only=("en",))
ROMANCE_COMPLEMENT = union("of", "for_", only=("fr", "es", "pt"))
# words that join two names the parser cut in two: another language's "of" (English "of" the parser reads)
JOINS_TWO_NAMES = union("of", "for_", without=("en",))
# the languages whose ministries' names list portfolios ("Ministry of Land Management, Agriculture and
# Cooperatives", "Ministère de l'Industrie, du Commerce et de l'Artisanat", "Ministério da Família, Inclusão e
# Desenvolvimento Social"): the portfolio rule (``rules.names``) reads their words
PORTFOLIO_LANGUAGES = ("en", "fr", "es", "pt")
# words that join two capitalised words only (a conjunction or "a" between capitals: "Derechos Humanos y
# Periodistas", "Centro a la ..."), in languages other than English
BETWEEN_CAPITALS = union("and_", without=("en",)) | {"a"}


def alternation(words: frozenset[str]) -> str:
    """A regular expression's alternation of ``words``, the longest first (so "des" is tried before "de")."""
    return "|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w))))
