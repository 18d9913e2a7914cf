"""Forecasters behind one protocol: baselines and statsforecast models, in one registry.

Every forecaster answers ``forecast(panel, h, season_length)`` for a panel in statsforecast's
``unique_id, ds, y`` shape and returns one row per series and horizon with ``mean`` and the
interval bounds ``lo-L`` / ``hi-L`` for every level in ``LEVELS`` (the quantile grid CRPS is
computed from). ``backtest`` does the same from rolling origins and adds ``cutoff`` and ``y``.

Baselines (naive, seasonal naive, historic average) are computed here with numpy — the textbook
formulas with Gaussian intervals, as statsforecast states them — because they are cheap and run on
every series and origin. Models wrap statsforecast classes; intermittent-demand models (Croston,
TSB, ADIDA) have no model intervals, so theirs are conformal.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy.stats import norm

from borderflow.outlook.groups import OutlookError

#: Interval levels forecast; each gives two quantiles of the grid CRPS is computed on.
LEVELS: tuple[int, ...] = (20, 40, 60, 80, 90, 95)
FREQ = "MS"
#: Processes statsforecast fits a panel in. One: on the shared 2-core machine two processes
#: (formerly for panels of 30+ series) cost about 9 s more CPU a run (70.5 s against 79–80 s,
#: interleaved runs at load 3–6, where they were also slower: 84–99 s against 100–143 s); at
#: load below 2 they were about even in wall time (``docs/outlook.md``). Two processes move a
#: few AutoETS numbers by an ulp, so the setting is fixed, not chosen by the load.
N_JOBS = 1


def interval_columns() -> list[str]:
    """``lo-L`` and ``hi-L`` column names for every level."""
    return [f"{side}-{lv}" for lv in LEVELS for side in ("lo", "hi")]


class Forecaster(Protocol):
    """The one protocol every forecaster follows."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...  # "baseline" or "model"

    def forecast(self, panel: pd.DataFrame, h: int, season_length: int) -> pd.DataFrame: ...

    def backtest(
        self, panel: pd.DataFrame, h: int, season_length: int, n_windows: int
    ) -> pd.DataFrame: ...


# -- baselines ---------------------------------------------------------------------------------

PointRule = Callable[[np.ndarray, int, int], tuple[np.ndarray, np.ndarray]]


