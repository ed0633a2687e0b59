-- A model over the orders_category_shift seed for the dqp generic tests (see generic_tests.yml).
select * from {{ ref('orders_category_shift') }}
