-- A model over the orders_nodrift seed for the dqp generic tests (see generic_tests.yml).
select * from {{ ref('orders_nodrift') }}
