{#- Package-wide policy overrides (var dqp_policy) under the dataset's own
    (meta.dqp.policy), merged one level deep; the checker validates the keys. -#}
{% macro _dqp_merge_policy(package_policy, dataset_policy) %}
    {%- set merged = {} -%}
    {%- for key in (package_policy.keys() | list) + (dataset_policy.keys() | list) -%}
        {%- set package_value = package_policy.get(key) -%}
        {%- set dataset_value = dataset_policy.get(key) -%}
        {%- if package_value is mapping and dataset_value is mapping -%}
            {%- set combined = {} -%}
            {%- do combined.update(package_value) -%}
            {%- do combined.update(dataset_value) -%}
            {%- do merged.update({key: combined}) -%}
        {%- else -%}
            {%- do merged.update({key: dataset_value if key in dataset_policy else package_value}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(merged) }}
{% endmacro %}
