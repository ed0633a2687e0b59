{#- Categorical counts over one shared category set: the top K values by
    the pooled count of both sides (ties broken by value; values seen at
    least twice over both sides), every other value folded into
    '__other__', NULL into '__null__'. Values are counted by
    dqp_value_counts_query on each side, once, into a temporary stage; the
    category rows and the novelty counts are both read from that stage.

    Returns {column_index: {'reference_singletons': n, 'current_singletons': n,
    'novel_rows': n}}: the non-null values seen exactly once on each side, and
    the current rows whose non-null value never occurs in the reference. -#}
{% macro _dqp_insert_categories(dataset, relation, sources, columns, profiled_at) %}
    {%- set novelty = {} -%}
    {%- if columns | length == 0 -%}{{ return(novelty) }}{%- endif -%}
    {%- set value_columns = [] -%}
    {%- for column in columns -%}
        {#- a column read relative to a value_offset is labelled with its own values -#}
        {%- set value = column.alias ~ ('_exact' if column.get('value_offset') is not none else '') -%}
        {%- do value_columns.append({'index': column.column_index,
            'expression': 'cast(' ~ value ~ ' as ' ~ dbt.type_string() ~ ')'}) -%}
    {%- endfor -%}
    {%- set stage = dqp.dqp_temp_relation('dqp_value_stage') -%}
    {#- no drop-if-exists first: the stage is dropped when done, and a failed
        dataset's transaction rolls its creation back -#}
    {%- set stage_sql -%}
        create temporary table {{ stage }} as
        {%- for side in ['reference', 'current'] %}
        select '{{ side }}' as side, column_index, column_value as category_value, value_count
        from ({{ dqp.dqp_value_counts_query(sources[side], value_columns) }}) as {{ side }}_value_counts
        {{ 'union all' if loop.first }}
        {%- endfor %}
    {%- endset -%}
    {%- do run_query(stage_sql) -%}

    {#- Novel rows: current values with no reference row (an anti-join on the
        stage). Singletons: Good-Turing's estimate of the unseen share is the
        reference's singletons over its non-null rows. -#}
    {%- set novelty_sql -%}
        select
            values_seen.column_index,
            sum(case when values_seen.side = 'reference' and values_seen.value_count = 1 then 1 else 0 end) as reference_singletons,
            sum(case when values_seen.side = 'current' and values_seen.value_count = 1 then 1 else 0 end) as current_singletons,
            sum(case when values_seen.side = 'current' and not exists (
                    select 1 from {{ stage }} as reference_values
                    where reference_values.side = 'reference'
                        and reference_values.column_index = values_seen.column_index
                        and reference_values.category_value = values_seen.category_value)
                then values_seen.value_count else 0 end) as novel_rows
        from {{ stage }} as values_seen
        where values_seen.category_value is not null
        group by values_seen.column_index
    {%- endset -%}
    {%- for column in columns -%}
        {%- do novelty.update({column.column_index: {'reference_singletons': 0, 'current_singletons': 0, 'novel_rows': 0}}) -%}
    {%- endfor -%}
    {%- for row in run_query(novelty_sql).rows -%}
        {%- do novelty.update({row[0] | int: {'reference_singletons': row[1] | int,
            'current_singletons': row[2] | int, 'novel_rows': row[3] | int}}) -%}
    {%- endfor -%}

    {%- set category_rows_sql -%}
        {#- Ranked by the pooled count of both sides: the chi-square test
            conditions on each category's pooled count, so choosing by it keeps
            the test valid. Choosing each side's own top K favours values that
            are high on that side by chance and inflates chi-square on a
            no-drift high-cardinality column. A value seen once over both
            sides is never kept: it can only be on one side, and a tie broken
            by value would pick one side's id space (unique ids go to
            '__other__' on both sides; novel_values judges them). #}
        with pooled_ranked as (
            select
                column_index,
                category_value,
                row_number() over (partition by column_index order by sum(value_count) desc, category_value) as value_rank
            from {{ stage }}
            where category_value is not null
            group by column_index, category_value
            having sum(value_count) >= 2
        ),
        kept_values as (
            select column_index, category_value from pooled_ranked where value_rank <= {{ dataset.settings.top_k_categories }}
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
            from {{ stage }} as both_sides
            left join kept_values
                on both_sides.column_index = kept_values.column_index
                and both_sides.category_value = kept_values.category_value
        )
        select
            {{ dqp.dqp_string_literal(dataset.dataset_name) }} as dataset_name,
            {{ dqp.dqp_string_literal(invocation_id) }} as run_id,
            side,
            {{ dqp._dqp_column_name_case(columns, 'name') }} as column_name,
            {{ dqp._dqp_column_name_case(columns, 'column_position') }} as column_position,
            category_value,
            category_kind,
            sum(value_count) as value_count,
            {{ profiled_at }} as profiled_at
        from labelled
        group by side, column_index, category_value, category_kind
    {%- endset -%}
    {%- do dqp._dqp_insert_select(relation, 'dqp_category_counts', category_rows_sql) -%}
    {%- do run_query('drop table ' ~ stage) -%}
    {{ return(novelty) }}
{% endmacro %}
