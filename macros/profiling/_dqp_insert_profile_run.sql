{#- The dqp_profile_runs row, written last: it marks the run complete. Its
    policy column records the dataset's own meta.dqp.policy as declared: the
    policy is merged once, by `dqp check` at check time (dqp_check_runs.policy). -#}
{% macro _dqp_insert_profile_run(dataset, relation, windows, profiled_at, samples=none) %}
    {%- set text = dqp.dqp_string_literal -%}
    {%- set reference = dataset.reference -%}
    {#- each side's distribution sample (_dqp_distribution_source); nulls when read whole -#}
    {%- set sampled = {} -%}
    {%- for side in ['reference', 'current'] -%}
        {%- set sample = (samples or {}).get(side) or {} -%}
        {%- do sampled.update({side ~ '_sampled_rows': sample.counts.row_count if sample.get('counts') else 'null',
            side ~ '_sample_fraction': dqp.dqp_double_literal(sample.get('fraction')),
            side ~ '_sample_method': text(sample.get('method'))}) -%}
    {%- endfor -%}
    {%- set row = {
        'dataset_name': text(dataset.dataset_name),
        'run_id': text(invocation_id),
        'profiled_at': profiled_at,
        'node_unique_id': text(dataset.node.unique_id),
        'current_relation': text(dqp.dqp_quote_relation(dataset.current_relation)),
        'reference_kind': text(reference.kind),
        'reference_relation': text(dqp.dqp_quote_relation(reference.relation)),
        'time_column': text(reference.time_column),
        'current_window_start': text(windows.current.start),
        'current_window_end': text(windows.current.end),
        'reference_window_start': text(windows.reference.start),
        'reference_window_end': text(windows.reference.end),
        'current_window_days': dqp.dqp_double_literal(reference.current_window_days),
        'reference_window_days': dqp.dqp_double_literal(reference.reference_window_days),
        'critical_columns': text(tojson(dataset.critical_columns)),
        'settings': text(tojson(dataset.settings, sort_keys=true)),
        'policy': text(tojson(dataset.policy, sort_keys=true)),
        'profiled_column_count': dataset.columns | length,
        'dqp_version': text(dqp.dqp_version()),
    } -%}
    {%- do row.update(sampled) -%}
    {%- do dqp._dqp_insert_rows(relation, 'dqp_profile_runs', [row]) -%}
{% endmacro %}
