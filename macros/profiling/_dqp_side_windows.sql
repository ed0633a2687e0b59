{#- Row filters and bounds for both sides. A relation reference reads whole
    relations. A time split of one relation puts current in
    (anchor - current_window_days, anchor] and reference in the
    reference_window_days before that: (current_start - reference_days,
    current_start].

    The anchor is what meta.dqp.reference.anchor says:
    - 'max' (the default): the latest value of the time column, so the windows
      follow the data's own clock and no time zone is involved for a
      timestamp without time zone (a date column's max is taken at midnight);
    - 'run_started_at': when the dbt invocation started, an instant in UTC.

    Bounds are compared in the time column's own type:
    - a timestamp without time zone (or a date) is taken to hold UTC wall
      time, so run_started_at is expressed as naive UTC, and the bounds are
      naive timestamp literals;
    - a timestamp with time zone is compared as instants: the bounds are
      timestamptz literals in UTC (+00:00), whatever the session time zone,
      and a 'max' anchor fetched in the session's zone is converted to UTC.
    The start/end recorded in dqp_profile_runs are these bounds in ISO 8601
    (with +00:00 exactly when the column has a time zone). -#}
{% macro _dqp_side_windows(dataset) %}
    {%- set reference = dataset.reference -%}
    {%- if reference.kind != 'time_window' -%}
        {{ return({'current': {'filter': none, 'start': none, 'end': none},
                   'reference': {'filter': none, 'start': none, 'end': none}}) }}
    {%- endif -%}
    {%- set time_column = dqp.dqp_quote_identifier(reference.time_column) -%}
    {%- set utc = modules.pytz.utc -%}
    {%- set data_types = dataset.current_schema | selectattr('name', 'equalto', reference.time_column)
        | map(attribute='data_type') | list -%}
    {%- set data_type = ((data_types[0] if data_types else none) or '') | lower -%}
    {%- set zoned = 'with time zone' in data_type and 'without time zone' not in data_type
        or data_type.startswith('timestamptz') -%}

    {%- if reference.anchor == 'run_started_at' -%}
        {%- set anchor = run_started_at.astimezone(utc) -%}
    {%- else -%}
        {%- set anchor = run_query('select max(' ~ time_column ~ ') as anchor from ' ~ dqp.dqp_quote_relation(dataset.current_relation)).columns[0].values()[0] -%}
        {%- if anchor is not none and anchor.hour is not defined -%}
            {#- a date: windows are whole timestamps from its midnight -#}
            {%- set anchor = modules.datetime.datetime.combine(anchor, modules.datetime.time()) -%}
        {%- endif -%}
        {%- if anchor is not none and anchor.tzinfo is not none -%}
            {#- only a column with a time zone returns an aware value -#}
            {%- set zoned = true -%}
        {%- endif -%}
    {%- endif -%}
    {%- if anchor is none -%}
        {#- an empty relation: both sides are empty, which the checker reports as insufficient data -#}
        {{ return({'current': {'filter': '1 = 0', 'start': none, 'end': none},
                   'reference': {'filter': '1 = 0', 'start': none, 'end': none}}) }}
    {%- endif -%}

    {%- if zoned -%}
        {%- set anchor = anchor.astimezone(utc) if anchor.tzinfo is not none else utc.localize(anchor) -%}
        {%- set literal_type = 'timestamp with time zone' -%}
    {%- else -%}
        {%- set anchor = anchor.astimezone(utc).replace(tzinfo=none) if anchor.tzinfo is not none else anchor -%}
        {%- set literal_type = dbt.type_timestamp() -%}
    {%- endif -%}
    {%- set current_start = anchor - modules.datetime.timedelta(days=reference.current_window_days) -%}
    {%- set reference_start = current_start - modules.datetime.timedelta(days=reference.reference_window_days) -%}
    {%- set windows = {} -%}
    {%- for side, lower, upper in [('current', current_start, anchor), ('reference', reference_start, current_start)] -%}
        {%- set filter -%}
            {{ time_column }} > cast('{{ lower.isoformat() }}' as {{ literal_type }})
            and {{ time_column }} <= cast('{{ upper.isoformat() }}' as {{ literal_type }})
        {%- endset -%}
        {%- do windows.update({side: {'filter': filter, 'start': lower.isoformat(), 'end': upper.isoformat()}}) -%}
    {%- endfor -%}
    {{ return(windows) }}
{% endmacro %}
