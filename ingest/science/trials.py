"""ClinicalTrials.gov API v2 JSON: a page of ``/api/v2/studies`` (``{"studies": [...],
"nextPageToken": …}``), a list of studies, or one study (``/api/v2/studies/NCT…``).

From each study kolmap keeps the NCT number, title, phases, overall status, start date, lead
sponsor and its class (``INDUSTRY``, ``NIH``…), conditions and condition MeSH terms (for its
areas), and each overall official (name, role, affiliation): the investigators. A study
without an NCT number is rejected with its index.

>>> import tempfile, pathlib, json
>>> p = pathlib.Path(tempfile.mkdtemp()) / "studies.json"
>>> _ = p.write_text(json.dumps({"studies": [{"protocolSection": {
...     "identificationModule": {"nctId": "NCT01234567", "briefTitle": "Lupus trial"},
...     "contactsLocationsModule": {"overallOfficials": [{"name": "Claire Dubois, MD",
...         "affiliation": "CHU de Bordeaux", "role": "PRINCIPAL_INVESTIGATOR"}]}}}]}))
>>> [r.get("official_key") for item in read_trials(p) for _, r in item.records][1:]
['name:dubois|c|']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kolmap.errors import InputError
from kolmap.ingest.formats.spec import Item, Parsed
from kolmap.ingest.io.rows import Rejected
from kolmap.ingest.science.names import person_name
from kolmap.ingest.science.records import trial, trial_official

__all__ = ["read_trials", "sniff_trials"]


def sniff_trials(head: bytes) -> bool:
    starts_page = re.match(rb'\s*\{\s*"studies"\s*:', head) is not None
    return starts_page or b'"protocolSection"' in head or b'"nctId"' in head


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text if len(text) > 7 else f"{text}-01").replace(tzinfo=UTC)
    except ValueError:
        return None


def _study(study: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(study, dict):
        raise ValueError("not a study object")
    protocol = study.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    nct = str(ident.get("nctId") or "").strip().upper()
    if not (nct.startswith("NCT") and nct[3:].isdigit()):
        raise ValueError(f"nctId {nct!r} is not an NCT number")
    status = protocol.get("statusModule") or {}
    sponsor = (protocol.get("sponsorCollaboratorsModule") or {}).get("leadSponsor") or {}
    design = protocol.get("designModule") or {}
    conditions = (protocol.get("conditionsModule") or {}).get("conditions") or []
    meshes = ((study.get("derivedSection") or {}).get("conditionBrowseModule") or {}).get(
        "meshes"
    ) or []
    record = trial(
        trial_id=nct,
        title=ident.get("officialTitle") or ident.get("briefTitle") or "",
        phase="/".join(design.get("phases") or []) or None,
        status=status.get("overallStatus"),
        sponsor=sponsor.get("name"),
        sponsor_class=sponsor.get("class"),
        conditions=conditions,
        started_on=_date((status.get("startDateStruct") or {}).get("date")),
        mesh=[m.get("term", "") for m in meshes],
    )
    records: list[tuple[str, dict[str, Any]]] = [("trials", record)]
    officials = (protocol.get("contactsLocationsModule") or {}).get("overallOfficials") or []
    for index, official in enumerate(officials):
        name = person_name(official.get("name"))
        if name is None:
            continue
        records.append(
            (
                "trial_officials",
                trial_official(
                    nct,
                    index,
                    name[1].title(),
                    name[0].title(),
                    official.get("role"),
                    official.get("affiliation"),
                ),
            )
        )
    return records


def read_trials(path: Path) -> Iterator[Item]:
    """Each study of a ClinicalTrials.gov v2 file as a trial and its officials, or a
    rejection naming ``studies[i]``."""
    name = str(path)
    try:
        with path.open(encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as err:
        raise InputError(f"{name} line {err.lineno}: not valid JSON ({err.msg})") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not UTF-8 at byte {err.start}") from None
    studies = data.get("studies") if isinstance(data, dict) and "studies" in data else data
    if isinstance(studies, dict):
        studies = [studies]
    if not isinstance(studies, list):
        raise InputError(f"{name}: expected a ClinicalTrials.gov v2 studies page or study")
    for index, study in enumerate(studies):
        try:
            yield Parsed(index + 1, _study(study))
        except (ValueError, TypeError, AttributeError) as err:
            yield Rejected(name, index + 1, f"studies[{index}]: {err}", json.dumps(study)[:10_000])
