{#- Commit whatever dbt has open, then open a transaction of dqp's own: the
    hook profiles each dataset inside one and ends it with adapter.commit().
    dbt tracks its transaction in a flag; a statement with auto_begin makes
    sure the flag is set before the commit, and sets it again after. -#}
{% macro dqp_begin_transaction() %}
    {{ return(adapter.dispatch('dqp_begin_transaction', 'dqp')()) }}
{% endmacro %}

{#- DuckDB and others: dbt sends BEGIN itself when it opens a transaction. -#}
{% macro default__dqp_begin_transaction() %}
    {%- call statement('dqp_end_open_transaction', auto_begin=true) -%}select 1{%- endcall -%}
    {%- do adapter.commit() -%}
    {%- call statement('dqp_begin_transaction', auto_begin=true) -%}select 1{%- endcall -%}
{% endmacro %}

{#- dbt-postgres sends no BEGIN: it relies on psycopg2's implicit one, which
    does not come back after a COMMIT sent as SQL (adapter.commit()), so every
    later statement would commit on its own. An explicit BEGIN opens the
    transaction either way (inside an implicit one it is only a warning). -#}
{% macro postgres__dqp_begin_transaction() %}
    {%- call statement('dqp_end_open_transaction', auto_begin=true) -%}select 1{%- endcall -%}
    {%- do adapter.commit() -%}
    {%- do run_query('begin') -%}
    {%- call statement('dqp_begin_transaction', auto_begin=true) -%}select 1{%- endcall -%}
{% endmacro %}
