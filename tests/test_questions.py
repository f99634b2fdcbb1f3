"""The question-set library: bundled sets, validation messages, discovery, selection, import."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from voicemock.errors import InputError
from voicemock.questions import (
    CATEGORIES,
    DEFAULT_SET,
    LEADERSHIP_PRINCIPLES,
    Catalog,
    QuestionSet,
    QuestionSetError,
    bundled_sets_dir,
    canonical_tag,
    check_file,
    load_set,
    parse_set,
    principle_for,
    select_questions,
    set_toml,
    template,
    write_template,
)
from voicemock.timing import Target

ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """\
name = "mini"
description = "two questions"

[[questions]]
id = "a"
text = "First question?"
tags = ["Ownership", "dive_deep"]

[[questions]]
id = "b"
text = "Second question?"
follow_ups = ["How did you measure it?"]
"""


def problems_of(text: str, path: str = "set.toml") -> list[str]:
    with pytest.raises(QuestionSetError) as info:
        parse_set(text, path=path)
    return [str(p) for p in info.value.problems]


# -- bundled sets --------------------------------------------------------------------------


def bundled_files() -> list[Path]:
    directory = bundled_sets_dir()
    assert directory is not None, "no bundled question_sets directory found"
    return sorted(directory.glob("*.toml"))


def test_bundled_dir_is_the_checkouts_question_sets_in_an_editable_install() -> None:
    assert bundled_sets_dir() == ROOT / "question_sets"
    assert {p.stem for p in bundled_files()} >= {"amazon-pm", "general"}


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.name)
def test_every_bundled_set_validates(path: Path) -> None:
    qset, problems = check_file(path)
    assert problems == []
    assert qset is not None
    assert qset.name == path.stem
    assert qset.description
    for question in qset:
        assert question.tags, f"{question.id} has no tags"
        assert 1 <= len(question.follow_ups) <= 3, f"{question.id} needs 1-3 follow-ups"
        assert question.text.endswith(("?", ".")), question.id
        assert len(question.text) <= 200, f"{question.id} is too long to read aloud well"


def test_amazon_pm_covers_every_leadership_principle_at_least_three_times() -> None:
    qset = load_set(ROOT / "question_sets" / "amazon-pm.toml")
    assert qset.name == DEFAULT_SET
    assert len(qset) >= 48
    counts = qset.tag_counts()
    assert len(LEADERSHIP_PRINCIPLES) == 16
    for principle in LEADERSHIP_PRINCIPLES:
        assert counts.get(principle.slug, 0) >= 3, f"{principle.name}: {counts.get(principle.slug)}"
    for category in CATEGORIES:
        assert counts.get(category, 0) >= 3, category
    # The main (first) tag of at least three questions per principle is that principle,
    # so each LP has questions written for it, not just borrowed.
    first = [q.tags[0] for q in qset]
    for principle in LEADERSHIP_PRINCIPLES:
        assert first.count(principle.slug) >= 3, principle.name
    # The default window, and one product-sense case question with its own longer one.
    assert qset.target == Target(150, 210, 240)
    assert any(q.target is not None and q.target.max_s > qset.target.max_s for q in qset)


def test_bundled_follow_ups_are_bar_raiser_probes() -> None:
    qset = load_set(ROOT / "question_sets" / "amazon-pm.toml")
    follow_ups = [f for q in qset for f in q.follow_ups]
    assert all(f.endswith("?") for f in follow_ups)
    joined = " ".join(follow_ups).lower()
    for probe in ("ten times the data", "decide yourself", "measure"):
        assert probe in joined, probe
    assert len({q.text for q in qset}) == len(qset), "a question is repeated"


# -- tags ----------------------------------------------------------------------------------


def test_leadership_principles_have_unique_predictable_slugs() -> None:
    slugs = [p.slug for p in LEADERSHIP_PRINCIPLES]
    assert len(set(slugs)) == 16
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", s) for s in slugs)
    assert "customer-obsession" in slugs and "have-backbone" in slugs


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Customer Obsession", "customer-obsession"),
        ("customer_obsession", "customer-obsession"),
        ("  CUSTOMER   obsession ", "customer-obsession"),
        ("Have Backbone; Disagree and Commit", "have-backbone"),
        ("disagree & commit", "have-backbone"),
        ("Are Right, A Lot", "are-right-a-lot"),
        ("Strive to be Earth's Best Employer", "earths-best-employer"),
        ("Strive to be Earth’s Best Employer", "earths-best-employer"),
        ("Success and Scale Bring Broad Responsibility", "broad-responsibility"),
        ("Product Sense", "product-sense"),
        ("my own tag", "my-own-tag"),
        ("Café", "café"),
    ],
)
def test_tags_are_forgiving(given: str, expected: str) -> None:
    assert canonical_tag(given) == expected


def test_every_principle_is_found_by_its_full_name() -> None:
    for principle in LEADERSHIP_PRINCIPLES:
        assert principle_for(principle.name) == principle
        assert canonical_tag(principle.name.upper()) == principle.slug
    assert principle_for("teamwork") is None


# -- parsing and validation messages ----------------------------------------------------


def test_minimal_set_loads_with_defaults_and_canonical_tags() -> None:
    qset = parse_set(MINIMAL)
    assert qset.name == "mini"
    assert qset.ids == ("a", "b")
    assert qset.target == Target(150, 210, 240)
    assert qset.think_s is None
    assert qset.get("a").tags == ("ownership", "dive-deep")
    assert qset.get("b").follow_ups == ("How did you measure it?",)
    assert qset.target_for(qset.get("a")) == qset.target


def test_duplicate_id_names_the_file_and_both_lines() -> None:
    text = MINIMAL.replace('id = "b"', 'id = "a"')
    assert problems_of(text) == ["set.toml:10: duplicate id 'a' (first used on line 5)"]


def test_duplicate_id_in_an_inline_array_is_located_too() -> None:
    text = 'name = "x"\nquestions = [\n  {id = "q", text = "A?"},\n  {id = "q", text = "B?"},\n]\n'
    assert problems_of(text) == ["set.toml:4: duplicate id 'q' (first used on line 3)"]


def test_empty_text_is_reported_at_its_line() -> None:
    text = MINIMAL.replace('text = "Second question?"', 'text = "   "')
    assert problems_of(text) == ["set.toml:11: question 'b' has empty text"]


def test_missing_text_and_missing_id() -> None:
    text = 'name = "x"\n\n[[questions]]\nid = "a"\n\n[[questions]]\ntext = "B?"\n'
    assert problems_of(text) == [
        "set.toml:3: question 'a' has no text (add text = \"...\")",
        'set.toml:6: question 2 has no id (add e.g. id = "q2")',
    ]


def test_min_greater_than_max() -> None:
    text = MINIMAL.replace('description = "two questions"', "[target]\nmin_s = 240\nmax_s = 120")
    # Moving keys under [target] is fine for TOML as long as the questions follow.
    assert problems_of(text) == ["set.toml:3: target min_s (4:00) is greater than max_s (2:00)"]


def test_cap_below_window_in_a_question_override() -> None:
    text = MINIMAL + "target = { max_s = 200, cap_s = 100 }\n"
    assert problems_of(text) == ["set.toml:13: target cap_s (1:40) is below max_s (3:20)"]


def test_unknown_keys_get_a_did_you_mean() -> None:
    text = MINIMAL.replace("follow_ups =", "followups =").replace("description", "descripton")
    assert problems_of(text) == [
        "set.toml:2: unknown key 'descripton' (did you mean 'description'?)",
        "set.toml:12: unknown key 'followups' (did you mean 'follow_ups'?)",
    ]


def test_singular_questions_table_suggests_the_plural_only() -> None:
    text = MINIMAL.replace("[[questions]]", "[[question]]")
    assert problems_of(text) == ["set.toml:4: unknown key 'question' (did you mean 'questions'?)"]


def test_wrong_types_are_named() -> None:
    text = (
        'name = "x"\nthink_s = true\n[[questions]]\nid = "a"\ntext = 42\ntags = "ownership"\n'
        'follow_ups = ["ok?", 3, ""]\ntarget = 200\n'
    )
    assert problems_of(text) == [
        'set.toml:2: think_s must be a number of seconds or text like "2:30", not true/false',
        "set.toml:5: question 'a': text must be a string, not a number",
        'set.toml:6: question \'a\': tags must be a list like ["ownership", "dive-deep"], '
        "not a string",
        "set.toml:7: question 'a': follow_ups item 2 must be a string, not a number",
        "set.toml:7: question 'a': follow_ups item 3 is empty",
        "set.toml:8: target must be a table with min_s, max_s and cap_s, not a number "
        "(e.g. target = { min_s = 150, max_s = 210, cap_s = 240 })",
    ]


def test_toml_syntax_error_keeps_tomllibs_line() -> None:
    text = MINIMAL.replace('id = "b"', 'id = "b')
    (problem,) = problems_of(text)
    assert problem.startswith("set.toml:10: invalid TOML: ")


def test_non_finite_and_huge_numbers_are_refused() -> None:
    for value in ("nan", "inf", "-5", "99999"):
        text = MINIMAL.replace('description = "two questions"', f"think_s = {value}")
        (problem,) = problems_of(text)
        assert problem.startswith("set.toml:2: think_s must be"), problem


def test_times_can_be_written_as_clock_text() -> None:
    text = MINIMAL.replace(
        'description = "two questions"',
        'think_s = "0:20"\ntarget = { min_s = "2:00", max_s = "3m" }',
    )
    qset = parse_set(text)
    assert qset.think_s == 20
    assert qset.target == Target(120, 180, 240)


def test_question_target_inherits_from_the_set_and_the_cap_grows() -> None:
    text = MINIMAL.replace('description = "two questions"', "target = { min_s = 60, max_s = 90 }")
    text += "target = { max_s = 300 }\n"
    qset = parse_set(text)
    assert qset.target == Target(60, 90, 240)
    assert qset.get("b").target == Target(60, 300, 300)
    assert qset.target_for(qset.get("a")) == Target(60, 90, 240)


def test_all_problems_are_reported_and_nothing_is_half_loaded() -> None:
    text = (
        MINIMAL
        + '\n[[questions]]\nid = "a"\ntext = ""\n\n[[questions]]\nid = "ok"\ntext = "Fine?"\n'
    )
    with pytest.raises(QuestionSetError) as info:
        parse_set(text, path="x.toml")
    assert len(info.value.problems) == 2
    message = str(info.value)
    assert "\n" not in message
    assert message.endswith("(and 1 more problem)")
    assert isinstance(info.value, InputError)


def test_name_defaults_to_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "from-stem.toml"
    path.write_text(MINIMAL.replace('name = "mini"\n', ""), encoding="utf-8")
    assert load_set(path).name == "from-stem"
    bad = tmp_path / "My Set!.toml"
    bad.write_text(MINIMAL.replace('name = "mini"\n', ""), encoding="utf-8")
    _, problems = check_file(bad)
    assert [str(p) for p in problems] == [
        f'{bad}:1: the set has no name (add name = "my-set" at the top)'
    ]


def test_invalid_name_suggests_a_slug() -> None:
    assert problems_of(MINIMAL.replace('"mini"', '"My Loop"')) == [
        "set.toml:1: set name 'My Loop' must be letters, digits, '-', '_' or '.' (e.g. 'my-loop')"
    ]


def test_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert [str(p) for p in check_file(missing)[1]] == [f"{missing}: no such file"]
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(MINIMAL.replace("Second", "Caf\xe9").encode("latin-1"))
    assert [str(p) for p in check_file(latin1)[1]] == [
        f"{latin1}:11: is not UTF-8 text (byte 0xe9); save it as UTF-8"
    ]
    assert [str(p) for p in check_file(tmp_path)[1]] == [f"{tmp_path}: is a directory, not a file"]


def test_bom_and_utf16_files_load(tmp_path: Path) -> None:
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    utf16 = tmp_path / "utf16.toml"
    utf16.write_text(MINIMAL, encoding="utf-16")
    assert load_set(bom).ids == load_set(utf16).ids == ("a", "b")


def test_to_toml_round_trips() -> None:
    text = MINIMAL.replace(
        'description = "two questions"', "think_s = 12.5\ntarget = { max_s = 200 }"
    )
    text += "target = { min_s = 100, max_s = 300 }\n"
    qset = parse_set(text)
    again = parse_set(set_toml(qset.to_toml()))
    assert again == qset


# -- discovery and shadowing -----------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_user_set_shadows_bundled_and_explicit_path_shadows_user(tmp_path: Path) -> None:
    user = tmp_path / "sets"
    mine = write(user / "amazon-pm.toml", MINIMAL.replace('"mini"', '"amazon-pm"'))
    explicit = write(tmp_path / "elsewhere" / "x.toml", MINIMAL.replace('"mini"', '"amazon-pm"'))
    catalog = Catalog.discover(user_dir=user)
    entry = catalog.entry("amazon-pm")
    assert entry is not None and entry.path == mine and entry.origin == "user"
    assert entry.shadows == (ROOT / "question_sets" / "amazon-pm.toml",)
    bundled = next(e for e in catalog.entries if e.origin == "bundled" and e.name == "amazon-pm")
    assert bundled.shadowed_by == mine and not bundled.active
    assert len(catalog.get("amazon-pm")) == 2
    assert catalog.replaced("amazon-pm", mine) == entry.shadows

    catalog = Catalog.discover(user_dir=user, paths=[explicit])
    entry = catalog.entry("amazon-pm")
    assert entry is not None and entry.path == explicit
    assert entry.shadows == (ROOT / "question_sets" / "amazon-pm.toml", mine)


def test_broken_user_set_still_shadows_and_reports_its_error(tmp_path: Path) -> None:
    user = tmp_path / "sets"
    broken = MINIMAL.replace('"mini"', '"general"').replace('id = "b"', 'id = "a"')
    write(user / "mine.toml", broken)
    catalog = Catalog.discover(user_dir=user)
    entry = catalog.entry("general")
    assert entry is not None and entry.qset is None and entry.error is not None
    with pytest.raises(QuestionSetError, match=r"mine\.toml:10: duplicate id 'a'"):
        catalog.get("general")


def test_two_user_files_with_one_name_conflict(tmp_path: Path) -> None:
    user = tmp_path / "sets"
    first = write(user / "a.toml", MINIMAL)
    second = write(user / "b.toml", MINIMAL)
    catalog = Catalog.discover(user_dir=user)
    entry = catalog.entry("mini")
    assert entry is not None and entry.path == first
    loser = next(e for e in catalog.entries if e.path == second)
    assert loser.error is not None
    assert str(loser.error) == (
        f"{second}:1: set name 'mini' is already used by {first}; rename one of them"
    )


def test_get_by_path_by_name_ignoring_case_and_unknown_names(tmp_path: Path) -> None:
    path = write(tmp_path / "elsewhere.toml", MINIMAL)
    catalog = Catalog.discover(user_dir=tmp_path / "none")
    assert catalog.get(str(path)).name == "mini"
    assert catalog.get("AMAZON-PM").name == "amazon-pm"
    with pytest.raises(InputError, match=r"no question set called 'amazon-p' \(did you mean"):
        catalog.get("amazon-p")
    with pytest.raises(QuestionSetError, match=r"missing\.toml: no such file"):
        catalog.get(str(tmp_path / "missing.toml"))


def test_hidden_and_non_toml_files_are_ignored(tmp_path: Path) -> None:
    user = tmp_path / "sets"
    write(user / ".#draft.toml", "not toml at all [")
    write(user / "notes.txt", "hello")
    write(user / "real.toml", MINIMAL)
    catalog = Catalog.discover(user_dir=user, bundled_dir=None)
    assert [e.name for e in catalog.entries] == ["mini"]


# -- selection ---------------------------------------------------------------------------


@pytest.fixture
def pm() -> QuestionSet:
    return load_set(ROOT / "question_sets" / "amazon-pm.toml")


def test_select_by_id_keeps_order_and_suggests_on_typos(pm: QuestionSet) -> None:
    chosen = select_questions(pm, ids=["dd-overlooked-detail", "co-said-no", "co-said-no"])
    assert [q.id for q in chosen] == ["dd-overlooked-detail", "co-said-no"]
    with pytest.raises(InputError, match=r"did you mean 'co-said-no'"):
        select_questions(pm, ids=["co-said-n"])


def test_select_by_tag_is_forgiving_and_complete(pm: QuestionSet) -> None:
    chosen = select_questions(pm, tags=["Dive Deep"], rng=random.Random(3))
    assert chosen and all("dive-deep" in q.tags for q in chosen)
    assert {q.id for q in chosen} == {q.id for q in pm if "dive-deep" in q.tags}
    with pytest.raises(InputError, match=r"tagged 'dive deeper' \(did you mean 'dive-deep'\?\)"):
        select_questions(pm, tags=["dive deeper"])


def test_random_selection_never_repeats_and_is_reproducible(pm: QuestionSet) -> None:
    everything = select_questions(pm, rng=random.Random(7))
    assert sorted(q.id for q in everything) == sorted(pm.ids)
    five = select_questions(pm, count=5, rng=random.Random(7))
    assert five == everything[:5]
    assert len({q.id for q in five}) == 5
    other = select_questions(pm, count=5, rng=random.Random(8))
    assert other != five
    assert len(select_questions(pm, tags=["frugality"], count=50)) == 3
    with pytest.raises(InputError):
        select_questions(pm, count=0)


def test_least_recently_practised_first(pm: QuestionSet) -> None:
    now = datetime(2024, 6, 1, tzinfo=timezone.utc)
    # Every question practised, one day apart, except two never practised.
    history = {qid: now - timedelta(days=i) for i, qid in enumerate(pm.ids)}
    del history["co-said-no"], history["fr-saved-money"]
    chosen = select_questions(pm, count=4, last_practised=history, rng=random.Random(1))
    assert {q.id for q in chosen[:2]} == {"co-said-no", "fr-saved-money"}
    oldest = sorted(history, key=lambda qid: history[qid])[:2]
    assert [q.id for q in chosen[2:]] == oldest
    # With an empty history it is simply random.
    assert len(select_questions(pm, last_practised={}, count=3)) == 3


# -- template ------------------------------------------------------------------------------


def test_template_validates_as_written_and_explains_every_key(tmp_path: Path) -> None:
    path = write_template("my-loop", tmp_path)
    qset = load_set(path)
    assert qset.name == "my-loop"
    assert len(qset) >= 2
    text = path.read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    for key in (
        "name",
        "description",
        "think_s",
        "min_s",
        "max_s",
        "cap_s",
        "id",
        "text",
        "tags",
        "follow_ups",
        "target",
    ):
        assert re.search(rf"\b{key}\b", comments), f"template does not explain {key}"
    with pytest.raises(InputError, match="already exists"):
        write_template("my-loop", tmp_path)
    with pytest.raises(InputError, match="must be letters"):
        template("../escape")
