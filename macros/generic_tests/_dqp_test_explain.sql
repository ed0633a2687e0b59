{#- Say why a dqp test warns or fails, in plain words on the console: dbt
    itself prints only "Got 1 result, configured to warn if >= 1". Runs the
    test's own query once more (it reads dqp's small tables only; only when
    `dbt test` or `dbt build` runs it, never on compile) and logs
    one line per row it returns; a passing test logs nothing. -#}
{% macro _dqp_test_explain(test_sql) %}
    {%- if not execute or flags.WHICH not in ['test', 'build'] -%}{{ return('') }}{%- endif -%}
    {%- set meanings = {
        'no_profile_yet': 'no profile run yet: `dbt run` or `dbt build` profiles it at run end',
        'verdict_older_than_data': 'this `dbt build` rebuilds the data and profiles it after its tests, so every stored verdict is about older data: run `dqp check`, then `dbt test`',
        'not_checked_yet': 'the latest profile run has not been checked yet: run `dqp check`',
        'insufficient_data': '`dqp check` found too little data to judge this metric',
        'column_not_profiled': 'the latest profile run has no such column (misspelt, excluded, or not on both sides)',
        'metric_not_computed': 'the check computed no such metric for this column (e.g. PSI of a categorical column)',
        'above_threshold': 'the value `dqp check` stored is above the threshold',
    } -%}
    {%- set outcome = run_query('select * from (' ~ test_sql ~ ') as dqp_test_outcome') -%}
    {%- set names = outcome.column_names | map('lower') | list -%}
    {%- for row in outcome.rows -%}
        {%- set values = {} -%}
        {%- for name in names -%}{%- do values.update({name: row[loop.index0]}) -%}{%- endfor -%}
        {%- set reason = values.get('failure_reason') -%}
        {%- set subject = values.get('dataset_name') ~ (('.' ~ values.column_name) if values.get('column_name') else '') -%}
        {%- set meaning = meanings.get(reason, 'the recorded decision ' ~ values.get('decision') ~ ' is at or above fail_on') -%}
        {%- set figures = '' -%}
        {%- if reason == 'above_threshold' and values.get('metric_value') is not none -%}
            {%- set figures = ' (value ' ~ values.metric_value ~ ', threshold ' ~ values.threshold ~ ')' -%}
        {%- endif -%}
        {%- do log('dqp test on ' ~ subject ~ ': ' ~ reason ~ ': ' ~ meaning ~ figures
            ~ ('; this warns, it does not fail' if values.get('failure_weight') == 1 else ''), info=true) -%}
    {%- endfor -%}
{% endmacro %}
