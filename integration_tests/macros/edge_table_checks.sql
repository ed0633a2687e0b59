{#- tests/integration/test_edge_table.py: the grouped pass's bin convention on
    integer values tied with the edges, and an edge table filled from a
    stored run's reference histograms, each copied into a table the test reads. -#}
{% macro edge_table_bin_ties(values, edges) %}
    {%- set edge_table = dqp.dqp_edge_table_name() -%}
    {%- do run_query('drop table if exists ' ~ edge_table) -%}
    {%- set edge_rows = [] -%}
    {%- for edge in edges -%}{%- do edge_rows.append('(1, ' ~ edge ~ ')') -%}{%- endfor -%}
    {%- do run_query('create temporary table ' ~ edge_table ~ ' as select cast(column_index as ' ~ dbt.type_int()
        ~ ') as column_index, cast(null as ' ~ dbt.type_int() ~ ') as level_index, true as is_edge, cast(edge_value as '
        ~ dqp.dqp_type_double() ~ ') as edge_value from (values ' ~ edge_rows | join(', ') ~ ') as edges (column_index, edge_value)') -%}
    {%- set value_rows = [] -%}
    {%- for value in values -%}{%- do value_rows.append('(' ~ value ~ ')') -%}{%- endfor -%}
    {%- set source_sql = '(select cast(tied as ' ~ dqp.dqp_type_double() ~ ') as dqp_c1, cast(tied as ' ~ dqp.dqp_type_double()
        ~ ') as dqp_c2 from (values ' ~ value_rows | join(', ') ~ ') as tied_values (tied)) as dqp_source' -%}
    {%- set result = api.Relation.create(database=target.database, schema=target.schema, identifier='edge_table_tie_counts') -%}
    {%- do run_query('drop table if exists ' ~ result) -%}
    {%- do run_query('create table ' ~ result ~ ' as ' ~ dqp.dqp_edge_counts_query(source_sql,
        [{'alias': 'dqp_c1', 'index': 1}, {'alias': 'dqp_c2', 'index': 2}], edge_table)) -%}
    {%- do run_query('drop table ' ~ edge_table) -%}
    {#- run-operation rolls back what is not committed; auto_begin makes sure there is a transaction to commit -#}
    {%- call statement('edge_table_commit', auto_begin=true) -%}select 1{%- endcall -%}
    {%- do adapter.commit() -%}
{% endmacro %}

{% macro edge_table_from_run(dataset_name, run_id, columns) %}
    {%- set edge_table = dqp.dqp_fill_edge_table_from_histograms(dataset_name, run_id, columns) -%}
    {%- set result = api.Relation.create(database=target.database, schema=target.schema, identifier='edge_table_pinned_edges') -%}
    {%- do run_query('drop table if exists ' ~ result) -%}
    {%- do run_query('create table ' ~ result ~ ' as select column_index, edge_value from ' ~ edge_table) -%}
    {%- do run_query('drop table ' ~ edge_table) -%}
    {#- run-operation rolls back what is not committed; auto_begin makes sure there is a transaction to commit -#}
    {%- call statement('edge_table_commit', auto_begin=true) -%}select 1{%- endcall -%}
    {%- do adapter.commit() -%}
{% endmacro %}
