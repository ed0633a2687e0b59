{#- The index on a storage table's run identity (dataset_name, run_id),
    declared by the storage models' post-hooks so that `dqp check`, which
    reads one run at a time, and the dqp generic tests read by index instead
    of scanning every run ever profiled. dqp_profile_runs holds one row per
    run, so its index is unique: a second completion row for a run is
    refused. The index is named <table>_run_identity. -#}
{% macro _dqp_run_identity_index(relation, unique=false) %}
    {{ return(adapter.dispatch('_dqp_run_identity_index', 'dqp')(relation, unique)) }}
{% endmacro %}

{% macro default___dqp_run_identity_index(relation, unique=false) %}
    create {{ 'unique ' if unique }}index if not exists {{ dqp.dqp_quote_identifier(relation.identifier ~ '_run_identity') }}
        on {{ dqp.dqp_quote_relation(relation) }} (dataset_name, run_id)
{% endmacro %}

{#- DuckDB filters by its zone maps and keeps an ART index in memory, updated
    on every insert: only the unique index is worth it there. -#}
{% macro duckdb___dqp_run_identity_index(relation, unique=false) %}
    {%- if unique -%}{{ dqp.default___dqp_run_identity_index(relation, unique) }}{%- endif -%}
{% endmacro %}
