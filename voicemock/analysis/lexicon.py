"""Word classes the clause rules need: verb forms, verbs that are not actions, adverbs.

These are closed grammatical classes (auxiliaries, modals, negations, irregular verb forms)
and small semantic classes (verbs of thinking, perceiving or receiving, which describe what
happened *to* or *in* the speaker rather than what they did). Open classes are left open:
any other word where a verb stands after "I" is taken as a verb, so "I phoned", "I broke",
"I sketched" need no list.
"""

from __future__ import annotations

from functools import lru_cache

IRREGULAR_PAST: dict[str, str] = {
    "arose": "arise", "ate": "eat", "awoke": "awake", "bore": "bear", "beat": "beat",
    "became": "become", "began": "begin", "bent": "bend", "bet": "bet", "bid": "bid",
    "bit": "bite", "bled": "bleed", "blew": "blow", "broke": "break", "bred": "breed",
    "brought": "bring", "built": "build", "burnt": "burn", "bought": "buy", "caught": "catch",
    "chose": "choose", "clung": "cling", "came": "come", "cost": "cost", "crept": "creep",
    "cut": "cut", "dealt": "deal", "dug": "dig", "did": "do", "drew": "draw", "dreamt": "dream",
    "drank": "drink", "drove": "drive", "fell": "fall", "fed": "feed", "felt": "feel",
    "fought": "fight", "found": "find", "fled": "flee", "flew": "fly", "forbade": "forbid",
    "forgot": "forget", "forgave": "forgive", "froze": "freeze", "got": "get", "gave": "give",
    "went": "go", "grew": "grow", "hung": "hang", "had": "have", "heard": "hear", "hid": "hide",
    "hit": "hit", "held": "hold", "hurt": "hurt", "kept": "keep", "knelt": "kneel",
    "knew": "know", "laid": "lay", "led": "lead", "leapt": "leap", "learnt": "learn",
    "left": "leave", "lent": "lend", "let": "let", "lay": "lie", "lit": "light", "lost": "lose",
    "made": "make", "meant": "mean", "met": "meet", "paid": "pay", "put": "put", "quit": "quit",
    "read": "read", "rode": "ride", "rang": "ring", "rose": "rise", "ran": "run", "said": "say",
    "saw": "see", "sought": "seek", "sold": "sell", "sent": "send", "set": "set",
    "shook": "shake", "shed": "shed", "shone": "shine", "shot": "shoot", "showed": "show",
    "shrank": "shrink", "shut": "shut", "sang": "sing", "sank": "sink", "sat": "sit",
    "slept": "sleep", "slid": "slide", "spoke": "speak", "sped": "speed", "spent": "spend",
    "split": "split", "spread": "spread", "sprang": "spring", "stood": "stand",
    "stole": "steal", "stuck": "stick", "struck": "strike", "swore": "swear", "swept": "sweep",
    "swam": "swim", "swung": "swing", "took": "take", "taught": "teach", "tore": "tear",
    "told": "tell", "thought": "think", "threw": "throw", "understood": "understand",
    "woke": "wake", "wore": "wear", "won": "win", "wound": "wind", "withdrew": "withdraw",
    "wrote": "write", "overcame": "overcome", "oversaw": "oversee", "undertook": "undertake",
    "rewrote": "rewrite", "rebuilt": "rebuild", "rethought": "rethink", "redid": "redo",
    "reran": "rerun", "upheld": "uphold", "withheld": "withhold", "foresaw": "foresee",
    "misread": "misread", "mislead": "mislead", "misled": "mislead", "outgrew": "outgrow",
}  # fmt: skip
"""Irregular simple-past forms and their base."""

