"""Stop strings in streamed text: held back while they may still match, cut where they match,
and nothing is lost at the end (pure text, no model)."""

from __future__ import annotations

from engine.runtime.stops import StopFilter


def feed_all(f: StopFilter, pieces: list[bytes]) -> list[str]:
    return [f.feed(p) for p in pieces]


def test_a_stop_string_split_over_pieces_is_held_back_then_cut():
    f = StopFilter(["\n\nUser:"])
    out = feed_all(f, [b"Done.", b"\n", b"\nUs", b"er:", b" more"])
    assert out == ["Done.", "", "", "", ""]
    assert f.stopped and f.finish() == ""


def test_held_text_that_did_not_become_a_stop_is_released():
    f = StopFilter(["###"])
    assert feed_all(f, [b"a #", b"# b"]) == ["a ", "## b"]
    assert not f.stopped


def test_the_held_tail_comes_out_at_the_end():
    f = StopFilter(["</s>"])
    assert f.feed(b"the end </") == "the end "
    assert f.finish() == "</"


def test_a_character_split_over_two_tokens_is_given_out_whole():
    f = StopFilter([])
    snow = "\u2744".encode()  # three bytes
    assert f.feed(b"snow " + snow[:2]) == "snow "
    assert f.feed(snow[2:]) == "\u2744"


def test_an_unfinished_character_at_the_end_becomes_a_replacement_mark():
    f = StopFilter([])
    assert f.feed("é".encode()[:1]) == ""
    assert f.finish() == "\ufffd"


def test_the_earliest_of_several_stops_wins():
    f = StopFilter(["END", "\n"])
    assert f.feed(b"one\ntwo END") == "one"
    assert f.stopped
