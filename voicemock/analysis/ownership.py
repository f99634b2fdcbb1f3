"""Ownership: did the speaker say what *they* did?

Interviewers assess the candidate, not the team. This module reads every clause whose
subject is, or includes, the speaker and classifies it by its subject and its verb, the way
a listener hears it rather than from a list of phrases:

- **strong**: "I" with an action verb that really happened — any verb ("I ran", "I broke
  the work into waves", "I personally phoned", "I took responsibility", "I had pushed it",
  "I was the one who proposed", "what I did was…"), habitual too ("now I always ask");
- **shared**: a subject that includes the speaker and others: "we", "my designer and I",
  "me and my designer", "the two of us", "both of us", "my team", with any action verb
  ("we piloted", "we interviewed", "we migrated");
- **weak**: "I" with a verb that claims a part without saying what it was: "I helped",
  "I supported", "I was involved", "I worked on", "I tried to".

Not credited at all: negated ("I didn't escalate", "we never tested"), modal, future,
conditional or wished ("I could have pushed", "I'd bring legal in", "I'm going to", "if I
did it again", "before I asked"), words inside quotation marks or reported as someone
else's ("my VP told us, "We decided…"", "she said we had agreed"), verbs that are not
actions (being, having, thinking, wanting, seeing, finding, learning, receiving, losing:
"we found that…", "we received 1,400 complaints"), the passive ("I was asked to"),
biography ("I joined Ridewell", "I spent six years in consulting"), embedded questions
("how we paid hosts") and figurative verbs of a reflection ("the thing I carry from it").

Also counts first-person singular against plural pronouns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from voicemock.analysis.document import AgencyDoc, AgencyKind, OwnershipDoc
from voicemock.analysis.fillers import Filler, find_fillers
from voicemock.analysis.lexicon import (
    AUXILIARIES_BE,
    FUNCTION_WORDS,
    IRREGULAR_PARTICIPLES,
    IRREGULAR_PAST,
    MODALS,
    NEGATIONS,
    NON_ACTION_BASES,
    REFLECTION_BASES,
    REFLECTION_HEADS,
    WEAK_BASES,
    base_in,
    ing_base,
    is_adverb,
    is_participle,
    is_past_form,
)
from voicemock.analysis.text import Doc, DocSource, Span, location

I_FORMS = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i'd", "i've", "i'll"})
WE_FORMS = frozenset({"we", "us", "our", "ours", "ourselves", "we're", "we'd", "we've", "we'll"})

STRONG_VERBS = (
    "decided", "owned", "built", "chose", "wrote", "killed", "led", "drove", "designed",
    "proposed", "convinced", "set", "launched", "negotiated", "hired", "fired", "cut",
    "prioritised", "prioritized", "persuaded", "shipped", "created", "defined", "initiated",
    "architected", "rewrote", "redesigned", "overruled", "escalated", "vetoed", "spearheaded",
)  # fmt: skip
"""Typical owned actions (examples for the structure cues; ownership takes any action verb)."""
WEAK_VERBS = (
    "helped", "supported", "assisted", "contributed", "participated", "facilitated",
    "collaborated",
)  # fmt: skip

Mood = Literal["real", "negated", "modal", "not_action", "weak", "excluded"]

_SINGULAR = frozenset({"i", "i've", "i'd", "i'm"})
_PLURAL = frozenset({"we", "we've", "we'd", "we're"})
_FUTURE = frozenset({"i'll", "we'll", "i'll've"})
_HEDGE_WORDS = frozenset({"sort", "kind", "kinda", "sorta"})
_TEAM_HEADS = frozenset({"team", "squad"})
_TEAM_DETERMINERS = frozenset({"my", "our", "the"})
_GROUP_SUBJECTS = (("the", "two", "of", "us"), ("both", "of", "us"), ("all", "of", "us"),
                   ("the", "three", "of", "us"), ("the", "four", "of", "us"),
                   ("each", "of", "us"))  # fmt: skip
_CONDITIONAL = frozenset({"if", "unless", "whether", "before", "until", "till", "lest"})
_EMBEDDED = frozenset({"how", "why", "whether", "where", "who", "whom", "whose", "which"})
_CLAUSE_OPENERS = frozenset(
    {"and", "but", "so", "then", "because", "when", "while", "after", "once", "since", "as",
     "that", "which", "who", "where", "or", "though", "although", "yet", "until", "before",
     "if", "unless", "whether", "how", "why", "what", "whatever", "instead"}
)  # fmt: skip
_SPEECH_VERBS = frozenset(
    {"said", "says", "told", "tells", "mentioned", "claimed", "insisted", "replied",
     "answered", "warned", "admitted", "complained", "explained", "argued", "promised",
     "announced", "emailed", "messaged", "texted", "shouted", "yelled", "felt", "thought",
     "believed", "assumed", "feared", "suspected", "worried"}
)  # fmt: skip
_THIRD_PARTY_SUBJECTS = frozenset({"she", "he", "they", "it", "she'd", "he'd", "they'd"})
_BIOGRAPHY_AFTER = {
    "work": frozenset({"at", "for", "as", "in"}),
    "start": frozenset({"at", "as", "my", "out", "in"}),
    "move": frozenset({"to", "into", "from", "over", "across"}),
    "spend": frozenset(),
}
_PARTICLES = frozenset({"back", "up", "out", "off", "down", "in", "over", "through", "away"})
"""A particle belongs to its verb: "I pushed back", "I set up", "I signed off"."""
_PERIODS = frozenset({"quarter", "year", "month", "week", "day", "sprint", "half", "season"})
_LONG_UNITS = frozenset({"years", "year", "decade", "decades"})
_WEAK_PHRASES = {
    ("was", "involved"): 2,
    ("were", "involved"): 2,
    ("am", "involved"): 2,
    ("got", "involved"): 2,
    ("get", "involved"): 2,
    ("was", "part"): 2,
    ("was", "a", "part"): 3,
    ("were", "part"): 2,
    ("am", "part"): 2,
}
_GOT_CAUSED = frozenset(
    {"everyone", "everybody", "them", "him", "her", "us", "people", "on", "into", "back",
     "together", "out", "in", "up", "ahead", "through", "over", "around", "down"}
)  # fmt: skip
_RECEIVED_AFTER_GOT = frozenset(
    {"a", "an", "some", "no", "lots", "feedback", "approval", "permission", "complaints",
     "the", "that", "this", "it", "promoted", "stuck", "lucky", "married", "hired", "fired",
     "asked", "told", "called", "involved", "more", "fewer", "less", "much", "many", "there",
     "to", "my", "our", "their", "his", "your"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Agency:
    """One clause of the speaker's: "I decided" (strong), "we decided" (shared), "I helped"
    (weak)."""

    phrase: str
    word_index: int
    word_count: int
    start: float | None
    kind: AgencyKind = "strong"

    def to_dict(self) -> AgencyDoc:
        return {
            "phrase": self.phrase,
            "kind": self.kind,
            **location(self),
        }


@dataclass(frozen=True)
class Ownership:
    i_count: int
    we_count: int
    strong: list[Agency] = field(default_factory=list)
    weak: list[Agency] = field(default_factory=list)
    """Shared ("we decided") and weak ("I helped") agency, in speaking order; each item's
    ``kind`` says which."""

    @property
    def shared(self) -> list[Agency]:
        return [a for a in self.weak if a.kind == "shared"]

    @property
    def partial(self) -> list[Agency]:
        """The weak verbs only: "I helped", "I was involved"."""
        return [a for a in self.weak if a.kind == "weak"]

    @property
    def i_we_ratio(self) -> float | None:
        return None if self.we_count == 0 else round(self.i_count / self.we_count, 2)

    def to_dict(self) -> OwnershipDoc:
        return {
            "i_count": self.i_count,
            "we_count": self.we_count,
            "i_we_ratio": self.i_we_ratio,
            "strong": [a.to_dict() for a in self.strong],
            "weak": [a.to_dict() for a in self.weak],
        }


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause whose subject includes the speaker, and what its verb group says."""

    start: int
    """First word of the subject."""
    verb: int
    """The main verb (or the last word read) of the clause."""
    plural: bool
    mood: Mood
    base: str
    """The main verb's base form (best effort), e.g. "run" for "ran"."""

    @property
    def span(self) -> Span:
        return Span(self.start, self.verb - self.start + 1)


