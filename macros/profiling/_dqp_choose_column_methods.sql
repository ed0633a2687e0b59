{#- Set each column's profiled kind ('numeric', 'categorical', 'temporal' or
    'other', stored as column_kind) and KS method ('exact', 'binned' or none),
    now that both sides' distinct counts are known. A declared kind wins;
    otherwise a temporal column is 'temporal', and a numeric one with few
    distinct values on both sides is 'categorical'. -#}
{% macro _dqp_choose_column_methods(dataset, counts) %}
    {%- set settings = dataset.settings -%}
    {%- for column in dataset.columns -%}
        {%- set reference_distinct = counts.reference[column.column_index].distinct_count -%}
        {%- set current_distinct = counts.current[column.column_index].distinct_count -%}
        {%- set kind = column.declared_kind or ('temporal' if column.temporal else column.read_as) -%}
        {%- if column.declared_kind is none and kind == 'numeric'
            and [reference_distinct, current_distinct] | max <= settings.categorical_max_distinct -%}
            {%- set kind = 'categorical' -%}
        {%- endif -%}
        {%- set ks_method = none -%}
        {%- if kind in ['numeric', 'temporal'] -%}
            {%- set ks_method = 'exact' if reference_distinct + current_distinct <= settings.ks_exact_max_distinct else 'binned' -%}
        {%- endif -%}
        {%- do column.update({'column_kind': kind, 'ks_method': ks_method}) -%}
    {%- endfor -%}
{% endmacro %}
