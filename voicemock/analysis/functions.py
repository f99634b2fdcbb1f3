"""What a sentence does in a story: states an outcome, or draws a lesson.

A **result** is an actual outcome of what the speaker or the team did: a launch, a metric
that moved, a decision others took, a customer's reaction, a failure. It often has no cue
word ("The new flow went live in May and complaints stayed below two a week"), so an
outcome is recognised from the sentence itself: a movement with a number, or a past-tense
outcome predicate ("went live", "renewed", "stopped", "disappeared", "paid off", "went
from…") said after the story's first action, and not a prediction, a plan or a hope.

A **lesson** is a reflection drawn from the experience, phrased any way: what the speaker
learned, would do differently, now does, or carries from it ("What stuck with me is…", "the
thing I carry from it", "Next time I'd…", "Since then I always…", "It made me much more
careful about…", "Now every launch checklist has…"). A self-assessment ("it shows that I
really care"), a statement of taste, or a fact found during the work is not a lesson.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from voicemock.analysis.document import AnswerStyle
from voicemock.analysis.lexicon import is_past_form
from voicemock.analysis.metrics import Metric
from voicemock.analysis.ownership import Clause
from voicemock.analysis.text import Doc

_LESSON = re.compile(
    r"\b(?:"
    # learning, said any way
    r"(?:i|we|the team|i've|we've) (?:\w+ )?(?:learned|learnt|relearned|relearn|realised|"
    r"realized)\b(?! (?:about|of|from) (?:the|a|an) (?:problem|bug|issue|outage|change))"
    r"|i've (?:since )?learned|i (?:now )?know now|taught (?:me|us|our)|teaches me"
    r"|(?:it|that|this|which) (?:really )?made (?:me|us) (?:\w+ )?(?:more|less|better|rethink|"
    r"realise|realize|value|question|think)"
    r"|(?:reminded|showed|convinced|taught) (?:me|us) (?:that|how|to|again)"
    r"|(?:came|walked) away (?:with|convinced|believing|thinking|knowing)"
    r"|left me (?:with|convinced|believing|thinking)"
    r"|changed (?:how|the way) (?:i|we)"
    # lesson words
    r"|(?:my|the|a|one|biggest|big|main|key|real) (?:\w+ )?(?:lesson|lessons|takeaway|"
    r"takeaways|learning|learnings)\b(?! (?:plan|time|slot|booking|request|package|price))"
    r"(?<!first lesson)(?<!second lesson)(?<!a lesson)(?<!next lesson)"
    r"|lesson (?:for me|i|here|was|is)"
    r"|(?:the|one|a) (?:\w+ )?habit (?:i|i've|we)"
    # carrying it forward
    r"|(?:stuck|stays|stayed|sticks) with me|(?:the|one|a) (?:\w+ )?(?:thing|part|idea|rule) "
    r"(?:i|that i|i'd|i'll) (?:carry|keep|kept|hold|took|take|learned|'ve kept|"
    r"keep coming back to|still)\b"
    r"|what i (?:carry|took away|take away|took from|take from|keep|kept|learned|realised|"
    r"realized|hold on to|'ve kept)"
    r"|what (?:it|that|this) taught"
    # looking back, doing it differently
    r"|looking back|in hindsight|in retrospect|with hindsight|if i (?:did|had to do|were to do|"
    r"could do|were doing) (?:it|this|that) (?:again|over)|next time,? (?:i|we)\b|next time$"
    r"|do (?:it|things|this|that)? ?differently\b|the (?:thing|part|one thing) i'?d "
    r"(?:do|change|repeat|keep|tell|pass)\b|what i'?d (?:do|change|repeat|keep|tell|pass)\b"
    r"|i (?:should|could|would) have\b|we should have\b"
    r"|i'd have (?:\w+ed|brought|done|told|gone|taken)"
    r"|(?:i'?d|i would) (?:\w+ )?(?:do|respond|handle|approach) (?:it |this |that )?the same way"
    r"|(?:i|we)'ve [\w ]+ since$"
    r"|i (?:wish|regret)\b"
    # now, since then
    r"|since then|ever since|from then on|these days|to this day|going forward"
    r"|now (?:i|we) (?:\w+ )?(?:always|never|start|make|ask|check|test|write|try|bring|insist|"
    r"spend|run|do|begin|put|keep|use|look|plan|build|share|send)"
    r"|(?:i|we) now (?:always |never |usually )?(?:start|make|ask|check|test|write|try|bring|"
    r"insist|spend|run|do|begin|put|keep|use|look|plan|build|share|send|treat|think|involve|"
    r"include|set|budget|schedule|review|pilot|prototype|talk|call|measure|track)\b"
    r"|now (?:every|each|our|my|all) \w+"
    r"|i (?:still|always) (?:spend|do|ask|check|use|write|run|keep|start|bring|try|make|test)"
    r"|i've (?:always|since) (?:\w+ed|started|begun|kept|made|brought|run)"
    # answering the question from the story told
    r"|(?:so|and) (?:my|the) answer (?:is|would be)|to answer (?:the|your) question"
    r"|i'?d pass on|tell my (?:younger|earlier) self"
    r"|the (?:fastest|best|only|easiest|cheapest) way (?:to|for me to|for a) [^.]* is"
    r")",
)
_LEARNED = re.compile(r"\b(?:learned|learnt|lesson|lessons|taught|takeaway)\b")
_NOT_LESSON = re.compile(
    r"\b(?:(?:it|this|that) (?:shows|showed|proves) (?:that )?(?:i|my|how)|a (?:good|great) "
    r"example of|that's (?:the|my) story|the part i'?d highlight|i'm (?:most )?proud|"
    r"proudest|was a (?:success|win)|what i learned about (?:the|our) (?:customers|problem))\b"
)
_MODAL_OUTCOME = re.compile(
    r"\b(?:would|could|should|might|may|will|won't)\b"
    r"|\b(?:(?:i|we|it|they|she|he)'d (?!\w+ed\b|been\b|done\b|made\b|had\b|gone\b|"
    r"taken\b|seen\b|known\b|built\b|sent\b|told\b|found\b|lost\b|say\b|guess\b)"
    r"|expect(?:ed)? (?:to|that|it)|hope[sd]? (?:to|that)|hoping|plan(?:ned)? to"
    r"|predict|predicted|projected|if|going to|aim(?:ed)? to|want(?:ed)? to|next step)\b"
)
_OUTCOME = re.compile(
    r"\b(?:went live|go live|launched|shipped|rolled (?:it |them )?out|renewed|signed|closed|"
    r"passed|approved|agreed|stopped|disappeared|went away|went through|went (?:pretty |really "
    r"|very )?well|paid off|(?:it|that|this|which) (?:really )?worked|worked (?:out|well)|"
    r"held up|stayed|recovered|dropped|fell|rose|grew|"
    r"improved|increased|decreased|doubled|tripled|halved|reached|hit|beat|exceeded|matched|"
    r"saved|came (?:back|down|up|in)|went (?:up|down|from|to|back)|got (?:better|worse|"
    r"through|an|a|shorter|faster|cleared|promoted|fixed|approved)|promoted|changed|became|"
    r"started (?:using|asking|bringing|coming|sending|paying|booking)|left (?:a|us)|asked "
    r"(?:us|me|her|him|every|for the)|(?:was|were) (?:really |so |very )?(?:happy|thrilled|"
    r"delighted|relieved|pleased|proud|a (?:success|hit|win))|won|converted|adopted|migrated|"
    r"cleared|finished|completed|delivered|expanded|succeeded|failed|flopped|backfired|"
    r"churned|cancelled|canceled|left (?:a|us|for a competitor)|complained|use it now|"
    r"uses it now|now (?:use|uses|"
    r"publish|see|get|take|has|have|covers|brings)|dipped|spiked|peaked|fell off|ended up|"
    r"turned out|resulted|led to|made it|nobody|no one|didn't (?:go up|lose|move|change|work|"
    r"go anywhere)|went nowhere|fell through|never (?:came back|happened)|is now|are now|"
    r"did (?:launch|ship|roll|go|work|agree|approve|sign|renew|adopt|improve)|not a single|"
    r"(?:had|got|received) (?:some |a few |no |many |fewer |more )?complaints|"
    r"(?:used|adopted|loved|bought|liked) (?:it|them|the (?:feature|product|flow|tool))|"
    r"as a result|the (?:result|outcome|impact) (?:was|is)|in the end|ultimately|"
    r"drove|brought in|generated|accounted for|made up|arrived|lost (?:about |roughly |around "
    r"|only |just |i think |under |over )?(?:\d|a |an |one|two|three|four|five|ten|half)|"
    r"met (?:the|our|its|every) "
    r"(?:promise|target|goal|deadline|date|sla|commitment)|"
    r"went out|(?:had )?gone (?:back|down|up)|(?:didn't|did not) (?:drop|fall|rise|increase|"
    r"go down|go up|move|change)|started \w+ing|(?:was|were|got|had been) (?:\w+ )?"
    r"(?:retired|adopted|cleared|resolved|fixed|approved|reduced|shipped|launched|rolled|removed|closed|"
    r"renewed|restored|saved|cancelled|migrated|refunded|paid|sold|promoted|accepted|"
    r"rolled out|deprecated|turned off|shut down)|(?:was|were|is|are) (?:now |still |only "
    r"|already )?(?:under|below|over|above|down|up|back) (?:to )?(?:about |around |roughly )?"
    r"(?:\d|a |an |one|two|three|four|five|six|seven|eight|nine|ten|twenty|half))\b"
)
_WHICH_OUTCOME = re.compile(
    r"\b(?:which|that) (?:\w+ )?(?:stopped|cut|fixed|saved|reduced|brought|dropped|halved|"
    r"doubled|ended|cleared|resolved|lifted|raised|improved)\b"
)
"""An outcome told in a relative clause: "…, which stopped the bad prices within minutes"."""
_LATER_STATE = re.compile(
    r"^(?:(?:and|so|then|but) )?(?:by (?:the end of )?(?:\w+ )?(?:\w+)|within (?:a |an |\w+ )"
    r"\w+|after (?:a |an |\w+ )\w+|(?:a|an|\w+) (?:\w+ )?(?:later|after that)|over the "
    r"(?:next|following) )"
)
"""A sentence that opens by moving time on: "By March we had…", "Within a quarter, …"."""
_FINDING = re.compile(
    r"^(?:.* )?(?:i|we) (?:\w+ )?(?:found|noticed|saw|discovered|realised|realized|learned) "
    r"(?:out )?(?:that|a|the)\b"
)


_SPOKEN_FILLERS = re.compile(r"\b(?:you know|i mean|like|basically|literally|um|uh)\b ?")
_HEDGED = re.compile(r"\b(?:i'?d say|i'?d guess|i want to say|i would say|i think)\b")
_I_ACTS = re.compile(
    r"^(?:(?:and|so|then|but) )?(?:(?:\w+ly|then|later|soon|also|finally|now) )?i (?!think|guess)"
)
_PAST_CHANGE = re.compile(
    r"(?<!would )(?<!could )(?<!should )(?<!might )(?<!will )(?<!to )"
    r"\b(?:fell|rose|grew|dropped|went|improved|increased|decreased|reduced|doubled|"
    r"halved|came|climbed|jumped)\b"
)


@dataclass(frozen=True, slots=True)
class SentenceFunctions:
    """Per sentence: does it state an outcome, does it draw a lesson."""

    outcome: tuple[bool, ...]
    lesson: tuple[bool, ...]


def sentence_text(doc: Doc, s: int) -> str:
    """The sentence as normalised keys, hesitations and fillers like "you know" removed."""
    span = doc.sentences[s]
    keys = [
        "may_month"
        if doc.keys[j] == "may" and doc.words[j].text.strip()[:1] == "M" and j != span.index
        else doc.keys[j]
        for j in range(span.index, span.stop)
        if doc.hesitation[j] is None and doc.keys[j]
    ]
    text = " ".join(keys)
    return _SPOKEN_FILLERS.sub("", text)


def find_functions(
    doc: Doc,
    metrics: Sequence[Metric],
    clauses: Sequence[Clause],
    style: AnswerStyle,
) -> SentenceFunctions:
    n = len(doc.sentences)
    outcome = [False] * n
    lesson = [False] * n
    if n == 0:
        return SentenceFunctions(tuple(outcome), tuple(lesson))
    total = max(1, doc.n)
    first_action = _first_action(doc, clauses)
    changes = {doc.sentence_of[m.word_index] for m in metrics if m.kind == "change"}
    numbers = {doc.sentence_of[m.word_index] for m in metrics}
    for s, span in enumerate(doc.sentences):
        text = sentence_text(doc, s)
        where = (span.index + span.count / 2) / total
        last = s >= n - 2
        if style != "hypothetical" and _is_lesson(text, where, last, style):
            lesson[s] = True
            continue
        if style in ("product", "hypothetical"):
            # no story here, but evidence from a past build is an outcome
            outcome[s] = s in changes and _past_change(text)
            continue
        after_action = first_action is not None and s > first_action
        if style == "introduction":
            after_action = where > 0.25
        if not after_action or _FINDING.match(text) or text.endswith("?"):
            continue
        if _MODAL_OUTCOME.search(_unhedged(text)) and not (s in changes and _past_change(text)):
            continue
        if (
            s in changes
            or any(_outcome_in(part) for part in _clauses(text))
            or _WHICH_OUTCOME.search(text)
            or (s in numbers and _LATER_STATE.match(text))
        ):
            outcome[s] = True
    return SentenceFunctions(tuple(outcome), tuple(lesson))


_LEARNED_FACT = re.compile(r"\b(?:learned|learnt|found out|realised|realized) (?:that )?(.*)")
_GENERAL = re.compile(
    r"\b(?:is|are|isn't|aren't|can|can't|need|needs|tend|tends|works|matters|beats|means|"
    r"don't|doesn't|always|never|should|has to|have to|must|usually|often|every|any|anything|"
    r"nothing|everyone|people|you|your|to)\b"
)


def _learned_a_fact(text: str) -> bool:
    """ "we learned that config changes skipped the canary stage": a finding told in the
    past, not a lesson (which is said as a general truth: "averages can hide a pattern")."""
    m = _LEARNED_FACT.search(text)
    if m is None or " a lot" in text or "learned to" in text:
        return False
    rest = m.group(1)
    if not rest or _GENERAL.search(rest):
        return False
    return any(is_past_form(w) for w in rest.split())  # "…skipped the canary stage"


def _is_lesson(text: str, where: float, last: bool, style: AnswerStyle) -> bool:
    if not _LESSON.search(text) or _learned_a_fact(text):
        return False
    if _NOT_LESSON.search(text) and not _LEARNED.search(text):
        return False
    if style == "introduction":
        return last and bool(_LEARNED.search(text))
    return where >= 0.45 or last


def _unhedged(text: str) -> str:
    """Without "I'd say", "I'd guess", "I want to say", "I think": hedges, not predictions."""
    return _HEDGED.sub("", text)


def _past_change(text: str) -> bool:
    """ "signups fell by 20%, which is what we'd hoped": the movement itself happened."""
    return bool(_PAST_CHANGE.search(text))


def _not_action(text: str) -> bool:
    """An outcome predicate whose subject is not the speaker acting: "the refund went
    through", "they renewed", "we shipped on time" — not "I launched the test"."""
    return not _I_ACTS.match(text)


