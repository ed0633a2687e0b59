{#- The columns whose stored window rows cannot be added up: a window is
    missing the column, or the windows disagree on the column's kind, KS
    method, value offset, outlier fences or the edges of a bin number. A
    window may lack a bin (KS-binned rows are stored only where the count is
    not zero): a missing bin adds nothing.
    Counts add up only at shared edges and fences, which a pinned baseline
    supplies (a static reference relation does too). Returns the sorted
    column names; empty when the windows can be assembled. -#}
{% macro _dqp_window_mismatches(storage, run_filter, window_count) %}
    {%- set mismatches_sql -%}
        select column_name from {{ storage.dqp_column_profiles }}
        where {{ run_filter }}
        group by column_name
        having count(*) <> {{ window_count }}
            or count(distinct column_kind) > 1 or count(distinct ks_method) > 1
            or count(distinct coalesce(value_offset, '')) > 1
            or min(iqr_lower_bound) <> max(iqr_lower_bound) or min(iqr_upper_bound) <> max(iqr_upper_bound)
            or min(zscore_lower_bound) <> max(zscore_lower_bound) or min(zscore_upper_bound) <> max(zscore_upper_bound)
            or count(iqr_lower_bound) not in (0, {{ window_count }})
            or count(zscore_lower_bound) not in (0, {{ window_count }})
        union
        select column_name from {{ storage.dqp_histograms }}
        where {{ run_filter }} and histogram_kind <> 'ks_exact'
        group by column_name, histogram_kind, bin_index
        having count(*) > {{ window_count }}
            or min(lower_edge) <> max(lower_edge) or min(upper_edge) <> max(upper_edge)
            or count(lower_edge) not in (0, count(*)) or count(upper_edge) not in (0, count(*))
            or count(distinct is_null_bin) > 1
        order by column_name
    {%- endset -%}
    {{ return(run_query(mismatches_sql).columns[0].values() | list) }}
{% endmacro %}
