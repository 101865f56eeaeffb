from engine.proofread.segment import protected_spans, sentences

DOC = """# Release notes

Install it with `pip install hushwrite` and read https://example.org/docs. It works offline.
- first item here
- second item

```
code is never proofread
```
"""


def test_only_prose_sentences_with_exact_offsets():
    found = sentences(DOC)
    assert [s.text for s in found] == [
        "Release notes",
        "Install it with `pip install hushwrite` and read https://example.org/docs.",
        "It works offline.",
        "first item here",
        "second item",
    ]
    assert all(DOC[s.start : s.end] == s.text for s in found)
    assert [s.in_markup for s in found] == [True, False, False, True, True]


def test_urls_code_numbers_and_quotes_are_protected():
    s = 'See `x_y()` at https://a.io/b_c, on 3rd May 2024, he said "me go".'
    shielded = [s[a:b] for a, b in protected_spans(s)]
    assert "`x_y()`" in shielded and "https://a.io/b_c" in shielded
    assert "3rd" in shielded and "2024" in shielded and '"me go"' in shielded


def test_windows_line_endings_stay_outside_sentences():
    text = "First line here.\r\nSecond line here.\r\n"
    assert [s.text for s in sentences(text)] == ["First line here.", "Second line here."]
