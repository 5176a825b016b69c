"""Run inside the CKAN virtual environment (tests/test_ckan_harvest.py): what
ckanext-dcat's harvester makes of a catalog, and what CKAN's package validators
say of it. Prints one JSON object per catalog file given as ``path=rdflib-format``.

The dataset dicts come from ckanext-dcat's own parser (``RDFParser``,
profile ``euro_dcat_ap_3``), as its RDF harvester builds them. They are checked
with ``ckan.logic.schema.default_create_package_schema`` through
``ckan.lib.navl.dictization_functions.validate``, less the validators that
need CKAN's database or a logged-in user (they check uniqueness, organisations
and permissions, not the harvested values).
"""

import json
import sys

from ckan.lib.munge import munge_title_to_name
from ckan.lib.navl.dictization_functions import validate
from ckan.logic.schema import default_create_package_schema
from ckanext.dcat.processors import RDFParser

NEEDS_DATABASE = {"package_name_validator", "package_id_does_not_exist", "owner_org_validator",
                  "empty_if_not_sysadmin", "ignore_not_package_admin", "ignore_not_sysadmin",
                  "datasets_with_no_organization_cannot_be_private", "vocabulary_id_exists",
                  "ignore_not_group_admin", "group_id_exists", "group_name_validator",
                  "package_id_exists", "package_id_or_name_exists"}


def without_database(schema):
    if isinstance(schema, dict):
        return {key: without_database(value) for key, value in schema.items()}
    return [v for v in schema if getattr(v, "__name__", "") not in NEEDS_DATABASE]


def extras(dataset):
    return {e["key"]: e["value"] for e in dataset.get("extras", [])}


def main(args):
    for arg in args:
        path, fmt = arg.rsplit("=", 1)
        parser = RDFParser(profiles=["euro_dcat_ap_3"])
        with open(path, encoding="utf-8") as f:
            parser.parse(f.read(), _format=fmt)
        for dataset in parser.datasets():
            dataset["name"] = munge_title_to_name(dataset["title"])  # as the harvester names it
            _, errors = validate(dict(dataset), without_database(default_create_package_schema()),
                                 {"user": "harvest", "ignore_auth": True})
            print(json.dumps({"file": arg, "license_id": dataset.get("license_id"),
                              "extras": extras(dataset),
                              "tags": sorted(t["name"] for t in dataset.get("tags", [])),
                              "formats": sorted({(r.get("format"), r.get("mimetype"))
                                                 for r in dataset.get("resources", [])}),
                              "errors": errors}, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