IRREGULAR_PARTICIPLES: dict[str, str] = {
    "arisen": "arise", "eaten": "eat", "been": "be", "begun": "begin", "bitten": "bite",
    "blown": "blow", "broken": "break", "chosen": "choose", "done": "do", "drawn": "draw",
    "drunk": "drink", "driven": "drive", "fallen": "fall", "flown": "fly",
    "forgotten": "forget", "forgiven": "forgive", "frozen": "freeze", "gotten": "get",
    "given": "give", "gone": "go", "grown": "grow", "hidden": "hide", "known": "know",
    "lain": "lie", "ridden": "ride", "rung": "ring", "risen": "rise", "seen": "see",
    "shaken": "shake", "shown": "show", "shrunk": "shrink", "sung": "sing", "sunk": "sink",
    "spoken": "speak", "sprung": "spring", "stolen": "steal", "sworn": "swear",
    "swum": "swim", "taken": "take", "thrown": "throw", "torn": "tear", "woken": "wake",
    "worn": "wear", "written": "write", "withdrawn": "withdraw", "overseen": "oversee",
    "undertaken": "undertake", "rewritten": "rewrite", "redone": "redo", "foreseen": "foresee",
}  # fmt: skip
"""Irregular past participles that differ from the simple past, and their base."""

AMBIGUOUS_BASE = frozenset(
    {"run", "set", "put", "cut", "let", "hit", "shut", "read", "come", "become", "quit",
     "split", "spread", "bet", "cost", "hurt"}
)  # fmt: skip
"""Forms that are both the base and the participle: after "I'd" they read as *would*."""

AUXILIARIES_BE = frozenset({"am", "was", "were", "is", "are", "be", "been", "being"})
MODALS = frozenset(
    {"would", "could", "should", "might", "may", "will", "can", "must", "shall", "wo", "ca",
     "gonna", "wanna", "'d", "ought"}
)  # fmt: skip
NEGATIONS = frozenset(
    {"not", "never", "didn't", "don't", "doesn't", "wasn't", "weren't", "haven't", "hadn't",
     "hasn't", "can't", "cannot", "couldn't", "won't", "wouldn't", "shouldn't", "isn't",
     "aren't", "mustn't", "no", "neither", "nor", "hardly", "barely", "ain't", "didnt", "dont",
     "wasnt", "nothing"}
)  # fmt: skip

NON_ACTION_BASES = frozenset(
    {
        # being, having, becoming, seeming
        "be", "have", "become", "seem", "appear", "remain", "stay", "belong", "own-up",
        # thinking, knowing, believing, wanting, feeling, liking
        "think", "know", "believe", "want", "need", "hope", "wish", "feel", "like", "love",
        "hate", "prefer", "enjoy", "care", "worry", "mind", "doubt", "trust", "suppose",
        "guess", "assume", "expect", "wonder", "mean", "understand", "remember", "forget",
        "imagine", "bet", "fear", "suspect", "reckon", "lean", "figure-out", "intend",
        "plan", "aim", "struggle", "tend", "deserve", "appreciate", "admire", "respect",
        "agree-with", "disagree", "bother", "relate", "recall", "regret", "miss",
        # perceiving and discovering
        "see", "notice", "realise", "realize", "find", "discover", "hear", "learn", "sense",
        "spot", "observe", "watch-out", "recognise", "recognize", "note",
        # things that happen to the subject
        "receive", "lose", "inherit", "get", "suffer", "face", "undergo", "experience",
        "hit-a", "encounter", "sell-out", "fail", "win-an", "earn-a", "fall",
        # biography
        "join", "graduate", "study", "major", "live", "grow-up", "relocate", "leave",
        # seeking
        "look-for", "seek",
    }
)  # fmt: skip
"""Verbs (base form) that are not actions the speaker took."""

WEAK_BASES = frozenset(
    {"help", "support", "assist", "contribute", "participate", "facilitate", "collaborate"}
)
"""Verbs that claim a part without saying what it was ("I helped", "I supported")."""

REFLECTION_BASES = frozenset({"carry", "take", "keep", "hold", "learn", "draw", "bring", "get"})
"""Verbs used figuratively for a lesson: "the thing I carry", "what I took away"."""
REFLECTION_HEADS = frozenset(
    {"thing", "things", "lesson", "lessons", "habit", "habits", "what", "part", "takeaway",
     "idea", "principle", "rule", "point", "message", "one"}
)  # fmt: skip

