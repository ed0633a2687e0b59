-- The current side of a load that delivered nothing.
select * from {{ ref('orders_nodrift') }} where 1 = 0
