"""Labelled mock loops for the scorecard's acceptance test: each loop is two main answers
and two replies, spoken by espeak-ng, with the scorecard a bar raiser would write for it.

The answers are written to be one kind each: **strong** (owned decisions, a result with a
baseline, reasons, a lesson, 2:30-3:30 long), **weak** (the team did it, no numbers, no
reasons, no lesson, short and full of fillers) and **mixed** (owned, but a number with no
baseline and a single reason; the baseline comes only in the reply). Three loops, one of
each kind and each with its own lean: twelve spoken answers. The expected levels follow the
rules documented in README ("Interview") and :mod:`voicemock.interview.scorecard`; they
were written from the texts, not from a run.
"""

from __future__ import annotations

from dataclasses import dataclass

Kind = str  # "strong" | "weak" | "mixed"


@dataclass(frozen=True)
class Spoken:
    kind: Kind
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Loop:
    name: str
    answers: tuple[Spoken, Spoken, Spoken, Spoken]
    """Main answer 1, its reply, main answer 2, its reply: the --answer-file order."""
    signals: dict[str, str]
    lean: str
    principles: tuple[str, str]
    """The expected rating of each main answer's principle."""


CHECKOUT = Spoken(
    "strong",
    (
        "At my last company I was the product manager for checkout on our grocery delivery app.",
        "In the spring, about twenty two percent of customers abandoned their order at the "
        "payment step, and support was getting two hundred complaints a week about the card form.",
        "My goal was to cut that drop off before the holiday peak, which was four months away.",
        "I started by reading fifty support tickets myself and watching session recordings for "
        "two days, because I wanted to see the problem with my own eyes before I trusted any "
        "dashboard.",
        "I found that half of the drop off came from one slow address form that reloaded the "
        "page on every error.",
        "I also called twelve customers who had abandoned an order, and eight of them told me "
        "the same thing: typing a card number on a phone in a busy shop was too slow.",
        "Two of the engineers wanted to fix the address form first, but I kept the focus on "
        "payment, because the support data and the calls pointed at the card form.",
        "I decided to replace the card form with a one tap saved card flow, because it removed "
        "three screens for returning customers, who placed seventy percent of our orders.",
        "The alternative was a full redesign of checkout, but that would have taken two "
        "quarters, so I chose the smaller change that could be tested in six weeks.",
        "I wrote a one page proposal with the data, the risk and a rollback plan, and I "
        "presented it to the head of payments, who was worried about fraud.",
        "I convinced her by proposing a limit of two hundred dollars per saved card order for "
        "the first month, so that the fraud exposure stayed small.",
        "I defined the success metric before any code was written: the share of started "
        "checkouts that were paid within ten minutes.",
        "I ran the rollout as a test on ten percent of traffic for two weeks, and I reviewed "
        "the results every morning with the engineering lead.",
        "When the test showed no increase in fraud, I made the call to ship it to everyone.",
        "As a result, checkout drop off fell from twenty two percent to nine percent over the "
        "next quarter, compared with the control group, which stayed at twenty one percent.",
        "That was worth about one point two million dollars a year in extra orders, and "
        "complaints about payment fell from two hundred to forty a week.",
        "What I learned is that I should measure the problem myself before I debate the solution.",
        "Next time I would bring the fraud team in on the first day, because their worry cost "
        "us two weeks.",
    ),
)
BILLING = Spoken(
    "strong",
    (
        "Two years ago I was the product manager for billing at a software company that sold "
        "to small businesses.",
        "Our vice president wanted to launch usage based pricing in December, because it was "
        "in the annual plan and sales had already told customers about it.",
        "When I tested the new invoices with real accounts, I found that fifteen percent of "
        "them were wrong, some by more than a thousand dollars.",
        "My task was to protect our customers and still keep the pricing change on track.",
        "Most of the wrong invoices came from accounts that had changed plans in the middle of "
        "a month, which the new meter did not handle.",
        "I decided to push back on the December date, because sending wrong invoices to "
        "fifteen percent of our customers would have destroyed their trust.",
        "I wrote a two page memo that showed the error rate, the ten largest wrong invoices, "
        "and what each one would cost the customer.",
        "I proposed a new date in February and a plan to get there, so that the vice president "
        "could see it was a delay of eight weeks and not a cancellation.",
        "She disagreed at first, so I asked for thirty minutes with her and the finance lead, "
        "and I walked them through five of the wrong invoices one by one.",
        "After that meeting she agreed to move the date, and I committed to weekly updates on "
        "the error rate.",
        "I led the fix with two engineers. I prioritised the errors by dollar impact, and I "
        "personally checked the first hundred corrected invoices against the old system.",
        "I also set up a shadow billing run, because I wanted every new invoice compared with "
        "the old one before anyone was charged.",
        "Every Friday I sent the vice president and the sales leads a one page update with the "
        "error rate, the invoices fixed that week, and the accounts still at risk.",
        "I called the three largest customers myself to explain the new date, so that they "
        "heard it from us before they heard it from sales.",
        "The new pricing went live in February with an invoice error rate of zero point three "
        "percent, down from fifteen percent in December.",
        "As a result, billing tickets fell from three hundred a month to sixty a month in the "
        "first quarter, compared with the same quarter the year before, and churn among small "
        "accounts stayed flat at two percent.",
        "What I learned is that a date is a promise to customers, not just to my manager.",
        "Next time I would run the shadow billing from the very start, because it would have "
        "caught the errors two months earlier.",
    ),
)
STRONG_REPLY_1 = Spoken(
    "strong",
    (
        "I would test with real customers on the first day, because the dashboards hid the "
        "problem from us.",
        "The change cost six weeks of one engineering team, and the head of payments signed "
        "off on it after the test.",
    ),
)
STRONG_REPLY_2 = Spoken(
    "strong",
    (
        "The riskiest assumption was that customers would accept the new invoices.",
        "I tested it with twenty customers before the launch, because their reaction mattered "
        "more than our model.",
    ),
)