ADVERBS = frozenset(
    {
        "then", "also", "myself", "ourselves", "just", "still", "actually", "first", "instead",
        "alone", "again", "later", "soon", "already", "basically", "eventually", "ultimately",
        "finally", "quickly", "immediately", "personally", "really", "therefore", "together",
        "originally", "initially", "now", "always", "usually", "often", "sometimes",
        "generally", "typically", "normally", "literally", "honestly", "even", "all", "both",
        "each", "quietly", "directly", "simply", "only", "once", "twice", "next",
        "deliberately", "carefully", "properly", "manually", "essentially",
        "mostly", "partly", "fully", "specifically", "individually", "independently", "jointly",
        "rather", "somehow", "probably", "maybe", "then,", "thus", "hence", "so", "right",
        "nearly", "almost", "barely", "hardly", "fairly", "pretty", "quite", "very",
        "reluctantly", "gradually", "slowly", "formally", "informally", "publicly", "privately",
        "officially", "temporarily", "permanently", "proactively", "happily", "gladly",
    }
)  # fmt: skip
"""Words that can stand between a subject and its verb ("I personally phoned")."""
NOT_ADVERBS = frozenset(
    {"family", "reply", "supply", "apply", "early", "ugly", "italy", "july", "ally", "rally",
     "fly", "only-", "assembly", "belly", "bully", "holy", "jelly", "lily", "silly", "daily",
     "weekly", "monthly", "yearly", "quarterly", "hourly", "likely", "friendly", "costly",
     "lonely", "lovely", "elderly", "timely", "curly", "anomaly", "rely"}
)  # fmt: skip

FUNCTION_WORDS = frozenset(
    {
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and",
        "or", "but", "so", "that", "this", "these", "those", "it", "we", "i", "you", "they",
        "he", "she", "is", "was", "were", "are", "be", "been", "had", "has", "have", "did",
        "do", "does", "more", "less", "per", "each", "every", "than", "as", "if", "when", "then",
        "out", "up", "down", "over", "into", "ago", "before", "after", "which", "who", "what",
        "where", "why", "how", "whether", "my", "our", "their", "your", "his", "her", "its",
        "there", "here", "because", "since", "until", "while", "about", "around", "like",
        "me", "us", "them", "him", "not", "no", "all", "any", "some", "both", "either",
        "neither", "nor", "without", "within", "through", "across", "between", "among",
        "against", "during", "under", "onto", "upon", "off", "via", "also", "too", "very",
    }
)  # fmt: skip

SUBJECT_PRONOUNS = frozenset(
    {"i", "we", "you", "they", "he", "she", "it", "i'm", "we're", "you're", "they're", "he's",
     "she's", "it's", "i've", "we've", "they've", "i'd", "we'd", "they'd", "he'd", "she'd",
     "i'll", "we'll", "they'll", "there", "that's", "there's"}
)  # fmt: skip


@lru_cache(maxsize=8192)
def past_base(key: str) -> str | None:
    """The base of a simple-past or participle form: "phoned" -> "phone", "ran" -> "run"."""
    if key in IRREGULAR_PAST:
        return IRREGULAR_PAST[key]
    if key in IRREGULAR_PARTICIPLES:
        return IRREGULAR_PARTICIPLES[key]
    if len(key) > 3 and key.endswith("ed") and key.isalpha():
        stem = key[:-2]
        if key.endswith("ied"):
            return key[:-3] + "y"
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            return stem[:-1]  # "stopped" -> "stop"
        if stem.endswith(("at", "iz", "is", "ov", "ag", "ur", "rg", "lv", "ng", "ic", "ut")):
            return stem + "e"  # "created" -> "create", "realized" -> "realize"
        return stem
    return None


def is_past_form(key: str) -> bool:
    """A simple-past or participle form: "phoned", "ran", "written"."""
    return past_base(key) is not None


_HAS_OWN_PARTICIPLE = frozenset(IRREGULAR_PARTICIPLES.values())
PAST_ONLY = frozenset(
    {form for form, base in IRREGULAR_PAST.items() if base in _HAS_OWN_PARTICIPLE}
    | {"did", "went", "ran", "came", "became", "lay", "overcame", "redid", "reran"}
)
"""Simple-past forms that are not participles: "took" (taken), "wrote" (written)."""

