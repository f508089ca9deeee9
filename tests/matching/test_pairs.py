import numpy as np
import pytest
from scipy import sparse

from threadline.candidates.pairs import pair_dot


def _matrix(rows: int, width: int, seed: int) -> sparse.csr_matrix:
    matrix = sparse.random(rows, width, density=0.2, format="csr", dtype=np.float32, rng=seed)
    matrix.sort_indices()
    return sparse.csr_matrix(matrix)


@pytest.mark.parametrize("pairs", [0, 1, 7, 5000])
def test_pair_dot_equals_dense_row_products(pairs: int) -> None:
    a, b = _matrix(30, 40, 1), _matrix(50, 40, 2)
    rng = np.random.default_rng(3)
    a_rows = rng.integers(0, 30, pairs)
    b_rows = rng.integers(0, 50, pairs)
    dense_a, dense_b = a.toarray(), b.toarray()
    expected = (dense_a[a_rows] * dense_b[b_rows]).sum(axis=1)
    np.testing.assert_allclose(pair_dot(a, b, a_rows, b_rows), expected, rtol=1e-5)


def test_pair_dot_with_empty_rows() -> None:
    a = sparse.csr_matrix(np.array([[0.0, 0.0], [1.0, 2.0]], dtype=np.float32))
    b = sparse.csr_matrix(np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32))
    result = pair_dot(a, b, np.array([0, 1, 1]), np.array([0, 0, 1]))
    np.testing.assert_allclose(result, [0.0, 11.0, 0.0])
