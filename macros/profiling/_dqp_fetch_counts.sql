{#- The one-pass scan of a side: every profiled column in a single streaming
    aggregate query, with no sort and no hash: non-null, NaN and +/-Infinity
    counts (skipped for integer columns), finite min/max/mean/stddev, and
    counts outside the reference IQR and z-score fences. Distinct counts (a
    hash or sort per column) come from _dqp_fetch_distinct_counts; PSI bins
    are summed from the KS counts.
    Returns {'row_count': n, column_index: {...}}. -#}
{% macro _dqp_fetch_counts(source_sql, columns, bounds) %}
    {%- set inf = dqp.dqp_infinity(1) -%}
    {%- set neg_inf = dqp.dqp_infinity(-1) -%}
    {%- set expressions = ['count(*) as row_count'] -%}
    {%- for column in columns -%}
        {%- set x = column.alias -%}
        {%- set p = 'c' ~ column.index ~ '_' -%}
        {%- do expressions.append('count(' ~ x ~ ') as ' ~ p ~ 'non_null') -%}
        {%- if column.type_kind == 'numeric' -%}
            {%- set b = bounds[column.index] -%}
            {%- if column.finite_only -%}
                {#- Integer on both sides: no NaN or infinity to count or filter out. -#}
                {%- set finite = x -%}
                {%- for name in ['nan', 'pos_inf', 'neg_inf'] -%}
                    {%- do expressions.append('0 as ' ~ p ~ name) -%}
                {%- endfor -%}
            {%- else -%}
                {%- set finite = dqp.dqp_finite_value(x) -%}
                {%- do expressions.append('count(case when ' ~ dqp.dqp_is_nan(x) ~ ' then 1 end) as ' ~ p ~ 'nan') -%}
                {%- do expressions.append('count(case when ' ~ x ~ ' = ' ~ inf ~ ' then 1 end) as ' ~ p ~ 'pos_inf') -%}
                {%- do expressions.append('count(case when ' ~ x ~ ' = ' ~ neg_inf ~ ' then 1 end) as ' ~ p ~ 'neg_inf') -%}
            {%- endif -%}
            {%- for stat, fn in [('min', 'min'), ('max', 'max'), ('mean', 'avg'), ('stddev', 'stddev_samp')] -%}
                {%- do expressions.append(fn ~ '(' ~ finite ~ ') as ' ~ p ~ stat) -%}
            {%- endfor -%}
            {%- for name, lower, upper in [('iqr', b.iqr_lower, b.iqr_upper), ('z', b.z_lower, b.z_upper)] -%}
                {%- if lower is not none -%}
                    {%- do expressions.append('count(case when ' ~ finite ~ ' < ' ~ dqp.dqp_double_literal(lower)
                        ~ ' or ' ~ finite ~ ' > ' ~ dqp.dqp_double_literal(upper) ~ ' then 1 end) as ' ~ p ~ name ~ '_outliers') -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set table = run_query('select ' ~ expressions | join(',\n    ') ~ '\nfrom ' ~ source_sql) -%}
    {%- set distinct_counts = dqp._dqp_fetch_distinct_counts(source_sql, columns) -%}
    {%- set row = table.rows[0] -%}
    {%- set names = table.column_names | map('lower') | list -%}
    {%- set values = {} -%}
    {%- for name in names -%}{%- do values.update({name: row[loop.index0]}) -%}{%- endfor -%}

    {%- set as_int = dqp._dqp_optional_number -%}
    {%- set counts = {'row_count': values.row_count | int} -%}
    {%- for column in columns -%}
        {%- set p = 'c' ~ column.index ~ '_' -%}
        {%- set entry = {'null_count': counts.row_count - values[p ~ 'non_null'] | int,
                         'distinct_count': distinct_counts[column.index],
                         'nan_count': 0, 'pos_inf_count': 0, 'neg_inf_count': 0} -%}
        {%- if column.type_kind == 'numeric' -%}
            {%- do entry.update({
                'nan_count': values[p ~ 'nan'] | int,
                'pos_inf_count': values[p ~ 'pos_inf'] | int,
                'neg_inf_count': values[p ~ 'neg_inf'] | int,
                'min': as_int(values[p ~ 'min'], 'float'),
                'max': as_int(values[p ~ 'max'], 'float'),
                'mean': as_int(values[p ~ 'mean'], 'float'),
                'stddev': as_int(values[p ~ 'stddev'], 'float'),
                'iqr_outliers': as_int(values.get(p ~ 'iqr_outliers'), 'int'),
                'z_outliers': as_int(values.get(p ~ 'z_outliers'), 'int'),
            }) -%}
        {%- endif -%}
        {%- do counts.update({column.index: entry}) -%}
    {%- endfor -%}
    {{ return(counts) }}
{% endmacro %}