def find_ownership(
    source: DocSource,
    fillers: Sequence[Filler] | None = None,
    clauses: Sequence[Clause] | None = None,
) -> Ownership:
    """Pronoun counts and the speaker's strong, shared and weak clauses.

    The "I" of a filler "I mean" is not counted; ``fillers`` and ``clauses`` save finding
    them again.
    """
    doc = Doc.of(source)
    if fillers is None:
        fillers = find_fillers(doc)
    in_filler: set[int] = set()
    for f in fillers:
        in_filler.update(range(f.word_index, f.word_index + f.word_count))
    i_count = we_count = 0
    for n, key in enumerate(doc.keys):
        if n in in_filler:
            continue
        if key in I_FORMS:
            i_count += 1
        elif key in WE_FORMS and not (key == "us" and doc.words[n].text.strip(".,;:!?") == "US"):
            we_count += 1
    strong: list[Agency] = []
    weak: list[Agency] = []
    for clause in clauses if clauses is not None else find_clauses(doc, in_filler):
        if clause.mood == "real":
            kind: AgencyKind = "shared" if clause.plural else "strong"
        elif clause.mood == "weak":
            kind = "shared" if clause.plural else "weak"
        else:
            continue
        span = clause.span
        agency = Agency(doc.text(span), span.index, span.count, doc.start(span.index), kind)
        (strong if kind == "strong" else weak).append(agency)
    return Ownership(i_count, we_count, strong, weak)


