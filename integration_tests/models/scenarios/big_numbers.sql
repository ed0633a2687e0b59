-- Decimals and bigints beyond double precision; see macros/big_numbers.sql.
{{ big_numbers_select(300, 2, 1) }}
