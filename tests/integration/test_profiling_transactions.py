"""One dataset's profiling is one transaction on every engine: a statement
that fails in the second dataset (var dqp_test_fail_dataset, tests only)
leaves no row of it, while the first dataset's run is complete and marked.
On PostgreSQL the timeout and JIT are set for that transaction only, so a
later on-run-end hook of the user's sees the session's own settings."""

from __future__ import annotations

from tests.support.dbt_project import DbtProject

ROW_TABLES = ("dqp_column_profiles", "dqp_histograms", "dqp_category_counts", "dqp_schema_snapshots")
SESSION_PROBE_HOOK = '\non-run-end:\n  - "{{ session_probe() }}"\n'
SESSION_PROBE_MACRO = """
{% macro session_probe() %}
    {%- if execute and target.type == 'postgres' -%}
        {%- set settings = run_query("select current_setting('statement_timeout') || ',' || current_setting('jit')") -%}
        {%- do log('dqp-test session: ' ~ settings.columns[0].values()[0], info=true) -%}
    {%- endif -%}
{% endmacro %}
"""


def _run_ids(project: DbtProject, table: str, dataset: str) -> set[str]:
    rows = project.query(f"select distinct run_id from {{schema}}.{table} where dataset_name = '{dataset}'")
    return {row[0] for row in rows}


def test_a_failing_dataset_leaves_nothing_and_the_one_before_stays_complete(fresh_project: DbtProject) -> None:
    project = fresh_project
    with (project.path / "dbt_project.yml").open("a") as config:
        config.write(SESSION_PROBE_HOOK)
    (project.path / "macros" / "session_probe.sql").write_text(SESSION_PROBE_MACRO)
    project.env["PGOPTIONS"] = "-c statement_timeout=123s -c jit=on"
    built = project.dbt("build")
    if project.target == "postgres":
        # dqp's SET LOCAL ended with each dataset's commit: the user's hook sees the session's values
        assert "dqp-test session: 123s,on" in built.stdout, built.stdout
    before = {
        (table, dataset): _run_ids(project, table, dataset)
        for table in ("dqp_profile_runs", *ROW_TABLES)
        for dataset in ("orders_empty", "orders_model")
    }

    # model.*.orders_empty is profiled first, model.*.orders_model second
    failed = project.dbt(
        "run", "--select", "orders_empty", "orders_model", "--vars", "{dqp_test_fail_dataset: orders_model}",
        expect_success=False,
    )
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output
    assert "injected failure in orders_model" in output, output

    new_runs = _run_ids(project, "dqp_profile_runs", "orders_empty") - before["dqp_profile_runs", "orders_empty"]
    assert len(new_runs) == 1, "the first dataset's run is marked complete"
    (run_id,) = new_runs
    for table in ("dqp_column_profiles", "dqp_histograms", "dqp_schema_snapshots"):
        assert run_id in _run_ids(project, table, "orders_empty"), f"{table} lacks the first dataset's rows"
    profiled = project.query(
        "select count(*) from {schema}.dqp_column_profiles "
        f"where dataset_name = 'orders_empty' and run_id = '{run_id}'"
    )
    assert profiled[0][0] > 0
    for table in ("dqp_profile_runs", *ROW_TABLES):
        assert _run_ids(project, table, "orders_model") == before[table, "orders_model"], (
            f"{table} kept rows of the failed dataset"
        )
    assert run_id not in _run_ids(project, "dqp_profile_runs", "orders_model")
    # no row anywhere belongs to a run without its completion row
    for table in ROW_TABLES:
        orphans = project.query(
            f"select distinct rows.dataset_name, rows.run_id from {{schema}}.{table} as rows "
            "where not exists (select 1 from {schema}.dqp_profile_runs as runs "
            "where runs.dataset_name = rows.dataset_name and runs.run_id = rows.run_id)"
        )
        assert orphans == [], f"{table} has rows of incomplete runs: {orphans}"
