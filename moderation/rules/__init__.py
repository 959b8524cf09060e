"""The rules engine: checks a reply against the five LGA rules of engagement.

Pure Python (no Django), so it can run in the web process, a Celery worker or a script alike.

    engine = Engine(Register(claims=(...), unreliable_domains=("example.com",)))
    verdict = engine.classify("reply text", {"handle": "...", "created_at": "..."})
    verdict.severity, [hit.as_dict() for hit in verdict.hits]
"""

from moderation.rules.engine import Claim, Engine, Register
from moderation.rules.normalise import normalise
from moderation.rules.verdict import SEVERITIES, SEVERITY_RANK, Hit, Verdict

__all__ = ["SEVERITIES", "SEVERITY_RANK", "Claim", "Engine", "Hit", "Register", "Verdict", "normalise"]
