"""The one interface every detector implements."""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from prompt_sentinel.engine.models import DetectContext, DetectorResult, PreparedText


@runtime_checkable
class Detector(Protocol):
    """A detector looks at a prepared text and returns a named result.

    Detectors are constructed once at start-up (compile patterns, load models
    there) and must be safe to call from several threads at once.  ``detect``
    must never raise on any string; it never logs prompt text.
    """

    name: ClassVar[str]

    def detect(self, text: PreparedText, ctx: DetectContext) -> DetectorResult: ...
