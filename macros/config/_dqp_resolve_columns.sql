{#- Fill dataset.columns (what gets profiled) and both sides' observed schema
    from the warehouse. Profiled: the declared columns (default all) present
    on both sides with the same kind of type; added, removed and retyped
    columns are left to the schema snapshots, where the checker sees them. -#}
{% macro _dqp_resolve_columns(dataset, declaration) %}
    {%- set node = dataset.node -%}
    {%- set sides = [('current', dataset.current_relation, node)] -%}
    {%- if dataset.reference.kind == 'relation' -%}
        {%- do sides.append(('reference', dataset.reference.relation, dataset.reference.node)) -%}
    {%- endif -%}
    {%- set columns_by_side = {} -%}
    {%- for side, relation, side_node in sides -%}
        {%- set existing = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- if existing is none -%}
            {{ dqp._dqp_config_error(node, 'reference' if side == 'reference' else '', 'the ' ~ side ~ ' relation ' ~ relation ~ ' (' ~ side_node.unique_id ~ ') does not exist in the warehouse; build it first') }}
        {%- endif -%}
        {%- set side_columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(existing) -%}
            {%- do side_columns.append({'name': column.name, 'column_position': loop.index,
                'data_type': column.data_type, 'type_kind': dqp._dqp_column_type_kind(column),
                'is_integer': dqp._dqp_column_is_integer(column)}) -%}
        {%- endfor -%}
        {%- do columns_by_side.update({side: side_columns}) -%}
    {%- endfor -%}
    {%- if 'reference' not in columns_by_side -%}
        {%- do columns_by_side.update({'reference': columns_by_side.current}) -%}
    {%- endif -%}
    {%- set current_names = columns_by_side.current | map(attribute='name') | list -%}
    {%- set reference_by_name = {} -%}
    {%- for column in columns_by_side.reference -%}{%- do reference_by_name.update({column.name: column}) -%}{%- endfor -%}

    {%- for key in ['columns', 'exclude_columns', 'critical_columns'] -%}
        {%- for name in declaration.get(key) or [] -%}
            {%- if name not in current_names -%}
                {{ dqp._dqp_config_error(node, key, "column '" ~ name ~ "' does not exist in " ~ dataset.current_relation ~ '; its columns are: ' ~ current_names | join(', ')) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for name in (declaration.get('column_kinds') or {}) -%}
        {%- if name not in current_names -%}
            {{ dqp._dqp_config_error(node, 'column_kinds.' ~ name, "column '" ~ name ~ "' does not exist in " ~ dataset.current_relation ~ '; its columns are: ' ~ current_names | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set time_column = dataset.reference.time_column -%}
    {%- if time_column is not none and time_column not in current_names -%}
        {{ dqp._dqp_config_error(node, 'reference.time_column', "column '" ~ time_column ~ "' does not exist in " ~ dataset.current_relation ~ '; its columns are: ' ~ current_names | join(', ')) }}
    {%- endif -%}
    {%- if time_column is not none -%}
        {%- set time_type = (columns_by_side.current | selectattr('name', 'equalto', time_column) | first).data_type -%}
        {%- if not ((time_type or '') | lower).startswith(('date', 'timestamp')) -%}
            {{ dqp._dqp_config_error(node, 'reference.time_column', "column '" ~ time_column ~ "' has type " ~ time_type ~ ' in ' ~ dataset.current_relation ~ '; expected a date or timestamp column (cast it in the model)') }}
        {%- endif -%}
    {%- endif -%}

    {%- set selected = declaration.get('columns') or current_names -%}
    {%- set excluded = (declaration.get('exclude_columns') or []) + ([time_column] if time_column else []) -%}
    {%- set column_kinds = declaration.get('column_kinds') or {} -%}
    {%- for column in columns_by_side.current -%}
        {%- set reference_column = reference_by_name.get(column.name) -%}
        {%- if column.name in selected and column.name not in excluded
            and reference_column is not none and reference_column.type_kind == column.type_kind -%}
            {%- set declared_kind = column_kinds.get(column.name) -%}
            {%- if declared_kind == 'numeric' and column.type_kind != 'numeric' -%}
                {{ dqp._dqp_config_error(node, 'column_kinds.' ~ column.name, "cannot be 'numeric': the column's type is " ~ column.data_type) }}
            {%- endif -%}
            {%- if declared_kind == 'temporal' and column.type_kind != 'temporal' -%}
                {{ dqp._dqp_config_error(node, 'column_kinds.' ~ column.name, "cannot be 'temporal': the column's type is " ~ column.data_type ~ ' (expected a date or timestamp)') }}
            {%- endif -%}
            {#- A temporal column is profiled as a number (epoch seconds) unless
                declared categorical (its text) or other (counts only). -#}
            {%- set temporal = column.type_kind == 'temporal' and declared_kind in [none, 'temporal'] -%}
            {%- set read_as = 'numeric' if temporal
                else (declared_kind if column.type_kind == 'temporal' else column.type_kind) -%}
            {%- set column_index = dataset.columns | length + 1 -%}
            {%- do dataset.columns.append({
                'name': column.name,
                'column_index': column_index,
                'column_position': column.column_position,
                'alias': 'dqp_c' ~ column_index,
                'data_type': column.data_type,
                'reference_data_type': reference_column.data_type,
                'read_as': read_as,
                'temporal': temporal,
                'finite_only': column.is_integer and reference_column.is_integer,
                'declared_kind': declared_kind,
                'is_critical': column.name in dataset.critical_columns,
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if dataset.columns | length > dataset.settings.max_columns -%}
        {{ dqp._dqp_config_error(node, 'columns', 'over budget: ' ~ dataset.columns | length ~ ' columns to profile exceeds max_columns = ' ~ dataset.settings.max_columns ~ '; list the columns to watch or raise the budget') }}
    {%- endif -%}
    {%- do dataset.update({'current_schema': columns_by_side.current, 'reference_schema': columns_by_side.reference}) -%}
{% endmacro %}
