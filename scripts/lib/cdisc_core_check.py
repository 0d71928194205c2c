"""Checks an SDTM export folder with tools no one at ltfu wrote (issue #24).

1. Every *.json file against CDISC's Dataset-JSON 1.1 JSON schema, with the jsonschema package
   (the validator the schema's own $schema names), and the row shape the schema cannot express.
2. The whole folder with the CDISC CORE rules engine (cdisc-rules-engine, through its Python
   API: the command line is not part of the wheel), every published SDTMIG 3.4 rule in the rules
   cache given, against a copy of that cache.

Prints a summary line per part, then every problem and every issue CORE reports (rule, domain,
USUBJID, --SEQ); with --json, writes them to a file as well. Exits 0 only when there is none. A rule
CORE cannot run here (it needs a define.xml, or CDISC Library metadata the cache only has
stand-ins for) is counted and named, not hidden; any other failure of a rule is a problem.

Usage: cdisc_core_check.py --schema SCHEMA.json --cache CORE-CACHE-DIR [--json REPORT] FOLDER
"""

import argparse
import json
import os
import pathlib
import pickle
import shutil
import sys
import tempfile

STANDARD, VERSION = "sdtmig", "3-4"
# Execution errors that say a rule needs what this cache cannot give (README of the cache).
CANNOT_RUN_HERE = ("define.xml", "not found in CDISC Library", "Class metadata is not found")


