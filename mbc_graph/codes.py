"""Clinical codes: from the codes in patients' records (ICD-10-CM, SNOMED CT, UMLS...) to concepts.

The ontology carries codes derived through its exact DOID and MONDO mappings
(``mbc:derivedXref``, with ``mbc:derivedVia`` naming the term; see
``tools/clinical_codes.py``), with Bioregistry prefixes (``icd10cm``,
``snomedct``, ``umls``, ``NCIT``, ``mesh``...). A patient's ICD-10-CM code is
usually a billable subcode, such as ``C50.911``: it matches through its
parents (``C50.91``, ``C50.9``, ``C50``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .search import normalize

#: Other spellings of the prefixes, as DOID, MONDO and coded data write them.
PREFIX_ALIASES = {
    "sctid": "snomedct", "snomed": "snomedct", "snomedctus": "snomedct", "umlscui": "umls", "nci": "ncit",
    "mim": "omim", "icd11foundation": "icd11", "orphanet": "orpha",
}
_SNOMED_RELEASE = re.compile(r"snomedctus\d+")  # SNOMEDCT_US_2025_09_01


def canonical_prefix(prefix: str) -> str:
    """A code system's prefix, case and punctuation aside, with its aliases resolved.

    >>> canonical_prefix("ICD-10-CM"), canonical_prefix("SNOMEDCT_US_2025_09_01"), canonical_prefix("UMLS_CUI")
    ('icd10cm', 'snomedct', 'umls')
    """
    key = re.sub(r"[\W_]+", "", prefix).casefold()
    key = "snomedct" if _SNOMED_RELEASE.fullmatch(key) else key
    return PREFIX_ALIASES.get(key, key)


def icd10cm_lineage(code: str) -> list[str]:
    """An ICD-10-CM code and its parents, most specific first (the dot is optional).

    >>> icd10cm_lineage("C50.911")
    ['C50.911', 'C50.91', 'C50.9', 'C50']
    >>> icd10cm_lineage("c50911")
    ['C50.911', 'C50.91', 'C50.9', 'C50']
    """
    code = code.strip().upper()
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    lineage = []
    while len(code) >= 3:
        lineage.append(code)
        code = code[:-1].rstrip(".")
    return lineage


class CodeIndex:
    """Concept IRIs by derived code.

    >>> index = CodeIndex([("mbc:BreastCancer", "icd10cm:C50"), ("mbc:BreastCancer", "umls:C0006142")])
    >>> index.lookup("ICD10CM:C50.911"), index.lookup("UMLS:C0006142"), index.lookup("ICD10CM:D05")
    (['mbc:BreastCancer'], ['mbc:BreastCancer'], [])
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._iris: dict[str, list[str]] = {}
        for iri, code in pairs:
            found = self._iris.setdefault(self._key(code), [])
            if iri not in found:
                found.append(iri)

    @staticmethod
    def _key(code: str) -> str:
        prefix, _, local = code.partition(":")
        return f"{canonical_prefix(prefix)} {normalize(local)}"

    def lookup(self, code: str) -> list[str]:
        """The IRIs of the concepts a code names: the most specific ICD-10-CM parent that is known wins."""
        prefix, colon, local = str(code).partition(":")
        if not colon or not local.strip():
            return []
        if canonical_prefix(prefix) == "icd10cm":
            for candidate in icd10cm_lineage(local):
                found = self._iris.get(self._key(f"icd10cm:{candidate}"))
                if found:
                    return list(found)
            return []
        return list(self._iris.get(self._key(code), []))
