"""Tests of lib.plots: the book's style and its shared figures (Agg backend)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import lib.plots as plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_book_style_uses_okabe_ito():
    plots.use_book_style()
    colours = [c["color"] for c in plt.rcParams["axes.prop_cycle"]]
    assert colours == plots.OKABE_ITO
    assert plt.rcParams["figure.figsize"][0] <= 9


def test_plot_decision_boundary_draws_regions_and_points():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 20))
    Y = (X[0] > 0).astype(float)[None, :]
    ax = plots.plot_decision_boundary(lambda P: (P[0] > 0).astype(int), X, Y, title="t", resolution=30)
    assert ax.get_title() == "t" and ax.get_xlabel() == "$x_1$"
    assert len(ax.collections) >= 2


def test_plot_decision_boundary_rejects_examples_as_rows():
    X = np.zeros((5, 2))                     # (m, 2): examples must be columns
    with pytest.raises(ValueError, match=r"X: expected shape \(2, m\)"):
        plots.plot_decision_boundary(lambda P: P[0] > 0, X, np.zeros((1, 5)))
    with pytest.raises(ValueError, match="Y"):
        plots.plot_decision_boundary(lambda P: P[0] > 0, np.zeros((2, 5)), np.zeros((1, 4)))


def test_plot_learning_curve_x_axis_counts_iterations():
    ax = plots.plot_learning_curve([3.0, 2.0, 1.0], every=100)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 100, 200])
    assert ax.get_ylabel() == "cost $J$"


def test_show_matrix_writes_each_number():
    ax = plots.show_matrix(np.arange(6).reshape(2, 3), title="M")
    assert sorted(t.get_text() for t in ax.texts) == ["0", "1", "2", "3", "4", "5"]
    with pytest.raises(ValueError, match="M"):
        plots.show_matrix(np.zeros(3))


def test_plot_network_draws_units_and_masked_edges():
    mask = np.array([[1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1]])
    ax = plots.plot_network([4, 3, 1], labels=[list("abcd"), list("efg"), ["h"]], masks=[mask, None])
    assert len(ax.lines) == mask.sum() + 3           # 5 masked edges, then 3 into the output
    assert len(ax.collections) == 4 + 3 + 1
    assert {t.get_text() for t in ax.texts} == set("abcdefgh")
    with pytest.raises(ValueError, match="masks"):
        plots.plot_network([4, 3, 1], masks=[np.ones((4, 3)), None])
    with pytest.raises(ValueError, match="layer_sizes"):
        plots.plot_network([4])


def test_show_matrix_text_readable_on_any_colour_map():
    for cmap in ("gray", "viridis", "gray_r"):
        ax = plots.show_matrix(np.array([[0.0, 1.0]]), cmap=cmap)
        im = ax.images[0]
        for text, v in zip(ax.texts, (0.0, 1.0)):
            r, g, b, _ = im.cmap(im.norm(v))
            light = 0.299 * r + 0.587 * g + 0.114 * b > 0.5
            assert text.get_color() == ("black" if light else "white")
        plt.close(ax.figure)