_ROLE_VERBS = frozenset(
    {"own", "lead", "manage", "oversee", "head", "join", "be", "report", "work", "start"}
)


_NOT_A_VERB = re.compile(r"\b(?:a|an|the|our|my|their|its|his|her|this|that|who) $")


def _outcome_in(part: str) -> bool:
    """An outcome predicate in this clause, not said by the speaker acting ("eventually I
    started doing product"), a verb, not an adjective ("a saved card option"), and not a
    description of people ("guests who stayed over a weekday")."""
    if not _not_action(part):
        return False
    return any(not _NOT_A_VERB.search(part[: m.start()]) for m in _OUTCOME.finditer(part))


_CLAUSE_SPLIT = re.compile(r"\b(?:and|but|so|while) (?=(?!i\b)\w)")


def _clauses(text: str) -> list[str]:
    """The sentence and its coordinated clauses: "I called each clinic and only one of the
    150 dropped out" -> [..., "only one of the 150 dropped out"]."""
    return [text, *(p for p in _CLAUSE_SPLIT.split(text)[1:] if p)]


def _first_action(doc: Doc, clauses: Sequence[Clause]) -> int | None:
    """The first sentence where the speaker (or the team) acts — not where they say what
    they owned or led ("At Cartly I owned the checkout" sets the scene)."""
    for c in clauses:
        if c.mood in ("real", "weak") and c.base not in _ROLE_VERBS:
            return doc.sentence_of[c.start]
    return None


__all__ = ["SentenceFunctions", "find_functions", "sentence_text"]
