"""Figures shared by the chapters, in one colour-blind-safe style.

``use_book_style()`` (called by every chapter's first code cell through
``lib.plots``) sets the Okabe–Ito palette, readable font sizes and a figure
width that fits the HTML page.
"""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
             "#56B4E9", "#F0E442", "#000000"]
"""Okabe & Ito's eight colours, distinguishable with every common colour-vision deficiency."""

CLASS_CMAP = matplotlib.colors.ListedColormap([OKABE_ITO[3], OKABE_ITO[0]])
"""Two classes: vermillion for 0, blue for 1."""

DIVERGING = "RdBu_r"
SEQUENTIAL = "viridis"


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
    X = np.asarray(X)
    Y = np.asarray(Y).reshape(-1)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"X: expected shape (2, m), got {X.shape}")
    if Y.size != X.shape[1]:
        raise ValueError(f"Y: expected {X.shape[1]} labels (1, m), got {Y.size}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    x0 = np.linspace(X[0].min() - margin, X[0].max() + margin, resolution)
    x1 = np.linspace(X[1].min() - margin, X[1].max() + margin, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    grid = np.vstack([g0.ravel(), g1.ravel()])
    labels = np.asarray(predict(grid)).reshape(g0.shape)
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
    """Plot costs recorded every ``every`` iterations; returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    costs = np.asarray(costs, dtype=float)
    ax.plot(np.arange(costs.size) * every, costs, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost $J$")
    ax.set_title(title)
    if label:
        ax.legend()
    return ax


def show_matrix(M, ax=None, title=None, fmt="{:g}", cmap="gray", annotate=True, vmin=None, vmax=None):
    """Draw a small matrix as a grid of cells with its numbers written in; returns the axes."""
    M = np.asarray(M, dtype=float)
    if M.ndim != 2:
        raise ValueError(f"M: expected a 2-d array, got shape {M.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * M.shape[1] + 1, 0.45 * M.shape[0] + 0.8))
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
    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes: expected two or more positive sizes, got {layer_sizes!r}")
    if masks is not None and len(masks) != len(sizes) - 1:
        raise ValueError(f"masks: expected {len(sizes) - 1} masks (one per layer after the input), "
                         f"got {len(masks)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.2 * len(sizes) + 1.5, 0.75 * max(sizes) + 1.2))
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
