"""Tests of lib.widgets: the kernel-free slider over pre-drawn figures."""
import base64
import html.parser

import matplotlib

matplotlib.use("Agg")
import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import lib.widgets as widgets  # noqa: E402


def _draw(**params):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.set_title(" ".join(f"{k}={v}" for k, v in sorted(params.items())))
    return fig


def _images(widget):
    """The pre-drawn pictures under a widget: the HTML widgets that each hold one <img>."""
    if isinstance(widget, ipywidgets.HTML):
        return [widget]
    return [img for child in widget.children for img in _images(child)]


class _Img(html.parser.HTMLParser):
    def __init__(self, markup):
        super().__init__()
        self.tags = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _img(picture):
    """The attributes of a picture's one <img> tag (entities decoded)."""
    tags = _Img(picture.value).tags
    assert [tag for tag, _ in tags] == ["img"], picture.value[:200]
    return tags[0][1]


def _png(picture):
    src = _img(picture)["src"]
    assert src.startswith("data:image/png;base64,"), src[:40]
    return base64.b64decode(src.partition(",")[2])


@pytest.fixture
def links(monkeypatch):
    made = []
    original = ipywidgets.jslink

    def recording(source, target):
        made.append((source, target))
        return original(source, target)

    monkeypatch.setattr(ipywidgets, "jslink", recording)
    return made


def test_one_slider_linked_to_a_stack_of_the_right_size(links):
    box = widgets.figure_slider(_draw, w=[0.1, 0.5, 1.0, 2.0])
    assert isinstance(box, ipywidgets.VBox)
    slider, stack = box.children
    assert isinstance(slider, ipywidgets.SelectionSlider) and isinstance(stack, ipywidgets.Stack)
    assert len(stack.children) == 4 and len(_images(stack)) == 4
    assert all(_png(img).startswith(b"\x89PNG") for img in _images(stack))
    assert all("alt" not in _img(img) for img in _images(stack))      # none given, none made up
    assert links == [((slider, "index"), (stack, "selected_index"))]
    assert slider.index == stack.selected_index
    assert [label for label, _ in slider.options] == ["0.1", "0.5", "1", "2"]


def test_two_sliders_nested_stacks(links):
    box = widgets.figure_slider(_draw, w=[1, 2, 3], b=["lo", "hi"])
    s_w, s_b, outer = box.children
    assert len(outer.children) == 3 and all(len(inner.children) == 2 for inner in outer.children)
    assert len(_images(outer)) == 6
    assert ((s_w, "index"), (outer, "selected_index")) in links
    for inner in outer.children:
        assert ((s_b, "index"), (inner, "selected_index")) in links
    assert len(links) == 1 + 3
    assert plt.get_fignums() == []        # every pre-drawn figure was closed


def test_figure_slider_rejects_empty_grids():
    with pytest.raises(ValueError, match="grids"):
        widgets.figure_slider(_draw)
    with pytest.raises(ValueError, match="w"):
        widgets.figure_slider(_draw, w=[])


def test_figure_to_png_renders_and_closes_the_figure():
    fig = _draw(a=1)
    png = widgets.figure_to_png(fig)
    assert png.startswith(b"\x89PNG")
    assert not plt.fignum_exists(fig.number)


def test_wrong_arguments_are_refused_by_name():
    cases = [
        (TypeError, "draw", lambda: widgets.figure_slider("draw", w=[1, 2])),
        (TypeError, "draw", lambda: widgets.figure_slider(lambda w: None, w=[1, 2])),     # returns no Figure
        (ValueError, "dpi", lambda: widgets.figure_slider(_draw, dpi=0, w=[1, 2])),
        (TypeError, "w", lambda: widgets.figure_slider(_draw, w=3)),
        (TypeError, "w", lambda: widgets.figure_slider(_draw, w="abc")),
        (TypeError, "alt", lambda: widgets.figure_slider(_draw, alt=3, w=[1, 2])),
        (ValueError, "alt", lambda: widgets.figure_slider(_draw, alt="  ", w=[1, 2])),
        (TypeError, "alt", lambda: widgets.figure_slider(_draw, alt=lambda w: None, w=[1, 2])),
        (TypeError, "alt", lambda: widgets.figure_slider(_draw, alt=lambda w: "", w=[1, 2])),
        (TypeError, "fig", lambda: widgets.figure_to_png(None)),
        (ValueError, "dpi", lambda: widgets.figure_to_png(_draw(a=1), dpi=-5)),
        (TypeError, "tight", lambda: widgets.figure_to_png(_draw(a=1), tight="yes")),
        (TypeError, "draw", lambda: widgets.live(None, w=(0.0, 1.0))),
        (ValueError, "ranges", lambda: widgets.live(lambda: None)),
    ]
    for error, name, call in cases:
        with pytest.raises(error, match=f"^{name}:"):
            call()
    plt.close("all")


def test_live_returns_an_interactive_function():
    seen = []
    result = widgets.live(lambda w: seen.append(w), w=(0.0, 1.0, 0.5))
    assert callable(result) and seen


def test_figure_to_png_crops_only_figures_without_constrained_layout():
    import io

    from PIL import Image

    def size(png):
        return Image.open(io.BytesIO(png)).size

    fig = plt.figure(figsize=(4, 3), layout="constrained")
    fig.add_subplot().plot([0, 1])
    assert size(widgets.figure_to_png(fig, dpi=50)) == (200, 150)     # uncropped, one pass
    fig = plt.figure(figsize=(4, 3), layout="none")
    fig.add_subplot().plot([0, 1])
    assert size(widgets.figure_to_png(fig, dpi=50)) != (200, 150)     # cropped to its content


def test_alt_string_goes_on_every_picture():
    text = 'The cost "J" against w & b: it falls <then> levels off.'
    box = widgets.figure_slider(_draw, alt=text, w=[1, 2, 3], b=["lo", "hi"])
    pictures = _images(box.children[-1])
    assert len(pictures) == 6
    assert all(_img(p)["alt"] == text for p in pictures)           # escaped in the HTML, intact here
    assert all('alt="The cost &quot;J&quot; against w &amp; b: it falls &lt;then&gt; levels off."'
               in p.value for p in pictures)
    assert all("max-width: 100%" in _img(p)["style"] for p in pictures)


def test_alt_function_gets_each_pictures_values():
    seen = []

    def alt(w, b):
        seen.append((w, b))
        return f"w is {w}, b is {b}"

    box = widgets.figure_slider(_draw, alt=alt, w=[1, 2, 3], b=["lo", "hi"])
    outer = box.children[-1]
    for i, w in enumerate([1, 2, 3]):
        for j, b in enumerate(["lo", "hi"]):
            assert _img(outer.children[i].children[j])["alt"] == f"w is {w}, b is {b}"
    assert sorted(seen) == sorted((w, b) for w in [1, 2, 3] for b in ["lo", "hi"])   # the values, not labels
    assert plt.get_fignums() == []


def test_pictures_are_the_figures_drawn():
    box = widgets.figure_slider(_draw, alt="a title", w=[1, 2])
    fig = _draw(w=2)
    assert _png(box.children[-1].children[1]) == widgets.figure_to_png(fig)
