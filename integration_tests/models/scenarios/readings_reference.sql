-- Text seed cast to a float so NaN and +/-Infinity survive loading.
select
    reading_id,
    cast(nullif(reading_text, '') as {{ dqp.dqp_type_double() }}) as reading,
    cast(nullif(infinite_reference_text, '') as {{ dqp.dqp_type_double() }}) as infinite_reference
from {{ ref('readings_reference_raw') }}
