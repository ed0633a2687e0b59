{#- A test's numeric threshold argument as a double literal; anything that is
    not a number in [0, upper] fails compilation naming the argument. -#}
{% macro _dqp_test_threshold(value, argument, upper=none) %}
    {%- if not execute -%}{{ return(dqp.dqp_double_literal(none)) }}{%- endif -%}
    {%- set label = "dqp test '" ~ model.name ~ "': argument " ~ argument -%}
    {%- if value is none or value is boolean -%}
        {{ exceptions.raise_compiler_error(label ~ " is required and must be a number, got " ~ value) }}
    {%- endif -%}
    {%- set number = value -%}
    {%- if value is string -%}
        {#- a var() rendered in yml arrives as text -#}
        {%- set number = value | float(default=none) -%}
    {%- endif -%}
    {%- if number is none or number is not number or number < 0 or (upper is not none and number > upper) -%}
        {{ exceptions.raise_compiler_error(label ~ " must be a number"
            ~ (" between 0 and " ~ upper if upper is not none else " >= 0") ~ ", got " ~ value) }}
    {%- endif -%}
    {{ return(dqp.dqp_double_literal(number)) }}
{% endmacro %}