def check_schema(schema_path, files):
    import jsonschema

    schema = json.loads(pathlib.Path(schema_path).read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    problems = []
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        for error in validator.iter_errors(document):
            problems.append(f"{path.name}: {'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}")
        columns = document.get("columns", [])
        rows = document.get("rows", [])
        if document.get("records") != len(rows):
            problems.append(f"{path.name}: records is {document.get('records')}, rows hold {len(rows)}")
        for number, row in enumerate(rows, 1):
            if len(row) != len(columns):
                problems.append(f"{path.name}: row {number} has {len(row)} values for {len(columns)} columns")
    print(f"schema: {len(files)} files against {pathlib.Path(schema_path).name} ({validator.__class__.__name__}): "
          f"{len(problems)} problems")
    return problems


def run_core(cache_dir, files):
    import cdisc_rules_engine
    from importlib.metadata import version
    from cdisc_rules_engine.config import config
    from cdisc_rules_engine.models.library_metadata_container import LibraryMetadataContainer
    from cdisc_rules_engine.rules_engine import RulesEngine
    from cdisc_rules_engine.services import logger as engine_logger
    from cdisc_rules_engine.services.cache import InMemoryCacheService
    from cdisc_rules_engine.services.data_services import DataServiceFactory
    from cdisc_rules_engine.utilities.utils import (
        get_standard_codelist_cache_key,
        get_standard_details_cache_key,
    )

    engine_logger.disabled = True
    work = pathlib.Path(tempfile.mkdtemp(prefix="ltfu-core-"))
    try:
        cache = work / "cache"
        shutil.copytree(cache_dir, cache)
        # The engine reads the Dataset-JSON schema as resources/schema/... under the working
        # folder, where its wheel installs it beside the package.
        (work / "resources").symlink_to(pathlib.Path(cdisc_rules_engine.__file__).parent.parent / "resources")
        os.chdir(work)

        def load(name):
            with open(cache / name, "rb") as f:
                return pickle.load(f)

        rules_by_id = load("rules.pkl")
        rules = [rules_by_id[core_id] for core_id in load("rules_dictionary.pkl")[f"{STANDARD}/{VERSION}"]]
        library = LibraryMetadataContainer(
            standard_metadata=load("standards_details.pkl").get(get_standard_details_cache_key(STANDARD, VERSION, None), {}),
            model_metadata={},
            variable_codelist_map=load("variable_codelist_maps.pkl").get(get_standard_codelist_cache_key(STANDARD, VERSION), {}),
            variables_metadata={},
            ct_package_metadata={},
        )
        paths = [str(path) for path in files]
        size = max(os.path.getsize(path) for path in paths)
        service = DataServiceFactory(config, InMemoryCacheService(), standard=STANDARD, standard_version=VERSION,
                                     library_metadata=library, max_dataset_size=size).get_data_service(paths)
        problems = []
        # A file the engine cannot read is taken as empty and passes every rule: make sure each
        # one arrived whole.
        loaded = {dataset.filename: dataset for dataset in service.get_datasets()}
        for path in files:
            expected = json.loads(path.read_text(encoding="utf-8"))
            dataset = loaded.get(path.name)
            if dataset is None or dataset.name != expected["name"] or dataset.record_count != expected["records"]:
                problems.append(f"{path.name}: CORE did not read it as {expected['name']} with {expected['records']} records")
        engine = RulesEngine(cache=InMemoryCacheService(), data_service=service, config_obj=config, standard=STANDARD,
                             standard_version=VERSION, library_metadata=library, max_dataset_size=size,
                             dataset_paths=paths, ct_packages=[], validate_xml=False)
        ran, skipped, cannot_run, issues = [], [], [], []
        for rule in rules:
            core_id = rule["core_id"]
            statuses = set()
            for domain, results in engine.validate_single_rule(rule).items():
                for result in results:
                    status = result.get("executionStatus")
                    statuses.add(status)
                    if status in ("success", "issue reported") and result.get("errors"):
                        for error in result["errors"]:
                            issues.append({"rule": core_id, "domain": domain, "usubjid": error.get("USUBJID"),
                                           "seq": error.get("SEQ"), "message": result.get("message"),
                                           "detail": json.dumps(error.get("value"), default=str, sort_keys=True)})
                    elif status == "execution error":
                        detail = json.dumps(result.get("errors"), default=str)
                        if any(reason in detail for reason in CANNOT_RUN_HERE):
                            cannot_run.append(core_id)
                        else:
                            problems.append(f"{core_id} {domain}: the rule failed to run: {result.get('message')}: {detail}")
            if statuses & {"success", "issue reported"}:
                ran.append(core_id)
            elif statuses <= {"skipped"}:
                skipped.append(core_id)
        cannot_run = sorted(set(cannot_run) - set(ran))
        print(f"CORE: cdisc-rules-engine {version('cdisc-rules-engine')}, SDTMIG 3.4, {len(files)} datasets: "
              f"{len(rules)} rules, {len(ran)} ran, {len(issues)} issues; {len(skipped)} skipped (not applicable to "
              f"these datasets or their columns); {len(cannot_run)} cannot run here (need define.xml or CDISC Library "
              f"metadata): {' '.join(cannot_run)}")
        return problems, issues, {"rules": len(rules), "ran": ran, "skipped": skipped, "cannotRun": cannot_run}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--json", help="also write the summary and problems to this file")
    parser.add_argument("folder")
    arguments = parser.parse_args()
    folder = pathlib.Path(arguments.folder).resolve()
    report = pathlib.Path(arguments.json).resolve() if arguments.json else None
    files = sorted(folder.glob("*.json"))
    if not files:
        print(f"error: no Dataset-JSON files in {folder}", file=sys.stderr)
        return 2
    schema_problems = check_schema(arguments.schema, files)
    failures, issues, summary = run_core(pathlib.Path(arguments.cache).resolve(), files)
    for problem in schema_problems + failures:
        print(problem)
    for issue in issues:
        print(f"{issue['rule']} {issue['domain']} {issue['usubjid']} {issue['seq']}: {issue['message']} {issue['detail']}")
    if report:
        report.write_text(json.dumps({**summary, "schemaProblems": schema_problems, "failures": failures, "issues": issues},
                                     indent=1, sort_keys=True), encoding="utf-8")
    return 1 if schema_problems or failures or issues else 0


if __name__ == "__main__":
    sys.exit(main())
