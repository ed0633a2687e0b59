{#- The one-pass scan of a side: for every profiled column in a single
    aggregate query, no sort: non-null, NaN, +/-Infinity and distinct counts,
    finite min/max/mean/stddev, counts outside the reference IQR and z-score
    fences, and PSI bin counts over the reference edges (via FILTER-style
    conditional counts, which beat a group-by on a bucket expression).
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
            {%- set finite = dqp.dqp_finite_value(x) -%}
            {%- set b = bounds[column.index] -%}
            {%- do expressions.append('count(case when ' ~ dqp.dqp_is_nan(x) ~ ' then 1 end) as ' ~ p ~ 'nan') -%}
            {%- do expressions.append('count(case when ' ~ x ~ ' = ' ~ inf ~ ' then 1 end) as ' ~ p ~ 'pos_inf') -%}
            {%- do expressions.append('count(case when ' ~ x ~ ' = ' ~ neg_inf ~ ' then 1 end) as ' ~ p ~ 'neg_inf') -%}
            {%- do expressions.append('count(distinct case when not ' ~ dqp.dqp_is_nan(x) ~ ' then ' ~ x ~ ' end) as ' ~ p ~ 'distinct') -%}
            {%- for stat, fn in [('min', 'min'), ('max', 'max'), ('mean', 'avg'), ('stddev', 'stddev_samp')] -%}
                {%- do expressions.append(fn ~ '(' ~ finite ~ ') as ' ~ p ~ stat) -%}
            {%- endfor -%}
            {%- for name, lower, upper in [('iqr', b.iqr_lower, b.iqr_upper), ('z', b.z_lower, b.z_upper)] -%}
                {%- if lower is not none -%}
                    {%- do expressions.append('count(case when ' ~ finite ~ ' < ' ~ dqp.dqp_double_literal(lower)
                        ~ ' or ' ~ finite ~ ' > ' ~ dqp.dqp_double_literal(upper) ~ ' then 1 end) as ' ~ p ~ name ~ '_outliers') -%}
                {%- endif -%}
            {%- endfor -%}
            {#- PSI bins are right-closed over non-null, non-NaN values; NULL and NaN share the null bin. -#}
            {%- set not_missing = x ~ ' is not null and not ' ~ dqp.dqp_is_nan(x) -%}
            {%- set edges = b.psi_edges -%}
            {%- for bin_index in range(edges | length + 1) -%}
                {%- set conditions = [not_missing] -%}
                {%- if bin_index > 0 -%}{%- do conditions.append(x ~ ' > ' ~ dqp.dqp_double_literal(edges[bin_index - 1])) -%}{%- endif -%}
                {%- if bin_index < edges | length -%}{%- do conditions.append(x ~ ' <= ' ~ dqp.dqp_double_literal(edges[bin_index])) -%}{%- endif -%}
                {%- do expressions.append('count(case when ' ~ conditions | join(' and ') ~ ' then 1 end) as ' ~ p ~ 'psi_' ~ bin_index) -%}
            {%- endfor -%}
            {%- do expressions.append('count(case when ' ~ x ~ ' is null or ' ~ dqp.dqp_is_nan(x) ~ ' then 1 end) as ' ~ p ~ 'psi_null') -%}
        {%- else -%}
            {%- do expressions.append('count(distinct ' ~ x ~ ') as ' ~ p ~ 'distinct') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set table = run_query('select ' ~ expressions | join(',\n    ') ~ '\nfrom ' ~ source_sql) -%}
    {%- set row = table.rows[0] -%}
    {%- set names = table.column_names | map('lower') | list -%}
    {%- set values = {} -%}
    {%- for name in names -%}{%- do values.update({name: row[loop.index0]}) -%}{%- endfor -%}

    {%- set as_int = dqp._dqp_optional_number -%}
    {%- set counts = {'row_count': values.row_count | int} -%}
    {%- for column in columns -%}
        {%- set p = 'c' ~ column.index ~ '_' -%}
        {%- set entry = {'null_count': counts.row_count - values[p ~ 'non_null'] | int,
                         'distinct_count': values[p ~ 'distinct'] | int,
                         'nan_count': 0, 'pos_inf_count': 0, 'neg_inf_count': 0, 'psi_counts': [], 'psi_null_count': none} -%}
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
                'psi_null_count': values[p ~ 'psi_null'] | int,
            }) -%}
            {%- for bin_index in range(bounds[column.index].psi_edges | length + 1) -%}
                {%- do entry.psi_counts.append(values[p ~ 'psi_' ~ bin_index] | int) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do counts.update({column.index: entry}) -%}
    {%- endfor -%}
    {{ return(counts) }}
{% endmacro %}
