-- Columns named to break naive identifier quoting, one of them an injection
-- that would drop `victim`; compared with hostile_names_reference.
{{ config(pre_hook=create_victim()) }}
{{ hostile_select('orders_nodrift') }}
