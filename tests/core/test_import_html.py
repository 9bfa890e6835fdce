"""HTML: readable text, titles, metadata and charset handling."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotator.importing import ImportFailure, extract_file

PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>
  The   Page Title
</title>
<meta property="og:title" content="OG title">
<meta name="description" content="  A short summary. ">
<link rel="canonical" href="https://example.org/story">
<style>p { color: red }</style>
<script>document.write("tracking")</script>
</head>
<body>
<header><h1>Site name</h1></header>
<nav><ul><li>Home</li><li>News</li></ul></nav>
<div role="navigation">Skip links</div>
<p>Teaser outside the article</p>
<article class="small"><p>Related: other story</p></article>
<article>
  <h2>Heading &amp; more</h2>
  <p>First   paragraph
     spans <b>two</b> lines&nbsp;here.</p>
  <p>Second<br>line after break</p>
  <ul><li>item one</li><li>item <i>two</i></li></ul>
  <blockquote>Quoted “words”</blockquote>
  <pre>  keep   this
	tabbed</pre>
  <table><tr><th>Year</th><td>2024</td></tr></table>
  <figure><img src="x.png"><figcaption>Caption text</figcaption></figure>
  <aside>Advert</aside>
  <form><button>Subscribe</button></form>
  <noscript>Enable JS</noscript>
  <template><p>hidden template</p></template>
  <iframe src="https://ads.example"></iframe>
  <svg><text>svg label</text></svg>
  <p hidden>Hidden paragraph</p>
  <!-- a comment -->
</article>
<footer>Copyright</footer>
<div role="contentinfo">Legal</div>
</body></html>
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_article_text_title_and_meta(tmp_path: Path) -> None:
    [document] = extract_file(write(tmp_path, "story.html", PAGE.encode()))
    assert document.format == "html"
    assert document.title == "The Page Title"
    assert document.text == (
        "Heading & more\n"
        "First paragraph spans two lines\u00a0here.\n"
        "Second\n"
        "line after break\n"
        "item one\n"
        "item two\n"
        "Quoted “words”\n"
        "  keep   this\n\ttabbed\n"
        "Year 2024\n"
        "Caption text"
    )
    assert document.meta == {
        "encoding": "utf-8",
        "line_endings": "lf",
        "url": "https://example.org/story",
        "description": "A short summary.",
    }


def test_main_then_body_fallback(tmp_path: Path) -> None:
    html = b"<body><nav>Menu</nav><div>Outside</div><main><p>Inside main</p></main></body>"
    [document] = extract_file(write(tmp_path, "m.htm", html))
    assert document.text == "Inside main"
    html = b"<body><div role='main'><p>Role main</p></div><p>Other</p></body>"
    assert extract_file(write(tmp_path, "r.html", html))[0].text == "Role main"
    html = b"<body><div>One <span>inline</span></div>Loose text<p>Two</p></body>"
    assert extract_file(write(tmp_path, "b.html", html))[0].text == "One inline\nLoose text\nTwo"


def test_article_inside_aside_is_not_chosen(tmp_path: Path) -> None:
    html = (
        b"<body><aside><article><p>A much longer teaser in a sidebar, not the story</p>"
        b"</article></aside><main><p>The story</p></main></body>"
    )
    assert extract_file(write(tmp_path, "a.html", html))[0].text == "The story"


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ("<meta property='og:title' content=' OG  title '>", "<h1>H1</h1>", "OG  title"),
        ("", "<header><h1>Big\n heading</h1></header><p>x</p>", "Big heading"),
        ("<title>   </title>", "<p>x</p>", "stemname"),
    ],
)
def test_title_fallbacks(tmp_path: Path, head: str, body: str, title: str) -> None:
    html = f"<html><head>{head}</head><body>{body}<p>text</p></body></html>"
    [document] = extract_file(write(tmp_path, "stemname.html", html.encode()))
    assert document.title == title


def test_og_url_when_no_canonical(tmp_path: Path) -> None:
    html = b'<head><meta property="og:url" content="https://e.org/x"></head><p>t</p>'
    assert extract_file(write(tmp_path, "u.html", html))[0].meta["url"] == "https://e.org/x"


def test_meta_charset_is_respected(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head>'
    html += "<body><p>“Quote” – €5</p></body></html>"
    [document] = extract_file(write(tmp_path, "c.html", html.encode("cp1252")))
    assert document.text == "“Quote” – €5"
    assert document.title == "Café"
    assert document.meta["encoding"] == "cp1252"


def test_http_equiv_charset_and_latin1_label(tmp_path: Path) -> None:
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        "<p>Stra\u00dfe \u2019s</p>"
    ).encode("cp1252")
    [document] = extract_file(write(tmp_path, "l.html", html))
    assert document.text == "Stra\u00dfe \u2019s"  # the HTML standard reads latin-1 as cp1252
    assert document.meta["encoding"] == "cp1252"


def test_wrong_meta_charset_falls_back_to_generic_rule(tmp_path: Path) -> None:
    html = '<meta charset="utf-8"><p>na\u00efve “q”</p>'.encode("cp1252")
    [document] = extract_file(write(tmp_path, "w.html", html))
    assert document.text == "na\u00efve “q”"
    assert document.meta["encoding"] == "cp1252"


def test_bom_beats_meta_charset_and_crlf_is_recorded(tmp_path: Path) -> None:
    html = '<meta charset="iso-8859-2">\r\n<p>Zürich\r\n“x”</p>\r\n'
    data = codecs.BOM_UTF16_LE + html.encode("utf-16-le")
    [document] = extract_file(write(tmp_path, "bom.html", data))
    assert document.text == "Zürich “x”"
    assert document.meta["encoding"] == "utf-16-le"
    assert document.meta["line_endings"] == "crlf"


def test_pre_keeps_line_breaks_after_crlf_normalisation(tmp_path: Path) -> None:
    html = b"<pre>a  b\r\n  c</pre>"
    [document] = extract_file(write(tmp_path, "p.html", html))
    assert document.text == "a  b\n  c"


def test_deep_nesting_does_not_overflow(tmp_path: Path) -> None:
    html = "<div>" * 5000 + "deep" + "</div>" * 5000
    assert extract_file(write(tmp_path, "d.html", html.encode()))[0].text == "deep"


def test_nothing_is_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during HTML import")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = b'<link rel="stylesheet" href="https://e.org/s.css"><img src="https://e.org/i.png">'
    html += b'<iframe src="https://e.org/"></iframe><p>Offline</p>'
    assert extract_file(write(tmp_path, "n.html", html))[0].text == "Offline"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><head><script>x()</script></head><body><nav>Menu</nav></body></html>",
         "no readable text"),
        (b"   \n", "only whitespace"),
        (b"<p>a\x00b</p>", "NUL"),
    ],
)
def test_refusals(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason):
        extract_file(write(tmp_path, "bad.html", data))
