"""Build the engine from Settings (used by the API, the CLI and the benchmarks)."""

from __future__ import annotations

from prompt_sentinel.detectors.registry import build_detectors
from prompt_sentinel.engine.engine import Engine, EngineOptions
from prompt_sentinel.engine.models import Mode
from prompt_sentinel.engine.policy import Policy, Thresholds
from prompt_sentinel.settings import Settings


def build_engine(settings: Settings) -> Engine:
    detectors = build_detectors(settings)
    policy = Policy()
    for det in detectors:
        # Detectors with their own calibrated scale (the classifier) publish thresholds.
        table = getattr(det, "thresholds", None)
        if table:
            policy.source_thresholds[det.name] = {
                Mode(mode): Thresholds(flag=float(t["flag"]), block=float(t["block"])) for mode, t in table.items()
            }
    secret = settings.pii_hash_secret.get_secret_value().encode() if settings.pii_hash_secret else None
    options = EngineOptions(
        max_prompt_length=settings.max_prompt_length,
        pii_enabled=settings.enable_pii_detection,
        redaction_mode=settings.pii_redaction_mode,
        redaction_secret=secret,
        default_mode=settings.detection_mode,
    )
    extra = "|".join(str(getattr(d, "version", "")) for d in detectors)
    return Engine(detectors, policy, options, fingerprint_extra=extra)
