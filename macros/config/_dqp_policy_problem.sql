{#- The first problem in a policy override mapping, checked against the schema
    generated from the checker's Policy dataclass (_dqp_policy_schema): an
    unknown key, a section that is not a mapping, or a value of the wrong kind.
    Returns none, or [dotted key, what was expected and what was given].
    Range and ordering rules (medium <= high...) stay with the checker. -#}
{% macro _dqp_policy_problem(overrides, prefix='') %}
    {%- set schema = dqp._dqp_policy_schema() -%}
    {%- if overrides is not mapping -%}
        {{ return([prefix[:-1], 'expected a mapping of policy keys, got ' ~ overrides]) }}
    {%- endif -%}
    {%- set allowed = [] -%}
    {%- for path in schema -%}
        {%- if path.startswith(prefix) -%}
            {%- set head = path[prefix | length:].split('.')[0] -%}
            {%- if head not in allowed -%}{%- do allowed.append(head) -%}{%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for key, value in overrides.items() -%}
        {%- set path = prefix ~ key -%}
        {%- if key not in allowed -%}
            {{ return([path, 'unknown policy key; expected one of ' ~ allowed | join(', ') ~ ' (docs/policy.md)']) }}
        {%- elif path not in schema -%}
            {%- set problem = dqp._dqp_policy_problem(value, path ~ '.') -%}
            {%- if problem is not none -%}{{ return(problem) }}{%- endif -%}
        {%- else -%}
            {%- set kind = schema[path] -%}
            {%- set shown = ("'" ~ value ~ "'") if value is string else value -%}
            {%- if kind == 'number' and (value is boolean or value is not number or value != value
                    or (value | string) in ['inf', '-inf']) -%}
                {{ return([path, 'expected a finite number, got ' ~ shown]) }}
            {%- elif kind == 'integer' and (value is boolean or value is not integer) -%}
                {{ return([path, 'expected an integer, got ' ~ shown]) }}
            {%- elif kind == 'boolean' and value is not boolean -%}
                {{ return([path, 'expected true or false, got ' ~ shown]) }}
            {%- elif kind is not string and (value is not string or value not in kind) -%}
                {{ return([path, 'expected one of ' ~ kind | join(', ') ~ ', got ' ~ shown]) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}
