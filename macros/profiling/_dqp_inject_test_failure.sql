{#- Test only (tests/integration/test_profiling_transactions.py): with the var
    dqp_test_fail_dataset naming this dataset, a statement fails after every
    row but the run row is written. -#}
{% macro _dqp_inject_test_failure(dataset) %}
    {%- if var('dqp_test_fail_dataset', none) == dataset.dataset_name -%}
        {%- do run_query('select cast(' ~ dqp.dqp_string_literal('dqp_test_fail_dataset: injected failure in '
            ~ dataset.dataset_name) ~ ' as integer)') -%}
    {%- endif -%}
{% endmacro %}
