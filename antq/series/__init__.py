"""Series across changes of the map and of the criteria: harmonise, regions, known events."""

from antq.series.events import read_events
from antq.series.harmonise import Harmonised, harmonise
from antq.series.regions import regions

__all__ = ["Harmonised", "harmonise", "read_events", "regions"]