# -- clauses -------------------------------------------------------------------------------


def find_clauses(doc: Doc, skip: set[int] | None = None) -> list[Clause]:
    """Every clause with the speaker in its subject, in speaking order."""
    skip = skip or set()
    reported = _reported_speech(doc)
    out: list[Clause] = []
    i = 0
    while i < doc.n:
        if i in skip or doc.quoted[i] or reported[i] or doc.hesitation[i] is not None:
            i += 1
            continue
        subject = _subject_at(doc, i)
        if subject is None:
            i += 1
            continue
        start, after, plural = subject
        clause = _read_verb_group(doc, start, after, plural)
        if clause is not None:
            if (
                _introduced_by(doc, start, _CONDITIONAL)
                or _embedded(doc, start)
                or _inverted(doc, start)
                or _compared(doc, start)
                or _under_a_modal(doc, start)
                or (doc.keys[start] in _TEAM_DETERMINERS and _speaker_is_object(doc, clause))
            ):
                clause = _with_mood(clause, "excluded")
            elif clause.mood in ("real", "weak") and _reflection(doc, start, clause):
                clause = _with_mood(clause, "not_action")
            out.append(clause)
            i = max(after, clause.verb + 1) if clause.verb >= after else after
        else:
            i = after
    return out


def _with_mood(clause: Clause, mood: Mood) -> Clause:
    return Clause(clause.start, clause.verb, clause.plural, mood, clause.base)


_SUBJECT_STARTS = frozenset(
    {*_SINGULAR, *_PLURAL, "me", *_TEAM_DETERMINERS, *(g[0] for g in _GROUP_SUBJECTS)}
)


def _subject_at(doc: Doc, i: int) -> tuple[int, int, bool] | None:
    """(first word, first word after the subject, plural) when a subject starts at ``i``."""
    key = doc.keys[i]
    if key not in _SUBJECT_STARTS:
        return None
    nxt = doc.next_word(i)
    nkey = doc.keys[nxt] if nxt is not None else ""
    if key in _SINGULAR:
        # "My designer and I agreed": a noun phrase and "I" make a shared subject
        if _prev_key(doc, i) == "and":
            np_start = _noun_phrase_before_and(doc, i)
            if np_start is not None:
                return np_start, i + 1, True
        return i, i + 1, False
    if key in _PLURAL:
        return i, i + 1, True
    if key == "me" and nkey == "and" and nxt is not None and _clause_start(doc, i):
        # "Me and my designer went through every ticket"
        verb = _verb_after_noun_phrase(doc, nxt + 1)
        if verb is not None:
            return i, verb, True
        return None
    for group in _GROUP_SUBJECTS:
        if (
            tuple(doc.keys[i : i + len(group)]) == group
            and doc.same_sentence(i, i + len(group) - 1)
            and _clause_start(doc, i)
        ):
            return i, i + len(group), True
    if key in _TEAM_DETERMINERS and nkey in _TEAM_HEADS and nxt == i + 1 and _opens_clause(doc, i):
        after = i + 2
        if doc.key(after) == "and" and doc.key(after + 1) in ("i", "i've", "i'd"):
            return i, after + 2, True  # "my team and I ran"
        return i, after, True
    return None


def _prev_key(doc: Doc, i: int) -> str:
    prev = doc.prev_word(i)
    return doc.keys[prev] if prev is not None else ""


