"""Privacy of small numbers: what a reader without staff rights may see of a count of persons.

The one place where the rule lives (docs/privacy.md explains it to readers). As
statistical offices do for small municipalities:

- **Primary suppression.** A count of persons from 1 up to the threshold (setting
  `SMALL_NUMBER_THRESHOLD`, default 5) is shown as "< 5". Zero is shown: it
  discloses nothing about a person. Shares computed from such a count are shown
  as "x".
- **Secondary suppression.** The motive counts of one area-year add up to a
  total the portal shows (as a number, or as a share of the inhabitants), so a
  single held-back count could be recovered by subtraction. The next-smallest
  count of the same area-year is then held back too ("x", with its shares), and
  the next after it, until no held-back count can be worked out exactly from the
  total and the counts shown; if even holding back every count is not enough, the
  total (and its share of the inhabitants) is held back as well. A total of the
  chosen motives only is shown when it holds all of the area-year's held-back
  counts or none of them.

The cells held back are decided per area-year over every motive, before any
filter, so that no two views of the same data can be combined to undo the rule.
Staff (`is_staff`) see exact numbers; a threshold of 0 switches the rule off.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Number

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

PRIMARY = "primary"  # a count of persons below the threshold
SECONDARY = "secondary"  # held back so that a primary one cannot be worked out
HIDDEN_MARK = "x"
COUNT_COLUMN = "count"
SHARE_OF_MIGRANTS = "share_of_migrants_pct"
SHARE_OF_POPULATION = "share_of_population_pct"
GROUP_COLUMNS = ["municipality_code", "year"]


@dataclass(frozen=True)
class Suppressed:
    """A number a reader may not see; tables, downloads and figures print its mark.

    `small` marks a count of persons below the threshold ("< 5"); anything else
    held back (a share, or a count held back to protect another) prints "x".
    """

    threshold: int
    small: bool = False

    def __str__(self) -> str:
        return f"< {self.threshold}" if self.small else HIDDEN_MARK


def threshold_for_members() -> int:
    """The threshold for every reader without staff rights (0: the rule is off)."""
    return max(0, int(settings.SMALL_NUMBER_THRESHOLD))


def threshold_for_user(*, user: AbstractBaseUser | AnonymousUser) -> int:
    """0 (exact numbers) for staff; the members' threshold for everyone else."""
    return 0 if user.is_staff else threshold_for_members()


def threshold_or_members(*, suppress_below: int | None) -> int:
    """`suppress_below` as given, or the members' threshold when the caller gave none.

    Page builders default to what a council member may see, so a caller that
    forgets to say otherwise never shows exact small numbers.
    """
    return threshold_for_members() if suppress_below is None else max(0, suppress_below)


def count_is_small(*, count: Number | None, threshold: int) -> bool:
    return count is not None and not pd.isna(count) and 0 < count < threshold


def count_shown(*, count, threshold: int):
    """A single count of persons with no total beside it: itself, or "< threshold"."""
    if count_is_small(count=count, threshold=threshold):
        return Suppressed(threshold, small=True)
    return count


@dataclass(frozen=True)
class GroupSuppression:
    """Per part of one total: "", PRIMARY or SECONDARY; and the same for the total."""

    parts: tuple[str, ...]
    total: str = ""

    @property
    def any(self) -> bool:
        return bool(self.total) or any(self.parts)


def _bounds(counts: Sequence[int], marks: list[str], threshold: int) -> list[tuple[int, int]]:
    """What a reader who knows this rule can tell of each held-back part: (lowest, highest).

    The reader knows the total and the parts shown, so the sum of the held-back
    parts; a primary part lies in 1..threshold-1, a secondary one at or above the
    threshold and at or below the smallest part shown (it was the next-smallest).
    """
    hidden = [index for index, mark in enumerate(marks) if mark]
    held = sum(counts[index] for index in hidden)
    shown = [count for count, mark in zip(counts, marks, strict=True) if not mark and count > 0]
    secondary_high = min(shown) if shown else held
    low = {i: 1 if marks[i] == PRIMARY else threshold for i in hidden}
    high = {i: threshold - 1 if marks[i] == PRIMARY else secondary_high for i in hidden}
    bounds = []
    for index in hidden:
        others_low = sum(low[i] for i in hidden if i != index)
        others_high = sum(high[i] for i in hidden if i != index)
        bounds.append((max(low[index], held - others_high), min(high[index], held - others_low)))
    return bounds


