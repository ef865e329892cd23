"""Tests of lib.widgets: the kernel-free slider over pre-drawn figures."""
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
    if isinstance(widget, ipywidgets.Image):
        return [widget]
    return [img for child in widget.children for img in _images(child)]


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
    assert all(bytes(img.value).startswith(b"\x89PNG") for img in _images(stack))
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
