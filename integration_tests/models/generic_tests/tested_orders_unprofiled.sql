-- Declared with enabled: false, so never profiled: the fail_if_missing cases.
select * from {{ ref('orders_nodrift') }}
