"""Interactive explorations that work with a kernel and without one.

Every chapter's exploration uses :func:`figure_slider`: it draws the figure
for each value on a small grid ahead of time and links the sliders to a
stack of pictures in the browser (``jslink``), so the slider works in the
static HTML book, where no kernel runs, exactly as in Jupyter and Binder.
For a finer, live exploration a chapter adds :func:`live`, whose cell is
tagged ``remove-output`` so the HTML never shows a control that does nothing.
"""
import io

from lib._checks import check_positive


def figure_to_png(fig, dpi=80, tight=None):
    """Render a matplotlib figure to PNG bytes and close it.

    ``tight`` crops the margins with ``bbox_inches="tight"``, which draws the
    figure twice. The default, None, crops only figures without constrained
    layout: the book style turns it on, and its figures are laid out already,
    so they render in one pass (about a third faster, which matters when a
    slider pre-draws dozens of pictures).
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    if not isinstance(fig, Figure):
        raise TypeError(f"fig: expected a matplotlib Figure (draw must return one), got {type(fig).__name__}")
    check_positive("dpi", dpi)
    if tight is not None and not isinstance(tight, bool):
        raise TypeError(f"tight: expected True, False or None, got {tight!r}")
    if tight is None:
        tight = not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight" if tight else None)
    plt.close(fig)
    return buf.getvalue()


def _labels(values):
    return [v if isinstance(v, str) else f"{v:g}" if isinstance(v, float) else str(v)
            for v in values]


def figure_slider(draw, dpi=80, alt=None, **grids):
    """A kernel-free interactive figure: one slider per parameter, pictures drawn ahead.

    Args:
        draw: a function taking the parameters by keyword and returning a
            matplotlib ``Figure`` (it should not call ``plt.show``).
        dpi: resolution of the pre-rendered pictures (80 keeps pages light).
        alt: the pictures' text alternative, for readers who cannot see them:
            a string (the same for every picture), or a function taking the
            parameters by keyword, like ``draw``, and returning the string for
            that picture. Say what is plotted against what and the shape the
            prose relies on, not only the title. Every picture's ``<img>``
            gets it as its ``alt``; None (the default) leaves the pictures
            without one, which the book's browser test refuses.
        **grids: parameter name → the list of values its slider offers,
            for example ``learning_rate=[0.01, 0.1, 1.0]``. Keep the product of
            the list lengths small (≤ 40 pictures): every one is saved in the page.

    Returns:
        an ``ipywidgets.VBox`` of the sliders above the picture. Each slider
        is ``jslink``-ed to a nested ``Stack`` of pictures, so moving it
        switches the picture in the browser without Python. A picture is an
        ``HTML`` widget holding one ``<img>`` (its PNG inline as a ``data:``
        URL): ipywidgets' ``Image`` widget cannot carry an ``alt``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    _check_draw(draw)
    check_positive("dpi", dpi)
    if alt is not None and not isinstance(alt, str) and not callable(alt):
        raise TypeError(f"alt: expected a string or a function of the parameters, "
                        f"got {type(alt).__name__}")
    if isinstance(alt, str) and not alt.strip():
        raise ValueError("alt: expected a text that says what the figure shows, got an empty string")
    if not grids:
        raise ValueError("grids: expected at least one parameter=list_of_values")
    names = list(grids)
    for name in names:
        if isinstance(grids[name], (str, bytes, dict)) or not hasattr(grids[name], "__len__"):
            raise TypeError(f"{name}: expected a list of the values its slider offers, "
                            f"got {type(grids[name]).__name__}")
        if len(grids[name]) == 0:
            raise ValueError(f"{name}: expected a non-empty list of values")

    sliders = [widgets.SelectionSlider(options=list(zip(_labels(grids[n]), range(len(grids[n])))),
                                       value=len(grids[n]) // 2, description=n,
                                       continuous_update=True,
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="420px"))
               for n in names]

    def build(level, chosen):
        if level == len(names):
            fig = draw(**chosen)
            if not isinstance(fig, Figure):
                raise TypeError(f"draw: expected draw(**params) to return a matplotlib Figure, "
                                f"got {type(fig).__name__} for {chosen}")
            png = figure_to_png(fig, dpi=dpi)
            return _picture(png, _alt_text(alt, chosen))
        name = names[level]
        children = [build(level + 1, {**chosen, name: v}) for v in grids[name]]
        stack = widgets.Stack(children, selected_index=len(children) // 2)
        widgets.jslink((sliders[level], "index"), (stack, "selected_index"))
        return stack

    return widgets.VBox([*sliders, build(0, {})])


def _alt_text(alt, chosen):
    if alt is None or isinstance(alt, str):
        return alt
    text = alt(**chosen)
    if not isinstance(text, str) or not text.strip():
        raise TypeError(f"alt: expected alt(**params) to return a non-empty string, "
                        f"got {text!r} for {chosen}")
    return text


def _picture(png, alt):
    """One pre-drawn picture: an ``<img>`` with its text alternative, in an HTML widget."""
    import base64
    import html

    import ipywidgets as widgets

    alt_attr = "" if alt is None else f' alt="{html.escape(alt, quote=True)}"'
    tag = (f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}"{alt_attr}'
           ' style="display: block; max-width: 100%; height: auto">')
    return widgets.HTML(value=tag, layout=widgets.Layout(max_width="100%"))


def live(draw, **ranges):
    """A live exploration for Jupyter and Binder: ``ipywidgets.interact`` over ``draw``.

    Args:
        draw: function of the parameters that draws (it may call ``plt.show``).
        **ranges: parameter name → an ipywidgets abbreviation, e.g.
            ``(0.0, 1.0, 0.05)`` for a float slider or a list for a dropdown.

    Tag the cell ``remove-output``: in the static book its slider could not
    redraw, so only the code is shown there.
    """
    import ipywidgets as widgets

    _check_draw(draw)
    if not ranges:
        raise ValueError("ranges: expected at least one parameter=range, such as w=(0.0, 1.0, 0.05)")
    return widgets.interact(draw, **ranges)


def _check_draw(draw):
    if not callable(draw):
        raise TypeError(f"draw: expected a function of the parameters, got {type(draw).__name__}")