def _naive(y: np.ndarray, h: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    resid = np.diff(y)
    sigma = _rms(resid)
    return np.repeat(y[-1], h), sigma * np.sqrt(np.arange(1, h + 1))


def _seasonal_naive(y: np.ndarray, h: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    if m <= 1 or len(y) < m + 1:
        return _naive(y, h, 1)
    steps = np.arange(h)
    mean = y[len(y) - m + steps % m]
    sigma = _rms(y[m:] - y[:-m])
    return mean, sigma * np.sqrt(steps // m + 1)


def _historic_average(y: np.ndarray, h: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    sigma = float(np.std(y, ddof=1)) if len(y) > 1 else 0.0
    return np.repeat(float(np.mean(y)), h), np.repeat(sigma * np.sqrt(1 + 1 / len(y)), h)


def _rms(resid: np.ndarray) -> float:
    return float(np.sqrt(np.mean(resid**2))) if len(resid) else 0.0


@dataclass(frozen=True)
class Baseline:
    """A baseline computed with numpy: a point rule and Gaussian intervals from its residuals."""

    name: str
    rule: PointRule
    kind: str = "baseline"

    def forecast(self, panel: pd.DataFrame, h: int, season_length: int) -> pd.DataFrame:
        parts: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]] = []
        for uid, y, ds in _series(panel):
            mean, sd = self.rule(y, h, season_length)
            parts.append((uid, _months_after(ds[-1], h), mean, sd))
        return _frame(parts)

    def backtest(
        self, panel: pd.DataFrame, h: int, season_length: int, n_windows: int
    ) -> pd.DataFrame:
        parts, cutoffs, actual = [], [], []
        for uid, y, ds in _series(panel):
            for w in range(n_windows):
                end = len(y) - h - (n_windows - 1 - w)
                mean, sd = self.rule(y[:end], h, season_length)
                parts.append((uid, ds[end : end + h], mean, sd))
                cutoffs.append(np.repeat(ds[end - 1], h))
                actual.append(y[end : end + h])
        out = _frame(parts)
        out.insert(2, "cutoff", np.concatenate(cutoffs))
        out.insert(3, "y", np.concatenate(actual))
        return out[["unique_id", "ds", "mean", *interval_columns(), "cutoff", "y"]]


def _series(panel: pd.DataFrame) -> list[tuple[str, np.ndarray, np.ndarray]]:
    panel = panel.sort_values(["unique_id", "ds"], kind="stable")
    ids = panel["unique_id"].to_numpy()
    y = panel["y"].to_numpy(dtype=float)
    ds = panel["ds"].to_numpy()
    bounds = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    starts, ends = np.r_[0, bounds], np.r_[bounds, len(ids)]
    return [(str(ids[a]), y[a:b], ds[a:b]) for a, b in zip(starts, ends, strict=True)]


def _frame(parts: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]) -> pd.DataFrame:
    mean = np.concatenate([p[2] for p in parts])
    sd = np.concatenate([p[3] for p in parts])
    out: dict[str, Any] = {
        "unique_id": np.concatenate([np.repeat(p[0], len(p[2])) for p in parts]),
        "ds": pd.to_datetime(np.concatenate([p[1] for p in parts])),
        "mean": mean,
    }
    for lv in LEVELS:
        z = float(norm.ppf(0.5 + lv / 200))
        out[f"lo-{lv}"], out[f"hi-{lv}"] = mean - z * sd, mean + z * sd
    return pd.DataFrame(out)


def _months_after(last: Any, h: int) -> np.ndarray:
    return _future(pd.Timestamp(last), h).to_numpy()


def _future(last: pd.Timestamp, h: int) -> pd.DatetimeIndex:
    return pd.date_range(last + pd.offsets.MonthBegin(1), periods=h, freq=FREQ)


# -- statsforecast models ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatsForecastModel:
    """A statsforecast model class behind the protocol.

    Attributes:
        name: registry name (also the column alias).
        build: season length → a configured statsforecast model.
        conformal: intervals by conformal prediction (models without model intervals).
        forward: the model can be backtested by re-filtering with fixed parameters
            (``refit=False``), fitting once per series instead of once per origin.
        sparse: meant for intermittent series (many zero months).
    """

    name: str
    build: Callable[[int], Any]
    conformal: bool = False
    forward: bool = True
    sparse: bool = False
    kind: str = "model"

    def forecast(self, panel: pd.DataFrame, h: int, season_length: int) -> pd.DataFrame:
        sf = self._sf(season_length, panel)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = sf.forecast(h=h, df=panel, level=list(LEVELS), **self._conformal(h))
        return self._rename(out)

    def backtest(
        self, panel: pd.DataFrame, h: int, season_length: int, n_windows: int
    ) -> pd.DataFrame:
        sf = self._sf(season_length, panel)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = sf.cross_validation(
                h=h,
                df=panel,
                n_windows=n_windows,
                step_size=1,
                level=list(LEVELS),
                refit=not self.forward,
                **self._conformal(h),
            )
        return self._rename(out)

    def _sf(self, season_length: int, panel: pd.DataFrame) -> Any:
        from statsforecast import StatsForecast

        model = self.build(season_length)
        return StatsForecast(models=[model], freq=FREQ, n_jobs=N_JOBS)

    def _conformal(self, h: int) -> dict[str, Any]:
        if not self.conformal:
            return {}
        from statsforecast.utils import ConformalIntervals

        return {"prediction_intervals": ConformalIntervals(n_windows=3, h=h)}

    def _rename(self, out: pd.DataFrame) -> pd.DataFrame:
        out = out.reset_index() if "unique_id" not in out.columns else out
        alias = self.name
        columns = {alias: "mean"}
        columns.update({f"{alias}-{c}": c for c in interval_columns()})
        keep = ["unique_id", "ds", *(["cutoff", "y"] if "cutoff" in out.columns else [])]
        return out.rename(columns=columns)[[*keep, "mean", *interval_columns()]]


def _auto_ets(m: int) -> Any:
    from statsforecast.models import AutoETS

    # Additive seasonality only ("ZZA"): on bts_port, SESNSP and VSRR backtests it scored as well
    # as the full search ("ZZZ", CRPS 0.517 vs 0.562 on bts_port) in half the time.
    return AutoETS(season_length=m, model="ZZA" if m > 1 else "ZZN", alias="auto_ets")


def _damped_ets(m: int) -> Any:
    from statsforecast.models import AutoETS

    # A trend that flattens out: after a break the fitted slope is damped away within months
    # instead of extrapolated (Gardner & McKenzie's damped trend; the forecasting competitions'
    # robust default).
    return AutoETS(season_length=m, model="ZAA" if m > 1 else "ZAN", damped=True,
                   alias="damped_ets")  # fmt: skip


def _local_level(m: int) -> Any:
    from statsforecast.models import AutoETS

    # No trend at all: the level (plus the season) tracks the last months, so a fall is not
    # extrapolated — the smoothed cousin of naive.
    return AutoETS(season_length=m, model="ZNA" if m > 1 else "ZNN", alias="local_level")


def _theta(m: int) -> Any:
    from statsforecast.models import Theta

    return Theta(season_length=m, alias="theta")


def _auto_arima(m: int) -> Any:
    from statsforecast.models import AutoARIMA

    return AutoARIMA(season_length=m, alias="auto_arima")


def _croston(m: int) -> Any:
    from statsforecast.models import CrostonOptimized

    return CrostonOptimized(alias="croston")


def _tsb(m: int) -> Any:
    from statsforecast.models import TSB

    return TSB(alpha_d=0.2, alpha_p=0.2, alias="tsb")


def _adida(m: int) -> Any:
    from statsforecast.models import ADIDA

    return ADIDA(alias="adida")


BASELINES: tuple[Baseline, ...] = (
    Baseline("naive", _naive),
    Baseline("seasonal_naive", _seasonal_naive),
    Baseline("historic_average", _historic_average),
)

MODELS: tuple[StatsForecastModel, ...] = (
    StatsForecastModel("auto_ets", _auto_ets),
    StatsForecastModel("damped_ets", _damped_ets),
    StatsForecastModel("local_level", _local_level),
    StatsForecastModel("theta", _theta),
    StatsForecastModel("auto_arima", _auto_arima),
    StatsForecastModel("croston", _croston, conformal=True, forward=False, sparse=True),
    StatsForecastModel("tsb", _tsb, conformal=True, forward=False, sparse=True),
    StatsForecastModel("adida", _adida, conformal=True, forward=False, sparse=True),
)


# -- the ensemble ------------------------------------------------------------------------------


def median_ensemble(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The quantile-wise median of member forecasts (rows aligned on ``unique_id, ds`` and,
    for backtests, ``cutoff``): every quantile (the mean included) is the members' median, as
    the COVID-19 and VIEWS forecast hubs combine theirs. Medians of ordered quantiles stay
    ordered."""
    keys = [c for c in ("unique_id", "cutoff", "ds") if c in frames[0].columns]
    values = ["mean", *interval_columns()]
    first = frames[0].sort_values(keys, ignore_index=True)
    stack = np.stack(
        [f.sort_values(keys, ignore_index=True)[values].to_numpy(dtype=float) for f in frames]
    )
    out = first.drop(columns=values).copy()
    out[values] = np.median(stack, axis=0)
    return out[[*first.columns]]


@dataclass(frozen=True)
class Ensemble:
    """The median of several registered forecasters, behind the same protocol."""

    name: str
    members: tuple[str, ...]
    kind: str = "ensemble"

    def forecast(self, panel: pd.DataFrame, h: int, season_length: int) -> pd.DataFrame:
        frames = [get_forecaster(m).forecast(panel, h, season_length) for m in self.members]
        return median_ensemble([clip_nonnegative(f) for f in frames])

    def backtest(
        self, panel: pd.DataFrame, h: int, season_length: int, n_windows: int
    ) -> pd.DataFrame:
        frames = [
            get_forecaster(m).backtest(panel, h, season_length, n_windows) for m in self.members
        ]
        return median_ensemble([clip_nonnegative(f) for f in frames])


#: The ensemble every group scores: the two statsforecast models every group fits and the two
#: baselines that are hard to beat on these series (naive on trend breaks, seasonal naive on
#: seasonal counts); the median of four is the mean of the middle two.
ENSEMBLE = Ensemble("ensemble", ("auto_ets", "theta", "naive", "seasonal_naive"))

REGISTRY: dict[str, Forecaster] = {
    **{b.name: b for b in BASELINES},
    **{m.name: m for m in MODELS},
    ENSEMBLE.name: ENSEMBLE,
}


def get_forecaster(name: str) -> Forecaster:
    """The forecaster called ``name``."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise OutlookError(f"unknown model {name!r}; models: {', '.join(REGISTRY)}.") from None


def clip_nonnegative(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Counts and weights cannot be negative: clip the mean and every bound at zero."""
    for col in columns or ["mean", *interval_columns()]:
        frame[col] = np.maximum(frame[col].to_numpy(dtype=float), 0.0)
    return frame


def bad_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows whose mean or bounds are NaN or infinite (a model that failed on a series)."""
    values = frame[["mean", *interval_columns()]].to_numpy(dtype=float)
    return pd.Series(~np.isfinite(values).all(axis=1), index=frame.index)
