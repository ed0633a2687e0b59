{#- The dqp_schema_snapshots rows: the columns each side had, as the
    warehouse reported them (dataset.reference_schema, dataset.current_schema). -#}
{% macro _dqp_insert_schema_snapshots(dataset, relation, profiled_at) %}
    {%- set rows = [] -%}
    {%- for side in ['reference', 'current'] -%}
        {%- for column in dataset[side ~ '_schema'] -%}
            {%- do rows.append({
                'dataset_name': dqp.dqp_string_literal(dataset.dataset_name),
                'run_id': dqp.dqp_string_literal(invocation_id),
                'side': "'" ~ side ~ "'",
                'column_name': dqp.dqp_string_literal(column.name),
                'column_position': column.column_position,
                'data_type': dqp.dqp_string_literal(column.data_type),
                'profiled_at': profiled_at,
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do dqp._dqp_insert_rows(relation, 'dqp_schema_snapshots', rows) -%}
{% endmacro %}
