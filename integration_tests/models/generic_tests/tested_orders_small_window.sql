-- The first 13 orders of orders_nodrift: a clean window too small for PSI's
-- rows-per-bin rule (issue 9: the checker said insufficient_data while
-- dqp_psi_below recomputed PSI from 13 rows and failed).
select * from {{ ref('orders_nodrift') }} where order_id <= 13