def _opens_clause(doc: Doc, i: int) -> bool:
    """Like :func:`_clause_start`, also after sentence-opening adverbs ("Honestly the team")."""
    if _clause_start(doc, i):
        return True
    j = doc.prev_word(i)
    while j is not None and is_adverb(doc.keys[j]):
        if _clause_start(doc, j):
            return True
        j = doc.prev_word(j)
    return False


def _clause_start(doc: Doc, i: int) -> bool:
    """Word ``i`` opens a sentence or a clause (after a mark or a conjunction)."""
    if doc.set_off_before(i):
        return True
    return _prev_key(doc, i) in _CLAUSE_OPENERS


_NP_STOP = FUNCTION_WORDS - {"the", "my", "our", "their", "his", "her", "of", "a", "an"}
_NP_OPENERS = frozenset(
    {"then", "so", "when", "but", "because", "after", "once", "while", "since", "until",
     "before", "finally", "eventually", "together", "later", "soon", "instead", "that",
     "where", "which"}
)  # fmt: skip


def _noun_phrase_before_and(doc: Doc, i: int) -> int | None:
    """Start of "my designer" in "my designer and I agreed", if the words before "and" are a
    noun phrase that opens its clause — and not the end of another clause or a list ("I
    wrote the memo and I sent it", "from bank statements and email, and I sent…")."""
    and_at = doc.prev_word(i)
    if and_at is None or doc.clause_mark_after(and_at):
        return None
    # "Their PM, Dana, and I met": after a comma the phrase must run back to the sentence
    # start; otherwise ", and I …" opens a new clause ("…, and I sent her a summary")
    comma = doc.clause_mark_after(and_at - 1)
    j = and_at - 1
    words = 0
    while j >= 0 and doc.same_sentence(i, j) and words < 6:
        key = doc.keys[j]
        if doc.hesitation[j] is not None or not key:
            j -= 1
            continue
        if key in _NP_OPENERS and words:
            return None if comma else j + 1
        if ing_base(key) is not None:
            return None
        if key in _NP_STOP or key in MODALS or key in AUXILIARIES_BE:
            return None
        if key in ("i", "we", "you", "they", "he", "she", "it", "me", "us"):
            return None
        if (is_past_form(key) and key not in ("led",)) or key in IRREGULAR_PAST:
            return None
        words += 1
        if doc.opens_sentence(j):
            return j
        j -= 1
    return None


def _verb_after_noun_phrase(doc: Doc, j: int) -> int | None:
    """First verb-looking word within a few words of ``j``: "my designer went"."""
    for k in range(j, min(j + 5, doc.n)):
        if not doc.same_sentence(j, k):
            return None
        key = doc.keys[k]
        if is_past_form(key) or key in IRREGULAR_PAST:
            return k
        if key in FUNCTION_WORDS and key not in ("my", "the", "our", "a", "an"):
            return None
    return None


def _read_verb_group(doc: Doc, start: int, after: int, plural: bool) -> Clause | None:
    """Read the verb group after a subject and classify it; None when there is no verb."""
    subj_key = doc.keys[after - 1]
    if after - 1 == start and subj_key in _FUTURE:
        return Clause(start, start, plural, "modal", "")
    j = _skip_adverbs(doc, after)
    if j is None:
        return None
    key = doc.keys[j]

    def clause(mood: Mood, verb: int, base: str = "") -> Clause:
        return Clause(start, verb, plural, mood, base)

    if key in ("i", "we") or key in _SINGULAR or key in _PLURAL:
        return None  # a restart: "I, um, I noticed"
    if key in NEGATIONS or key in ("almost", "nearly"):
        return clause("negated", j)
    # contracted auxiliaries on the subject itself
    if subj_key in ("i'd", "we'd"):
        if key == "have" or not (is_participle(key) or key in ("been",)):
            return clause("modal", j)  # "I'd decide", "I'd have brought"
        return _main_verb(doc, start, j, plural)
    if subj_key in ("i've", "we've"):
        return _main_verb(doc, start, j, plural)
    if subj_key in ("i'm", "we're"):
        return _progressive(doc, start, j, plural)
    if key in MODALS or key in _FUTURE:
        return clause("modal", j)
    if key in AUXILIARIES_BE:
        return _after_be(doc, start, j, plural)
    if key in ("had", "have", "has"):
        nxt = _skip_adverbs(doc, j + 1)
        nkey = doc.keys[nxt] if nxt is not None else ""
        if nxt is not None and nkey in NEGATIONS:
            return clause("negated", nxt)
        if nkey == "to" or nkey == "got":
            return clause("modal", j)  # "I had to", "we've got to"
        if nxt is not None and (is_participle(nkey) or nkey in IRREGULAR_PARTICIPLES):
            return _main_verb(doc, start, nxt, plural)
        if _causative(doc, j):
            return clause("real", j, "have")  # "I had the app ask for consent"
        return clause("not_action", j, "have")  # possession: "I had a junior PM"
    if key in ("did", "do", "does"):
        nxt = _skip_adverbs(doc, j + 1)
        nkey = doc.keys[nxt] if nxt is not None else ""
        if nkey in NEGATIONS:
            return clause("negated", nxt or j)
        return clause("real", j, "do")  # "what I did was", "I did the analysis"
    if key in ("going", "gonna"):
        return clause("modal", j)
    return _main_verb(doc, start, j, plural)


