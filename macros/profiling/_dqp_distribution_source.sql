{#- The rows one side's distribution pass (KS bins and values, PSI bins,
    category and novelty counts) reads. At or under the dataset's row_budget
    (or with none) that is the whole side. Above it, a seeded uniform sample
    (_dqp_sample_clause) of about row_budget rows, taken after the side's
    time-window filter applies, is copied once into a temporary table, so
    every distribution statement reads the same few rows and the sample's
    own counts are exact. Counts, moments and fences never come from here.
    Returns {'sql': a derived table like _dqp_side_source's,
    'fraction': the sampled share (none when exact), 'method',
    'counts': the sample's {'row_count', column_index: {null_count, nan_count,
    pos_inf_count, neg_inf_count}}
    (none when exact), 'stage': the temporary table to drop, or none}. -#}
{% macro _dqp_distribution_source(dataset, side, relation, row_filter, row_count) %}
    {%- set budget = dataset.settings.get('row_budget') -%}
    {%- if budget is none or row_count <= budget -%}
        {{ return({'sql': dqp._dqp_side_source(dataset, relation, row_filter), 'fraction': none, 'method': none,
                   'counts': none, 'stage': none}) }}
    {%- endif -%}
    {%- set percent = 100.0 * budget / row_count -%}
    {%- set sample = dqp._dqp_sample_clause(relation, percent, 20261123) -%}
    {%- set stage = dqp.dqp_temp_relation('dqp_sample_' ~ side) -%}
    {%- do run_query('drop table if exists ' ~ stage) -%}
    {%- do run_query('create temporary table ' ~ stage ~ ' as select * from '
        ~ dqp._dqp_side_source(dataset, relation, row_filter, sample)) -%}

    {#- The sample's own counts: its row, null, NaN and +/-Infinity counts
        fill the PSI null bin and rank the current quartiles within the sample. -#}
    {%- set expressions = ['count(*) as row_count'] -%}
    {%- set kinds = ['non_null', 'nan', 'pos_inf', 'neg_inf'] -%}
    {%- for column in dataset.columns -%}
        {%- do expressions.append('count(' ~ column.alias ~ ')') -%}
        {%- if column.read_as == 'numeric' and not column.finite_only -%}
            {%- do expressions.append(dqp.dqp_count_where(dqp.dqp_is_nan(column.alias))) -%}
            {%- do expressions.append(dqp.dqp_count_where(column.alias ~ ' = ' ~ dqp.dqp_infinity(1))) -%}
            {%- do expressions.append(dqp.dqp_count_where(column.alias ~ ' = ' ~ dqp.dqp_infinity(-1))) -%}
        {%- else -%}
            {%- do expressions.append('0') -%}{%- do expressions.append('0') -%}{%- do expressions.append('0') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set row = run_query('select ' ~ expressions | join(', ') ~ ' from ' ~ stage).rows[0] -%}
    {%- set counts = {'row_count': row[0] | int} -%}
    {%- for column in dataset.columns -%}
        {%- set offset = loop.index0 * (kinds | length) + 1 -%}
        {%- do counts.update({column.column_index: {
            'null_count': counts.row_count - row[offset] | int,
            'nan_count': row[offset + 1] | int,
            'pos_inf_count': row[offset + 2] | int,
            'neg_inf_count': row[offset + 3] | int}}) -%}
    {%- endfor -%}
    {{ return({'sql': '(select * from ' ~ stage ~ ') as dqp_source', 'fraction': percent / 100.0,
               'method': sample.method, 'counts': counts, 'stage': stage}) }}
{% endmacro %}
