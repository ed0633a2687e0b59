{#- Categorical counts over one shared category set: the top K values of
    either side (ties broken by value), every other value folded into
    '__other__', NULL into '__null__'. Values are counted by
    dqp_value_counts_query on each side. -#}
{% macro _dqp_insert_categories(dataset, relation, sources, columns, profiled_at) %}
    {%- if columns | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- set value_columns = [] -%}
    {%- for column in columns -%}
        {#- a column read relative to a value_offset is labelled with its own values -#}
        {%- set value = column.alias ~ ('_exact' if column.get('value_offset') is not none else '') -%}
        {%- do value_columns.append({'index': column.index,
            'expression': 'cast(' ~ value ~ ' as ' ~ dbt.type_string() ~ ')'}) -%}
    {%- endfor -%}
    {%- call statement('dqp_insert_categories', fetch_result=false) -%}
        insert into {{ relation }} (dataset_name, run_id, side, column_name, column_position,
            category_value, category_kind, value_count, profiled_at)
        with
        {%- for side in ['reference', 'current'] %}
        {{ side }}_values as (
            select column_index, column_value as category_value, value_count
            from ({{ dqp.dqp_value_counts_query(sources[side], value_columns) }}) as value_counts
        ),
        {{ side }}_ranked as (
            select
                column_index,
                category_value,
                row_number() over (partition by column_index order by value_count desc, category_value) as value_rank
            from {{ side }}_values
            where category_value is not null
        ),
        {%- endfor %}
        kept_values as (
            select column_index, category_value from reference_ranked where value_rank <= {{ dataset.settings.top_k_categories }}
            union
            select column_index, category_value from current_ranked where value_rank <= {{ dataset.settings.top_k_categories }}
        ),
        both_sides as (
            select 'reference' as side, column_index, category_value, value_count from reference_values
            union all
            select 'current' as side, column_index, category_value, value_count from current_values
        ),
        labelled as (
            select
                both_sides.side,
                both_sides.column_index,
                case
                    when both_sides.category_value is null then '__null__'
                    when kept_values.category_value is null then '__other__'
                    else both_sides.category_value
                end as category_value,
                case
                    when both_sides.category_value is null then 'null'
                    when kept_values.category_value is null then 'other'
                    else 'value'
                end as category_kind,
                both_sides.value_count
            from both_sides
            left join kept_values
                on both_sides.column_index = kept_values.column_index
                and both_sides.category_value = kept_values.category_value
        )
        select
            {{ dqp.dqp_string_literal(dataset.dataset_name) }},
            {{ dqp.dqp_string_literal(invocation_id) }},
            side,
            {{ dqp._dqp_column_name_case(columns, 'name') }},
            {{ dqp._dqp_column_name_case(columns, 'position') }},
            category_value,
            category_kind,
            sum(value_count),
            {{ profiled_at }}
        from labelled
        group by side, column_index, category_value, category_kind
    {%- endcall -%}
{% endmacro %}
