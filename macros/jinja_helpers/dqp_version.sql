{#- The dqp package version, recorded on every profile run. Keep in step with
    dbt_project.yml and pyproject.toml (a test checks). -#}
{% macro dqp_version() %}{{ return('0.1.0') }}{% endmacro %}
