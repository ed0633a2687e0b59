#!/usr/bin/env bash
# The demo: build the integration project on DuckDB (reference and drifted
# current datasets), run the checker, print the verdicts and where to look.
set -euo pipefail
cd "$(dirname "$0")/../integration_tests"
export DBT_PROFILES_DIR="$PWD" DQP_TARGET=duckdb DBT_SEND_ANONYMOUS_USAGE_STATS=false
rm -f dqp_integration.duckdb

echo "==> dbt deps && dbt build   (seeds, models, then dqp profiles every declared dataset)"
dbt deps --quiet
dbt build --quiet

echo
echo "==> dqp check   (scores, decides, records verdicts and explanation rows)"
set +e
dqp check
status=$?
set -e

cat <<TXT

dqp check exited with $status (1 = at least one BLOCK_PIPELINE verdict, as expected here: the
demo includes drifted datasets on purpose).

The tables live in integration_tests/dqp_integration.duckdb, schema dqp_it:
  dqp_latest_verdicts   latest decision per dataset      dqp_signals          explanation rows
  dqp_check_runs        every check (score, decision,    dqp_column_metrics   every metric of every check,
                        decision_reason)                                      fired or not (PSI, KS, ...)
  dqp_column_profiles   per-column profiles              dqp_histograms       PSI / KS bin counts
  dqp_category_counts   categorical counts               dqp_alerts           alerts: open, acknowledged,
                                                                              muted, resolved (dqp alert list)
Query them, for example:
  python -c "import duckdb; print(duckdb.connect('integration_tests/dqp_integration.duckdb', read_only=True).sql(\"select dataset_name, decision, health_score from dqp_it.dqp_latest_verdicts order by health_score\"))"
TXT
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then exit "$status"; fi

echo
echo "==> dqp report   (one self-contained HTML page from the tables above; opens offline)"
dqp report --output "$PWD/target/dqp_report.html"
echo "Open it: $PWD/target/dqp_report.html"
