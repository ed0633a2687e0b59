"""dqp's own errors in the on-run-end hook read on their own: dbt prints
"Exited because of keyboard interrupt" for any failing on-run-end hook, so
dqp logs its message as one plain line, and the error block dbt prints last
carries it too."""

from __future__ import annotations

from tests.support.dbt_project import DbtProject


def test_a_hook_error_is_logged_plainly_and_ends_the_output(fresh_project: DbtProject) -> None:
    # `dbt seed` runs the hook, but no dqp storage table has been built yet
    result = fresh_project.dbt("seed", expect_success=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    plain = [line for line in output.splitlines() if "dqp error: storage table" in line]
    assert len(plain) == 1, output
    assert "dbt run --select package:dqp" in plain[0]
    last_block = output[output.rindex("Encountered an error"):]
    assert "dqp: storage table" in last_block and "does not exist yet" in last_block
