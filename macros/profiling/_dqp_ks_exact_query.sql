{#- Exact KS input for one side as dqp_histograms rows: one row per distinct
    non-null, non-NaN value (infinities included) and its count, per column,
    grouped in one scan. -#}
{% macro _dqp_ks_exact_query(dataset, side, source_sql, columns, profiled_at) %}
    {%- set double = dqp.dqp_type_double() -%}
    {%- set sql -%}
        select
            cast({{ dqp.dqp_string_literal(dataset.dataset_name) }} as {{ dbt.type_string() }}) as dataset_name,
            cast({{ dqp.dqp_string_literal(invocation_id) }} as {{ dbt.type_string() }}) as run_id,
            cast('{{ side }}' as {{ dbt.type_string() }}) as side,
            cast({{ dqp._dqp_column_name_case(columns, 'name') }} as {{ dbt.type_string() }}) as column_name,
            cast({{ dqp._dqp_column_name_case(columns, 'position') }} as {{ dbt.type_int() }}) as column_position,
            cast('ks_exact' as {{ dbt.type_string() }}) as histogram_kind,
            cast(row_number() over (partition by column_index order by bin_value) - 1 as {{ dbt.type_int() }}) as bin_index,
            cast(null as {{ double }}) as lower_edge,
            cast(null as {{ double }}) as upper_edge,
            cast(bin_value as {{ double }}) as bin_value,
            false as is_null_bin,
            cast(value_count as {{ dbt.type_bigint() }}) as value_count,
            {{ profiled_at }} as profiled_at
        from (
            select column_index, bin_value, count(*) as value_count
            from {{ source_sql }}
            cross join lateral (
                values
                {%- for column in columns %}
                    ({{ column.index }}, {{ column.alias }}){{ ',' if not loop.last }}
                {%- endfor %}
            ) as unpivoted (column_index, bin_value)
            where bin_value is not null and not {{ dqp.dqp_is_nan('bin_value') }}
            group by column_index, bin_value
        ) as value_counts
    {%- endset -%}
    {{ return(sql) }}
{% endmacro %}