ING_NOT_VERBS = frozenset(
    {
        "thing", "things", "something", "anything", "nothing", "everything", "morning",
        "evening", "during", "spring", "string", "ceiling", "king", "ring", "wedding",
        "sibling", "darling", "amazing", "interesting", "exciting", "confusing",
        "frustrating", "challenging", "surprising", "disappointing", "encouraging",
        "missing", "outstanding", "overwhelming", "demanding", "promising", "boring",
        "annoying", "worrying", "concerning", "rewarding", "compelling", "convincing",
        "misleading", "humbling", "tiring", "exhausting", "existing", "competing", "willing",
        "pending", "ongoing", "engaging", "depressing", "embarrassing", "fascinating",
        "terrifying", "stunning", "shocking", "alarming", "striking", "thrilling",
        "satisfying", "refreshing", "loving", "caring", "charming", "daunting", "pressing",
        "lacking", "fitting", "appealing", "trending", "upcoming", "outgoing",
        "incoming", "remaining", "underlying", "sling", "bling",
    }
)  # fmt: skip
"""-ing words that are nouns or adjectives, not a progressive verb: "the team was amazing"."""
ING_NOUNS = frozenset(
    {
        "accounting", "marketing", "engineering", "pricing", "billing", "onboarding",
        "shipping", "housing", "funding", "hiring", "building", "meeting", "training",
        "planning", "booking", "listing", "setting", "offering", "earning", "earnings",
        "saving", "savings", "ranking", "routing", "scheduling", "messaging", "staffing",
        "tooling", "testing", "reporting", "landing", "clothing", "dining", "parking",
        "banking", "lending", "streaming", "leading",
    }
)  # fmt: skip
"""-ing words that are usually nouns ("the pricing lead"), though verbs after "was"."""


@lru_cache(maxsize=8192)
def is_participle(key: str) -> bool:
    """A past participle: "decided", "written", "done" (not "run"/"set", which read as base)."""
    if key in AMBIGUOUS_BASE:
        return False
    if key in IRREGULAR_PARTICIPLES:
        return True
    if key in IRREGULAR_PAST:
        return key not in PAST_ONLY
    return len(key) > 3 and key.endswith("ed") and key.isalpha()


@lru_cache(maxsize=8192)
def ing_base(key: str, *, after_be: bool = False) -> str | None:
    """The base of an -ing verb: "running" -> "run". Nouns like "pricing" are not verbs,
    except ``after_be`` ("we were building")."""
    if len(key) <= 4 or not key.endswith("ing") or not key.isalpha() or key in ING_NOT_VERBS:
        return None
    if key in ING_NOUNS and not after_be:
        return None
    stem = key[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    return stem


@lru_cache(maxsize=8192)
def base_of(key: str) -> str:
    """Best-effort base form of a verb: past, participle, -ing, third person, else itself."""
    past = past_base(key)
    if past is not None:
        return past
    ing = ing_base(key)
    if ing is not None:
        return ing
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    if key.endswith(("ches", "shes", "sses", "xes")):
        return key[:-2]
    if key.endswith("s") and not key.endswith("ss") and len(key) > 3:
        return key[:-1]
    return key


@lru_cache(maxsize=16384)
def base_in(key: str, bases: frozenset[str]) -> bool:
    """``key`` is a form of a verb in ``bases`` (tries the few spellings a base can have)."""
    if key in bases:
        return True
    base = base_of(key)
    if base in bases:
        return True
    # "realised" -> "realis"; "noticed" -> "notic": try with a final e, or without one
    return (base + "e") in bases or (base.endswith("e") and base[:-1] in bases)


@lru_cache(maxsize=8192)
def is_adverb(key: str) -> bool:
    """A word that can stand between subject and verb: "personally", "then", "also"."""
    if key in NOT_ADVERBS:
        return False
    return key in ADVERBS or (len(key) > 4 and key.endswith("ly") and key.isalpha())


__all__ = [
    "ADVERBS",
    "AMBIGUOUS_BASE",
    "AUXILIARIES_BE",
    "FUNCTION_WORDS",
    "ING_NOT_VERBS",
    "ING_NOUNS",
    "IRREGULAR_PARTICIPLES",
    "IRREGULAR_PAST",
    "MODALS",
    "NEGATIONS",
    "NON_ACTION_BASES",
    "PAST_ONLY",
    "REFLECTION_BASES",
    "REFLECTION_HEADS",
    "SUBJECT_PRONOUNS",
    "WEAK_BASES",
    "base_in",
    "base_of",
    "ing_base",
    "is_adverb",
    "is_participle",
    "is_past_form",
    "past_base",
]
