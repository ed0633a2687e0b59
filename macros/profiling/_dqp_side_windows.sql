{#- Row filters and bounds for both sides. A relation reference reads whole
    relations. A time split anchors at max(time_column) (or run_started_at):
    current is (anchor - current_days, anchor], reference the
    reference_days before that. -#}
{% macro _dqp_side_windows(dataset) %}
    {%- set reference = dataset.reference -%}
    {%- if reference.kind != 'time_window' -%}
        {{ return({'current': {'filter': none, 'start': none, 'end': none},
                   'reference': {'filter': none, 'start': none, 'end': none}}) }}
    {%- endif -%}
    {%- set time_column = adapter.quote(reference.time_column) -%}
    {%- if reference.anchor == 'run_started_at' -%}
        {%- set anchor = run_started_at.replace(tzinfo=none) -%}
    {%- else -%}
        {%- set anchor = run_query('select max(' ~ time_column ~ ') as anchor from ' ~ dataset.current_relation).columns[0].values()[0] -%}
    {%- endif -%}
    {%- if anchor is none -%}
        {#- an empty relation: both sides are empty, which the checker reports as insufficient data -#}
        {{ return({'current': {'filter': '1 = 0', 'start': none, 'end': none},
                   'reference': {'filter': '1 = 0', 'start': none, 'end': none}}) }}
    {%- endif -%}
    {%- set current_start = anchor - modules.datetime.timedelta(days=reference.current_window_days) -%}
    {%- set reference_start = current_start - modules.datetime.timedelta(days=reference.reference_window_days) -%}
    {%- set windows = {} -%}
    {%- for side, lower, upper in [('current', current_start, anchor), ('reference', reference_start, current_start)] -%}
        {%- set filter -%}
            {{ time_column }} > cast('{{ lower.isoformat() }}' as {{ dbt.type_timestamp() }})
            and {{ time_column }} <= cast('{{ upper.isoformat() }}' as {{ dbt.type_timestamp() }})
        {%- endset -%}
        {%- do windows.update({side: {'filter': filter, 'start': lower.isoformat(), 'end': upper.isoformat()}}) -%}
    {%- endfor -%}
    {{ return(windows) }}
{% endmacro %}
