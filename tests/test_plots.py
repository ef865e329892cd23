"""Tests of lib.plots: the book's style and its shared figures (Agg backend)."""
import re

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
    ax = plots.show_matrix([[0.25, 1.5]], fmt="{:.2f}")
    assert [t.get_text() for t in ax.texts] == ["0.25", "1.50"]


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


@pytest.mark.parametrize("kind, boxes", [("one-to-one", 3), ("one-to-many", 1 + 3 + 3),
                                         ("many-to-one", 4 + 4 + 1), ("many-to-many", 4 + 4 + 4),
                                         ("encoder-decoder", 4 + 7 + 3)])
def test_draw_sequence_shapes_draws_a_box_per_input_state_and_output(kind, boxes):
    _, ax = plt.subplots()
    out = plots.draw_sequence_shapes(ax, kind, T_x=4, T_y=3)
    assert out is ax and ax.get_title() == kind
    letters = [t.get_text() for t in ax.texts]
    assert len(letters) == boxes
    n_states = letters.count("a")
    assert n_states == {"one-to-one": 1, "one-to-many": 3, "encoder-decoder": 7}.get(kind, 4)
    assert letters.count("x") + letters.count("ŷ") + n_states == boxes
    plots.draw_sequence_shapes(ax, kind, title="custom")
    assert ax.get_title() == "custom"


def test_plot_attention_draws_the_real_input_columns():
    alpha = np.full((3, 6), 1 / 6)                  # T_x = 6 with padding, a 4-character source
    ax = plots.plot_attention(alpha, "ab c", "xyz")
    image = ax.images[0].get_array()
    assert image.shape == (3, 4)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "␣", "c"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "y", "z"]
    assert "ab c" in ax.get_title()


def test_wrong_arguments_are_refused_by_name():
    _, ax = plt.subplots()
    cases = [
        (TypeError, "ax", lambda: plots.draw_sequence_shapes(None, "one-to-one")),
        (ValueError, "kind", lambda: plots.draw_sequence_shapes(ax, "many-to-few")),
        (ValueError, "T_x", lambda: plots.draw_sequence_shapes(ax, "many-to-one", T_x=0)),
        (TypeError, "T_y", lambda: plots.draw_sequence_shapes(ax, "one-to-many", T_y=2.5)),
        (ValueError, "alpha", lambda: plots.plot_attention(np.ones((2, 4)) / 4, "abcd", "xyz")),
        (ValueError, "alpha", lambda: plots.plot_attention(np.full((3, 4), 2.0), "abcd", "xyz")),
        (TypeError, "source", lambda: plots.plot_attention(np.ones((3, 4)) / 4, ["a", "b"], "xyz")),
        (TypeError, "target", lambda: plots.plot_attention(np.ones((3, 4)) / 4, "ab", 3)),
        (TypeError, "ax", lambda: plots.plot_attention(np.ones((3, 4)) / 4, "ab", "xyz", ax="left")),
        (TypeError, "predict", lambda: plots.plot_decision_boundary(None, np.zeros((2, 5)), np.zeros((1, 5)))),
        (ValueError, "predict", lambda: plots.plot_decision_boundary(lambda P: np.zeros(3), np.zeros((2, 5)),
                                                                     np.zeros((1, 5)), resolution=10)),
        (ValueError, "X", lambda: plots.plot_decision_boundary(lambda P: P[0] > 0, np.full((2, 5), np.nan),
                                                               np.zeros((1, 5)))),
        (ValueError, "resolution", lambda: plots.plot_decision_boundary(lambda P: P[0] > 0, np.zeros((2, 5)),
                                                                        np.zeros((1, 5)), resolution=1)),
        (ValueError, "margin", lambda: plots.plot_decision_boundary(lambda P: P[0] > 0, np.zeros((2, 5)),
                                                                    np.zeros((1, 5)), margin=-1.0)),
        (ValueError, "costs", lambda: plots.plot_learning_curve([])),
        (ValueError, "costs", lambda: plots.plot_learning_curve([[1.0, 2.0]])),
        (TypeError, "costs", lambda: plots.plot_learning_curve(["high", "low"])),
        (ValueError, "every", lambda: plots.plot_learning_curve([1.0], every=0)),
        (ValueError, "M", lambda: plots.show_matrix(np.zeros(3))),
        (ValueError, "M", lambda: plots.show_matrix(np.zeros((0, 3)))),
        (TypeError, "fmt", lambda: plots.show_matrix(np.eye(2), fmt=3)),
        (ValueError, "fmt", lambda: plots.show_matrix(np.eye(2), fmt="{:q}")),
        (ValueError, "cmap", lambda: plots.show_matrix(np.eye(2), cmap="grey-ish")),
        (ValueError, "layer_sizes", lambda: plots.plot_network([3, 0, 1])),
        (ValueError, "layer_sizes", lambda: plots.plot_network([3, 2.5, 1])),
        (TypeError, "layer_sizes", lambda: plots.plot_network(3)),
        (ValueError, "labels", lambda: plots.plot_network([2, 1], labels=[["a", "b"]])),
        (ValueError, "labels[1]", lambda: plots.plot_network([2, 1], labels=[["a", "b"], ["c", "d"]])),
        (ValueError, "layer_names", lambda: plots.plot_network([2, 1], layer_names=["in"])),
    ]
    for error, name, call in cases:
        with pytest.raises(error, match=rf"^{re.escape(name)}:"):
            call()


def test_plot_learning_curve_leaves_a_gap_where_training_diverged():
    ax = plots.plot_learning_curve([3.0, np.inf, np.nan, 1.0])
    assert ax.lines[0].get_ydata().size == 4
