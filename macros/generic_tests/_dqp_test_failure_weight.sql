{#- The failure_weight of a dqp test's row, from its failure_reason: 2 (an
    error under the tests' default fail_calc / warn_if / error_if) for a real
    failure, 1 (a warning) for what the test could not judge:
    'verdict_older_than_data' and 'insufficient_data' always, and
    'no_profile_yet' and 'not_checked_yet' unless strict (the var
    dqp_tests_strict, or the test's fail_if_missing), which makes those two
    errors. -#}
{% macro _dqp_test_failure_weight(reason_sql, fail_if_missing) %}
    {%- if fail_if_missing is not boolean -%}
        {{ exceptions.raise_compiler_error("dqp test '" ~ model.name ~ "': fail_if_missing must be true or false, got " ~ fail_if_missing) }}
    {%- endif -%}
    {%- set strict = var('dqp_tests_strict', false) -%}
    {%- if strict is string -%}{%- set strict = strict | lower in ['true', '1', 'yes'] -%}{%- endif -%}
    {%- set missing_weight = 2 if (strict or fail_if_missing) else 1 -%}
    case
        when {{ reason_sql }} in ('verdict_older_than_data', 'insufficient_data') then 1
        when {{ reason_sql }} in ('no_profile_yet', 'not_checked_yet') then {{ missing_weight }}
        else 2
    end
{% endmacro %}
