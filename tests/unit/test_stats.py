"""Every statistic against an independent oracle (scipy / numpy on the raw data)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps
from scipy.spatial.distance import jensenshannon

from dqp_runner import stats

TOL = 1e-12


def counts_of(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.unique(raw, return_counts=True)


def ks_from_raw(ref: np.ndarray, cur: np.ndarray) -> stats.KsResult | None:
    rv, rc = counts_of(ref)
    cv, cc = counts_of(cur)
    return stats.ks_exact(rv, rc, cv, cc)


def assert_matches_scipy(ref: np.ndarray, cur: np.ndarray) -> stats.KsResult:
    got = ks_from_raw(ref, cur)
    want = sps.ks_2samp(ref, cur)
    assert got is not None
    assert got.method == "exact" and got.error_bound == 0.0
    assert (got.n, got.m) == (ref.size, cur.size)
    assert abs(got.d - want.statistic) <= TOL
    assert abs(got.p_value - want.pvalue) <= TOL
    return got


# --------------------------------------------------------------------------- KS exact


def test_ks_exact_matches_scipy_across_random_seeds_and_sizes() -> None:
    rng = np.random.default_rng(20240601)
    for _ in range(150):
        n = int(rng.integers(1, 3000))
        m = int(rng.integers(1, 3000))
        levels = int(rng.integers(1, 60))  # few levels: heavy ties
        shift = int(rng.integers(0, 3))
        ref = rng.integers(0, levels, n).astype(float)
        cur = (rng.integers(0, levels, m) + shift).astype(float)
        assert_matches_scipy(ref, cur)


@pytest.mark.parametrize(
    ("n", "m"),
    [
        (10_000, 10_000),  # largest exact case
        (9_999, 10_000),
        (10_000, 137),
        (10_001, 10_000),  # first asymptotic cases
        (10_001, 3),
        (250, 25_000),
        (40_000, 60_000),
    ],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ks_exact_matches_scipy_on_both_sides_of_the_10000_boundary(n: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ref = np.round(rng.normal(0.0, 1.0, n), 2)  # continuous-ish with ties
    cur = np.round(rng.normal(0.03 * seed, 1.0, m), 2)
    assert_matches_scipy(ref, cur)


def test_ks_exact_continuous_values_without_ties() -> None:
    rng = np.random.default_rng(7)
    for n, m in [(1, 1), (1, 9), (30, 31), (500, 800), (12_000, 11_000)]:
        assert_matches_scipy(rng.normal(size=n), rng.standard_t(3, size=m))


def test_ks_exact_with_infinities() -> None:
    rng = np.random.default_rng(11)
    ref = np.concatenate([rng.integers(0, 20, 400).astype(float), [np.inf] * 5, [-np.inf] * 2])
    cur = np.concatenate([rng.integers(0, 20, 300).astype(float), [np.inf] * 40])
    assert_matches_scipy(ref, cur)
    assert_matches_scipy(np.array([np.inf, np.inf]), np.array([-np.inf]))


def test_ks_constant_columns() -> None:
    same = assert_matches_scipy(np.full(50, 3.0), np.full(70, 3.0))
    assert same.d == 0.0 and same.p_value == 1.0
    moved = assert_matches_scipy(np.full(50, 3.0), np.full(70, 4.0))
    assert moved.d == 1.0
    big = stats.ks_exact([3.0], [10**7], [4.0], [10**7])
    assert big is not None and big.d == 1.0 and big.p_value == 0.0


def test_ks_exact_empty_side_is_insufficient() -> None:
    assert stats.ks_exact([], [], [1.0], [3]) is None
    assert stats.ks_exact([1.0], [0], [1.0], [3]) is None


def test_ks_exact_sums_repeated_values_and_ignores_zero_counts() -> None:
    a = stats.ks_exact([1.0, 2.0, 1.0, 9.0], [2, 3, 1, 0], [2.0, 5.0], [4, 4])
    b = stats.ks_exact([1.0, 2.0], [3, 3], [2.0, 5.0], [4, 4])
    assert a == b


def test_ks_exact_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="NaN"):
        stats.ks_exact([np.nan], [1], [1.0], [1])
    with pytest.raises(ValueError, match="non-negative"):
        stats.ks_exact([1.0], [-1], [1.0], [1])
    with pytest.raises(ValueError, match="one count per value"):
        stats.ks_exact([1.0, 2.0], [1], [1.0], [1])


def test_ks_exact_million_rows_matches_scipy() -> None:
    rng = np.random.default_rng(5)
    ref = rng.integers(0, 200, 1_000_000).astype(float)
    cur = (rng.integers(0, 200, 1_200_000) + (rng.random(1_200_000) < 0.01)).astype(float)
    assert_matches_scipy(ref, cur)


def test_ks_exact_huge_counts_do_not_allocate_raw_arrays() -> None:
    # 3e12 rows per side: rebuilding them would need terabytes.
    n_each = 10**12
    got = stats.ks_exact([0.0, 1.0, 2.0], [n_each] * 3, [0.0, 1.0, 2.0, 3.0], [n_each] * 3 + [10**11])
    assert got is not None
    n, m = 3 * n_each, 3 * n_each + 10**11
    ref_cdf = np.array([1, 2, 3, 3]) * n_each / n
    cur_cdf = np.array([1, 2, 3, 3.1]) * n_each / m
    d = float(np.max(np.abs(ref_cdf - cur_cdf)))
    assert got.d == pytest.approx(d, abs=TOL)
    # N = nm/(n+m) is far beyond scipy's kstwo range: Kolmogorov's limit applies.
    assert got.p_value == pytest.approx(float(sps.kstwobign.sf(d * math.sqrt(round(n * m / (n + m))))), abs=TOL)


def test_ks_p_value_past_scipys_int_range_uses_the_kolmogorov_limit() -> None:
    # n = m = 2N gives round(nm/(n+m)) = N. scipy's kstwo returns NaN from N = 2**31.
    for big_n in (stats.KSTWO_MAX_N - 1, stats.KSTWO_MAX_N + 1, 10**12):
        side = 2 * big_n
        shift = round(side / math.sqrt(big_n))  # D * sqrt(N) close to 1
        got = stats.ks_binned([0.0], [side - shift, shift], [side, 0])
        assert got is not None
        assert got.d == pytest.approx(shift / side, rel=1e-9)
        d = got.d
        assert not math.isnan(got.p_value)
        if big_n <= stats.KSTWO_MAX_N:
            assert got.p_value == pytest.approx(float(sps.kstwo.sf(d, big_n)), abs=TOL)
        else:
            grid = np.linspace(0.01, 10, 500) / math.sqrt(big_n)
            assert np.isnan(sps.kstwo.sf(grid, big_n)).any()  # why the switch exists
            assert got.p_value == pytest.approx(float(sps.kstwobign.sf(d * math.sqrt(big_n))), abs=TOL)
        # Continuous across the switch: kstwo and its limit agree closely there.
        assert got.p_value == pytest.approx(float(sps.kstwobign.sf(d * math.sqrt(big_n))), abs=1e-5)


# --------------------------------------------------------------------------- KS binned


def quantile_edges(ref: np.ndarray, k: int) -> np.ndarray:
    finite = ref[np.isfinite(ref)]
    return np.unique(np.quantile(finite, np.arange(1, k) / k))


def binned(raw: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.bincount(np.searchsorted(edges, raw, side="left"), minlength=edges.size + 1)


def ecdf_gap_at(ref: np.ndarray, cur: np.ndarray, points: np.ndarray) -> float:
    ref_s, cur_s = np.sort(ref), np.sort(cur)
    f_ref = np.searchsorted(ref_s, points, side="right") / ref.size
    f_cur = np.searchsorted(cur_s, points, side="right") / cur.size
    return float(np.max(np.abs(f_ref - f_cur)))


@pytest.mark.parametrize("shift", [0.0, 0.02, 0.1, 1.0])
def test_ks_binned_brackets_the_true_d(shift: float) -> None:
    rng = np.random.default_rng(42)
    ref = rng.normal(0.0, 1.0, 50_000)
    cur = rng.normal(shift, 1.0, 60_000)
    edges = quantile_edges(ref, 1000)
    got = stats.ks_binned(edges, binned(ref, edges), binned(cur, edges))
    assert got is not None and got.method == "binned"
    true_d = sps.ks_2samp(ref, cur).statistic
    assert got.d <= true_d + TOL
    assert true_d <= got.d + got.error_bound + TOL
    assert got.d == pytest.approx(ecdf_gap_at(ref, cur, edges), abs=TOL)
    assert got.error_bound == pytest.approx(
        max(binned(ref, edges).max() / ref.size, binned(cur, edges).max() / cur.size), abs=TOL
    )
    n, m = ref.size, cur.size
    assert got.p_value == pytest.approx(float(sps.kstwo.sf(got.d, round(n * m / (n + m)))), abs=TOL)


def test_ks_binned_bound_holds_with_ties_and_infinities() -> None:
    rng = np.random.default_rng(3)
    for seed in range(20):
        rng = np.random.default_rng(seed)
        ref = np.concatenate([rng.integers(0, 30, 5000).astype(float), [np.inf] * 10])
        cur = np.concatenate([rng.integers(2, 35, 4000).astype(float), [-np.inf] * 30])
        edges = quantile_edges(ref, int(rng.integers(2, 40)))
        got = stats.ks_binned(edges, binned(ref, edges), binned(cur, edges))
        assert got is not None
        true_d = sps.ks_2samp(ref, cur).statistic
        assert got.d - TOL <= true_d <= got.d + got.error_bound + TOL


def test_ks_binned_exact_when_edges_cover_every_value() -> None:
    # With an edge at every distinct value (but the largest), binning loses nothing.
    rng = np.random.default_rng(8)
    ref = rng.integers(0, 10, 700).astype(float)
    cur = rng.integers(1, 11, 900).astype(float)
    edges = np.unique(np.concatenate([ref, cur]))[:-1]
    got = stats.ks_binned(edges, binned(ref, edges), binned(cur, edges))
    assert got is not None
    assert got.d == pytest.approx(sps.ks_2samp(ref, cur).statistic, abs=TOL)


def test_ks_binned_huge_counts_and_degenerate_edges() -> None:
    got = stats.ks_binned([0.0, 1.0], [10**12, 10**12, 0], [0, 10**12, 10**12])
    assert got is not None and got.d == 0.5 and got.error_bound == 0.5
    assert got.p_value == 0.0
    no_edges = stats.ks_binned([], [5], [7])
    assert no_edges is not None and no_edges.d == 0.0 and no_edges.error_bound == 1.0
    assert stats.ks_binned([0.0], [0, 0], [1, 2]) is None


def test_ks_binned_rejects_bad_edges() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        stats.ks_binned([1.0, 1.0], [1, 1, 1], [1, 1, 1])
    with pytest.raises(ValueError, match="finite"):
        stats.ks_binned([np.inf], [1, 1], [1, 1])
    with pytest.raises(ValueError, match="bins per side"):
        stats.ks_binned([1.0], [1, 1, 1], [1, 1, 1])


# --------------------------------------------------------------------------- PSI


def psi_oracle(ref_counts: np.ndarray, cur_counts: np.ndarray, eps: float) -> float:
    total = 0.0
    n, m = ref_counts.sum(), cur_counts.sum()
    for r_count, c_count in zip(ref_counts, cur_counts, strict=True):
        r = r_count / n if r_count else eps
        c = c_count / m if c_count else eps
        total += (c - r) * math.log(c / r)
    return total


@pytest.mark.parametrize("seed", range(10))
def test_psi_matches_numpy_on_decile_bins_with_a_null_bin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ref = rng.lognormal(0.0, 1.0, 20_000)
    cur = rng.lognormal(0.1 * seed, 1.0 + 0.05 * seed, 15_000)
    edges = np.unique(np.quantile(ref, np.arange(1, 10) / 10))
    # np.histogram is left-closed; right-closed bins equal it on negated data.
    ref_hist = np.histogram(-ref, bins=np.concatenate([[-np.inf], -edges[::-1], [np.inf]]))[0][::-1]
    cur_hist = binned(cur, edges)
    assert np.array_equal(ref_hist, binned(ref, edges))
    ref_counts = np.append(ref_hist, int(rng.integers(0, 300)))  # null bin
    cur_counts = np.append(cur_hist, int(rng.integers(0, 300)))
    got = stats.psi(ref_counts, cur_counts)
    assert got == pytest.approx(psi_oracle(ref_counts, cur_counts, 1e-4), rel=1e-12, abs=TOL)
    assert got == pytest.approx(stats.psi(cur_counts, ref_counts), rel=1e-12)  # symmetric


def test_psi_edge_cases() -> None:
    assert stats.psi([10, 20, 30], [1, 2, 3]) == 0.0
    assert stats.psi([100], [5]) == 0.0  # constant column, same value
    assert stats.psi([0, 0], [1, 1]) is None
    # An emptied bin uses epsilon instead of an infinite log.
    got = stats.psi([50, 50], [100, 0], epsilon=1e-4)
    assert got == pytest.approx((1 - 0.5) * math.log(1 / 0.5) + (1e-4 - 0.5) * math.log(1e-4 / 0.5))
    # Both sides empty in a bin: that bin adds nothing.
    assert stats.psi([5, 0, 5], [5, 0, 5]) == 0.0
    with pytest.raises(ValueError, match="aligned"):
        stats.psi([1, 2], [1, 2, 3])


def test_psi_noise_floor_formula_and_coverage() -> None:
    assert stats.psi_noise_floor(1000, 500, 11) == pytest.approx(
        (1 / 1000 + 1 / 500) * sps.chi2.ppf(0.95, 10), rel=1e-15
    )
    assert stats.psi_noise_floor(10, 10, 1) == 0.0
    # Under no change, about 95% of PSI values fall below the 95% floor.
    rng = np.random.default_rng(99)
    p = np.array([0.1] * 10)
    n, m = 400, 300
    floor = stats.psi_noise_floor(n, m, p.size)
    values = [stats.psi(rng.multinomial(n, p), rng.multinomial(m, p), epsilon=1e-4) for _ in range(4000)]
    coverage = np.mean([v is not None and v < floor for v in values])
    assert 0.92 < coverage < 0.98
    with pytest.raises(ValueError):
        stats.psi_noise_floor(0, 10, 10)


# --------------------------------------------------------------------------- chi-square and JS


def test_chi_square_matches_scipy_without_merging() -> None:
    ref = {"a": 500, "b": 300, "c": 200}
    cur = {"a": 450, "b": 380, "c": 170}
    got = stats.chi_square(ref, cur)
    want = sps.chi2_contingency(np.array([[500, 300, 200], [450, 380, 170]]), correction=False)
    assert got.p_value is not None and got.merged_categories == ()
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.p_value == pytest.approx(want.pvalue, rel=1e-12, abs=TOL)
    assert got.dof == 2 and (got.n, got.m) == (1000, 1000)


def test_chi_square_new_category_on_one_side() -> None:
    got = stats.chi_square({"a": 100, "b": 100}, {"a": 80, "b": 70, "new": 50})
    want = sps.chi2_contingency(np.array([[100, 100, 0], [80, 70, 50]]), correction=False)
    assert got.p_value == pytest.approx(want.pvalue, rel=1e-12, abs=TOL)
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)


def test_chi_square_pools_small_categories() -> None:
    ref = {"a": 400, "b": 300, "x": 2, "y": 3, "z": 4}
    cur = {"a": 380, "b": 320, "x": 1, "y": 6, "w": 3}
    got = stats.chi_square(ref, cur)
    # Pool w, x, y, z: totals 3+3+9+4 = 19, expected >= 5 on both rows.
    want = sps.chi2_contingency(np.array([[400, 300, 9], [380, 320, 10]]), correction=False)
    assert got.merged_categories == ("w", "x", "y", "z")
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.p_value == pytest.approx(want.pvalue, rel=1e-12, abs=TOL)
    assert got.dof == 2


def test_chi_square_small_pool_joins_smallest_category() -> None:
    ref = {"a": 400, "b": 100, "x": 1}
    cur = {"a": 380, "b": 120, "y": 2}
    got = stats.chi_square(ref, cur)
    want = sps.chi2_contingency(np.array([[400, 101], [380, 122]]), correction=False)
    assert got.merged_categories == ("b", "x", "y")
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.dof == 1


def test_chi_square_degenerate_cases_are_not_testable() -> None:
    empty = stats.chi_square({}, {"a": 3})
    assert empty.p_value is None and empty.statistic is None
    constant = stats.chi_square({"a": 100}, {"a": 50})
    assert constant.p_value is None
    tiny = stats.chi_square({"a": 1, "b": 2}, {"a": 2, "c": 1})
    assert tiny.p_value is None and tiny.merged_categories == ("a", "b", "c")
    with pytest.raises(ValueError):
        stats.chi_square({"a": -1}, {"a": 1})


@pytest.mark.parametrize("seed", range(25))
def test_jensen_shannon_matches_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 30))
    p = rng.integers(0, 1000, k) * (rng.random(k) < 0.8)
    q = rng.integers(0, 1000, k) * (rng.random(k) < 0.8)
    p[0] += 1
    q[-1] += 1
    got = stats.jensen_shannon(p, q)
    assert got is not None and 0.0 <= got <= 1.0
    assert got == pytest.approx(float(jensenshannon(p, q, base=2)), abs=TOL)


def test_jensen_shannon_extremes() -> None:
    assert stats.jensen_shannon([5, 0], [0, 7]) == pytest.approx(1.0, abs=TOL)
    assert stats.jensen_shannon([2, 4, 6], [1, 2, 3]) == 0.0
    assert stats.jensen_shannon([0, 0], [1, 2]) is None


# --------------------------------------------------------------------------- rates and volume


def test_rates_rate_deltas_and_volume() -> None:
    assert stats.rate_delta(10, 1000, 60, 1000) == pytest.approx(0.05)
    assert stats.rate_delta(50, 1000, 50, 1000) == 0.0  # heavy tails, unchanged
    assert stats.rate_delta(1, 0, 1, 10) is None
    assert stats.rate_delta(0, 10, 5, 10) == 0.5
    assert stats.rate(3, 0) is None
    assert stats.volume_ratio(1000, 500) == 0.5
    assert stats.volume_ratio(28_000, 1_000, 28.0, 1.0) == 1.0
    assert stats.volume_ratio(0, 10) is None
    with pytest.raises(ValueError):
        stats.volume_ratio(10, 10, 0.0, 1.0)


# --------------------------------------------------------------------------- Fisher (rate increases)


@pytest.mark.parametrize(
    ("ref_count", "ref_n", "cur_count", "cur_n"),
    [
        (3, 200, 5, 200),
        (0, 50, 3, 50),
        (4, 365, 1, 13),
        (10, 1000, 10, 1000),
        (0, 10, 0, 10),
        (5, 5, 5, 5),
        (120, 100_000, 190, 100_000),
        (1, 1, 0, 1),
        (0, 1, 1, 1),
        (7, 20, 0, 3),
    ],
)
def test_rate_increase_p_value_matches_fisher_exact_greater(
    ref_count: int, ref_n: int, cur_count: int, cur_n: int
) -> None:
    table = [[cur_count, cur_n - cur_count], [ref_count, ref_n - ref_count]]
    want = sps.fisher_exact(table, alternative="greater").pvalue
    got = stats.rate_increase_p_value(ref_count, ref_n, cur_count, cur_n)
    assert got == pytest.approx(want, rel=1e-9, abs=1e-15)


def test_rate_increase_p_value_is_more_cautious_than_a_binomial_against_a_small_reference() -> None:
    # 4 outliers in 365 reference rows, 1 in 13 current rows: the binomial treats 4/365 as known.
    binomial = sps.binomtest(1, 13, 4 / 365, alternative="greater").pvalue
    fisher = stats.rate_increase_p_value(4, 365, 1, 13)
    assert fisher is not None and fisher > binomial > 0.1


def test_rate_increase_p_value_edges() -> None:
    assert stats.rate_increase_p_value(0, 0, 1, 10) is None
    assert stats.rate_increase_p_value(1, 10, 0, 0) is None
    assert stats.rate_increase_p_value(0, 1_000_000, 0, 1_000_000) == 1.0  # no outliers anywhere
    huge = stats.rate_increase_p_value(10_000, 10**8, 20_000, 10**8)
    assert huge is not None and huge < 1e-100
    with pytest.raises(ValueError, match="0 <= count <= n"):
        stats.rate_increase_p_value(5, 4, 0, 10)


# --------------------------------------------------------------------------- Welch from moments


def moments(x: np.ndarray) -> tuple[int, float, float]:
    return x.size, float(x.mean()), float(x.std(ddof=1))


@pytest.mark.parametrize("seed", range(6))
def test_mean_shift_matches_scipy_welch_on_the_raw_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = [(2, 2), (2, 30), (13, 365), (200, 150), (5000, 4000), (100_000, 80_000)][seed]
    ref = rng.gamma(1.5, 2.0, sizes[0])
    cur = rng.gamma(1.5, 2.0, sizes[1]) * (1.0 + 0.1 * seed)
    got = stats.mean_shift(*moments(ref), *moments(cur))
    want = sps.ttest_ind(cur, ref, equal_var=False)
    assert got is not None
    assert got.t == pytest.approx(want.statistic, rel=1e-9)
    assert got.p_value == pytest.approx(want.pvalue, rel=1e-8, abs=1e-300)
    assert got.df == pytest.approx(want.df, rel=1e-9)
    assert got.effect == pytest.approx((cur.mean() - ref.mean()) / ref.std(ddof=1), rel=1e-12)


@pytest.mark.filterwarnings("ignore:Precision loss occurred in moment calculation")
def test_mean_shift_zero_variance_and_small_sides() -> None:
    # One constant side: Welch still works with the other's variance (as scipy does).
    ref, cur = np.full(50, 4.0), np.random.default_rng(1).normal(5, 1, 40)
    got = stats.mean_shift(*moments(ref), *moments(cur))
    want = sps.ttest_ind(cur, ref, equal_var=False)
    assert got is not None and got.p_value == pytest.approx(want.pvalue, rel=1e-9)
    assert got.scale == pytest.approx(cur.std(ddof=1))  # the reference has no spread to standardize by
    # Both constant: equal means are no shift; moved constants have no finite t (KS reports them).
    same = stats.mean_shift(50, 4.0, 0.0, 40, 4.0, 0.0)
    assert same is not None and (same.effect, same.p_value) == (0.0, 1.0)
    assert stats.mean_shift(50, 4.0, 0.0, 40, 5.0, 0.0) is None
    assert stats.mean_shift(1, 4.0, 0.0, 40, 5.0, 1.0) is None  # n = 1: no sample stddev
    assert stats.mean_shift(0, 0.0, 0.0, 0, 0.0, 0.0) is None
    with pytest.raises(ValueError, match="finite number >= 0"):
        stats.mean_shift(10, 0.0, -1.0, 10, 0.0, 1.0)
    with pytest.raises(ValueError, match="means must be finite"):
        stats.mean_shift(10, math.inf, 1.0, 10, 0.0, 1.0)


# --------------------------------------------------------------------------- variance ratio


@pytest.mark.parametrize(
    ("n_ref", "n_cur", "factor"), [(2, 2, 1.0), (3, 50, 2.0), (200, 150, 1.3), (10_000, 8000, 0.9)]
)
def test_scale_change_without_kurtosis_is_the_two_sided_f_test(n_ref: int, n_cur: int, factor: float) -> None:
    rng = np.random.default_rng(n_ref + n_cur)
    ref, cur = rng.normal(0, 1, n_ref), rng.normal(0, factor, n_cur)
    got = stats.scale_change(n_ref, float(ref.std(ddof=1)), n_cur, float(cur.std(ddof=1)))
    f = cur.var(ddof=1) / ref.var(ddof=1)
    want = 2 * min(sps.f.cdf(f, n_cur - 1, n_ref - 1), sps.f.sf(f, n_cur - 1, n_ref - 1))
    assert got is not None
    assert got.f == pytest.approx(f, rel=1e-12)
    assert got.p_value == pytest.approx(min(1.0, want), rel=1e-9)
    ratio = cur.std(ddof=1) / ref.std(ddof=1)
    assert got.change == pytest.approx(max(ratio, 1 / ratio) - 1, rel=1e-12)
    assert got.kurtosis_factor == 1.0


def test_scale_change_kurtosis_shrinks_the_degrees_of_freedom() -> None:
    plain = stats.scale_change(100, 1.0, 100, 1.5)
    heavy = stats.scale_change(100, 1.0, 100, 1.5, excess_kurtosis=6.0)
    light = stats.scale_change(100, 1.0, 100, 1.5, excess_kurtosis=-1.2)
    assert plain is not None and heavy is not None and light is not None
    assert heavy.kurtosis_factor == 4.0 and heavy.df_current == pytest.approx(99 / 4)
    want = 2 * sps.f.sf(2.25, 99 / 4, 99 / 4)
    assert heavy.p_value == pytest.approx(want, rel=1e-9) and heavy.p_value > plain.p_value
    assert light.p_value == plain.p_value  # light tails never make the test more liberal


def test_scale_change_kurtosis_correction_holds_its_level_on_heavy_tails() -> None:
    # Same lognormal population on both sides: the plain F-test rejects far too often.
    rng = np.random.default_rng(7)
    plain_rejections = corrected_rejections = 0
    for _ in range(400):
        ref, cur = rng.lognormal(0, 0.8, 200), rng.lognormal(0, 0.8, 200)
        kurtosis = stats.pooled_excess_kurtosis([counts_of(ref), counts_of(cur)])
        plain = stats.scale_change(200, float(ref.std(ddof=1)), 200, float(cur.std(ddof=1)))
        corrected = stats.scale_change(200, float(ref.std(ddof=1)), 200, float(cur.std(ddof=1)), kurtosis)
        assert plain is not None and corrected is not None
        plain_rejections += plain.p_value < 0.05
        corrected_rejections += corrected.p_value < 0.05
    assert plain_rejections > 60  # > 15%
    assert corrected_rejections < 40  # < 10%, near the nominal 5%


def test_scale_change_edges() -> None:
    both_constant = stats.scale_change(10, 0.0, 10, 0.0)
    assert both_constant is not None and (both_constant.change, both_constant.p_value) == (0.0, 1.0)
    assert stats.scale_change(10, 0.0, 10, 1.0) is None
    assert stats.scale_change(10, 1.0, 10, 0.0) is None
    assert stats.scale_change(1, 1.0, 10, 1.0) is None
    assert stats.scale_change(0, 0.0, 0, 0.0) is None
    huge = stats.scale_change(10**9, 1.0, 10**9, 1.001)
    assert huge is not None and huge.p_value < 1e-10
    with pytest.raises(ValueError, match="excess_kurtosis must be finite"):
        stats.scale_change(10, 1.0, 10, 1.0, math.nan)


def test_pooled_excess_kurtosis_matches_scipy_on_one_side_and_centres_each_side() -> None:
    rng = np.random.default_rng(3)
    x = rng.gamma(2.0, 1.0, 5000)
    got = stats.pooled_excess_kurtosis([counts_of(x)])
    assert got == pytest.approx(sps.kurtosis(x, fisher=True, bias=True), rel=1e-9)
    # A shifted copy pooled with the original has the original's kurtosis, not a bimodal one.
    pooled = stats.pooled_excess_kurtosis([counts_of(x), counts_of(x + 100.0)])
    assert pooled == pytest.approx(got, rel=1e-6)
    assert stats.pooled_excess_kurtosis([counts_of(np.full(10, 3.0))]) is None
    assert stats.pooled_excess_kurtosis([]) is None


# --------------------------------------------------------------------------- PSI's test, multiple testing


def test_binned_homogeneity_p_value_matches_chi2_contingency() -> None:
    ref, cur = np.array([30, 0, 25, 40, 5]), np.array([20, 0, 35, 30, 15])
    want = sps.chi2_contingency(np.array([[30, 25, 40, 5], [20, 35, 30, 15]]), correction=False).pvalue
    assert stats.binned_homogeneity_p_value(ref, cur) == pytest.approx(want, rel=1e-12)
    assert stats.binned_homogeneity_p_value([5, 0], [7, 0]) == 1.0
    assert stats.binned_homogeneity_p_value([0, 0], [1, 2]) is None


def holm_by_definition(p: list[float]) -> list[float]:
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def bh_by_definition(p: list[float]) -> list[float]:
    m = len(p)
    out = []
    for i in range(m):
        # min over every rank j >= rank(i) of m * p_(j) / j
        rank_i = sorted(p).index(p[i]) + 1
        candidates = [m * q / j for j, q in enumerate(sorted(p), start=1) if j >= rank_i]
        out.append(min(1.0, min(candidates)))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_adjusted_p_values_match_their_definitions(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = list(rng.uniform(0, 0.2, 12)) + [1e-30, 0.0, 1.0]
    holm = stats.adjust_p_values(p, "holm")
    bh = stats.adjust_p_values(p, "benjamini_hochberg")
    assert holm == pytest.approx(holm_by_definition(p), rel=1e-12)
    assert bh == pytest.approx(bh_by_definition(p), rel=1e-12)
    assert stats.adjust_p_values(p, "none") == p
    assert all(b <= h for b, h in zip(bh, holm, strict=True))  # BH is never stricter than Holm


def test_adjusted_p_values_edges() -> None:
    assert stats.adjust_p_values([], "holm") == []
    assert stats.adjust_p_values([0.03], "holm") == [0.03]
    assert stats.adjust_p_values([0.01, 0.01], "holm") == [0.02, 0.02]
    assert stats.adjust_p_values([0.01, 0.04], "benjamini_hochberg") == [0.02, 0.04]
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        stats.adjust_p_values([1.5], "holm")
    with pytest.raises(ValueError, match="unknown multiple-testing method"):
        stats.adjust_p_values([0.5], "bonferroni")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ref", "cur"),
    [((10**9, 5.0, 2.0), (10**9, 5.0001, 2.0)), ((2, 1.0, 0.5), (3, 2.0, 0.1)), ((10**7, 0.0, 1.0), (50, 0.3, 3.0))],
)
def test_mean_shift_at_any_n_matches_scipy_from_stats(
    ref: tuple[int, float, float], cur: tuple[int, float, float]
) -> None:
    got = stats.mean_shift(*ref, *cur)
    want = sps.ttest_ind_from_stats(cur[1], cur[2], cur[0], ref[1], ref[2], ref[0], equal_var=False)
    assert got is not None
    assert got.t == pytest.approx(want.statistic, rel=1e-9)
    assert got.p_value == pytest.approx(want.pvalue, rel=1e-7, abs=1e-300)


# --------------------------------------------------------------------------- volume significance


@pytest.mark.parametrize(
    ("ref_rows", "cur_rows", "ref_days", "cur_days"),
    [(361, 18, 28.0, 1.0), (364, 6, 28.0, 1.0), (2800, 40, 28.0, 1.0), (3000, 1000, None, None), (10, 4, None, None),
     (0, 5, None, None), (7, 0, 7.0, 1.0), (10**6, 10**6, None, None)],
)
def test_volume_change_p_value_is_scipys_exact_poisson_rate_comparison(
    ref_rows: int, cur_rows: int, ref_days: float | None, cur_days: float | None
) -> None:
    share = 0.5 if ref_days is None or cur_days is None else cur_days / (ref_days + cur_days)
    want = sps.binomtest(cur_rows, ref_rows + cur_rows, share).pvalue
    assert stats.volume_change_p_value(ref_rows, cur_rows, ref_days, cur_days) == pytest.approx(want, rel=1e-12)


def test_volume_change_p_value_edges() -> None:
    assert stats.volume_change_p_value(0, 0) is None
    with pytest.raises(ValueError, match="non-negative"):
        stats.volume_change_p_value(-1, 3)
    with pytest.raises(ValueError, match="positive"):
        stats.volume_change_p_value(3, 3, 0.0, 1.0)
