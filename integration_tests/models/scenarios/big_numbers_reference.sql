{{ big_numbers_select(0, 1, 0) }}
