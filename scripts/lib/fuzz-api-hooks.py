"""schemathesis hooks for scripts/fuzz-api: one check, one steer.

The check: a request that fits openapi.yaml may still be refused with 422 for a rule JSON
Schema cannot state, because it depends on today, on what is stored or on comparing two
fields. Those rules are written in the operations' descriptions; this check lets a 422
through only with one of their codes, so a rule the schema could state but does not (a blank
`reason`, a result value outside its assessment's vocabulary) still fails the run.

The steer: enrolment needs a product of the site's catalog and dates between 1990 and
today, which random strings and dates almost never are. Schema-valid enrolments get a
catalog product and their dates moved into that span (derived from the generated values,
so a seed still fixes the run); without them the stateful phase would have no subject to
follow its links from.
"""
import datetime
import zlib

import schemathesis
from schemathesis import Case, CheckContext, Response

# 422 codes whose rule the document states in words only, and why JSON Schema cannot.
BEYOND_SCHEMA = {
    "date-in-future": "depends on today",
    "date-before-day-zero": "depends on the stored day 0",
    "born-after-infusion": "compares two fields",
    "consent-before-birth": "compares with the (stored) birth date",
    "guardian-for-adult": "depends on the stored birth date",
    "result-before-visit": "depends on the stored done date",
    "assessment-not-planned": "depends on the visit's stored assessments",
    "correction-needs-note": "depends on a stored earlier result",
    "lost-to-follow-up-without-evidence": "depends on the stored contact attempts",
    "not-a-signal": "depends on the stored notification's kind",
    "reconsent-needs-consent": "depends on the stored visit's purpose",
    "note-too-long": "counts characters (grapheme clusters) after trimming",
    "reason-too-long": "counts characters (grapheme clusters) after trimming",
    "import-refused": "the CSV files' rows, checked against each other and the stored subjects",
    "country-not-configured": "depends on the site's configuration ([site] country)",
    "arm-code-too-long": "depends on the stored subjects' product ids",
    "invalid-created-day": "a real calendar day (not 30 February), which a pattern cannot state",
}

CATALOG = ["CD19-CART", "CIK-AUTO", "MSLN-CARNK-MRNA"]  # etc/ltfu/products.d
_enrolments = 0


def _positive(case: Case) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_positive


@schemathesis.check
def refused_only_for_stated_rules(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    if not _positive(case) or response.status_code != 422:
        return None
    try:
        code = response.json()["error"]["code"]
    except Exception:
        code = None
    if code not in BEYOND_SCHEMA:
        raise AssertionError(
            f"a request that fits the document was refused with 422 {code}: "
            "state the rule in the schema, or name it in scripts/lib/fuzz-api-hooks.py if the schema cannot"
        )
    return None


def _within(date: str, earliest: datetime.date, seed: int) -> str:
    """`date` moved into [earliest, today], deterministically."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    span = (today - earliest).days + 1
    return (earliest + datetime.timedelta(days=zlib.crc32(f"{date}{seed}".encode()) % span)).isoformat()


@schemathesis.hook
def map_case(ctx, case: Case) -> Case:
    if case.operation.label != "POST /v1/subjects" or not _positive(case) or not isinstance(case.body, dict):
        return case
    body = dict(case.body)
    digest = zlib.crc32(repr(sorted(body.items(), key=lambda item: item[0])).encode())
    body["product"] = CATALOG[digest % len(CATALOG)]
    # A new code each time (the generator repeats short ones), so most enrolments are new subjects.
    global _enrolments
    _enrolments += 1
    body["code"] = f"{str(body.get('code', 'S'))[:56]}-{_enrolments}"
    infused = [_within(str(date), datetime.date(1990, 1, 1), digest) for date in body.get("infused") or []]
    if infused:
        body["infused"] = infused
        if body.get("born") is not None:
            body["born"] = _within(str(body["born"]), datetime.date(1900, 1, 1), digest)
            if body["born"] > min(infused):
                body["born"] = (datetime.date.fromisoformat(min(infused)) - datetime.timedelta(days=digest % 20000)).isoformat()
                body["born"] = max(body["born"], "1900-01-01")
    case.body = body
    return case