def _skip_adverbs(doc: Doc, j: int) -> int | None:
    """The first word at or after ``j`` (same sentence) that is not an adverb, a hedge
    ("sort of"), a hesitation or a bare comma token."""
    origin = j - 1
    steps = 0
    while j < doc.n and doc.same_sentence(origin, j) and steps < 6:
        key = doc.keys[j]
        if doc.hesitation[j] is not None or not key:
            j += 1
            continue
        if key in _HEDGE_WORDS and doc.key(j + 1) == "of":
            j += 2
            steps += 1
            continue
        if key in ("kinda", "sorta"):
            j += 1
            continue
        if key in ("never", "not", "almost", "nearly"):
            return j  # "I almost decided to quit": it did not happen
        if is_adverb(key) and key not in ("only", "so", "right"):
            j += 1
            steps += 1
            continue
        if key in ("myself", "ourselves", "all", "both") or (key == "since" and steps == 0):
            j += 1  # "we all agreed", "we've since set up"
            continue
        return j
    return None


def _after_be(doc: Doc, start: int, j: int, plural: bool) -> Clause:
    """ "I was …": progressive, passive, the one who, involved, or a copula."""
    nxt = _skip_adverbs(doc, j + 1)
    nkey = doc.keys[nxt] if nxt is not None else ""
    if nxt is None:
        return Clause(start, j, plural, "not_action", "be")
    if nkey in NEGATIONS:
        return Clause(start, nxt, plural, "negated", "")
    for words, length in _WEAK_PHRASES.items():
        if words[0] == doc.keys[j] and tuple(doc.keys[nxt : nxt + length - 1]) == words[1:]:
            return Clause(start, nxt + length - 2, plural, "weak", "be-involved")
    if nkey in ("going", "about") and doc.key(nxt + 1) == "to":
        return Clause(start, nxt, plural, "modal", "")
    if nkey == "able" and doc.key(nxt + 1) == "to":
        verb = _skip_adverbs(doc, nxt + 2)
        if verb is not None:
            return _main_verb(doc, start, verb, plural)
    # "I was the one who proposed", "I was the person that made the call"
    if nkey == "the" and doc.key(nxt + 1) in ("one", "person", "only", "first"):
        k = nxt + 2
        while k < doc.n and doc.same_sentence(j, k) and k < nxt + 5:
            if doc.keys[k] in ("who", "that"):
                verb = _skip_adverbs(doc, k + 1)
                if verb is not None:
                    inner = _main_verb(doc, start, verb, plural)
                    if inner.mood == "real":
                        return inner
                break
            k += 1
        return Clause(start, j, plural, "not_action", "be")
    if ing_base(nkey, after_be=True) is not None:
        return _progressive(doc, start, nxt, plural)
    if is_participle(nkey):
        return Clause(start, nxt, plural, "not_action", "passive")  # "I was asked to"
    return Clause(start, j, plural, "not_action", "be")


def _progressive(doc: Doc, start: int, j: int, plural: bool) -> Clause:
    key = doc.keys[j]
    if key in NEGATIONS:
        return Clause(start, j, plural, "negated", "")
    if key in ("going", "gonna", "about"):
        return Clause(start, j, plural, "modal", "")
    base = ing_base(key, after_be=True)
    if base is None:
        if key in AUXILIARIES_BE or key in FUNCTION_WORDS or not key.isalpha():
            return Clause(start, j, plural, "not_action", "be")
        return Clause(start, j, plural, "not_action", "be")  # "I'm proud", "we're a team"
    return _classify(doc, start, j, plural, base)


