"""Two-sample statistics computed from aggregate counts, never from raw rows.

Every function takes per-value or per-bin counts for a reference side and a
current side and is pure: no IO, no randomness, no global state. A side with no
observations gives ``None`` (or an untestable result) meaning "insufficient
data"; the caller turns that into an ``insufficient_data`` signal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats as sps

# scipy's ks_2samp(method="auto") uses the exact null distribution up to this
# sample size and Smirnov's asymptotic one above it; we follow the same switch.
KS_EXACT_MAX_N = 10_000

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class KsResult:
    """Two-sample Kolmogorov-Smirnov result.

    ``method`` says how D was obtained: 'exact' from per-value counts, or
    'binned' from ECDFs evaluated at bin edges. For 'binned' the true D lies in
    ``[d, d + error_bound]``; for 'exact' ``error_bound`` is 0.
    """

    d: float
    p_value: float
    n: int
    m: int
    method: Literal["exact", "binned"]
    error_bound: float


@dataclass(frozen=True)
class ChiSquareResult:
    """Chi-square test of homogeneity on a 2 x k table of category counts.

    ``p_value`` and ``statistic`` are ``None`` when the table is not testable
    (an empty side, or fewer than two categories left after merging).
    ``merged_categories`` lists every original category that lost its own
    column in the test (sorted).
    """

    statistic: float | None
    p_value: float | None
    dof: int
    n: int
    m: int
    merged_categories: tuple[str, ...]


def _as_counts(counts: Sequence[int] | IntArray, what: str) -> IntArray:
    arr = np.asarray(counts)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"{what} must be integer counts, got dtype {arr.dtype}")
    if (arr < 0).any():
        raise ValueError(f"{what} must be non-negative")
    return arr.astype(np.int64)


def _as_values(values: Sequence[float] | FloatArray, what: str) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional")
    if np.isnan(arr).any():
        raise ValueError(f"{what} must not contain NaN (NaN is counted upstream, not ranked)")
    return arr


def _pair(ref_counts: Sequence[int] | IntArray, cur_counts: Sequence[int] | IntArray) -> tuple[IntArray, IntArray]:
    ref = _as_counts(ref_counts, "ref_counts")
    cur = _as_counts(cur_counts, "cur_counts")
    if ref.shape != cur.shape:
        raise ValueError(f"bins are not aligned: {ref.size} reference vs {cur.size} current")
    return ref, cur


# scipy's kstwo keeps N in a C int: from 2**31 on it returns NaN or garbage.
KSTWO_MAX_N = 2**31 - 1


def _ks_asymptotic_p(d: float, n: int, m: int) -> float:
    # Same arithmetic as scipy's ks_2samp 'asymp' branch, so results match bit for bit.
    big, small = sorted((float(n), float(m)), reverse=True)
    en = float(np.round(big * small / (big + small)))
    # Beyond KSTWO_MAX_N, use kstwo's limit (Kolmogorov's distribution of
    # sqrt(N) * D); at N >= 2**31 the two differ by less than 1e-5.
    p = sps.kstwo.sf(d, en) if en <= KSTWO_MAX_N else sps.kstwobign.sf(d * math.sqrt(en))
    return float(np.clip(p, 0.0, 1.0))


def _max_ecdf_gap(ref_cum: IntArray, cur_cum: IntArray, n: int, m: int) -> float:
    # Integer cumulative counts divided once, exactly as scipy divides its
    # searchsorted ranks, so D is reproduced bit for bit.
    if ref_cum.size == 0:
        return 0.0
    return float(np.max(np.abs(ref_cum / n - cur_cum / m)))


def ks_exact(
    ref_values: Sequence[float] | FloatArray,
    ref_counts: Sequence[int] | IntArray,
    cur_values: Sequence[float] | FloatArray,
    cur_counts: Sequence[int] | IntArray,
) -> KsResult | None:
    """Exact two-sample KS from per-distinct-value counts on each side.

    Values may include +/-inf (they sort to the ends); NaN must be excluded
    upstream. Repeated values within one side are summed. D is evaluated at
    every pooled value with right-continuous ECDFs, which is what makes it
    tie-safe. The p-value equals ``scipy.stats.ks_2samp`` on the raw samples,
    except where round(n*m/(n+m)) exceeds ``KSTWO_MAX_N`` and scipy returns
    NaN: there Kolmogorov's limiting distribution is used.
    Returns ``None`` when either side has no observations.
    """
    rv = _as_values(ref_values, "ref_values")
    cv = _as_values(cur_values, "cur_values")
    rc = _as_counts(ref_counts, "ref_counts")
    cc = _as_counts(cur_counts, "cur_counts")
    if rv.shape != rc.shape or cv.shape != cc.shape:
        raise ValueError("each side needs exactly one count per value")
    n, m = int(rc.sum()), int(cc.sum())
    if n == 0 or m == 0:
        return None

    pooled = np.unique(np.concatenate([rv, cv]))
    ref_at = np.zeros(pooled.size, dtype=np.int64)
    cur_at = np.zeros(pooled.size, dtype=np.int64)
    np.add.at(ref_at, np.searchsorted(pooled, rv), rc)
    np.add.at(cur_at, np.searchsorted(pooled, cv), cc)
    d = _max_ecdf_gap(np.cumsum(ref_at), np.cumsum(cur_at), n, m)

    if max(n, m) <= KS_EXACT_MAX_N:
        # scipy exposes its exact small-sample distribution only through
        # ks_2samp, so rebuild the samples; at most 2 x KS_EXACT_MAX_N floats.
        res = sps.ks_2samp(np.repeat(pooled, ref_at), np.repeat(pooled, cur_at))
        p_value = float(res.pvalue)
    else:
        p_value = _ks_asymptotic_p(d, n, m)
    return KsResult(d=d, p_value=p_value, n=n, m=m, method="exact", error_bound=0.0)


def ks_binned(
    edges: Sequence[float] | FloatArray,
    ref_bin_counts: Sequence[int] | IntArray,
    cur_bin_counts: Sequence[int] | IntArray,
) -> KsResult | None:
    """KS from counts in right-closed bins (-inf, e0], (e0, e1], ..., (e_{k-1}, +inf).

    D_binned is the largest ECDF gap at the edges, a lower bound on the true D.
    Upper bound: inside bin j = (e_{j-1}, e_j] each ECDF is monotone and rises
    by that side's share r_j (or c_j), so for x in the bin
    F_ref(x) - F_cur(x) lies in [gap(e_{j-1}) - c_j, gap(e_{j-1}) + r_j], with
    gap(-inf) = 0. Hence |gap(x)| <= D_binned + max(r_j, c_j), and the error
    bound is the largest share of any bin on either side.

    The p-value is Smirnov's asymptotic one at D_binned (what scipy uses above
    10,000 rows; Kolmogorov's limit once round(n*m/(n+m)) exceeds
    ``KSTWO_MAX_N``); taken at a lower bound of D, it errs towards "no drift".
    Returns ``None`` when either side has no observations.
    """
    e = np.asarray(edges, dtype=np.float64)
    if e.ndim != 1 or not np.isfinite(e).all():
        raise ValueError("edges must be a one-dimensional list of finite numbers")
    if e.size > 1 and not (np.diff(e) > 0).all():
        raise ValueError("edges must be strictly increasing")
    rc, cc = _pair(ref_bin_counts, cur_bin_counts)
    if rc.size != e.size + 1:
        raise ValueError(f"{e.size} edges need {e.size + 1} bins per side, got {rc.size}")
    n, m = int(rc.sum()), int(cc.sum())
    if n == 0 or m == 0:
        return None
    # The ECDF at edge e_j is the cumulative count through bin j; the last bin
    # ends at +inf where both ECDFs are 1.
    d = _max_ecdf_gap(np.cumsum(rc)[:-1], np.cumsum(cc)[:-1], n, m)
    error_bound = float(max(np.max(rc / n), np.max(cc / m)))
    return KsResult(
        d=d,
        p_value=_ks_asymptotic_p(d, n, m),
        n=n,
        m=m,
        method="binned",
        error_bound=error_bound,
    )


def psi(
    ref_counts: Sequence[int] | IntArray,
    cur_counts: Sequence[int] | IntArray,
    epsilon: float = 1e-4,
) -> float | None:
    """Population Stability Index over aligned bins: sum (c - r) * ln(c / r).

    Shares are count / side total. A share of exactly 0 is replaced by
    ``epsilon`` (shares are not renormalised afterwards) so a bin that empties
    or appears gives a large but finite term. A bin empty on both sides
    contributes 0. The null bin is just another bin. Every term is >= 0.
    Returns ``None`` when either side has no observations.
    """
    if not 0.0 < epsilon < 1.0:
        raise ValueError("epsilon must be in (0, 1)")
    rc, cc = _pair(ref_counts, cur_counts)
    n, m = int(rc.sum()), int(cc.sum())
    if n == 0 or m == 0:
        return None
    r = np.where(rc == 0, epsilon, rc / n)
    c = np.where(cc == 0, epsilon, cc / m)
    return float(np.sum((c - r) * np.log(c / r)))


def psi_noise_floor(n: int, m: int, bins: int, confidence: float = 0.95) -> float:
    """PSI that sampling noise alone reaches with probability ``1 - confidence``.

    To second order PSI = sum (c - r) ln(c / r) ~ sum (c - r)^2 / p, the
    symmetric chi-square divergence. With no real change, c - r has variance
    p (1 - p) (1/n + 1/m), so sum (c - r)^2 / p ~ (1/n + 1/m) chi2(bins - 1).
    A PSI below this quantile is indistinguishable from noise.
    """
    if n <= 0 or m <= 0:
        raise ValueError("the noise floor needs n > 0 and m > 0")
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be in (0, 1)")
    if bins < 2:
        return 0.0  # one bin: PSI is identically 0
    return float((1.0 / n + 1.0 / m) * sps.chi2.ppf(confidence, bins - 1))


def chi_square(
    ref_counts: Mapping[str, int],
    cur_counts: Mapping[str, int],
    min_expected: float = 5.0,
) -> ChiSquareResult:
    """Chi-square homogeneity test over the union of categories.

    A category missing on one side counts 0 there. Categories whose expected
    count is below ``min_expected`` on either row are pooled into one bucket;
    if the pool itself is still too small it joins the smallest remaining
    category (ties broken by name). Uses ``chi2_contingency(correction=False)``.
    """
    for what, counts in (("ref_counts", ref_counts), ("cur_counts", cur_counts)):
        if any(int(v) != v or v < 0 for v in counts.values()):
            raise ValueError(f"{what} must hold non-negative integer counts")
    names = sorted(set(ref_counts) | set(cur_counts))
    cols = [(k, int(ref_counts.get(k, 0)), int(cur_counts.get(k, 0))) for k in names]
    cols = [col for col in cols if col[1] + col[2] > 0]
    n = sum(r for _, r, _ in cols)
    m = sum(c for _, _, c in cols)
    if n == 0 or m == 0:
        return ChiSquareResult(None, None, 0, n, m, ())

    # Expected count of a category is row_total * column_total / grand_total;
    # the smaller row gives the smaller expectation.
    def big_enough(total: int) -> bool:
        return min(n, m) * total / (n + m) >= min_expected

    keep = [col for col in cols if big_enough(col[1] + col[2])]
    small = [col for col in cols if not big_enough(col[1] + col[2])]
    merged = [name for name, _, _ in small]
    if small:
        pool = ("", sum(r for _, r, _ in small), sum(c for _, _, c in small))
        if big_enough(pool[1] + pool[2]) or not keep:
            keep.append(pool)
        else:
            i = min(range(len(keep)), key=lambda j: (keep[j][1] + keep[j][2], keep[j][0]))
            name, r, c = keep[i]
            keep[i] = (name, r + pool[1], c + pool[2])
            merged.append(name)
    merged_names = tuple(sorted(merged))
    if len(keep) < 2:
        return ChiSquareResult(None, None, 0, n, m, merged_names)

    table = np.array([[r for _, r, _ in keep], [c for _, _, c in keep]], dtype=np.float64)
    res = sps.chi2_contingency(table, correction=False)
    return ChiSquareResult(
        statistic=float(res.statistic),
        p_value=float(res.pvalue),
        dof=int(res.dof),
        n=n,
        m=m,
        merged_categories=merged_names,
    )


def jensen_shannon(ref_counts: Sequence[int] | IntArray, cur_counts: Sequence[int] | IntArray) -> float | None:
    """Base-2 Jensen-Shannon distance in [0, 1] between two aligned count vectors.

    The square root of the JS divergence, as ``scipy.spatial.distance.jensenshannon``
    with ``base=2``. Returns ``None`` when either side has no observations.
    """
    rc, cc = _pair(ref_counts, cur_counts)
    n, m = int(rc.sum()), int(cc.sum())
    if n == 0 or m == 0:
        return None
    p = rc / n
    q = cc / m
    mix = (p + q) / 2.0

    def kl_to_mix(x: FloatArray) -> float:
        # 0 * ln(0 / y) = 0; mix > 0 wherever x > 0.
        pos = x > 0
        return float(np.sum(x[pos] * np.log(x[pos] / mix[pos])))

    divergence = (kl_to_mix(p) + kl_to_mix(q)) / 2.0 / math.log(2.0)
    return min(1.0, math.sqrt(max(divergence, 0.0)))


def rate(count: int, n: int) -> float | None:
    """``count / n``, or ``None`` when there are no rows to take a rate over."""
    return count / n if n > 0 else None


def rate_delta(ref_count: int, ref_n: int, cur_count: int, cur_n: int) -> float | None:
    """Current rate minus reference rate; ``None`` when either side has n == 0."""
    ref_rate = rate(ref_count, ref_n)
    cur_rate = rate(cur_count, cur_n)
    if ref_rate is None or cur_rate is None:
        return None
    return cur_rate - ref_rate


def volume_ratio(
    ref_rows: int,
    cur_rows: int,
    ref_window_days: float | None = None,
    cur_window_days: float | None = None,
) -> float | None:
    """Current volume over reference volume, per day when both window lengths are given.

    ``None`` when the reference has no rows (no baseline to compare with).
    """
    if ref_rows < 0 or cur_rows < 0:
        raise ValueError("row counts must be non-negative")
    if ref_rows == 0:
        return None
    if ref_window_days is not None and cur_window_days is not None:
        if ref_window_days <= 0 or cur_window_days <= 0:
            raise ValueError("window lengths must be positive")
        return (cur_rows / cur_window_days) / (ref_rows / ref_window_days)
    return cur_rows / ref_rows


def binned_homogeneity_p_value(
    ref_counts: Sequence[int] | IntArray, cur_counts: Sequence[int] | IntArray
) -> float | None:
    """Pearson chi-square homogeneity p-value of two sides' aligned bin counts.

    The significance test behind PSI: PSI is the effect size, this says
    whether the two sides' bin shares differ by more than sampling noise.
    Pearson's statistic keeps its nominal level down to a handful of expected
    rows per bin, where PSI's own chi-square approximation (the noise floor)
    is too liberal. Bins empty on both sides are dropped. ``None`` when a side
    is empty; 1.0 when fewer than two bins hold values.
    """
    rc, cc = _pair(ref_counts, cur_counts)
    if int(rc.sum()) == 0 or int(cc.sum()) == 0:
        return None
    keep = (rc + cc) > 0
    if int(keep.sum()) < 2:
        return 1.0
    table = np.array([rc[keep], cc[keep]], dtype=np.float64)
    return float(sps.chi2_contingency(table, correction=False).pvalue)


def rate_increase_p_value(ref_count: int, ref_n: int, cur_count: int, cur_n: int) -> float | None:
    """One-sided Fisher exact p-value that the current rate exceeds the reference's.

    Conditional on the total count, the current side's count is hypergeometric;
    the p-value is P(X >= cur_count), as ``scipy.stats.fisher_exact(...,
    alternative='greater')`` on [[cur_count, cur_n - cur_count], [ref_count,
    ref_n - ref_count]]. Both rates are estimates, so the reference's own noise
    counts too (an exact binomial against the reference rate would treat it as
    known). ``None`` when either side has n == 0.
    """
    if min(ref_count, ref_n, cur_count, cur_n) < 0 or ref_count > ref_n or cur_count > cur_n:
        raise ValueError("counts must satisfy 0 <= count <= n")
    if ref_n == 0 or cur_n == 0:
        return None
    total = ref_n + cur_n
    successes = ref_count + cur_count
    return float(np.clip(sps.hypergeom.sf(cur_count - 1, total, successes, cur_n), 0.0, 1.0))



def volume_change_p_value(
    ref_rows: int,
    cur_rows: int,
    ref_window_days: float | None = None,
    cur_window_days: float | None = None,
) -> float | None:
    """Two-sided exact p-value that the two sides' row rates differ.

    Rows are taken as Poisson arrivals over each side's exposure (its window in
    days; 1 each for two relations). Conditional on the total, the current
    count is Binomial(total, cur_exposure / (ref_exposure + cur_exposure)):
    the exact comparison of two Poisson rates, as
    ``scipy.stats.binomtest(cur_rows, total, share)``. A daily window of 13
    rows that moves to 6 is then not significant, while the same ratio over
    thousands of rows is. ``None`` when both sides are empty.
    """
    if ref_rows < 0 or cur_rows < 0:
        raise ValueError("row counts must be non-negative")
    total = ref_rows + cur_rows
    if total == 0:
        return None
    if ref_window_days is not None and cur_window_days is not None:
        if ref_window_days <= 0 or cur_window_days <= 0:
            raise ValueError("window lengths must be positive")
        share = cur_window_days / (ref_window_days + cur_window_days)
    else:
        share = 0.5
    return float(sps.binomtest(cur_rows, total, share, alternative="two-sided").pvalue)

@dataclass(frozen=True)
class MeanShiftResult:
    """Welch's t-test from moments, with the standardized mean difference.

    ``effect`` is (current mean - reference mean) / ``scale``, where ``scale``
    is the reference's stddev (the current's when the reference is constant).
    ``t`` and ``df`` follow ``scipy.stats.ttest_ind(current, reference,
    equal_var=False)``; ``p_value`` is two-sided.
    """

    effect: float
    t: float
    df: float
    p_value: float
    scale: float


def mean_shift(
    ref_n: int, ref_mean: float, ref_sd: float, cur_n: int, cur_mean: float, cur_sd: float
) -> MeanShiftResult | None:
    """Welch's t-test and the standardized mean difference from each side's n, mean and stddev.

    Needs n >= 2 on both sides (a sample stddev). ``None`` when a side has
    fewer values, or when both sides are constant at different values (the
    standard error is 0: a moved constant is KS's to report). Two equal
    constants give effect 0 and p = 1.
    """
    for name, value in (("ref_sd", ref_sd), ("cur_sd", cur_sd)):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    if not (math.isfinite(ref_mean) and math.isfinite(cur_mean)):
        raise ValueError("means must be finite")
    if ref_n < 2 or cur_n < 2:
        return None
    ref_var_mean = ref_sd * ref_sd / ref_n
    cur_var_mean = cur_sd * cur_sd / cur_n
    standard_error = math.sqrt(ref_var_mean + cur_var_mean)
    difference = cur_mean - ref_mean
    if standard_error == 0.0:
        return None if difference != 0.0 else MeanShiftResult(effect=0.0, t=0.0, df=0.0, p_value=1.0, scale=0.0)
    t = difference / standard_error
    # Welch-Satterthwaite degrees of freedom.
    df = (ref_var_mean + cur_var_mean) ** 2 / (ref_var_mean**2 / (ref_n - 1) + cur_var_mean**2 / (cur_n - 1))
    p_value = float(np.clip(2.0 * sps.t.sf(abs(t), df), 0.0, 1.0))
    scale = ref_sd if ref_sd > 0 else cur_sd
    return MeanShiftResult(effect=difference / scale, t=t, df=df, p_value=p_value, scale=scale)


@dataclass(frozen=True)
class ScaleChangeResult:
    """Variance-ratio test of current against reference spread.

    ``sd_ratio`` is s_cur / s_ref; ``change`` is max(r, 1/r) - 1 (0 = same
    spread). ``f`` = s_cur^2 / s_ref^2 is compared with an F distribution on
    ``df_current`` and ``df_reference`` degrees of freedom, which are n - 1
    divided by the kurtosis factor (1 + excess_kurtosis / 2, never below 1):
    the plain F-test when the factor is 1. ``p_value`` is two-sided. Two
    constant sides have ratio 1, change 0 and p = 1 (``f`` and the degrees
    of freedom are then 1 and 0).
    """

    sd_ratio: float
    change: float
    f: float
    df_current: float
    df_reference: float
    p_value: float
    kurtosis_factor: float


def scale_change(
    ref_n: int, ref_sd: float, cur_n: int, cur_sd: float, excess_kurtosis: float | None = None
) -> ScaleChangeResult | None:
    """Two-sided variance-ratio test from n and stddev per side.

    The F-test assumes normal tails: for a heavy-tailed column the sample
    variance swings far more than it allows, so a pooled excess kurtosis
    shrinks the degrees of freedom (Box's correction; Var(log s^2) is about
    (2 + kurtosis) / (n - 1) instead of 2 / (n - 1)). Light tails never make
    the test more liberal than the F-test. ``None`` when a side has fewer
    than two values, or exactly one zero stddev (the ratio is 0 or infinite).
    """
    for name, value in (("ref_sd", ref_sd), ("cur_sd", cur_sd)):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    if ref_n < 2 or cur_n < 2:
        return None
    if ref_sd == 0.0 or cur_sd == 0.0:
        if ref_sd != cur_sd:
            return None
        return ScaleChangeResult(1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0)
    factor = 1.0
    if excess_kurtosis is not None:
        if not math.isfinite(excess_kurtosis):
            raise ValueError("excess_kurtosis must be finite")
        factor = max(1.0, 1.0 + excess_kurtosis / 2.0)
    df_cur = (cur_n - 1) / factor
    df_ref = (ref_n - 1) / factor
    ratio = cur_sd / ref_sd
    f = ratio * ratio
    tail = min(float(sps.f.cdf(f, df_cur, df_ref)), float(sps.f.sf(f, df_cur, df_ref)))
    return ScaleChangeResult(
        sd_ratio=ratio,
        change=max(ratio, 1.0 / ratio) - 1.0,
        f=f,
        df_current=df_cur,
        df_reference=df_ref,
        p_value=float(min(1.0, 2.0 * tail)),
        kurtosis_factor=factor,
    )


def pooled_excess_kurtosis(
    sides: Sequence[tuple[Sequence[float] | FloatArray, Sequence[int] | IntArray]],
) -> float | None:
    """Excess kurtosis of the sides pooled around their own means, from (value, count) pairs.

    Each side is centred on its own mean, so a location shift does not look
    like heavy tails. ``None`` when there is no spread at all.
    """
    fourth = second = 0.0
    total = 0
    for values, counts in sides:
        x = _as_values(values, "values")
        c = _as_counts(counts, "counts").astype(np.float64)
        if x.shape != c.shape:
            raise ValueError("each side needs exactly one count per value")
        n = float(c.sum())
        if n == 0:
            continue
        centred = x - float(np.dot(x, c) / n)
        squared = centred * centred
        second += float(np.dot(squared, c))
        fourth += float(np.dot(squared * squared, c))
        total += int(n)
    if total == 0 or second == 0.0:
        return None
    variance = second / total
    return fourth / total / (variance * variance) - 3.0


MultipleTestingMethod = Literal["holm", "benjamini_hochberg", "none"]


def adjust_p_values(p_values: Sequence[float], method: MultipleTestingMethod) -> list[float]:
    """Multiple-testing adjusted p-values, in the input order.

    'holm': Holm's step-down (family-wise error rate, any dependence);
    'benjamini_hochberg': Benjamini-Hochberg step-up (false discovery rate);
    'none': unchanged. A test is significant when its adjusted p < alpha.
    """
    raw = np.asarray(p_values, dtype=np.float64)
    if raw.ndim != 1 or np.isnan(raw).any() or (raw < 0).any() or (raw > 1).any():
        raise ValueError("p-values must be numbers in [0, 1]")
    count = raw.size
    if count == 0 or method == "none":
        return [float(p) for p in raw]
    order = np.argsort(raw, kind="stable")
    ranked = raw[order]
    if method == "holm":
        scaled = ranked * (count - np.arange(count))
        adjusted_ranked = np.minimum(1.0, np.maximum.accumulate(scaled))
    elif method == "benjamini_hochberg":
        scaled = ranked * count / np.arange(1, count + 1)
        adjusted_ranked = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    else:
        raise ValueError(f"unknown multiple-testing method {method!r}")
    adjusted = np.empty(count)
    adjusted[order] = adjusted_ranked
    return [float(p) for p in adjusted]


@dataclass(frozen=True)
class NovelValuesResult:
    """Share of current rows whose value the reference never had, against Good-Turing.

    ``observed_share`` = novel rows / current values; ``expected_share`` =
    reference singletons / reference values, Good-Turing's estimate of the
    probability that a new draw shows a value not seen before (1 for a column
    of unique ids, about 0 for a column whose values all repeat). ``excess``
    = observed - expected; ``excess_rows`` = novel rows - expected * current
    values. ``p_value`` = P(X >= novel rows) for X ~ Binomial(current values,
    expected share): the one-sided test that the current side has more novel
    rows than the reference's own rate of new values predicts (the estimate
    is taken as known).
    """

    observed_share: float
    expected_share: float
    excess: float
    excess_rows: float
    p_value: float


def novel_values(
    novel_rows: int, current_values: int, reference_singletons: int, reference_values: int
) -> NovelValuesResult | None:
    """The novel-value share test from four counts; ``None`` when a side has no values."""
    if min(novel_rows, current_values, reference_singletons, reference_values) < 0:
        raise ValueError("counts must be >= 0")
    if novel_rows > current_values:
        raise ValueError(f"novel_rows must be <= current_values, got {novel_rows} > {current_values}")
    if reference_singletons > reference_values:
        raise ValueError(
            f"reference_singletons must be <= reference_values, got {reference_singletons} > {reference_values}"
        )
    if current_values == 0 or reference_values == 0:
        return None
    expected = reference_singletons / reference_values
    observed = novel_rows / current_values
    p_value = float(np.clip(sps.binom.sf(novel_rows - 1, current_values, expected), 0.0, 1.0))
    return NovelValuesResult(
        observed_share=observed,
        expected_share=expected,
        excess=observed - expected,
        excess_rows=novel_rows - expected * current_values,
        p_value=p_value,
    )


def typical_gap(min_value: float | None, max_value: float | None, distinct_count: int) -> float | None:
    """Mean spacing between consecutive distinct values: (max - min) / (distinct - 1).

    A side's cadence: one day for a daily date column, the mean time between
    events for a timestamp. ``None`` with fewer than two distinct finite values.
    """
    if min_value is None or max_value is None or distinct_count < 2 or not max_value > min_value:
        return None
    return (max_value - min_value) / (distinct_count - 1)


@dataclass(frozen=True)
class FreshnessResult:
    """How much older the current side's latest value is than the reference's.

    Each side's age is its observation time minus its latest value (seconds).
    ``lag`` = current age - reference age; ``staleness`` = lag / ``cadence``:
    the number of typical gaps between values by which the current side
    falls behind (negative when it is ahead).
    """

    reference_age: float
    current_age: float
    lag: float
    cadence: float
    staleness: float


def freshness(
    reference_latest: float,
    reference_as_of: float,
    current_latest: float,
    current_as_of: float,
    cadence: float,
) -> FreshnessResult:
    """Ages, lag and staleness from each side's latest value and observation time (epoch seconds)."""
    values = (reference_latest, reference_as_of, current_latest, current_as_of, cadence)
    if not all(math.isfinite(v) for v in values):
        raise ValueError("freshness needs finite times and cadence")
    if cadence <= 0:
        raise ValueError(f"cadence must be > 0, got {cadence}")
    reference_age = reference_as_of - reference_latest
    current_age = current_as_of - current_latest
    lag = current_age - reference_age
    return FreshnessResult(reference_age, current_age, lag, cadence, lag / cadence)

