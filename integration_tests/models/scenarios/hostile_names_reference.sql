{{ hostile_select('orders_reference') }}
