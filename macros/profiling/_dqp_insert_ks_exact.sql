{#- Exact KS input: one row per distinct non-null, non-NaN value (infinities
    included) and its count, per column and side, grouped in one scan of each
    side and inserted without leaving the warehouse. -#}
{% macro _dqp_insert_ks_exact(dataset, relation, sources, columns, profiled_at) %}
    {%- if columns | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- for side in ['reference', 'current'] -%}
        {%- call statement('dqp_insert_ks_exact', fetch_result=false) -%}
            insert into {{ relation }} (dataset_name, run_id, side, column_name, column_position, histogram_kind,
                bin_index, lower_edge, upper_edge, bin_value, is_null_bin, value_count, profiled_at)
            select
                {{ dqp.dqp_string_literal(dataset.dataset_name) }},
                {{ dqp.dqp_string_literal(invocation_id) }},
                '{{ side }}',
                {{ dqp._dqp_column_name_case(columns, 'name') }},
                {{ dqp._dqp_column_name_case(columns, 'position') }},
                'ks_exact',
                cast(row_number() over (partition by column_index order by bin_value) - 1 as {{ dbt.type_int() }}),
                cast(null as {{ dqp.dqp_type_double() }}),
                cast(null as {{ dqp.dqp_type_double() }}),
                bin_value,
                false,
                value_count,
                {{ profiled_at }}
            from (
                select column_index, bin_value, count(*) as value_count
                from {{ sources[side] }}
                cross join lateral (
                    values
                    {%- for column in columns %}
                        ({{ column.index }}, {{ column.alias }}){{ ',' if not loop.last }}
                    {%- endfor %}
                ) as unpivoted (column_index, bin_value)
                where bin_value is not null and not {{ dqp.dqp_is_nan('bin_value') }}
                group by column_index, bin_value
            ) as value_counts
        {%- endcall -%}
    {%- endfor -%}
{% endmacro %}
