r"""A sparse format for activations with many zeros: what skipping them costs and saves.

Chapter ``06_activation_functions`` uses it to test the source's claim that
ReLU's zeros make computation efficient. A dense matrix product multiplies
every entry, zero or not. A sparse format stores only the non-zero entries;
compressed sparse columns (CSC), for a matrix A of shape (n, m):

- ``values``: the nnz non-zero entries, column after column;
- ``rows``: the row index of each, (nnz,);
- ``starts``: (m + 1,), column j's entries are ``values[starts[j]:starts[j+1]]``.

Then :math:`(W A)_{:,j} = \sum_{k} W_{:, \text{rows}_k}\, \text{values}_k` over
column j's entries only: :math:`n_{out} \cdot nnz` multiply-adds instead of
:math:`n_{out} \cdot n \cdot m`. :func:`sparse_matmul` does it with one gather
and one segmented sum (``np.add.reduceat``), no Python loop.
"""
import numpy as np

from lib._checks import as_float, check_shape


def to_sparse_columns(A):
    """A (n, m) in compressed sparse columns: (values (nnz,), rows (nnz,), starts (m + 1,), shape).

    Args:
        A: (n, m), finite; typically ReLU activations A^[l] (n^[l], m).
    """
    A = as_float("A", A, ndim=2, meaning="(n, m)")
    column, row = np.nonzero(A.T)                 # column-major order: column by column
    starts = np.searchsorted(column, np.arange(A.shape[1] + 1))
    return A.T[column, row], row, starts, A.shape


def sparse_matmul(W, sparse):
    """W @ A for A given by :func:`to_sparse_columns`, touching only A's non-zero entries.

    Args:
        W: (n_out, n). sparse: (values, rows, starts, (n, m)) of A.

    Returns:
        (n_out, m), equal to ``W @ A`` up to rounding.
    """
    values, rows, starts, (n, m) = sparse
    W = as_float("W", W, ndim=2, meaning="(n_out, n)")
    check_shape("W", W, (None, n), f"(n_out, n), n = A's rows = {n}")
    out = np.zeros((W.shape[0], m), dtype=np.result_type(W, values))
    nonempty = starts[:-1] < starts[1:]
    if values.size:
        products = W[:, rows] * values                          # (n_out, nnz): one product per non-zero
        out[:, nonempty] = np.add.reduceat(products, starts[:-1][nonempty], axis=1)
    return out
