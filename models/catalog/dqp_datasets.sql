{{ config(materialized='table', schema=var('dqp_schema', none)) }}
{#- The declared datasets and their resolved settings. Building it validates
    every declaration, so a malformed `meta: dqp:` fails `dbt compile` and
    `dbt run` here, naming the node and key. -#}
{%- set rows = [] -%}
{%- set declared = dqp.dqp_declared_datasets() -%}
{%- do dqp._dqp_check_unique_dataset_names(declared) -%}
{%- for item in declared -%}
    {%- set dataset = dqp.dqp_resolve_dataset(item.node, item.declaration, inspect_warehouse=false) -%}
    {%- do rows.append(dataset) -%}
{%- endfor %}
{%- for dataset in rows %}
select
    {{ dqp.dqp_string_literal(dataset.dataset_name) }} as dataset_name,
    {{ dqp.dqp_string_literal(dataset.node.unique_id) }} as node_unique_id,
    {{ dqp.dqp_string_literal(dataset.current_relation | string) }} as current_relation,
    {{ dqp.dqp_string_literal(dataset.reference.kind) }} as reference_kind,
    {{ dqp.dqp_string_literal(dataset.reference.relation | string) }} as reference_relation,
    {{ dqp.dqp_string_literal(dataset.reference.time_column) }} as time_column,
    {{ dqp.dqp_string_literal(tojson(dataset.critical_columns)) }} as critical_columns,
    {{ dqp.dqp_string_literal(tojson(dataset.settings, sort_keys=true)) }} as settings,
    {{ 'true' if dataset.enabled else 'false' }} as is_enabled
{{ 'union all' if not loop.last }}
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as dataset_name,
    cast(null as {{ dbt.type_string() }}) as node_unique_id,
    cast(null as {{ dbt.type_string() }}) as current_relation,
    cast(null as {{ dbt.type_string() }}) as reference_kind,
    cast(null as {{ dbt.type_string() }}) as reference_relation,
    cast(null as {{ dbt.type_string() }}) as time_column,
    cast(null as {{ dbt.type_string() }}) as critical_columns,
    cast(null as {{ dbt.type_string() }}) as settings,
    cast(null as {{ dbt.type_boolean() }}) as is_enabled
where 1 = 0
{%- endfor %}
