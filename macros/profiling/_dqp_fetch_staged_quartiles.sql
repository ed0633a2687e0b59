{#- The current side's quartiles, read from its KS counts staged for this run
    instead of sorting the side again. Each level's rank among the finite
    values, h = (n - 1) * p as in percentile_cont, is located in the bins
    holding ranks floor(h) and ceil(h):
    - exact counts (ks_exact) give the two values, so the quartile is exact
      (error bound 0);
    - binned counts (ks_binned, right-closed (l, u]) give only that the two
      values lie in (l_low, u_high], clamped to the finite min and max. The
      estimate interpolates by rank within the low bin, and its error bound
      is its distance to the farther end of that interval: the true quartile
      is inside it.
    counts: that side's _dqp_fetch_counts result.
    Returns {column_index: {'quantiles': {level: value}, 'error_bound': e}}. -#}
{% macro _dqp_fetch_staged_quartiles(stage, side, columns, counts) %}
    {%- set levels = [0.25, 0.5, 0.75] -%}
    {%- set by_column = {} -%}
    {%- set targets = [] -%}
    {%- for column in columns -%}
        {%- set column_counts = counts[column.column_index] -%}
        {%- set finite_count = counts.row_count - column_counts.null_count - column_counts.nan_count
            - column_counts.pos_inf_count - column_counts.neg_inf_count -%}
        {%- do by_column.update({column.column_index: {'quantiles': {}, 'error_bound': none}}) -%}
        {%- if finite_count > 0 -%}
            {%- for level in levels -%}
                {%- set position = (finite_count - 1) * level -%}
                {%- set low_rank = position | round(0, 'floor') | int -%}
                {%- set fraction = position - low_rank -%}
                {#- infinities are counted in the bins too, -inf first -#}
                {%- do targets.append([column.column_position, loop.index, column_counts.neg_inf_count + low_rank,
                    column_counts.neg_inf_count + low_rank + (1 if fraction > 0 else 0), fraction]) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if targets | length == 0 -%}{{ return(by_column) }}{%- endif -%}
    {%- set positions = {} -%}
    {%- for column in columns -%}{%- do positions.update({column.column_position: column}) -%}{%- endfor -%}
    {%- set sql -%}
        with bins as (
            select
                column_position,
                histogram_kind,
                coalesce(bin_value, lower_edge) as low_value,
                coalesce(bin_value, upper_edge) as high_value,
                value_count,
                sum(value_count) over (partition by column_position order by bin_index
                    rows between unbounded preceding and current row) - value_count as rank_before
            from {{ stage }}
            where side = '{{ side }}' and histogram_kind in ('ks_binned', 'ks_exact')
        ),
        targets (column_position, level_index, low_rank, high_rank, fraction) as (
            values
            {%- for target in targets %}
                ({{ target | join(', ') }}){{ ',' if not loop.last }}
            {%- endfor %}
        )
        select
            targets.column_position, targets.level_index, targets.fraction, low_bins.histogram_kind,
            low_bins.low_value, low_bins.high_value, targets.low_rank - low_bins.rank_before, low_bins.value_count,
            high_bins.low_value, high_bins.high_value
        from targets
        inner join bins as low_bins
            on low_bins.column_position = targets.column_position
            and targets.low_rank >= low_bins.rank_before and targets.low_rank < low_bins.rank_before + low_bins.value_count
        inner join bins as high_bins
            on high_bins.column_position = targets.column_position
            and targets.high_rank >= high_bins.rank_before and targets.high_rank < high_bins.rank_before + high_bins.value_count
    {%- endset -%}
    {%- for row in run_query(sql).rows -%}
        {%- set column = positions[row[0] | int] -%}
        {%- set column_counts = counts[column.column_index] -%}
        {%- set entry = by_column[column.column_index] -%}
        {%- set fraction = row[2] | float -%}
        {%- if row[3] == 'ks_exact' -%}
            {%- set low_value, high_value = row[4] | float, row[8] | float -%}
            {%- set estimate = low_value + fraction * (high_value - low_value) if fraction > 0 else low_value -%}
            {%- set error = 0.0 -%}
        {%- else -%}
            {%- set finite_min, finite_max = column_counts['min'], column_counts['max'] -%}
            {%- set bin_low = finite_min if row[4] is none else [row[4] | float, finite_min] | max -%}
            {%- set bin_high = finite_max if row[5] is none else [row[5] | float, finite_max] | min -%}
            {%- set interval_high = finite_max if row[9] is none else [row[9] | float, finite_max] | min -%}
            {%- set share = ((row[6] | float) + 0.5 + fraction) / (row[7] | float) -%}
            {%- set estimate = [[bin_low + share * (bin_high - bin_low), bin_low] | max, interval_high] | min -%}
            {%- set error = [estimate - bin_low, interval_high - estimate] | max -%}
        {%- endif -%}
        {%- do entry.quantiles.update({levels[(row[1] | int) - 1]: estimate}) -%}
        {%- do entry.update({'error_bound': [entry.error_bound or 0.0, error] | max}) -%}
    {%- endfor -%}
    {{ return(by_column) }}
{% endmacro %}
