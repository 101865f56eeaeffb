"""Drawing each kind's shape from what small models really write."""

from __future__ import annotations

from engine.summarize import shapes
from tables import is_table


def test_items_from_bullets_numbers_and_prose():
    assert shapes.items("- Rain fell.\n* Roads flooded.\n• Schools closed.") == ["Rain fell.", "Roads flooded.", "Schools closed."]
    assert shapes.items("1. Buy flour.\n2) Bake bread.\n3. Sell it.") == ["Buy flour.", "Bake bread.", "Sell it."]
    assert shapes.items("The vote passed. Work starts in June. The gym is used meanwhile.") == [
        "The vote passed.", "Work starts in June.", "The gym is used meanwhile."]


def test_items_drop_duplicates_and_fragments():
    assert shapes.items("- The vote passed.\n- the vote passed\n- ok\n- Work starts in June.") == ["The vote passed.", "Work starts in June."]


def test_table_has_header_separator_and_escaped_cells():
    t = shapes.table([("Cost", "2.4 million | approved"), ("Date", "next autumn")], ("Topic", "Detail"))
    lines = t.splitlines()
    assert lines[0] == "| Topic | Detail |"
    assert lines[1] == "| --- | --- |"
    assert lines[2] == "| Cost | 2.4 million / approved |"
    assert is_table(t)


def test_topic_rows_use_fields_when_the_model_gives_them():
    rows, header = shapes.topic_rows(["Cost: 2.4 million dollars.", "Opening: next autumn."])
    assert header == ("Topic", "Detail") and rows == [("Cost", "2.4 million dollars."), ("Opening", "next autumn.")]
    rows, header = shapes.topic_rows(["The council voted yes.", "Work starts in June."])
    assert header == ("#", "Key point") and rows[1] == ("2", "Work starts in June.")


def test_render_each_kind():
    reply = "- The council approved the library.\n- It opens next autumn."
    assert shapes.render("summary", reply) == "The council approved the library. It opens next autumn."
    assert shapes.render("key-points", reply).splitlines() == ["- The council approved the library.", "- It opens next autumn."]
    assert shapes.render("list", reply).splitlines() == ["1. The council approved the library.", "2. It opens next autumn."]
    assert is_table(shapes.render("table", reply))
    assert shapes.render("key-points", "  ") == ""


def test_the_tests_table_check_rejects_non_tables():
    assert not is_table("| a | b |\n| c | d |")  # no separator
    assert not is_table("a, b\nc, d\ne, f")


def test_items_from_a_stray_numbering_and_echoed_label():
    reply = "1. 1. 2. 3\nText: The council voted on Tuesday. The project will cost 2.4 million dollars."
    assert shapes.items(reply) == ["The council voted on Tuesday.", "The project will cost 2.4 million dollars."]


def test_a_summary_keeps_the_sentences_asked_for_and_drops_a_cut_off_one():
    from engine.summarize.prompts import summary_sentences, summary_tokens

    assert summary_sentences("word " * 300) == 2
    assert summary_sentences("word " * 700) == 3
    assert summary_sentences("word " * 5000) == 4
    assert summary_tokens(2) < summary_tokens(4) <= 320
    reply = "Parks are good. Trees give shade. Kids play there. More text follows"
    assert shapes.render("summary", reply, sentences=2) == "Parks are good. Trees give shade."
    assert shapes.render("summary", "Parks are good. Trees give shade and the", sentences=3) == "Parks are good."
    assert shapes.render("summary", "Only a fragment without an end", sentences=2) == "Only a fragment without an end"
    assert shapes.render("summary", reply) == reply  # no count: the whole paragraph


def test_a_summary_sentence_that_restates_an_earlier_one_is_dropped():
    reply = ("You need two adhesive hooks per curtain. Make sure the hooks are strong enough to hold the rod. "
             "Make sure the hooks you get are strong enough to hold the curtain rod. Measure the window first.")
    assert shapes.render("summary", reply, sentences=3) == (
        "You need two adhesive hooks per curtain. Make sure the hooks are strong enough to hold the rod. "
        "Measure the window first.")
    assert not shapes.restates("Measure the window first.", "Make sure the hooks are strong enough.")
