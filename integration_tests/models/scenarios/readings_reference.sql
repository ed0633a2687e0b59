-- Text seed cast to a float so NaN and +/-Infinity survive loading.
select reading_id, cast(nullif(reading_text, '') as {{ dqp.dqp_type_double() }}) as reading
from {{ ref('readings_reference_raw') }}