WEAK_CHECKOUT = Spoken(
    "weak",
    (
        "Um, so, at my last company our team had a problem with the checkout page.",
        "We decided to change the form, and uh, the team built a new version.",
        "Um, we shipped it in the summer.",
        "Uh, it went well and customers liked it.",
        "Um, everyone was happy with it in the end.",
    ),
)
WEAK_ONBOARDING = Spoken(
    "weak",
    (
        "So, uh, our manager asked us to improve the onboarding.",
        "Um, the team worked on it for a while, and we launched a new flow.",
        "Uh, I supported the designers and, um, we got good feedback.",
        "Um, it was a good project for everyone.",
    ),
)
WEAK_REPLY_1 = Spoken(
    "weak",
    # "I helped where I could" is heard as "I held where I could", an owned action.
    ("Um, we all agreed on it together as a team, and, uh, I supported them where I could.",),
)
WEAK_REPLY_2 = Spoken(
    "weak",
    ("Um, it was mostly the team really, uh, we all did our part and it went fine.",),
)

RETENTION = Spoken(
    "mixed",
    (
        "I was the product manager for our mobile app, which helps people find rental "
        "flats in three cities.",
        "Users told us again and again that they had to repeat the same search every morning.",
        "I decided to add saved searches, and I wrote the specification myself because users "
        "kept asking for it.",
        "I ran the launch with the engineering lead, and I reviewed the first version with "
        "five users in our office.",
        "As a result, retention improved by fifteen percent.",
        "What I learned is to ship smaller pieces sooner, and to put them in front of users early.",
    ),
)
PAYMENTS = Spoken(
    "mixed",
    (
        "I led the move to a new payment provider for our online shop.",
        "Our old provider had raised its fees twice in one year, and its support was slow "
        "when a payment failed.",
        "I compared four providers on fees, reliability and the work needed to switch.",
        "I chose the cheaper provider because the fees were lower, and I negotiated the "
        "contract myself.",
        "As a result, payment costs dropped by thirty percent.",
        "Next time I would involve the finance team earlier.",
    ),
)
BASELINE_REPLY_1 = Spoken(
    "mixed",
    ("Retention was forty percent before, and it went to forty six percent over six months.",),
)
BASELINE_REPLY_2 = Spoken(
    "mixed",
    ("We paid about two hundred thousand dollars a year before the switch.",),
)

LOOPS: tuple[Loop, ...] = (
    Loop(
        "strong",
        (CHECKOUT, STRONG_REPLY_1, BILLING, STRONG_REPLY_2),
        dict.fromkeys(("ownership", "results", "judgment", "reflection", "delivery"), "strong"),
        "strong hire",
        ("strong", "strong"),
    ),
    Loop(
        "weak",
        (WEAK_CHECKOUT, WEAK_REPLY_1, WEAK_ONBOARDING, WEAK_REPLY_2),
        dict.fromkeys(("ownership", "results", "judgment", "reflection", "delivery"), "missing"),
        "not inclined",
        ("missing", "missing"),
    ),
    Loop(
        "owned, numbers without a baseline",
        (RETENTION, BASELINE_REPLY_1, PAYMENTS, BASELINE_REPLY_2),
        {
            "ownership": "strong",
            "results": "mixed",
            "judgment": "mixed",
            "reflection": "strong",
            "delivery": "mixed",
        },
        "inclined",
        ("mixed", "mixed"),
    ),
)
