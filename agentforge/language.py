"""Which natural language a text is written in, from its stop words: enough to keep a French
agent out of a family of English ones.

Each language has a list of its most frequent function words (articles, pronouns,
prepositions, conjunctions, common auxiliaries). A text's words are counted against each list
and the language whose list covers the largest share of the words wins, when it covers at
least ``MIN_SHARE`` of them and at least ``MIN_WORDS`` words. Otherwise the language is
unknown (``""``): a body of code, a list of terms or a few words says too little.

Words in backticks, code blocks and URLs are dropped first, so that English identifiers in a
French agent do not make it English. Agent bodies run to hundreds of words, where function
words make up a third of any prose; a share of 5 % with a margin over the next language is a
wide safety gap (see the README, section scan, for the corpus figures).
"""

from __future__ import annotations

import re

MIN_WORDS = 8  # stop words of the winning language, at least
MIN_SHARE = 0.02  # of all words

STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the a an and or but of to in on at for with by from as is are was were be been being "
              "this that these those it its they them their you your we our he she his her which who "
              "whom what when where how not no do does did have has had will would should can could "
              "may might must shall into about over under than then so such each every any all "
              "also only other more most some if while there here",
        "fr": "le la les un une des du de et ou mais donc car ni est sont était être avoir a ont "
              "ce cet cette ces il elle ils elles on nous vous je tu leur leurs son sa ses mon ma mes "
              "ton ta tes votre vos notre nos qui que quoi dont où dans sur sous avec pour par sans "
              "entre vers chez au aux pas ne plus moins très tout tous toute toutes aussi comme si "
              "lorsque quand se lui y en même chaque",
        "de": "der die das den dem des ein eine einen einem einer eines und oder aber denn sondern "
              "ist sind war waren sein hat haben wird werden kann können muss müssen soll sollte "
              "ich du er sie es wir ihr ihre ihren sich mit von zu zum zur bei nach aus auf für "
              "über unter durch gegen ohne um im am an nicht kein keine auch nur noch schon wenn "
              "dass als wie so dieser diese dieses jeder jede jedes alle",
        "es": "el la los las un una unos unas y o pero ni de del al en con por para sin sobre "
              "entre hasta desde es son era fue ser estar está están ha han hay yo tú él ella "
              "nosotros ellos ellas usted su sus mi mis tu tus nuestro que quien cual cuando donde "
              "como no sí muy más menos también todo todos toda todas cada este esta estos estas "
              "ese esa lo le les se",
        "pt": "o a os as um uma uns umas e ou mas nem de do da dos das em no na nos nas com por "
              "para pelo pela sem sobre entre até desde é são era foi ser estar está estão tem "
              "têm há eu tu ele ela nós eles elas você seu sua seus suas meu minha que quem qual "
              "quando onde como não sim muito mais menos também todo todos toda todas cada este "
              "esta estes estas esse essa isso isto se lhe",
        "it": "il lo la i gli le un uno una e o ma né di del dello della dei degli delle a al "
              "allo alla ai agli alle da dal dalla in nel nello nella nei negli nelle con su sul "
              "sulla per tra fra è sono era essere avere ha hanno io tu lui lei noi voi loro suo "
              "sua suoi sue che chi cui quale quando dove come non sì molto più meno anche tutto "
              "tutti tutta tutte ogni questo questa questi queste quello quella si",
    }.items()
}

_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|https?://\S+", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_APOSTROPHE = re.compile(r"['’]")


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` outside code and URLs; ``l'agent`` gives ``l``, ``agent``."""
    found = _WORD.findall(_CODE.sub(" ", text).lower())
    if not any("'" in word or "’" in word for word in found):
        return found
    return [part for word in found for part in _APOSTROPHE.split(word) if part]


def shares(text: str) -> dict[str, float]:
    """For each language, the share of the words of ``text`` that are its stop words."""
    found = words(text)
    total = len(found) or 1
    return {lang: sum(w in stop for w in found) / total for lang, stop in STOP_WORDS.items()}


def detect(text: str) -> str:
    """``en``, ``fr``, ``de``, ``es``, ``pt``, ``it``, or ``""`` when the text says too little."""
    found = words(text)
    if not found:
        return ""
    counts = {lang: sum(w in stop for w in found) for lang, stop in STOP_WORDS.items()}
    best = max(counts, key=lambda lang: (counts[lang], lang == "en"))
    if counts[best] < MIN_WORDS or counts[best] / len(found) < MIN_SHARE:
        return ""
    return best
