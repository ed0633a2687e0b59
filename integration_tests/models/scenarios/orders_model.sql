-- A model over a seed: the ordering test changes the seed, rebuilds, and
-- expects the profile of this model to show the new data.
select * from {{ ref('orders_nodrift') }}
