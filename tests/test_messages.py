"""pathway.messages: the domain's translatable sentences (issue 15), without Flask."""
from __future__ import annotations

import copy
import json
import pickle
from datetime import date

from pathway.messages import N_, Message, english_date, label, listing, msg, sentences

WELSH = {
    "On %(day)s %(who)s was offered %(what)s.": "Ar %(day)s cynigiwyd %(what)s i %(who)s.",
    "a family group conference": "cynhadledd grŵp teulu",
    "Early help": "Cymorth cynnar",
    "Care proceedings": "Achos gofal",
    "Check the date.": "Gwiriwch y dyddiad.",
}


def cy(text: str) -> str:
    return WELSH.get(text, text)


def cy_date(day: date) -> str:
    return f"{day.day} {['Ionawr', 'Chwefror', 'Mawrth'][day.month - 1]} {day.year}"


def offer() -> Message:
    return msg("On %(day)s %(who)s was offered %(what)s.", day=date(2026, 3, 2), who="P1",
               what=msg("a family group conference"))


def test_a_message_is_its_english_text():
    m = offer()
    assert m == "On 2 March 2026 P1 was offered a family group conference."
    assert str(m) == m.render() and type(str(m)) is str
    assert m.startswith("On 2 March") and "P1 was offered" in m
    assert " ".join([m, "Next."]).endswith("conference. Next.")
    assert json.dumps({"message": m}) == json.dumps({"message": str(m)})
    assert hash(m) == hash(str(m))


def test_parameters_dates_and_nested_messages_render_in_the_language_asked():
    assert offer().render(cy, cy_date) == "Ar 2 Mawrth 2026 cynigiwyd cynhadledd grŵp teulu i P1."


def test_plain_string_parameters_are_not_translated_but_labels_are():
    m = msg("On %(day)s %(who)s was offered %(what)s.", day=date(2026, 1, 1), who="Early help",
            what=label(N_("Early help")))
    assert m.render(cy, cy_date) == "Ar 1 Ionawr 2026 cynigiwyd Cymorth cynnar i Early help."


def test_sentences_and_listings_render_each_part_in_the_same_language():
    both = sentences([offer(), msg("Check the date.")])
    assert both == "On 2 March 2026 P1 was offered a family group conference. Check the date."
    assert both.render(cy, cy_date).endswith("i P1. Gwiriwch y dyddiad.")
    stages = listing([N_("Early help"), N_("Care proceedings"), "ZW26C00123"])
    assert stages == "Early help, Care proceedings, ZW26C00123"
    assert stages.render(cy) == "Cymorth cynnar, Achos gofal, ZW26C00123"
    assert sentences([]) == "" and listing([]).render(cy) == ""


def test_a_message_survives_copy_and_pickle_with_its_id_and_parameters():
    m = offer()
    for again in (copy.deepcopy(m), copy.copy(m), pickle.loads(pickle.dumps(m))):
        assert again == m and again.msgid == m.msgid and again.params == m.params
        assert again.render(cy, cy_date) == m.render(cy, cy_date)


def test_a_message_without_parameters_keeps_a_percent_sign_and_n_marks_without_translating():
    assert msg("100% of children").render(cy) == "100% of children"
    assert N_("Early help") == "Early help" and type(N_("Early help")) is str
    assert english_date(date(2026, 12, 3)) == "3 December 2026"
    assert repr(msg("Check the date.")) == "Message('Check the date.', {})"


def test_every_string_marked_in_the_python_source_has_a_welsh_translation():
    """pybabel skips a marked string it cannot see (inside an f-string, or a call nested in another
    marked call): each literal given to msg, N_, _l or gettext must reach the Welsh catalogue."""
    import ast
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent
    with (root / "pathway" / "translations" / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        welsh = {m.id: m.string for m in read_po(po) if m.id}
    missing = []
    for path in [*(root / "pathway").rglob("*.py"), *(root / "forms").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("msg", "N_", "_l", "gettext", "_") \
                    and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value:
                if not welsh.get(node.args[0].value):
                    missing.append(f"{path.relative_to(root)}:{node.lineno}: {node.args[0].value[:60]}")
    assert not missing, "\n".join(missing)


def test_the_wales_wording_of_every_form_is_in_the_catalogue():
    """`StepForm.adapt` swaps in the terms of Wales; each swapped label or hint is a message of its own."""
    import ast
    import inspect

    import forms.steps as steps

    marked = {node.args[0].value for node in ast.walk(ast.parse(inspect.getsource(steps)))
              if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_l"
              and node.args and isinstance(node.args[0], ast.Constant)}
    needed = {steps._welsh_terms(text) for text in marked} - marked
    assert needed <= set(steps.WALES_WORDING), sorted(needed - set(steps.WALES_WORDING))