def _main_verb(doc: Doc, start: int, j: int, plural: bool) -> Clause:
    key = doc.keys[j]
    if key in NEGATIONS:
        return Clause(start, j, plural, "negated", "")
    if key in FUNCTION_WORDS or not key[:1].isalpha():
        return Clause(start, j, plural, "not_action", "")
    if key == "been":
        nxt = _skip_adverbs(doc, j + 1)
        nkey = doc.keys[nxt] if nxt is not None else ""
        if nxt is not None and ing_base(nkey) is not None:
            return _progressive(doc, start, nxt, plural)  # "I've been running"
        return Clause(start, j, plural, "not_action", "be")
    base = IRREGULAR_PAST.get(key) or IRREGULAR_PARTICIPLES.get(key) or _base_guess(key)
    return _classify(doc, start, j, plural, base)


def _base_guess(key: str) -> str:
    from voicemock.analysis.lexicon import base_of

    return base_of(key)


def _classify(doc: Doc, start: int, j: int, plural: bool, base: str) -> Clause:
    """The verb at ``j`` (base ``base``): an action, a weak claim, or not an action."""
    key = doc.keys[j]
    nxt = j + 1 if doc.same_sentence(j, j + 1) else None
    nkey = doc.keys[nxt] if nxt is not None else ""

    def mood(m: Mood) -> Clause:
        if m in ("real", "weak") and nkey in ("nothing", "nobody", "none"):
            m = "negated"  # "I had decided nothing"
        verb = j + 1 if m in ("real", "weak") and nkey in _PARTICLES and nxt is not None else j
        return Clause(start, verb, plural, m, base)

    # "I started getting complaints", "I kept following up": the -ing verb decides
    if base in ("start", "begin", "keep", "continue", "stop") and nxt is not None:
        inner = ing_base(nkey)
        if inner is not None and inner != "th":
            inner_clause = _classify(doc, start, nxt, plural, inner)
            if inner_clause.mood != "real":
                return Clause(start, j, plural, inner_clause.mood, base)
            return mood("real")
    ahead = doc.keys[j + 1 : j + 5]
    if base == "try" and "to" in ahead:
        to = j + 1 + ahead.index("to")
        if not any(doc.break_after(k) for k in range(j, to)):
            return mood("weak")  # "I tried to", "I try really hard to"
    if base == "work":
        after = doc.keys[_skip_adverbs(doc, j + 1) or j] if nxt is not None else ""
        if after in ("on", "with", "closely", "alongside"):
            return mood("weak")
        return mood("excluded")  # "I worked at a bank": biography
    if base_in(key, WEAK_BASES) or base in WEAK_BASES:
        return mood("weak")
    if base == "get":
        return mood(_got(doc, j))
    if base == "look" and nkey == "for":
        return mood("not_action")
    if base == "end" and nkey in ("the", "that", "this", "our") and doc.key(j + 2) in _PERIODS:
        return mood("not_action")  # "we ended the quarter at 12.4%"
    if base in _BIOGRAPHY_AFTER and not (plural and base == "move"):
        if base == "spend":
            if _spent_years(doc, j):
                return mood("excluded")
            return mood("real")
        if nkey in _BIOGRAPHY_AFTER[base]:
            if base == "start" and nkey in ("in", "out") and doc.key(j + 2) not in ("my", "as"):
                return mood("real")
            return mood("excluded")
        if base == "start" and nkey == "my" and doc.key(j + 2) in ("career", "job"):
            return mood("excluded")
        return mood("real")
    if base == "sell" and nkey == "out":
        return mood("not_action")
    if base in ("plan", "aim", "intend") and nkey != "to":
        return mood("real")  # "because I plan carefully" (not "I planned to")
    if base == "bet" and nkey == "on":
        return mood("real")  # "I bet on a reorder feature"
    if base == "look" and nkey in ("to", "forward"):
        return mood("not_action")  # "I'm looking to move into strategy"
    if base == "have" and _causative(doc, j):
        return mood("real")  # "I had the app ask those tutors to confirm"
    if base_in(key, NON_ACTION_BASES) or base in NON_ACTION_BASES:
        return mood("not_action")
    if base in ("be", "have"):
        return mood("not_action")
    return mood("real")


_OBJECT_STARTS = frozenset(
    {"the", "my", "our", "a", "an", "each", "every", "him", "her", "them", "everyone",
     "everybody", "both", "all", "their", "his", "its", "those", "these"}
)  # fmt: skip


_CAUSED_OBJECTS = _OBJECT_STARTS | {"it", "us", "me", "that", "this", "up", "out"}


