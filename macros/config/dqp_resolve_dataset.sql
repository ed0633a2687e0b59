{#- Validate one `meta: dqp:` declaration and resolve it against the package
    vars (declaration -> var -> default, one place) and, when
    inspect_warehouse, against the columns the warehouse reports.
    Every problem fails compilation with a message naming the node and key.

    The resolved dataset, the one shape every profiling macro reads:
      dataset_name      the dataset's identity (trimmed)
      enabled           meta.dqp.enabled
      node              the declaring graph node
      current_relation  the relation profiled as the current side
      reference         {kind: 'relation' | 'time_window', node, relation,
                         time_column, current_window_days,
                         reference_window_days, anchor}
      settings          every setting, declaration over var dqp_<key>
      policy            meta.dqp.policy as declared ({} when none)
      critical_columns  column names
      current_schema, reference_schema
                        each side's columns as the warehouse reports them:
                        {name, column_position (1-based, in the relation),
                         data_type, type_kind (_dqp_column_type_kind),
                         is_integer}
      columns           the profiled columns (_dqp_resolve_columns):
        name, data_type, reference_data_type
        column_index     1-based among the profiled columns: the key of every
                         per-column result and the SQL column_index
        column_position  the column's position in the current relation (stored)
        alias            dqp_c<column_index>, its name inside dqp's queries
        declared_kind    meta.dqp.column_kinds[name], or none
        read_as          how its values are read: 'numeric' (temporal
                         columns too, as epoch seconds), 'categorical' or 'other'
        temporal         a date or timestamp profiled as epoch seconds
        finite_only      integer on both sides (no NaN or infinity)
        is_critical
        set while profiling: value_offset, exact_type
                         (_dqp_fetch_value_offsets), then column_kind
                         ('numeric', 'categorical', 'temporal' or 'other',
                         stored as dqp_column_profiles.column_kind) and
                         ks_method (_dqp_choose_column_methods). -#}
{% macro dqp_resolve_dataset(node, declaration, inspect_warehouse=true) %}
    {%- set top_level_keys = ['dataset_name', 'enabled', 'reference', 'columns', 'exclude_columns',
        'column_kinds', 'critical_columns', 'settings', 'policy'] -%}
    {%- set integer_settings = ['psi_bins', 'ks_exact_max_distinct', 'ks_quantile_edges', 'top_k_categories',
        'categorical_max_distinct', 'max_columns', 'max_bins', 'max_categories', 'statement_timeout_seconds'] -%}
    {%- set float_settings = ['iqr_multiplier', 'zscore_threshold'] -%}
    {#- Absolute ceilings, checked before any list of bins or levels is built:
        the Jinja sandbox refuses ranges over 100,000, and PostgreSQL's
        statement_timeout stops at 2,147,483 seconds. -#}
    {%- set setting_ceilings = {'max_bins': 10000, 'max_categories': 10000, 'max_columns': 5000,
        'ks_exact_max_distinct': 1000000, 'statement_timeout_seconds': 2147483} -%}
    {%- set max_window_days = 36525 -%}

    {%- if declaration is not mapping -%}
        {{ dqp._dqp_config_error(node, '', 'expected a mapping of dqp keys, got ' ~ declaration) }}
    {%- endif -%}
    {%- for key in declaration -%}
        {%- if key not in top_level_keys -%}
            {{ dqp._dqp_config_error(node, key, "unknown key; expected one of " ~ top_level_keys | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}

    {%- set dataset_name = dqp._dqp_declared_dataset_name(node, declaration) -%}
    {%- if dataset_name is not string or dataset_name | trim | length == 0 -%}
        {{ dqp._dqp_config_error(node, 'dataset_name', 'expected a non-empty string, got ' ~ dataset_name) }}
    {%- endif -%}
    {%- set enabled = declaration.get('enabled', true) -%}
    {%- if enabled is not boolean -%}
        {{ dqp._dqp_config_error(node, 'enabled', 'expected true or false, got ' ~ enabled) }}
    {%- endif -%}

    {#- settings: declaration wins over the package var -#}
    {%- set declared_settings = declaration.get('settings', {}) -%}
    {%- if declared_settings is not mapping -%}
        {{ dqp._dqp_config_error(node, 'settings', 'expected a mapping, got ' ~ declared_settings) }}
    {%- endif -%}
    {%- set settings = {} -%}
    {%- for key in declared_settings -%}
        {%- if key not in integer_settings + float_settings + ['row_budget'] -%}
            {{ dqp._dqp_config_error(node, 'settings.' ~ key, 'unknown setting; expected one of ' ~ (integer_settings + float_settings + ['row_budget']) | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- for key in integer_settings + float_settings -%}
        {%- set value = declared_settings.get(key, var('dqp_' ~ key)) -%}
        {%- set source = ('meta.dqp.settings.' ~ key) if key in declared_settings else ('var dqp_' ~ key) -%}
        {%- if value is boolean or value is not number or value <= 0
            or (key in integer_settings and value != (value | int)) -%}
            {{ dqp._dqp_config_error(node, 'settings.' ~ key, 'expected a positive ' ~ ('integer' if key in integer_settings else 'number') ~ ' (from ' ~ source ~ '), got ' ~ value) }}
        {%- endif -%}
        {%- if key in setting_ceilings and value > setting_ceilings[key] -%}
            {{ dqp._dqp_config_error(node, 'settings.' ~ key, 'expected at most ' ~ setting_ceilings[key] ~ ' (the absolute ceiling; from ' ~ source ~ '), got ' ~ value) }}
        {%- endif -%}
        {%- do settings.update({key: (value | int) if key in integer_settings else (value | float)}) -%}
    {%- endfor -%}
    {#- row_budget: none or 0 means always exact; otherwise a positive row count -#}
    {%- set row_budget = declared_settings.get('row_budget', var('dqp_row_budget', none)) -%}
    {%- set source = 'meta.dqp.settings.row_budget' if 'row_budget' in declared_settings else 'var dqp_row_budget' -%}
    {%- if row_budget is not none and (row_budget is boolean or row_budget is not number
        or row_budget < 0 or row_budget != (row_budget | int)) -%}
        {{ dqp._dqp_config_error(node, 'settings.row_budget', 'expected none, 0 (always exact) or a positive integer row count (from ' ~ source ~ '), got ' ~ row_budget) }}
    {%- endif -%}
    {%- do settings.update({'row_budget': (row_budget | int) if row_budget else none}) -%}
    {%- if settings.psi_bins < 2 or settings.ks_quantile_edges < 2 -%}
        {{ dqp._dqp_config_error(node, 'settings', 'psi_bins and ks_quantile_edges must be at least 2') }}
    {%- endif -%}
    {%- for key in ['psi_bins', 'ks_quantile_edges'] -%}
        {%- if settings[key] > settings.max_bins -%}
            {{ dqp._dqp_config_error(node, 'settings.' ~ key, 'over budget: ' ~ settings[key] ~ ' bins exceeds max_bins = ' ~ settings.max_bins) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if settings.top_k_categories > settings.max_categories -%}
        {{ dqp._dqp_config_error(node, 'settings.top_k_categories', 'over budget: ' ~ settings.top_k_categories ~ ' exceeds max_categories = ' ~ settings.max_categories) }}
    {%- endif -%}

    {#- reference: another relation, or a time split of this one -#}
    {%- set reference = declaration.get('reference') -%}
    {%- if reference is not mapping -%}
        {{ dqp._dqp_config_error(node, 'reference', "expected a mapping with either 'relation' or 'time_column', got " ~ reference) }}
    {%- endif -%}
    {%- for key in reference -%}
        {%- if key not in ['relation', 'time_column', 'current_window_days', 'reference_window_days', 'anchor'] -%}
            {{ dqp._dqp_config_error(node, 'reference.' ~ key, 'unknown key; expected relation, or time_column with current_window_days, reference_window_days and anchor') }}
        {%- endif -%}
    {%- endfor -%}
    {%- if ('relation' in reference) == ('time_column' in reference) -%}
        {{ dqp._dqp_config_error(node, 'reference', "expected exactly one of 'relation' (another model, seed, snapshot or source) or 'time_column' (a time split of this relation)") }}
    {%- endif -%}
    {%- set current_relation = dqp._dqp_node_relation(node) -%}
    {%- set resolved_reference = {'time_column': none, 'current_window_days': none, 'reference_window_days': none, 'anchor': none} -%}
    {%- if 'relation' in reference -%}
        {%- set reference_node = dqp._dqp_find_reference_node(node, reference.relation) -%}
        {%- do resolved_reference.update({'kind': 'relation', 'node': reference_node, 'relation': dqp._dqp_node_relation(reference_node)}) -%}
    {%- else -%}
        {%- if reference.time_column is not string -%}
            {{ dqp._dqp_config_error(node, 'reference.time_column', 'expected a column name, got ' ~ reference.time_column) }}
        {%- endif -%}
        {%- for key, default in [('current_window_days', 1), ('reference_window_days', 28)] -%}
            {%- set days = reference.get(key, default) -%}
            {%- if days is boolean or days is not number or days <= 0 or days > max_window_days -%}
                {{ dqp._dqp_config_error(node, 'reference.' ~ key, 'expected a positive number of days, at most ' ~ max_window_days ~ ' (100 years), got ' ~ days) }}
            {%- endif -%}
            {%- do resolved_reference.update({key: days | float}) -%}
        {%- endfor -%}
        {%- set anchor = reference.get('anchor', 'max') -%}
        {%- if anchor not in ['max', 'run_started_at'] -%}
            {{ dqp._dqp_config_error(node, 'reference.anchor', "expected 'max' (latest value of the time column) or 'run_started_at', got " ~ anchor) }}
        {%- endif -%}
        {%- do resolved_reference.update({'kind': 'time_window', 'node': node, 'relation': current_relation,
            'time_column': reference.time_column, 'anchor': anchor}) -%}
    {%- endif -%}

    {#- column lists -#}
    {%- for key in ['columns', 'exclude_columns', 'critical_columns'] -%}
        {%- set names = declaration.get(key) -%}
        {%- if names is not none and (names is string or names is mapping or names is not iterable
            or (names | reject('string') | list | length) > 0) -%}
            {{ dqp._dqp_config_error(node, key, 'expected a list of column names, got ' ~ names) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if declaration.get('columns') is not none and declaration.get('columns') | length == 0 -%}
        {{ dqp._dqp_config_error(node, 'columns', 'expected a non-empty list of column names, got []; omit the key to watch every column') }}
    {%- endif -%}
    {%- set column_kinds = declaration.get('column_kinds', {}) -%}
    {%- if column_kinds is not mapping -%}
        {{ dqp._dqp_config_error(node, 'column_kinds', 'expected a mapping of column name to numeric, categorical, temporal or other, got ' ~ column_kinds) }}
    {%- endif -%}
    {%- for name, kind in column_kinds.items() -%}
        {%- if kind not in ['numeric', 'categorical', 'temporal', 'other'] -%}
            {{ dqp._dqp_config_error(node, 'column_kinds.' ~ name, "expected 'numeric', 'categorical', 'temporal' or 'other', got " ~ kind) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set policy = declaration.get('policy', {}) -%}
    {%- if policy is not mapping -%}
        {{ dqp._dqp_config_error(node, 'policy', 'expected a mapping of checker policy overrides (docs/policy.md), got ' ~ policy) }}
    {%- endif -%}
    {%- set policy_problem = dqp._dqp_policy_problem(policy) -%}
    {%- if policy_problem is not none -%}
        {{ dqp._dqp_config_error(node, 'policy.' ~ policy_problem[0], policy_problem[1]) }}
    {%- endif -%}
    {%- set package_policy = var('dqp_policy', {}) -%}
    {%- if package_policy is not mapping -%}
        {{ exceptions.raise_compiler_error("dqp: var dqp_policy: expected a mapping of checker policy overrides, got " ~ package_policy) }}
    {%- endif -%}
    {%- set package_problem = dqp._dqp_policy_problem(package_policy) -%}
    {%- if package_problem is not none -%}
        {{ exceptions.raise_compiler_error("dqp: var dqp_policy: " ~ package_problem[0] ~ ": " ~ package_problem[1]) }}
    {%- endif -%}

    {%- set dataset = {
        'dataset_name': dataset_name | trim,
        'enabled': enabled,
        'node': node,
        'current_relation': current_relation,
        'reference': resolved_reference,
        'settings': settings,
        'policy': policy,
        'critical_columns': declaration.get('critical_columns') or [],
        'columns': [],
        'current_schema': [],
        'reference_schema': [],
    } -%}
    {%- if inspect_warehouse -%}
        {%- do dqp._dqp_resolve_columns(dataset, declaration) -%}
    {%- endif -%}
    {{ return(dataset) }}
{% endmacro %}
