"""The one source of dates and times. Logic takes `today` as an argument; views and commands ask
the app's clock (`current_clock()`), and tests replace it with a FixedClock."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.date()

    def set(self, moment: datetime) -> None:
        self.moment = moment


def fixed(day: date, hour: int = 12) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc))


def current_clock():
    from flask import current_app

    return current_app.extensions["pathway_clock"]
