{#- A relation (database.schema.identifier) rendered for SQL with each part
    quoted by dqp_quote_identifier. dbt's own rendering wraps a part in quotes
    without doubling an embedded quote, so a name holding one would break the
    SQL (or write its own). Parts the relation leaves out (its include policy)
    are left out here too; a part dbt would leave unquoted (its quote policy)
    is left bare only when it is a plain identifier. -#}
{% macro dqp_quote_relation(relation) %}
    {%- set parts = [] -%}
    {%- for part_name in ['database', 'schema', 'identifier'] -%}
        {%- set part = relation[part_name] -%}
        {%- if part is not none and part | string | length > 0 and relation.include_policy[part_name] -%}
            {%- if not relation.quote_policy[part_name] and modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', part | string) -%}
                {%- do parts.append(part | string) -%}
            {%- else -%}
                {%- do parts.append(dqp.dqp_quote_identifier(part)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts | join('.')) }}
{% endmacro %}
