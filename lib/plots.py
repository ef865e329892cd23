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
        lo, hi = im.get_clim()
        mid = (lo + hi) / 2
        for (i, j), v in np.ndenumerate(M):
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=9,
                    color="black" if (v > mid) == (cmap == "gray") else "white")
    ax.set_xticks(range(M.shape[1]))
    ax.set_yticks(range(M.shape[0]))
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax
