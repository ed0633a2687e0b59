-- A model over the orders_null_spike seed for the dqp generic tests (see generic_tests.yml).
select * from {{ ref('orders_null_spike') }}
