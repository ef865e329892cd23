"""Figures shared by the chapters, in one colour-blind-safe style.

``use_book_style()`` (called by every chapter's first code cell through
``lib.plots``) sets the Okabe–Ito palette, readable font sizes and a figure
width that fits the HTML page. Every drawing function takes an optional
``ax`` (a new figure when None), returns the axes, and refuses a wrong
argument with an error that names it.
"""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from lib._checks import as_float, check_positive_int, check_range

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
             "#56B4E9", "#F0E442", "#000000"]
"""Okabe & Ito's eight colours, distinguishable with every common colour-vision deficiency."""

CLASS_CMAP = matplotlib.colors.ListedColormap([OKABE_ITO[3], OKABE_ITO[0]])
"""Two classes: vermillion for 0, blue for 1."""

SEQUENTIAL = "viridis"
"""The colour map for images and heat maps (perceptually uniform, readable in grey)."""


def use_book_style():
    """Apply the book's matplotlib style (palette, sizes, grid)."""
    plt.rcParams.update({
        "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "image.cmap": SEQUENTIAL,
        "lines.linewidth": 2,
        "figure.constrained_layout.use": True,
    })


use_book_style()


def plot_decision_boundary(predict, X, Y, ax=None, title=None, resolution=200, margin=0.5):
    """Draw a classifier's regions over a 2-D data set.

    Args:
        predict: function mapping points of shape (2, k) to labels (1, k) or (k,).
        X: (2, m) the points, one column per example.
        Y: (1, m) their labels in {0, 1}.
        ax: the axes to draw on (a new figure when None).
        title: the axes title.
        resolution: grid points per axis.

    Returns:
        the axes.
    """
    _check_callable("predict", predict)
    X = _numbers("X", X)
    Y = _numbers("Y", Y).reshape(-1)
    if X.ndim != 2 or X.shape[0] != 2 or X.shape[1] == 0:
        raise ValueError(f"X: expected shape (2, m), got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X: contains NaN or infinity")
    if Y.size != X.shape[1]:
        raise ValueError(f"Y: expected {X.shape[1]} labels (1, m), got {Y.size}")
    check_positive_int("resolution", resolution, 2)
    check_range("margin", margin, 0)
    ax = _axes(ax, (5, 4))
    x0 = np.linspace(X[0].min() - margin, X[0].max() + margin, resolution)
    x1 = np.linspace(X[1].min() - margin, X[1].max() + margin, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    grid = np.vstack([g0.ravel(), g1.ravel()])
    labels = np.asarray(predict(grid))
    if labels.size != grid.shape[1]:
        raise ValueError(f"predict: expected one label per point, {grid.shape[1]} for points of shape "
                         f"{grid.shape}, got an array of shape {labels.shape}")
    labels = labels.reshape(g0.shape)
    ax.contourf(g0, g1, labels, levels=[-0.5, 0.5, 1.5], cmap=CLASS_CMAP, alpha=0.25)
    for k, marker in ((0, "o"), (1, "^")):
        pts = X[:, Y == k]
        ax.scatter(pts[0], pts[1], s=14, marker=marker, color=CLASS_CMAP(k),
                   edgecolor="k", linewidth=0.3, label=f"y = {k}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="upper right", fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def plot_learning_curve(costs, every=1, ax=None, title="Learning curve", label=None):
    """Plot costs recorded every ``every`` iterations; returns the axes.

    Args:
        costs: (k,) the costs, the i-th recorded at iteration i · every (NaN or
            infinity, from a run that diverged, leave a gap).
        every: iterations between two records, an integer >= 1.
        ax: the axes to draw on (a new figure when None). title, label: the
            axes title and the curve's legend entry.
    """
    costs = _numbers("costs", costs)
    if costs.ndim != 1 or costs.size == 0:
        raise ValueError(f"costs: expected a non-empty list of costs (k,), got shape {costs.shape}")
    check_positive_int("every", every, 1)
    ax = _axes(ax, (5.5, 3.5))
    ax.plot(np.arange(costs.size) * every, costs, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost $J$")
    ax.set_title(title)
    if label:
        ax.legend()
    return ax


def show_matrix(M, ax=None, title=None, fmt="{:g}", cmap="gray", annotate=True, vmin=None, vmax=None):
    """Draw a small matrix as a grid of cells with its numbers written in; returns the axes.

    Args:
        M: (rows, columns) the matrix, a 2-d array of numbers.
        ax: the axes to draw on (a new figure sized to M when None). title: the axes title.
        fmt: the format of each number, such as ``"{:g}"`` or ``"{:.2f}"``.
        cmap: a matplotlib colour map name. annotate: write the numbers in.
        vmin, vmax: the values mapped to the ends of the colour map (M's range when None).
    """
    M = _numbers("M", M).astype(float)
    if M.ndim != 2 or M.size == 0:
        raise ValueError(f"M: expected a non-empty 2-d array, got shape {M.shape}")
    if not isinstance(fmt, str):
        raise TypeError(f"fmt: expected a format string such as '{{:g}}', got {type(fmt).__name__}")
    try:
        fmt.format(0.0)
    except (ValueError, IndexError, KeyError) as err:
        raise ValueError(f"fmt: expected a format string with one field such as '{{:g}}', got {fmt!r}") from err
    cmap = _colour_map("cmap", cmap)
    ax = _axes(ax, (0.45 * M.shape[1] + 1, 0.45 * M.shape[0] + 0.8))
    im = ax.imshow(M, cmap=cmap, vmin=vmin, vmax=vmax)
    if annotate:
        for (i, j), v in np.ndenumerate(M):
            # black text on light cells, white on dark ones, whatever the colour map
            r, g, b, _ = im.cmap(im.norm(v))
            light = 0.299 * r + 0.587 * g + 0.114 * b > 0.5
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=9,
                    color="black" if light else "white")
    ax.set_xticks(range(M.shape[1]))
    ax.set_yticks(range(M.shape[0]))
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def plot_network(layer_sizes, labels=None, masks=None, ax=None, title=None, layer_names=None):
    """Draw a network as circles (neurons) in columns (layers) joined by lines (weights).

    Args:
        layer_sizes: [n^[0], n^[1], ..., n^[L]], the units of each layer (input first).
        labels: optional list, one list of strings per layer, written beside the units.
        masks: optional list of L arrays, mask l of shape (n^[l], n^[l-1]); a line
            joins unit k of layer l-1 to unit j of layer l where mask[j, k] is true
            (every pair when the mask, or ``masks``, is None).
        ax: the axes to draw on (a new figure when None). title: the axes title.
        layer_names: optional caption under each column, e.g. "input layer".

    Returns:
        the axes.
    """
    try:
        sizes = [n for n in layer_sizes]
    except TypeError:
        raise TypeError(f"layer_sizes: expected a list of integers, got {type(layer_sizes).__name__}") from None
    if (len(sizes) < 2 or not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in sizes)
            or min(sizes) < 1):
        raise ValueError(f"layer_sizes: expected two or more positive integers, got {layer_sizes!r}")
    sizes = [int(n) for n in sizes]
    for name, value in (("labels", labels), ("layer_names", layer_names)):
        if value is not None and len(value) != len(sizes):
            raise ValueError(f"{name}: expected {len(sizes)} entries (one per layer), got {len(value)}")
    if labels is not None:
        for l, layer in enumerate(labels):
            if layer is not None and len(layer) != sizes[l]:
                raise ValueError(f"labels[{l}]: expected {sizes[l]} labels (n^[{l}]), got {len(layer)}")
    if masks is not None and len(masks) != len(sizes) - 1:
        raise ValueError(f"masks: expected {len(sizes) - 1} masks (one per layer after the input), "
                         f"got {len(masks)}")
    ax = _axes(ax, (2.2 * len(sizes) + 1.5, 0.75 * max(sizes) + 1.2))
    tallest = max(sizes)

    coords = [[(l, (sizes[l] - 1) / 2 - j) for j in range(n)] for l, n in enumerate(sizes)]
    for l in range(1, len(sizes)):
        mask = np.ones((sizes[l], sizes[l - 1]), bool) if masks is None or masks[l - 1] is None \
            else np.asarray(masks[l - 1], bool)
        if mask.shape != (sizes[l], sizes[l - 1]):
            raise ValueError(f"masks[{l - 1}]: expected shape ({sizes[l]}, {sizes[l - 1]}) "
                             f"(n^[{l}], n^[{l - 1}]), got {mask.shape}")
        for j, k in zip(*np.nonzero(mask)):
            (x0, y0), (x1, y1) = coords[l - 1][k], coords[l][j]
            ax.plot([x0, x1], [y0, y1], color="0.55", lw=1.2, zorder=1)
    for l, layer in enumerate(coords):
        colour = OKABE_ITO[0] if l == 0 else OKABE_ITO[2] if l == len(sizes) - 1 else OKABE_ITO[1]
        for j, (x, y) in enumerate(layer):
            ax.scatter([x], [y], s=500, color=colour, edgecolor="k", zorder=2)
            if labels is not None and labels[l] is not None:
                # inputs on the left, outputs on the right, hidden units above their circle
                ha, va, dx, dy = (("right", "center", -0.18, 0) if l == 0 else
                                  ("left", "center", 0.18, 0) if l == len(sizes) - 1 else
                                  ("center", "bottom", 0, 0.22))
                ax.text(x + dx, y + dy, labels[l][j], ha=ha, va=va, fontsize=10,
                        bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1), zorder=3)
        if layer_names is not None:
            ax.text(l, -(tallest - 1) / 2 - 0.8, layer_names[l], ha="center", va="top", fontsize=10)
    ax.set_xlim(-1.3, len(sizes) - 0.2)
    ax.set_ylim(-(tallest - 1) / 2 - 1.3, (tallest - 1) / 2 + 0.6)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def draw_sequence_shapes(ax, kind, T_x=4, T_y=4, title=None):
    """Draw one kind of sequence model as unrolled boxes: inputs below, states in the middle, outputs above.

    Args:
        ax: matplotlib axes.
        kind: "one-to-one", "one-to-many", "many-to-one", "many-to-many"
            (T_x = T_y, an output at each step) or "encoder-decoder"
            (T_x inputs read, then T_y outputs written).
        T_x, T_y: the lengths drawn.
        title: axes title (default: the kind).

    Returns:
        the axes.
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    _axes(ax, None, required=True)
    T_x = check_positive_int("T_x", T_x, 1)
    T_y = check_positive_int("T_y", T_y, 1)
    layouts = {
        "one-to-one": (1, [0], [0]),
        "one-to-many": (T_y, [0], list(range(T_y))),
        "many-to-one": (T_x, list(range(T_x)), [T_x - 1]),
        "many-to-many": (T_x, list(range(T_x)), list(range(T_x))),
        "encoder-decoder": (T_x + T_y, list(range(T_x)), list(range(T_x, T_x + T_y))),
    }
    if kind not in layouts:
        raise ValueError(f"kind: expected one of {list(layouts)}, got {kind!r}")
    n_steps, ins, outs = layouts[kind]

    def box(cx, cy, label, colour):
        ax.add_patch(FancyBboxPatch((cx - 0.3, cy - 0.25), 0.6, 0.5, boxstyle="round,pad=0.03",
                                    fc=colour, ec="black", lw=1))
        ax.text(cx, cy, label, ha="center", va="center", fontsize=9, color="white")

    def arrow(x0, y0, x1, y1):
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=10, lw=1.2))

    for t in range(n_steps):
        box(t, 1, "a", OKABE_ITO[0])
        if t > 0:
            arrow(t - 0.7, 1, t - 0.3, 1)
        if t in ins:
            box(t, 0, "x", OKABE_ITO[2])
            arrow(t, 0.25, t, 0.75)
        if t in outs:
            box(t, 2, "ŷ", OKABE_ITO[3])
            arrow(t, 1.25, t, 1.75)
    ax.set_xlim(-0.6, max(n_steps, 4) - 0.4)
    ax.set_ylim(-0.5, 2.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or kind)
    return ax


def plot_attention(alpha, source, target, ax=None, title=None):
    """Draw one translation's attention weights as a heat map.

    Args:
        alpha: (T_y, T_x) weights of one example (e.g. ``translate(...)[1][0]``).
        source: the input string (its characters label the x axis).
        target: the output string (its characters label the y axis).
        ax: axes to draw on (a new figure when None).

    Returns:
        the axes; only the columns of the real input characters are drawn.
    """
    for name, value in (("source", source), ("target", target)):
        if not isinstance(value, str):
            raise TypeError(f"{name}: expected a string (its characters label the axis), "
                            f"got {type(value).__name__}")
    alpha = _numbers("alpha", alpha)
    if alpha.ndim != 2 or alpha.shape[0] != len(target) or alpha.shape[1] < len(source):
        raise ValueError(f"alpha: expected shape (len(target)={len(target)}, T_x >= "
                         f"len(source)={len(source)}), got {alpha.shape}")
    if not (np.all(np.isfinite(alpha)) and np.all((alpha >= 0) & (alpha <= 1))):
        raise ValueError("alpha: expected attention weights in [0, 1]")
    ax = _axes(ax, (0.28 * len(source) + 2.2, 3.6))
    im = ax.imshow(alpha[:, :len(source)], cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(source)), [c if c != " " else "␣" for c in source])
    ax.set_yticks(range(len(target)), list(target))
    ax.set_xlabel("input character $t'$")
    ax.set_ylabel("output character $t$")
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label=r"$\alpha^{<t,t'>}$", shrink=0.85)
    ax.set_title(title or f"{source!r} → {target}")
    return ax


# Argument checks: a wrong argument is refused with an error that names it.
def _axes(ax, figsize, required=False):
    """``ax`` if it is matplotlib axes; a new figure's axes of ``figsize`` when None (and not required)."""
    if ax is None and not required:
        _, ax = plt.subplots(figsize=figsize)
        return ax
    if not isinstance(ax, matplotlib.axes.Axes):
        raise TypeError(f"ax: expected matplotlib axes{'' if required else ' or None'}, "
                        f"got {type(ax).__name__}")
    return ax


def _numbers(name, value):
    """An array of real numbers (NaN allowed, for the callers that accept gaps), else TypeError."""
    return as_float(name, value, finite=False, empty=True)


def _check_callable(name, f):
    if not callable(f):
        raise TypeError(f"{name}: expected a function, got {type(f).__name__}")
    return f


def _colour_map(name, cmap):
    if isinstance(cmap, matplotlib.colors.Colormap):
        return cmap
    if not isinstance(cmap, str) or cmap not in matplotlib.colormaps:
        raise ValueError(f"{name}: expected a matplotlib colour map name such as 'gray' or 'viridis', "
                         f"got {cmap!r}")
    return cmap
