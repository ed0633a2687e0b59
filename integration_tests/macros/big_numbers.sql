{#- Exact-typed values a double cannot tell apart (tests/integration/
    test_exact_types.py): a decimal(38,10) near 9e27 and a bigint above 2^53.
    Reference: 9e27 + k and 2^53 + k; current: 9e27 + k + 300 and
    2^53 + 2k + 1; k = 0..999. -#}
{% macro big_numbers_select(decimal_step_offset, bigint_factor, bigint_offset) %}
select
    k as row_id,
    cast('9' || lpad(cast(k + {{ decimal_step_offset }} as {{ dbt.type_string() }}), 27, '0') as decimal(38, 10)) as huge_decimal,
    cast(9007199254740992 as {{ dbt.type_bigint() }}) + {{ bigint_factor }} * k + {{ bigint_offset }} as huge_bigint
from generate_series(0, 999) as series (k)
{% endmacro %}