def group_suppression(*, counts: Sequence[int], threshold: int) -> GroupSuppression:
    """Which parts of one total (the motives of one area-year) a reader may not see."""
    marks = ["" for _count in counts]
    if threshold <= 0:
        return GroupSuppression(parts=tuple(marks))
    marks = [PRIMARY if 0 < count < threshold else "" for count in counts]
    total = sum(counts)
    if 0 < total < threshold:
        return GroupSuppression(parts=tuple(marks), total=PRIMARY)
    if PRIMARY not in marks:
        return GroupSuppression(parts=tuple(marks))
    candidates = sorted(
        (count, index) for index, count in enumerate(counts) if not marks[index] and count > 0
    )
    while any(low >= high for low, high in _bounds(counts, marks, threshold)):
        if not candidates:
            return GroupSuppression(parts=tuple(marks), total=SECONDARY)
        _count, index = candidates.pop(0)
        marks[index] = SECONDARY
    return GroupSuppression(parts=tuple(marks))


def chosen_total(*, counts: Sequence[int], chosen: Sequence[bool], threshold: int):
    """The total of the chosen parts of one group, or a mark where it would give a part away.

    Shown when it holds none of the group's held-back parts, or all of them
    while the group's own total is shown (then it tells no more than that total).
    """
    total = sum(count for count, keep in zip(counts, chosen, strict=True) if keep)
    if threshold <= 0:
        return total
    if 0 < total < threshold:
        return Suppressed(threshold, small=True)
    marks = group_suppression(counts=counts, threshold=threshold)
    hidden_chosen = [bool(m) for m, keep in zip(marks.parts, chosen, strict=True) if keep]
    hidden_left = [bool(m) for m, keep in zip(marks.parts, chosen, strict=True) if not keep]
    if not any(hidden_chosen) or (not any(hidden_left) and not marks.total):
        return total
    return Suppressed(threshold)


def counts_suppressed(*, frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Counts of persons per area × year × motive as a reader below staff may see them.

    `frame` has a row per municipality_code × year × motive with `count` and
    optionally `share_of_migrants_pct` and `share_of_population_pct`, for every
    motive of each area-year (filter afterwards, so every view holds back the
    same cells). Returns a copy in which held-back cells are `Suppressed` marks,
    with a column `total_suppressed` that says whether the row's area-year total
    is held back as well. With a threshold of 0 the numbers are left as they are.
    """
    result = frame.copy()
    if frame.empty:
        return result
    result["total_suppressed"] = False
    if threshold <= 0:
        return result
    shares = [c for c in (SHARE_OF_MIGRANTS, SHARE_OF_POPULATION) if c in result.columns]
    result = result.astype(dict.fromkeys([COUNT_COLUMN, *shares], object))
    for _key, index in frame.groupby(GROUP_COLUMNS, sort=False).groups.items():
        counts = frame.loc[index, COUNT_COLUMN].tolist()
        marks = group_suppression(counts=counts, threshold=threshold)
        if not marks.any:
            continue
        for label, mark in zip(index, marks.parts, strict=True):
            if mark:
                result.at[label, COUNT_COLUMN] = Suppressed(threshold, small=mark == PRIMARY)
                for column in shares:
                    result.at[label, column] = Suppressed(threshold)
            elif marks.total and SHARE_OF_MIGRANTS in shares:
                result.at[label, SHARE_OF_MIGRANTS] = Suppressed(threshold)
            result.at[label, "total_suppressed"] = bool(marks.total)
    return result


def frame_holds_suppressed(frame: pd.DataFrame) -> Suppressed | None:
    """The first held-back cell of `frame`, if it has one."""
    for column in frame.columns:
        if frame[column].dtype == object:
            for value in frame[column]:
                if isinstance(value, Suppressed):
                    return value
    return None


def suppression_note(*, threshold: int) -> str:
    """The definition a chart with held-back numbers carries, in the reader's language."""
    return _(
        "To protect privacy, numbers of persons from 1 to %(below)s are shown as "
        "“< %(threshold)s”; shares computed from them, and numbers from which they could be "
        "worked out (such as another count of the same total), are shown as “x”."
    ) % {"below": threshold - 1, "threshold": threshold}
