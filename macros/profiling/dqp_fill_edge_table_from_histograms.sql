{#- Fill the temporary edge table (dqp_edge_table_name, dropped first if it
    exists) from the stored dqp_histograms rows of one earlier run's reference
    side, so a current side can be binned at a pinned baseline's edges with
    the same grouped pass (dqp_edge_counts_query). One CREATE TABLE AS.
    A column's edges are every finite edge its stored reference rows carry:
    the lower and upper edges of its ks_binned rows, the values of its
    ks_exact rows (binning at them keeps the KS statistic exact at every
    reference value) and its psi edges. Empty KS bins are not stored, so an
    edge between two empty reference bins is lost: those bins merge, which
    leaves the reference CDF unchanged there.
    columns: the dataset's resolved columns ({name, column_index}); a column
    with no stored rows gets no edges (one open bin). -#}
{% macro dqp_fill_edge_table_from_histograms(dataset_name, run_id, columns) %}
    {%- set histograms = dqp._dqp_storage_relations(['dqp_histograms']).dqp_histograms -%}
    {%- set edge_table = dqp.dqp_edge_table_name() -%}
    {%- set double = dqp.dqp_type_double() -%}
    {%- do run_query('drop table if exists ' ~ edge_table) -%}
    {%- set sql -%}
        create temporary table {{ edge_table }} as
        select distinct
            cast(profiled_columns.column_index as {{ dbt.type_int() }}) as column_index,
            cast(null as {{ dbt.type_int() }}) as level_index,
            true as is_edge,
            cast(stored_edges.edge_value as {{ double }}) as edge_value,
            cast(null as {{ double }}) as mean_value,
            cast(null as {{ double }}) as stddev_value
        from (
            {%- for edge_column in ['lower_edge', 'upper_edge', 'bin_value'] %}
            select column_name, {{ edge_column }} as edge_value
            from {{ histograms }}
            where dataset_name = {{ dqp.dqp_string_literal(dataset_name) }}
                and run_id = {{ dqp.dqp_string_literal(run_id) }}
                and side = 'reference'
                and histogram_kind in ('ks_binned', 'ks_exact', 'psi')
                and not is_null_bin
            {{ 'union all' if not loop.last }}
            {%- endfor %}
        ) as stored_edges
        inner join (
            {%- if columns | length == 0 %}
            select cast(null as {{ dbt.type_string() }}) as column_name, 0 as column_index where 1 = 0
            {%- else %}
            values
            {%- for column in columns %}
                ({{ dqp.dqp_string_literal(column.name) }}, {{ column.column_index }}){{ ',' if not loop.last }}
            {%- endfor %}
            {%- endif %}
        ) as profiled_columns (column_name, column_index)
            on profiled_columns.column_name = stored_edges.column_name
        where stored_edges.edge_value is not null
            and stored_edges.edge_value > {{ dqp.dqp_infinity(-1) }}
            and stored_edges.edge_value < {{ dqp.dqp_infinity(1) }}
    {%- endset -%}
    {%- do run_query(sql) -%}
    {{ return(edge_table) }}
{% endmacro %}
