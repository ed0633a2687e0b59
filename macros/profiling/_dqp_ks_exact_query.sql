{#- Exact KS input for one side as dqp_histograms rows: one row per distinct
    non-null, non-NaN value (infinities included) and its count, per column,
    grouped by dqp_value_counts_query. -#}
{% macro _dqp_ks_exact_query(dataset, side, source_sql, columns, profiled_at) %}
    {%- set double = dqp.dqp_type_double() -%}
    {%- set value_columns = [] -%}
    {%- for column in columns -%}
        {%- do value_columns.append({'index': column.column_index, 'expression': column.alias}) -%}
    {%- endfor -%}
    {%- set sql -%}
        select
            cast({{ dqp.dqp_string_literal(dataset.dataset_name) }} as {{ dbt.type_string() }}) as dataset_name,
            cast({{ dqp.dqp_string_literal(invocation_id) }} as {{ dbt.type_string() }}) as run_id,
            cast('{{ side }}' as {{ dbt.type_string() }}) as side,
            cast({{ dqp._dqp_column_name_case(columns, 'name') }} as {{ dbt.type_string() }}) as column_name,
            cast({{ dqp._dqp_column_name_case(columns, 'column_position') }} as {{ dbt.type_int() }}) as column_position,
            cast('ks_exact' as {{ dbt.type_string() }}) as histogram_kind,
            cast(row_number() over (partition by column_index order by bin_value) - 1 as {{ dbt.type_int() }}) as bin_index,
            cast(null as {{ double }}) as lower_edge,
            cast(null as {{ double }}) as upper_edge,
            cast(bin_value as {{ double }}) as bin_value,
            false as is_null_bin,
            cast(value_count as {{ dbt.type_bigint() }}) as value_count,
            {{ profiled_at }} as profiled_at
        from (
            select column_index, column_value as bin_value, value_count
            from ({{ dqp.dqp_value_counts_query(source_sql, value_columns) }}) as value_counts
            where column_value is not null and not {{ dqp.dqp_is_nan('column_value') }}
        ) as value_counts
    {%- endset -%}
    {{ return(sql) }}
{% endmacro %}
