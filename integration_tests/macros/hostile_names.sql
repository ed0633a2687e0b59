{#- Column names that try to break out of their quotes (tests/integration/
    test_hostile_names.py). Each injection tries to drop the table `victim`,
    which the hostile models create (unqualified, so in the engine's default
    schema: main on DuckDB, public on PostgreSQL) before dqp's hook runs: the
    first through a profiled column, the second through a time split's
    time_column. Both stay under PostgreSQL's 63-byte identifier limit. The
    other names are legal but break SQL quoted naively. -#}
{% macro hostile_column_injection() %}
    {{ return('x" as text)); drop table victim; commit; --') }}
{% endmacro %}

{% macro hostile_time_column_injection() %}
    {{ return('t") from (select now() t) x; drop table victim; commit; --') }}
{% endmacro %}

{% macro create_victim() %}
    {{ return('create table if not exists victim as select 1 as survived') }}
{% endmacro %}

{#- (name, expression over an orders seed) for the hostile_names models. -#}
{% macro hostile_columns() %}
    {{ return([
        (hostile_column_injection(), 'channel'),
        ('a"b', 'amount'),
        ("it's", 'channel'),
        ('semi;colon', 'quantity'),
        ('dash--dash', 'amount * 2'),
        ('back\\slash', 'cast(is_gift as ' ~ dbt.type_string() ~ ')'),
        ('prix_€_ü', 'amount + quantity'),
        ('select', 'channel'),
        ('order', 'quantity'),
    ]) }}
{% endmacro %}

{% macro hostile_select(seed) %}
select
{%- for name, expression in hostile_columns() %}
    {{ expression }} as {{ dqp.dqp_quote_identifier(name) }}{{ ',' if not loop.last }}
{%- endfor %}
from {{ ref(seed) }}
{% endmacro %}