def _causative(doc: Doc, j: int) -> bool:
    """ "I had the app ask for consent", "I had them rerun it": have + someone + a verb."""
    if doc.key(j + 1) not in _OBJECT_STARTS:
        return False
    for k in range(j + 2, min(j + 5, doc.n)):
        if not doc.same_sentence(j, k) or doc.break_after(k - 1):
            return False
        key = doc.keys[k]
        after = doc.key(k + 1)
        if (
            key.isalpha()
            and key not in FUNCTION_WORDS
            and not key.endswith(("s", "ed", "ing", "ly"))
            and after in _CAUSED_OBJECTS
            and not doc.break_after(k)
            and k > j + 2 - (doc.key(j + 1) in ("him", "her", "them", "everyone"))
        ):
            return True
    return False


def _got(doc: Doc, j: int) -> Mood:
    """ "I got everyone in a room", "I got them to agree" (actions), "I got involved" (weak),
    "we got feedback", "I got promoted" (things that happened to the speaker)."""
    nxt = j + 1
    nkey = doc.key(nxt) if doc.same_sentence(j, nxt) else ""
    if nkey == "involved":
        return "weak"
    # a causative: "got <someone> to <verb>", "got <someone> on board"
    for k in range(j + 1, min(j + 8, doc.n)):
        if not doc.same_sentence(j, k) or (k > j + 1 and doc.break_after(k - 1)):
            break
        if doc.keys[k] == "to" and k > j + 1 and doc.key(k + 1) not in ("the", "a", "an", "my"):
            return "real"
    if nkey in _GOT_CAUSED:
        return "real"
    return "not_action"


def _spent_years(doc: Doc, j: int) -> bool:
    """ "I spent six years in consulting" (biography), not "I spent two days watching"."""
    for k in range(j + 1, min(j + 5, doc.n)):
        if not doc.same_sentence(j, k):
            return False
        if doc.keys[k] in _LONG_UNITS or doc.keys[k] in ("career", "life"):
            return True
    return False


def _introduced_by(doc: Doc, start: int, words: frozenset[str]) -> bool:
    """The clause of ``start`` is introduced by one of ``words`` ("if I did it again",
    "before I asked"): looks back to the nearest clause mark or sentence start."""
    j = start - 1
    steps = 0
    while j >= 0 and doc.same_sentence(start, j) and steps < 12:
        if doc.clause_mark_after(j):
            return False
        key = doc.keys[j]
        if key in words:
            return not (key == "before" and _before_is_time(doc, j))
        if key in ("and", "but", "so", "then", "because") and steps > 0:
            return False
        j -= 1
        steps += 1
    return False


def _before_is_time(doc: Doc, j: int) -> bool:
    """ "two weeks before I left" places an event; the clause still happened."""
    prev = doc.key(j - 1)
    return prev in ("weeks", "days", "months", "years", "hours", "minutes", "right", "just")


def _embedded(doc: Doc, start: int) -> bool:
    """An embedded question ("how we paid hosts", "who I'm building for", "which
    assumptions we're making"), not a relative clause set off by a comma ("at Ridewell,
    where I owned pricing")."""
    prev = doc.prev_word(start)
    if prev is None:
        return False
    key = doc.keys[prev]
    if key in _EMBEDDED:
        if doc.set_off_before(prev) and key in ("where", "which", "who", "whom", "whose"):
            return False  # "…, where I owned pricing"
        return not (key == "who" and doc.key(prev - 1) in ("one", "person"))
    # "which assumptions we're making", "what problem we were solving"
    for back in (prev - 1, prev - 2):
        if back < 0 or not doc.same_sentence(back, start):
            return False
        if doc.keys[back] in ("which", "what", "whose", "how"):
            between = doc.keys[back + 1 : start]
            return all(k.isalpha() and k not in FUNCTION_WORDS for k in between) and not (
                doc.set_off_before(back) and doc.keys[back] == "which"
            )
    return False


def _compared(doc: Doc, start: int) -> bool:
    """ "the team knows the code better than I do": a comparison, not an action."""
    prev = doc.prev_word(start)
    return prev is not None and doc.keys[prev] in ("than", "as") and not doc.set_off_before(start)


_SUBORDINATORS = frozenset({"as", "when", "while", "once", "until", "whenever", "after"})
_MODAL_WORDS = frozenset({"would", "will", "could", "should", "i'd", "we'd", "i'll", "we'll"})


