{#- The one-pass scan of a side: every profiled column in a single streaming
    aggregate query, with no sort and no hash: non-null, NaN and +/-Infinity
    counts (skipped for integer columns), finite min/max/mean/stddev, and
    counts outside the reference IQR and z-score fences. Distinct counts (a
    hash or sort per column) are a second aggregate in the same statement
    (_dqp_distinct_count_expressions); PSI bins are summed from the KS counts.
    Returns {'row_count': n, column_index: {...}}. -#}
{% macro _dqp_fetch_counts(source_sql, columns, bounds) %}
    {%- set inf = dqp.dqp_infinity(1) -%}
    {%- set neg_inf = dqp.dqp_infinity(-1) -%}
    {%- set expressions = ['count(*) as row_count'] -%}
    {%- for column in columns -%}
        {%- set value = column.alias -%}
        {%- set prefix = 'c' ~ column.column_index ~ '_' -%}
        {%- do expressions.append('count(' ~ value ~ ') as ' ~ prefix ~ 'non_null') -%}
        {%- if column.read_as == 'numeric' -%}
            {%- set column_bounds = bounds[column.column_index] -%}
            {%- if column.finite_only -%}
                {#- Integer on both sides: no NaN or infinity to count or filter out. -#}
                {%- set finite = value -%}
                {%- for name in ['nan', 'pos_inf', 'neg_inf'] -%}
                    {%- do expressions.append('0 as ' ~ prefix ~ name) -%}
                {%- endfor -%}
            {%- else -%}
                {%- set finite = dqp.dqp_finite_value(value) -%}
                {%- do expressions.append(dqp.dqp_count_where(dqp.dqp_is_nan(value)) ~ ' as ' ~ prefix ~ 'nan') -%}
                {%- do expressions.append(dqp.dqp_count_where(value ~ ' = ' ~ inf) ~ ' as ' ~ prefix ~ 'pos_inf') -%}
                {%- do expressions.append(dqp.dqp_count_where(value ~ ' = ' ~ neg_inf) ~ ' as ' ~ prefix ~ 'neg_inf') -%}
            {%- endif -%}
            {%- for stat, function in [('min', 'min'), ('max', 'max'), ('mean', 'avg'), ('stddev', 'stddev_samp')] -%}
                {%- do expressions.append(function ~ '(' ~ finite ~ ') as ' ~ prefix ~ stat) -%}
            {%- endfor -%}
            {%- for name, lower, upper in [('iqr', column_bounds.iqr_lower, column_bounds.iqr_upper), ('z', column_bounds.z_lower, column_bounds.z_upper)] -%}
                {%- if lower is not none -%}
                    {%- do expressions.append(dqp.dqp_count_where(finite ~ ' < ' ~ dqp.dqp_double_literal(lower)
                        ~ ' or ' ~ finite ~ ' > ' ~ dqp.dqp_double_literal(upper)) ~ ' as ' ~ prefix ~ name ~ '_outliers') -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set streaming_sql = 'select ' ~ expressions | join(',\n    ') ~ '\nfrom ' ~ source_sql -%}
    {%- set distinct_expressions = dqp._dqp_distinct_count_expressions(columns) -%}
    {%- if distinct_expressions | length > 0 -%}
        {#- two aggregates, one statement: the distinct counts hash or sort, the streaming pass does not -#}
        {%- set streaming_sql = 'select * from (' ~ streaming_sql ~ ') as streamed\ncross join (select '
            ~ distinct_expressions | join(',\n    ') ~ '\nfrom ' ~ source_sql ~ ') as distinct_counts' -%}
    {%- endif -%}
    {%- set table = run_query(streaming_sql) -%}
    {%- set row = table.rows[0] -%}
    {%- set names = table.column_names | map('lower') | list -%}
    {%- set values = {} -%}
    {%- for name in names -%}{%- do values.update({name: row[loop.index0]}) -%}{%- endfor -%}

    {%- set optional_number = dqp._dqp_optional_number -%}
    {%- set counts = {'row_count': values.row_count | int} -%}
    {%- for column in columns -%}
        {%- set prefix = 'c' ~ column.column_index ~ '_' -%}
        {%- set entry = {'null_count': counts.row_count - values[prefix ~ 'non_null'] | int,
                         'distinct_count': values[prefix ~ 'distinct'] | int,
                         'nan_count': 0, 'pos_inf_count': 0, 'neg_inf_count': 0} -%}
        {%- if column.read_as == 'numeric' -%}
            {%- do entry.update({
                'nan_count': values[prefix ~ 'nan'] | int,
                'pos_inf_count': values[prefix ~ 'pos_inf'] | int,
                'neg_inf_count': values[prefix ~ 'neg_inf'] | int,
                'min': optional_number(values[prefix ~ 'min'], 'float'),
                'max': optional_number(values[prefix ~ 'max'], 'float'),
                'mean': optional_number(values[prefix ~ 'mean'], 'float'),
                'stddev': optional_number(values[prefix ~ 'stddev'], 'float'),
                'iqr_outliers': optional_number(values.get(prefix ~ 'iqr_outliers'), 'int'),
                'z_outliers': optional_number(values.get(prefix ~ 'z_outliers'), 'int'),
            }) -%}
        {%- endif -%}
        {%- do counts.update({column.column_index: entry}) -%}
    {%- endfor -%}
    {{ return(counts) }}
{% endmacro %}
