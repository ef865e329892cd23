"""lib.sparse: the compressed-columns product equals the dense one, whatever the zeros."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from contract import assert_refused, bad
from lib.sparse import sparse_matmul, to_sparse_columns

LAYERS = []


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.integers(1, 12), st.integers(1, 6),
       st.floats(0.0, 1.0))
def test_the_sparse_product_is_the_dense_product(seed, n, m, n_out, density):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, m)) * (rng.random((n, m)) < density)
    W = rng.standard_normal((n_out, n))
    np.testing.assert_allclose(sparse_matmul(W, to_sparse_columns(A)), W @ A, rtol=1e-12, atol=1e-12)


def test_the_format_holds_only_the_nonzero_entries_column_by_column():
    A = np.array([[0.0, 2.0, 0.0], [1.0, 0.0, 0.0], [3.0, 4.0, 0.0]])
    values, rows, starts, shape = to_sparse_columns(A)
    assert values.tolist() == [1.0, 3.0, 2.0, 4.0] and rows.tolist() == [1, 2, 0, 2]
    assert starts.tolist() == [0, 2, 4, 4] and shape == (3, 3)


def test_all_zeros_and_float32():
    W = np.ones((2, 3), np.float32)
    assert not sparse_matmul(W, to_sparse_columns(np.zeros((3, 4)))).any()
    A = np.eye(3, dtype=np.float32)
    out = sparse_matmul(W, to_sparse_columns(A))
    assert out.dtype == np.float32 and np.array_equal(out, W)


BAD_INPUTS = [
    bad(to_sparse_columns, "A", np.ones(3)),
    bad(to_sparse_columns, "A", np.array([[np.nan]])),
    bad(to_sparse_columns, "A", "abc", error=TypeError),
    bad(sparse_matmul, "W", np.ones((2, 4)), to_sparse_columns(np.eye(3))),
    bad(sparse_matmul, "W", np.ones(3), to_sparse_columns(np.eye(3))),
    bad(sparse_matmul, "W", np.full((2, 3), np.inf), to_sparse_columns(np.eye(3))),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_refused_by_name(case):
    assert_refused(case)