def _under_a_modal(doc: Doc, start: int) -> bool:
    """A clause inside a sentence about what the speaker would do: "I'd document everything
    as we go", "Next time I'd flag it when we make the promise", "Then I'd make sure we did a
    retro", "I'd like to say I charmed her"."""
    prev = doc.prev_word(start)
    if prev is None:
        return False
    s = doc.sentences[doc.sentence_of[start]]
    key = doc.keys[prev]
    if key in _SUBORDINATORS:
        return any(k in _MODAL_WORDS for k in doc.keys[s.index : start])
    if key in ("sure", "ensure", "say"):
        governing = doc.keys[max(s.index, prev - 4) : prev]
        return any(k in _MODAL_WORDS or k in ("like", "want") for k in governing)
    return False


_INVERTING = frozenset(
    {"was", "were", "am", "did", "do", "does", "can", "could", "would", "should", "will",
     "have", "had", "has", "may", "might", "shall", "must", "is", "are"}
)  # fmt: skip


def _inverted(doc: Doc, start: int) -> bool:
    """A question with the subject after its auxiliary: "why was I charged twice?", "could
    we roll it back"."""
    prev = doc.prev_word(start)
    return prev is not None and doc.keys[prev] in _INVERTING and not doc.set_off_before(start)


def _speaker_is_object(doc: Doc, clause: Clause) -> bool:
    """ "the team started bringing me problems": a team that acts on the speaker does not
    include the speaker."""
    for k in range(clause.verb + 1, min(clause.verb + 5, doc.n)):
        if not doc.same_sentence(clause.verb, k) or doc.break_after(k - 1):
            return False
        if doc.keys[k] in ("me", "us"):
            return True
    return False


def _reflection(doc: Doc, start: int, clause: Clause) -> bool:
    """ "the thing I carry from it", "what I took away", "the habit I kept": a lesson, not
    an action."""
    if clause.base not in REFLECTION_BASES:
        return False
    prev = doc.prev_word(start)
    if prev is None:
        return False
    head = doc.keys[prev]
    if head in ("that", "which") and prev > 0:
        head = doc.key(prev - 1)
    return head in REFLECTION_HEADS or head in ("lesson", "learning", "learnings")


_PROPOSALS = frozenset(
    {"proposed", "suggested", "recommended", "requested", "demanded", "insisted", "urged",
     "propose", "suggest", "recommend", "asked"}
)  # fmt: skip


def _reported_speech(doc: Doc) -> list[bool]:
    """Words reported as someone else's ("she said we had already agreed" -> "we had…"), and
    what was proposed rather than done ("I proposed that we keep the check")."""
    flags = [False] * doc.n
    for j in range(1, doc.n):
        if doc.keys[j] in _PROPOSALS and (
            doc.key(j + 1) == "that"
            or (doc.key(j + 1) in ("we", "they", "the") and doc.keys[j] != "asked")
        ):
            k = j + 2 if doc.key(j + 1) == "that" else j + 1
            while k < doc.n and doc.same_sentence(j, k) and not doc.break_after(k - 1):
                flags[k] = True
                k += 1
            continue
        if doc.keys[j] not in _SPEECH_VERBS:
            continue
        subject = doc.prev_word(j)
        while subject is not None and is_adverb(doc.keys[subject]):
            subject = doc.prev_word(subject)
        if subject is None:
            continue
        skey = doc.keys[subject]
        if skey in ("i", "we", "i'd", "we'd", "me", "us") or skey in FUNCTION_WORDS - {
            "she",
            "he",
            "they",
            "it",
        }:
            continue
        if skey not in _THIRD_PARTY_SUBJECTS and not skey.isalpha():
            continue
        k = j + 1
        # "told us/me/her", "said that"
        if doc.key(k) in ("us", "me", "him", "her", "them", "everyone", "the", "our", "my"):
            k += 1
            if doc.keys[k - 1] in ("the", "our", "my"):
                k += 1
        if doc.key(k) == "that":
            k += 1
        while k < doc.n and doc.same_sentence(j, k):
            if doc.clause_mark_after(k - 1) and doc.key(k) in ("and", "but", "so", "then"):
                break
            flags[k] = True
            k += 1
    return flags


__all__ = [
    "I_FORMS",
    "STRONG_VERBS",
    "WEAK_VERBS",
    "WE_FORMS",
    "Agency",
    "Clause",
    "Ownership",
    "find_clauses",
    "find_ownership",
]
